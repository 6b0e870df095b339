// engine/h5/h5_merge.cpp: shard files into one results file (engine/h5/h5_merge.hpp).
#include "engine/h5/h5_merge.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "engine/error.hpp"
#include "engine/h5/h5_detail.hpp"
#include "output_schemas/ftg_results_v1.hpp"

namespace ftg::h5 {

namespace sv1 = ftg::schema::v1;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw ftg::runtime_error("merge", path + ": " + why);
}

constexpr unsigned creation_order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

// Root attributes that describe one shard only; the merged file does not carry them.
const std::set<std::string> shard_only_attributes{"shard_index", "num_shards", "shard_tile_first",
                                                  "shard_tile_last"};
// Attributes H5DS maintains itself (object references into the shard file): never copied.
const std::set<std::string> dimension_scale_attributes{"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST"};

std::uint64_t parse_u64(const std::string& path, const std::string& name, const std::string& text) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    refuse(path, "root attribute '" + name + "' is not an unsigned integer ('" + text + "')");
  return v;
}

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

/// Root links in creation order (name order if the file does not track it).
std::vector<std::string> list_links(hid_t file, const std::string& path) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) < 0) {
    names.clear();
    idx = 0;
    check(H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names), path, "H5Literate '/'");
  }
  return names;
}

std::vector<std::string> list_attributes(hid_t obj, const std::string& path, const std::string& where) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_attr, &names) < 0) {
    names.clear();
    idx = 0;
    check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names), path, "H5Aiterate2 " + where);
  }
  return names;
}

/// Copies one attribute with its own datatype and dataspace (any type; variable-length data
/// reclaimed). Object references are not copied (they would point into the source file).
void copy_attribute(hid_t src, hid_t dst, const std::string& name, const std::string& src_path,
                    const std::string& dst_path) {
  const std::string op = "attribute '" + name + "'";
  handle attr(check(H5Aopen(src, name.c_str(), H5P_DEFAULT), src_path, "H5Aopen " + op), H5Aclose);
  handle type(check(H5Aget_type(attr.get()), src_path, "H5Aget_type " + op), H5Tclose);
  if (H5Tget_class(type.get()) == H5T_REFERENCE) return;
  handle space(check(H5Aget_space(attr.get()), src_path, "H5Aget_space " + op), H5Sclose);
  const hssize_t n = check(H5Sget_simple_extent_npoints(space.get()), src_path, "H5Sget_simple_extent_npoints " + op);
  const std::size_t size = check(H5Tget_size(type.get()), src_path, "H5Tget_size " + op);
  std::vector<unsigned char> buf(static_cast<std::size_t>(std::max<hssize_t>(n, 1)) * size + 1, 0);
  check(H5Aread(attr.get(), type.get(), buf.data()), src_path, "H5Aread " + op);
  const bool vlen = H5Tdetect_class(type.get(), H5T_VLEN) > 0 || H5Tis_variable_str(type.get()) > 0;
  if (H5Aexists(dst, name.c_str()) > 0) check(H5Adelete(dst, name.c_str()), dst_path, "H5Adelete " + op);
  handle out(check(H5Acreate2(dst, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), dst_path,
                   "H5Acreate2 " + op),
             H5Aclose);
  const herr_t rc = H5Awrite(out.get(), type.get(), buf.data());
  if (vlen) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, buf.data());
  check(rc, dst_path, "H5Awrite " + op);
}

/// A fixed-length UTF-8 scalar string attribute (schema rule F4), replacing any old value.
void write_text(hid_t obj, const std::string& name, const std::string& value, const std::string& path) {
  const std::string op = "attribute '" + name + "'";
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), path, "H5Adelete " + op);
  handle type(check(H5Tcopy(H5T_C_S1), path, "H5Tcopy " + op), H5Tclose);
  check(H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1)), path, "H5Tset_size " + op);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), path, "H5Tset_strpad " + op);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "H5Tset_cset " + op);
  handle space(check(H5Screate(H5S_SCALAR), path, "H5Screate " + op), H5Sclose);
  handle attr(check(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), path,
                    "H5Acreate2 " + op),
              H5Aclose);
  std::string buffer = value;
  buffer.resize(std::max<std::size_t>(value.size(), 1), '\0');
  check(H5Awrite(attr.get(), type.get(), buffer.data()), path, "H5Awrite " + op);
}

void write_u64(hid_t obj, const std::string& name, std::uint64_t value, const std::string& path) {
  const std::string op = "attribute '" + name + "'";
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), path, "H5Adelete " + op);
  const hsize_t one = 1;
  handle space(check(H5Screate_simple(1, &one, nullptr), path, "H5Screate_simple " + op), H5Sclose);
  handle attr(check(H5Acreate2(obj, name.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), path,
                    "H5Acreate2 " + op),
              H5Aclose);
  check(H5Awrite(attr.get(), H5T_NATIVE_UINT64, &value), path, "H5Awrite " + op);
}

/// The whole dataset as raw bytes of its file datatype (small datasets: axes, tile record).
std::vector<unsigned char> read_raw(hid_t ds, const std::string& path, const std::string& name) {
  handle type(check(H5Dget_type(ds), path, "H5Dget_type '" + name + "'"), H5Tclose);
  handle space(check(H5Dget_space(ds), path, "H5Dget_space '" + name + "'"), H5Sclose);
  const hssize_t n = check(H5Sget_simple_extent_npoints(space.get()), path, "H5Sget_simple_extent_npoints");
  std::vector<unsigned char> buf(static_cast<std::size_t>(n) * H5Tget_size(type.get()));
  if (!buf.empty())
    check(H5Dread(ds, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), path, "H5Dread '" + name + "'");
  return buf;
}

struct dataset_info {
  std::string name;
  bool scale = false;
  bool chunked = false;
  std::vector<std::uint64_t> shape, chunk;
  std::vector<std::string> dim_names;  ///< the scale attached on each dimension ("" if none)
};

herr_t scale_name_of(hid_t, unsigned, hid_t scale, void* data) {
  char buf[1024] = {};
  const ssize_t n = H5Iget_name(scale, buf, sizeof buf);
  std::string name = n > 0 ? std::string(buf, static_cast<std::size_t>(std::min<ssize_t>(n, sizeof buf - 1))) : "";
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  *static_cast<std::string*>(data) = name;
  return 1;  // the first scale is enough
}

dataset_info describe(hid_t file, const std::string& name, const std::string& path) {
  dataset_info d;
  d.name = name;
  handle obj(check(H5Oopen(file, name.c_str(), H5P_DEFAULT), path, "H5Oopen '" + name + "'"), H5Oclose);
  if (H5Iget_type(obj.get()) != H5I_DATASET) refuse(path, "'" + name + "' is not a dataset (shards are flat)");
  const hid_t ds = obj.get();
  d.scale = check(H5DSis_scale(ds), path, "H5DSis_scale '" + name + "'") > 0;
  d.shape = detail::dataset_shape(ds, path);
  d.chunk = detail::dataset_chunk(ds, path);
  d.chunked = !d.chunk.empty();
  if (!d.scale) {
    for (std::size_t i = 0; i < d.shape.size(); ++i) {
      std::string scale;
      if (check(H5DSget_num_scales(ds, static_cast<unsigned>(i)), path, "H5DSget_num_scales '" + name + "'") > 0)
        check(H5DSiterate_scales(ds, static_cast<unsigned>(i), nullptr, scale_name_of, &scale), path,
              "H5DSiterate_scales '" + name + "'");
      d.dim_names.push_back(scale);
    }
  }
  return d;
}

/// How one chunked variable maps onto the tile grid.
struct tiling {
  std::vector<int> grid_axis;                 ///< per variable dim: index into tile_axes, -1 if none
  std::vector<std::uint64_t> chunks_per_dim;  ///< chunk grid of the variable
};

tiling tile_mapping(const dataset_info& v, const shard_file& ref, const std::vector<std::uint64_t>& grid_dims,
                    const std::vector<std::uint64_t>& tiles_per_axis) {
  tiling t;
  std::vector<bool> seen(ref.tile_axes.size(), false);
  for (std::size_t d = 0; d < v.shape.size(); ++d) {
    const auto it = std::find(ref.tile_axes.begin(), ref.tile_axes.end(), v.dim_names[d]);
    const int g = it == ref.tile_axes.end() ? -1 : static_cast<int>(it - ref.tile_axes.begin());
    t.grid_axis.push_back(g);
    const std::string where = "variable '" + v.name + "' dimension " + std::to_string(d) +
                              (v.dim_names[d].empty() ? std::string() : " ('" + v.dim_names[d] + "')");
    if (g >= 0) {
      const auto gi = static_cast<std::size_t>(g);
      seen[gi] = true;
      if (v.shape[d] != grid_dims[gi])
        refuse(ref.path, where + " has length " + std::to_string(v.shape[d]) + ", the axis " + std::to_string(grid_dims[gi]));
      if (v.chunk[d] != std::min(ref.tile_shape[gi], grid_dims[gi]))
        refuse(ref.path, where + " is chunked by " + std::to_string(v.chunk[d]) + ", but tiles are " +
                             std::to_string(ref.tile_shape[gi]) + " long: cannot merge by tiles");
    } else if (v.chunk[d] != v.shape[d]) {
      refuse(ref.path, where + " is not a tile axis and is split into several chunks: cannot merge by tiles");
    }
    t.chunks_per_dim.push_back((v.shape[d] + v.chunk[d] - 1) / std::max<std::uint64_t>(v.chunk[d], 1));
  }
  for (std::size_t g = 0; g < seen.size(); ++g)
    if (!seen[g] && tiles_per_axis[g] > 1)
      refuse(ref.path, "variable '" + v.name + "' lacks the tile axis '" + ref.tile_axes[g] +
                           "', which is split into " + std::to_string(tiles_per_axis[g]) + " tiles: cannot merge by tiles");
  return t;
}

/// The variable's region [lo, hi) for a box of tile coordinates.
void project(const dataset_info& v, const tiling& t, const shard_file& ref, const std::vector<std::uint64_t>& blo,
             const std::vector<std::uint64_t>& bhi, std::vector<hsize_t>& lo, std::vector<hsize_t>& hi) {
  lo.assign(v.shape.size(), 0);
  hi.assign(v.shape.begin(), v.shape.end());
  for (std::size_t d = 0; d < v.shape.size(); ++d) {
    if (t.grid_axis[d] < 0) continue;
    const auto g = static_cast<std::size_t>(t.grid_axis[d]);
    lo[d] = blo[g] * ref.tile_shape[g];
    hi[d] = std::min<std::uint64_t>(bhi[g] * ref.tile_shape[g], v.shape[d]);
  }
}

/// Removes OUTPUT.partial unless released: a failed merge leaves nothing behind.
struct partial_guard {
  std::string path;
  bool armed = true;
  ~partial_guard() {
    if (armed) std::remove(path.c_str());
  }
};

}  // namespace

std::vector<std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>> range_boxes(
    const std::vector<std::uint64_t>& tiles_per_axis, std::uint64_t first, std::uint64_t last) {
  const std::size_t r = tiles_per_axis.size();
  // block[k] = number of tiles in the last k axes.
  std::vector<std::uint64_t> block(r + 1, 1);
  for (std::size_t k = 1; k <= r; ++k) block[k] = block[k - 1] * tiles_per_axis[r - k];
  std::vector<std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>> boxes;
  while (first < last) {
    std::size_t k = 0;
    while (k < r && first % block[k + 1] == 0 && first + block[k + 1] <= last) ++k;
    std::vector<std::uint64_t> lo(r), hi(r);
    std::uint64_t rest = first;
    for (std::size_t i = r; i-- > 0;) {
      lo[i] = rest % tiles_per_axis[i];
      rest /= tiles_per_axis[i];
    }
    std::uint64_t step = block[k];
    if (k == r) {  // the whole grid
      std::fill(lo.begin(), lo.end(), 0);
      hi = tiles_per_axis;
    } else {
      const std::size_t d = r - 1 - k;  // take m blocks along axis d
      const std::uint64_t m = std::min((last - first) / block[k], tiles_per_axis[d] - lo[d]);
      for (std::size_t i = 0; i < r; ++i) hi[i] = i < d ? lo[i] + 1 : (i == d ? lo[i] + m : tiles_per_axis[i]);
      step = m * block[k];
    }
    boxes.emplace_back(std::move(lo), std::move(hi));
    first += step;
  }
  return boxes;
}

shard_file read_shard(const std::string& path) {
  silence_error_printing();
  if (!fs::exists(path)) refuse(path, "no such file");
  handle file;
  try {
    file = detail::open_file(path, false);
  } catch (const ftg::error&) {
    refuse(path, "cannot open as HDF5 (truncated or not a shard file?)");
  }
  const hid_t f = file.get();
  shard_file s;
  s.path = path;
  const auto text = [&](const char* name) {
    const auto v = detail::read_text_attribute(f, name, path);
    if (!v) refuse(path, std::string("not a shard file: root attribute '") + name + "' is missing (made by ftg run --shard-index?)");
    return *v;
  };
  s.index = parse_u64(path, "shard_index", text("shard_index"));
  s.count = parse_u64(path, "num_shards", text("num_shards"));
  s.tile_first = parse_u64(path, "shard_tile_first", text("shard_tile_first"));
  s.tile_last = parse_u64(path, "shard_tile_last", text("shard_tile_last"));
  s.tile_count = parse_u64(path, "tile_count", text("tile_count"));
  s.sweep_hash = text("sweep_hash");
  s.tile_axes = split_words(text("tile_axes"));
  for (const std::string& w : split_words(text("tile_shape"))) s.tile_shape.push_back(parse_u64(path, "tile_shape", w));
  if (s.tile_axes.empty() || s.tile_axes.size() != s.tile_shape.size())
    refuse(path, "tile_axes and tile_shape do not have one entry per axis");
  if (s.count == 0 || s.index >= s.count || s.tile_first > s.tile_last || s.tile_last > s.tile_count)
    refuse(path, "inconsistent shard attributes (shard " + std::to_string(s.index) + " of " + std::to_string(s.count) +
                     ", tiles " + std::to_string(s.tile_first) + "-" + std::to_string(s.tile_last) + " of " +
                     std::to_string(s.tile_count) + ")");
  if (detail::has_attribute(f, "cells_not_ok", path)) {
    const auto v = detail::read_u64_attribute(f, "cells_not_ok", path);
    if (v.size() == 1) s.cells_not_ok = v[0];
  }
  if (!s.cells_not_ok || !detail::has_attribute(f, "date_end", path))
    refuse(path, "incomplete: the run did not finish (no cells_not_ok/date_end); resume it with ftg run --resume");
  s.date_start = detail::read_text_attribute(f, "date_start", path).value_or("");
  s.date_end = detail::read_text_attribute(f, "date_end", path).value_or("");
  const std::string done_name(sv1::tiles_done);
  if (!detail::has_link(f, done_name, path)) refuse(path, "not a shard file: no '" + done_name + "' record");
  handle done_ds = detail::open_dataset(f, done_name, path);
  const auto done = detail::read_u8_dataset(done_ds.get(), path);
  if (done.size() != s.tile_count)
    refuse(path, "'" + done_name + "' has " + std::to_string(done.size()) + " entries for tile_count " + std::to_string(s.tile_count));
  std::uint64_t pending = 0;
  for (std::uint64_t t = s.tile_first; t < s.tile_last; ++t) pending += done[t] != 1;
  if (pending != 0)
    refuse(path, "incomplete: " + std::to_string(pending) + " of its " + std::to_string(s.tile_last - s.tile_first) +
                     " tiles are not done; resume it with ftg run --resume");
  for (std::uint64_t t = 0; t < s.tile_count; ++t)
    if ((t < s.tile_first || t >= s.tile_last) && done[t] != 0)
      refuse(path, "tile " + std::to_string(t) + " is outside the shard's range but marked done");
  return s;
}

merge_stats write_merged(const std::vector<shard_file>& shards, const std::string& output, merge_mode mode,
                         const std::string& history_line) {
  silence_error_printing();
  if (shards.empty()) refuse(output, "no shards to merge");
  const shard_file& ref = shards.front();
  merge_stats stats;
  const std::string partial = output + std::string(sv1::partial_suffix);
  const std::string& path = partial;
  partial_guard guard{partial};

  handle ref_file = detail::open_file(ref.path, false);
  const hid_t rf = ref_file.get();
  const std::vector<std::string> names = list_links(rf, ref.path);
  std::vector<dataset_info> infos;
  std::map<std::string, std::size_t> by_name;
  for (const std::string& n : names) {
    by_name[n] = infos.size();
    infos.push_back(describe(rf, n, ref.path));
  }
  // The tile grid, from the axes the tiles are cut along.
  std::vector<std::uint64_t> grid_dims, tiles_per_axis;
  for (std::size_t g = 0; g < ref.tile_axes.size(); ++g) {
    const auto it = by_name.find(ref.tile_axes[g]);
    if (it == by_name.end() || !infos[it->second].scale || infos[it->second].shape.size() != 1)
      refuse(ref.path, "tile axis '" + ref.tile_axes[g] + "' is not a one-dimensional dimension scale");
    grid_dims.push_back(infos[it->second].shape[0]);
    tiles_per_axis.push_back((grid_dims[g] + ref.tile_shape[g] - 1) / std::max<std::uint64_t>(ref.tile_shape[g], 1));
  }
  std::uint64_t tiles = 1;
  for (std::uint64_t n : tiles_per_axis) tiles *= n;
  if (tiles != ref.tile_count)
    refuse(ref.path, "tile_shape gives " + std::to_string(tiles) + " tiles, tile_count says " + std::to_string(ref.tile_count));
  std::vector<tiling> tilings(infos.size());
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (infos[i].chunked && !infos[i].scale) tilings[i] = tile_mapping(infos[i], ref, grid_dims, tiles_per_axis);

  // The output file: the writer's creation-order and format settings (VDS needs the 1.10 format).
  handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), path, "H5Pcreate(file create)"), H5Pclose);
  check(H5Pset_link_creation_order(fcpl.get(), creation_order), path, "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(fcpl.get(), creation_order), path, "H5Pset_attr_creation_order");
  handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), path, "H5Pcreate(file access)"), H5Pclose);
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST,
                             mode == merge_mode::virtual_dataset ? H5F_LIBVER_V110 : H5F_LIBVER_V18),
        path, "H5Pset_libver_bounds");
  handle out(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), path, "H5Fcreate"), H5Fclose);
  const hid_t of = out.get();

  // Root attributes: the first shard's, in order, without the shard's own identity; totals over
  // all shards for cells_not_ok and the dates; the merge appended to history.
  std::uint64_t not_ok = 0;
  std::string date_start = ref.date_start, date_end = ref.date_end;
  for (const shard_file& s : shards) {
    not_ok += s.cells_not_ok.value_or(0);
    if (!s.date_start.empty() && s.date_start < date_start) date_start = s.date_start;
    if (s.date_end > date_end) date_end = s.date_end;
  }
  for (const std::string& a : list_attributes(rf, ref.path, "'/'")) {
    if (shard_only_attributes.count(a) != 0) continue;
    if (a == "cells_not_ok") {
      write_u64(of, a, not_ok, path);
    } else if (a == "date_start" && !date_start.empty()) {
      write_text(of, a, date_start, path);
    } else if (a == "date_end" && !date_end.empty()) {
      write_text(of, a, date_end, path);
    } else if (a == "history") {
      write_text(of, a, detail::read_text_attribute(rf, a, ref.path).value_or("") + "\n" + history_line, path);
    } else {
      copy_attribute(rf, of, a, ref.path, path);
    }
  }
  write_text(of, "merged_from_shards", std::to_string(shards.size()), path);

  // Pass 1: every dataset in creation order, with its attributes (scales first set as scales).
  std::vector<handle> outs(infos.size());
  const fs::path out_dir = fs::absolute(fs::path(output)).lexically_normal().parent_path();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const dataset_info& info = infos[i];
    const std::string op = "'" + info.name + "'";
    handle src = detail::open_dataset(rf, info.name, ref.path);
    handle type(check(H5Dget_type(src.get()), ref.path, "H5Dget_type " + op), H5Tclose);
    handle space(check(H5Dget_space(src.get()), ref.path, "H5Dget_space " + op), H5Sclose);
    handle src_dcpl(check(H5Dget_create_plist(src.get()), ref.path, "H5Dget_create_plist " + op), H5Pclose);
    handle dcpl;
    const bool data_var = info.chunked && !info.scale;
    if (data_var && mode == merge_mode::virtual_dataset) {
      dcpl = handle(check(H5Pcreate(H5P_DATASET_CREATE), path, "H5Pcreate " + op), H5Pclose);
      unsigned order = 0;
      check(H5Pget_attr_creation_order(src_dcpl.get(), &order), ref.path, "H5Pget_attr_creation_order " + op);
      check(H5Pset_attr_creation_order(dcpl.get(), order), path, "H5Pset_attr_creation_order " + op);
      H5D_fill_value_t defined{};
      check(H5Pfill_value_defined(src_dcpl.get(), &defined), ref.path, "H5Pfill_value_defined " + op);
      if (defined == H5D_FILL_VALUE_USER_DEFINED) {
        std::vector<unsigned char> fill(H5Tget_size(type.get()));
        check(H5Pget_fill_value(src_dcpl.get(), type.get(), fill.data()), ref.path, "H5Pget_fill_value " + op);
        check(H5Pset_fill_value(dcpl.get(), type.get(), fill.data()), path, "H5Pset_fill_value " + op);
      }
      for (const shard_file& s : shards) {
        std::string src_name = fs::absolute(fs::path(s.path)).lexically_normal().lexically_relative(out_dir).string();
        if (src_name.empty()) src_name = fs::absolute(fs::path(s.path)).string();
        for (const auto& [blo, bhi] : range_boxes(tiles_per_axis, s.tile_first, s.tile_last)) {
          std::vector<hsize_t> lo, hi, count;
          project(info, tilings[i], ref, blo, bhi, lo, hi);
          for (std::size_t d = 0; d < lo.size(); ++d) count.push_back(hi[d] - lo[d]);
          handle vspace(check(H5Scopy(space.get()), path, "H5Scopy " + op), H5Sclose);
          check(H5Sselect_hyperslab(vspace.get(), H5S_SELECT_SET, lo.data(), nullptr, count.data(), nullptr), path,
                "H5Sselect_hyperslab " + op);
          check(H5Pset_virtual(dcpl.get(), vspace.get(), src_name.c_str(), ("/" + info.name).c_str(), vspace.get()),
                path, "H5Pset_virtual " + op + " <- " + s.path);
          ++stats.mappings;
        }
      }
    } else {
      dcpl = handle(check(H5Pcopy(src_dcpl.get()), ref.path, "H5Pcopy " + op), H5Pclose);
      if (data_var && check(H5Pget_nfilters(dcpl.get()), path, "H5Pget_nfilters " + op) == 0) {
        // As a single-process run writes it (engine/h5/h5_writer.cpp): every chunk allocated
        // up front, never pre-filled; every chunk is then copied (checked below).
        check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), path, "H5Pset_alloc_time " + op);
        check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), path, "H5Pset_fill_time " + op);
      }
    }
    outs[i] = handle(check(H5Dcreate2(of, info.name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                                      H5P_DEFAULT),
                           path, "H5Dcreate2 " + op),
                     H5Dclose);
    ++stats.datasets;
    if (!data_var) {
      // Small datasets: axes and the tile record. The record of the merged file is all done.
      std::vector<unsigned char> data = read_raw(src.get(), ref.path, info.name);
      if (info.name == sv1::tiles_done) std::fill(data.begin(), data.end(), 1);
      if (!data.empty())
        check(H5Dwrite(outs[i].get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), path, "H5Dwrite " + op);
    }
    if (info.scale) {
      char buf[1024] = {};
      check(H5DSget_scale_name(src.get(), buf, sizeof buf), ref.path, "H5DSget_scale_name " + op);
      check(H5DSset_scale(outs[i].get(), buf), path, "H5DSset_scale " + op);
    }
    for (const std::string& a : list_attributes(src.get(), ref.path, op))
      if (dimension_scale_attributes.count(a) == 0) copy_attribute(src.get(), outs[i].get(), a, ref.path, path);
  }

  // Pass 2: dimension scales, re-attached by name.
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (infos[i].scale) continue;
    for (std::size_t d = 0; d < infos[i].dim_names.size(); ++d) {
      const std::string& sname = infos[i].dim_names[d];
      if (sname.empty()) continue;
      const auto it = by_name.find(sname);
      if (it == by_name.end()) refuse(ref.path, "scale '" + sname + "' of '" + infos[i].name + "' is not a root dataset");
      check(H5DSattach_scale(outs[i].get(), outs[it->second].get(), static_cast<unsigned>(d)), path,
            "H5DSattach_scale '" + sname + "' to '" + infos[i].name + "'");
    }
  }

  // Pass 3: every shard: same layout as the first, same small datasets (axes: same sweep), and
  // every chunk of its tiles present; materialised, the chunks are copied raw.
  std::vector<std::vector<bool>> written(infos.size());
  std::vector<std::uint64_t> expected(infos.size(), 0);
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (!infos[i].chunked || infos[i].scale) continue;
    std::uint64_t n = 1;
    for (std::uint64_t c : tilings[i].chunks_per_dim) n *= c;
    expected[i] = n;
    written[i].assign(static_cast<std::size_t>(n), false);
  }
  std::vector<unsigned char> buffer;
  for (const shard_file& s : shards) {
    handle sf_own;
    hid_t sf = rf;
    if (&s != &ref) {
      try {
        sf_own = detail::open_file(s.path, false);
      } catch (const ftg::error&) {
        refuse(s.path, "cannot open as HDF5");
      }
      sf = sf_own.get();
    }
    const auto boxes = range_boxes(tiles_per_axis, s.tile_first, s.tile_last);
    for (std::size_t i = 0; i < infos.size(); ++i) {
      const dataset_info& info = infos[i];
      if (!detail::has_link(sf, info.name, s.path)) refuse(s.path, "dataset '" + info.name + "' is missing (another sweep?)");
      const dataset_info mine = describe(sf, info.name, s.path);
      if (mine.shape != info.shape || mine.chunk != info.chunk || mine.scale != info.scale ||
          mine.dim_names != info.dim_names)
        refuse(s.path, "dataset '" + info.name + "' differs in shape, chunks or dimensions from " + ref.path);
      handle src = detail::open_dataset(sf, info.name, s.path);
      if (!info.chunked || info.scale) {
        if (&s != &ref && info.name != sv1::tiles_done) {
          handle ref_ds = detail::open_dataset(rf, info.name, ref.path);
          if (read_raw(src.get(), s.path, info.name) != read_raw(ref_ds.get(), ref.path, info.name))
            refuse(s.path, "dataset '" + info.name + "' differs from " + ref.path + " (another sweep?)");
        }
        continue;
      }
      const auto& cpd = tilings[i].chunks_per_dim;
      const std::size_t rank = info.shape.size();
      for (const auto& [blo, bhi] : boxes) {
        std::vector<hsize_t> lo, hi;
        project(info, tilings[i], ref, blo, bhi, lo, hi);
        std::vector<hsize_t> off(lo);
        if (rank == 0) continue;
        while (true) {
          std::uint64_t linear = 0;
          for (std::size_t d = 0; d < rank; ++d) linear = linear * cpd[d] + off[d] / info.chunk[d];
          std::string where;
          for (std::size_t d = 0; d < rank; ++d) {
            if (d) where += ',';
            where += std::to_string(off[d]);
          }
          if (written[i][linear])
            refuse(s.path, "chunk (" + where + ") of '" + info.name + "' is also in another shard (overlapping shards)");
          written[i][linear] = true;
          hsize_t nbytes = 0;
          if (H5Dget_chunk_storage_size(src.get(), off.data(), &nbytes) < 0 || nbytes == 0)
            refuse(s.path, "chunk (" + where + ") of '" + info.name + "' is missing although its tile is marked done");
          ++stats.chunks;
          stats.bytes += nbytes;
          if (mode == merge_mode::materialise) {
            buffer.resize(static_cast<std::size_t>(nbytes));
            std::uint32_t filters = 0;
            check(H5Dread_chunk(src.get(), H5P_DEFAULT, off.data(), &filters, buffer.data()), s.path,
                  "H5Dread_chunk '" + info.name + "' (" + where + ")");
            check(H5Dwrite_chunk(outs[i].get(), H5P_DEFAULT, filters, off.data(), nbytes, buffer.data()), path,
                  "H5Dwrite_chunk '" + info.name + "' (" + where + ")");
          }
          std::size_t d = rank;
          while (d-- > 0) {
            off[d] += info.chunk[d];
            if (off[d] < hi[d]) break;
            off[d] = lo[d];
          }
          if (d == static_cast<std::size_t>(-1)) break;
        }
      }
    }
  }
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (expected[i] == 0) continue;
    const auto missing = static_cast<std::uint64_t>(std::count(written[i].begin(), written[i].end(), false));
    if (missing != 0)
      refuse(output, "'" + infos[i].name + "': " + std::to_string(missing) + " of " + std::to_string(expected[i]) +
                         " chunks are in no shard");
  }

  for (auto& h : outs) h.close(path, "H5Dclose");
  check(H5Fflush(of, H5F_SCOPE_GLOBAL), path, "H5Fflush");
  out.close(path, "H5Fclose");
  detail::publish(path, output);
  guard.armed = false;
  return stats;
}

}  // namespace ftg::h5
