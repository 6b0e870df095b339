// engine/executor.hpp: the bounded parallel pipeline that turns tiles into written results.
//
// One tbb::parallel_pipeline with three stages (STYLE.md section 4, "engine/"):
//   1. source, serial in order: hands out tile ids from a list, and stops handing them out as
//      soon as a stop is requested (a signal, see engine/signals.hpp);
//   2. compute, parallel: runs the kernels over one tile into a buffer the stage owns;
//   3. sink, serial in order: the only stage that touches the output (HDF5 is touched by one
//      thread only), receiving tiles in the order the source emitted them.
// At most `tokens` tiles are in flight, so memory is bounded by tokens x (one tile's buffers)
// whatever the grid size. Tiles already started when a stop is requested are computed and
// written, so the output is always a prefix-closed set of whole tiles.
// The thread count is set by the caller with tbb::global_control (max_allowed_parallelism).
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <utility>

#include <oneapi/tbb/parallel_pipeline.h>

namespace ftg {

struct pipeline_options {
  std::size_t tokens = 8;                          ///< tiles in flight at most
  const std::atomic<bool>* stop = nullptr;         ///< when set, no new tile is started
};

struct pipeline_summary {
  std::uint64_t tiles_written = 0;
  bool stopped = false;  ///< a stop was requested before every tile was started
};

/// compute(tile_id) -> Buffer (moved between stages); write(tile_id, Buffer&&).
template <class Buffer, class Compute, class Write>
pipeline_summary run_pipeline(std::span<const std::uint64_t> tiles, Compute&& compute, Write&& write,
                              const pipeline_options& opts) {
  pipeline_summary summary;
  std::size_t next = 0;
  struct item {
    std::uint64_t id = 0;
    Buffer buffer{};
  };
  oneapi::tbb::parallel_pipeline(
      opts.tokens,
      oneapi::tbb::make_filter<void, std::uint64_t>(
          oneapi::tbb::filter_mode::serial_in_order,
          [&](oneapi::tbb::flow_control& fc) -> std::uint64_t {
            if (next == tiles.size()) {
              fc.stop();
              return 0;
            }
            if (opts.stop != nullptr && opts.stop->load(std::memory_order_relaxed)) {
              summary.stopped = true;
              fc.stop();
              return 0;
            }
            return tiles[next++];
          }) &
          oneapi::tbb::make_filter<std::uint64_t, item>(
              oneapi::tbb::filter_mode::parallel,
              [&](std::uint64_t id) { return item{id, compute(id)}; }) &
          oneapi::tbb::make_filter<item, void>(oneapi::tbb::filter_mode::serial_in_order, [&](item it) {
            write(it.id, std::move(it.buffer));
            ++summary.tiles_written;
          }));
  return summary;
}

}  // namespace ftg
