// bench/bench_sweep.cpp: end-to-end throughput of `ftg run` (engine/run.hpp run_sweep) in cells/s,
// for a per-delta heatmap and per-point solutions sweeps, with and without HDF5, over 1..N threads
// (issue 4). Google Benchmark; fixed inputs, no randomness.
//
// At startup three sweep files are written into a fresh temporary directory:
//   heatmap     like sweeps/fig03_utilities.ini, larger: c1 = logspace(-1, 1, 1000) x
//               delta = linspace(0, 1, 1001) (1,001,000 cells), fields alpha0, alpha1, u_g, u_d, k = 2
//   solutions   like sweeps/fig05_bargaining.ini: c1 = logspace(-2, 2, 20000), solutions = all,
//               k = 2 (closed forms)
//   numeric     the same with k0 = 2.5 (numeric solver) and c1 = logspace(-2, 2, 500)
//   heatmap_large, solutions_large, numeric_large: the same at 20,000 x 1001 cells, 200,000 and
//               20,000 games, compute only: the two-thread scaling rows of issue 6 target 7 (the
//               small runs take 3-12 ms, where thread start-up and first page faults weigh)
//   heatmap_large_general, heatmap_large_pareto, heatmap_large_general_pareto: heatmap_large at
//               k0 = 2.5, k1 = 3.5, and both with in_pareto, compute only (target 4c: general k
//               against k = 2 on the same grid)
// The per-point sweeps use small tiles (2048 and 64 cells: 10 and 8 tiles) so that a second
// thread has work; with fig05's tile_cells = 65536 each would be one tile.
// Each workload is validated once, untimed, before anything is timed ("validate, then time"): a
// compute-only run and an HDF5 run must cover every cell and tile and report cells_not_ok == 0.
// Then run_sweep is timed with compute_only = true (`compute`) and writing an HDF5 file (`hdf5`,
// removed between iterations outside the timed region), and for heatmap and solutions also with
// precision f32 and compression deflate (`hdf5_f32_deflate`, through overrides), each for the
// thread counts given as the benchmark argument. Times are wall-clock (UseRealTime): the work runs
// on TBB threads. Counters: cells_per_second (kIsRate) and, for the HDF5 cases, bytes_per_second
// of output file and file_bytes.
// Beside them, the machine's own scaling over threads (issue 6, target 7: compare ftg's
// 2-thread/1-thread ratio with the machine's in the same run): bm_machine/compute (a vectorised
// arithmetic loop over an L1-resident array, like a row kernel without its stores) and
// bm_machine/store (the same arithmetic streamed into a 16 MB buffer per thread, like tiles in
// flight), each thread doing the same fixed work independently on its own std::thread; the
// counter items_per_second is elements over wall time, so 2 free cores give 2x.
#include <benchmark/benchmark.h>

#include <cstring>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "engine/run.hpp"
#include "engine/tile_compute.hpp"
#include "kernels/spe.hpp"

#ifndef FTG_BENCH_BUILD_TYPE
#define FTG_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

namespace fs = std::filesystem;

struct workload {
  const char* name;
  const char* text;     ///< the sweep file
  std::uint64_t cells;  ///< expected cell count
  bool f32_deflate;     ///< also benchmark the f32 + deflate HDF5 variant
  bool compute_only = false;  ///< only the compute mode (the two-thread scaling workloads)
};

const workload workloads[] = {
    {"heatmap",
     "# bench_sweep: like sweeps/fig03_utilities.ini, 1000 x 1001 cells\n"
     "[sweep]\nname = heatmap\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 1000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 65536\n",
     1000ULL * 1001ULL, true},
    // Target 4b at tile_cells = 16384 (docs/sweeps.md: faster for compute-bound sweeps, since a tile
    // of 16 rows of 1001 deltas, 528 KB, stays in L2; the default 65536 writes large sweeps faster).
    {"heatmap_t16k",
     "# bench_sweep: the heatmap workload at tile_cells = 16384\n"
     "[sweep]\nname = heatmap_t16k\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 1000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 16384\n",
     1000ULL * 1001ULL, false, true},
    {"solutions",
     "# bench_sweep: like sweeps/fig05_bargaining.ini, 20000 games, closed forms\n"
     "[sweep]\nname = solutions\nmodel = two_player\nsolutions = all\nmethod = auto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-2, 2, 20000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\nbeta = 0.5\n"
     "[run]\ntile_cells = 2048\n",
     20000ULL, true},
    {"numeric",
     "# bench_sweep: like sweeps/fig05_bargaining.ini with k0 = 2.5 (numeric), 500 games\n"
     "[sweep]\nname = numeric\nmodel = two_player\nsolutions = all\nmethod = auto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-2, 2, 500)\nk0 = 2.5\nk1 = 2\nd0 = 0\nd1 = 0\nbeta = 0.5\n"
     "[run]\ntile_cells = 64\n",
     500ULL, false},
    // Issue 6 target 7 (two threads >= 1.8x one): the small workloads above take 3-12 ms, where
    // thread start-up and the first tiles' page faults weigh; these take 50-200 ms on one thread.
    {"heatmap_large",
     "# bench_sweep: the heatmap workload at 20,000 x 1001 cells (scaling)\n"
     "[sweep]\nname = heatmap_large\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 20000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 65536\n",
     20000ULL * 1001ULL, false, true},
    {"heatmap_large_t16k",
     "# bench_sweep: heatmap_large at tile_cells = 16384\n"
     "[sweep]\nname = heatmap_large_t16k\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 20000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 16384\n",
     20000ULL * 1001ULL, false, true},
    // Issue 6 target 4c (general k as fast as k = 2): the heatmap_large grid at k0 = 2.5, k1 = 3.5,
    // and both with in_pareto (k = 2 takes the closed-form set per row, general k the slope test).
    {"heatmap_large_general",
     "# bench_sweep: heatmap_large at k0 = 2.5, k1 = 3.5 (target 4c)\n"
     "[sweep]\nname = heatmap_large_general\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 20000)\nk0 = 2.5\nk1 = 3.5\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 65536\n",
     20000ULL * 1001ULL, false, true},
    {"heatmap_large_pareto",
     "# bench_sweep: heatmap_large with in_pareto (target 4c)\n"
     "[sweep]\nname = heatmap_large_pareto\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d, in_pareto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 20000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 65536\n",
     20000ULL * 1001ULL, false, true},
    {"heatmap_large_general_pareto",
     "# bench_sweep: heatmap_large_general with in_pareto (target 4c)\n"
     "[sweep]\nname = heatmap_large_general_pareto\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d, in_pareto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 20000)\nk0 = 2.5\nk1 = 3.5\nd0 = 0\nd1 = 0\n"
     "delta = linspace(0, 1, 1001)\n"
     "[run]\ntile_cells = 65536\n",
     20000ULL * 1001ULL, false, true},
    {"solutions_large",
     "# bench_sweep: the solutions workload at 200,000 games (scaling)\n"
     "[sweep]\nname = solutions_large\nmodel = two_player\nsolutions = all\nmethod = auto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-2, 2, 200000)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\nbeta = 0.5\n"
     "[run]\ntile_cells = 2048\n",
     200000ULL, false, true},
    {"numeric_large",
     "# bench_sweep: the numeric workload at 20,000 games (scaling)\n"
     "[sweep]\nname = numeric_large\nmodel = two_player\nsolutions = all\nmethod = auto\n"
     "precision = f64\ncompression = none\n"
     "[grid]\nc0 = 1\nc1 = logspace(-2, 2, 20000)\nk0 = 2.5\nk1 = 2\nd0 = 0\nd1 = 0\nbeta = 0.5\n"
     "[run]\ntile_cells = 256\n",
     20000ULL, false, true},
};

enum class mode { compute, hdf5, hdf5_f32_deflate };

const char* mode_name(mode m) {
  switch (m) {
    case mode::compute: return "compute";
    case mode::hdf5: return "hdf5";
    case mode::hdf5_f32_deflate: return "hdf5_f32_deflate";
  }
  return "?";
}

fs::path g_dir;  // the temporary directory holding the sweep files and outputs

fs::path sweep_path(const workload& w) { return g_dir / (std::string(w.name) + ".ini"); }
fs::path output_path(const workload& w, mode m) {
  return g_dir / (std::string(w.name) + "-" + mode_name(m) + ".h5");
}

ftg::run_options options(const workload& w, mode m, int threads) {
  ftg::run_options o;
  o.sweep_path = sweep_path(w).string();
  o.compute_only = m == mode::compute;
  if (!o.compute_only) o.output = output_path(w, m).string();
  o.force = true;
  o.threads = threads;
  o.progress = ftg::progress_mode::none;
  if (m == mode::hdf5_f32_deflate) o.overrides = {"sweep.precision=f32", "sweep.compression=deflate"};
  o.command_line = "ftg_bench_sweep";
  return o;
}

/// Empty when the run covered the workload with no failed cell, else what went wrong.
std::string check(const workload& w, const ftg::run_summary& s) {
  std::ostringstream e;
  if (s.stopped) e << "stopped by signal " << s.signal << "; ";
  if (s.cells != w.cells) e << "cells " << s.cells << " != " << w.cells << "; ";
  if (s.tiles_computed != s.tiles) e << "tiles_computed " << s.tiles_computed << " != " << s.tiles << "; ";
  if (s.cells_not_ok != 0) e << "cells_not_ok " << s.cells_not_ok << "; ";
  return e.str();
}

void bm_sweep(benchmark::State& state, const workload* w, mode m) {
  const int threads = static_cast<int>(state.range(0));
  const ftg::run_options opts = options(*w, m, threads);
  const fs::path out = output_path(*w, m);
  std::ostringstream err;  // progress is none; anything else run_sweep says is kept, not printed
  std::uint64_t bytes = 0;
  std::uint64_t runs = 0;
  for (auto _ : state) {
    ftg::run_summary s = ftg::run_sweep(opts, err);
    state.PauseTiming();
    if (const std::string bad = check(*w, s); !bad.empty()) {
      state.SkipWithError(("run_sweep: " + bad).c_str());
      break;
    }
    if (m != mode::compute) {
      std::error_code ec;
      const auto size = fs::file_size(out, ec);
      if (ec) {
        state.SkipWithError(("no output file " + out.string()).c_str());
        break;
      }
      bytes += size;
      fs::remove(out, ec);
    }
    ++runs;
    benchmark::DoNotOptimize(s);
    state.ResumeTiming();
  }
  if (runs == 0) return;
  const double cells = static_cast<double>(w->cells) * static_cast<double>(runs);
  state.counters["cells_per_second"] = benchmark::Counter(cells, benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
  if (m != mode::compute) {
    state.counters["bytes_per_second"] =
        benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsRate,
                           benchmark::Counter::kIs1024);
    state.counters["file_bytes"] = static_cast<double>(bytes) / static_cast<double>(runs);
  }
}

/// Runs every workload once compute-only and once with HDF5 (f64; and f32 + deflate where it is
/// benchmarked), untimed; false (with a message) if any run fails or reports a failed cell.
std::vector<mode> modes_of(const workload& w) {
  std::vector<mode> modes = {mode::compute};
  if (!w.compute_only) modes.push_back(mode::hdf5);
  if (w.f32_deflate) modes.push_back(mode::hdf5_f32_deflate);
  return modes;
}

bool validate_all() {
  for (const workload& w : workloads) {
    for (mode m : modes_of(w)) {
      std::ostringstream err;
      try {
        const ftg::run_summary s = ftg::run_sweep(options(w, m, 2), err);
        if (const std::string bad = check(w, s); !bad.empty()) {
          std::cerr << "ftg_bench_sweep: validation of " << w.name << "/" << mode_name(m)
                    << " failed: " << bad << "\n" << err.str();
          return false;
        }
        std::cerr << "ftg_bench_sweep: validated " << w.name << "/" << mode_name(m) << ": "
                  << ftg::describe_summary(s) << "\n";
        if (m != mode::compute) fs::remove(output_path(w, m));
      } catch (const std::exception& e) {
        std::cerr << "ftg_bench_sweep: validation of " << w.name << "/" << mode_name(m)
                  << " threw: " << e.what() << "\n" << err.str();
        return false;
      }
    }
  }
  return true;
}


// ---- the machine's own scaling (target 7) ----

constexpr std::size_t machine_l1_elems = 1024;               // 8 KB: stays in L1
constexpr std::size_t machine_compute_passes = 20000;        // 2.0e7 elements per thread
constexpr std::size_t machine_store_elems = 2u << 20;        // 16 MB per thread: beyond L2
constexpr std::size_t machine_store_passes = 10;             // 2.1e7 elements per thread

// One thread's work. compute: `passes` times over an L1 array, x = x * a + b * sqrt(x) (FMA,
// sqrt, vectorised, no stores leaving L1); store: the same arithmetic from a short input written
// to a large private buffer (memory traffic like a tile's outputs). Returns a checksum.
double machine_work(bool store, std::vector<double>& buf) {
  double sum = 0.0;
  if (!store) {
    double* x = buf.data();
    for (std::size_t p = 0; p < machine_compute_passes; ++p) {
      for (std::size_t i = 0; i < machine_l1_elems; ++i) x[i] = x[i] * 0.9999 + 1e-4 * std::sqrt(x[i]);
      benchmark::ClobberMemory();
    }
    for (std::size_t i = 0; i < machine_l1_elems; ++i) sum += x[i];
  } else {
    double* x = buf.data();
    for (std::size_t p = 0; p < machine_store_passes; ++p) {
      const double a = 0.5 + 1e-3 * static_cast<double>(p);
      for (std::size_t i = 0; i < machine_store_elems; ++i) {
        const double v = static_cast<double>(i & 1023) * 1e-3 + a;
        x[i] = v * 0.9999 + 1e-4 * std::sqrt(v);
      }
      benchmark::ClobberMemory();
    }
    sum = x[0] + x[machine_store_elems - 1];
  }
  return sum;
}

// bm_machine/row: the heatmap row kernel alone, no engine: each thread runs spe_row (k = 2, the
// heatmap workload's games) over 64 rows of 1001 deltas into its own tile-sized buffers (four
// fields on 64-byte boundaries as ftg run's, and the statuses: 2.1 MB, a tile of ftg run at the
// default tile_cells = 65536), 300 times (about 1.9e7 cells per thread). Its 2-thread/1-thread
// ratio is the machine's own scaling for store-bound row work, the fair reference for the
// heatmap sweeps' scaling (target 7).
constexpr std::size_t machine_row_rows = 64, machine_row_deltas = 1001, machine_row_passes = 300;
// bm_machine/row_16, bm_machine/tile_store_16: the same with 16-row tiles (528 KB, a tile of ftg
// run at tile_cells = 16384, which stays in a 1-2 MB L2 cache), 4x the passes (the same cells).
constexpr std::size_t machine_small_rows = 16;
using tile_doubles = ftg::field_buffer;  // 64-byte aligned, as ftg run's tile buffers

//
// bm_machine/tile_store: the same buffers and passes with nothing computed: each row's four
// fields get a constant and its statuses a memset, the bytes a heatmap tile stores (33 a cell)
// and nothing else. The machine's ceiling for a k = 2 heatmap streamed in tiles of this size
// (target 4b: 15x numpy is a rate in cells/s, to be read against this one).
// The constant stores at the widest vectors the CPU has (as the row kernel's own clones), so that
// the ceiling is not a baseline-x86-64 (16-byte store) artefact.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void fill_doubles(double* p, std::size_t n, double v) {
  for (std::size_t i = 0; i < n; ++i) p[i] = v;
}

double machine_row_work(tile_doubles& buf, std::vector<ftg::cell_status>& st, bool pure_store,
                        std::size_t rows) {
  std::vector<double> d(machine_row_deltas);
  for (std::size_t j = 0; j < d.size(); ++j) d[j] = static_cast<double>(j) / 1000.0;
  const std::size_t cells = rows * machine_row_deltas;
  const std::size_t passes = machine_row_passes * machine_row_rows / rows;
  double sum = 0.0;
  for (std::size_t p = 0; p < passes; ++p) {
    if (pure_store) {
      const double v = 0.5 + 1e-3 * static_cast<double>(p);
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t o = r * machine_row_deltas;
        for (std::size_t f = 0; f < 4; ++f) fill_doubles(buf.data() + f * cells + o, machine_row_deltas, v);
        std::memset(st.data() + o, 0, machine_row_deltas);
      }
      benchmark::ClobberMemory();
      sum += buf[p % cells];
      continue;
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const ftg::game_params g{1.0, 0.1 + 0.01 * static_cast<double>(r + p % 7), 2.0, 2.0, 0.0, 0.0};
      const std::size_t o = r * machine_row_deltas;
      ftg::spe_row(g, d, ftg::spe_row_out{buf.data() + o, buf.data() + cells + o, buf.data() + 2 * cells + o,
                                buf.data() + 3 * cells + o, st.data() + o});
    }
    benchmark::ClobberMemory();
    sum += buf[p % cells];
  }
  return sum;
}

// bm_machine/linear_loop, bm_machine/basis_loop (target 4c's ceiling): the row kernel's per-cell
// work written as one plain loop, no engine and no library: the k = 2 cell (alpha0 = a0 delta,
// b = a1 (1 - delta)) against the basis cell (alpha0 = A0 pow0[j], b = A1 pow1[j], two more
// arrays read per cell), each with the same four f64 stores, the same status memset a row and
// the same finiteness check, into the same tile buffers as bm_machine/row, one thread; each row's
// first cells up to a 64-byte boundary of its outputs apart, as the row kernel does.
// basis_loop / linear_loop is what this machine's memory system gives general k against k = 2
// for the same stores: the most that ftg's own general-k / k = 2 ratio (4c) can reach with a
// basis of three arrays a column. Measured in a standalone test (docs/performance.md): about
// 0.95 on rows of 512 deltas or fewer, whose basis stays in L1 beside the streaming stores,
// and 0.86-0.88 on rows of 1001.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
std::uint64_t raw_row(bool basis, std::size_t m, const double* __restrict d, const double* __restrict p0,
                      const double* __restrict p1, double a0, double a1, double r0, double r1,
                      double* __restrict o0, double* __restrict o1, double* __restrict og, double* __restrict od) {
  std::uint64_t bad = 0;
  if (basis) {
    for (std::size_t j = 0; j < m; ++j) {
      const double rest = 1.0 - d[j], al0 = a0 * p0[j], b = a1 * p1[j], al1 = al0 + b;
      o0[j] = al0;
      o1[j] = al1;
      og[j] = d[j] * (al1 - al0 * r0);
      od[j] = rest * (al1 - b * r1);
      bad |= ((std::bit_cast<std::uint64_t>(al1) >> 52 & 0x7FFu) + 1u) >> 11 |
             ((std::bit_cast<std::uint64_t>(d[j]) | std::bit_cast<std::uint64_t>(rest)) >> 63);
    }
  } else {
    for (std::size_t j = 0; j < m; ++j) {
      const double rest = 1.0 - d[j], al0 = a0 * d[j], b = a1 * rest, al1 = al0 + b;
      o0[j] = al0;
      o1[j] = al1;
      og[j] = d[j] * (al1 - al0 * 0.5);
      od[j] = rest * (al1 - b * 0.5);
      bad |= ((std::bit_cast<std::uint64_t>(al1) >> 52 & 0x7FFu) + 1u) >> 11 |
             ((std::bit_cast<std::uint64_t>(d[j]) | std::bit_cast<std::uint64_t>(rest)) >> 63);
    }
  }
  return bad;
}

void bm_machine_raw_loop(benchmark::State& state, bool basis, std::size_t group) {
  const std::size_t n = machine_row_deltas, cells = machine_row_rows * n;
  std::vector<double> d(n), p0(n), p1(n);
  for (std::size_t j = 0; j < n; ++j) {
    d[j] = static_cast<double>(j) / static_cast<double>(n - 1);
    p0[j] = std::pow(d[j], 1.0 / 1.5);  // k0 = 2.5, k1 = 3.5, as heatmap_large_general
    p1[j] = std::pow(1.0 - d[j], 1.0 / 2.5);
  }
  tile_doubles buf(4 * cells, 0.5);  // allocated and touched outside the timed region
  std::vector<ftg::cell_status> st(cells, ftg::cell_status::ok);
  std::uint64_t runs = 0, bad = 0;
  // The row kernel's chunks (kernels/spe_row.cpp): chunk c of row r is [b(c), b(c + 1)), b(0) = 0,
  // b(c) = c * 256 - (8 - lead) % 8, and its first `lead` cells, up to the 64-byte boundary of
  // the row's outputs, run apart; the stores of every other vector are then aligned.
  const std::size_t chunks = (n + 255) / 256 + 1;
  const auto chunk = [&](std::size_t r, std::size_t c, double a1) {
    const std::size_t o = r * n;
    const std::size_t lead = (64 - reinterpret_cast<std::uintptr_t>(buf.data() + o) % 64) % 64 / sizeof(double);
    const auto b = [&](std::size_t k) { return k == 0 ? std::size_t{0} : std::min(n, k * 256 - (8 - lead) % 8); };
    const std::size_t lo = b(c), hi = b(c + 1), head = lo == 0 ? std::min(lead, hi) : lo;
    std::uint64_t out = 0;
    for (const auto& [x, y] : {std::pair{lo, head}, std::pair{head, hi}})
      if (x < y)
        out |= raw_row(basis, y - x, d.data() + x, p0.data() + x, p1.data() + x, basis ? 0.54 : 0.5, a1, 0.4,
                       1.0 / 3.5, buf.data() + o + x, buf.data() + cells + o + x, buf.data() + 2 * cells + o + x,
                       buf.data() + 3 * cells + o + x);
    return out;
  };
  for (auto _ : state) {
    for (std::size_t p = 0; p < machine_row_passes; ++p) {
      for (std::size_t r0 = 0; r0 < machine_row_rows; r0 += group) {
        double a1[64];
        for (std::size_t r = r0; r < r0 + group; ++r) {
          const double c1 = 0.1 + 0.01 * static_cast<double>(r + p % 7);
          a1[r - r0] = basis ? std::pow(3.5 * c1, -0.4) : 0.5 / c1;
          std::memset(st.data() + r * n, 0, n);
        }
        for (std::size_t c = 0; c < chunks; ++c)
          for (std::size_t r = r0; r < r0 + group; ++r) bad |= chunk(r, c, a1[r - r0]);
      }
      benchmark::ClobberMemory();
    }
    ++runs;
  }
  benchmark::DoNotOptimize(bad);
  state.counters["items_per_second"] = benchmark::Counter(
      static_cast<double>(cells * machine_row_passes) * static_cast<double>(runs), benchmark::Counter::kIsRate);
  state.counters["threads"] = 1;
}

void bm_machine_row(benchmark::State& state, bool pure_store, std::size_t rows) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t cells = rows * machine_row_deltas;
  const std::size_t passes = machine_row_passes * machine_row_rows / rows;
  std::vector<tile_doubles> bufs(static_cast<std::size_t>(threads));
  std::vector<std::vector<ftg::cell_status>> sts(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {  // allocated and touched outside the timed region
    bufs[static_cast<std::size_t>(t)].assign(4 * cells, 0.5);
    sts[static_cast<std::size_t>(t)].assign(cells, ftg::cell_status::ok);
  }
  std::vector<double> sums(static_cast<std::size_t>(threads));
  std::uint64_t runs = 0;
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        sums[static_cast<std::size_t>(t)] =
            machine_row_work(bufs[static_cast<std::size_t>(t)], sts[static_cast<std::size_t>(t)], pure_store, rows);
      });
    for (std::thread& th : pool) th.join();
    benchmark::DoNotOptimize(sums.data());
    ++runs;
  }
  state.counters["items_per_second"] = benchmark::Counter(
      static_cast<double>(cells * passes) * threads * static_cast<double>(runs), benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

void bm_machine(benchmark::State& state, bool store) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t elems = store ? machine_store_elems : machine_l1_elems;
  const std::size_t per_thread = elems * (store ? machine_store_passes : machine_compute_passes);
  std::vector<std::vector<double>> bufs(static_cast<std::size_t>(threads));
  for (auto& b : bufs) b.assign(elems, 0.5);  // allocated and touched outside the timed region
  std::vector<double> sums(static_cast<std::size_t>(threads));
  std::uint64_t runs = 0;
  for (auto _ : state) {
    std::vector<std::thread> pool;  // the same std::thread start and join for 1 and 2 threads
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { sums[static_cast<std::size_t>(t)] = machine_work(store, bufs[static_cast<std::size_t>(t)]); });
    for (std::thread& th : pool) th.join();
    benchmark::DoNotOptimize(sums.data());
    ++runs;
  }
  state.counters["items_per_second"] = benchmark::Counter(
      static_cast<double>(per_thread) * threads * static_cast<double>(runs), benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  std::string tmpl = (fs::temp_directory_path() / "ftg_bench_sweep.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("ftg_bench_sweep: mkdtemp");
    return 1;
  }
  g_dir = tmpl;
  for (const workload& w : workloads) {
    std::ofstream f(sweep_path(w));
    f << w.text;
    if (!f) {
      std::cerr << "ftg_bench_sweep: cannot write " << sweep_path(w) << "\n";
      return 1;
    }
  }

  int status = 0;
  if (!validate_all()) {
    status = 1;
  } else {
    // 1..N threads; N = FTG_BENCH_SWEEP_THREADS, default 2 (the development machine has 2 vCPUs)
    int max_threads = 2;
    if (const char* n = std::getenv("FTG_BENCH_SWEEP_THREADS"); n != nullptr && std::atoi(n) >= 1)
      max_threads = std::atoi(n);
    for (const workload& w : workloads) {
      for (mode m : modes_of(w)) {
        auto* b = benchmark::RegisterBenchmark(
            (std::string("bm_sweep/") + w.name + "/" + mode_name(m)).c_str(), bm_sweep, &w, m);
        b->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond);
        for (int t = 1; t <= max_threads; ++t) b->Arg(t);
      }
    }
    for (const bool store : {false, true}) {
      auto* b = benchmark::RegisterBenchmark(store ? "bm_machine/store" : "bm_machine/compute", bm_machine, store);
      b->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond);
      for (int t = 1; t <= max_threads; ++t) b->Arg(t);
    }
    for (const std::size_t rows : {machine_row_rows, machine_small_rows}) {
      for (const bool pure_store : {false, true}) {
        const std::string name = std::string(pure_store ? "bm_machine/tile_store" : "bm_machine/row") +
                                 (rows == machine_row_rows ? "" : "_" + std::to_string(rows));
        auto* b = benchmark::RegisterBenchmark(name.c_str(), bm_machine_row, pure_store, rows);
        b->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond);
        for (int t = 1; t <= max_threads; ++t) b->Arg(t);
      }
    }
    // Target 4c's ceiling, one thread: row by row, and rows in groups of 8 chunk by chunk (as
    // spe_rows takes basis rows).
    for (const char* v : {"linear_loop", "basis_loop", "linear_loop_grouped", "basis_loop_grouped"})
      benchmark::RegisterBenchmark((std::string("bm_machine/") + v).c_str(), bm_machine_raw_loop,
                                   std::strncmp(v, "basis", 5) == 0, std::strstr(v, "grouped") ? 8 : 1)
          ->ArgName("threads")->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::AddCustomContext("ftg_build_type", FTG_BENCH_BUILD_TYPE);
    for (const workload& w : workloads)
      benchmark::AddCustomContext(std::string("ftg_cells_") + w.name, std::to_string(w.cells));
    benchmark::RunSpecifiedBenchmarks();
  }
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(g_dir, ec);
  return status;
}
