// engine/h5/h5_merge.hpp: `ftg merge`: shard files (engine/shard.hpp) into one results file.
//
// 1. What: read_shard() opens a shard file and reads its identity (shard_index, num_shards, tile
//    range, sweep_hash, tile_axes, tile_shape) and its tile record; it refuses a file whose own
//    tiles are not all done. write_merged() writes OUTPUT.partial and renames it to OUTPUT:
//    - materialised (default): every dataset of the first shard is recreated with the same type,
//      shape, chunking, filters, fill value and attributes, in the same creation order;
//      dimension scales are re-attached by name; chunked datasets get each shard's chunks of its
//      own tiles by raw copy (H5Dread_chunk / H5Dwrite_chunk: no decompression, bit-identical);
//      `tiles_done` becomes all done. The result is what a single-process run writes.
//    - virtual: the same file, but each chunked dataset is an HDF5 virtual dataset mapping each
//      shard's tile boxes to the same region of that shard (relative source paths, so the folder
//      can move as a whole). Tiny, but readers silently see NaN if a shard later disappears.
//    Nothing is hard-coded about variables: any rank, any dtype, any attributes. A chunked
//    dataset is merged by tiles: along each tile axis it carries (tile_axes) its chunk must be the
//    tile shape, any other dimension must be one whole chunk, and a tile axis it lacks must not
//    be split into several tiles; otherwise the merge is refused (no silent partial chunk).
// 2. Preconditions: `shards` sorted by index, one per index 0..N-1, same sweep (engine/merge.cpp
//    checks this and names the offending file). Errors throw ftg::runtime_error naming the file
//    and the rule; OUTPUT.partial is removed and OUTPUT not created.
// 3. Method: HDF5 C API + H5DS through engine/h5/h5_handle.hpp; one shard file open at a time
//    besides the first.
// 4. Thread-safety: single-threaded (HDF5 is touched by one thread only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ftg::h5 {

struct shard_file {
  std::string path;
  std::uint64_t index = 0, count = 0;       ///< shard_index, num_shards
  std::uint64_t tile_first = 0, tile_last = 0, tile_count = 0;
  std::string sweep_hash;
  std::vector<std::string> tile_axes;
  std::vector<std::uint64_t> tile_shape;
  std::optional<std::uint64_t> cells_not_ok;
  std::string date_start, date_end;
};

/// Reads a shard's identity and checks that every tile of its range is done. Throws
/// ftg::runtime_error("merge", "PATH: ...") for an unreadable file, a file without shard
/// attributes (not a shard) or an incomplete one.
shard_file read_shard(const std::string& path);

enum class merge_mode { materialise, virtual_dataset };

struct merge_stats {
  std::uint64_t datasets = 0;  ///< datasets written
  std::uint64_t chunks = 0;    ///< chunks copied (materialised) or checked (virtual)
  std::uint64_t bytes = 0;     ///< bytes of those chunks as stored
  std::uint64_t mappings = 0;  ///< virtual-dataset mappings
};

/// Writes the merged file (see above). `history_line` is appended to the `history` attribute.
merge_stats write_merged(const std::vector<shard_file>& shards, const std::string& output, merge_mode mode,
                         const std::string& history_line);

/// The boxes [lo, hi) of tile coordinates covering tiles [first, last) in C order of a tile grid
/// with `tiles_per_axis`: at most 2 * rank - 1 boxes, in order. Pure.
std::vector<std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>> range_boxes(
    const std::vector<std::uint64_t>& tiles_per_axis, std::uint64_t first, std::uint64_t last);

}  // namespace ftg::h5
