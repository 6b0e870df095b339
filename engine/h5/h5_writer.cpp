// engine/h5/h5_writer.cpp: the "ftg-results" 1.0.0 writer (output_schemas/ftg_results_v1.md).
#include "engine/h5/h5_writer.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <numeric>
#include <set>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_group.h>

#include "engine/error.hpp"
#include "engine/h5/h5_detail.hpp"
#include "output_schemas/ftg_results_v1.hpp"

namespace ftg::h5 {

namespace sv1 = ftg::schema::v1;

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw ftg::runtime_error("", path + ": " + why);
}

constexpr unsigned creation_order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

/// A fixed-length, NUL-terminated UTF-8 scalar string (netCDF NC_CHAR), replacing any old value.
/// Overwrites the value of an existing attribute of the same stored size in place (true), which
/// changes no structure: finish() writes date_end and cells_not_ok this way into attributes that
/// create() reserved, so a kill during finish's flush leaves each metadata block old or new.
bool overwrite_in_place(hid_t obj, const std::string& name, hid_t mem_type, std::size_t bytes,
                        const void* value, const std::string& path) {
  const std::string op = "attribute '" + name + "'";
  if (check(H5Aexists(obj, name.c_str()), path, "H5Aexists " + op) <= 0) return false;
  handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), path, "H5Aopen " + op), H5Aclose);
  handle type(check(H5Aget_type(attr.get()), path, "H5Aget_type " + op), H5Tclose);
  handle space(check(H5Aget_space(attr.get()), path, "H5Aget_space " + op), H5Sclose);
  const auto n = check(H5Sget_simple_extent_npoints(space.get()), path, "H5Sget_simple_extent_npoints " + op);
  if (H5Tget_class(type.get()) != H5Tget_class(mem_type) || n != 1 ||
      H5Tget_size(type.get()) * static_cast<std::size_t>(n) != bytes)
    return false;
  check(H5Awrite(attr.get(), H5Tget_class(mem_type) == H5T_STRING ? type.get() : mem_type, value), path,
        "H5Awrite " + op);
  attr.close(path, "H5Aclose " + op);
  return true;
}

void write_text(hid_t obj, const std::string& name, const std::string& value,
                const std::string& path) {
  const std::string op = "attribute '" + name + "'";
  if (!value.empty() && overwrite_in_place(obj, name, H5T_C_S1, value.size(), value.data(), path)) return;
  if (check(H5Aexists(obj, name.c_str()), path, "H5Aexists " + op) > 0) {
    check(H5Adelete(obj, name.c_str()), path, "H5Adelete " + op);
  }
  handle type(check(H5Tcopy(H5T_C_S1), path, "H5Tcopy " + op), H5Tclose);
  check(H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1)), path, "H5Tset_size " + op);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), path, "H5Tset_strpad " + op);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "H5Tset_cset " + op);
  handle space(check(H5Screate(H5S_SCALAR), path, "H5Screate " + op), H5Sclose);
  handle attr(check(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                    path, "H5Acreate2 " + op),
              H5Aclose);
  std::string buffer = value;
  buffer.resize(std::max<std::size_t>(value.size(), 1), '\0');
  check(H5Awrite(attr.get(), type.get(), buffer.data()), path, "H5Awrite " + op);
  attr.close(path, "H5Aclose " + op);
}

/// A 1-element or n-element numeric attribute (netCDF numeric attributes are 1-D arrays).
void write_numeric(hid_t obj, const std::string& name, hid_t file_type, hid_t mem_type,
                   const void* values, hsize_t n, const std::string& path) {
  const std::string op = "attribute '" + name + "'";
  if (check(H5Aexists(obj, name.c_str()), path, "H5Aexists " + op) > 0) {
    check(H5Adelete(obj, name.c_str()), path, "H5Adelete " + op);
  }
  handle space(check(H5Screate_simple(1, &n, nullptr), path, "H5Screate_simple " + op), H5Sclose);
  handle attr(check(H5Acreate2(obj, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                    path, "H5Acreate2 " + op),
              H5Aclose);
  check(H5Awrite(attr.get(), mem_type, values), path, "H5Awrite " + op);
  attr.close(path, "H5Aclose " + op);
}

void write_root_attribute(hid_t file, const std::string& name, const std::string& value,
                          const std::string& path) {
  const auto* info = sv1::find_root_attribute(name);
  if (info != nullptr && info->type == sv1::attr_type::uint64) {
    std::uint64_t n = 0;
    const auto* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, n);
    if (value.empty() || ec != std::errc() || ptr != end) {
      refuse(path, "root attribute '" + name + "' must be an unsigned integer, got '" + value + "'");
    }
    if (!overwrite_in_place(file, name, H5T_NATIVE_UINT64, sizeof n, &n, path))
      write_numeric(file, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &n, 1, path);
  } else {
    write_text(file, name, value, path);
  }
}

void write_flags(hid_t obj, const sv1::category& cat, const std::string& path) {
  std::vector<std::uint8_t> values(cat.count);
  std::iota(values.begin(), values.end(), std::uint8_t{0});
  write_numeric(obj, "flag_values", H5T_STD_U8LE, H5T_NATIVE_UINT8, values.data(), values.size(),
                path);
  write_text(obj, "flag_meanings", std::string(cat.flag_meanings), path);
}

hid_t file_type_of(var_desc::dtype t) {
  switch (t) {
    case var_desc::dtype::f64: return H5T_IEEE_F64LE;
    case var_desc::dtype::f32: return H5T_IEEE_F32LE;
    case var_desc::dtype::u8_enum: return H5T_STD_U8LE;
  }
  return H5T_STD_U8LE;
}

hid_t mem_type_of(var_desc::dtype t) {
  switch (t) {
    case var_desc::dtype::f64: return H5T_NATIVE_DOUBLE;
    case var_desc::dtype::f32: return H5T_NATIVE_FLOAT;
    case var_desc::dtype::u8_enum: return H5T_NATIVE_UINT8;
  }
  return H5T_NATIVE_UINT8;
}

std::string_view dtype_name(var_desc::dtype t) {
  switch (t) {
    case var_desc::dtype::f64: return "f64";
    case var_desc::dtype::f32: return "f32";
    case var_desc::dtype::u8_enum: return "u8_enum";
  }
  return "?";
}

/// The schema entry of a variable, with the caller's long_name if given; checks class and units.
sv1::variable_info resolve(const var_desc& v, const std::string& path) {
  auto info = sv1::find_variable(v.name);
  if (!info) {
    refuse(path, "variable '" + v.name + "' is not in schema ftg-results " +
                     std::string(sv1::version) + " (output_schemas/ftg_results_v1.md)");
  }
  const bool categorical = info->cls == sv1::value_class::categorical;
  if (categorical != (v.type == var_desc::dtype::u8_enum)) {
    refuse(path, "variable '" + v.name + "' is " + (categorical ? "categorical" : "real") +
                     " in the schema but was given dtype " + std::string(dtype_name(v.type)));
  }
  if (!v.units.empty() && v.units != info->units) {
    refuse(path, "variable '" + v.name + "' has units '" + info->units +
                     "' in the schema, not '" + v.units + "'");
  }
  if (!v.long_name.empty()) info->long_name = v.long_name;
  return *info;
}

std::string axis_long_name(const axis_desc& a) {
  if (!a.long_name.empty()) return a.long_name;
  if (const auto* known = sv1::find_axis(a.name)) return std::string(known->long_name);
  return a.name;
}

std::string axis_units(const axis_desc& a) {
  return a.units.empty() ? std::string(sv1::axis_units) : a.units;
}

std::vector<hsize_t> var_shape(const file_desc& d, const var_desc& v) {
  std::vector<hsize_t> shape;
  for (const int i : v.dims) shape.push_back(d.axes[static_cast<std::size_t>(i)].values.size());
  return shape;
}

std::vector<hsize_t> var_chunk(const file_desc& d, const var_desc& v) {
  std::vector<hsize_t> chunk;
  for (const int i : v.dims) {
    const auto a = static_cast<std::size_t>(i);
    chunk.push_back(std::clamp<hsize_t>(d.chunk[a], 1, d.axes[a].values.size()));
  }
  return chunk;
}

bool is_writer_owned(const std::string& name) {
  const auto* info = sv1::find_root_attribute(name);
  return info != nullptr && info->source == sv1::attr_source::writer;
}

/// Structural checks that do not need the file.
void check_desc(const file_desc& d, const std::string& path) {
  if (d.axes.empty()) refuse(path, "a results file needs at least one axis");
  if (d.chunk.size() != d.axes.size()) {
    refuse(path, "chunk has " + std::to_string(d.chunk.size()) + " entries for " +
                     std::to_string(d.axes.size()) + " axes");
  }
  std::set<std::string> names{std::string(sv1::tile_axis), std::string(sv1::tiles_done)};
  for (const auto& a : d.axes) {
    if (a.name.empty() || a.values.empty()) refuse(path, "axis '" + a.name + "' has no name or no values");
    if (!names.insert(a.name).second) refuse(path, "name '" + a.name + "' is used twice or reserved");
  }
  for (const auto& v : d.vars) {
    if (!names.insert(v.name).second) refuse(path, "name '" + v.name + "' is used twice or reserved");
    static_cast<void>(resolve(v, path));
    if (v.dims.empty()) refuse(path, "variable '" + v.name + "' has no dimensions");
    std::set<int> seen;
    for (const int i : v.dims) {
      if (i < 0 || static_cast<std::size_t>(i) >= d.axes.size() || !seen.insert(i).second) {
        refuse(path, "variable '" + v.name + "' has a bad or repeated axis index " + std::to_string(i));
      }
    }
  }
  for (const auto& [name, value] : d.attrs) {
    if (is_writer_owned(name)) refuse(path, "root attribute '" + name + "' is written by the writer");
  }
  for (const auto& a : sv1::root_attributes) {
    if (a.source == sv1::attr_source::create && d.attrs.find(std::string(a.name)) == d.attrs.end()) {
      refuse(path, "root attribute '" + std::string(a.name) + "' is required (schema ftg-results " +
                       std::string(sv1::version) + ")");
    }
  }
}

handle dataset_plist(const std::string& path) {
  handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), path, "H5Pcreate(dataset create)"), H5Pclose);
  check(H5Pset_attr_creation_order(dcpl.get(), creation_order), path, "H5Pset_attr_creation_order");
  return dcpl;
}

handle create_dataset(hid_t file, const std::string& name, hid_t type, std::span<const hsize_t> dims,
                      hid_t dcpl, const std::string& path, hid_t dapl = H5P_DEFAULT) {
  handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), path,
                     "H5Screate_simple '" + name + "'"),
               H5Sclose);
  return handle(check(H5Dcreate2(file, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl, dapl),
                      path, "H5Dcreate2 '" + name + "'"),
                H5Dclose);
}

/// Access properties of a data variable. Uncompressed: no raw-data chunk cache. A tile is one
/// whole chunk, written once and never read back, so caching it only costs a malloc, a memcpy and
/// a free per chunk (HDF5 1.10 caches any chunk smaller than the cache, 1 MiB by default); with a
/// zero-byte cache H5Dwrite goes straight from the caller's buffer to the file. Compressed
/// variables keep the default cache (a partial write must read, filter and rewrite the chunk).
handle data_access_plist(bool deflate, const std::string& path) {
  handle dapl(check(H5Pcreate(H5P_DATASET_ACCESS), path, "H5Pcreate(dataset access)"), H5Pclose);
  if (!deflate) {
    check(H5Pset_chunk_cache(dapl.get(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), path, "H5Pset_chunk_cache");
  }
  return dapl;
}

/// Whether whole chunks of a variable can be stored with H5Dwrite_chunk from the caller's buffer:
/// no filters, and the memory type is the file type bit for bit (little-endian IEEE on x86-64 and
/// aarch64), so HDF5 would neither convert nor reorder anything.
bool direct_chunks(const var_desc& v, bool deflate) {
  return !deflate && H5Tequal(mem_type_of(v.type), file_type_of(v.type)) > 0;
}

/// Asks the kernel to start writing the file's dirty pages now, without waiting for them
/// (sync_file_range SYNC_FILE_RANGE_WRITE on the sec2 driver's descriptor). Otherwise Linux starts
/// writeback only when dirty pages reach vm.dirty_background_ratio (gigabytes on a large machine)
/// or after 30 s, so most of a sweep's data would reach the disk only in finish()'s fsync, after
/// the computation instead of during it. A hint: failures are ignored, and durability still comes
/// from finish()'s fsync (a SIGKILL never loses what is in the page cache).
void start_writeback(hid_t file) {
  void* handle_ptr = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle_ptr) < 0 || handle_ptr == nullptr) return;
  const int fd = *static_cast<const int*>(handle_ptr);
  if (fd >= 0) static_cast<void>(::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
}

/// zlib's compress2, resolved in the running process: libhdf5 already loads libz for its deflate
/// filter, and engine/CMakeLists.txt does not link ZLIB::ZLIB, so a direct call would not link.
using compress2_fn = int (*)(Bytef*, uLongf*, const Bytef*, uLong, int);
compress2_fn zlib_compress2() {
  static const auto fn = reinterpret_cast<compress2_fn>(::dlsym(RTLD_DEFAULT, "compress2"));
  if (fn == nullptr) {
    throw ftg::runtime_error("", "encode_chunk: zlib's compress2 is not loaded in this process");
  }
  return fn;
}

std::vector<std::uint8_t> encode(const void* data, std::size_t count, std::size_t size, bool deflate) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::vector<std::uint8_t> raw(count * size);
  // HDF5's shuffle filter: byte j of element i goes to j * count + i.
  if (deflate && size > 1) {
    for (std::size_t i = 0; i < count; ++i) {
      for (std::size_t j = 0; j < size; ++j) raw[j * count + i] = bytes[i * size + j];
    }
  } else if (!raw.empty()) {
    std::memcpy(raw.data(), bytes, raw.size());
  }
  if (!deflate) return raw;
  // zlib's compressBound(), written out: compress2 never needs more.
  uLongf length = raw.size() + (raw.size() >> 12) + (raw.size() >> 14) + (raw.size() >> 25) + 13;
  std::vector<std::uint8_t> out(length);
  const int rc = zlib_compress2()(out.data(), &length, raw.data(), raw.size(), 4);
  if (rc != Z_OK) {
    throw ftg::runtime_error("", "encode_chunk: zlib compress2 failed with code " + std::to_string(rc));
  }
  out.resize(length);
  return out;
}

/// At its first flush after the file is created HDF5 gives back the unused end of its two
/// allocation blocks (meta and small data, 2048 bytes each by default): it shrinks the file with
/// ftruncate, then writes the superblock with the new end of allocation (EOA). A SIGKILL between
/// the two leaves a file up to 4096 bytes shorter than its superblock says, which H5Fopen refuses
/// as truncated; those bytes held nothing, so the file is extended back with zeros
/// (tests/crash/crash_resume.sh found this at one write of a whole run). A longer deficit is not
/// what a kill leaves (a truncated copy, say) and is refused.
void restore_released_tail(const std::string& path) {
  handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), path, "H5Pcreate(file access)"), H5Pclose);
  constexpr const char* skip = "skip_eof_check";  // HDF5's own property for h5clear (1.10.1+)
  if (H5Pexist(fapl.get(), skip) <= 0) return;
  hbool_t yes = true;
  if (H5Pset(fapl.get(), skip, &yes) < 0) return;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (f < 0) return;  // not HDF5 at all: the open in resume() says so
  haddr_t eoa = 0;
  const herr_t got = H5Fget_eoa(f, &eoa);
  H5Fclose(f);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (got < 0 || ec || size >= eoa) return;
  constexpr std::uint64_t released_at_most = 2 * 2048;
  if (eoa - size > released_at_most) {
    refuse(path, "cannot resume: the file is " + std::to_string(eoa - size) +
                     " bytes shorter than its superblock says (a kill leaves at most " +
                     std::to_string(released_at_most) + "): truncated? run again with --force");
  }
  if (::truncate(path.c_str(), static_cast<off_t>(eoa)) != 0)
    refuse(path, std::string("cannot resume: extending the file to its end of allocation failed: ") + std::strerror(errno));
}

}  // namespace

std::uint64_t tile_count_of(const file_desc& desc) {
  if (desc.tile_count != 0) return desc.tile_count;
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < desc.axes.size() && i < desc.chunk.size(); ++i) {
    const std::uint64_t len = desc.axes[i].values.size();
    const std::uint64_t c = std::clamp<std::uint64_t>(desc.chunk[i], 1, std::max<std::uint64_t>(len, 1));
    n *= (len + c - 1) / c;
  }
  return n;
}

h5_writer h5_writer::start(const std::string& final_path, const file_desc& desc) {
  silence_error_printing();
  h5_writer w;
  w.final_ = final_path;
  w.partial_ = final_path + std::string(sv1::partial_suffix);
  w.desc_ = desc;
  return w;
}

handle h5_writer::new_file(const std::string& path, bool hold_metadata) {
  handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), path, "H5Pcreate(file create)"), H5Pclose);
  // netCDF-C needs both to list in creation order and to open the file for appending.
  check(H5Pset_link_creation_order(fcpl.get(), creation_order), path, "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(fcpl.get(), creation_order), path, "H5Pset_attr_creation_order");
  handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), path, "H5Pcreate(file access)"), H5Pclose);
  // 1.8 file format: readable by older tools, and no superblock "file open" flag that would
  // stop resume() from reopening the file after a SIGKILL.
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), path,
        "H5Pset_libver_bounds");
  if (hold_metadata) detail::hold_metadata_until_flush(fapl.get(), path);
  return handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), path, "H5Fcreate"),
                H5Fclose);
}

void h5_writer::build_layout(h5_writer& w, hid_t file, const file_desc& desc, const std::string& path,
                             bool compacted) {
  const std::uint64_t tiles = tile_count_of(desc);
  // Axes: coordinate variables, each a dimension scale named like its dataset.
  std::vector<handle> axes;
  for (const auto& a : desc.axes) {
    const hsize_t n = a.values.size();
    handle dcpl = dataset_plist(path);
    handle ds = create_dataset(file, a.name, H5T_IEEE_F64LE, std::span(&n, 1), dcpl.get(), path);
    check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()),
          path, "H5Dwrite '" + a.name + "'");
    check(H5DSset_scale(ds.get(), a.name.c_str()), path, "H5DSset_scale '" + a.name + "'");
    write_text(ds.get(), "long_name", axis_long_name(a), path);
    write_text(ds.get(), "units", axis_units(a), path);
    axes.push_back(std::move(ds));
  }

  // The tile record: a `tile` scale and `tiles_done` over it (0 pending, 1 done).
  {
    const std::string tile_name(sv1::tile_axis);
    const std::string done_name(sv1::tiles_done);
    const hsize_t n = tiles;
    std::vector<std::uint64_t> ids(tiles);
    std::iota(ids.begin(), ids.end(), std::uint64_t{0});
    handle dcpl = dataset_plist(path);
    handle tile = create_dataset(file, tile_name, H5T_STD_U64LE, std::span(&n, 1), dcpl.get(), path);
    check(H5Dwrite(tile.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids.data()), path,
          "H5Dwrite '" + tile_name + "'");
    check(H5DSset_scale(tile.get(), tile_name.c_str()), path, "H5DSset_scale '" + tile_name + "'");
    write_text(tile.get(), "long_name", "tile index in the run's plan", path);
    write_text(tile.get(), "units", "1", path);
    w.tiles_.assign(tiles, 0);
    w.tiles_ds_ = create_dataset(file, done_name, H5T_STD_U8LE, std::span(&n, 1), dcpl.get(), path);
    check(H5Dwrite(w.tiles_ds_.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   w.tiles_.data()),
          path, "H5Dwrite '" + done_name + "'");
    write_text(w.tiles_ds_.get(), "long_name", "tile is complete", path);
    write_flags(w.tiles_ds_.get(), sv1::tile_state_category, path);
    check(H5DSattach_scale(w.tiles_ds_.get(), tile.get(), 0), path,
          "H5DSattach_scale '" + tile_name + "' to '" + done_name + "'");
  }

  // Data variables: chunked, NaN (or 255) fill, attached to every axis.
  for (const auto& v : desc.vars) {
    const auto info = resolve(v, path);
    const auto shape = var_shape(desc, v);
    const auto chunk = var_chunk(desc, v);
    handle dcpl = dataset_plist(path);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), path,
          "H5Pset_chunk '" + v.name + "'");
    if (compacted && desc.deflate) {
      check(H5Pset_shuffle(dcpl.get()), path, "H5Pset_shuffle '" + v.name + "'");
      check(H5Pset_deflate(dcpl.get(), 4), path, "H5Pset_deflate '" + v.name + "'");
    } else if (!compacted) {
      // The .partial file (crash safety): every chunk is allocated now, so writing a tile later
      // changes no metadata (no chunk index, no end of file) and a SIGKILL at any moment, even
      // inside H5Fflush, leaves the flushed structure intact (tests/crash/crash_resume.sh kills a
      // run at every one of its writes). The cells are not pre-filled (fill time never): a
      // complete file has every cell written before it is renamed, and in a .partial file only the
      // tiles recorded as done count. Chunks never written (another shard's) stay holes.
      check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), path, "H5Pset_alloc_time '" + v.name + "'");
      check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), path, "H5Pset_fill_time '" + v.name + "'");
    }
    const double nan64 = std::numeric_limits<double>::quiet_NaN();
    const float nan32 = std::numeric_limits<float>::quiet_NaN();
    const std::uint8_t fill8 = sv1::category_fill;
    const void* fill = v.type == var_desc::dtype::f64   ? static_cast<const void*>(&nan64)
                       : v.type == var_desc::dtype::f32 ? static_cast<const void*>(&nan32)
                                                        : static_cast<const void*>(&fill8);
    check(H5Pset_fill_value(dcpl.get(), mem_type_of(v.type), fill), path,
          "H5Pset_fill_value '" + v.name + "'");
    handle dapl = data_access_plist(compacted && desc.deflate, path);
    handle ds = create_dataset(file, v.name, file_type_of(v.type), shape, dcpl.get(), path, dapl.get());
    write_text(ds.get(), "long_name", info.long_name, path);
    if (info.cls == sv1::value_class::real) write_text(ds.get(), "units", info.units, path);
    write_numeric(ds.get(), "_FillValue", file_type_of(v.type), mem_type_of(v.type), fill, 1, path);
    if (info.cls == sv1::value_class::categorical) write_flags(ds.get(), *info.cat, path);
    for (std::size_t d = 0; d < v.dims.size(); ++d) {
      const auto& axis = axes[static_cast<std::size_t>(v.dims[d])];
      check(H5DSattach_scale(ds.get(), axis.get(), static_cast<unsigned>(d)), path,
            "H5DSattach_scale '" + desc.axes[static_cast<std::size_t>(v.dims[d])].name + "' to '" +
                v.name + "'");
    }
    w.vars_.push_back(std::move(ds));
    w.shapes_.emplace_back(shape.begin(), shape.end());
    w.direct_.push_back(direct_chunks(v, compacted && desc.deflate));
  }
}

h5_writer h5_writer::create(const std::string& final_path, const file_desc& desc) {
  h5_writer w = start(final_path, desc);
  // The file is built under a temporary name and renamed to FINAL.partial only once its structure
  // is flushed: a run killed during creation leaves no .partial that --resume could trip on.
  const std::string path = w.partial_ + ".creating";
  check_desc(desc, path);
  w.file_ = new_file(path, true);
  const hid_t file = w.file_.get();

  write_text(file, "Conventions", std::string(sv1::conventions), path);
  write_text(file, "schema", std::string(sv1::name), path);
  write_text(file, "schema_version", std::string(sv1::version), path);
  unsigned major = 0, minor = 0, release = 0;
  check(H5get_libversion(&major, &minor, &release), path, "H5get_libversion");
  write_text(file, "hdf5_version",
             std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release),
             path);
  // Schema attributes first, in the schema's order, then the caller's extra ones.
  for (const auto& a : sv1::root_attributes) {
    const auto it = desc.attrs.find(std::string(a.name));
    if (a.source != sv1::attr_source::writer && it != desc.attrs.end()) {
      write_root_attribute(file, it->first, it->second, path);
    }
  }
  for (const auto& [name, value] : desc.attrs) {
    if (sv1::find_root_attribute(name) == nullptr) write_root_attribute(file, name, value, path);
  }
  // The finish attributes exist from the start with values of their final size (an ISO 8601 UTC
  // time has 20 characters, cells_not_ok is one uint64), so that finish() only overwrites them in
  // place: no attribute is deleted or created, no header grows, during the run's last flush.
  write_root_attribute(file, "date_end", std::string(sv1::date_end_pending), path);
  write_root_attribute(file, "cells_not_ok", "0", path);

  build_layout(w, file, desc, path, false);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "H5Fflush");
  if (std::rename(path.c_str(), w.partial_.c_str()) != 0)
    refuse(path, "rename to '" + w.partial_ + "' failed: " + std::strerror(errno));
  return w;
}

h5_writer h5_writer::resume(const std::string& final_path, const file_desc& desc) {
  h5_writer w = start(final_path, desc);
  const std::string& path = w.partial_;
  check_desc(desc, path);
  if (!std::filesystem::exists(path)) refuse(path, "cannot resume: the file does not exist");
  restore_released_tail(path);
  w.file_ = detail::open_file(path, true);
  const hid_t file = w.file_.get();
  const auto differs = [&](const std::string& what) {
    refuse(path, "cannot resume: " + what + " differs from this run's sweep");
  };

  if (detail::read_text_attribute(file, "schema", path) != std::string(sv1::name) ||
      detail::read_text_attribute(file, "schema_version", path) != std::string(sv1::version)) {
    refuse(path, "cannot resume: not an ftg-results " + std::string(sv1::version) + " file");
  }
  for (const auto name : sv1::resume_identity_attributes) {
    const auto it = desc.attrs.find(std::string(name));
    if (it != desc.attrs.end() &&
        detail::read_text_attribute(file, it->first, path) != it->second) {
      differs("root attribute '" + it->first + "'");
    }
  }
  // A shard resumes only as the same shard (docs/cluster.md).
  for (const char* name : {"shard_index", "num_shards", "shard_tile_first", "shard_tile_last"}) {
    const auto it = desc.attrs.find(name);
    const auto have = detail::read_text_attribute(file, name, path);
    if ((it == desc.attrs.end()) != !have.has_value() || (have && *have != it->second)) {
      differs(std::string("root attribute '") + name + "'");
    }
  }
  for (const auto& a : desc.axes) {
    if (!detail::has_link(file, a.name, path)) differs("axis '" + a.name + "' (missing)");
    handle ds = detail::open_dataset(file, a.name, path);
    const auto values = detail::read_f64_dataset(ds.get(), path);
    if (values.size() != a.values.size() ||
        std::memcmp(values.data(), a.values.data(), values.size() * sizeof(double)) != 0) {
      differs("axis '" + a.name + "'");
    }
  }
  const std::string done_name(sv1::tiles_done);
  if (!detail::has_link(file, done_name, path)) differs("the tile record (missing)");
  w.tiles_ds_ = detail::open_dataset(file, done_name, path);
  w.tiles_ = detail::read_u8_dataset(w.tiles_ds_.get(), path);
  if (w.tiles_.size() != tile_count_of(desc)) differs("the tile count");

  for (const auto& v : desc.vars) {
    const auto info = resolve(v, path);
    if (!detail::has_link(file, v.name, path)) differs("variable '" + v.name + "' (missing)");
    handle ds = detail::open_dataset(file, v.name, path);
    const auto type = detail::dataset_type(ds.get(), path);
    const auto expected = v.type == var_desc::dtype::f64   ? detail::type_class::f64
                          : v.type == var_desc::dtype::f32 ? detail::type_class::f32
                                                           : detail::type_class::u8;
    if (type != expected) differs("the dtype of '" + v.name + "'");
    const auto shape = var_shape(desc, v);
    const auto chunk = var_chunk(desc, v);
    if (detail::dataset_shape(ds.get(), path) != std::vector<std::uint64_t>(shape.begin(), shape.end())) {
      differs("the shape of '" + v.name + "'");
    }
    if (detail::dataset_chunk(ds.get(), path) != std::vector<std::uint64_t>(chunk.begin(), chunk.end())) {
      differs("the chunk shape of '" + v.name + "'");
    }
    // The .partial file is never filtered (compression happens in finish(): compact_into_final).
    if (detail::dataset_shuffle_deflate(ds.get(), path)) differs("the storage of '" + v.name + "' (filtered)");
    if (info.cls == sv1::value_class::real &&
        detail::read_text_attribute(ds.get(), "units", path) != info.units) {
      differs("the units of '" + v.name + "'");
    }
    ds.close(path, "H5Dclose '" + v.name + "'");
    handle dapl = data_access_plist(false, path);
    ds = handle(check(H5Dopen2(file, v.name.c_str(), dapl.get()), path, "H5Dopen2 '" + v.name + "'"), H5Dclose);
    w.vars_.push_back(std::move(ds));
    w.shapes_.emplace_back(shape.begin(), shape.end());
    w.direct_.push_back(direct_chunks(v, false));
  }
  return w;
}

h5_writer::~h5_writer() {
  // Not finished: close what is open (errors ignored) and leave FINAL.partial for resume().
  vars_.clear();
  tiles_ds_.reset();
  file_.reset();
}

void h5_writer::write_any(std::size_t var, std::span<const std::uint64_t> lo,
                          std::span<const std::uint64_t> hi, const void* data, std::size_t size,
                          var_desc::dtype type) {
  const std::string& path = partial_;
  if (!file_.valid()) refuse(path, "write_block after finish()");
  if (var >= vars_.size()) refuse(path, "write_block: no variable #" + std::to_string(var));
  const auto& v = desc_.vars[var];
  if (v.type != type) {
    refuse(path, "write_block '" + v.name + "': data are " + std::string(dtype_name(type)) +
                     ", the variable is " + std::string(dtype_name(v.type)));
  }
  const auto& shape = shapes_[var];
  if (lo.size() != shape.size() || hi.size() != shape.size()) {
    refuse(path, "write_block '" + v.name + "': box rank differs from the variable's rank " +
                     std::to_string(shape.size()));
  }
  std::vector<hsize_t> start(shape.size()), count(shape.size());
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (lo[i] >= hi[i] || hi[i] > shape[i]) {
      refuse(path, "write_block '" + v.name + "': box [" + std::to_string(lo[i]) + ", " +
                       std::to_string(hi[i]) + ") is empty or outside dimension " +
                       std::to_string(i) + " of length " + std::to_string(shape[i]));
    }
    start[i] = lo[i];
    count[i] = hi[i] - lo[i];
    n *= count[i];
  }
  if (n != size) {
    refuse(path, "write_block '" + v.name + "': " + std::to_string(size) +
                     " values for a box of " + std::to_string(n));
  }
  const std::string op = "'" + v.name + "'";
  // A tile is usually exactly one whole chunk: store it as the chunk's bytes (H5Dwrite_chunk), one
  // pwrite from the caller's buffer with no selection, conversion or chunk-cache work. With early
  // allocation this writes no metadata either (the chunk's address is already in the index).
  if (direct_[var]) {
    const auto chunk = var_chunk(desc_, v);
    bool whole = true;
    for (std::size_t i = 0; i < shape.size() && whole; ++i) whole = start[i] % chunk[i] == 0 && count[i] == chunk[i];
    if (whole) {
      const std::size_t bytes = size * (type == var_desc::dtype::f64 ? 8 : type == var_desc::dtype::f32 ? 4 : 1);
      check(H5Dwrite_chunk(vars_[var].get(), H5P_DEFAULT, 0, start.data(), bytes, data), path, "H5Dwrite_chunk " + op);
      return;
    }
  }
  handle mem(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), path,
                   "H5Screate_simple " + op),
             H5Sclose);
  handle space(check(H5Dget_space(vars_[var].get()), path, "H5Dget_space " + op), H5Sclose);
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        path, "H5Sselect_hyperslab " + op);
  check(H5Dwrite(vars_[var].get(), mem_type_of(type), mem.get(), space.get(), H5P_DEFAULT, data),
        path, "H5Dwrite " + op);
}

void h5_writer::write_block(std::size_t var, std::span<const std::uint64_t> lo,
                            std::span<const std::uint64_t> hi, std::span<const double> data) {
  write_any(var, lo, hi, data.data(), data.size(), var_desc::dtype::f64);
}
void h5_writer::write_block(std::size_t var, std::span<const std::uint64_t> lo,
                            std::span<const std::uint64_t> hi, std::span<const float> data) {
  write_any(var, lo, hi, data.data(), data.size(), var_desc::dtype::f32);
}
void h5_writer::write_block(std::size_t var, std::span<const std::uint64_t> lo,
                            std::span<const std::uint64_t> hi, std::span<const std::uint8_t> data) {
  write_any(var, lo, hi, data.data(), data.size(), var_desc::dtype::u8_enum);
}

std::vector<std::uint8_t> h5_writer::encode_chunk(std::span<const double> chunk, bool deflate) {
  return encode(chunk.data(), chunk.size(), sizeof(double), deflate);
}
std::vector<std::uint8_t> h5_writer::encode_chunk(std::span<const float> chunk, bool deflate) {
  return encode(chunk.data(), chunk.size(), sizeof(float), deflate);
}
std::vector<std::uint8_t> h5_writer::encode_chunk(std::span<const std::uint8_t> chunk, bool deflate) {
  return encode(chunk.data(), chunk.size(), 1, deflate);
}

std::vector<std::uint64_t> h5_writer::chunk_shape(std::size_t var) const {
  if (var >= desc_.vars.size()) refuse(partial_, "chunk_shape: no variable #" + std::to_string(var));
  const auto chunk = var_chunk(desc_, desc_.vars[var]);
  return {chunk.begin(), chunk.end()};
}

void h5_writer::mark_tiles_done(std::span<const std::uint64_t> tile_ids) {
  const std::string& path = partial_;
  if (!file_.valid()) refuse(path, "mark_tiles_done after finish()");
  if (tile_ids.empty()) return;
  // The tiles' data first: only once it is on disk may the record say so. A SIGKILL during this
  // flush leaves the old record, and those tiles are computed again on resume.
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), path, "H5Fflush (tile data)");
  std::uint64_t first = tile_ids[0], last = tile_ids[0];
  for (const auto id : tile_ids) {
    if (id >= tiles_.size()) {
      refuse(path, "mark_tiles_done: tile " + std::to_string(id) + " of " +
                       std::to_string(tiles_.size()));
    }
    tiles_[id] = 1;
    first = std::min(first, id);
    last = std::max(last, id);
  }
  // One hyperslab from the first to the last id: batches are usually contiguous runs of tiles.
  const hsize_t start = first, count = last - first + 1;
  handle mem(check(H5Screate_simple(1, &count, nullptr), path, "H5Screate_simple 'tiles_done'"),
             H5Sclose);
  handle space(check(H5Dget_space(tiles_ds_.get()), path, "H5Dget_space 'tiles_done'"), H5Sclose);
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), path,
        "H5Sselect_hyperslab 'tiles_done'");
  check(H5Dwrite(tiles_ds_.get(), H5T_NATIVE_UINT8, mem.get(), space.get(), H5P_DEFAULT,
                 tiles_.data() + first),
        path, "H5Dwrite 'tiles_done'");
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), path, "H5Fflush (tile record)");
  start_writeback(file_.get());
}

std::vector<std::uint8_t> h5_writer::read_u8_block(std::size_t var, std::span<const std::uint64_t> lo,
                                                   std::span<const std::uint64_t> hi) const {
  const std::string& path = partial_;
  if (!file_.valid()) refuse(path, "read_u8_block after finish()");
  if (var >= vars_.size() || desc_.vars[var].type != var_desc::dtype::u8_enum)
    refuse(path, "read_u8_block: variable #" + std::to_string(var) + " is not categorical");
  const auto& shape = shapes_[var];
  if (lo.size() != shape.size() || hi.size() != shape.size()) refuse(path, "read_u8_block: box rank");
  std::vector<hsize_t> start(shape.size()), count(shape.size());
  std::size_t n = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (lo[i] >= hi[i] || hi[i] > shape[i]) refuse(path, "read_u8_block: box outside the variable");
    start[i] = lo[i];
    count[i] = hi[i] - lo[i];
    n *= static_cast<std::size_t>(count[i]);
  }
  const std::string op = "'" + desc_.vars[var].name + "'";
  std::vector<std::uint8_t> out(n);
  handle mem(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), path,
                   "H5Screate_simple " + op),
             H5Sclose);
  handle space(check(H5Dget_space(vars_[var].get()), path, "H5Dget_space " + op), H5Sclose);
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        path, "H5Sselect_hyperslab " + op);
  check(H5Dread(vars_[var].get(), H5T_NATIVE_UINT8, mem.get(), space.get(), H5P_DEFAULT, out.data()), path,
        "H5Dread " + op);
  return out;
}

std::vector<bool> h5_writer::tiles_done() const {
  std::vector<bool> out(tiles_.size());
  for (std::size_t i = 0; i < tiles_.size(); ++i) out[i] = tiles_[i] != 0;
  return out;
}

void h5_writer::finish(const std::map<std::string, std::string>& final_attrs) {
  const std::string& path = partial_;
  if (!file_.valid()) refuse(path, "finish() called twice");
  const std::size_t first = static_cast<std::size_t>(std::min<std::uint64_t>(desc_.owned_first, tiles_.size()));
  const std::size_t last = static_cast<std::size_t>(std::min<std::uint64_t>(desc_.owned_last, tiles_.size()));
  const auto owned_begin = tiles_.begin() + static_cast<std::ptrdiff_t>(first);
  const auto owned_end = tiles_.begin() + static_cast<std::ptrdiff_t>(std::max(first, last));
  const auto pending = static_cast<std::size_t>(std::count(owned_begin, owned_end, 0));
  if (pending != 0) {
    refuse(path, "finish: " + std::to_string(pending) + " of " +
                     std::to_string(owned_end - owned_begin) + " tiles are not done");
  }
  for (const auto& a : sv1::root_attributes) {
    if (a.source == sv1::attr_source::finish && final_attrs.find(std::string(a.name)) == final_attrs.end()) {
      refuse(path, "finish: root attribute '" + std::string(a.name) + "' is required");
    }
  }
  for (const auto& [name, value] : final_attrs) {
    if (is_writer_owned(name)) refuse(path, "root attribute '" + name + "' is written by the writer");
    write_root_attribute(file_.get(), name, value, path);
  }
  if (compacts()) return compact_into_final();
  for (auto& v : vars_) v.close(path, "H5Dclose");
  vars_.clear();
  direct_.clear();
  tiles_ds_.close(path, "H5Dclose 'tiles_done'");
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), path, "H5Fflush");
  file_.close(path, "H5Fclose");
  detail::publish(path, final_);
}

bool h5_writer::compacts() const noexcept { return desc_.deflate || desc_.allocate_on_write; }

namespace {

/// Every root attribute of `src`, in creation order, into `dst` with the same type, shape and
/// bytes: the compacted file keeps the first run's provenance and the final attributes.
void copy_root_attributes(hid_t src, hid_t dst, const std::string& src_path, const std::string& dst_path) {
  std::vector<std::string> names;
  const auto collect = [](hid_t, const char* name, const H5A_info_t*, void* op) -> herr_t {
    static_cast<std::vector<std::string>*>(op)->emplace_back(name);
    return 0;
  };
  check(H5Aiterate2(src, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect, &names), src_path,
        "H5Aiterate2 (root attributes)");
  for (const auto& name : names) {
    const std::string op = "attribute '" + name + "'";
    handle a(check(H5Aopen(src, name.c_str(), H5P_DEFAULT), src_path, "H5Aopen " + op), H5Aclose);
    handle type(check(H5Aget_type(a.get()), src_path, "H5Aget_type " + op), H5Tclose);
    handle space(check(H5Aget_space(a.get()), src_path, "H5Aget_space " + op), H5Sclose);
    const auto n = check(H5Sget_simple_extent_npoints(space.get()), src_path, "H5Sget_simple_extent_npoints " + op);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n) * H5Tget_size(type.get()));
    check(H5Aread(a.get(), type.get(), bytes.data()), src_path, "H5Aread " + op);
    handle b(check(H5Acreate2(dst, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), dst_path,
                   "H5Acreate2 " + op),
             H5Aclose);
    check(H5Awrite(b.get(), type.get(), bytes.data()), dst_path, "H5Awrite " + op);
  }
}

std::size_t element_bytes(var_desc::dtype t) {
  return t == var_desc::dtype::f64 ? 8 : t == var_desc::dtype::f32 ? 4 : 1;
}

}  // namespace

void h5_writer::compact_into_final() {
  // The .partial file is complete and flushed first: from here on a kill leaves it as it is, and
  // --resume (every tile done) calls finish() again, which compacts from the start.
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), partial_, "H5Fflush");
  const std::string path = final_ + ".compacting";
  h5_writer out = start(final_, desc_);
  out.file_ = new_file(path, false);
  copy_root_attributes(file_.get(), out.file_.get(), partial_, path);
  build_layout(out, out.file_.get(), desc_, path, true);
  check(H5Dwrite(out.tiles_ds_.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, tiles_.data()), path,
        "H5Dwrite 'tiles_done'");
  const std::uint64_t first = std::min<std::uint64_t>(desc_.owned_first, tiles_.size());
  const std::uint64_t last = std::max(first, std::min<std::uint64_t>(desc_.owned_last, tiles_.size()));
  // Tile t is chunk t of every variable (C order over its chunk grid; an extra trailing dimension
  // is one chunk wide): the planner's tiles are the chunks (engine/plan.hpp).
  struct var_chunks {
    std::vector<std::uint64_t> counts, chunk;
    std::size_t cells = 1, elem = 1;
  };
  std::vector<var_chunks> layout(vars_.size());
  for (std::size_t v = 0; v < vars_.size(); ++v) {
    const auto& var = desc_.vars[v];
    const auto& shape = shapes_[v];
    const auto chunk = var_chunk(desc_, var);
    var_chunks& l = layout[v];
    l.chunk.assign(chunk.begin(), chunk.end());
    l.elem = element_bytes(var.type);
    std::uint64_t chunks = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      l.counts.push_back((shape[i] + chunk[i] - 1) / chunk[i]);
      chunks *= l.counts[i];
      l.cells *= static_cast<std::size_t>(chunk[i]);
    }
    if (chunks != tiles_.size()) {
      refuse(partial_, "compaction: '" + var.name + "' has " + std::to_string(chunks) + " chunks for " +
                           std::to_string(tiles_.size()) + " tiles");
    }
  }
  // Batches of about 32 MiB over (variable, tile) in order, two in flight: while worker threads
  // shuffle+deflate one batch (encode, no HDF5), this thread writes the batch before and reads
  // the one after, so only this thread ever calls HDF5 and the I/O overlaps the compression.
  struct batch {
    std::vector<std::pair<std::size_t, std::vector<hsize_t>>> chunks;  // variable, chunk origin
    std::vector<std::vector<std::uint8_t>> raw, encoded;
  };
  constexpr std::size_t batch_bytes = std::size_t{32} << 20;
  std::size_t cursor_var = 0;
  std::uint64_t cursor_tile = first;
  const auto read_batch = [&](batch& b) {
    b.chunks.clear();
    std::size_t bytes = 0, n = 0;
    while (cursor_var < vars_.size() && (n == 0 || bytes < batch_bytes)) {
      if (cursor_tile >= last) {
        ++cursor_var;
        cursor_tile = first;
        continue;
      }
      const var_chunks& l = layout[cursor_var];
      std::vector<hsize_t> origin(l.counts.size());
      std::uint64_t rest = cursor_tile++;
      for (std::size_t i = origin.size(); i-- > 0;) {
        origin[i] = (rest % l.counts[i]) * l.chunk[i];
        rest /= l.counts[i];
      }
      if (b.raw.size() <= n) b.raw.resize(n + 1);
      b.raw[n].resize(l.cells * l.elem);
      std::uint32_t mask = 0;
      check(H5Dread_chunk(vars_[cursor_var].get(), H5P_DEFAULT, origin.data(), &mask, b.raw[n].data()), partial_,
            "H5Dread_chunk '" + desc_.vars[cursor_var].name + "'");
      bytes += b.raw[n].size();
      b.chunks.emplace_back(cursor_var, std::move(origin));
      ++n;
    }
    return n != 0;
  };
  const auto encode_batch = [&](batch& b) {
    b.encoded.resize(b.chunks.size());
    if (!desc_.deflate) {
      for (std::size_t j = 0; j < b.chunks.size(); ++j) b.encoded[j].swap(b.raw[j]);
      return;
    }
    oneapi::tbb::parallel_for(std::size_t{0}, b.chunks.size(), [&](std::size_t j) {
      const var_chunks& l = layout[b.chunks[j].first];
      b.encoded[j] = encode(b.raw[j].data(), l.cells, l.elem, true);
    });
  };
  const auto write_batch = [&](const batch& b) {
    for (std::size_t j = 0; j < b.chunks.size(); ++j) {
      const auto& [v, origin] = b.chunks[j];
      check(H5Dwrite_chunk(out.vars_[v].get(), H5P_DEFAULT, 0, origin.data(), b.encoded[j].size(),
                           b.encoded[j].data()),
            path, "H5Dwrite_chunk '" + desc_.vars[v].name + "'");
    }
  };
  batch slot[2];
  std::size_t cur = 0;
  oneapi::tbb::task_group workers;
  if (read_batch(slot[0])) {
    workers.run([&, s = &slot[0]] { encode_batch(*s); });
    for (;;) {
      batch& next = slot[cur ^ 1];
      const bool more = read_batch(next);  // overlaps the encoding of slot[cur]
      workers.wait();
      if (more) workers.run([&, s = &next] { encode_batch(*s); });
      write_batch(slot[cur]);  // overlaps the encoding of next
      if (!more) break;
      cur ^= 1;
    }
  }
  out.vars_.clear();
  out.tiles_ds_.close(path, "H5Dclose 'tiles_done'");
  check(H5Fflush(out.file_.get(), H5F_SCOPE_GLOBAL), path, "H5Fflush");
  out.file_.close(path, "H5Fclose");
  vars_.clear();
  direct_.clear();
  tiles_ds_.close(partial_, "H5Dclose 'tiles_done'");
  file_.close(partial_, "H5Fclose");
  detail::publish(path, final_);
  // Last: with FINAL in place the .partial file is not needed; a kill before this line leaves
  // both, and --continue then compacts again into the same FINAL.
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
}

}  // namespace ftg::h5
