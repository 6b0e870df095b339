// bench/bench_kernels.cpp: throughput of every kernel in kernels/, per method, on the fixed samples
// of bench/workload.hpp (Google Benchmark; Boost.Math's reporting/performance/ idea).
//
// Every benchmark first runs its workload once untimed and turns the outcome into counters
// (QuantLib's "validate, then time"; see validation_memo in workload.hpp): fail_frac is the fraction of results whose status is a failure
// (neither ok nor disagreement), iters_per_solve the mean of bargain_result::iterations. The timed
// loop then repeats the same pass over the sample; items_per_second reads as evaluations/s (spe) or
// solves/s (bargaining, Pareto) or games/s (solve_game, which also reports solutions_per_second).
// No timing is asserted anywhere; scripts/bench.sh turns the JSON into ratios against the peers.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/aligned.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/detail/batch_isa.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"
#include "workload.hpp"

#ifndef FTG_BENCH_BUILD_TYPE
#define FTG_BENCH_BUILD_TYPE "unknown"
#endif

namespace ftg::bench {
namespace {

bool is_failure(cell_status s) noexcept {
  return s != cell_status::ok && s != cell_status::disagreement;
}

double beta_for(solution s) noexcept {
  return s == solution::generalized_nash ? generalized_nash_beta : 0.5;
}

/// Untimed outcome of one pass over a sample, stored as plain (non-rate) counters.
struct outcome {
  double results = 0;
  double failures = 0;
  double disagreements = 0;
  double iterations = 0;

  void add(cell_status s, double iters = 0.0) noexcept {
    results += 1;
    failures += is_failure(s) ? 1 : 0;
    disagreements += s == cell_status::disagreement ? 1 : 0;
    iterations += iters;
  }
  void store(std::map<std::string, double>& c, const char* iter_name = nullptr) const {
    c["fail_frac"] = failures / results;
    c["disagree_frac"] = disagreements / results;
    if (iter_name != nullptr) c[iter_name] = iterations / results;
  }
};

void set_rates(benchmark::State& state, std::size_t items_per_pass, const validation_memo& memo) {
  const auto items = static_cast<std::int64_t>(state.iterations()) *
                     static_cast<std::int64_t>(items_per_pass);
  state.SetItemsProcessed(items);
  state.counters["time_per_item"] = benchmark::Counter(
      static_cast<double>(items), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  report_validation(state, memo);
}

// ---- SPE at fixed delta ------------------------------------------------------------------------

void bm_spe(benchmark::State& state, const validation_memo& memo, k_case k) {
  const auto games = make_games(k);
  const auto deltas = make_deltas();
  validate_once(memo, [&](auto& c) {
    outcome out;
    for (const auto& g : games)
      for (double d : deltas) out.add(spe(g, d).status);
    out.store(c);
  });
  for (auto _ : state) {
    for (const auto& g : games)
      for (double d : deltas) {
        auto r = spe(g, d);
        benchmark::DoNotOptimize(r);
      }
  }
  set_rates(state, games.size() * deltas.size(), memo);
}

void bm_spe_numeric(benchmark::State& state, const validation_memo& memo, k_case k) {
  // Nested Brent over TOMS 748 costs far more per cell: a smaller sample keeps a pass short.
  const auto games = make_games(k, 64);
  const auto deltas = make_deltas(9);
  validate_once(memo, [&](auto& c) {
    outcome out;
    double max_rel_dev = 0.0;  // alpha1 against the closed form; the header promises about 1e-8
    for (const auto& g : games)
      for (double d : deltas) {
        const auto n = spe_numeric(g, d);
        const auto f = spe(g, d);
        out.add(n.status);
        if (n.status == cell_status::ok && f.status == cell_status::ok)
          max_rel_dev = std::max(max_rel_dev, std::abs(n.alpha1 - f.alpha1) /
                                                  std::max(std::abs(f.alpha1), 1e-300));
      }
    out.store(c);
    c["max_rel_dev_alpha1_vs_closed_form"] = max_rel_dev;
  });
  for (auto _ : state) {
    for (const auto& g : games)
      for (double d : deltas) {
        auto r = spe_numeric(g, d);
        benchmark::DoNotOptimize(r);
      }
  }
  set_rates(state, games.size() * deltas.size(), memo);
}

// ---- Heatmap rows (spe_row) ---------------------------------------------------------------------

// The grid of bench/peers/peer_heatmap.py: c0 = 1, c1 = logspace(-1, 1, 1000) (one game per row),
// delta = linspace(0, 1, 1000) (the row). Every pass writes alpha0, alpha1, u_g, u_d of every cell
// into preallocated arrays (32 MB: materialised in RAM, like numpy's arrays) plus the statuses.
inline constexpr int heatmap_side = 1000;

std::vector<double> linspace01(int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<double>(i) / (n - 1);
  return v;
}

std::vector<double> heatmap_c1() {
  std::vector<double> v(static_cast<std::size_t>(heatmap_side));
  for (int i = 0; i < heatmap_side; ++i)
    v[static_cast<std::size_t>(i)] = std::pow(10.0, -1.0 + 2.0 * i / (heatmap_side - 1));
  return v;
}

// The four fields and the statuses of the whole grid. Each field starts on a cache line
// (kernels/aligned.hpp), which is what spe_row's aligned stores need: its chunks align to the first
// field, the others follow when they agree with it modulo 64. `offset` places the fields 16, 32,
// 48 and 0 bytes into a line instead, as glibc's heap may place plain std::vector<double>s of 8 MB
// (after a free, malloc serves them from the heap rather than mmap): the information row
// bm_heatmap_row/basis_offset shows what that costs.
struct heatmap_arrays {
  cache_line_vector<double> block;
  std::vector<cell_status> st;
  std::span<double> a0, a1, ug, ud;
  heatmap_arrays(std::size_t n, bool offset) : block(4 * (n + 8)), st(n) {
    std::span<double> all(block);
    const std::size_t stride = n + 8;  // each field's own line-aligned region
    a0 = all.subspan(0 * stride + (offset ? 2 : 0), n);
    a1 = all.subspan(1 * stride + (offset ? 4 : 0), n);
    ug = all.subspan(2 * stride + (offset ? 6 : 0), n);
    ud = all.subspan(3 * stride, n);
  }
};

// One pass: with_basis hoists the per-delta powers once for the whole grid (kernels/spe.hpp).
void heatmap_pass(const k_case& k, const std::vector<double>& c1s, const std::vector<double>& deltas,
                  bool with_basis, std::vector<double>& pow0, std::vector<double>& pow1,
                  heatmap_arrays& h) {
  const std::size_t n = deltas.size();
  spe_row_basis basis;
  if (with_basis) basis = spe_row_basis_fill(k.k0, k.k1, deltas, pow0, pow1);
  for (std::size_t r = 0; r < c1s.size(); ++r) {
    const game_params g{1.0, c1s[r], k.k0, k.k1, 0.0, 0.0};
    const std::size_t o = r * n;
    spe_row(g, deltas,
            spe_row_out{h.a0.data() + o, h.a1.data() + o, h.ug.data() + o, h.ud.data() + o,
                        h.st.data() + o},
            with_basis ? &basis : nullptr);
  }
}

void bm_heatmap_row(benchmark::State& state, const validation_memo& memo, k_case k, bool with_basis,
                    bool offset) {
  const auto c1s = heatmap_c1();
  const auto deltas = linspace01(heatmap_side);
  const std::size_t cells = c1s.size() * deltas.size();
  std::vector<double> pow0(deltas.size()), pow1(deltas.size());
  heatmap_arrays h(cells, offset);
  validate_once(memo, [&](auto& c) {
    heatmap_pass(k, c1s, deltas, with_basis, pow0, pow1, h);
    outcome out;
    double sum_ug = 0.0, sum_ud = 0.0, max_rel_dev = 0.0;  // against spe() on a subsample
    for (std::size_t i = 0; i < cells; ++i) {
      out.add(h.st[i]);
      sum_ug += h.ug[i];
      sum_ud += h.ud[i];
      if (i % 97 == 0) {
        const spe_result e = spe(game_params{1.0, c1s[i / deltas.size()], k.k0, k.k1, 0.0, 0.0},
                                 deltas[i % deltas.size()]);
        if (e.u_g != 0.0) max_rel_dev = std::max(max_rel_dev, std::abs(h.ug[i] - e.u_g) / std::abs(e.u_g));
      }
    }
    out.store(c);
    c["checksum_u_g"] = sum_ug;  // compared with peer_heatmap.py's sums by rounds_table.py
    c["checksum_u_d"] = sum_ud;
    c["max_rel_dev_vs_spe"] = max_rel_dev;
  });
  for (auto _ : state) {
    heatmap_pass(k, c1s, deltas, with_basis, pow0, pow1, h);
    benchmark::DoNotOptimize(h.ug.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, cells, memo);
}

// ---- Bargaining solutions ----------------------------------------------------------------------

void bm_bargain_numeric(benchmark::State& state, const validation_memo& memo, solution s,
                        k_case k) {
  const auto games = make_games(k);
  const double beta = beta_for(s);
  validate_once(memo, [&](auto& c) {
    outcome out;
    for (const auto& g : games) {
      const auto r = bargain_numeric(s, g, beta);
      out.add(r.status, r.iterations);
    }
    out.store(c, "iters_per_solve");
  });
  for (auto _ : state) {
    for (const auto& g : games) {
      auto r = bargain_numeric(s, g, beta);
      benchmark::DoNotOptimize(r);
    }
  }
  set_rates(state, games.size(), memo);
}

// The lock-step SIMD solver (bargain_numeric_batch, issue 6's stretch target) on the same games:
// validated against bargain_numeric game by game (max_ddelta_vs_scalar; lockstep_frac = share of
// the games the SIMD path took, 0 on a CPU with neither AVX-512 nor AVX2 + FMA).
// isa: the instruction set of the lanes (detail::batch_isa; the best the CPU has by default, as the
// public entry takes; the _avx2 rows force AVX2 + FMA, what CPUs without AVX-512 run).
void bm_bargain_batch(benchmark::State& state, const validation_memo& memo, solution s, k_case k,
                      detail::batch_isa isa) {
  const auto games = make_games(k);
  const double beta = beta_for(s);
  std::vector<bargain_result> out(games.size());
  validate_once(memo, [&](auto& c) {
    const std::size_t lock = detail::bargain_numeric_batch_on(isa, s, games, beta, out);
    outcome o;
    double worst = 0.0;
    for (std::size_t i = 0; i < games.size(); ++i) {
      o.add(out[i].status, out[i].iterations);
      const bargain_result e = bargain_numeric(s, games[i], beta);
      if (e.status != out[i].status) worst = std::numeric_limits<double>::infinity();
      else if (e.status == cell_status::ok) worst = std::max(worst, std::abs(e.delta - out[i].delta));
    }
    o.store(c, "iters_per_solve");
    c["lockstep_frac"] = static_cast<double>(lock) / static_cast<double>(games.size());
    c["max_ddelta_vs_scalar"] = worst;
  });
  for (auto _ : state) {
    detail::bargain_numeric_batch_on(isa, s, games, beta, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, games.size(), memo);
}

void bm_bargain_closed_form(benchmark::State& state, const validation_memo& memo, solution s,
                            k_case k) {
  const auto games = make_games(k);
  const double beta = beta_for(s);
  validate_once(memo, [&](auto& c) {
    outcome out;
    double max_dev = 0.0;  // |delta* closed form - delta* numeric| where both are ok
    for (const auto& g : games) {
      const auto f = bargain_closed_form(s, g, beta);
      const auto n = bargain_numeric(s, g, beta);
      out.add(f.status, f.iterations);
      if (f.status == cell_status::ok && n.status == cell_status::ok)
        max_dev = std::max(max_dev, std::abs(f.delta - n.delta));
    }
    out.store(c, "iters_per_solve");
    c["max_ddelta_vs_numeric"] = max_dev;
  });
  for (auto _ : state) {
    for (const auto& g : games) {
      auto r = bargain_closed_form(s, g, beta);
      benchmark::DoNotOptimize(r);
    }
  }
  set_rates(state, games.size(), memo);
}

void bm_solve_game(benchmark::State& state, const validation_memo& memo, method m, k_case k) {
  const auto games = make_games(k);
  const double beta = generalized_nash_beta;
  validate_once(memo, [&](auto& c) {
    outcome out;  // one result per solution, plus the Pareto set
    for (const auto& g : games) {
      const auto r = solve_game(g, beta, m);
      out.add(r.pareto.status);
      for (const auto& b : r.solutions) out.add(b.status, b.iterations);
    }
    out.store(c);
    c["iters_per_game"] = out.iterations / static_cast<double>(games.size());
  });
  for (auto _ : state) {
    for (const auto& g : games) {
      auto r = solve_game(g, beta, m);
      benchmark::DoNotOptimize(r);
    }
  }
  set_rates(state, games.size(), memo);
  state.counters["solutions_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(games.size()) * solution_count,
      benchmark::Counter::kIsRate);
}

// All solutions of many games through a batch solver (solve_game_closed_form_batch at k = 2,
// bit for bit solve_game: mismatches_vs_solve_game must be 0; solve_game_numeric_batch for
// general k: max_ddelta_vs_scalar against solve_game(numeric), checked <= 1e-12).
void bm_solve_game_batch(benchmark::State& state, const validation_memo& memo, method m, k_case k,
                         detail::batch_isa isa) {
  const auto games = make_games(k);
  const double beta = generalized_nash_beta;
  std::vector<game_solution> out(games.size());
  auto run = [&] {
    return m == method::closed_form ? detail::solve_game_closed_form_batch_on(isa, games, beta, out)
                                    : detail::solve_game_numeric_batch_on(isa, games, beta, out);
  };
  validate_once(memo, [&](auto& c) {
    const std::size_t lanes = run();
    outcome o;
    double mismatches = 0, worst = 0.0;
    for (std::size_t i = 0; i < games.size(); ++i) {
      const game_solution e = solve_game(games[i], beta, m);
      o.add(out[i].pareto.status);
      for (solution s : all_solutions) {
        const bargain_result& r = out[i][s];
        const bargain_result& x = e[s];
        o.add(r.status, r.iterations);
        const bool same = r.status == x.status && (r.status != cell_status::ok ||
                          (r.delta == x.delta && r.u_g == x.u_g && r.u_d == x.u_d && r.in_pareto == x.in_pareto));
        mismatches += same ? 0 : 1;
        if (r.status != x.status) worst = std::numeric_limits<double>::infinity();
        else if (x.status == cell_status::ok) worst = std::max(worst, std::abs(r.delta - x.delta));
      }
    }
    o.store(c);
    c["lane_frac"] = static_cast<double>(lanes) / static_cast<double>(games.size());
    if (m == method::closed_form) c["mismatches_vs_solve_game"] = mismatches;
    else c["max_ddelta_vs_scalar"] = worst;
  });
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, games.size(), memo);
  state.counters["solutions_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(games.size()) * solution_count,
      benchmark::Counter::kIsRate);
}

// ---- Pareto set --------------------------------------------------------------------------------

template <class Kernel>
void run_pareto(benchmark::State& state, const validation_memo& memo, k_case k, Kernel kernel) {
  const auto games = make_games(k);
  validate_once(memo, [&](auto& c) {
    outcome out;
    double intervals = 0;
    for (const auto& g : games) {
      const auto p = kernel(g);
      out.add(p.status);
      intervals += p.count;
    }
    out.store(c);
    c["intervals_per_set"] = intervals / static_cast<double>(games.size());
  });
  for (auto _ : state) {
    for (const auto& g : games) {
      auto r = kernel(g);
      benchmark::DoNotOptimize(r);
    }
  }
  set_rates(state, games.size(), memo);
}

void bm_pareto_numeric(benchmark::State& state, const validation_memo& memo, k_case k) {
  run_pareto(state, memo, k, [](const game_params& g) { return pareto_numeric(g); });
}

void bm_pareto_closed_form(benchmark::State& state, const validation_memo& memo, k_case k) {
  run_pareto(state, memo, k, [](const game_params& g) { return pareto_closed_form(g); });
}

std::string name(std::string_view bm, std::string_view variant, const k_case& k) {
  std::string s{bm};
  if (!variant.empty()) (s += '/') += variant;
  return (s += '/') += k.label;
}

}  // namespace

void register_kernel_benchmarks() {
  const auto add = [](const std::string& n, auto fn, auto... args) {
    benchmark::RegisterBenchmark(n.c_str(), fn, make_memo(), args...)
        ->Unit(benchmark::kMicrosecond);
  };
  for (const auto& k : {k_quadratic, k_general}) {
    add(name("bm_spe", "", k), bm_spe, k);
    add(name("bm_spe_numeric", "", k), bm_spe_numeric, k);
  }
  for (const auto& k : {k_quadratic, k_general}) {
    add(name("bm_heatmap_row", "basis", k), bm_heatmap_row, k, true, false);
    add(name("bm_heatmap_row", "spe_exact", k), bm_heatmap_row, k, false, false);
    if (k.k0 == 2.0) add(name("bm_heatmap_row", "basis_offset", k), bm_heatmap_row, k, true, true);
  }
  for (const auto& k : {k_quadratic, k_general})
    for (solution s : all_solutions)
      add(name("bm_bargain_numeric", to_string(s), k), bm_bargain_numeric, s, k);
  for (solution s : all_solutions)
    add(name("bm_bargain_closed_form", to_string(s), k_quadratic), bm_bargain_closed_form, s,
        k_quadratic);
  for (const auto& k : {k_quadratic, k_general})
    for (solution s : {solution::nash, solution::vertical_monopoly, solution::generalized_nash})
      add(name("bm_bargain_batch", to_string(s), k), bm_bargain_batch, s, k, detail::best_batch_isa());
  for (const auto& k : {k_quadratic, k_general})
    add(name("bm_solve_game", "numeric", k), bm_solve_game, method::numeric, k);
  add(name("bm_solve_game", "closed_form", k_quadratic), bm_solve_game, method::closed_form,
      k_quadratic);
  add(name("bm_solve_game", "closed_form_batch", k_quadratic), bm_solve_game_batch, method::closed_form,
      k_quadratic, detail::best_batch_isa());
  add(name("bm_solve_game", "numeric_batch", k_general), bm_solve_game_batch, method::numeric, k_general,
      detail::best_batch_isa());
  // The same batches on AVX2 + FMA, what CPUs without AVX-512 run (where the CPU has it).
  if (detail::batch_isa_supported(detail::batch_isa::avx2)) {
    add(name("bm_bargain_batch", "nash_avx2", k_general), bm_bargain_batch, solution::nash, k_general,
        detail::batch_isa::avx2);
    add(name("bm_solve_game", "closed_form_batch_avx2", k_quadratic), bm_solve_game_batch, method::closed_form,
        k_quadratic, detail::batch_isa::avx2);
    add(name("bm_solve_game", "numeric_batch_avx2", k_general), bm_solve_game_batch, method::numeric, k_general,
        detail::batch_isa::avx2);
  }
  for (const auto& k : {k_quadratic, k_general})
    add(name("bm_pareto_numeric", "", k), bm_pareto_numeric, k);
  add(name("bm_pareto_closed_form", "", k_quadratic), bm_pareto_closed_form, k_quadratic);
}

}  // namespace ftg::bench

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

#if defined(__clang__)
  const std::string compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = "g++ " __VERSION__;
#else
  const std::string compiler = "unknown";
#endif
  char checksum[32];
  std::snprintf(checksum, sizeof checksum, "%.17g",
                ftg::bench::sample_checksum(ftg::bench::make_games(ftg::bench::k_quadratic)));
  benchmark::AddCustomContext("ftg_compiler", compiler);
  benchmark::AddCustomContext("ftg_cpu_model", cpu_model());
  benchmark::AddCustomContext("ftg_build_type", FTG_BENCH_BUILD_TYPE);
  benchmark::AddCustomContext("ftg_sample_seed", std::to_string(ftg::bench::sample_seed));
  benchmark::AddCustomContext("ftg_sample_games", std::to_string(ftg::bench::sample_games));
  benchmark::AddCustomContext("ftg_sample_checksum", checksum);
#ifndef NDEBUG
  std::fputs("ftg_bench_kernels: built with assertions on; use the release preset for numbers\n",
             stderr);
#endif

  // FTG_BENCH_DUMP=FILE: write ftg's delta* of Nash and vertical monopoly for every sample game
  // (bargain_numeric), which bench/peers/rounds_table.py compares with the scipy peer's answers.
  if (const char* dump = std::getenv("FTG_BENCH_DUMP"); dump != nullptr && *dump != '\0') {
    std::ofstream f(dump);
    f << "{\n";
    bool first = true;
    for (const auto& k : {ftg::bench::k_quadratic, ftg::bench::k_general})
      for (ftg::solution s : {ftg::solution::nash, ftg::solution::vertical_monopoly}) {
        f << (first ? "" : ",\n") << " \"" << ftg::to_string(s) << "/" << k.label << "\": [";
        first = false;
        const auto games = ftg::bench::make_games(k);
        for (std::size_t i = 0; i < games.size(); ++i) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", ftg::bargain_numeric(s, games[i]).delta);
          f << (i ? ", " : "") << buf;
        }
        f << "]";
      }
    f << "\n}\n";
  }

  ftg::bench::register_kernel_benchmarks();
  ftg::bench::register_naive_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
