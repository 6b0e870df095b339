// engine/run.hpp: `ftg run`: a sweep file in, one netCDF-compatible HDF5 file out.
//
// Data flow (docs/architecture.md): sweep file (engine/sweep.hpp) -> plan of chunk-aligned tiles
// (engine/plan.hpp) -> a bounded TBB pipeline (engine/executor.hpp) whose parallel stage runs the
// kernels over one tile (engine/tile_compute.hpp) and whose one serial stage writes it
// (engine/h5/h5_writer.hpp: the only code that touches HDF5) -> FINAL.partial, flushed with a
// record of the finished tiles after every batch, renamed to FINAL when every tile is done.
// A SIGINT, SIGTERM or SIGUSR1 finishes the tiles in flight, flushes, and the run returns
// `stopped`; `--resume` continues from the record and produces the same file.
#pragma once

#include <chrono>
#include <optional>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/progress.hpp"
#include "engine/shard.hpp"

namespace ftg {

struct run_options {
  std::string sweep_path;
  std::vector<std::string> overrides;  ///< "key=value", win over the file
  std::string output;                  ///< default: <sweep name>.h5 in the working directory
  bool resume = false;                 ///< continue OUTPUT.partial
  bool force = false;                  ///< overwrite an existing OUTPUT
  bool continue_run = false;           ///< --continue: resume OUTPUT.partial if any, skip a complete OUTPUT
  bool compute_only = false;           ///< run the kernels, write nothing (benchmarks)
  int threads = 0;                     ///< 0: all hardware threads
  progress_mode progress = progress_mode::automatic;
  std::chrono::milliseconds progress_interval{10000};
  std::chrono::milliseconds flush_interval{1000};  ///< tiles are recorded as done and flushed this often
  bool stderr_is_terminal = false;
  std::string command_line;            ///< provenance
  /// Compute only this shard's tiles into a shard file (docs/cluster.md); `output` then names
  /// the merged file and the shard writes shard_output_name(output) (NAME.shard-IIIII-of-NNNNN.h5).
  std::optional<shard_id> shard;
};

struct run_summary {
  std::string output;
  std::uint64_t cells = 0;          ///< cells of the sweep
  std::uint64_t tiles = 0;          ///< tiles of the sweep
  std::uint64_t tiles_computed = 0; ///< by this process
  std::uint64_t cells_not_ok = 0;   ///< cells with a failure status (whole file)
  double seconds = 0.0;
  bool stopped = false;             ///< a signal stopped the run; OUTPUT.partial can be resumed
  int signal = 0;
  std::string shard;                ///< "shard 3 of 16 (tiles 30-40)" for a shard run
  bool already_complete = false;    ///< --continue found OUTPUT complete and did nothing
};

/// Runs the sweep. Usage errors (a bad sweep file, an existing output without --force, a missing
/// .partial with --resume, a sweep that does not fit on the disk) throw usage_error; I/O failures
/// throw runtime_error. Progress goes to `err`.
run_summary run_sweep(const run_options& opts, std::ostream& err);

/// Throws usage_error (naming `command`) when `bytes` exceed the free space of the directory
/// that will hold `output`: a sweep that cannot fit is refused before any work starts.
void check_disk_space(std::uint64_t bytes, const std::string& output, std::string_view command);

/// The one-line summary printed at the end of a run.
std::string describe_summary(const run_summary& s);

}  // namespace ftg
