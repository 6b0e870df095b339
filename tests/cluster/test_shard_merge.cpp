// engine/shard.hpp, engine/merge.hpp and engine/h5/h5_merge.hpp end to end (docs/cluster.md):
// shards of a sweep cover every tile exactly once; merged (materialised or virtual) they hold
// exactly the bytes of a single-process run; a missing, partial, foreign, duplicate or
// overlapping shard is refused with a message naming it, and nothing is written.
#include <doctest/doctest.h>

#include <hdf5.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/h5/h5_merge.hpp"
#include "engine/h5/h5_validate.hpp"
#include "engine/h5/h5_writer.hpp"
#include "engine/merge.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "engine/shard.hpp"
#include "engine/signals.hpp"
#include "engine/sweep.hpp"

namespace fs = std::filesystem;
using namespace ftg;

namespace {

fs::path scratch_dir(const std::string& test) {
  fs::path d = fs::temp_directory_path() / ("ftg_test_cluster_" + std::to_string(getpid()) + "_" + test);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Per-delta sweep, 40 x 3 games x 201 deltas, tiles of about 500 cells (2 delta rows, so the k1
// axis of length 3 has edge tiles).
std::string write_sweep(const fs::path& dir, const std::string& name, const std::string& sweep_extra = "",
                        const std::string& grid_extra = "") {
  const fs::path p = dir / (name + ".ini");
  std::ofstream(p) << "[sweep]\nname = " << name
                   << "\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d, in_pareto\n" << sweep_extra
                   << "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 40)\nk0 = 2\nk1 = 1.5, 2, 3\n"
                      "delta = linspace(0, 1, 201)\n" << grid_extra << "[run]\ntile_cells = 500\n";
  return p.string();
}

// Per-point sweep (every bargaining solution): variables without the delta axis.
std::string write_point_sweep(const fs::path& dir, const std::string& name) {
  const fs::path p = dir / (name + ".ini");
  std::ofstream(p) << "[sweep]\nname = " << name
                   << "\nmodel = two_player\nsolutions = all\n[grid]\nc0 = 1\nc1 = logspace(-1, 1, 37)\n"
                      "k0 = 2\nk1 = 2, 3\n[run]\ntile_cells = 8\n";
  return p.string();
}

run_summary run(const std::string& sweep, const std::string& out, std::optional<shard_id> shard = std::nullopt,
                bool resume = false) {
  run_options o;
  o.sweep_path = sweep;
  o.output = out;
  o.progress = progress_mode::none;
  o.threads = 2;
  o.shard = shard;
  o.resume = resume;
  o.command_line = "test";
  std::ostringstream err;
  clear_stop_request();
  return run_sweep(o, err);
}

// Every root dataset's raw bytes, dtype size and shape, and every dataset attribute's raw bytes
// except dimension-scale references: found generically, like the merge itself.
struct dataset_bytes {
  std::vector<unsigned char> data;
  std::vector<hsize_t> shape;
  std::map<std::string, std::vector<unsigned char>> attrs;
  bool operator==(const dataset_bytes&) const = default;
};

herr_t collect(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

std::map<std::string, dataset_bytes> read_all(const std::string& path) {
  std::map<std::string, dataset_bytes> out;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE_MESSAGE(f >= 0, path);
  std::vector<std::string> names;
  hsize_t idx = 0;
  REQUIRE(H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names) >= 0);
  for (const std::string& n : names) {
    dataset_bytes b;
    const hid_t d = H5Dopen2(f, n.c_str(), H5P_DEFAULT);
    REQUIRE(d >= 0);
    const hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    b.shape.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(sp)));
    H5Sget_simple_extent_dims(sp, b.shape.data(), nullptr);
    b.data.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(sp)) * H5Tget_size(t));
    if (!b.data.empty()) REQUIRE(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, b.data.data()) >= 0);
    std::vector<std::string> attrs;
    idx = 0;
    REQUIRE(H5Aiterate2(d, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &attrs) >= 0);
    for (const std::string& a : attrs) {
      if (a == "DIMENSION_LIST" || a == "REFERENCE_LIST") continue;
      const hid_t at = H5Aopen(d, a.c_str(), H5P_DEFAULT);
      const hid_t att = H5Aget_type(at), asp = H5Aget_space(at);
      std::vector<unsigned char> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(asp)) * H5Tget_size(att));
      REQUIRE(H5Aread(at, att, v.data()) >= 0);
      b.attrs[a] = v;
      H5Sclose(asp);
      H5Tclose(att);
      H5Aclose(at);
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
    out[n] = std::move(b);
  }
  H5Fclose(f);
  return out;
}

std::optional<std::string> root_text(const std::string& path, const char* name) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return std::nullopt;
  std::optional<std::string> out;
  if (H5Aexists(f, name) > 0) {
    const hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    const hid_t t = H5Aget_type(a);
    std::string s(H5Tget_size(t), '\0');
    H5Aread(a, t, s.data());
    out = s.c_str();
    H5Tclose(t);
    H5Aclose(a);
  }
  H5Fclose(f);
  return out;
}

void check_identical(const std::string& single, const std::string& merged) {
  const auto a = read_all(single);
  const auto b = read_all(merged);
  REQUIRE(a.size() == b.size());
  for (const auto& [name, bytes] : a) {
    CAPTURE(name);
    REQUIRE(b.count(name) == 1);
    CHECK(bytes.shape == b.at(name).shape);
    CHECK(bytes.data == b.at(name).data);  // bit for bit, NaN patterns included
    CHECK(bytes.attrs == b.at(name).attrs);
  }
}

std::vector<std::string> make_shards(const std::string& sweep, const fs::path& dir, std::uint64_t n) {
  std::vector<std::string> files;
  for (std::uint64_t i = 0; i < n; ++i) {
    const run_summary s = run(sweep, (dir / "m.h5").string(), shard_id{i, n});
    REQUIRE_FALSE(s.stopped);
    files.push_back(s.output);
  }
  return files;
}

std::string merge_error(const merge_options& o) {
  try {
    merge_shards(o);
  } catch (const ftg::error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("resolve_shard: options, Slurm array variables and one-line errors") {
  std::map<std::string, std::string> env;
  const env_lookup lookup = [&](const char* n) -> const char* {
    const auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  CHECK_FALSE(resolve_shard(std::nullopt, std::nullopt, true, lookup, "run").has_value());
  auto s = resolve_shard(std::string("3"), std::string("16"), true, lookup, "run");
  REQUIRE(s);
  CHECK(s->index == 3);
  CHECK(s->count == 16);

  env = {{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "8"}};
  s = resolve_shard(std::nullopt, std::nullopt, true, lookup, "run");
  REQUIRE(s);
  CHECK(s->index == 7);
  CHECK(s->count == 8);
  CHECK_FALSE(resolve_shard(std::nullopt, std::nullopt, false, lookup, "run").has_value());  // --no-shard-env
  // --array=1-8: ids start at SLURM_ARRAY_TASK_MIN; --array=0-14:2: STEP.
  env = {{"SLURM_ARRAY_TASK_ID", "8"}, {"SLURM_ARRAY_TASK_COUNT", "8"}, {"SLURM_ARRAY_TASK_MIN", "1"}};
  CHECK(resolve_shard(std::nullopt, std::nullopt, true, lookup, "run")->index == 7);
  env = {{"SLURM_ARRAY_TASK_ID", "14"}, {"SLURM_ARRAY_TASK_COUNT", "8"}, {"SLURM_ARRAY_TASK_STEP", "2"}};
  CHECK(resolve_shard(std::nullopt, std::nullopt, true, lookup, "run")->index == 7);
  // The command line wins over the environment.
  CHECK(resolve_shard(std::string("2"), std::nullopt, true, lookup, "run")->index == 2);

  const auto error_of = [&](std::optional<std::string> i, std::optional<std::string> c) {
    try {
      resolve_shard(i, c, true, lookup, "run");
    } catch (const usage_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  env.clear();
  CHECK(error_of(std::string("16"), std::string("16")) == "ftg run: --shard-index gives shard index 16, which must be < --num-shards 16");
  CHECK(error_of(std::string("-1"), std::string("4")) == "ftg run: --shard-index must be a non-negative integer (got '-1')");
  CHECK(error_of(std::string("1"), std::string("0")) == "ftg run: --num-shards must be >= 1 (got 0)");
  CHECK(error_of(std::string("x"), std::string("4")) == "ftg run: --shard-index must be a non-negative integer (got 'x')");
  CHECK(error_of(std::string("1"), std::nullopt) == "ftg run: --shard-index needs --num-shards (or SLURM_ARRAY_TASK_COUNT)");
  CHECK(error_of(std::nullopt, std::string("4")) == "ftg run: --num-shards needs --shard-index (or SLURM_ARRAY_TASK_ID)");
  env = {{"SLURM_ARRAY_TASK_ID", "abc"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
  CHECK(error_of(std::nullopt, std::nullopt) == "ftg run: SLURM_ARRAY_TASK_ID must be a non-negative integer (got 'abc')");
  env = {{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
  CHECK(error_of(std::nullopt, std::nullopt).find("SLURM_ARRAY_TASK_ID gives shard index 4, which must be < SLURM_ARRAY_TASK_COUNT 4") !=
        std::string::npos);
  env = {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "-3"}};
  CHECK(error_of(std::nullopt, std::nullopt) == "ftg run: SLURM_ARRAY_TASK_COUNT must be a non-negative integer (got '-3')");
}

TEST_CASE("shard_output_name") {
  CHECK(shard_output_name("out/fig.h5", shard_id{3, 16}) == "out/fig.shard-00003-of-00016.h5");
  CHECK(shard_output_name("fig", shard_id{0, 1}) == "fig.shard-00000-of-00001.h5");
  CHECK(shard_output_name("fig.h5", shard_id{41, 123456}) == "fig.shard-000041-of-123456.h5");
}

TEST_CASE("range_boxes cover a tile range exactly once with at most 2 * rank - 1 boxes") {
  for (const std::vector<std::uint64_t>& grid : {std::vector<std::uint64_t>{7}, {3, 4}, {2, 3, 5}, {4, 1, 3, 2}}) {
    std::uint64_t total = 1;
    for (auto g : grid) total *= g;
    for (std::uint64_t first = 0; first <= total; ++first) {
      for (std::uint64_t last = first; last <= total; ++last) {
        std::multiset<std::uint64_t> seen;
        const auto boxes = h5::range_boxes(grid, first, last);
        CHECK(boxes.size() <= 2 * grid.size() - 1);
        for (const auto& [lo, hi] : boxes) {
          std::vector<std::uint64_t> i(lo);
          while (true) {
            std::uint64_t lin = 0;
            for (std::size_t d = 0; d < grid.size(); ++d) lin = lin * grid[d] + i[d];
            seen.insert(lin);
            std::size_t d = grid.size();
            while (d-- > 0) {
              if (++i[d] < hi[d]) break;
              i[d] = lo[d];
            }
            if (d == static_cast<std::size_t>(-1)) break;
          }
        }
        std::multiset<std::uint64_t> want;
        for (std::uint64_t t = first; t < last; ++t) want.insert(t);
        CAPTURE(first);
        CAPTURE(last);
        REQUIRE(seen == want);
      }
    }
  }
}

TEST_CASE("shards merge to the bytes of a single-process run") {
  const fs::path dir = scratch_dir("roundtrip");
  struct variant {
    std::string name, sweep_extra;
    bool point;
  };
  for (const variant& v : {variant{"f64", "", false}, variant{"f32_deflate", "precision = f32\ncompression = deflate\n", false},
                           variant{"points", "", true}}) {
    const std::string sweep = v.point ? write_point_sweep(dir, v.name) : write_sweep(dir, v.name, v.sweep_extra);
    const std::string single = (dir / (v.name + "_single.h5")).string();
    run(sweep, single);
    const plan p = make_plan(parse_sweep(sweep, {}, "run"));
    REQUIRE(p.tile_count > 3);
    // 1 shard, an uneven count, and more shards than tiles (empty shards are valid shards).
    for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{3}, p.tile_count + 2}) {
      CAPTURE(v.name);
      CAPTURE(n);
      const fs::path sd = dir / (v.name + "_" + std::to_string(n));
      fs::create_directories(sd);
      const auto files = make_shards(sweep, sd, n);
      for (const auto& f : files) CHECK(h5::validate_file(f).empty());
      for (const bool virt : {false, true}) {
        merge_options o;
        o.output = (sd / (virt ? "virtual.h5" : "m.h5")).string();
        o.inputs = virt ? std::vector<std::string>{sd.string()} : std::vector<std::string>{};  // a directory / OUTPUT's shards
        o.virtual_dataset = virt;
        o.command_line = "ftg merge test";
        const merge_summary s = merge_shards(o);
        CHECK(s.shards == n);
        CHECK(s.tiles == p.tile_count);
        CHECK(fs::exists(o.output));
        CHECK_FALSE(fs::exists(o.output + ".partial"));
        CHECK(h5::validate_file(o.output).empty());
        check_identical(single, o.output);
        CHECK(root_text(o.output, "shard_index") == std::nullopt);
        CHECK(root_text(o.output, "sweep_hash") == root_text(single, "sweep_hash"));
      }
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("a shard file holds only its own chunks (allocated on write)") {
  const fs::path dir = scratch_dir("size");
  const std::string sweep = write_sweep(dir, "size");
  run(sweep, (dir / "single.h5").string());
  const auto files = make_shards(sweep, dir, 4);
  const auto single = fs::file_size(dir / "single.h5");
  for (const auto& f : files) {
    CAPTURE(f);
    CHECK(fs::file_size(f) < single / 2);  // a quarter of the data plus metadata, not the full grid
  }
  fs::remove_all(dir);
}

TEST_CASE("a stopped shard resumes as the same shard only") {
  const fs::path dir = scratch_dir("resume");
  const std::string sweep = write_sweep(dir, "res");
  const std::string out = (dir / "m.h5").string();
  // A stopped shard: the stop flag (as SIGUSR1 sets it) is up before the first tile.
  install_stop_handlers();
  {
    run_options o;
    o.sweep_path = sweep;
    o.output = out;
    o.progress = progress_mode::none;
    o.threads = 1;
    o.shard = shard_id{1, 3};
    std::ostringstream err;
    clear_stop_request();
    raise(SIGUSR1);  // stop before the first tile: the shard file stays .partial
    const run_summary s = run_sweep(o, err);
    CHECK(s.stopped);
  }
  const std::string partial = shard_output_name(out, shard_id{1, 3}) + ".partial";
  REQUIRE(fs::exists(partial));
  // Another shard's --resume does not pick it up, and a foreign shard count is refused.
  CHECK_THROWS_AS(run(sweep, out, shard_id{1, 4}, true), usage_error);
  fs::copy_file(partial, shard_output_name(out, shard_id{2, 3}) + ".partial");
  CHECK_THROWS_AS(run(sweep, out, shard_id{2, 3}, true), ftg::error);
  fs::remove(shard_output_name(out, shard_id{2, 3}) + ".partial");
  // merge names the unfinished shard.
  run(sweep, out, shard_id{0, 3});
  run(sweep, out, shard_id{2, 3});
  merge_options mo;
  mo.output = out;
  const std::string msg = merge_error(mo);
  CHECK(msg.find("m.shard-00001-of-00003.h5.partial") != std::string::npos);
  CHECK(msg.find("incomplete") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  const run_summary r = run(sweep, out, shard_id{1, 3}, true);
  CHECK_FALSE(r.stopped);
  merge_shards(mo);
  run(sweep, (dir / "single.h5").string());
  check_identical((dir / "single.h5").string(), out);
  fs::remove_all(dir);
}

TEST_CASE("merge refuses missing, partial, foreign, duplicate and overlapping shards, writing nothing") {
  const fs::path dir = scratch_dir("errors");
  const std::string sweep = write_sweep(dir, "err");
  const auto files = make_shards(sweep, dir, 3);
  const std::string out = (dir / "out.h5").string();
  merge_options o;
  o.output = out;
  const auto refused = [&](const std::vector<std::string>& inputs, const std::string& needle1, const std::string& needle2) {
    o.inputs = inputs;
    const std::string msg = merge_error(o);
    CAPTURE(msg);
    CHECK(msg.rfind("ftg merge: ", 0) == 0);
    CHECK(msg.find('\n') == std::string::npos);
    CHECK(msg.find(needle1) != std::string::npos);
    CHECK(msg.find(needle2) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".partial"));
  };
  // missing: shard 1 of 3 not given
  refused({files[0], files[2]}, "m.shard-00001-of-00003.h5", "is missing");
  // a file that does not exist
  refused({files[0], (dir / "nope.h5").string()}, "nope.h5", "no such shard file");
  // partial: given by name, and a file without its final attributes
  refused({files[0], files[1] + ".partial", files[2]}, ".partial", "incomplete");
  // duplicate: the same shard twice
  const std::string dup = (dir / "copy.h5").string();
  fs::copy_file(files[1], dup);
  refused({files[0], files[1], dup, files[2]}, "duplicate shard 1 of 3", "m.shard-00001-of-00003.h5");
  fs::remove(dup);
  // foreign: a shard of another sweep (one grid value differs)
  const fs::path od = dir / "other";
  fs::create_directories(od);
  const std::string foreign_sweep = write_sweep(od, "err", "", "");
  {  // same name, k0 differs: same shape, another sweep_hash
    std::string text;
    {
      std::ifstream in(foreign_sweep);
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    text.replace(text.find("k0 = 2"), 6, "k0 = 3");
    std::ofstream(foreign_sweep) << text;
  }
  const run_summary fs1 = run(foreign_sweep, (od / "m.h5").string(), shard_id{1, 3});
  refused({files[0], fs1.output, files[2]}, fs1.output, "another sweep");
  // foreign shard count
  const run_summary f4 = run(sweep, (od / "m.h5").string(), shard_id{1, 4});
  refused({files[0], files[1], files[2], f4.output}, f4.output, "foreign shard");
  // overlapping: a shard that claims tiles beyond its share (tampered attribute)
  const std::string bad = (od / "bad.h5").string();
  fs::copy_file(files[1], bad);
  {
    const hid_t f = H5Fopen(bad.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    H5Adelete(f, "shard_tile_first");
    const std::string v = "0";
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, v.size());
    const hid_t sp = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(f, "shard_tile_first", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, v.c_str());
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    H5Fclose(f);
  }
  refused({files[0], bad, files[2]}, "bad.h5", "");
  // not a shard at all
  run(sweep, (od / "single.h5").string());
  refused({(od / "single.h5").string()}, "single.h5", "not a shard file");
  // a truncated shard
  const std::string trunc = (od / "trunc.shard-00001-of-00003.h5").string();
  {
    std::ifstream in(files[1], std::ios::binary);
    std::vector<char> head(4096);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    std::ofstream(trunc, std::ios::binary).write(head.data(), in.gcount());
  }
  refused({files[0], trunc, files[2]}, "trunc.shard-00001-of-00003.h5", "");
  // an existing output without --force is a usage error
  std::ofstream(out) << "x";
  o.inputs = files;
  CHECK_THROWS_AS(merge_shards(o), usage_error);
  o.force = true;
  CHECK_NOTHROW(merge_shards(o));
  CHECK(h5::validate_file(out).empty());
  fs::remove_all(dir);
}

namespace {

// A layout written directly with h5_writer (as the n-specialist sweeps will): f64, f32 and u8
// variables over the tile axes c0 x delta, per-point variables without delta, and pareto_lo /
// pareto_hi with an extra trailing `interval` dimension (chunk = its whole length), nothing of
// which the merge knows by name. Tiles: c0 in pairs, delta whole: 3 tiles.
h5::file_desc generic_desc(bool deflate, std::size_t interval_chunk = 2) {
  h5::file_desc d;
  d.axes = {{"c0", {0.5, 1.0, 1.5, 2.0, 3.0}, "", ""},
            {"delta", {0.0, 0.25, 0.5, 0.75, 1.0}, "", ""},
            {"interval", {0.0, 1.0}, "Pareto interval index", ""}};
  d.vars = {{"u_g", h5::var_desc::dtype::f64, {0, 1}, "", ""},
            {"alpha1", h5::var_desc::dtype::f32, {0, 1}, "", ""},
            {"regime", h5::var_desc::dtype::u8_enum, {0, 1}, "", ""},
            {"nash_delta_star", h5::var_desc::dtype::f64, {0}, "", ""},
            {"pareto_lo", h5::var_desc::dtype::f64, {0, 2}, "", ""},
            {"pareto_hi", h5::var_desc::dtype::f32, {0, 2}, "", ""}};
  d.chunk = {2, 5, interval_chunk};
  d.deflate = deflate;
  d.tile_count = 3;
  d.attrs = {{"title", "generic merge test"}, {"source", "ftgames test"}, {"history", "test_shard_merge.cpp"},
             {"software", "ftgames"}, {"software_version", "test"}, {"sweep_name", "generic"},
             {"sweep_text", "generic"}, {"sweep_hash", "0123456789abcdef"}, {"command_line", "test"},
             {"tbb_version", "test"}, {"date_start", "2026-12-03T12:00:00Z"}};
  return d;
}

// Writes tile t (c0 rows [2t, 2t+2) clipped) of every variable with values derived from the cell.
void write_generic_tile(h5::h5_writer& w, std::uint64_t t) {
  const std::uint64_t lo = 2 * t, hi = std::min<std::uint64_t>(2 * t + 2, 5), rows = hi - lo;
  std::vector<double> f64(rows * 5), per_point(rows), lo_iv(rows * 2);
  std::vector<float> f32(rows * 5), hi_iv(rows * 2);
  std::vector<std::uint8_t> u8(rows * 5);
  for (std::uint64_t r = 0; r < rows; ++r) {
    for (std::uint64_t j = 0; j < 5; ++j) {
      const double x = static_cast<double>(lo + r) + 0.1 * static_cast<double>(j);
      f64[r * 5 + j] = j == 3 ? std::numeric_limits<double>::quiet_NaN() : x / 3.0;
      f32[r * 5 + j] = static_cast<float>(x / 7.0);
      u8[r * 5 + j] = static_cast<std::uint8_t>((lo + r + j) % 3);
    }
    per_point[r] = 1.0 / static_cast<double>(lo + r + 1);
    for (std::uint64_t k = 0; k < 2; ++k) {
      lo_iv[r * 2 + k] = static_cast<double>(lo + r) * 0.01 + static_cast<double>(k);
      hi_iv[r * 2 + k] = static_cast<float>(lo_iv[r * 2 + k] + 0.5);
    }
  }
  const std::vector<std::uint64_t> blo{lo, 0}, bhi{hi, 5}, plo{lo}, phi{hi}, ilo{lo, 0}, ihi{hi, 2};
  w.write_block(0, blo, bhi, std::span<const double>(f64));
  w.write_block(1, blo, bhi, std::span<const float>(f32));
  w.write_block(2, blo, bhi, std::span<const std::uint8_t>(u8));
  w.write_block(3, plo, phi, std::span<const double>(per_point));
  w.write_block(4, ilo, ihi, std::span<const double>(lo_iv));
  w.write_block(5, ilo, ihi, std::span<const float>(hi_iv));
  const std::vector<std::uint64_t> id{t};
  w.mark_tiles_done(id);
}

std::string write_generic(const fs::path& dir, const std::string& name, bool deflate, std::optional<shard_id> shard,
                          std::size_t interval_chunk = 2, bool compact = true) {
  h5::file_desc d = generic_desc(deflate, interval_chunk);
  std::uint64_t first = 0, last = 3;
  std::string path = (dir / (name + ".h5")).string();
  if (shard) {
    first = 3 / shard->count * shard->index + std::min<std::uint64_t>(shard->index, 3 % shard->count);
    last = first + 3 / shard->count + (shard->index < 3 % shard->count ? 1 : 0);
    path = shard_output_name(path, *shard);
    d.attrs.merge(std::map<std::string, std::string>{
        {"shard_index", std::to_string(shard->index)}, {"num_shards", std::to_string(shard->count)},
        {"shard_tile_first", std::to_string(first)}, {"shard_tile_last", std::to_string(last)},
        {"tile_count", "3"}, {"tile_axes", "c0 delta"}, {"tile_shape", "2 5"}});
    d.owned_first = first;
    d.owned_last = last;
    d.allocate_on_write = compact;
  }
  h5::h5_writer w = h5::h5_writer::create(path, d);
  for (std::uint64_t t = first; t < last; ++t) write_generic_tile(w, t);
  w.finish({{"date_end", "2026-12-03T12:00:01Z"}, {"cells_not_ok", "0"}});
  return path;
}

}  // namespace

TEST_CASE("merge is generic: any variables, dtypes and extra trailing dimensions") {
  const fs::path dir = scratch_dir("generic");
  for (const bool deflate : {false, true}) {
    CAPTURE(deflate);
    const fs::path sd = dir / (deflate ? "deflate" : "raw");
    fs::create_directories(sd);
    const std::string single = write_generic(sd, "single", deflate, std::nullopt);
    for (std::uint64_t i = 0; i < 2; ++i) write_generic(sd, "g", deflate, shard_id{i, 2});
    for (const bool virt : {false, true}) {
      merge_options o;
      o.output = (sd / (virt ? "gv.h5" : "g.h5")).string();
      o.inputs = {shard_output_name((sd / "g.h5").string(), {0, 2}), shard_output_name((sd / "g.h5").string(), {1, 2})};
      o.virtual_dataset = virt;
      const merge_summary s = merge_shards(o);
      CHECK(s.stats.datasets == 11);  // 3 axes, tile, tiles_done and 6 variables
      CHECK(h5::validate_file(o.output).empty());
      check_identical(single, o.output);
    }
  }
  // An extra dimension split into several chunks cannot be merged by tiles: refused, nothing written.
  // The writer cannot compact such a shard either (its tiles are not its chunks: refused, naming
  // the variable), so these shards keep the full-grid layout of the .partial file.
  const fs::path bad = dir / "split";
  fs::create_directories(bad);
  CHECK_THROWS_WITH_AS(write_generic(bad, "x", false, shard_id{0, 2}, 1),
                       doctest::Contains("compaction: 'pareto_lo' has 6 chunks for 3 tiles"), ftg::runtime_error);
  for (std::uint64_t i = 0; i < 2; ++i) write_generic(bad, "g", false, shard_id{i, 2}, 1, false);
  merge_options o;
  o.output = (bad / "g.h5").string();
  const std::string msg = merge_error(o);
  CHECK(msg.find("'pareto_lo' dimension 1 ('interval') is not a tile axis and is split into several chunks") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(o.output));
  CHECK_FALSE(fs::exists(o.output + ".partial"));
  fs::remove_all(dir);
}
