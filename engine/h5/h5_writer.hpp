// engine/h5/h5_writer.hpp: writes one "ftg-results" 1.0.0 file (output_schemas/ftg_results_v1.md).
//
// 1. What: h5_writer creates FINAL.partial with every axis as a dimension scale, every variable
//    as a chunked dataset (NaN or 255 fill) attached to its scales, the CF and provenance
//    attributes, and a `tiles_done` record. FINAL.partial is never filtered and allocates every
//    chunk at creation, so writing tiles changes no metadata and a SIGKILL at any write leaves it
//    resumable (tests/crash). write_block() stores a hyperslab; mark_tiles_done() records
//    finished tiles and flushes; finish() writes the final attributes in place, then renames
//    FINAL.partial to FINAL, or, for deflate or a shard, compacts it into FINAL (shuffle+deflate
//    4 in TBB worker threads, only owned chunks). resume() reopens a .partial file left by a
//    killed run and checks that it is the same sweep.
// 2. Preconditions: names and classes of variables follow the schema (ftg_results_v1.hpp, flat
//    names such as "u_g" or "nash_delta_star"); every axis has at least one value; `chunk` has
//    one entry per axis (values larger than the axis are clipped); tiles are numbered
//    0..tile_count-1 by the caller (tile_count 0 = one tile per chunk of the full grid, in C
//    order). Any violation or HDF5 failure throws ftg::runtime_error naming the file and the
//    operation. Data are written in C order.
// 3. Method: the HDF5 C API and H5DS (hdf5_hl), through engine/h5/h5_handle.hpp.
// 4. Thread-safety: single-threaded; only ever used from the one writer thread (finish()'s
//    worker threads only run encode_chunk on bytes already read). Move-only.
//    A writer destroyed without finish() closes the file and leaves FINAL.partial for resume().
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/h5/h5_handle.hpp"

namespace ftg::h5 {

struct axis_desc {
  std::string name;            ///< dimension and coordinate name, e.g. "delta"
  std::vector<double> values;  ///< coordinate values, at least one
  std::string long_name;       ///< empty: the schema's default for a known axis, else the name
  std::string units;           ///< empty: "1"
};

struct var_desc {
  enum class dtype : std::uint8_t { f64, f32, u8_enum };
  std::string name;       ///< flat schema name: "u_g", "regime", "nash_delta_star", "pareto_lo"
  dtype type = dtype::f64;  ///< f64/f32 for real fields, u8_enum for categorical ones
  std::vector<int> dims;  ///< indices into file_desc::axes, outermost first
  std::string long_name;  ///< empty: the schema's long_name
  std::string units;      ///< empty: the schema's units; if given it must equal them
};

struct file_desc {
  std::vector<axis_desc> axes;
  std::vector<var_desc> vars;
  std::vector<std::size_t> chunk;  ///< per axis
  bool deflate = false;            ///< shuffle + deflate level 4
  std::uint64_t tile_count = 0;    ///< 0: one tile per chunk of the full grid
  /// Shard files (docs/cluster.md): the tiles [owned_first, owned_last) this file must complete
  /// before finish(); the default is every tile. Tiles outside stay pending in `tiles_done`.
  std::uint64_t owned_first = 0;
  std::uint64_t owned_last = UINT64_MAX;
  /// The finished file allocates only the owned tiles' chunks (shard files): finish() compacts
  /// the .partial file (whose chunks are all allocated at creation, crash safety) into it, as it
  /// does for `deflate`. Tile t must then be chunk t of every variable (engine/plan.hpp).
  bool allocate_on_write = false;
  /// Root attributes: every schema attribute whose source is `create` (title, source, history,
  /// software, software_version, sweep_name, sweep_text, command_line, tbb_version,
  /// date_start) is required; other names are written as text (e.g. sweep_hash).
  std::map<std::string, std::string> attrs;
};

/// tile_count of a description: desc.tile_count, or the number of chunks of the full grid.
std::uint64_t tile_count_of(const file_desc& desc);

class h5_writer {
 public:
  /// Creates (truncating) FINAL.partial.
  static h5_writer create(const std::string& final_path, const file_desc& desc);
  /// Reopens FINAL.partial; throws unless axes (values bit for bit), variables (type, dims,
  /// units), chunk, deflate, tile count and the sweep_text/sweep_hash attributes match `desc`.
  /// Other root attributes keep the values of the first run.
  static h5_writer resume(const std::string& final_path, const file_desc& desc);

  h5_writer(h5_writer&&) noexcept = default;
  h5_writer& operator=(h5_writer&&) noexcept = default;
  ~h5_writer();

  /// Writes the box [lo, hi) of variable `var` (index into file_desc::vars) from `data`, C order,
  /// size prod(hi - lo). The element type must match the variable's dtype.
  void write_block(std::size_t var, std::span<const std::uint64_t> lo,
                   std::span<const std::uint64_t> hi, std::span<const double> data);
  void write_block(std::size_t var, std::span<const std::uint64_t> lo,
                   std::span<const std::uint64_t> hi, std::span<const float> data);
  void write_block(std::size_t var, std::span<const std::uint64_t> lo,
                   std::span<const std::uint64_t> hi, std::span<const std::uint8_t> data);

  /// The bytes this library stores for one whole chunk of a variable (C order, chunk_shape(var)
  /// elements; an edge chunk padded to the full shape, any padding value): shuffle then zlib
  /// deflate level 4 when `deflate`, the raw bytes otherwise. Pure, reentrant, callable from any
  /// thread (it touches no HDF5 state): finish() encodes chunks with it in worker threads.
  static std::vector<std::uint8_t> encode_chunk(std::span<const double> chunk, bool deflate);
  static std::vector<std::uint8_t> encode_chunk(std::span<const float> chunk, bool deflate);
  static std::vector<std::uint8_t> encode_chunk(std::span<const std::uint8_t> chunk, bool deflate);
  /// Chunk shape of variable `var`: file_desc::chunk on its dims, clipped to the axis lengths.
  [[nodiscard]] std::vector<std::uint64_t> chunk_shape(std::size_t var) const;

  /// Reads back the box [lo, hi) of a categorical (u8) variable, C order: on --resume, the run
  /// recounts the failed cells of the tiles an earlier run completed.
  [[nodiscard]] std::vector<std::uint8_t> read_u8_block(std::size_t var, std::span<const std::uint64_t> lo,
                                                        std::span<const std::uint64_t> hi) const;

  /// Records the tiles as complete and flushes the whole file (H5Fflush, global scope): after
  /// it returns, a SIGKILL loses nothing that was written before.
  void mark_tiles_done(std::span<const std::uint64_t> tile_ids);
  [[nodiscard]] std::vector<bool> tiles_done() const;

  /// Writes `final_attrs` (date_end and cells_not_ok required, overwritten in place where
  /// create() reserved them; any other name, e.g. history, overwrites), then closes and renames
  /// FINAL.partial to FINAL, or compacts it (deflate, shards: compact_into_final) into
  /// FINAL.compacting, renames that to FINAL and removes FINAL.partial. Killed at any point, a
  /// resume finds every tile done and calls finish() again. Throws if an owned tile is not done.
  void finish(const std::map<std::string, std::string>& final_attrs);

  [[nodiscard]] const std::string& partial_path() const noexcept { return partial_; }

 private:
  h5_writer() = default;
  /// A writer with its paths and description set, shared by create() and resume().
  static h5_writer start(const std::string& final_path, const file_desc& desc);
  /// A new HDF5 file with the layout options every ftg file has (creation order, 1.8 format).
  static handle new_file(const std::string& path, bool hold_metadata);
  /// Axes, the tile record and the variables into `file`: for the .partial file (`compacted`
  /// false: no filters, every chunk allocated now) or for the file finish() compacts into
  /// (filters as `desc.deflate`, chunks allocated when written). Fills w's dataset handles.
  static void build_layout(h5_writer& w, hid file, const file_desc& desc, const std::string& path,
                           bool compacted);
  /// finish() for deflated or shard files: FINAL.compacting from the complete .partial file,
  /// renamed to FINAL; the .partial file is removed last.
  void compact_into_final();
  [[nodiscard]] bool compacts() const noexcept;
  void write_any(std::size_t var, std::span<const std::uint64_t> lo,
                 std::span<const std::uint64_t> hi, const void* data, std::size_t size,
                 var_desc::dtype type);

  std::string final_;
  std::string partial_;
  file_desc desc_;
  handle file_;
  std::vector<handle> vars_;
  std::vector<std::vector<std::uint64_t>> shapes_;
  std::vector<bool> direct_;  ///< per variable: whole chunks go through H5Dwrite_chunk (no filters, no conversion)
  handle tiles_ds_;
  std::vector<std::uint8_t> tiles_;
};

}  // namespace ftg::h5
