// engine/plan.hpp: the planner: a sweep's grid cut into tiles aligned with the HDF5 chunks.
//
// 1. What: the grid of a sweep_spec (axes outer to inner, delta innermost, C order) has shape
//    `dims`. The plan chooses one chunk shape, which is also the tile shape: the innermost extent
//    is the whole delta axis when delta is an axis (a tile holds whole delta rows), then as many
//    of each next-outer axis as fit run.tile_cells (at least 1), and 1 beyond. Tile t is the
//    half-open box of the t-th chunk in C order of the chunk grid; edge tiles are cut at dims.
//    Every cell lies in exactly one tile, and every tile is exactly one HDF5 chunk.
// 2. Preconditions: a spec returned by parse_sweep (at least one axis, each non-empty).
//    tile_at needs index < tile_count; shard_range needs num_shards >= 1 and shard < num_shards.
// 3. Method: closed-form index arithmetic in O(axes) time and memory, so a 1e10-cell grid plans
//    instantly and no list of tiles is ever built. Shards are balanced contiguous tile ranges:
//    shard s of N gets floor(T/N) tiles plus one if s < T mod N.
//    Estimates: output bytes per dataset from the precision (per-delta fields and solution values
//    of 8 or 4 bytes, flags and statuses 1 byte, one status per cell always); peak memory for T
//    tiles in flight is T tile buffers (every output of one full tile) plus the axis values, or
//    with compression the two batches finish() compacts at a time (32 MiB each, and their deflated
//    copies) if larger; peak disk with compression is twice the output (the unfiltered .partial file, then
//    the compressed file: h5_writer::finish).
// 4. Pure, reentrant; allocates only the returned vectors and strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/sweep.hpp"

namespace ftg {

/// One dataset the sweep writes and its estimated uncompressed size.
struct output_estimate {
  std::string name;         ///< e.g. "u_g", "nash/delta_star", "status"
  std::uint64_t bytes_per_cell = 0;
  std::uint64_t bytes = 0;  ///< bytes_per_cell * cells
};

struct plan {
  std::vector<std::uint64_t> dims;            ///< grid extents, axis order (delta last)
  std::vector<std::uint64_t> chunk;           ///< chunk shape = tile shape, 1 <= chunk[i] <= dims[i]
  std::vector<std::uint64_t> tiles_per_axis;  ///< ceil(dims[i] / chunk[i])
  std::uint64_t cells = 0;                    ///< product of dims
  std::uint64_t chunk_cells = 0;              ///< product of chunk (cells of a full tile)
  std::uint64_t tile_count = 0;               ///< product of tiles_per_axis
  bool delta_innermost = false;               ///< the last axis is delta
  std::vector<output_estimate> outputs;       ///< datasets with one value per cell
  std::uint64_t bytes_per_cell = 0;           ///< sum over outputs
  std::uint64_t output_bytes = 0;             ///< all outputs plus the axis coordinates
  std::uint64_t axis_bytes = 0;               ///< 8 bytes per axis value
  bool compressed = false;
  /// Disk the run needs at its peak: output_bytes, twice that with compression (peak_disk_bytes).
};

/// A half-open box [lo, hi) of cell indices, one entry per axis.
struct tile {
  std::uint64_t index = 0;
  std::vector<std::uint64_t> lo, hi;
  std::uint64_t cells() const noexcept;
};

/// A contiguous range [first, last) of tile indices.
struct tile_range {
  std::uint64_t first = 0, last = 0;
  std::uint64_t size() const noexcept { return last - first; }
};

plan make_plan(const sweep_spec& spec);

/// The `index`-th tile in C order of the chunk grid. Throws std::out_of_range past the end.
tile tile_at(const plan& p, std::uint64_t index);

/// The tile as engine/tile_compute.hpp's index_box (compute_tile's argument).
index_box to_box(const tile& t);

/// The cell count of the sweep (same as plan::cells).
std::uint64_t cell_count(const plan& p) noexcept;

/// Shard `shard` of `num_shards`: a balanced contiguous range of tiles; the ranges of
/// shard = 0..num_shards-1 are disjoint, cover every tile in order and differ in size by at most
/// one. Throws std::invalid_argument unless num_shards >= 1 and shard < num_shards.
tile_range shard_range(const plan& p, std::uint64_t shard, std::uint64_t num_shards);

/// Estimated peak memory of a run with `tiles_in_flight` tile buffers alive at once (at most
/// tile_count of them).
/// Disk a run of the whole plan needs at its peak: the output, twice with compression (the
/// unfiltered .partial file and the compacted file exist together until the rename).
std::uint64_t peak_disk_bytes(const plan& p) noexcept;
std::uint64_t peak_memory_bytes(const plan& p, std::uint64_t tiles_in_flight) noexcept;

/// Tiles in flight (pipeline tokens) of a run on `threads` threads: 2 per thread when a writer
/// drains them (room for the serial writer to fall behind a little), threads + 1 compute-only.
/// Not oneTBB's usual 4 per thread: each token in flight holds a tile's buffers, and a sweep with
/// few tiles paid their page faults (2 threads ran slower than 1 on a 16-tile bench sweep with 8
/// tokens; docs/performance.md, engine side).
std::uint64_t tiles_in_flight_for(int threads, bool writes) noexcept;

/// tiles_in_flight_for(hardware threads, true): what `ftg plan` assumes.
std::uint64_t default_tiles_in_flight() noexcept;

/// "1.5 GiB", "12.0 KiB", "512 B".
std::string format_bytes(std::uint64_t bytes);

/// What `ftg plan SWEEP.ini` prints: sweep, axes, cells, chunk shape, tiles, output size by
/// dataset, peak memory. Several lines, each ending in '\n'. tiles_in_flight 0 means the default.
std::string describe_plan(const plan& p, const sweep_spec& spec, std::uint64_t tiles_in_flight = 0);

}  // namespace ftg
