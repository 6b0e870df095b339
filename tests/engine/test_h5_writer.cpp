// engine/h5/h5_writer.hpp: round trip (bit for bit, every attribute, every scale), resume after a
// dropped writer and after SIGKILL, and one-line errors that name the file.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/h5/h5_validate.hpp"
#include "engine/h5/h5_writer.hpp"
#include "output_schemas/ftg_results_v1.hpp"

namespace fs = std::filesystem;
using ftg::h5::axis_desc;
using ftg::h5::file_desc;
using ftg::h5::h5_writer;
using ftg::h5::var_desc;

namespace ftg::test::h5fx {

// Shared with test_h5_validate.cpp (declared there).
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("ftg_h5_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// c0 (3) x c1 (4) x delta (5), chunk (1, 2, 5): 6 tiles. f64, f32 and categorical variables,
/// per delta and per point.
file_desc small_desc() {
  file_desc d;
  d.axes = {{"c0", {0.5, 1.0, 2.0}, "", ""},
            {"c1", {1.0, 1.5, 2.5, 4.0}, "", ""},
            {"delta", {0.0, 0.25, 0.5, 0.75, 1.0}, "", ""}};
  d.vars = {{"u_g", var_desc::dtype::f64, {0, 1, 2}, "", ""},
            {"alpha1", var_desc::dtype::f32, {0, 1, 2}, "", ""},
            {"regime", var_desc::dtype::u8_enum, {0, 1, 2}, "", ""},
            {"nash_delta_star", var_desc::dtype::f64, {0, 1}, "", ""},
            {"nash_status", var_desc::dtype::u8_enum, {0, 1}, "", ""}};
  d.chunk = {1, 2, 5};
  d.deflate = true;
  d.attrs = {{"title", "h5 writer test"},
             {"source", "ftgames test"},
             {"history", "test_h5_writer.cpp"},
             {"software", "ftgames"},
             {"software_version", "0.1.0-test"},
             {"sweep_name", "test"},
             {"sweep_text", "[grid]\nc0 = 0.5, 1, 2\n# delta = 0:1:5 (\xce\xb4)\n"},
             {"sweep_hash", "abc123"},
             {"command_line", "ftg run test.ini"},
             {"tbb_version", "2021.8"},
             {"date_start", "2026-12-03T12:00:00Z"}};
  return d;
}

std::map<std::string, std::string> final_attrs() {
  return {{"date_end", "2026-12-03T12:00:01Z"}, {"cells_not_ok", "7"}};
}

/// The full arrays written by the tests: awkward doubles (NaN, -0, subnormal, huge) included.
struct arrays {
  std::vector<double> u_g = std::vector<double>(60);
  std::vector<float> alpha1 = std::vector<float>(60);
  std::vector<std::uint8_t> regime = std::vector<std::uint8_t>(60);
  std::vector<double> nash_delta_star = std::vector<double>(12);
  std::vector<std::uint8_t> nash_status = std::vector<std::uint8_t>(12);
};

arrays make_arrays() {
  arrays a;
  for (std::size_t i = 0; i < 60; ++i) {
    const double x = static_cast<double>(i);
    a.u_g[i] = std::sin(x) * std::exp(x / 7.0) / 3.0;
    a.alpha1[i] = static_cast<float>(std::cos(x) / 7.0);
    a.regime[i] = static_cast<std::uint8_t>(i % 3);
  }
  a.u_g[3] = std::numeric_limits<double>::quiet_NaN();
  a.u_g[4] = -0.0;
  a.u_g[5] = std::numeric_limits<double>::denorm_min();
  a.u_g[6] = 1e300;
  a.alpha1[7] = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t i = 0; i < 12; ++i) {
    a.nash_delta_star[i] = 1.0 / (1.0 + static_cast<double>(i));
    a.nash_status[i] = static_cast<std::uint8_t>(i % 2 == 0 ? 0 : 6);
  }
  return a;
}

template <class T>
std::vector<T> sub(const std::vector<T>& full, std::size_t i0, std::size_t j_lo, std::size_t j_hi,
                   std::size_t inner) {
  std::vector<T> out;
  for (std::size_t j = j_lo; j < j_hi; ++j) {
    for (std::size_t k = 0; k < inner; ++k) out.push_back(full[(i0 * 4 + j) * inner + k]);
  }
  return out;
}

/// Writes the blocks of tile t: tile (i0, i1) in C order over the chunk grid 3 x 2.
void write_tile(h5_writer& w, const arrays& a, std::uint64_t t) {
  const std::size_t i0 = t / 2, j_lo = (t % 2) * 2, j_hi = j_lo + 2;
  const std::vector<std::uint64_t> lo3{i0, j_lo, 0}, hi3{i0 + 1, j_hi, 5};
  const std::vector<std::uint64_t> lo2{i0, j_lo}, hi2{i0 + 1, j_hi};
  w.write_block(0, lo3, hi3, std::span<const double>(sub(a.u_g, i0, j_lo, j_hi, 5)));
  w.write_block(1, lo3, hi3, std::span<const float>(sub(a.alpha1, i0, j_lo, j_hi, 5)));
  w.write_block(2, lo3, hi3, std::span<const std::uint8_t>(sub(a.regime, i0, j_lo, j_hi, 5)));
  w.write_block(3, lo2, hi2, std::span<const double>(sub(a.nash_delta_star, i0, j_lo, j_hi, 1)));
  w.write_block(4, lo2, hi2, std::span<const std::uint8_t>(sub(a.nash_status, i0, j_lo, j_hi, 1)));
}

/// Writes a complete good file at `path` (the uninterrupted run).
void write_good_file(const std::string& path) {
  const auto a = make_arrays();
  auto w = h5_writer::create(path, small_desc());
  for (std::uint64_t t = 0; t < 6; ++t) {
    write_tile(w, a, t);
    const std::uint64_t id = t;
    w.mark_tiles_done(std::span(&id, 1));
  }
  w.finish(final_attrs());
}

}  // namespace ftg::test::h5fx

namespace {

using namespace ftg::test::h5fx;

struct h5_file {
  hid_t id;
  explicit h5_file(const std::string& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~h5_file() {
    if (id >= 0) H5Fclose(id);
  }
};

template <class T>
std::vector<T> read_all(hid_t file, const char* name, hid_t mem_type, std::size_t n) {
  std::vector<T> out(n);
  const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
  REQUIRE(ds >= 0);
  REQUIRE(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0);
  H5Dclose(ds);
  return out;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

std::string text_attr(hid_t obj, const char* name) {
  if (H5Aexists(obj, name) <= 0) return "<missing>";
  const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  const hid_t t = H5Aget_type(a);
  std::string out;
  if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0) {
    out.assign(H5Tget_size(t), '\0');
    H5Aread(a, t, out.data());
    out.resize(std::strlen(out.c_str()));
    if (H5Tget_strpad(t) != H5T_STR_NULLTERM) out = "<not NULLTERM>";
  } else {
    out = "<not a fixed-length string>";
  }
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

/// Every dataset of two complete files holds the same bits.
void check_same_data(const std::string& p, const std::string& q) {
  const h5_file a(p), b(q);
  REQUIRE(a.id >= 0);
  REQUIRE(b.id >= 0);
  CHECK(same_bits(read_all<double>(a.id, "u_g", H5T_NATIVE_DOUBLE, 60),
                  read_all<double>(b.id, "u_g", H5T_NATIVE_DOUBLE, 60)));
  CHECK(same_bits(read_all<float>(a.id, "alpha1", H5T_NATIVE_FLOAT, 60),
                  read_all<float>(b.id, "alpha1", H5T_NATIVE_FLOAT, 60)));
  CHECK(same_bits(read_all<std::uint8_t>(a.id, "regime", H5T_NATIVE_UINT8, 60),
                  read_all<std::uint8_t>(b.id, "regime", H5T_NATIVE_UINT8, 60)));
  CHECK(same_bits(read_all<double>(a.id, "nash_delta_star", H5T_NATIVE_DOUBLE, 12),
                  read_all<double>(b.id, "nash_delta_star", H5T_NATIVE_DOUBLE, 12)));
  CHECK(same_bits(read_all<std::uint8_t>(a.id, "nash_status", H5T_NATIVE_UINT8, 12),
                  read_all<std::uint8_t>(b.id, "nash_status", H5T_NATIVE_UINT8, 12)));
  CHECK(same_bits(read_all<std::uint8_t>(a.id, "tiles_done", H5T_NATIVE_UINT8, 6),
                  read_all<std::uint8_t>(b.id, "tiles_done", H5T_NATIVE_UINT8, 6)));
}

/// validate_file's result; a non-empty one is printed (the checks on it then fail).
std::vector<std::string> violations(const std::string& path) {
  auto v = ftg::h5::validate_file(path);
  if (!v.empty() && path.find(".partial") == std::string::npos) {
    for (const auto& line : v) MESSAGE(line);
  }
  return v;
}

bool one_line_naming(const std::string& message, const std::string& path) {
  return message.find('\n') == std::string::npos && message.find(path) != std::string::npos;
}

}  // namespace

TEST_CASE("h5_writer round trip: every value bit for bit, every attribute, every scale attached") {
  const auto dir = scratch_dir("roundtrip");
  const std::string path = (dir / "out.h5").string();
  write_good_file(path);
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));

  const auto a = make_arrays();
  const h5_file f(path);
  REQUIRE(f.id >= 0);
  CHECK(same_bits(read_all<double>(f.id, "u_g", H5T_NATIVE_DOUBLE, 60), a.u_g));
  CHECK(same_bits(read_all<float>(f.id, "alpha1", H5T_NATIVE_FLOAT, 60), a.alpha1));
  CHECK(same_bits(read_all<std::uint8_t>(f.id, "regime", H5T_NATIVE_UINT8, 60), a.regime));
  CHECK(same_bits(read_all<double>(f.id, "nash_delta_star", H5T_NATIVE_DOUBLE, 12), a.nash_delta_star));
  CHECK(same_bits(read_all<std::uint8_t>(f.id, "nash_status", H5T_NATIVE_UINT8, 12), a.nash_status));
  CHECK(same_bits(read_all<std::uint8_t>(f.id, "tiles_done", H5T_NATIVE_UINT8, 6),
                  std::vector<std::uint8_t>(6, 1)));
  const auto desc = small_desc();
  for (const auto& ax : desc.axes) {
    CHECK(same_bits(read_all<double>(f.id, ax.name.c_str(), H5T_NATIVE_DOUBLE, ax.values.size()),
                    ax.values));
  }

  // Root attributes: the caller's, the writer's and the final ones.
  const hid_t root = f.id;
  for (const auto& [k, v] : desc.attrs) {
    CAPTURE(k);
    CHECK(text_attr(root, k.c_str()) == v);
  }
  CHECK(text_attr(root, "Conventions") == "CF-1.8");
  CHECK(text_attr(root, "schema") == "ftg-results");
  CHECK(text_attr(root, "schema_version") == "1.0.0");
  CHECK(text_attr(root, "date_end") == "2026-12-03T12:00:01Z");
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  CHECK(text_attr(root, "hdf5_version") ==
        std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel));
  {
    const hid_t at = H5Aopen(root, "cells_not_ok", H5P_DEFAULT);
    REQUIRE(at >= 0);
    std::uint64_t n = 0;
    CHECK(H5Aread(at, H5T_NATIVE_UINT64, &n) >= 0);
    CHECK(n == 7);
    H5Aclose(at);
  }

  // Creation order tracked and indexed (netCDF-C needs it to append).
  const hid_t root_group = H5Gopen2(f.id, "/", H5P_DEFAULT);
  const hid_t fcpl = H5Gget_create_plist(root_group);
  H5Gclose(root_group);
  unsigned links = 0, attrs = 0;
  H5Pget_link_creation_order(fcpl, &links);
  H5Pget_attr_creation_order(fcpl, &attrs);
  H5Pclose(fcpl);
  CHECK(links == (H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED));
  CHECK(attrs == (H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED));

  // Variables: attributes, _FillValue of the variable's type, chunks, filters, scales.
  for (const auto& v : desc.vars) {
    CAPTURE(v.name);
    const auto info = ftg::schema::v1::find_variable(v.name);
    REQUIRE(info.has_value());
    const hid_t ds = H5Dopen2(f.id, v.name.c_str(), H5P_DEFAULT);
    REQUIRE(ds >= 0);
    CHECK(text_attr(ds, "long_name") == info->long_name);
    const hid_t dtype = H5Dget_type(ds);
    const hid_t fv = H5Aopen(ds, "_FillValue", H5P_DEFAULT);
    REQUIRE(fv >= 0);
    const hid_t fvt = H5Aget_type(fv);
    CHECK(H5Tequal(dtype, fvt) > 0);
    if (v.type == var_desc::dtype::u8_enum) {
      CHECK(H5Tequal(dtype, H5T_STD_U8LE) > 0);
      CHECK(text_attr(ds, "units") == "<missing>");
      std::uint8_t fill = 0;
      CHECK(H5Aread(fv, H5T_NATIVE_UINT8, &fill) >= 0);
      CHECK(fill == 255);
      CHECK(text_attr(ds, "flag_meanings") == std::string(info->cat->flag_meanings));
      const hid_t fl = H5Aopen(ds, "flag_values", H5P_DEFAULT);
      std::vector<std::uint8_t> flags(info->cat->count);
      CHECK(H5Aread(fl, H5T_NATIVE_UINT8, flags.data()) >= 0);
      for (std::size_t i = 0; i < flags.size(); ++i) CHECK(flags[i] == i);
      H5Aclose(fl);
    } else {
      CHECK(H5Tequal(dtype, v.type == var_desc::dtype::f64 ? H5T_IEEE_F64LE : H5T_IEEE_F32LE) > 0);
      CHECK(text_attr(ds, "units") == "1");
      double fill = 0.0;
      CHECK(H5Aread(fv, H5T_NATIVE_DOUBLE, &fill) >= 0);
      CHECK(std::isnan(fill));
    }
    H5Tclose(fvt);
    H5Aclose(fv);
    H5Tclose(dtype);
    const hid_t dcpl = H5Dget_create_plist(ds);
    hsize_t chunk[3] = {};
    const int rank = H5Pget_chunk(dcpl, 3, chunk);
    CHECK(rank == static_cast<int>(v.dims.size()));
    for (int d = 0; d < rank; ++d) CHECK(chunk[d] == desc.chunk[static_cast<std::size_t>(v.dims[d])]);
    CHECK(H5Pget_nfilters(dcpl) == 2);
    H5Pclose(dcpl);
    for (std::size_t d = 0; d < v.dims.size(); ++d) {
      const auto& axis = desc.axes[static_cast<std::size_t>(v.dims[d])];
      const hid_t sc = H5Dopen2(f.id, axis.name.c_str(), H5P_DEFAULT);
      CHECK(H5DSis_scale(sc) > 0);
      CHECK(H5DSis_attached(ds, sc, static_cast<unsigned>(d)) > 0);
      CHECK(H5DSget_num_scales(ds, static_cast<unsigned>(d)) == 1);
      CHECK(text_attr(sc, "units") == "1");
      CHECK(text_attr(sc, "long_name") ==
            std::string(ftg::schema::v1::find_axis(axis.name)->long_name));
      H5Dclose(sc);
    }
    H5Dclose(ds);
  }
  CHECK(violations(path).empty());
  fs::remove_all(dir);
}

TEST_CASE("h5_writer: a dropped writer leaves .partial; resume finishes it equal to an uninterrupted run") {
  const auto dir = scratch_dir("resume_drop");
  const std::string good = (dir / "good.h5").string();
  const std::string path = (dir / "out.h5").string();
  write_good_file(good);
  const auto a = make_arrays();
  {
    auto w = h5_writer::create(path, small_desc());
    for (std::uint64_t t = 0; t < 3; ++t) write_tile(w, a, t);
    const std::vector<std::uint64_t> ids{0, 1, 2};
    w.mark_tiles_done(ids);
  }  // dropped without finish()
  CHECK_FALSE(fs::exists(path));
  REQUIRE(fs::exists(path + ".partial"));
  const auto partial_violations = violations(path + ".partial");
  // The name, the end time finish() writes (create() reserves it as "pending"), and the 3
  // pending tiles.
  REQUIRE(partial_violations.size() == 3);
  CHECK(partial_violations[0].find("'.partial'") != std::string::npos);
  CHECK(partial_violations[1].find("'date_end' is still pending") != std::string::npos);
  CHECK(partial_violations[2] == "incomplete: 3 of 6 tiles are not done");

  auto w = h5_writer::resume(path, small_desc());
  CHECK(w.tiles_done() == std::vector<bool>{true, true, true, false, false, false});
  for (std::uint64_t t = 3; t < 6; ++t) write_tile(w, a, t);
  const std::vector<std::uint64_t> ids{3, 4, 5};
  w.mark_tiles_done(ids);
  w.finish(final_attrs());
  CHECK(violations(path).empty());
  check_same_data(path, good);
  fs::remove_all(dir);
}

TEST_CASE("h5_writer: SIGKILL after a flush, then resume, gives the uninterrupted run's data") {
  const auto dir = scratch_dir("resume_kill");
  const std::string good = (dir / "good.h5").string();
  const std::string path = (dir / "out.h5").string();
  write_good_file(good);
  const auto a = make_arrays();
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      auto w = h5_writer::create(path, small_desc());
      for (std::uint64_t t = 0; t < 2; ++t) write_tile(w, a, t);
      const std::vector<std::uint64_t> ids{0, 1};
      w.mark_tiles_done(ids);
      write_tile(w, a, 2);  // in flight: written, never recorded as done
      ::raise(SIGKILL);
    } catch (...) {
    }
    ::_exit(1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  REQUIRE(fs::exists(path + ".partial"));

  auto w = h5_writer::resume(path, small_desc());
  const auto done = w.tiles_done();
  CHECK(done == std::vector<bool>{true, true, false, false, false, false});
  for (std::uint64_t t = 0; t < 6; ++t) {
    if (done[t]) continue;
    write_tile(w, a, t);
    w.mark_tiles_done(std::span(&t, 1));
  }
  w.finish(final_attrs());
  CHECK(violations(path).empty());
  check_same_data(path, good);
  fs::remove_all(dir);
}

/// Chunk at `origin` of a C-order array of `shape`, padded with zeros outside the array.
template <class T>
std::vector<T> chunk_of(const std::vector<T>& full, const std::vector<std::uint64_t>& shape,
                        const std::vector<std::uint64_t>& chunk,
                        const std::vector<std::uint64_t>& origin) {
  std::size_t count = 1;
  for (const auto c : chunk) count *= c;
  std::vector<T> out(count, T{});
  std::vector<std::uint64_t> at(chunk.size(), 0);
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t index = 0;
    bool inside = true;
    for (std::size_t d = 0; d < chunk.size(); ++d) {
      const auto x = origin[d] + at[d];
      inside = inside && x < shape[d];
      index = index * shape[d] + x;
    }
    if (inside) out[k] = full[index];
    for (std::size_t d = chunk.size(); d-- > 0;) {  // next position, C order
      if (++at[d] < chunk[d]) break;
      at[d] = 0;
    }
  }
  return out;
}

/// Every chunk origin of an array of `shape` with chunks `chunk`.
std::vector<std::vector<std::uint64_t>> chunk_origins(const std::vector<std::uint64_t>& shape,
                                                      const std::vector<std::uint64_t>& chunk) {
  std::vector<std::vector<std::uint64_t>> out{{}};
  for (std::size_t d = 0; d < shape.size(); ++d) {
    std::vector<std::vector<std::uint64_t>> next;
    for (const auto& prefix : out) {
      for (std::uint64_t x = 0; x < shape[d]; x += chunk[d]) {
        auto o = prefix;
        o.push_back(x);
        next.push_back(std::move(o));
      }
    }
    out = std::move(next);
  }
  return out;
}

/// Filters of a dataset (shuffle + deflate: 2), and whether every one of its chunks is allocated.
int filter_count(hid_t file, const char* name) {
  const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
  REQUIRE(ds >= 0);
  const hid_t dcpl = H5Dget_create_plist(ds);
  const int n = H5Pget_nfilters(dcpl);
  H5Pclose(dcpl);
  H5Dclose(ds);
  return n;
}

TEST_CASE("h5_writer deflate: an unfiltered .partial, compacted by finish() into shuffle + deflate, "
          "edge chunks included, bit for bit") {
  // Compression happens in finish() (h5_writer.hpp): the .partial file keeps every chunk allocated
  // and unfiltered (crash safety, tests/crash/crash_resume.sh); finish() copies each chunk through
  // encode_chunk in worker threads into FINAL.compacting and renames it.
  const auto dir = scratch_dir("compaction");
  const auto a = make_arrays();
  for (const bool deflate : {true, false}) {
    CAPTURE(deflate);
    const std::string path = (dir / (deflate ? "deflate.h5" : "raw.h5")).string();
    auto desc = small_desc();
    desc.deflate = deflate;
    desc.chunk = {2, 3, 5};  // edge chunks in c0 (3 = 2 + 1) and c1 (4 = 3 + 1)
    REQUIRE(ftg::h5::tile_count_of(desc) == 4);
    auto w = h5_writer::create(path, desc);
    CHECK(w.chunk_shape(3) == std::vector<std::uint64_t>{2, 3});
    const std::vector<std::uint64_t> o3{0, 0, 0}, s3{3, 4, 5}, o2{0, 0}, s2{3, 4};
    w.write_block(0, o3, s3, std::span<const double>(a.u_g));
    w.write_block(1, o3, s3, std::span<const float>(a.alpha1));
    w.write_block(2, o3, s3, std::span<const std::uint8_t>(a.regime));
    w.write_block(3, o2, s2, std::span<const double>(a.nash_delta_star));
    w.write_block(4, o2, s2, std::span<const std::uint8_t>(a.nash_status));
    const std::vector<std::uint64_t> ids{0, 1, 2, 3};
    w.mark_tiles_done(ids);
    {
      const h5_file partial(path + ".partial");
      REQUIRE(partial.id >= 0);
      CHECK(filter_count(partial.id, "u_g") == 0);
    }
    w.finish(final_attrs());
    CHECK_FALSE(fs::exists(path + ".partial"));
    CHECK_FALSE(fs::exists(path + ".compacting"));
    CHECK(violations(path).empty());
    const h5_file f(path);
    REQUIRE(f.id >= 0);
    for (const char* name : {"u_g", "alpha1", "regime", "nash_delta_star", "nash_status"}) {
      CAPTURE(name);
      CHECK(filter_count(f.id, name) == (deflate ? 2 : 0));
    }
    CHECK(same_bits(read_all<double>(f.id, "u_g", H5T_NATIVE_DOUBLE, 60), a.u_g));
    CHECK(same_bits(read_all<float>(f.id, "alpha1", H5T_NATIVE_FLOAT, 60), a.alpha1));
    CHECK(same_bits(read_all<std::uint8_t>(f.id, "regime", H5T_NATIVE_UINT8, 60), a.regime));
    CHECK(same_bits(read_all<double>(f.id, "nash_delta_star", H5T_NATIVE_DOUBLE, 12), a.nash_delta_star));
    CHECK(same_bits(read_all<std::uint8_t>(f.id, "nash_status", H5T_NATIVE_UINT8, 12), a.nash_status));
    CHECK(text_attr(f.id, "date_end") == "2026-12-03T12:00:01Z");
    CHECK(text_attr(f.id, "sweep_text") == small_desc().attrs.at("sweep_text"));
  }
  // Shuffle + deflate really compresses: a constant chunk shrinks far below its raw size.
  const std::vector<double> flat(1000, 0.5);
  CHECK(h5_writer::encode_chunk(flat, true).size() < 100);
  CHECK(h5_writer::encode_chunk(flat, false).size() == 8000);
  fs::remove_all(dir);
}

TEST_CASE("h5_writer shard: finish() keeps only the owned tiles' chunks; the others read as the fill value") {
  const auto dir = scratch_dir("shard_compaction");
  const std::string path = (dir / "shard.h5").string();
  const auto a = make_arrays();
  auto desc = small_desc();
  desc.deflate = false;
  desc.allocate_on_write = true;
  desc.owned_first = 2;
  desc.owned_last = 4;  // tiles 2 and 3 of 6: c0 = 1.0 (i0 = 1)
  auto w = h5_writer::create(path, desc);
  for (std::uint64_t t = 2; t < 4; ++t) write_tile(w, a, t);
  const std::vector<std::uint64_t> ids{2, 3};
  w.mark_tiles_done(ids);
  w.finish(final_attrs());
  CHECK_FALSE(fs::exists(path + ".partial"));
  const h5_file f(path);
  REQUIRE(f.id >= 0);
  const auto u_g = read_all<double>(f.id, "u_g", H5T_NATIVE_DOUBLE, 60);
  for (std::size_t i = 0; i < 60; ++i) {
    CAPTURE(i);
    if (i / 20 == 1) CHECK(std::memcmp(&u_g[i], &a.u_g[i], sizeof(double)) == 0);
    else CHECK(std::isnan(u_g[i]));
  }
  const hid_t ds = H5Dopen2(f.id, "u_g", H5P_DEFAULT);
  REQUIRE(ds >= 0);
  const hid_t space = H5Dget_space(ds);
  hsize_t n = 0;
  REQUIRE(H5Dget_num_chunks(ds, space, &n) >= 0);
  CHECK(n == 2);  // only the owned tiles' chunks take disk
  H5Sclose(space);
  H5Dclose(ds);
  CHECK(same_bits(read_all<std::uint8_t>(f.id, "tiles_done", H5T_NATIVE_UINT8, 6),
                  std::vector<std::uint8_t>{0, 0, 1, 1, 0, 0}));
  fs::remove_all(dir);
}

namespace {

std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// [address, address + size) of every allocated chunk of every dataset named.
std::vector<std::pair<std::uint64_t, std::uint64_t>> chunk_extents(const std::string& path,
                                                                   const std::vector<std::string>& names) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  const h5_file f(path);
  REQUIRE(f.id >= 0);
  for (const auto& name : names) {
    const hid_t ds = H5Dopen2(f.id, name.c_str(), H5P_DEFAULT);
    REQUIRE(ds >= 0);
    const hid_t space = H5Dget_space(ds);
    hsize_t n = 0;
    REQUIRE(H5Dget_num_chunks(ds, space, &n) >= 0);
    for (hsize_t i = 0; i < n; ++i) {
      hsize_t offset[8] = {};
      unsigned mask = 0;
      haddr_t addr = 0;
      hsize_t size = 0;
      REQUIRE(H5Dget_chunk_info(ds, space, i, offset, &mask, &addr, &size) >= 0);
      out.emplace_back(addr, addr + size);
    }
    H5Sclose(space);
    H5Dclose(ds);
  }
  return out;
}

}  // namespace

TEST_CASE("h5_writer uncompressed: whole, partial and edge chunks read back bit for bit; tile data change no metadata") {
  // Whole chunks go through H5Dwrite_chunk, other boxes through H5Dwrite with no chunk cache
  // (engine/h5/h5_writer.cpp). Grid c1 (5) x delta (4), chunk (2, 4): chunks of rows {0, 1},
  // {2, 3} and the edge chunk {4}.
  const auto dir = scratch_dir("uncompressed");
  const std::string path = (dir / "raw.h5").string();
  file_desc d = small_desc();
  d.axes = {{"c1", {1.0, 1.5, 2.5, 4.0, 8.0}, "", ""}, {"delta", {0.0, 0.25, 0.5, 1.0}, "", ""}};
  d.vars = {{"u_g", var_desc::dtype::f64, {0, 1}, "", ""},
            {"alpha1", var_desc::dtype::f32, {0, 1}, "", ""},
            {"status", var_desc::dtype::u8_enum, {0, 1}, "", ""}};
  d.chunk = {2, 4};
  d.deflate = false;
  REQUIRE(ftg::h5::tile_count_of(d) == 3);
  const auto a = make_arrays();  // the first 20 values of each (NaN, -0, subnormal, 1e300 among them)
  const std::vector<double> u_g(a.u_g.begin(), a.u_g.begin() + 20);
  const std::vector<float> alpha1(a.alpha1.begin(), a.alpha1.begin() + 20);
  std::vector<std::uint8_t> status(20);
  for (std::size_t i = 0; i < 20; ++i) status[i] = static_cast<std::uint8_t>(i % 7);

  // The same file twice, closed without recording anything (HDF5 then writes whatever metadata
  // it holds): once with no tile written, once with every tile. Outside the chunks' bytes the two
  // must be equal (docs/architecture.md: with early allocation a tile's data change no metadata,
  // so a SIGKILL at any point leaves the flushed structure intact).
  const std::string partial = path + ".partial";
  { h5_writer untouched = h5_writer::create(path, d); }
  const auto before = file_bytes(partial);
  fs::remove(partial);
  {
    auto w = h5_writer::create(path, d);
    const auto write_rows = [&](std::uint64_t r0, std::uint64_t r1) {
      const std::vector<std::uint64_t> lo{r0, 0}, hi{r1, 4};
      const auto b = static_cast<std::ptrdiff_t>(r0 * 4), e = static_cast<std::ptrdiff_t>(r1 * 4);
      w.write_block(0, lo, hi, std::span<const double>(std::vector<double>(u_g.begin() + b, u_g.begin() + e)));
      w.write_block(1, lo, hi, std::span<const float>(std::vector<float>(alpha1.begin() + b, alpha1.begin() + e)));
      w.write_block(2, lo, hi, std::span<const std::uint8_t>(std::vector<std::uint8_t>(status.begin() + b, status.begin() + e)));
    };
    write_rows(0, 1);  // chunk 0 in two partial boxes
    write_rows(1, 2);
    write_rows(2, 4);  // chunk 1 whole
    write_rows(4, 5);  // the edge chunk
  }
  const auto after = file_bytes(partial);
  REQUIRE(after.size() == before.size());
  std::vector<char> outside(after.size(), 1);
  for (const auto& [lo, hi] : chunk_extents(partial, {"u_g", "alpha1", "status"})) {
    REQUIRE(hi <= after.size());
    for (std::uint64_t i = lo; i < hi; ++i) outside[i] = 0;
  }
  std::size_t changed = 0, data_bytes = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (outside[i] != 0 && after[i] != before[i]) ++changed;
    if (outside[i] == 0) ++data_bytes;
  }
  CHECK(changed == 0);
  CHECK(data_bytes == 3 * 8 * (8 + 4 + 1));  // 3 chunks of 2 x 4 cells per variable, edge chunk full size

  auto r = h5_writer::resume(path, d);
  const std::vector<std::uint64_t> ids{0, 1, 2};
  r.mark_tiles_done(ids);
  r.finish(final_attrs());
  CHECK(violations(path).empty());
  const h5_file f(path);
  REQUIRE(f.id >= 0);
  CHECK(same_bits(read_all<double>(f.id, "u_g", H5T_NATIVE_DOUBLE, 20), u_g));
  CHECK(same_bits(read_all<float>(f.id, "alpha1", H5T_NATIVE_FLOAT, 20), alpha1));
  CHECK(same_bits(read_all<std::uint8_t>(f.id, "status", H5T_NATIVE_UINT8, 20), status));
  fs::remove_all(dir);
}

TEST_CASE("h5_writer: resume refuses another sweep; errors are one line naming the file") {
  const auto dir = scratch_dir("errors");
  const std::string path = (dir / "out.h5").string();
  const std::string partial = path + ".partial";
  {
    auto w = h5_writer::create(path, small_desc());
  }
  auto other = small_desc();
  other.axes[1].values[2] = 2.5000000000000004;
  try {
    static_cast<void>(h5_writer::resume(path, other));
    FAIL("resume accepted other axis values");
  } catch (const ftg::runtime_error& e) {
    CHECK(one_line_naming(e.what(), partial));
    CHECK(std::string(e.what()).find("axis 'c1'") != std::string::npos);
  }
  other = small_desc();
  other.attrs["sweep_text"] = "[grid]\nc0 = 1\n";
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::resume(path, other)),
                       doctest::Contains("root attribute 'sweep_text' differs"), ftg::runtime_error);
  other = small_desc();
  other.chunk = {1, 4, 5};
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::resume(path, other)),
                       doctest::Contains("differs"), ftg::runtime_error);
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::resume((dir / "none.h5").string(), small_desc())),
                       doctest::Contains("none.h5.partial"), ftg::runtime_error);

  // A directory that does not exist: HDF5's own failure, with the path and the operation.
  const std::string nowhere = (dir / "no_such_dir" / "out.h5").string();
  try {
    static_cast<void>(h5_writer::create(nowhere, small_desc()));
    FAIL("create in a missing directory succeeded");
  } catch (const ftg::runtime_error& e) {
    CHECK(one_line_naming(e.what(), nowhere + ".partial"));
    CHECK(std::string(e.what()).find("H5Fcreate") != std::string::npos);
  }

  // Descriptions that break the schema are refused before any file is made.
  auto bad = small_desc();
  bad.vars.push_back({"utility_0", var_desc::dtype::f64, {0}, "", ""});
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::create(path, bad)),
                       doctest::Contains("'utility_0' is not in schema"), ftg::runtime_error);
  bad = small_desc();
  bad.vars[2].type = var_desc::dtype::f64;
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::create(path, bad)),
                       doctest::Contains("'regime' is categorical"), ftg::runtime_error);
  bad = small_desc();
  bad.attrs.erase("title");
  CHECK_THROWS_WITH_AS(static_cast<void>(h5_writer::create(path, bad)),
                       doctest::Contains("'title' is required"), ftg::runtime_error);
  bad = small_desc();
  bad.attrs["Conventions"] = "CF-1.6";
  CHECK_THROWS_AS(static_cast<void>(h5_writer::create(path, bad)), ftg::runtime_error);

  // Misuse of an open writer.
  auto w = h5_writer::create(path, small_desc());
  const std::vector<std::uint64_t> lo{0, 0, 0}, hi{1, 2, 6};
  const std::vector<double> ten(10, 1.0);
  CHECK_THROWS_WITH_AS(w.write_block(0, lo, hi, ten), doctest::Contains("outside dimension 2"),
                       ftg::runtime_error);
  const std::vector<std::uint64_t> hi_ok{1, 2, 5};
  CHECK_THROWS_WITH_AS(w.write_block(1, lo, hi_ok, ten), doctest::Contains("data are f64"),
                       ftg::runtime_error);
  const std::uint64_t tile = 6;
  CHECK_THROWS_AS(w.mark_tiles_done(std::span(&tile, 1)), ftg::runtime_error);
  CHECK_THROWS_WITH_AS(w.finish(final_attrs()), doctest::Contains("6 of 6 tiles are not done"),
                       ftg::runtime_error);
  fs::remove_all(dir);
}

TEST_CASE("validate_file: a missing, a non-HDF5 and a truncated file give one line naming them") {
  const auto dir = scratch_dir("corrupt");
  const std::string missing = (dir / "missing.h5").string();
  CHECK_THROWS_WITH_AS(static_cast<void>(ftg::h5::validate_file(missing)),
                       doctest::Contains((missing + ": cannot validate: no such file").c_str()),
                       ftg::runtime_error);
  const std::string text = (dir / "text.h5").string();
  std::ofstream(text) << "not an HDF5 file\n";
  try {
    static_cast<void>(ftg::h5::validate_file(text));
    FAIL("a text file validated");
  } catch (const ftg::runtime_error& e) {
    CHECK(one_line_naming(e.what(), text));
  }
  const std::string good = (dir / "good.h5").string();
  write_good_file(good);
  const std::string cut = (dir / "cut.h5").string();
  {
    std::ifstream in(good, std::ios::binary);
    std::vector<char> bytes(2000);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::ofstream(cut, std::ios::binary).write(bytes.data(), in.gcount());
  }
  try {
    static_cast<void>(ftg::h5::validate_file(cut));
    FAIL("a truncated file validated");
  } catch (const ftg::runtime_error& e) {
    CHECK(one_line_naming(e.what(), cut));
  }
  fs::remove_all(dir);
}

TEST_CASE("schema tables agree with the kernels' enums") {
  // flag_meanings must list kernels/params.hpp cell_status and kernels/multi.hpp regime in order.
  CHECK(ftg::schema::v1::cell_status_category.flag_meanings ==
        "ok invalid_params no_bracket max_iter not_finite no_closed_form disagreement overflow");
  CHECK(ftg::schema::v1::find_variable("generalized_nash_u_g").has_value());
  CHECK(ftg::schema::v1::find_variable("nash_u_g")->long_name == "nash: G's utility at delta*");
  CHECK_FALSE(ftg::schema::v1::find_variable("nash_").has_value());
  CHECK_FALSE(ftg::schema::v1::find_variable("u0").has_value());
}
