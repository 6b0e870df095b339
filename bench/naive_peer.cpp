// bench/naive_peer.cpp: the C++ a user would write first, timed beside the kernels in one run.
//
// 1. What: the same workloads as bench_kernels.cpp on the same samples (bench/workload.hpp), coded
//    straight from the paper's definitions (arXiv:2308.04399v3, eqs. 1-4 and Theorem 3.1):
//      alpha0 = pow(delta/(k0 c0), 1/(k0-1)),  alpha1 = alpha0 + pow((1-delta)/(k1 c1), 1/(k1-1)),
//      UG = delta*alpha1 - c0*pow(alpha0, k0), UD = (1-delta)*alpha1 - c1*pow(alpha1-alpha0, k1),
//    i.e. four std::pow calls per evaluation and no first-order identities. A bargaining solution is
//    a golden-section search for the maximum of its objective over delta in [0, 1] (Nash: UG*UD,
//    vertical monopoly: UG+UD; d0 = d1 = 0), which assumes a unimodal objective (true for
//    k0, k1 >= 2, the samples here).
// 2. Accuracy: golden section stops when the bracket is narrower than golden_tol = 1e-8, about the
//    best a maximiser can locate in double precision (sqrt(eps)); that is 39 objective evaluations.
// 3. Each benchmark checks its answers against the ftg kernels once, untimed, and reports the worst
//    deviation as a counter, so a peer that solves a different problem cannot pass unnoticed.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/bargaining.hpp"
#include "kernels/spe.hpp"
#include "workload.hpp"

namespace ftg::bench {
namespace {

constexpr double golden_tol = 1e-8;

struct naive_spe {
  double alpha0, alpha1, u_g, u_d;
};

naive_spe spe_by_definition(const game_params& g, double delta) {
  const double alpha0 = std::pow(delta / (g.k0 * g.c0), 1.0 / (g.k0 - 1.0));
  const double alpha1 = alpha0 + std::pow((1.0 - delta) / (g.k1 * g.c1), 1.0 / (g.k1 - 1.0));
  const double u_g = delta * alpha1 - g.c0 * std::pow(alpha0, g.k0);
  const double u_d = (1.0 - delta) * alpha1 - g.c1 * std::pow(alpha1 - alpha0, g.k1);
  return {alpha0, alpha1, u_g, u_d};
}

struct golden_result {
  double delta;
  int evaluations;
};

/// Textbook golden-section search for the maximum of f on [lo, hi].
template <class F>
golden_result golden_max(F f, double lo, double hi) {
  const double inv_phi = 0.5 * (std::sqrt(5.0) - 1.0);
  double a = lo, b = hi;
  double c = b - inv_phi * (b - a), d = a + inv_phi * (b - a);
  double fc = f(c), fd = f(d);
  int evaluations = 2;
  while (b - a > golden_tol) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - inv_phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + inv_phi * (b - a);
      fd = f(d);
    }
    ++evaluations;
  }
  return {0.5 * (a + b), evaluations};
}

golden_result solve_naive(solution s, const game_params& g) {
  if (s == solution::nash)
    return golden_max([&g](double d) { const auto r = spe_by_definition(g, d); return r.u_g * r.u_d; },
                      0.0, 1.0);
  return golden_max([&g](double d) { const auto r = spe_by_definition(g, d); return r.u_g + r.u_d; },
                    0.0, 1.0);
}

void bm_naive_spe(benchmark::State& state, const validation_memo& memo, k_case k) {
  const auto games = make_games(k);
  const auto deltas = make_deltas();
  validate_once(memo, [&](auto& c) {
    double max_dev = 0.0;  // |u - u_ftg| / max(|u_ftg|, 1e-12), over UG and UD
    for (const auto& g : games)
      for (double d : deltas) {
        const auto n = spe_by_definition(g, d);
        const auto f = spe(g, d);
        if (f.status != cell_status::ok) continue;
        max_dev = std::max(max_dev, std::abs(n.u_g - f.u_g) / std::max(std::abs(f.u_g), 1e-12));
        max_dev = std::max(max_dev, std::abs(n.u_d - f.u_d) / std::max(std::abs(f.u_d), 1e-12));
      }
    c["max_rel_dev_vs_ftg"] = max_dev;
  });
  for (auto _ : state) {
    for (const auto& g : games)
      for (double d : deltas) {
        auto r = spe_by_definition(g, d);
        benchmark::DoNotOptimize(r);
      }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(games.size() * deltas.size()));
  report_validation(state, memo);
}

void bm_naive_golden(benchmark::State& state, const validation_memo& memo, solution s, k_case k) {
  const auto games = make_games(k);
  validate_once(memo, [&](auto& c) {
    double max_dev = 0.0;  // |delta - delta_ftg numeric|, where ftg reports ok
    double evaluations = 0.0;
    for (const auto& g : games) {
      const auto n = solve_naive(s, g);
      evaluations += n.evaluations;
      const auto f = bargain_numeric(s, g);
      if (f.status == cell_status::ok) max_dev = std::max(max_dev, std::abs(n.delta - f.delta));
    }
    c["evals_per_solve"] = evaluations / static_cast<double>(games.size());
    c["max_ddelta_vs_ftg"] = max_dev;
  });
  for (auto _ : state) {
    for (const auto& g : games) {
      auto r = solve_naive(s, g);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(games.size()));
  report_validation(state, memo);
}

}  // namespace

void register_naive_benchmarks() {
  for (const auto& k : {k_quadratic, k_general}) {
    benchmark::RegisterBenchmark((std::string("bm_naive_spe/") + k.label).c_str(), bm_naive_spe,
                                 make_memo(), k)
        ->Unit(benchmark::kMicrosecond);
    for (solution s : {solution::nash, solution::vertical_monopoly})
      benchmark::RegisterBenchmark(
          (std::string("bm_naive_golden/") + std::string(to_string(s)) + "/" + k.label).c_str(),
          bm_naive_golden, make_memo(), s, k)
          ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace ftg::bench
