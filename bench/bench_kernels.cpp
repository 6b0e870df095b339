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
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/bargaining.hpp"
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
  for (const auto& k : {k_quadratic, k_general})
    for (solution s : all_solutions)
      add(name("bm_bargain_numeric", to_string(s), k), bm_bargain_numeric, s, k);
  for (solution s : all_solutions)
    add(name("bm_bargain_closed_form", to_string(s), k_quadratic), bm_bargain_closed_form, s,
        k_quadratic);
  for (const auto& k : {k_quadratic, k_general})
    add(name("bm_solve_game", "numeric", k), bm_solve_game, method::numeric, k);
  add(name("bm_solve_game", "closed_form", k_quadratic), bm_solve_game, method::closed_form,
      k_quadratic);
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

  ftg::bench::register_kernel_benchmarks();
  ftg::bench::register_naive_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
