// The shared closed-form path of solve_game(method::closed_form) (kernels/bargaining_closed_form.cpp)
// against the per-solution reference bargain_closed_form() and spe() (Theorem 3.1), bit for bit.
// Source of exactness: for k0 = k1 = 2, p = 1/(k-1) = 1 and std::pow(x, 1) == x, so the pow-free
// strategies a0*delta, a1*(1-delta) are spe()'s values exactly; sharing the context changes nothing.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "kernels/bargaining.hpp"
#include "kernels/spe.hpp"

using namespace ftg;

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST_CASE("solve_game(closed_form) equals bargain_closed_form() and pareto_closed_form() bit for "
          "bit, and its strategies and utilities equal spe() at delta* bit for bit (Theorem 3.1)") {
  std::mt19937_64 rng(63);
  std::uniform_real_distribution<double> lc(-6.0, 6.0), u(0.0, 1.0), bd(0.05, 0.95);
  int ok_cells = 0;
  for (int draw = 0; draw < 3000; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng) / 2.0);
    g.c1 = g.c0 * std::pow(10.0, lc(rng));
    if (draw % 50 == 0) g.c1 = g.c0;  // the degenerate max_performance and tie conventions
    if (draw % 3 == 1) {
      g.d0 = 0.5 * u(rng) * spe(g, 1.0).u_g;
      g.d1 = 0.5 * u(rng) * spe(g, 0.0).u_d;
    }
    if (draw % 97 == 5) g.d0 = 10.0;  // disagreement
    const double beta = draw % 41 == 7 ? 1.5 : bd(rng);  // also an invalid beta
    const game_solution all = solve_game(g, beta, method::closed_form);
    const pareto_set ps = pareto_closed_form(g);
    REQUIRE(all.pareto.status == ps.status);
    REQUIRE(all.pareto.count == ps.count);
    for (int i = 0; i < ps.count; ++i) {
      CHECK(same_bits(all.pareto.intervals[i].lo, ps.intervals[i].lo));
      CHECK(same_bits(all.pareto.intervals[i].hi, ps.intervals[i].hi));
    }
    for (solution s : all_solutions) {
      const bargain_result& a = all[s];
      const bargain_result b = bargain_closed_form(s, g, beta);
      INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", d0 = ", g.d0, ", d1 = ", g.d1, ", solution ", to_string(s));
      REQUIRE(a.status == b.status);
      CHECK((same_bits(a.delta, b.delta) && same_bits(a.u_g, b.u_g) && same_bits(a.u_d, b.u_d) &&
             same_bits(a.alpha0, b.alpha0) && same_bits(a.alpha1, b.alpha1)));
      CHECK(a.in_pareto == b.in_pareto);
      CHECK(a.tie == b.tie);
      CHECK(a.degenerate == b.degenerate);
      CHECK(a.iterations == b.iterations);
      if (a.status == cell_status::ok) {
        ++ok_cells;
        const spe_result e = spe(g, a.delta);
        CHECK((same_bits(a.alpha0, e.alpha0) && same_bits(a.alpha1, e.alpha1) &&
               same_bits(a.u_g, e.u_g) && same_bits(a.u_d, e.u_d)));
      }
    }
  }
  CHECK(ok_cells > 15000);
}
