// The n-specialist game (kernels/multi.hpp) against spe(), Theorem 10.1 / Corollary 10.1, brute
// force, and Theorem 5.2 / Table 2 (arXiv:2308.04399v3, Section 5, Appendix 10).
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "kernels/multi.hpp"
#include "kernels/spe.hpp"
#include "support/close.hpp"

using namespace ftg;
using ftg::test::close;
using ftg::test::rel_close;

namespace {

multi_game one_specialist(const game_params& g) {
  multi_game m;
  m.c0 = g.c0;
  m.k0 = g.k0;
  m.d0 = g.d0;
  m.classes = 1;
  m.sp[0].c = g.c1;
  m.sp[0].k = g.k1;
  m.sp[0].d = g.d1;
  return m;
}

double log_uniform(std::mt19937_64& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
  return std::exp(u(rng));
}

}  // namespace

TEST_CASE("n = 1 reproduces spe() bit for bit (issue 3: the shared code path; Theorem 3.1)") {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> k_dist(1.1, 5.0), d_dist(0.0, 1.0);
  int mismatches = 0;
  for (int draw = 0; draw < 5000; ++draw) {
    const game_params g{log_uniform(rng, 1e-3, 1e3), log_uniform(rng, 1e-3, 1e3), k_dist(rng), k_dist(rng), 0, 0};
    const double delta = draw % 50 == 0 ? 0.0 : (draw % 50 == 1 ? 1.0 : d_dist(rng));
    const spe_result a = spe(g, delta);
    const multi_spe_result b = multi_spe(one_specialist(g), delta);
    const bool same = a.status == cell_status::ok && b.status == cell_status::ok && a.alpha0 == b.alpha0 &&
                      a.alpha1 == b.sp[0].alpha && a.u_g == b.u_g && a.u_d == b.sp[0].u;
    if (!same && ++mismatches <= 3) {
      CAPTURE(g.c0); CAPTURE(g.c1); CAPTURE(g.k0); CAPTURE(g.k1); CAPTURE(delta);
      CAPTURE(a.alpha0); CAPTURE(b.alpha0); CAPTURE(a.u_g); CAPTURE(b.u_g); CAPTURE(a.u_d); CAPTURE(b.sp[0].u);
      CHECK(same);
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("Theorem 10.1 / Corollary 10.1 (everyone takes part) equal the piecewise solver for "
          "n = 1..16 heterogeneous specialists, c_i in [1e-3, 1e3]") {
  std::mt19937_64 rng(1001);
  std::uniform_real_distribution<double> k_dist(1.2, 4.0), d_dist(0.0, 1.0);
  std::uniform_int_distribution<int> classes_dist(1, 8), count_dist(1, 2);
  int failures = 0;
  for (int draw = 0; draw < 3000; ++draw) {
    multi_game g;
    g.c0 = log_uniform(rng, 1e-3, 1e3);
    g.k0 = k_dist(rng);
    g.classes = classes_dist(rng);
    for (int j = 0; j < g.classes; ++j) {
      g.sp[j].c = log_uniform(rng, 1e-3, 1e3);
      g.sp[j].k = k_dist(rng);
      g.sp[j].count = count_dist(rng);
    }
    const double delta = d_dist(rng);
    const multi_spe_result a = multi_spe_closed_form(g, delta);
    const multi_spe_result b = multi_spe(g, delta);
    bool ok = a.status == cell_status::ok && b.status == cell_status::ok &&
              rel_close(a.alpha0, b.alpha0, 1e-13) && rel_close(a.u_g, b.u_g, 1e-12);
    for (int j = 0; ok && j < g.classes; ++j)
      ok = b.sp[j].reg != regime::abstainer && rel_close(a.sp[j].alpha, b.sp[j].alpha, 1e-13) &&
           rel_close(a.sp[j].u, b.sp[j].u, 1e-12);
    if (!ok && ++failures <= 3) {
      CAPTURE(draw); CAPTURE(g.n()); CAPTURE(delta); CAPTURE(a.alpha0); CAPTURE(b.alpha0);
      CAPTURE(a.u_g); CAPTURE(b.u_g); CAPTURE(to_string(b.status));
      CHECK(ok);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("best_response against a brute-force scan over the investment (fixed, linear and power "
          "costs, concave revenue s*a^b), and its participation rule (a tie takes part)") {
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int failures = 0;
  for (int draw = 0; draw < 400; ++draw) {
    specialist sp;
    sp.c = log_uniform(rng, 0.1, 10.0);
    sp.k = 1.2 + 2.8 * u(rng);
    sp.f = draw % 3 == 0 ? 0.0 : 0.5 * u(rng);
    sp.m = draw % 4 == 0 ? 0.0 : 0.8 * u(rng);
    sp.s = 0.5 + u(rng);
    sp.b = draw % 2 == 0 ? 1.0 : 0.3 + 0.7 * u(rng);
    sp.d = draw % 5 == 0 ? 0.1 * u(rng) : 0.0;
    const double alpha0 = 2.0 * u(rng), delta = 0.9 * u(rng);
    const response r = best_response(sp, alpha0, delta);
    REQUIRE(r.status == cell_status::ok);
    // Brute force over t in [0, 20], cubic spacing (dense near t = 0, where k near 1 puts the
    // optimum); utilities by definition.
    auto utility = [&](double t) {
      return (1.0 - delta) * sp.s * std::pow(alpha0 + t, sp.b) - sp.f - sp.m * t - sp.c * std::pow(t, sp.k);
    };
    double best_u = -1e300;
    constexpr int n = 200000;
    for (int i = 0; i <= n; ++i) {
      const double x = static_cast<double>(i) / n;
      best_u = std::max(best_u, utility(20.0 * x * x * x));
    }
    bool ok;
    if (r.reg == regime::abstainer) {
      // Abstaining must be right: no investment beats the disagreement payoff.
      ok = best_u < sp.d && r.u == sp.d;
    } else {
      const double t = r.alpha - alpha0;
      // The reported utility is the utility of the reported investment, which is at least as good
      // as every grid point, and not worse than the disagreement payoff (a tie takes part).
      ok = t >= 0.0 && close(r.u, utility(t), 1e-12, 1e-14) && r.u >= best_u - 1e-12 * std::max(1.0, std::abs(best_u)) &&
           r.u >= sp.d && (r.reg == regime::free_rider) == (t == 0.0);
    }
    if (!ok && ++failures <= 3) {
      CAPTURE(sp.c); CAPTURE(sp.k); CAPTURE(sp.f); CAPTURE(sp.m); CAPTURE(sp.s); CAPTURE(sp.b); CAPTURE(sp.d);
      CAPTURE(alpha0); CAPTURE(delta); CAPTURE(r.u); CAPTURE(best_u); CAPTURE(r.alpha - alpha0);
      CAPTURE(to_string(r.reg));
      CHECK(ok);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("multi_spe: G's alpha0 is a global maximiser over a dense alpha0 grid, including the "
          "jumps where a specialist's participation flips (fixed costs, d > 0)") {
  std::mt19937_64 rng(4242);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int failures = 0, with_abstainers = 0, with_jumps_used = 0;
  for (int draw = 0; draw < 200; ++draw) {
    multi_game g;
    g.c0 = log_uniform(rng, 0.1, 10.0);
    g.k0 = 1.5 + 2.0 * u(rng);
    g.classes = 1 + static_cast<int>(u(rng) * 3.99);
    for (int j = 0; j < g.classes; ++j) {
      specialist& sp = g.sp[j];
      sp.c = log_uniform(rng, 0.1, 10.0);
      sp.k = 1.5 + 2.0 * u(rng);
      sp.f = 0.3 * u(rng);
      sp.m = 0.3 * u(rng);
      sp.b = draw % 3 == 0 ? 0.5 + 0.5 * u(rng) : 1.0;
      sp.d = 0.05 * u(rng);
      sp.count = 1 + static_cast<int>(u(rng) * 2.99);
    }
    const double delta = 0.05 + 0.9 * u(rng);
    const multi_spe_result r = multi_spe(g, delta);
    REQUIRE(r.status == cell_status::ok);
    // G's utility at any alpha0, with the specialists' (tested) best responses.
    auto ug_at = [&](double a0) {
      double rev = 0.0;
      for (int j = 0; j < g.classes; ++j) {
        const response br = best_response(g.sp[j], a0, delta);
        if (br.reg != regime::abstainer) rev += g.sp[j].count * g.sp[j].s * std::pow(br.alpha, g.sp[j].b);
      }
      return delta * rev - g.c0 * std::pow(a0, g.k0);
    };
    double grid_best = -1e300;
    for (int i = 0; i <= 20000; ++i) grid_best = std::max(grid_best, ug_at(4.0 * i / 20000));
    // The kernel's choice is at least as good as every grid point, and it is what the specialists'
    // responses at that alpha0 give (consistency of the threshold rule).
    const bool ok = r.u_g >= grid_best - 1e-9 * std::max(1.0, std::abs(grid_best)) &&
                    close(r.u_g, ug_at(r.alpha0), 1e-10, 1e-12);
    for (int j = 0; j < g.classes; ++j) {
      with_abstainers += r.sp[j].reg == regime::abstainer;
      // An abstainer really has no profitable participation at G's choice (Definition 5.3).
      if (r.sp[j].reg == regime::abstainer) CHECK(best_response(g.sp[j], r.alpha0, delta).reg == regime::abstainer);
    }
    if (r.alpha0 > 0.0 && ug_at(std::nextafter(r.alpha0, 0.0)) < r.u_g - 1e-9) ++with_jumps_used;
    if (!ok && ++failures <= 3) {
      CAPTURE(draw); CAPTURE(delta); CAPTURE(r.alpha0); CAPTURE(r.u_g); CAPTURE(grid_best); CAPTURE(ug_at(r.alpha0));
      CHECK(ok);
    }
  }
  CHECK(failures == 0);
  CHECK(with_abstainers > 0);   // the draws exercise abstention ...
  CHECK(with_jumps_used > 0);   // ... and G raising alpha0 exactly to a threshold
  MESSAGE("abstaining classes: " << with_abstainers << ", G at a participation threshold: " << with_jumps_used);
}

TEST_CASE("Figure 7 / Table 2 (Theorem 5.2): one specialist in each quadrant, and both outcomes of "
          "the indeterminate quadrant (*)") {
  const double alpha0 = 1.0, delta = 0.5;  // (1 - delta) r(alpha0) = 0.5, (1 - delta) r' = 0.5
  specialist sp;
  sp.c = 1.0;
  sp.k = 2.0;
  // T T: fixed cost below the revenue share, marginal cost below the marginal share.
  sp.f = 0.1; sp.m = 0.1;
  regime_analysis a = analyse_regime(sp, alpha0, delta);
  CHECK(a.fixed_costs_under_control);
  CHECK(a.marginally_profitable);
  CHECK(a.predicted == table2_prediction::contributor);
  CHECK(a.exact == regime::contributor);
  // T F: investment is marginally costly (m >= 0.5): enters as-is.
  sp.f = 0.1; sp.m = 0.7;
  a = analyse_regime(sp, alpha0, delta);
  CHECK(a.fixed_costs_under_control);
  CHECK_FALSE(a.marginally_profitable);
  CHECK(a.predicted == table2_prediction::free_rider);
  CHECK(a.exact == regime::free_rider);
  // F F: fixed cost above the revenue share and marginally costly: abstains.
  sp.f = 0.7; sp.m = 0.7;
  a = analyse_regime(sp, alpha0, delta);
  CHECK_FALSE(a.fixed_costs_under_control);
  CHECK_FALSE(a.marginally_profitable);
  CHECK(a.predicted == table2_prediction::abstainer);
  CHECK(a.exact == regime::abstainer);
  // F T (*): with m = 0, c = 1, k = 2 the best gap is t = 1/4 and the utility 0.5 + 1/16 - f.
  sp.m = 0.0;
  sp.f = 0.55;  // 0.5625 - 0.55 > 0: contributes
  a = analyse_regime(sp, alpha0, delta);
  CHECK_FALSE(a.fixed_costs_under_control);
  CHECK(a.marginally_profitable);
  CHECK(a.predicted == table2_prediction::indeterminate);
  CHECK(a.exact == regime::contributor);
  CHECK(rel_close(best_response(sp, alpha0, delta).u, 0.5625 - 0.55, 1e-12));
  sp.f = 0.6;  // 0.5625 - 0.6 < 0: abstains
  a = analyse_regime(sp, alpha0, delta);
  CHECK(a.predicted == table2_prediction::indeterminate);
  CHECK(a.exact == regime::abstainer);
  sp.f = 0.5625;  // exactly zero utility: a tie takes part
  CHECK(best_response(sp, alpha0, delta).reg == regime::contributor);
}

TEST_CASE("multi_game validation: every rule of kernels/multi.hpp gives invalid_params") {
  multi_game g;
  CHECK(validate(g) == cell_status::ok);
  auto bad = [](auto mutate) {
    multi_game h;
    h.classes = 2;
    mutate(h);
    return validate(h) == cell_status::invalid_params && multi_spe(h, 0.5).status == cell_status::invalid_params;
  };
  CHECK(bad([](multi_game& h) { h.c0 = 0.0; }));
  CHECK(bad([](multi_game& h) { h.k0 = 1.0; }));
  CHECK(bad([](multi_game& h) { h.classes = 0; }));
  CHECK(bad([](multi_game& h) { h.classes = multi_game::max_classes + 1; }));
  CHECK(bad([](multi_game& h) { h.sp[1].c = -1.0; }));
  CHECK(bad([](multi_game& h) { h.sp[1].k = 0.5; }));
  CHECK(bad([](multi_game& h) { h.sp[1].f = -0.1; }));
  CHECK(bad([](multi_game& h) { h.sp[1].m = -0.1; }));
  CHECK(bad([](multi_game& h) { h.sp[1].s = 0.0; }));
  CHECK(bad([](multi_game& h) { h.sp[1].b = 1.5; }));
  CHECK(bad([](multi_game& h) { h.sp[1].b = 0.0; }));
  CHECK(bad([](multi_game& h) { h.sp[1].count = 0; }));
  CHECK(bad([](multi_game& h) { h.sp[1].d = std::nan(""); }));
  CHECK(multi_spe(g, 1.5).status == cell_status::invalid_params);
  CHECK(multi_spe(g, std::nan("")).status == cell_status::invalid_params);
}

TEST_CASE("Theorem 4.1: whenever Conditions 1-2 hold (lambda = 2) and phi1(alpha0) = 0, a "
          "profit-sharing agreement without free-riding that beats disagreement exists; with a "
          "fixed cost the conclusion can fail although both conditions hold") {
  std::mt19937_64 rng(41);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int premises = 0, failures = 0;
  for (int draw = 0; draw < 400; ++draw) {
    multi_game g;
    g.c0 = log_uniform(rng, 0.01, 100.0);
    g.k0 = 1.2 + 3.0 * u(rng);
    specialist& sp = g.sp[0];
    sp.c = log_uniform(rng, 0.01, 100.0);
    sp.k = 1.2 + 3.0 * u(rng);
    sp.s = 0.2 + 2.0 * u(rng);
    sp.b = draw % 2 ? 1.0 : 0.3 + 0.7 * u(rng);
    sp.m = draw % 3 == 0 ? 0.0 : sp.s * u(rng);  // Condition 2 holds for some, fails for others
    const theorem41_analysis a = analyse_theorem41(g);
    REQUIRE(a.status == cell_status::ok);
    CHECK(a.condition1);  // phi0'(0) = 0 < r'(0) for every k0 > 1
    if (!a.premises) continue;
    ++premises;
    if (!a.agreement_exists && ++failures <= 3) {
      CAPTURE(g.c0); CAPTURE(g.k0); CAPTURE(sp.c); CAPTURE(sp.k); CAPTURE(sp.s); CAPTURE(sp.b); CAPTURE(sp.m);
      CHECK(a.agreement_exists);
    }
    if (a.agreement_exists) {
      // The agreement really has properties (A)-(C).
      const multi_spe_result r = multi_spe(g, a.delta);
      CHECK(a.delta > 0.0);
      CHECK(a.delta < 1.0);
      CHECK(r.alpha0 > 0.0);
      CHECK(r.sp[0].alpha > r.alpha0);
      CHECK(r.u_g > 0.0);
      CHECK(r.sp[0].u > 0.0);
    }
  }
  CHECK(failures == 0);
  CHECK(premises > 100);

  // A fixed cost breaks the conclusion: c0 = c = 1, k = 2, m = 0 (both conditions hold), f = 1.
  // D's best utility is (1 - delta) alpha0 + (1 - delta)^2 / 4 - 1, so D takes part only if G
  // raises alpha0 to theta = (1 - (1 - delta)^2 / 4) / (1 - delta) >= 3/4 / (1 - delta), and then
  // G's utility delta (theta + (1 - delta)/2) - theta^2 is negative for every delta (e.g. -2.4 at
  // delta = 1/2): D abstains everywhere.
  multi_game g;
  g.sp[0].f = 1.0;
  const theorem41_analysis a = analyse_theorem41(g);
  CHECK(a.condition1);
  CHECK(a.condition2);
  CHECK_FALSE(a.no_fixed_cost);
  CHECK_FALSE(a.premises);
  CHECK_FALSE(a.agreement_exists);
  CHECK(std::isnan(a.delta));
}

TEST_CASE("n-specialist results with status ok hold no NaN or infinity (STYLE.md rule 2), over random "
          "games with every cost and revenue feature, at every delta of a grid") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int bad = 0, checked = 0;
  for (int draw = 0; draw < 60; ++draw) {
    multi_game g;
    g.c0 = log_uniform(rng, 1e-2, 1e2);
    g.k0 = 1.2 + 3.0 * u(rng);
    g.d0 = draw % 4 == 0 ? 0.05 * u(rng) : 0.0;
    g.classes = 1 + static_cast<int>(u(rng) * 4.99);
    for (int j = 0; j < g.classes; ++j) {
      specialist& sp = g.sp[j];
      sp.c = log_uniform(rng, 1e-2, 1e2);
      sp.k = 1.2 + 3.0 * u(rng);
      sp.f = 0.2 * u(rng);
      sp.m = 0.5 * u(rng);
      sp.s = 0.2 + 2.0 * u(rng);
      sp.b = draw % 2 ? 1.0 : 0.3 + 0.7 * u(rng);
      sp.d = 0.05 * u(rng);
      sp.count = 1 + static_cast<int>(u(rng) * 3.99);
    }
    for (int i = 0; i <= 40; ++i) {
      const multi_spe_result r = multi_spe(g, i / 40.0);
      if (r.status != cell_status::ok) continue;
      ++checked;
      bool finite = std::isfinite(r.alpha0) && std::isfinite(r.u_g) && std::isfinite(r.total_performance);
      for (int j = 0; j < g.classes; ++j) finite = finite && std::isfinite(r.sp[j].alpha) && std::isfinite(r.sp[j].u);
      if (!finite && ++bad <= 3) { CAPTURE(draw); CAPTURE(i); CHECK(finite); }
    }
  }
  CHECK(bad == 0);
  CHECK(checked > 2000);
}
