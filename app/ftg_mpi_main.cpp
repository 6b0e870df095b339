// app/ftg_mpi_main.cpp: the ftg executable of the optional MPI build (-DFTG_MPI=ON).
//
// 1. What: `mpirun -np N ftg run SWEEP.ini [options]` splits the sweep's tiles over the N ranks:
//    rank r computes shard r of N (engine/shard.hpp) into its own shard file with the serial
//    HDF5 writer, all ranks meet, and rank 0 merges the shards into OUTPUT (engine/merge.hpp),
//    the same file, bit for bit in its data, as a single-process run. If any rank fails or is
//    stopped by a signal (exit 75), nothing is merged and every rank exits with the worst code;
//    `mpirun ... ftg run ... --continue` then resumes each rank's shard and merges. Shards are
//    kept next to OUTPUT (delete them after checking OUTPUT). Any other command, and any run
//    outside mpirun, behaves exactly as the serial ftg (app/main.cpp).
// 2. Preconditions: an MPI launcher that sets OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK;
//    --shard-index/--num-shards are refused under mpirun (the ranks are the shards).
// 3. Method: shards plus merge, not collective parallel-HDF5 writes: Debian's parallel HDF5 is
//    not thread-safe and the merge is a raw chunk copy, so this needs only MPI_Allreduce.
// 4. Only the main thread calls MPI (MPI_THREAD_FUNNELED); TBB workers never do.
#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli.hpp"
#include "engine/error.hpp"
#include "engine/merge.hpp"
#include "engine/run.hpp"
#include "engine/shard.hpp"
#include "engine/signals.hpp"
#include "engine/sweep_commands.hpp"

namespace {

bool under_mpi_launcher() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

// Runs this rank's shard; returns the exit code and, on rank 0's success, the merged file name.
int run_rank(std::span<const std::string_view> args, int rank, int size, std::string& merged) {
  using namespace ftg;
  try {
    std::optional<run_options> o = parse_run_command(args, std::cout);
    if (!o) return exit_ok;
    if (o->shard) throw usage_error("run", "under mpirun the ranks are the shards: drop --shard-index/--num-shards");
    if (o->compute_only) throw usage_error("run", "--compute-only is not supported under mpirun");
    o->shard = shard_id{static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(size)};
    if (rank != 0) o->progress = progress_mode::none;
    const run_summary s = run_sweep(*o, std::cerr);
    std::cerr << "ftg run [rank " << rank << "]: " << describe_summary(s) << '\n';
    // OUTPUT from the shard's name: STEM.shard-IIIII-of-NNNNN.h5 -> STEM.h5.
    const std::string suffix = shard_output_name("", *o->shard);
    merged = s.output.substr(0, s.output.size() - suffix.size()) + ".h5";
    if (s.stopped) return exit_resumable;
    return s.cells_not_ok > 0 ? exit_not_ok : exit_ok;
  } catch (const ftg::usage_error& e) {
    if (rank == 0) std::cerr << e.what() << '\n';
    return exit_usage_error;
  } catch (const ftg::error& e) {
    std::cerr << e.what() << " [rank " << rank << "]\n";
    return exit_runtime_error;
  } catch (const std::exception& e) {
    std::cerr << "ftg: internal error: " << e.what() << " [rank " << rank << "]\n";
    return exit_runtime_error;
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (!under_mpi_launcher() || args.empty() || args.front() != "run") return ftg::run_cli(args, std::cout, std::cerr);

  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::string merged;
  const std::span<const std::string_view> run_args(args.data() + 1, args.size() - 1);
  const int mine = run_rank(run_args, rank, size, merged);
  // Worst code wins: an error (1, 2) over a stop (75) over cells not ok (3) over ok (0).
  const auto severity = [](int rc) { return rc == 0 ? 0 : rc == ftg::exit_not_ok ? 1 : rc == ftg::exit_resumable ? 2 : 3; };
  int local[2] = {severity(mine), rank}, worst[2] = {0, 0};
  MPI_Allreduce(local, worst, 1, MPI_2INT, MPI_MAXLOC, MPI_COMM_WORLD);
  // MPI_MAXLOC gives the (lowest) rank holding the worst severity; broadcast that rank's code.
  int rc = mine;
  MPI_Bcast(&rc, 1, MPI_INT, worst[1], MPI_COMM_WORLD);
  const bool help = std::find(args.begin(), args.end(), "--help") != args.end() ||
                    std::find(args.begin(), args.end(), "-h") != args.end();
  if (!help && (rc == ftg::exit_ok || rc == ftg::exit_not_ok)) {
    int merge_rc = ftg::exit_ok;
    if (rank == 0) {
      // --force: a merged file left by an earlier run of the same command is replaced.
      const std::vector<std::string_view> margs{"merge", merged, "--force"};
      merge_rc = ftg::run_cli(margs, std::cout, std::cerr);
    }
    MPI_Bcast(&merge_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (merge_rc != ftg::exit_ok) rc = merge_rc;
  } else if (rank == 0 && rc == ftg::exit_resumable) {
    std::cerr << "ftg run: stopped on some rank; nothing merged. Continue with: mpirun ... ftg run ... --continue\n";
  }
  MPI_Finalize();
  return rc;
}
