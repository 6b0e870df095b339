// Closed forms (k0 = k1 = 2) against the independent numeric solvers, and the SPE closed form
// against backward induction. Sources: Theorem 3.1, Propositions 3.2-3.6 (arXiv:2308.04399v3) and
// docs/model.md for the Nash cubic and the Kalai-Smorodinsky quadratic.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "kernels/bargaining.hpp"
#include "kernels/spe.hpp"
#include "support/close.hpp"

using namespace ftg;
using ftg::test::close;
using ftg::test::rel_close;

namespace {

// delta* to 1e-9 relative (the bound), with an absolute floor for delta* = 0 where a
// relative bound means nothing (the numeric root of UD' at x = 1 is 5.6e-17, not 0).
constexpr double delta_rel_tol = 1e-9;
constexpr double delta_abs_tol = 1e-14;
// Utilities through the same equilibrium formula at nearby deltas.
constexpr double utility_rel_tol = 1e-9;

game_params random_quadratic(std::mt19937_64& rng, bool with_disagreement) {
  std::uniform_real_distribution<double> log_ratio(-6.0, 6.0), log_c0(-3.0, 3.0), u(0.0, 1.0);
  game_params g;
  g.c0 = std::pow(10.0, log_c0(rng));
  g.c1 = g.c0 * std::pow(10.0, log_ratio(rng));
  g.k0 = g.k1 = 2.0;
  if (with_disagreement) {
    // Up to 60% of each player's best utility, so that agreement is usually still possible.
    const double ug_max = bargain_closed_form(solution::powerful_g, g).u_g;
    const double ud_max = bargain_closed_form(solution::powerful_d, g).u_d;
    g.d0 = 0.6 * u(rng) * ug_max;
    g.d1 = 0.6 * u(rng) * ud_max;
  }
  return g;
}

}  // namespace

TEST_CASE("closed forms equal the numeric solutions over 10,000 quadratic games, c1/c0 in [1e-6, 1e6] "
          "(Propositions 3.2-3.6; Nash cubic and KS quadratic of docs/model.md)") {
  std::mt19937_64 rng(20261203);
  std::uniform_real_distribution<double> beta_dist(0.05, 0.95);
  int failures = 0, compared = 0, disagreements = 0;
  for (int draw = 0; draw < 10000; ++draw) {
    const game_params g = random_quadratic(rng, draw % 4 == 3);
    const double beta = beta_dist(rng);
    const game_solution cf = solve_game(g, beta, method::closed_form);
    const game_solution nu = solve_game(g, beta, method::numeric);
    for (solution s : all_solutions) {
      const bargain_result& a = cf[s];
      const bargain_result& b = nu[s];
      bool ok = a.status == b.status;
      if (ok && a.status == cell_status::ok) {
        ++compared;
        ok = close(a.delta, b.delta, delta_rel_tol, delta_abs_tol) &&
             rel_close(a.u_g, b.u_g, utility_rel_tol) && rel_close(a.u_d, b.u_d, utility_rel_tol) &&
             a.in_pareto == b.in_pareto && a.degenerate == b.degenerate;
      } else if (ok) {
        ++disagreements;
      }
      if (!ok && ++failures <= 5) {
        CAPTURE(draw);
        CAPTURE(to_string(s));
        CAPTURE(g.c0);
        CAPTURE(g.c1);
        CAPTURE(g.d0);
        CAPTURE(g.d1);
        CAPTURE(beta);
        CAPTURE(a.delta);
        CAPTURE(b.delta);
        CAPTURE(to_string(a.status));
        CAPTURE(to_string(b.status));
        CAPTURE(a.u_g);
        CAPTURE(b.u_g);
        CHECK(ok);
      }
    }
    // The Pareto set: Theorem 2.1 with Propositions 3.2-3.3 against the global numeric set.
    bool pareto_ok = cf.pareto.status == nu.pareto.status && cf.pareto.count == nu.pareto.count;
    for (int i = 0; pareto_ok && i < cf.pareto.count; ++i)
      pareto_ok = close(cf.pareto.intervals[i].lo, nu.pareto.intervals[i].lo, delta_rel_tol, delta_abs_tol) &&
                  close(cf.pareto.intervals[i].hi, nu.pareto.intervals[i].hi, delta_rel_tol, delta_abs_tol);
    if (!pareto_ok && ++failures <= 5) {
      CAPTURE(draw);
      CAPTURE(g.c0);
      CAPTURE(g.c1);
      CAPTURE(g.d0);
      CAPTURE(g.d1);
      CAPTURE(cf.pareto.count);
      CAPTURE(nu.pareto.count);
      CAPTURE(cf.pareto.intervals[0].lo);
      CAPTURE(nu.pareto.intervals[0].lo);
      CAPTURE(cf.pareto.intervals[0].hi);
      CAPTURE(nu.pareto.intervals[0].hi);
      CHECK(pareto_ok);
    }
  }
  CHECK(failures == 0);
  CHECK(compared > 70000);  // nearly every solution of every draw was a real comparison
  MESSAGE("compared " << compared << " solutions, " << disagreements << " agreed disagreements");
}

TEST_CASE("Proposition 3.6 as printed equals our cancellation-free egalitarian root away from c0 = c1, "
          "and the printed form is 0/0 at c0 = c1 where ours gives 1/2") {
  for (double x : {1e-6, 1e-3, 0.2, 0.5, 0.9, 0.999, 1.001, 1.5, 3.0, 50.0, 1e3, 1e6}) {
    const double c0 = 1.0, c1 = x;
    const double printed =
        (-std::sqrt(c0 * c0 - c0 * c1 + c1 * c1) - c1 + 2.0 * c0) / (3.0 * (c0 - c1));
    const game_params g{c0, c1, 2.0, 2.0, 0.0, 0.0};
    const bargain_result r = bargain_closed_form(solution::egalitarian, g);
    CAPTURE(x);
    REQUIRE(r.status == cell_status::ok);
    // The printed form cancels near x = 1 (relative error ~ eps / |1 - x|) and for large x.
    CHECK(rel_close(r.delta, printed, 1e-9));
    // Equal utilities at the egalitarian point (Definition 3.3 with d0 = d1 = 0).
    CHECK(rel_close(r.u_g, r.u_d, 1e-12));
  }
  const double printed_at_one = (-std::sqrt(1.0 - 1.0 + 1.0) - 1.0 + 2.0) / (3.0 * (1.0 - 1.0));
  CHECK(std::isnan(printed_at_one));
  const bargain_result r = bargain_closed_form(solution::egalitarian, game_params{2.0, 2.0, 2.0, 2.0, 0, 0});
  CHECK(r.status == cell_status::ok);
  CHECK(r.delta == 0.5);
}

TEST_CASE("spe() (Theorem 3.1) equals backward induction by Boost.Math (spe_numeric) for random k0, k1 "
          "in (1, 5], and is exact at delta = 0 and 1") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> k_dist(1.15, 5.0), log_c(-2.0, 2.0), d_dist(0.0, 1.0);
  int failures = 0;
  for (int draw = 0; draw < 2000; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, log_c(rng));
    g.c1 = std::pow(10.0, log_c(rng));
    g.k0 = k_dist(rng);
    g.k1 = k_dist(rng);
    const double delta = draw % 10 == 0 ? 0.0 : (draw % 10 == 1 ? 1.0 : d_dist(rng));
    const spe_result a = spe(g, delta);
    const spe_result b = spe_numeric(g, delta);
    // Brent's minimiser in spe_numeric works to half the digits: 1e-6 relative in alpha0, and
    // so in UD (linear in alpha0); UG is stationary in alpha0, so its error is second order.
    const bool ok = a.status == cell_status::ok && b.status == cell_status::ok &&
                    close(a.alpha0, b.alpha0, 1e-6, 1e-12) && close(a.alpha1, b.alpha1, 1e-6, 1e-12) &&
                    close(a.u_g, b.u_g, 1e-9, 1e-15) && close(a.u_d, b.u_d, 1e-6, 1e-15);
    if (!ok && ++failures <= 3) {
      CAPTURE(g.c0); CAPTURE(g.c1); CAPTURE(g.k0); CAPTURE(g.k1); CAPTURE(delta);
      CAPTURE(a.alpha0); CAPTURE(b.alpha0); CAPTURE(a.alpha1); CAPTURE(b.alpha1);
      CAPTURE(to_string(b.status));
      CHECK(ok);
    }
  }
  CHECK(failures == 0);

  // Exact ends: at delta = 0 G invests nothing; at delta = 1 D adds nothing.
  const game_params g{1.5, 0.7, 2.5, 3.5, 0, 0};
  const spe_result z = spe(g, 0.0), o = spe(g, 1.0);
  CHECK(z.alpha0 == 0.0);
  CHECK(z.u_g == 0.0);
  CHECK(rel_close(z.alpha1, std::pow(1.0 / (3.5 * 0.7), 1.0 / 2.5), 1e-15));
  CHECK(o.alpha1 == o.alpha0);
  CHECK(o.u_d == 0.0);
  CHECK(rel_close(o.alpha0, std::pow(1.0 / (2.5 * 1.5), 1.0 / 1.5), 1e-15));
}

TEST_CASE("the first-order identities of Theorem 3.1 (PERFORMANCE.md): c0 alpha0^k0 = alpha0 delta/k0 and "
          "c1 b^k1 = b (1-delta)/k1, so spe()'s utilities equal eqs. (1)-(2) evaluated by definition") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> k_dist(1.05, 6.0), log_c(-3.0, 3.0), d_dist(0.0, 1.0);
  int failures = 0;
  for (int draw = 0; draw < 5000; ++draw) {
    const game_params g{std::pow(10.0, log_c(rng)), std::pow(10.0, log_c(rng)), k_dist(rng), k_dist(rng), 0, 0};
    const double delta = d_dist(rng);
    const spe_result r = spe(g, delta);
    if (r.status != cell_status::ok) continue;  // overflow for k near 1 is reported, not hidden
    const double ug = utility_g(g, delta, r.alpha0, r.alpha1);
    const double ud = utility_d(g, delta, r.alpha0, r.alpha1);
    const double scale = std::max(std::abs(r.alpha1), 1e-300);
    const bool ok = close(r.u_g, ug, 1e-12, 1e-14 * scale) && close(r.u_d, ud, 1e-12, 1e-14 * scale);
    if (!ok && ++failures <= 3) {
      CAPTURE(g.c0); CAPTURE(g.c1); CAPTURE(g.k0); CAPTURE(g.k1); CAPTURE(delta);
      CAPTURE(r.u_g); CAPTURE(ug); CAPTURE(r.u_d); CAPTURE(ud);
      CHECK(ok);
    }
  }
  CHECK(failures == 0);
}
