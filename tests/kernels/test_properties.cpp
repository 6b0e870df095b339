// tests/kernels/test_properties.cpp: game-theoretic properties of the two-player kernels on seeded
// random games (arXiv:2308.04399v3, Sections 2-3; polynomial costs of eqs. (3)-(4)).
//
// Draws: k0, k1 in (1, 4] (so k < 2, where Proposition 3.1 does not promise unimodal utilities, is
// about a third of each exponent's draws), c0 log-uniform in [1e-2, 1e2], c1/c0 log-uniform in
// [1e-6, 1e6], d0 = d1 = 0 for three draws in four and small positive disagreement payoffs
// (up to 30% of each player's largest utility) otherwise. References are independent: deviation
// grids, dense delta grids through spe(), a sort-and-sweep Pareto filter and bisection
// (brute_force.hpp). No bargaining or Pareto kernel output is used to build a reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "brute_force.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"
#include "support/close.hpp"

namespace {

using ftg::bargain_result;
using ftg::cell_status;
using ftg::game_params;
using ftg::pareto_set;
using ftg::solution;
using ftg::spe_result;
using ftg::test::close;
using ftg::test::rel_close;
using ftg::test::bf::failure_log;
using ftg::test::bf::operator<<;
namespace bf = ftg::test::bf;

#define FTG_CHECK_LOG(log)                                                            \
  do {                                                                                \
    INFO("failures: " << (log).count() << "; first failure: " << (log).first());       \
    CHECK((log).count() == 0);                                                        \
  } while (0)

// Tolerances (named once).
/// Regret allowed for a unilateral deviation, relative to the magnitude of the utility's terms.
constexpr double kTolRegret = 1e-12;
/// spe_numeric() against spe(): Brent locates alpha0 to about 1e-8 relative (kernels/spe.hpp).
constexpr double kTolSpeNumeric = 1e-6;
/// Improvement of a bargaining objective by a +-h move (relative to the objective at delta*).
constexpr double kTolLocal = 1e-12;
/// Improvement of a bargaining objective by a dense-grid point (relative to the grid's scale).
constexpr double kTolGlobal = 1e-10;
/// KS ratio equality and egalitarian gain equality at delta* (relative).
constexpr double kTolEqual = 1e-9;
/// Absolute floor: below it doubles are subnormal-ish and have no relative accuracy.
constexpr double kTiny = 1e-290;
/// Tolerance of contains() for the delta* of a Pareto-optimal solution.
constexpr double kTolContains = 1e-12;

constexpr std::array<double, 2> kBetas{0.2, 0.7};

// ---------------------------------------------------------------------------------------------
// Draws.

/// Largest UG and UD over a coarse grid (for scaling positive disagreement payoffs).
std::pair<double, double> coarse_max_utilities(const game_params& g) {
  double mg = 0.0, md = 0.0;
  for (int i = 0; i <= 200; ++i) {
    const spe_result r = ftg::spe(g, i / 200.0);
    if (r.status != cell_status::ok) return {NAN, NAN};
    mg = std::max(mg, r.u_g);
    md = std::max(md, r.u_d);
  }
  return {mg, md};
}

/// Seeded random games; draw i has positive disagreement payoffs when i % 4 == 3.
std::vector<game_params> make_draws(std::uint64_t seed, int count) {
  std::mt19937_64 rng(seed);
  std::vector<game_params> out;
  for (int i = 0; i < count; ++i) {
    game_params g;
    g.k0 = bf::exponent_in(rng, 4.0);
    g.k1 = bf::exponent_in(rng, 4.0);
    bf::draw_costs(rng, g);
    const double f0 = bf::uniform(rng, 0.0, 0.3), f1 = bf::uniform(rng, 0.0, 0.3);
    if (i % 4 == 3) {
      const auto [mg, md] = coarse_max_utilities(g);
      if (std::isfinite(mg) && std::isfinite(md)) {
        g.d0 = f0 * mg;
        g.d1 = f1 * md;
      }
    }
    out.push_back(g);
  }
  return out;
}

/// Games whose Pareto sets have two intervals or whose utilities are not unimodal, found by a
/// brute-force search with k < 2 (our own exploration, recorded here so that every run covers them):
/// with k0 = k1 = 1.2 and c0 = c1 the game is symmetric and the set is about
/// [0, 0.1430] U [0.8570, 1]; the others are asymmetric two-interval cases.
std::vector<game_params> special_games() {
  std::vector<game_params> out;
  const auto add = [&](double c0, double c1, double k0, double k1, double d0, double d1) {
    game_params g;
    g.c0 = c0;
    g.c1 = c1;
    g.k0 = k0;
    g.k1 = k1;
    g.d0 = d0;
    g.d1 = d1;
    out.push_back(g);
  };
  add(1.0, 1.0, 1.2, 1.2, 0.0, 0.0);
  add(1.0, 1.0, 1.25, 1.5, 0.0, 0.0);
  add(1.0, 1.0, 1.5, 1.25, 0.0, 0.0);
  add(1.0, 3.0, 1.5, 2.0, 0.0, 0.0);
  add(1.0, 0.9437858207258076, 1.221691666273035, 1.4378875936505722, 0.0, 0.0);
  add(1.0, 2.929333692698309, 1.513771663187637, 1.9524673882682695, 0.0, 0.0);
  add(1.0, 1.0, 1.2, 1.2, 0.01, 0.02);
  add(2.0, 0.5, 1.3, 1.1, 0.0, 0.0);
  return out;
}

/// Finite, moderate utilities everywhere: the properties below are meaningful (utilities that
/// underflow to 0 or overflow are only checked for statuses and NaN).
bool well_scaled(const game_params& g) {
  double big = 0.0;
  for (int i = 0; i <= 8; ++i) {
    const spe_result r = ftg::spe(g, i / 8.0);
    if (r.status != cell_status::ok) return false;
    big = std::max({big, r.u_g, r.u_d});
  }
  return big > 1e-200 && big < 1e200;
}

/// Extra grid points: geometric towards both ends (boundary layers of k close to 1).
std::vector<double> end_points() {
  std::vector<double> e;
  for (int j = 1; j <= 15; ++j) {
    e.push_back(std::pow(10.0, -j));
    e.push_back(1.0 - std::pow(10.0, -j));
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Objectives of the bargaining solutions (kernels/bargaining.hpp, section 1), evaluated from
// utilities; -inf where a solution is not defined (gains < 0 for the Nash family).

struct ideal {
  double g = NAN, d = NAN;  ///< gG*, gD* of Kalai-Smorodinsky
};

double objective(solution s, const game_params& g, double u_g, double u_d, double alpha1, double beta,
                 const ideal& id) {
  const double gg = u_g - g.d0, gd = u_d - g.d1;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  switch (s) {
    case solution::powerful_g: return u_g;
    case solution::powerful_d: return u_d;
    case solution::max_performance: return alpha1;
    case solution::vertical_monopoly: return u_g + u_d;
    case solution::egalitarian: return std::min(gg, gd);
    case solution::nash: return gg >= 0 && gd >= 0 ? gg * gd : kNone;
    case solution::kalai_smorodinsky:
      return gg >= 0 && gd >= 0 ? std::min(gg / id.g, gd / id.d) : kNone;
    case solution::generalized_nash:
      return gg >= 0 && gd >= 0 ? std::pow(gg, beta) * std::pow(gd, 1.0 - beta) : kNone;
  }
  return kNone;
}

bool all_finite(const bargain_result& r) {
  return std::isfinite(r.delta) && std::isfinite(r.u_g) && std::isfinite(r.u_d) &&
         std::isfinite(r.alpha0) && std::isfinite(r.alpha1);
}

bool all_finite(const spe_result& r) {
  return std::isfinite(r.delta) && std::isfinite(r.alpha0) && std::isfinite(r.alpha1) &&
         std::isfinite(r.u_g) && std::isfinite(r.u_d);
}

/// Structural invariants of a Pareto set (pareto.hpp): sorted, disjoint, non-touching intervals
/// inside [0, 1]; count 0 exactly when the status is disagreement.
bool well_formed(const pareto_set& s) {
  if (s.status != cell_status::ok && s.status != cell_status::disagreement) return true;  // failure
  if (s.count < 0 || s.count > pareto_set::capacity) return false;
  if ((s.count == 0) != (s.status == cell_status::disagreement)) return false;
  for (int i = 0; i < s.count; ++i) {
    const auto& iv = s.intervals[static_cast<std::size_t>(i)];
    if (!(iv.lo >= 0.0 && iv.lo <= iv.hi && iv.hi <= 1.0)) return false;
    if (i > 0 && !(s.intervals[static_cast<std::size_t>(i - 1)].hi < iv.lo)) return false;
  }
  return true;
}

std::string solution_name(solution s, double beta) {
  std::string n(ftg::to_string(s));
  if (s == solution::generalized_nash) n += "(beta=" + std::to_string(beta) + ")";
  return n;
}

/// The solutions to test, with the beta each uses.
struct solution_case {
  solution s;
  double beta;
};
std::vector<solution_case> solution_cases() {
  std::vector<solution_case> out;
  for (const solution s : ftg::all_solutions) {
    if (s == solution::generalized_nash)
      for (const double b : kBetas) out.push_back({s, b});
    else
      out.push_back({s, 0.5});
  }
  return out;
}

}  // namespace

// =============================================================================================
// Subgame-perfect equilibrium.

TEST_CASE("SPE (Theorem 3.1, backward induction): no profitable unilateral deviation on a grid of "
          "relative steps, and spe() equals spe_numeric() to 1e-6") {
  // D moves last: at (alpha0*, alpha1*) no alpha1 >= alpha0* raises UD. G moves first and D
  // re-optimises: D's best-response gap b* = ((1-delta)/(k1 c1))^(1/(k1-1)) does not depend on
  // alpha0 (own derivation from D's first-order condition, Appendix 8.1), so G's deviation alpha0'
  // yields alpha1 = alpha0' + b*, and no alpha0' >= 0 may raise UG. Regret is measured against the
  // magnitude of the utility's two terms (revenue share plus cost), which bounds rounding.
  const std::vector<game_params> draws = make_draws(0x5BE1, 1000);
  std::vector<double> steps;
  for (int j = 1; j <= 16; ++j) {
    const double s = std::pow(10.0, -0.5 * j);  // 10^-0.5 .. 10^-8
    steps.push_back(s);
    steps.push_back(-s);
  }
  steps.push_back(-1.0);  // down to zero investment
  failure_log dev_d, dev_g, numeric, numeric_status, identity;
  int n_checked = 0;
  std::mt19937_64 rng(0x5BE2);
  for (const game_params& g : draws) {
    const std::array<double, 6> deltas{0.0, 1.0, 0.5, bf::uniform(rng, 0.0, 1.0), bf::uniform(rng, 0.0, 1.0),
                                       bf::uniform(rng, 0.0, 0.05)};
    for (const double delta : deltas) {
      const spe_result r = ftg::spe(g, delta);
      if (r.status != cell_status::ok) continue;  // overflow (k close to 1), checked in the NaN test
      ++n_checked;
      const double a0 = r.alpha0, a1 = r.alpha1;
      const double ud_star = ftg::utility_d(g, delta, a0, a1);
      const double ug_star = ftg::utility_g(g, delta, a0, a1);
      const double scale_d = (1.0 - delta) * a1 + g.c1 * std::pow(a1 - a0, g.k1);
      const double scale_g = delta * a1 + g.c0 * std::pow(a0, g.k0);
      // The kernel's utilities (first-order identities) equal the definitions (eqs. 1-4).
      if (!close(r.u_d, ud_star, 0.0, kTolRegret * scale_d + kTiny) ||
          !close(r.u_g, ug_star, 0.0, kTolRegret * scale_g + kTiny))
        identity.record([&](auto& os) {
          os << g << " delta=" << delta << " spe (UG,UD)=(" << r.u_g << "," << r.u_d
             << ") definitions (" << ug_star << "," << ud_star << ")";
        });
      for (const double s : steps) {
        // D deviates: alpha1' = alpha1* (1 + s), kept >= alpha0*.
        const double a1p = std::max(a0, a1 * (1.0 + s));
        const double ud = ftg::utility_d(g, delta, a0, a1p);
        if (ud > ud_star + kTolRegret * scale_d + kTiny)
          dev_d.record([&](auto& os) {
            os << g << " delta=" << delta << " alpha0*=" << a0 << " alpha1*=" << a1 << " alpha1'=" << a1p
               << " UD'=" << ud << " UD*=" << ud_star;
          });
        // G deviates (relative and absolute steps), D re-optimises with the gap b*.
        const double bstar = bf::best_response_gap(g, delta);
        for (const double a0p : {std::max(0.0, a0 * (1.0 + s)), std::max(0.0, a0 + s * a1)}) {
          const double ug = ftg::utility_g(g, delta, a0p, a0p + bstar);
          if (ug > ug_star + kTolRegret * scale_g + kTiny)
            dev_g.record([&](auto& os) {
              os << g << " delta=" << delta << " alpha0*=" << a0 << " alpha0'=" << a0p << " b*=" << bstar
                 << " UG'=" << ug << " UG*=" << ug_star;
            });
        }
      }
      // Independent backward induction (Boost.Math), kernels/spe.hpp.
      const spe_result n = ftg::spe_numeric(g, delta);
      const double ua = a1, uu = std::abs(r.u_g) + std::abs(r.u_d);
      if (n.status != cell_status::ok) {
        numeric_status.record([&](auto& os) {
          os << g << " delta=" << delta << " spe_numeric status=" << ftg::to_string(n.status)
             << "; spe() gives (a0,a1,UG,UD)=(" << a0 << "," << a1 << "," << r.u_g << "," << r.u_d << ")";
        });
        continue;
      }
      const bool good = close(n.alpha0, a0, kTolSpeNumeric, kTolSpeNumeric * ua + kTiny) &&
                        close(n.alpha1, a1, kTolSpeNumeric, kTolSpeNumeric * ua + kTiny) &&
                        close(n.u_g, r.u_g, kTolSpeNumeric, kTolSpeNumeric * uu + kTiny) &&
                        close(n.u_d, r.u_d, kTolSpeNumeric, kTolSpeNumeric * uu + kTiny);
      if (!good)
        numeric.record([&](auto& os) {
          os << g << " delta=" << delta << " numeric (a0,a1,UG,UD)=(" << n.alpha0 << "," << n.alpha1 << ","
             << n.u_g << "," << n.u_d << ") closed (" << a0 << "," << a1 << "," << r.u_g << "," << r.u_d << ")";
        });
    }
  }
  MESSAGE("SPE: " << n_checked << " (game, delta) cells checked");
  CHECK(n_checked > 5700);
  {
    INFO("D's deviations");
    FTG_CHECK_LOG(dev_d);
  }
  {
    INFO("G's deviations");
    FTG_CHECK_LOG(dev_g);
  }
  {
    INFO("spe() utilities against the definitions of eqs. (1)-(4)");
    FTG_CHECK_LOG(identity);
  }
  {
    INFO("spe_numeric() against spe(): accuracy");
    FTG_CHECK_LOG(numeric);
  }
  {
    INFO("spe_numeric() against spe(): spe_numeric reports a failure on a valid cell");
    FTG_CHECK_LOG(numeric_status);
  }
}

// =============================================================================================
// Pareto set against a brute-force Pareto filter.

namespace {

struct pareto_stats {
  int draws = 0, skipped = 0, multi = 0, not_unimodal_kernel = 0, not_unimodal_grid = 0, edge_dip = 0,
      unexplained = 0, disagreement = 0;
};

/// Checks one game against the brute force; records the first violated property of the game.
void check_pareto_against_brute_force(const game_params& g, failure_log& log, pareto_stats& st) {
  constexpr int kN = 20000;
  constexpr double kH = 1.0 / kN;
  const pareto_set set = ftg::pareto_numeric(g);
  if (!well_formed(set)) {
    log.record([&](auto& os) { os << g << " malformed set, status " << ftg::to_string(set.status) << " count " << set.count; });
    return;
  }
  if (set.status != cell_status::ok && set.status != cell_status::disagreement) {
    log.record([&](auto& os) { os << g << " pareto_numeric failed: " << ftg::to_string(set.status); });
    return;
  }
  ++st.draws;
  std::vector<double> extra = end_points();
  for (int i = 0; i < set.count; ++i) {
    extra.push_back(set.intervals[static_cast<std::size_t>(i)].lo);
    extra.push_back(set.intervals[static_cast<std::size_t>(i)].hi);
  }
  const bf::grid gr = bf::evaluate_grid(g, kN, extra);
  if (!gr.all_ok) {
    log.record([&](auto& os) { os << g << " spe() not ok on the grid of a well-scaled game"; });
    return;
  }
  const std::vector<char> nd = bf::non_dominated(gr.u_g, gr.u_d, g.d0, g.d1);
  const auto describe_set = [&](auto& os) {
    os << " kernel set (" << ftg::to_string(set.status) << ", unimodal " << set.unimodal << "):";
    for (int i = 0; i < set.count; ++i)
      os << " [" << set.intervals[static_cast<std::size_t>(i)].lo << ", "
         << set.intervals[static_cast<std::size_t>(i)].hi << "]";
    os << "; brute force:";
    for (const auto& [a, b] : bf::runs(gr.delta, nd)) os << " [" << a << ", " << b << "]";
  };
  if (set.count > 1) ++st.multi;
  if (!set.unimodal) ++st.not_unimodal_kernel;

  // Disagreement: no grid point is individually rational by a margin.
  if (set.status == cell_status::disagreement) {
    ++st.disagreement;
    for (std::size_t i = 0; i < gr.delta.size(); ++i)
      if (gr.u_g[i] > g.d0 + 1e-9 * std::abs(g.d0) && gr.u_d[i] > g.d1 + 1e-9 * std::abs(g.d1)) {
        log.record([&](auto& os) { os << g << " disagreement, but delta=" << gr.delta[i] << " is rational"; });
        return;
      }
    return;
  }
  // (1) Every brute-force non-dominated point lies within 2 grid steps of the kernel's set.
  std::vector<double> nd_deltas;
  for (std::size_t i = 0; i < gr.delta.size(); ++i) {
    if (!nd[i]) continue;
    nd_deltas.push_back(gr.delta[i]);
    if (!ftg::contains(set, gr.delta[i], 2 * kH)) {
      log.record([&](auto& os) {
        os << g << " non-dominated grid point delta=" << gr.delta[i] << " (UG " << gr.u_g[i] << ", UD "
           << gr.u_d[i] << ") outside the set;";
        describe_set(os);
      });
      return;
    }
  }
  // (2) Every interval end lies within 2 grid steps of a brute-force non-dominated point.
  for (int i = 0; i < set.count; ++i) {
    for (const double e : {set.intervals[static_cast<std::size_t>(i)].lo, set.intervals[static_cast<std::size_t>(i)].hi}) {
      const auto it = std::lower_bound(nd_deltas.begin(), nd_deltas.end(), e);
      double dist = INFINITY;
      if (it != nd_deltas.end()) dist = std::min(dist, *it - e);
      if (it != nd_deltas.begin()) dist = std::min(dist, e - *(it - 1));
      if (!(dist <= 2 * kH + 1e-15)) {
        log.record([&](auto& os) {
          os << g << " interval end " << e << " is " << dist << " from the nearest non-dominated grid point;";
          describe_set(os);
        });
        return;
      }
    }
  }
  // (3) No grid point dominates an interval's end points or midpoint (both utilities larger by
  //     more than 1e-12 relative), and those points are individually rational.
  for (int i = 0; i < set.count; ++i) {
    const auto& iv = set.intervals[static_cast<std::size_t>(i)];
    for (const double m : {iv.lo, 0.5 * (iv.lo + iv.hi), iv.hi}) {
      const spe_result r = ftg::spe(g, m);
      const double tg = 1e-12 * std::abs(r.u_g), td = 1e-12 * std::abs(r.u_d);
      const double sg = 1e-12 * (std::abs(r.u_g) + std::abs(g.d0)), sd = 1e-12 * (std::abs(r.u_d) + std::abs(g.d1));
      if (r.u_g < g.d0 - sg || r.u_d < g.d1 - sd) {
        log.record([&](auto& os) {
          os << g << " set point " << m << " not individually rational: UG " << r.u_g << " UD " << r.u_d << ";";
          describe_set(os);
        });
        return;
      }
      for (std::size_t j = 0; j < gr.delta.size(); ++j)
        if (gr.u_g[j] > r.u_g + tg && gr.u_d[j] > r.u_d + td) {
          log.record([&](auto& os) {
            os << g << " set point " << m << " (UG " << r.u_g << ", UD " << r.u_d << ") dominated by delta="
               << gr.delta[j] << " (UG " << gr.u_g[j] << ", UD " << gr.u_d[j] << ");";
            describe_set(os);
          });
          return;
        }
    }
  }
  // (4) unimodal flag: a clear dip on the grid means not unimodal; unimodal means one interval
  //     (Theorem 2.1). Own derivation for k < 2: with p0 = 1/(k0-1) > 1, alpha0'(0) = 0, so
  //     UD'(0) = -alpha1(0) + alpha0'(0) < 0 (detail of Corollary 3.1): UD starts decreasing, and if it
  //     later exceeds UD(0) it has a local minimum, possibly at a delta far below any grid step
  //     (e.g. ~1e-17 for k0 = 1.95). Likewise k1 < 2 gives UG'(1) = alpha0(1) > 0 and a dip before
  //     delta = 1 whenever some UG exceeds UG(1).
  const bool dip = bf::clearly_not_unimodal(gr.u_g, 1e-9) || bf::clearly_not_unimodal(gr.u_d, 1e-9);
  const double max_ug = *std::max_element(gr.u_g.begin(), gr.u_g.end());
  const double max_ud = *std::max_element(gr.u_d.begin(), gr.u_d.end());
  const bool edge_dip = (g.k0 < 2.0 && max_ud > gr.u_d.front() * (1.0 + 1e-12)) ||
                        (g.k1 < 2.0 && max_ug > gr.u_g.back() * (1.0 + 1e-12));
  if (dip) ++st.not_unimodal_grid;
  if (edge_dip) ++st.edge_dip;
  if (!set.unimodal && !dip && !edge_dip) ++st.unexplained;
  if (((dip || edge_dip) && set.unimodal) || (set.unimodal && set.count != 1)) {
    log.record([&](auto& os) {
      os << g << " unimodal flag " << set.unimodal << " but grid dip " << dip << ", edge dip " << edge_dip
         << ", count " << set.count << ";";
      describe_set(os);
    });
  }
}

}  // namespace

TEST_CASE("Pareto set (Definitions 2.1-2.2) against a brute-force sort-and-sweep Pareto filter on "
          "20001 deltas, k0, k1 in (1, 4]") {
  // Independent brute force: spe() on delta = i/20000 plus geometric points near 0 and 1 plus
  // every kernel interval end; the non-dominated individually rational points come from a
  // sort-and-sweep (bf::non_dominated). Grid steps bound how well the two may agree: 2 steps.
  failure_log log;
  pareto_stats special, random;
  for (const game_params& g : special_games()) check_pareto_against_brute_force(g, log, special);
  for (const game_params& g : make_draws(0xFA2E70, 160)) {
    if (!well_scaled(g)) {
      ++random.skipped;
      continue;
    }
    check_pareto_against_brute_force(g, log, random);
  }
  // Hunt for random games with several intervals: 3000 more draws through pareto_numeric() alone;
  // those with count > 1 (at most 12) get the full brute-force comparison.
  pareto_stats hunted;
  int n_multi_hunt = 0;
  for (const game_params& g : make_draws(0x4A47, 3000)) {
    const pareto_set s = ftg::pareto_numeric(g);
    if (s.status != cell_status::ok || s.count < 2) continue;
    if (++n_multi_hunt <= 12 && well_scaled(g)) check_pareto_against_brute_force(g, log, hunted);
  }
  MESSAGE("Pareto hunt: " << n_multi_hunt << " of 3000 random games have more than one interval; "
                          << hunted.draws << " compared with the brute force, " << hunted.multi
                          << " of them confirmed with more than one interval");
  CHECK(hunted.multi == hunted.draws);
  for (const pareto_stats* st : {&special, &random})
    MESSAGE("Pareto, " << std::string(st == &special ? "special" : "random") << " games: " << st->draws
                       << " compared (" << st->skipped << " not well scaled, skipped); " << st->multi
                       << " with more than one interval, " << st->not_unimodal_kernel
                       << " flagged not unimodal by the kernel, " << st->not_unimodal_grid
                       << " with a visible dip on the grid, " << st->edge_dip
                       << " with a dip at an end (k < 2, derivation above), " << st->unexplained
                       << " flagged not unimodal without either, " << st->disagreement << " disagreement");
  FTG_CHECK_LOG(log);
  CHECK(special.multi == 7);  // every special game but the last has two intervals (our brute force)
  CHECK(special.not_unimodal_kernel == 8);
  CHECK(random.draws >= 150);
  CHECK(random.not_unimodal_grid > 10);  // k < 2 draws do produce non-unimodal utilities
}

TEST_CASE("Pareto set, own derivation: the symmetric game k0 = k1 = 1.2, c0 = c1 has two mirror "
          "intervals [0, a] U [1 - a, 1], a ~ 0.1430") {
  // UG(delta) = UD(1 - delta) when c0 = c1 and k0 = k1 (eqs. 5-6), so the set is symmetric about
  // 1/2; our brute-force exploration found a = 0.14295 (grid 1/20000) and the midpoint 1/2, where
  // UG = UD = 0.0073, dominated by the ends of the intervals where UG ~ UD ~ 0.0266.
  game_params g;
  g.c0 = g.c1 = 1.0;
  g.k0 = g.k1 = 1.2;
  const pareto_set set = ftg::pareto_numeric(g);
  REQUIRE(set.status == cell_status::ok);
  REQUIRE(set.count == 2);
  CHECK(!set.unimodal);
  CHECK(set.intervals[0].lo == 0.0);
  CHECK(set.intervals[1].hi == 1.0);
  CHECK(close(set.intervals[0].hi, 1.0 - set.intervals[1].lo, 0.0, 1e-12));
  CHECK(close(set.intervals[0].hi, 0.14295, 0.0, 1e-4));
  CHECK(!ftg::contains(set, 0.5, 1e-3));
}

// =============================================================================================
// Bargaining solutions: Pareto membership, optimality of delta*, NaN hygiene.

namespace {

/// Everything the solution tests need for one game.
struct solved {
  game_params g;
  pareto_set set;
  std::vector<solution_case> cases;
  std::vector<bargain_result> res;
  bf::grid gr;  ///< 4001 uniform deltas, geometric end points and every delta*
  ideal id;     ///< from powerful-G/-D when both are individually rational (else NaN)
};

solved solve_all(const game_params& g) {
  solved out;
  out.g = g;
  out.set = ftg::pareto_numeric(g);
  out.cases = solution_cases();
  std::vector<double> extra = end_points();
  for (const solution_case& c : out.cases) {
    out.res.push_back(ftg::bargain_numeric(c.s, g, c.beta));
    if (out.res.back().status == cell_status::ok) extra.push_back(out.res.back().delta);
  }
  out.gr = bf::evaluate_grid(g, 4000, extra);
  const bargain_result& pg = out.res[static_cast<std::size_t>(solution::powerful_g)];
  const bargain_result& pd = out.res[static_cast<std::size_t>(solution::powerful_d)];
  if (pg.status == cell_status::ok && pd.status == cell_status::ok && pg.u_d >= g.d1 && pd.u_g >= g.d0 &&
      pg.u_g > g.d0 && pd.u_d > g.d1) {
    out.id.g = pg.u_g - g.d0;
    out.id.d = pd.u_d - g.d1;
  }
  return out;
}

bool needs_agreement(solution s) {
  return s == solution::egalitarian || s == solution::nash || s == solution::kalai_smorodinsky ||
         s == solution::generalized_nash;
}

/// delta lies in an interval of the set, at least `margin` from its ends.
bool inside(const pareto_set& set, double delta, double margin) {
  for (int i = 0; i < set.count; ++i) {
    const auto& iv = set.intervals[static_cast<std::size_t>(i)];
    if (delta >= iv.lo + margin && delta <= iv.hi - margin) return true;
  }
  return false;
}

/// Points where f changes sign along the grid (f from spe() utilities), refined by bisection;
/// only those where `keep` holds are returned.
template <class F, class K>
std::vector<double> crossings(const solved& sv, F f, K keep) {
  std::vector<double> out;
  const auto& d = sv.gr.delta;
  const auto at = [&](double x) {
    const spe_result r = ftg::spe(sv.g, x);
    return f(r.u_g, r.u_d);
  };
  for (std::size_t i = 0; i + 1 < d.size(); ++i) {
    const double a = f(sv.gr.u_g[i], sv.gr.u_d[i]), b = f(sv.gr.u_g[i + 1], sv.gr.u_d[i + 1]);
    if (!(std::isfinite(a) && std::isfinite(b))) continue;
    if (a == 0.0 && keep(d[i])) out.push_back(d[i]);
    if ((a < 0.0 && b > 0.0) || (a > 0.0 && b < 0.0)) {
      const double x = bf::quad::bisect(at, d[i], d[i + 1]);
      if (keep(x)) out.push_back(x);
    }
  }
  return out;
}

std::vector<game_params> solution_draws() {
  std::vector<game_params> games = special_games();
  for (const game_params& g : make_draws(0x50107, 300)) games.push_back(g);
  return games;
}

}  // namespace

TEST_CASE("bargaining solutions (Definitions 2.4, 3.1-3.5): Pareto-optimal ones lie in the Pareto "
          "set and beat disagreement; Nash and generalized Nash are always Pareto-optimal") {
  // A maximiser of gG*gD (or gG^b gD^(1-b)) with both gains > 0 cannot be dominated: a dominating
  // agreement would have a larger product (own derivation). With d0 = d1 = 0 the same holds for
  // the vertical monopoly (sum of utilities, all agreements rational).
  failure_log log;
  int n_in = 0;
  for (const game_params& g : solution_draws()) {
    if (!well_scaled(g)) continue;
    const solved sv = solve_all(g);
    for (std::size_t i = 0; i < sv.cases.size(); ++i) {
      const solution_case& c = sv.cases[i];
      const bargain_result& r = sv.res[i];
      if (r.status != cell_status::ok) continue;  // statuses: next test case
      const double gg = r.u_g - g.d0, gd = r.u_d - g.d1;
      const double tg = 1e-12 * (std::abs(r.u_g) + std::abs(g.d0)), td = 1e-12 * (std::abs(r.u_d) + std::abs(g.d1));
      const bool must = ((c.s == solution::nash || c.s == solution::generalized_nash) && gg > tg && gd > td) ||
                        (c.s == solution::vertical_monopoly && g.d0 == 0.0 && g.d1 == 0.0);
      bool good = true;
      if (r.in_pareto) {
        ++n_in;
        good = ftg::contains(sv.set, r.delta, kTolContains) && gg >= -tg && gd >= -td;
      }
      if (must && !r.in_pareto) good = false;
      if (!good)
        log.record([&](auto& os) {
          os << g << " " << solution_name(c.s, c.beta) << " delta*=" << r.delta << " in_pareto=" << r.in_pareto
             << " UG=" << r.u_g << " UD=" << r.u_d << " contains=" << ftg::contains(sv.set, r.delta, kTolContains)
             << " set count " << sv.set.count;
        });
    }
  }
  MESSAGE("solutions flagged Pareto-optimal: " << n_in);
  FTG_CHECK_LOG(log);
}

TEST_CASE("bargaining solutions: every delta* is a global maximiser of its objective over a dense "
          "grid (kernels/bargaining.hpp section 1), with consistent statuses and utilities") {
  // Objectives: UG, UD, alpha1, UG + UD, min(gG, gD), gG gD, min(gG/gG*, gD/gD*), gG^b gD^(1-b);
  // the Nash family and KS only where both gains are >= 0. The objective at delta* is evaluated from
  // spe(delta*) (the reported utilities must match it) and must reach the grid maximum up to
  // kTolGlobal times the objective's scale. A status disagreement requires that no grid point is
  // rational for both players. KS is checked when gG*, gD* are known (both powerful solutions rational).
  failure_log log;
  int n_checked = 0, n_ks_skipped = 0;
  for (const game_params& g : solution_draws()) {
    if (!well_scaled(g)) continue;
    const solved sv = solve_all(g);
    const std::size_t m = sv.gr.delta.size();
    for (std::size_t i = 0; i < sv.cases.size(); ++i) {
      const solution_case& c = sv.cases[i];
      const bargain_result& r = sv.res[i];
      const auto fail = [&](const char* what) {
        log.record([&](auto& os) {
          os << what << ": " << g << " " << solution_name(c.s, c.beta) << " status=" << ftg::to_string(r.status)
             << " delta*=" << r.delta << " UG=" << r.u_g << " UD=" << r.u_d;
        });
      };
      if (r.status == cell_status::disagreement) {
        if (!needs_agreement(c.s)) {
          fail("disagreement for a solution defined on every game");
          continue;
        }
        for (std::size_t j = 0; j < m; ++j)
          if (sv.gr.u_g[j] > g.d0 + 1e-9 * std::abs(g.d0) + 1e-300 &&
              sv.gr.u_d[j] > g.d1 + 1e-9 * std::abs(g.d1) + 1e-300) {
            fail("disagreement although a grid point is rational for both");
            break;
          }
        continue;
      }
      if (r.status != cell_status::ok) {
        fail("kernel failure on a well-scaled game");
        continue;
      }
      if (c.s == solution::kalai_smorodinsky && !std::isfinite(sv.id.g)) {
        ++n_ks_skipped;
        continue;
      }
      const spe_result at = ftg::spe(g, r.delta);
      if (!(at.status == cell_status::ok && close(r.u_g, at.u_g, 1e-12, 1e-300) &&
            close(r.u_d, at.u_d, 1e-12, 1e-300) && close(r.alpha1, at.alpha1, 1e-12, 1e-300) &&
            close(r.alpha0, at.alpha0, 1e-12, 1e-300))) {
        fail("reported utilities/strategies differ from spe(delta*)");
        continue;
      }
      const double obj = objective(c.s, g, at.u_g, at.u_d, at.alpha1, c.beta, sv.id);
      double best = -INFINITY, worst = INFINITY, best_delta = NAN, scale = 0.0;
      for (std::size_t j = 0; j < m; ++j) {
        const double o = objective(c.s, g, sv.gr.u_g[j], sv.gr.u_d[j], sv.gr.alpha1[j], c.beta, sv.id);
        if (!std::isfinite(o)) continue;
        scale = std::max(scale, std::abs(o));
        worst = std::min(worst, o);
        if (o > best) {
          best = o;
          best_delta = sv.gr.delta[j];
        }
      }
      ++n_checked;
      if (!(obj >= best - kTolGlobal * scale))
        log.record([&](auto& os) {
          os << "not a global maximiser: " << g << " " << solution_name(c.s, c.beta) << " delta*=" << r.delta
             << " objective " << obj << " < grid max " << best << " at delta=" << best_delta;
        });
      // `degenerate`: the objective is constant over [0, 1] and delta* = 1 (the header's convention).
      if (r.degenerate && !(r.delta == 1.0 && best - worst <= kTolGlobal * scale))
        fail("degenerate flag, but delta* != 1 or the objective varies");
    }
  }
  MESSAGE("global maximiser checks: " << n_checked << " (KS skipped " << n_ks_skipped
                                      << " times: a powerful solution not rational)");
  FTG_CHECK_LOG(log);
  CHECK(n_checked > 2500);
}

TEST_CASE("Nash and generalized Nash (Definition 3.4): delta* is not improved by +-h moves, "
          "h in {1e-3, 1e-5}") {
  // Local optimality (relative tolerance kTolLocal); global optimality over the dense grid is the
  // previous test case, for every solution kind.
  failure_log log;
  int n_checked = 0;
  for (const game_params& g : solution_draws()) {
    if (!well_scaled(g)) continue;
    const solved sv = solve_all(g);
    for (std::size_t i = 0; i < sv.cases.size(); ++i) {
      const solution_case& c = sv.cases[i];
      const bargain_result& r = sv.res[i];
      if ((c.s != solution::nash && c.s != solution::generalized_nash) || r.status != cell_status::ok) continue;
      const spe_result at = ftg::spe(g, r.delta);
      const double obj = objective(c.s, g, at.u_g, at.u_d, at.alpha1, c.beta, sv.id);
      ++n_checked;
      for (const double h : {1e-3, 1e-5, -1e-3, -1e-5}) {
        const double x = r.delta + h;
        if (x < 0.0 || x > 1.0) continue;
        const spe_result q = ftg::spe(g, x);
        const double o = objective(c.s, g, q.u_g, q.u_d, q.alpha1, c.beta, sv.id);
        if (o > obj + kTolLocal * std::abs(obj))
          log.record([&](auto& os) {
            os << g << " " << solution_name(c.s, c.beta) << " delta*=" << r.delta << " objective " << obj
               << " improved to " << o << " at delta*+" << h;
          });
      }
    }
  }
  MESSAGE("Nash-family local checks: " << n_checked);
  FTG_CHECK_LOG(log);
  CHECK(n_checked > 900);
}

TEST_CASE("Kalai-Smorodinsky (Definition 3.5) equalises gG/gG* and gD/gD*, and egalitarian "
          "(Definition 3.3) equalises the gains, whenever such a point is Pareto-optimal") {
  // Own derivation: if an agreement x with equal (relative) gains v >= 0 is Pareto-optimal, every
  // maximiser of the min has min = v and, not dominating x, equal (relative) gains as well. The
  // equal-gain points come from sign changes on the grid refined by bisection (independent of the
  // kernels); "Pareto-optimal" uses the kernel's set with a margin of 1e-9 (checked above against
  // the brute force).
  failure_log log;
  int n_ks = 0, n_egal = 0;
  for (const game_params& g : solution_draws()) {
    if (!well_scaled(g)) continue;
    const solved sv = solve_all(g);
    const auto nonneg = [&](double x) {
      const spe_result r = ftg::spe(g, x);
      return r.u_g >= g.d0 && r.u_d >= g.d1 && inside(sv.set, x, 1e-9);
    };
    // Egalitarian.
    const auto egal_diff = [&](double ug, double ud) { return (ug - g.d0) - (ud - g.d1); };
    if (!crossings(sv, egal_diff, nonneg).empty()) {
      ++n_egal;
      const bargain_result& r = sv.res[static_cast<std::size_t>(solution::egalitarian)];
      const spe_result at = ftg::spe(g, r.delta);
      if (!(r.status == cell_status::ok && rel_close(at.u_g - g.d0, at.u_d - g.d1, kTolEqual)))
        log.record([&](auto& os) {
          os << "egalitarian: " << g << " status " << ftg::to_string(r.status) << " delta*=" << r.delta
             << " gains " << at.u_g - g.d0 << " vs " << at.u_d - g.d1;
        });
    }
    // Kalai-Smorodinsky.
    if (std::isfinite(sv.id.g)) {
      const auto ks_diff = [&](double ug, double ud) { return (ug - g.d0) / sv.id.g - (ud - g.d1) / sv.id.d; };
      if (!crossings(sv, ks_diff, nonneg).empty()) {
        ++n_ks;
        const bargain_result& r = sv.res[static_cast<std::size_t>(solution::kalai_smorodinsky)];
        const spe_result at = ftg::spe(g, r.delta);
        const double rg = (at.u_g - g.d0) / sv.id.g, rd = (at.u_d - g.d1) / sv.id.d;
        if (!(r.status == cell_status::ok && rel_close(rg, rd, kTolEqual)))
          log.record([&](auto& os) {
            os << "KS: " << g << " status " << ftg::to_string(r.status) << " delta*=" << r.delta
               << " relative gains " << rg << " vs " << rd << " (gG*=" << sv.id.g << ", gD*=" << sv.id.d << ")";
          });
      }
    }
  }
  MESSAGE("equal-gain checks: egalitarian " << n_egal << ", KS " << n_ks);
  FTG_CHECK_LOG(log);
  CHECK(n_egal > 250);
  CHECK(n_ks > 200);
}

TEST_CASE("statuses (kernels/params.hpp): a result with status ok never holds NaN or infinity, a "
          "disagreement result holds (NaN, d0, d1), and well-scaled games never fail") {
  // Over every draw, including those with k close to 1 whose powers overflow or underflow.
  failure_log nan_log, fail_log;
  std::array<int, 8> status_count{};
  for (const game_params& g : solution_draws()) {
    const bool ws = well_scaled(g);
    for (const double delta : {0.0, 0.3, 1.0}) {
      const spe_result r = ftg::spe(g, delta), n = ftg::spe_numeric(g, delta);
      for (const spe_result& x : {r, n})
        if (x.status == cell_status::ok && !all_finite(x))
          nan_log.record([&](auto& os) { os << "spe: " << g << " delta=" << delta << " alpha1=" << x.alpha1; });
    }
    const pareto_set set = ftg::pareto_numeric(g);
    ++status_count[static_cast<std::size_t>(set.status)];
    if (!well_formed(set))
      nan_log.record([&](auto& os) { os << "pareto malformed: " << g << " count " << set.count; });
    for (int i = 0; i < set.count && i < pareto_set::capacity; ++i)
      if (set.status == cell_status::ok && !(std::isfinite(set.intervals[static_cast<std::size_t>(i)].lo) &&
                                             std::isfinite(set.intervals[static_cast<std::size_t>(i)].hi)))
        nan_log.record([&](auto& os) { os << "pareto: " << g; });
    if (ws && set.status != cell_status::ok && set.status != cell_status::disagreement)
      fail_log.record([&](auto& os) { os << "pareto_numeric: " << g << " " << ftg::to_string(set.status); });
    for (const solution_case& c : solution_cases()) {
      const bargain_result r = ftg::bargain_numeric(c.s, g, c.beta);
      ++status_count[static_cast<std::size_t>(r.status)];
      if (r.status == cell_status::ok && !all_finite(r))
        nan_log.record([&](auto& os) {
          os << solution_name(c.s, c.beta) << ": " << g << " ok with delta=" << r.delta << " UG=" << r.u_g
             << " UD=" << r.u_d << " alpha0=" << r.alpha0 << " alpha1=" << r.alpha1;
        });
      if (r.status == cell_status::disagreement && !(std::isnan(r.delta) && r.u_g == g.d0 && r.u_d == g.d1))
        nan_log.record([&](auto& os) {
          os << solution_name(c.s, c.beta) << ": " << g << " disagreement with delta=" << r.delta << " UG=" << r.u_g
             << " UD=" << r.u_d;
        });
      if (ws && r.status != cell_status::ok && r.status != cell_status::disagreement)
        fail_log.record([&](auto& os) {
          os << solution_name(c.s, c.beta) << ": " << g << " " << ftg::to_string(r.status);
        });
    }
  }
  std::string summary;
  for (std::size_t i = 0; i < status_count.size(); ++i)
    if (status_count[i] > 0)
      summary += std::string(ftg::to_string(static_cast<cell_status>(i))) + "=" + std::to_string(status_count[i]) + " ";
  MESSAGE("statuses of pareto_numeric and bargain_numeric over all draws: " << summary);
  {
    INFO("ok results with NaN/inf, or malformed disagreement results");
    FTG_CHECK_LOG(nan_log);
  }
  {
    INFO("failures on well-scaled games");
    FTG_CHECK_LOG(fail_log);
  }
}

TEST_CASE("solve_game() (numeric) agrees with pareto_numeric() and bargain_numeric() per solution") {
  // solve_game shares one scan of the game (kernels/bargaining.hpp); its results must be the
  // per-kernel ones up to solver accuracy.
  failure_log log;
  for (const game_params& g : make_draws(0x5017E, 200)) {
    if (!well_scaled(g)) continue;
    const ftg::game_solution all = ftg::solve_game(g, 0.5);
    const pareto_set set = ftg::pareto_numeric(g);
    bool good = all.pareto.status == set.status && all.pareto.count == set.count;
    for (int i = 0; good && i < set.count; ++i)
      good = close(all.pareto.intervals[static_cast<std::size_t>(i)].lo, set.intervals[static_cast<std::size_t>(i)].lo, 0.0, 1e-12) &&
             close(all.pareto.intervals[static_cast<std::size_t>(i)].hi, set.intervals[static_cast<std::size_t>(i)].hi, 0.0, 1e-12);
    for (const solution s : ftg::all_solutions) {
      const bargain_result a = all[s], b = ftg::bargain_numeric(s, g, 0.5);
      const bool same = a.status == b.status &&
                        (a.status != cell_status::ok || (close(a.delta, b.delta, 0.0, 1e-9) && a.in_pareto == b.in_pareto));
      if (!same || !good)
        log.record([&](auto& os) {
          os << g << " " << ftg::to_string(s) << " solve_game (" << ftg::to_string(a.status) << ", " << a.delta
             << ") bargain_numeric (" << ftg::to_string(b.status) << ", " << b.delta << "), pareto counts "
             << all.pareto.count << " vs " << set.count;
        });
    }
  }
  FTG_CHECK_LOG(log);
}

TEST_CASE("mirror symmetry (own derivation from eqs. 5-6): swapping the players maps every solution "
          "delta* to 1 - delta* and the Pareto set to its mirror image") {
  // UG(delta; c0, c1, k0, k1, d0) = UD(1 - delta; c1, c0, k1, k0, d1): powerful-G <-> powerful-D,
  // generalized Nash beta <-> 1 - beta, the symmetric solutions map to themselves. Ties are skipped
  // (the convention "larger delta" is not mirror-symmetric).
  failure_log log;
  int n = 0;
  std::vector<game_params> games = special_games();
  for (const game_params& g : make_draws(0x3170, 300)) games.push_back(g);
  for (const game_params& g : games) {
    if (!well_scaled(g)) continue;
    game_params w = g;
    w.c0 = g.c1;
    w.c1 = g.c0;
    w.k0 = g.k1;
    w.k1 = g.k0;
    w.d0 = g.d1;
    w.d1 = g.d0;
    const pareto_set a = ftg::pareto_numeric(g), b = ftg::pareto_numeric(w);
    bool good = a.status == b.status && a.count == b.count;
    for (int i = 0; good && i < a.count; ++i) {
      const auto& ia = a.intervals[static_cast<std::size_t>(i)];
      const auto& ib = b.intervals[static_cast<std::size_t>(a.count - 1 - i)];
      good = close(ia.lo, 1.0 - ib.hi, 0.0, 1e-9) && close(ia.hi, 1.0 - ib.lo, 0.0, 1e-9);
    }
    if (!good)
      log.record([&](auto& os) { os << "Pareto set not mirrored: " << g << " counts " << a.count << ", " << b.count; });
    for (const solution_case& c : solution_cases()) {
      solution ms = c.s;
      if (c.s == solution::powerful_g) ms = solution::powerful_d;
      if (c.s == solution::powerful_d) ms = solution::powerful_g;
      const bargain_result ra = ftg::bargain_numeric(c.s, g, c.beta);
      const bargain_result rb = ftg::bargain_numeric(ms, w, 1.0 - c.beta);
      if (ra.tie || rb.tie || ra.degenerate || rb.degenerate) continue;
      ++n;
      const bool ok = ra.status == rb.status &&
                      (ra.status != cell_status::ok || close(ra.delta, 1.0 - rb.delta, 0.0, 1e-9));
      if (!ok)
        log.record([&](auto& os) {
          os << solution_name(c.s, c.beta) << ": " << g << " delta*=" << ra.delta << " (" << ftg::to_string(ra.status)
             << "), mirrored game gives " << rb.delta << " (" << ftg::to_string(rb.status) << ")";
        });
    }
  }
  MESSAGE("mirror checks: " << n);
  FTG_CHECK_LOG(log);
}

TEST_CASE("symmetric game k0 = k1 = 1.2, c0 = c1 (own derivation): separated global maxima set `tie` "
          "and report the larger delta (kernels/bargaining.hpp convention)") {
  // Nash product and UG + UD are symmetric about 1/2 here and their maxima lie off 1/2 (our grid:
  // Nash at 0.08335 and 0.91665; vertical monopoly at 0 and 1), so each has two separated maxima.
  game_params g;
  g.c0 = g.c1 = 1.0;
  g.k0 = g.k1 = 1.2;
  const bargain_result nash = ftg::bargain_numeric(solution::nash, g);
  REQUIRE(nash.status == cell_status::ok);
  CHECK(nash.tie);
  CHECK(close(nash.delta, 0.91665, 0.0, 1e-4));
  const spe_result a = ftg::spe(g, nash.delta), b = ftg::spe(g, 1.0 - nash.delta);
  CHECK(rel_close(a.u_g * a.u_d, b.u_g * b.u_d, 1e-12));
  const bargain_result vm = ftg::bargain_numeric(solution::vertical_monopoly, g);
  REQUIRE(vm.status == cell_status::ok);
  CHECK(vm.tie);
  CHECK(vm.delta == 1.0);
}

// =============================================================================================
// Invalid inputs.

TEST_CASE("invalid inputs (kernels/params.hpp preconditions): c <= 0, k <= 1, non-finite fields, "
          "delta outside [0, 1] and beta outside (0, 1) give invalid_params") {
  game_params base;
  base.c0 = 1.0;
  base.c1 = 2.0;  // quadratic, valid
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<game_params> bad;
  for (const double v : {0.0, -0.0, -1.0, kNan, kInf, -kInf}) {
    game_params g = base;
    g.c0 = v;
    bad.push_back(g);
    g = base;
    g.c1 = v;
    bad.push_back(g);
  }
  for (const double v : {1.0, 0.5, 0.0, -2.0, kNan, kInf, -kInf}) {
    game_params g = base;
    g.k0 = v;
    bad.push_back(g);
    g = base;
    g.k1 = v;
    bad.push_back(g);
  }
  for (const double v : {kNan, kInf, -kInf}) {
    game_params g = base;
    g.d0 = v;
    bad.push_back(g);
    g = base;
    g.d1 = v;
    bad.push_back(g);
  }
  failure_log log;
  for (const game_params& g : bad) {
    const auto expect = [&](cell_status s, const char* what) {
      if (s != cell_status::invalid_params)
        log.record([&](auto& os) { os << what << " on " << g << " returned " << ftg::to_string(s); });
    };
    const spe_result r = ftg::spe(g, 0.5);
    expect(r.status, "spe");
    if (!(std::isnan(r.alpha0) && std::isnan(r.alpha1) && std::isnan(r.u_g) && std::isnan(r.u_d)))
      log.record([&](auto& os) { os << "spe fields not NaN on " << g; });
    expect(ftg::spe_numeric(g, 0.5).status, "spe_numeric");
    expect(ftg::pareto_numeric(g).status, "pareto_numeric");
    expect(ftg::pareto_closed_form(g).status, "pareto_closed_form");
    for (const solution s : ftg::all_solutions) {
      const bargain_result a = ftg::bargain_numeric(s, g), b = ftg::bargain_closed_form(s, g);
      expect(a.status, "bargain_numeric");
      expect(b.status, "bargain_closed_form");
      if (!std::isnan(a.delta) || !std::isnan(b.delta))
        log.record([&](auto& os) { os << "delta not NaN for invalid " << g << " " << ftg::to_string(s); });
    }
    for (const ftg::method m : {ftg::method::numeric, ftg::method::closed_form}) {
      const ftg::game_solution all = ftg::solve_game(g, 0.5, m);
      expect(all.pareto.status, "solve_game pareto");
      for (const solution s : ftg::all_solutions) expect(all[s].status, "solve_game solution");
    }
  }
  for (const double delta : {-0.1, -1e-300, std::nextafter(1.0, 2.0), 2.0, kNan, kInf, -kInf}) {
    const spe_result r = ftg::spe(base, delta), n = ftg::spe_numeric(base, delta);
    if (r.status != cell_status::invalid_params || n.status != cell_status::invalid_params ||
        !std::isnan(r.u_g) || !std::isnan(r.alpha1))
      log.record([&](auto& os) {
        os << "delta=" << delta << ": spe " << ftg::to_string(r.status) << ", spe_numeric " << ftg::to_string(n.status);
      });
  }
  for (const double beta : {0.0, 1.0, -0.1, 1.1, kNan, kInf, -kInf}) {
    const bargain_result a = ftg::bargain_numeric(solution::generalized_nash, base, beta);
    const bargain_result b = ftg::bargain_closed_form(solution::generalized_nash, base, beta);
    const ftg::game_solution all = ftg::solve_game(base, beta);
    if (a.status != cell_status::invalid_params || b.status != cell_status::invalid_params ||
        all[solution::generalized_nash].status != cell_status::invalid_params)
      log.record([&](auto& os) {
        os << "beta=" << beta << ": numeric " << ftg::to_string(a.status) << ", closed form "
           << ftg::to_string(b.status) << ", solve_game " << ftg::to_string(all[solution::generalized_nash].status);
      });
  }
  FTG_CHECK_LOG(log);
  // Valid edge inputs stay valid: delta = 0 and 1, -0.0, and k just above 1.
  CHECK(ftg::spe(base, 0.0).status == cell_status::ok);
  CHECK(ftg::spe(base, 1.0).status == cell_status::ok);
  CHECK(ftg::spe(base, -0.0).status == cell_status::ok);
  // Closed forms need k0 = k1 = 2 (bargaining.hpp): a valid cubic game is no_closed_form.
  game_params cubic = base;
  cubic.k0 = 3.0;
  CHECK(ftg::pareto_closed_form(cubic).status == cell_status::no_closed_form);
  for (const solution s : ftg::all_solutions) {
    CAPTURE(ftg::to_string(s));
    CHECK(ftg::bargain_closed_form(s, cubic).status == cell_status::no_closed_form);
    CHECK(ftg::bargain_numeric(s, cubic).status == cell_status::ok);
  }
}
