// The fast numeric path for k0, k1 >= 2 and d0, d1 >= 0 (kernels/detail/unimodal.hpp, docs/model.md
// section 1.5) against the robust scan path (solver_options::unimodal_fast_path = false), which
// assumes no unimodality. Source of the reference values: the robust path itself, which the other
// kernel tests check against closed forms, brute-force Pareto fronts and dense grids.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>

#include "kernels/bargaining.hpp"
#include "kernels/detail/unimodal.hpp"
#include "kernels/pareto.hpp"
#include "support/close.hpp"

using namespace ftg;
using ftg::test::close;

namespace {

// Both paths solve the same first-order conditions to the root tolerance 2^-49 relative; delta*
// differs by that times the conditioning of each condition. Documented bound (docs/model.md 1.5):
constexpr double fast_delta_rel_tol = 1e-12;
constexpr double fast_delta_abs_tol = 1e-14;
// Pareto ends: the tolerance of the existing "solve_game agrees with pareto_numeric" test.
constexpr double fast_pareto_abs_tol = 1e-12;

solver_options robust_opts() {
  solver_options o;
  o.unimodal_fast_path = false;
  return o;
}

std::string describe(const game_params& g, double beta) {
  std::ostringstream os;
  os.precision(17);
  os << "c0=" << g.c0 << " c1=" << g.c1 << " k0=" << g.k0 << " k1=" << g.k1 << " d0=" << g.d0
     << " d1=" << g.d1 << " beta=" << beta;
  return os.str();
}

struct compare_stats {
  int games = 0, compared = 0, fast_taken = 0, failures = 0;
  double max_ddelta = 0.0;
  std::string first_failure;
};

/// Compare solve_game and bargain_numeric on both paths; record the first failure.
void compare_game(const game_params& g, double beta, compare_stats& st) {
  ++st.games;
  // Did the fast path itself succeed (no fallback)?
  detail::unimodal_game u;
  bool fast = detail::unimodal_applies(g, solver_options{}) && detail::unimodal_init(g, solver_options{}, u) &&
              detail::unimodal_pareto(u);
  bargain_result tmp;
  for (solution s : all_solutions) fast = fast && detail::unimodal_solve(s, beta, u, tmp);
  st.fast_taken += fast ? 1 : 0;

  const game_solution f = solve_game(g, beta);
  const game_solution r = solve_game(g, beta, method::numeric, robust_opts());
  std::ostringstream why;
  if (f.pareto.status != r.pareto.status || f.pareto.count != r.pareto.count) {
    why << "pareto status/count " << to_string(f.pareto.status) << "/" << f.pareto.count << " vs "
        << to_string(r.pareto.status) << "/" << r.pareto.count;
  } else {
    for (int i = 0; i < f.pareto.count; ++i) {
      const auto& a = f.pareto.intervals[static_cast<std::size_t>(i)];
      const auto& b = r.pareto.intervals[static_cast<std::size_t>(i)];
      if (!close(a.lo, b.lo, 0.0, fast_pareto_abs_tol) || !close(a.hi, b.hi, 0.0, fast_pareto_abs_tol))
        why << "pareto [" << a.lo << ", " << a.hi << "] vs [" << b.lo << ", " << b.hi << "] ";
    }
    if (f.pareto.unimodal != r.pareto.unimodal) why << "unimodal flag ";
  }
  for (solution s : all_solutions) {
    const bargain_result& a = f[s];
    const bargain_result& b = r[s];
    const bargain_result c = bargain_numeric(s, g, beta);  // the single-solution entry point
    bool ok = a.status == b.status && c.status == a.status && a.tie == b.tie && a.degenerate == b.degenerate &&
              c.tie == a.tie && c.degenerate == a.degenerate;
    if (ok && a.status == cell_status::ok) {
      ++st.compared;
      st.max_ddelta = std::max(st.max_ddelta, std::abs(a.delta - b.delta));
      ok = close(a.delta, b.delta, fast_delta_rel_tol, fast_delta_abs_tol) && a.delta == c.delta &&
           a.in_pareto == b.in_pareto && c.in_pareto == a.in_pareto;
    }
    if (ok && a.status == cell_status::disagreement) ok = a.u_g == b.u_g && a.u_d == b.u_d;
    if (!ok) {
      why << to_string(s) << ": fast (" << to_string(a.status) << ", " << a.delta << ", in_pareto " << a.in_pareto
          << ", tie " << a.tie << ", degenerate " << a.degenerate << ") robust (" << to_string(b.status) << ", "
          << b.delta << ", " << b.in_pareto << ", " << b.tie << ", " << b.degenerate << ") single ("
          << to_string(c.status) << ", " << c.delta << ", " << c.in_pareto << ") ";
    }
  }
  const std::string w = why.str();
  if (!w.empty()) {
    if (st.failures == 0) st.first_failure = describe(g, beta) + ": " + w;
    ++st.failures;
  }
}

double log_uniform(std::mt19937_64& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
  return std::exp(u(rng));
}

}  // namespace

TEST_CASE("unimodal fast path (k0, k1 in [2, 6]) equals the robust scan path: statuses, tie, degenerate and "
          "in_pareto flags, delta* to 1e-12 relative (largest seen 1.7e-15), Pareto ends to 1e-12 (docs/model.md 1.5)") {
  std::mt19937_64 rng(0xFA57);
  std::uniform_real_distribution<double> kd(2.0, 6.0), u01(0.0, 1.0), beta_d(0.05, 0.95);
  compare_stats st;
  for (int draw = 0; draw < 3000; ++draw) {
    game_params g;
    g.k0 = draw % 7 == 0 ? 2.0 : kd(rng);  // k exactly 2 for one player in some draws
    g.k1 = draw % 11 == 0 ? 2.0 : kd(rng);
    g.c0 = log_uniform(rng, 1e-3, 1e3);
    g.c1 = g.c0 * log_uniform(rng, 1e-6, 1e6);
    const double beta = beta_d(rng);
    if (draw % 4 == 3) {  // positive disagreement payoffs (they cut the Pareto set)
      const double mg = bargain_numeric(solution::powerful_g, g).u_g;
      const double md = bargain_numeric(solution::powerful_d, g).u_d;
      g.d0 = 0.6 * u01(rng) * mg;
      g.d1 = 0.6 * u01(rng) * md;
    }
    compare_game(g, beta, st);
  }
  MESSAGE("games " << st.games << ", fast path taken " << st.fast_taken << ", solutions compared " << st.compared
                   << ", max |ddelta| " << st.max_ddelta);
  CHECK_MESSAGE(st.failures == 0, st.failures << " games differ; first: " << st.first_failure);
  CHECK(st.fast_taken == st.games);  // well-scaled games never fall back
}

TEST_CASE("unimodal fast path, edge cases: k exactly 2, c1/c0 = 1e-9 .. 1e9 and c0 = c1, disagreement "
          "payoffs that cut the set or leave no agreement, beta near 0 and 1") {
  compare_stats st;
  const double ratios[] = {1e-9, 1e-5, 0.3, 1.0 - 1e-9, 1.0, 1.0 + 1e-9, 2.0, 1e5, 1e9};
  const double ks[][2] = {{2.0, 2.0}, {2.0, 3.0}, {3.0, 2.0}, {2.0 + 1e-12, 2.0}, {6.0, 6.0}, {2.5, 3.5}};
  const double ds[][2] = {{0.0, 0.0}, {0.3, 0.0}, {0.0, 0.3}, {0.5, 0.5}, {2.0, 0.0}, {0.0, 2.0}};
  for (const auto& k : ks)
    for (double x : ratios)
      for (const auto& d : ds)
        for (double beta : {0.01, 0.5, 0.99}) {
          game_params g;
          g.c0 = 0.7;
          g.c1 = 0.7 * x;
          g.k0 = k[0];
          g.k1 = k[1];
          // d as a fraction of each player's best utility (2.0: no agreement at all).
          g.d0 = d[0] * bargain_numeric(solution::powerful_g, g).u_g;
          g.d1 = d[1] * bargain_numeric(solution::powerful_d, g).u_d;
          compare_game(g, beta, st);
        }
  MESSAGE("games " << st.games << ", fast path taken " << st.fast_taken << ", max |ddelta| " << st.max_ddelta);
  CHECK_MESSAGE(st.failures == 0, st.failures << " games differ; first: " << st.first_failure);
  CHECK(st.fast_taken == st.games);
}

TEST_CASE("k < 2 or a negative disagreement payoff takes the robust path: results are bit for bit those "
          "with the fast path switched off (Proposition 3.1 holds only for k >= 2; docs/model.md 3.3)") {
  std::mt19937_64 rng(0x1E55);
  std::uniform_real_distribution<double> klow(1.05, 1.999), khigh(2.0, 5.0), u01(0.0, 1.0);
  int checked = 0, differ = 0;
  std::string first;
  for (int draw = 0; draw < 300; ++draw) {
    game_params g;
    const int kind = draw % 3;  // 0: k0 < 2, 1: k1 < 2, 2: k >= 2 with a negative payoff
    g.k0 = kind == 0 ? klow(rng) : khigh(rng);
    g.k1 = kind == 1 ? klow(rng) : khigh(rng);
    g.c0 = log_uniform(rng, 0.1, 10.0);
    g.c1 = log_uniform(rng, 0.1, 10.0);
    if (kind == 2) (draw % 2 ? g.d0 : g.d1) = -0.1 * u01(rng) - 1e-3;
    REQUIRE_FALSE(detail::unimodal_applies(g, solver_options{}));
    const double beta = 0.3;
    const game_solution a = solve_game(g, beta), b = solve_game(g, beta, method::numeric, robust_opts());
    const pareto_set pa = pareto_numeric(g), pb = pareto_numeric(g, robust_opts());
    bool same = std::memcmp(&a.pareto, &b.pareto, sizeof a.pareto) == 0 && std::memcmp(&pa, &pb, sizeof pa) == 0;
    for (solution s : all_solutions) {
      const bargain_result x = a[s], y = b[s];
      const bargain_result z = bargain_numeric(s, g, beta), w = bargain_numeric(s, g, beta, robust_opts());
      auto bits = [](const bargain_result& p, const bargain_result& q) {
        return std::memcmp(&p.delta, &q.delta, sizeof(double)) == 0 && p.status == q.status &&
               p.iterations == q.iterations && p.tie == q.tie && p.degenerate == q.degenerate &&
               p.in_pareto == q.in_pareto;
      };
      same = same && bits(x, y) && bits(z, w);
      ++checked;
    }
    if (!same && differ++ == 0) first = describe(g, beta);
  }
  MESSAGE("solutions checked " << checked);
  CHECK_MESSAGE(differ == 0, differ << " games differ; first: " << first);
}
