// The Pareto set where Theorem 2.1's premise fails (k < 2), against an independent brute force.
// Sources: Definitions 2.1-2.2, Theorem 2.1, Proposition 3.1 (arXiv:2308.04399v3); docs/model.md
// section 3, item 3.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "kernels/bargaining.hpp"
#include "kernels/spe.hpp"
#include "support/close.hpp"

using namespace ftg;
using ftg::test::close;
using ftg::test::rel_close;

namespace {

// Non-dominated grid points by a sort on UG (descending) and a running maximum of UD: an
// independent O(N log N) solver that shares nothing with pareto_numeric but spe().
std::vector<char> brute_force_front(const game_params& g, int n) {
  std::vector<double> ug(n), ud(n);
  for (int i = 0; i < n; ++i) {
    const spe_result r = spe(g, static_cast<double>(i) / (n - 1));
    ug[i] = r.u_g;
    ud[i] = r.u_d;
  }
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](int a, int b) { return ug[a] > ug[b] || (ug[a] == ug[b] && ud[a] > ud[b]); });
  std::vector<char> front(n, 0);
  double best_ud = -1e300;
  for (int i : idx) {
    if (ud[i] > best_ud && ug[i] >= g.d0 && ud[i] >= g.d1) front[i] = 1;
    best_ud = std::max(best_ud, ud[i]);
  }
  return front;
}

}  // namespace

TEST_CASE("a k < 2 counterexample to Proposition 3.1: c0 = 1, c1 = 3, k0 = 1.3, k1 = 1.2 has a "
          "non-unimodal UD, and the Pareto set is still [powerful-D, powerful-G] (brute force)") {
  const game_params g{1.0, 3.0, 1.3, 1.2, 0.0, 0.0};
  // UD falls from delta = 0 to a local minimum near 0.0513, then rises to its maximum near 0.769.
  const double ud0 = spe(g, 0.0).u_d, ud_dip = spe(g, 0.0513357).u_d, ud_top = spe(g, 0.76923).u_d;
  CHECK(ud_dip < ud0);
  CHECK(ud_top > ud0);
  CHECK(rel_close(ud0, 2.756361948e-4, 1e-9));

  const pareto_set ps = pareto_numeric(g);
  REQUIRE(ps.status == cell_status::ok);
  CHECK_FALSE(ps.unimodal);
  REQUIRE(ps.count == 1);
  const bargain_result pd = bargain_numeric(solution::powerful_d, g);
  const bargain_result pg = bargain_numeric(solution::powerful_g, g);
  CHECK(rel_close(ps.intervals[0].lo, pd.delta, 1e-12));
  CHECK(rel_close(ps.intervals[0].hi, pg.delta, 1e-12));
  CHECK(pg.delta == 1.0);

  // Brute force on 200,001 points: the non-dominated points are exactly the grid points of
  // [pd, 1], to one grid step.
  constexpr int n = 200001;
  const auto front = brute_force_front(g, n);
  const double h = 1.0 / (n - 1);
  int outside = 0;
  for (int i = 0; i < n; ++i) {
    const double d = i * h;
    const bool in_kernel = contains(ps, d, h);
    const bool strictly_inside = contains(ps, d, -h);
    if ((front[i] && !in_kernel) || (!front[i] && strictly_inside)) ++outside;
  }
  CHECK(outside == 0);
}

TEST_CASE("Pareto sets from pareto_numeric agree with a brute-force front on 20,001 points for "
          "k0, k1 in {1.1, 1.25, 1.5, 2, 3} and c1/c0 in {0.01, 0.3, 1, 3, 100}") {
  int mismatches = 0;
  for (double k0 : {1.1, 1.25, 1.5, 2.0, 3.0})
    for (double k1 : {1.1, 1.25, 1.5, 2.0, 3.0})
      for (double x : {0.01, 0.3, 1.0, 3.0, 100.0}) {
        const game_params g{1.0, x, k0, k1, 0.0, 0.0};
        const pareto_set ps = pareto_numeric(g);
        REQUIRE(ps.status == cell_status::ok);
        constexpr int n = 20001;
        const auto front = brute_force_front(g, n);
        const double h = 1.0 / (n - 1);
        for (int i = 0; i < n; ++i) {
          const double d = i * h;
          // Two grid steps of slack: the brute force resolves boundaries to one step only.
          const bool bad = (front[i] && !contains(ps, d, 2 * h)) || (!front[i] && contains(ps, d, -2 * h));
          if (bad && ++mismatches <= 3) {
            CAPTURE(k0); CAPTURE(k1); CAPTURE(x); CAPTURE(d); CAPTURE(static_cast<int>(front[i]));
            CAPTURE(ps.count); CAPTURE(ps.intervals[0].lo); CAPTURE(ps.intervals[0].hi);
            CHECK_FALSE(bad);
          }
        }
      }
  CHECK(mismatches == 0);
}

TEST_CASE("Theorem 2.1 with disagreement payoffs: the Pareto set is cut where a utility reaches its "
          "disagreement payoff, and is empty (disagreement) when no agreement is rational") {
  const game_params base{1.0, 2.0, 2.0, 2.0, 0.0, 0.0};
  // Quadratic, x = 2: [PD, PG] = [1/3, 1]; UG = delta^2/4 + delta(1-delta)/4 = delta/4.
  game_params g = base;
  g.d0 = 0.125;  // UG >= 1/8 <=> delta >= 1/2
  const pareto_set a = pareto_numeric(g), b = pareto_closed_form(g);
  REQUIRE(a.count == 1);
  REQUIRE(b.count == 1);
  CHECK(rel_close(a.intervals[0].lo, 0.5, 1e-12));
  CHECK(rel_close(b.intervals[0].lo, 0.5, 1e-12));
  CHECK(a.intervals[0].hi == 1.0);
  g.d0 = 0.3;  // more than max UG = 1/4
  CHECK(pareto_numeric(g).status == cell_status::disagreement);
  CHECK(pareto_closed_form(g).status == cell_status::disagreement);
  CHECK(bargain_numeric(solution::nash, g).status == cell_status::disagreement);
  CHECK(bargain_closed_form(solution::nash, g).status == cell_status::disagreement);
  const bargain_result pg = bargain_numeric(solution::powerful_g, g);
  CHECK(pg.status == cell_status::ok);  // defined for every game, but not in the (empty) set
  CHECK_FALSE(pg.in_pareto);
}

TEST_CASE("two players, two Pareto intervals: c0 = c1, k0 = k1 = 1.2 gives [0, a] and [1 - a, 1], "
          "not Theorem 2.1's [powerful-D, powerful-G] = [0, 1] (docs/model.md section 3, item 3)") {
  const game_params g{1.0, 1.0, 1.2, 1.2, 0.0, 0.0};
  const pareto_set ps = pareto_numeric(g);
  REQUIRE(ps.status == cell_status::ok);
  REQUIRE(ps.count == 2);
  CHECK_FALSE(ps.unimodal);
  const double a = ps.intervals[0].hi;
  CHECK(ps.intervals[0].lo == 0.0);
  CHECK(ps.intervals[1].hi == 1.0);
  CHECK(rel_close(a, 0.142949335045, 1e-9));
  // The game is symmetric under delta -> 1 - delta with G and D swapped, so is the set.
  CHECK(close(ps.intervals[1].lo, 1.0 - a, 0.0, 1e-12));
  // The boundary is where the utility curve meets its mirror image: UG(a) = UD(a) = UG(1 - a).
  const spe_result at_a = spe(g, a), at_b = spe(g, 1.0 - a);
  CHECK(rel_close(at_a.u_g, at_a.u_d, 1e-9));
  CHECK(rel_close(at_a.u_g, at_b.u_d, 1e-12));
  // Theorem 2.1's interval would include delta = 1/2, which delta = 0.1 dominates.
  CHECK(bargain_numeric(solution::powerful_d, g).delta == 0.0);
  CHECK(bargain_numeric(solution::powerful_g, g).delta == 1.0);
  const spe_result half = spe(g, 0.5), tenth = spe(g, 0.1);
  CHECK(tenth.u_g > half.u_g);
  CHECK(tenth.u_d > half.u_d);
  // The max-min objectives have two mirror-image maxima: tie set, the larger delta reported.
  const bargain_result egal = bargain_numeric(solution::egalitarian, g);
  CHECK(egal.tie);
  CHECK(rel_close(egal.delta, 1.0 - a, 1e-9));
  const bargain_result nash = bargain_numeric(solution::nash, g);
  CHECK(nash.tie);
  CHECK(nash.delta > 0.5);
  CHECK(nash.in_pareto);
}
