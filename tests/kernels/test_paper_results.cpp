// tests/kernels/test_paper_results.cpp: the stated results of Laufer, Kleinberg and Heidari,
// "Fine-Tuning Games", arXiv:2308.04399v3, Sections 2-3 and Appendices 7-8, checked against
// spe(), pareto_numeric()/pareto_closed_form() and against BOTH bargain_numeric() and
// bargain_closed_form(). Quadratic costs k0 = k1 = 2 unless stated; d0 = d1 = 0 (the paper's
// default). Every TEST_CASE names its source; references that are our own derivations say so and
// live in brute_force.hpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
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
using ftg::method;
using ftg::solution;
using ftg::test::close;
using ftg::test::rel_close;
using ftg::test::bf::failure_log;
using ftg::test::bf::operator<<;
namespace bf = ftg::test::bf;
namespace quad = ftg::test::bf::quad;

// Tolerances (named once, used below).
constexpr double kEps = std::numeric_limits<double>::epsilon();
/// Closed forms of Props. 3.2-3.6 in double: a few roundings.
constexpr double kTolClosed = 1e-12;
/// Numeric solvers: TOMS 748 at 2^(1-50) relative on first-order conditions (kernels/bargaining.hpp),
/// plus the evaluation noise of the condition near its root; 1e-10 leaves a wide margin.
constexpr double kTolNumeric = 1e-10;
/// Absolute floor for results that are exactly 0 (powerful-D, max-performance at c1 < c0).
constexpr double kAbsZero = 1e-13;
/// Limits of Figure 5 / Section 3.4 checked at c1/c0 = 1e6 or 1e-6: the distance to the limit is
/// O(c0/c1) (about 2e-7 for Nash at 1e6), so 1e-5 is the brief's bound with margin.
constexpr double kTolLimit = 1e-5;

#define FTG_CHECK_LOG(log)                                                            \
  do {                                                                                \
    INFO("failures: " << (log).count() << "; first failure: " << (log).first());       \
    CHECK((log).count() == 0);                                                        \
  } while (0)

bargain_result run(method m, solution s, const game_params& g) {
  return m == method::numeric ? ftg::bargain_numeric(s, g) : ftg::bargain_closed_form(s, g);
}

double tol_for(method m) { return m == method::numeric ? kTolNumeric : kTolClosed; }

std::string name_of(method m) { return m == method::numeric ? "numeric" : "closed_form"; }

constexpr std::array<method, 2> kMethods{method::numeric, method::closed_form};

game_params quadratic(double c0, double c1) {
  game_params g;
  g.c0 = c0;
  g.c1 = c1;
  g.k0 = 2.0;
  g.k1 = 2.0;
  return g;
}

/// Ratios c1/c0 = 10^(j/20), j = -120..120 (log grid over [1e-6, 1e6], includes 1 exactly), plus
/// points close to 1 on both sides.
std::vector<double> ratio_grid() {
  std::vector<double> xs;
  for (int j = -120; j <= 120; ++j) xs.push_back(std::pow(10.0, static_cast<double>(j) / 20.0));
  for (double e : {1e-3, 1e-6, 1e-9}) {
    xs.push_back(1.0 + e);
    xs.push_back(1.0 - e);
  }
  return xs;
}

/// c0 scales: the solutions depend on c1/c0 only, the utilities scale with 1/c.
constexpr std::array<double, 3> kScales{1e-3, 1.0, 250.0};

}  // namespace

// =============================================================================================
// Theorem 3.1 and Corollary 3.1.

TEST_CASE("paper Theorem 3.1 / Corollary 3.1 eqs. (5)-(6): spe() equals the printed formulas, "
          "k0, k1 in (1, 5]") {
  // Reference: bf::paper_spe, eqs. (5)-(6) exactly as printed, in long double. The kernel uses
  // the first-order identities instead (kernels/spe.hpp), so this is an independent evaluation.
  // Error model: x^p with p = 1/(k-1) amplifies relative errors of the base and of p by p and by
  // p |ln x|; the utility identity UG = delta (alpha1 - alpha0/k0) cancels by up to k0/(k0-1).
  std::mt19937_64 rng(0x31A1);
  failure_log log;
  int n_ok = 0, n_overflow = 0;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    game_params g;
    g.k0 = bf::exponent_in(rng, 5.0);
    g.k1 = bf::exponent_in(rng, 5.0);
    bf::draw_costs(rng, g);
    const double delta = i % 10 == 0 ? 0.0 : i % 10 == 1 ? 1.0 : bf::uniform(rng, 0.0, 1.0);
    const bf::spe_ref ref = bf::paper_spe(g, delta);
    const ftg::spe_result r = ftg::spe(g, delta);

    const long double big = std::max({std::abs(ref.alpha0), std::abs(ref.alpha1),
                                      std::abs(ref.u_g), std::abs(ref.u_d)});
    if (!(big < static_cast<long double>(DBL_MAX) / 16)) {
      // The exact values do not fit in a double: the kernel must say so (not_finite).
      ++n_overflow;
      if (r.status == cell_status::ok)
        log.record([&](auto& os) { os << "overflow not reported: " << g << " delta=" << delta; });
      continue;
    }
    if (r.status != cell_status::ok) {
      log.record([&](auto& os) {
        os << "status " << ftg::to_string(r.status) << " for representable values: " << g
           << " delta=" << delta;
      });
      continue;
    }
    ++n_ok;
    const double p0 = 1.0 / (g.k0 - 1.0), p1 = 1.0 / (g.k1 - 1.0);
    const double l0 = std::abs(std::log(1.0 / (g.k0 * g.c0))), l1 = std::abs(std::log(1.0 / (g.k1 * g.c1)));
    const double ld = delta > 0.0 && delta < 1.0 ? std::abs(std::log(delta)) + std::abs(std::log1p(-delta)) : 0.0;
    const double tol = 64 * kEps * (1.0 + (p0 + p1) * (3.0 + l0 + l1 + ld) + g.k0 / (g.k0 - 1.0));
    constexpr double kTiny = 1e-290;  // below this, subnormal results have no relative accuracy
    const bool good = close(r.alpha0, static_cast<double>(ref.alpha0), tol, kTiny) &&
                      close(r.alpha1, static_cast<double>(ref.alpha1), tol, kTiny) &&
                      close(r.u_g, static_cast<double>(ref.u_g), tol, kTiny) &&
                      close(r.u_d, static_cast<double>(ref.u_d), tol, kTiny) && r.delta == delta;
    if (!good)
      log.record([&](auto& os) {
        os << g << " delta=" << delta << " tol=" << tol << " got (a0,a1,UG,UD)=(" << r.alpha0 << ","
           << r.alpha1 << "," << r.u_g << "," << r.u_d << ") expected ("
           << static_cast<double>(ref.alpha0) << "," << static_cast<double>(ref.alpha1) << ","
           << static_cast<double>(ref.u_g) << "," << static_cast<double>(ref.u_d) << ")";
      });
  }
  MESSAGE("Theorem 3.1: " << n_ok << " draws compared, " << n_overflow
                          << " draws beyond double range (not_finite expected)");
  FTG_CHECK_LOG(log);
  CHECK(n_ok > kDraws * 95 / 100);  // the comparison is not vacuous
}

TEST_CASE("paper Theorem 3.1: exact end points, UG(0) = 0 and UD(1) = 0 (alpha0(0) = 0, "
          "alpha1(1) = alpha0(1))") {
  // Theorem 3.1 at delta = 0 gives alpha0 = 0, and at delta = 1 gives alpha1 = alpha0, so eq. (5)
  // is exactly 0 at delta = 0 and eq. (6) exactly 0 at delta = 1.
  for (const double k : {1.3, 2.0, 3.7}) {
    game_params g = quadratic(0.7, 3.1);
    g.k0 = k;
    g.k1 = 4.0 - k / 2;
    const ftg::spe_result r0 = ftg::spe(g, 0.0), r1 = ftg::spe(g, 1.0);
    CAPTURE(k);
    REQUIRE(r0.status == cell_status::ok);
    REQUIRE(r1.status == cell_status::ok);
    CHECK(r0.alpha0 == 0.0);
    CHECK(r0.u_g == 0.0);
    CHECK(r1.alpha1 == r1.alpha0);
    CHECK(r1.u_d == 0.0);
  }
}

// =============================================================================================
// Propositions 3.2-3.6, quadratic costs, both methods, over a log grid of c1/c0 and three scales.

namespace {

/// Runs `expected(c0, c1)` against solution s for both methods over the ratio grid and scales.
template <class F>
void check_proposition(solution s, F expected, const char* source) {
  for (const method m : kMethods) {
    failure_log log;
    for (const double c0 : kScales) {
      for (const double x : ratio_grid()) {
        const game_params g = quadratic(c0, c0 * x);
        const bargain_result r = run(m, s, g);
        const double want = expected(g.c0, g.c1);
        const double tol = tol_for(m);
        const bool good = r.status == cell_status::ok && close(r.delta, want, tol, kAbsZero) &&
                          r.in_pareto &&
                          rel_close(r.u_g, quad::u_g(g.c0, g.c1, r.delta), 1e-12) &&
                          rel_close(r.u_d, quad::u_d(g.c0, g.c1, r.delta), 1e-12) &&
                          rel_close(r.alpha1, quad::alpha1(g.c0, g.c1, r.delta), 1e-12);
        if (!good)
          log.record([&](auto& os) {
            os << source << " " << name_of(m) << " " << g << " status=" << ftg::to_string(r.status)
               << " delta=" << r.delta << " expected " << want << " in_pareto=" << r.in_pareto
               << " u_g=" << r.u_g << " u_d=" << r.u_d << " alpha1=" << r.alpha1;
          });
      }
    }
    CAPTURE(name_of(m));
    FTG_CHECK_LOG(log);
  }
}

}  // namespace

TEST_CASE("paper Proposition 3.2 (powerful-G): delta = c0/(2c0 - c1) for c1 < c0, 1 for c1 >= c0") {
  // Also: every reported utility equals our quadratic UG, UD (Corollary 3.1 with k = 2) at the
  // reported delta, and the solution is in the Pareto set (Theorem 2.1).
  check_proposition(solution::powerful_g, quad::powerful_g, "Prop. 3.2");
}

TEST_CASE("paper Proposition 3.3 (powerful-D): delta = 0 for c1 < c0, (c1 - c0)/(2c1 - c0) for "
          "c1 >= c0") {
  check_proposition(solution::powerful_d, quad::powerful_d, "Prop. 3.3");
}

TEST_CASE("paper Proposition 3.5 (vertical monopoly): delta = c1/(c0 + c1)") {
  // In the Pareto set for every ratio (our derivation: (c1-c0)/(2c1-c0) <= c1/(c0+c1) <= c0/(2c0-c1)).
  check_proposition(solution::vertical_monopoly, quad::vertical_monopoly, "Prop. 3.5");
}

TEST_CASE("paper Proposition 3.6 (egalitarian), in the cancellation-free form 1/(2 + t) (own "
          "derivation), including c0 = c1") {
  // The printed formula (-sqrt(c0^2 - c0 c1 + c1^2) - c1 + 2 c0) / (3 (c0 - c1)) is 0/0 at
  // c0 = c1 and loses all digits near it, so it needs a special case (limit 1/2). We compare with
  // delta = 1/(2 + t), t = (c0 - c1)/(s + c1) (brute_force.hpp), checked against the printed form
  // away from c0 = c1 in the next test.
  check_proposition(solution::egalitarian, quad::egalitarian_stable, "Prop. 3.6");
}

TEST_CASE("paper Proposition 3.6: the printed egalitarian formula equals the form 1/(2 + t) "
          "away from c0 = c1, and is 0/0 at c0 = c1 (own derivation)") {
  failure_log log;
  for (const double x : ratio_grid()) {
    if (std::abs(x - 1.0) < 1e-2) continue;
    const double printed = quad::egalitarian_printed(1.0, x), stable = quad::egalitarian_stable(1.0, x);
    // The printed form cancels by a factor ~ 1/|1 - x| (at most 100 here).
    if (!rel_close(printed, stable, 1e-12))
      log.record([&](auto& os) { os << "x=" << x << " printed=" << printed << " stable=" << stable; });
  }
  FTG_CHECK_LOG(log);
  // The printed formula is undefined at c0 = c1: the kernel must special-case it.
  CHECK(std::isnan(quad::egalitarian_printed(2.0, 2.0)));
  CHECK(quad::egalitarian_stable(2.0, 2.0) == 0.5);
}

TEST_CASE("paper Proposition 3.6 near c0 = c1: the egalitarian kernels return the limit 1/2 region "
          "without NaN (the printed formula needs a special case)") {
  // Points c1 = c0 (1 + e), e down to one ulp, where the printed formula is 0/0 or cancels. The
  // form 1/(2 + t) is well conditioned there: delta = 1/2 + e/8 + O(e^2).
  for (const method m : kMethods) {
    failure_log log;
    for (const double c0 : kScales) {
      std::vector<double> c1s{c0, std::nextafter(c0, 0.0), std::nextafter(c0, 1e300)};
      for (const double e : {1e-15, 1e-12, 1e-8, 1e-4}) {
        c1s.push_back(c0 * (1.0 + e));
        c1s.push_back(c0 * (1.0 - e));
      }
      for (const double c1 : c1s) {
        const game_params g = quadratic(c0, c1);
        const bargain_result r = run(m, solution::egalitarian, g);
        const double want = quad::egalitarian_stable(c0, c1);
        if (!(r.status == cell_status::ok && !std::isnan(r.delta) && rel_close(r.delta, want, tol_for(m))))
          log.record([&](auto& os) {
            os << name_of(m) << " " << g << " status=" << ftg::to_string(r.status)
               << " delta=" << r.delta << " expected " << want;
          });
      }
    }
    CAPTURE(name_of(m));
    FTG_CHECK_LOG(log);
  }
}

TEST_CASE("paper Proposition 3.4 (max performance): delta = 0 for c1 < c0, 1 for c1 > c0, "
          "degenerate with delta = 1 at c1 = c0") {
  // Appendix 8.6: d alpha1 / d delta = 1/(2c0) - 1/(2c1), so alpha1 is constant at c1 = c0 (every
  // delta maximises it; the kernel reports 1 and sets `degenerate`, kernels/bargaining.hpp).
  for (const method m : kMethods) {
    failure_log log;
    for (const double c0 : kScales) {
      for (const double x : ratio_grid()) {
        const game_params g = quadratic(c0, c0 * x);
        const bargain_result r = run(m, solution::max_performance, g);
        const bool equal = g.c1 == g.c0;
        const double want = g.c1 < g.c0 ? 0.0 : 1.0;
        const bool good = r.status == cell_status::ok && r.delta == want && r.degenerate == equal &&
                          r.in_pareto &&
                          rel_close(r.alpha1, quad::alpha1(g.c0, g.c1, want), 1e-12);
        if (!good)
          log.record([&](auto& os) {
            os << name_of(m) << " " << g << " status=" << ftg::to_string(r.status) << " delta=" << r.delta
               << " expected " << want << " degenerate=" << r.degenerate << " expected " << equal;
          });
      }
    }
    CAPTURE(name_of(m));
    FTG_CHECK_LOG(log);
  }
}

// =============================================================================================
// Figure 5 caption and Section 3.4: limits of the Nash and vertical-monopoly solutions.

TEST_CASE("paper Figure 5 caption: Nash tends to 0.75 as c1/c0 grows, monotonically; by symmetry "
          "to 0.25 as c1/c0 -> 0 (own derivation)") {
  // Own derivation: for c1 >> c0, UG ~ delta^2/(4c0) and UD ~ delta(1-delta)/(2c0), so
  // UG*UD ~ delta^3 (1-delta), maximised at 3/4. Swapping the players (delta <-> 1-delta,
  // c0 <-> c1) maps UG to UD (Corollary 3.1), so Nash(c1/c0) + Nash(c0/c1) = 1 and the limit as
  // c1/c0 -> 0 is 1/4. The bisection solver quad::nash (first-order condition of the cubic) is an
  // independent reference on every ratio.
  const std::vector<double> up{1.0, 10.0, 1e2, 1e3, 1e4, 1e5, 1e6};
  for (const method m : kMethods) {
    CAPTURE(name_of(m));
    std::vector<double> hi, lo;
    for (const double x : up) {
      const bargain_result rh = run(m, solution::nash, quadratic(1.0, x));
      const bargain_result rl = run(m, solution::nash, quadratic(1.0, 1.0 / x));
      CAPTURE(x);
      REQUIRE(rh.status == cell_status::ok);
      REQUIRE(rl.status == cell_status::ok);
      hi.push_back(rh.delta);
      lo.push_back(rl.delta);
      CHECK(close(rh.delta, quad::nash(1.0, x), tol_for(m), kAbsZero));
      CHECK(close(rl.delta, quad::nash(1.0, 1.0 / x), tol_for(m), kAbsZero));
      CHECK(close(rh.delta + rl.delta, 1.0, tol_for(m), 0.0));  // mirror symmetry
    }
    CHECK(rel_close(hi.front(), 0.5, tol_for(m)));  // c0 = c1: symmetric game, Nash = 1/2
    for (std::size_t i = 1; i < up.size(); ++i) {
      CAPTURE(up[i]);
      CHECK(hi[i] > hi[i - 1]);  // increases towards the limit
      CHECK(hi[i] < 0.75);
      CHECK(lo[i] < lo[i - 1]);  // decreases towards the limit
      CHECK(lo[i] > 0.25);
    }
    CHECK(std::abs(hi.back() - 0.75) <= kTolLimit);
    CHECK(std::abs(lo.back() - 0.25) <= kTolLimit);
  }
}

TEST_CASE("paper Figure 5 caption: the vertical monopoly solution tends to 1 as c1/c0 grows "
          "(and to 0 as c1/c0 -> 0), monotonically") {
  // Prop. 3.5: c1/(c0 + c1) = x/(1 + x) increases strictly in x = c1/c0, with limits 0 and 1.
  const std::vector<double> xs{1e-6, 1e-4, 1e-2, 1.0, 1e2, 1e4, 1e6};
  for (const method m : kMethods) {
    CAPTURE(name_of(m));
    double prev = -1.0;
    for (const double x : xs) {
      const bargain_result r = run(m, solution::vertical_monopoly, quadratic(1.0, x));
      CAPTURE(x);
      REQUIRE(r.status == cell_status::ok);
      CHECK(r.delta > prev);
      prev = r.delta;
    }
    CHECK(std::abs(prev - 1.0) <= kTolLimit);
    CHECK(std::abs(run(m, solution::vertical_monopoly, quadratic(1.0, 1e-6)).delta) <= kTolLimit);
  }
}

// =============================================================================================
// Figure 3 caption.

TEST_CASE("paper Figure 3 caption: G prefers to share revenue (powerful-G delta < 1) iff "
          "c1/c0 < 1; D prefers to share (powerful-D delta > 0) iff c1/c0 > 1") {
  // The ratio grid keeps |log10(c1/c0)| >= 0.05 or c1 = c0 exactly, so "shares" is decided with a
  // margin: delta_G <= 1/(2 - 10^-0.05) = 0.902 when it is below 1, and delta_D >= 0.097 when above 0.
  for (const method m : kMethods) {
    failure_log log;
    for (const double c0 : kScales) {
      for (int j = -120; j <= 120; ++j) {
        const double x = std::pow(10.0, static_cast<double>(j) / 20.0);
        const game_params g = quadratic(c0, j == 0 ? c0 : c0 * x);
        const bargain_result pg = run(m, solution::powerful_g, g);
        const bargain_result pd = run(m, solution::powerful_d, g);
        const bool g_shares = pg.delta < 1.0 - 1e-9, d_shares = pd.delta > 1e-9;
        const bool good = pg.status == cell_status::ok && pd.status == cell_status::ok &&
                          g_shares == (g.c1 < g.c0) && d_shares == (g.c1 > g.c0);
        if (!good)
          log.record([&](auto& os) {
            os << name_of(m) << " " << g << " powerful_g=" << pg.delta << " powerful_d=" << pd.delta;
          });
      }
    }
    CAPTURE(name_of(m));
    FTG_CHECK_LOG(log);
  }
}

// =============================================================================================
// Section 3.4: vertical monopoly against Kalai-Smorodinsky.

namespace {

/// alpha1(KS) - alpha1(VM) for quadratic costs from our own solvers (brute_force.hpp).
double ks_minus_vm_reference(double x) {
  return quad::alpha1(1.0, x, quad::kalai_smorodinsky(1.0, x)) -
         quad::alpha1(1.0, x, quad::vertical_monopoly(1.0, x));
}

/// alpha1(KS) - alpha1(VM) from a kernel.
double ks_minus_vm_kernel(method m, double x) {
  const game_params g = quadratic(1.0, x);
  const bargain_result ks = run(m, solution::kalai_smorodinsky, g);
  const bargain_result vm = run(m, solution::vertical_monopoly, g);
  if (ks.status != cell_status::ok || vm.status != cell_status::ok)
    return std::numeric_limits<double>::quiet_NaN();
  return ks.alpha1 - vm.alpha1;
}

/// Sign change of f on [lo, hi] by bisection in log(x).
template <class F>
double log_bisect(F f, double lo, double hi) {
  const bool flo = f(lo) > 0;
  for (int i = 0; i < 80; ++i) {
    const double mid = std::sqrt(lo * hi);
    if ((f(mid) > 0) == flo)
      lo = mid;
    else
      hi = mid;
  }
  return std::sqrt(lo * hi);
}

}  // namespace

TEST_CASE("paper Section 3.4: vertical monopoly underperforms Kalai-Smorodinsky (alpha1) exactly "
          "for 0.36110 < c1/c0 < 2.76929, c1 != c0 (paper: '~0.5 < c1/c0 < 2.5')") {
  // DISCREPANCY, to be recorded in docs/model.md: the paper's approximate range ~0.5 < c1/c0 < 2.5
  // is too narrow. With our independent KS solver (bisection of UG/UG(PG) - UD/UD(PD) on the
  // Pareto interval, brute_force.hpp) alpha1(KS) > alpha1(VM) holds exactly on
  //   0.361103080528648 < c1/c0 < 2.769292354238629, except c1 = c0 (both give delta = 1/2 and
  // alpha1 does not depend on delta there). The bounds are reciprocal (own derivation: swapping the
  // players maps delta to 1 - delta and c1/c0 to c0/c1, and preserves alpha1, KS and VM).
  // E.g. at c1/c0 = 0.4 and 2.6 KS still outperforms VM, outside the paper's stated range.
  const double lo_ref = log_bisect(ks_minus_vm_reference, 0.2, 0.5);
  const double hi_ref = log_bisect(ks_minus_vm_reference, 2.0, 3.5);
  MESSAGE("VM underperforms KS for " << lo_ref << " < c1/c0 < " << hi_ref << " (c1 != c0)");
  CHECK(rel_close(lo_ref * hi_ref, 1.0, 1e-12));
  CHECK(rel_close(lo_ref, 0.361103080528648, 1e-9));
  CHECK(rel_close(hi_ref, 2.769292354238629, 1e-9));
  // The paper's range lies strictly inside the true one.
  CHECK(lo_ref < 0.5);
  CHECK(hi_ref > 2.5);

  for (const method m : kMethods) {
    CAPTURE(name_of(m));
    // (a) On a log grid of 3001 ratios in [10^-1.5, 10^1.5], the kernel's "KS outperforms VM"
    //     set is exactly (lo_ref, hi_ref) minus {1}.
    failure_log log;
    double lo_seen = INFINITY, hi_seen = 0.0;
    for (int j = -1500; j <= 1500; ++j) {
      const double x = j == 0 ? 1.0 : std::pow(10.0, static_cast<double>(j) / 1000.0);
      const double gap = ks_minus_vm_kernel(m, x);
      const double a1_vm = quad::alpha1(1.0, x, quad::vertical_monopoly(1.0, x));
      const bool ks_better = gap > 1e-12 * a1_vm;
      if (ks_better) {
        lo_seen = std::min(lo_seen, x);
        hi_seen = std::max(hi_seen, x);
      }
      const bool near_bound = std::abs(std::log(x / lo_ref)) < 1e-6 || std::abs(std::log(x / hi_ref)) < 1e-6;
      const bool expected = x > lo_ref && x < hi_ref && x != 1.0;
      if (std::isnan(gap) || (!near_bound && ks_better != expected))
        log.record([&](auto& os) { os << "c1/c0=" << x << " alpha1(KS)-alpha1(VM)=" << gap; });
    }
    FTG_CHECK_LOG(log);
    MESSAGE(name_of(m) << ": on the grid, KS gives higher alpha1 for c1/c0 in [" << lo_seen << ", "
                       << hi_seen << "]");
    // (b) The kernel's own switch points, by bisection on its outputs.
    const auto gap_fn = [m](double x) { return ks_minus_vm_kernel(m, x); };
    CHECK(rel_close(log_bisect(gap_fn, 0.2, 0.5), lo_ref, 1e-6));
    CHECK(rel_close(log_bisect(gap_fn, 2.0, 3.5), hi_ref, 1e-6));
  }
}

TEST_CASE("paper Section 3.4: Nash, KS and egalitarian all suggest profit sharing at c1/c0 = 1e-6 "
          "and 1e6; the limits are 1/4, 1/5, 1/3 and 3/4, 4/5, 2/3 (own derivation)") {
  // Own derivation of the limits, c1 >> c0: UG ~ delta^2/(4c0), UD ~ delta(1-delta)/(2c0).
  //   Nash: max delta^3 (1-delta) -> 3/4.  Egalitarian: UG = UD -> delta = 2(1-delta) -> 2/3.
  //   KS: UG* = UG(1) = 1/(4c0), UD* = UD(1/2) = 1/(8c0); delta^2 = 4 delta (1-delta) -> 4/5.
  // c1 << c0 follows by the player swap (delta -> 1 - delta). Vertical monopoly, by contrast, gives
  // (almost) everything to the cheaper player (Prop. 3.5): within 1e-5 of 0 or 1.
  struct row {
    solution s;
    double limit_high;  // c1/c0 -> infinity
  };
  const std::array<row, 3> rows{{{solution::nash, 0.75},
                                 {solution::kalai_smorodinsky, 0.8},
                                 {solution::egalitarian, 2.0 / 3.0}}};
  for (const method m : kMethods) {
    for (const row& rw : rows) {
      for (const double x : {1e-6, 1e6}) {
        CAPTURE(name_of(m));
        CAPTURE(ftg::to_string(rw.s));
        CAPTURE(x);
        const bargain_result r = run(m, rw.s, quadratic(1.0, x));
        REQUIRE(r.status == cell_status::ok);
        CHECK(r.delta > 0.0);
        CHECK(r.delta < 1.0);
        const double limit = x > 1.0 ? rw.limit_high : 1.0 - rw.limit_high;
        CHECK(std::abs(r.delta - limit) <= kTolLimit);
      }
    }
    const bargain_result vm_hi = run(m, solution::vertical_monopoly, quadratic(1.0, 1e6));
    const bargain_result vm_lo = run(m, solution::vertical_monopoly, quadratic(1.0, 1e-6));
    CHECK(1.0 - vm_hi.delta <= kTolLimit);
    CHECK(vm_lo.delta <= kTolLimit);
  }
  // The independent references agree with the limits too.
  CHECK(std::abs(quad::kalai_smorodinsky(1.0, 1e6) - 0.8) <= kTolLimit);
  CHECK(std::abs(quad::egalitarian_stable(1.0, 1e6) - 2.0 / 3.0) <= kTolLimit);
  CHECK(std::abs(quad::nash(1.0, 1e-6) - 0.25) <= kTolLimit);
}

TEST_CASE("own bisection solvers: Nash and Kalai-Smorodinsky kernels agree with independent "
          "references over c1/c0 in [1e-6, 1e6] (Definitions 3.4-3.5, quadratic costs)") {
  // The paper leaves Nash and KS without closed forms (Section 3.3); our references bisect the
  // first-order condition of UG*UD and the KS ratio condition on the Pareto interval.
  for (const method m : kMethods) {
    failure_log log;
    for (const double c0 : kScales) {
      for (const double x : ratio_grid()) {
        const game_params g = quadratic(c0, c0 * x);
        const bargain_result nash = run(m, solution::nash, g);
        const bargain_result ks = run(m, solution::kalai_smorodinsky, g);
        const double want_nash = quad::nash(g.c0, g.c1), want_ks = quad::kalai_smorodinsky(g.c0, g.c1);
        const bool good = nash.status == cell_status::ok && ks.status == cell_status::ok &&
                          close(nash.delta, want_nash, tol_for(m), kAbsZero) &&
                          close(ks.delta, want_ks, tol_for(m), kAbsZero) && nash.in_pareto && ks.in_pareto;
        if (!good)
          log.record([&](auto& os) {
            os << name_of(m) << " " << g << " nash=" << nash.delta << " (" << ftg::to_string(nash.status)
               << ") expected " << want_nash << "; ks=" << ks.delta << " (" << ftg::to_string(ks.status)
               << ") expected " << want_ks;
          });
      }
    }
    CAPTURE(name_of(m));
    FTG_CHECK_LOG(log);
  }
}

// =============================================================================================
// Theorem 2.1 and Proposition 3.1.

TEST_CASE("paper Theorem 2.1 / Proposition 3.1: for k0, k1 >= 2 the Pareto set is one interval "
          "[min(PD, PG), max(PD, PG)] and both utilities are unimodal") {
  // Prop. 3.1: UG and UD are strictly unimodal for k0, k1 >= 2; Theorem 2.1 then gives the
  // interval between the powerful-D and powerful-G solutions (d0 = d1 = 0: every delta is
  // individually rational, UG, UD >= 0). A 1001-point grid confirms unimodality independently.
  std::mt19937_64 rng(0x2101);
  failure_log log;
  constexpr int kDraws = 1500;
  for (int i = 0; i < kDraws; ++i) {
    game_params g;
    g.k0 = i % 7 == 0 ? 2.0 : 2.0 + bf::uniform(rng, 0.0, 3.0);
    g.k1 = i % 5 == 0 ? 2.0 : 2.0 + bf::uniform(rng, 0.0, 3.0);
    bf::draw_costs(rng, g);
    const ftg::pareto_set set = ftg::pareto_numeric(g);
    const bargain_result pg = ftg::bargain_numeric(solution::powerful_g, g);
    const bargain_result pd = ftg::bargain_numeric(solution::powerful_d, g);
    const double lo = std::min(pg.delta, pd.delta), hi = std::max(pg.delta, pd.delta);
    bool good = set.status == cell_status::ok && pg.status == cell_status::ok &&
                pd.status == cell_status::ok && set.count == 1 && set.unimodal &&
                close(set.intervals[0].lo, lo, 1e-9, 1e-12) && close(set.intervals[0].hi, hi, 1e-9, 1e-12);
    if (good && i % 10 == 0) {
      const bf::grid gr = bf::evaluate_grid(g, 1000);
      good = gr.all_ok && !bf::clearly_not_unimodal(gr.u_g, 1e-12) && !bf::clearly_not_unimodal(gr.u_d, 1e-12);
    }
    if (!good)
      log.record([&](auto& os) {
        os << g << " status=" << ftg::to_string(set.status) << " count=" << set.count
           << " unimodal=" << set.unimodal << " [" << set.intervals[0].lo << ", " << set.intervals[0].hi
           << "] expected [" << lo << ", " << hi << "] (powerful_d " << ftg::to_string(pd.status)
           << ", powerful_g " << ftg::to_string(pg.status) << ")";
      });
  }
  FTG_CHECK_LOG(log);
}

TEST_CASE("paper Theorem 2.1 with Propositions 3.2-3.3: pareto_closed_form() is [PD, PG] for "
          "quadratic costs") {
  failure_log log;
  for (const double c0 : kScales) {
    for (const double x : ratio_grid()) {
      const game_params g = quadratic(c0, c0 * x);
      const ftg::pareto_set cf = ftg::pareto_closed_form(g);
      const ftg::pareto_set nu = ftg::pareto_numeric(g);
      const double lo = quad::powerful_d(g.c0, g.c1), hi = quad::powerful_g(g.c0, g.c1);
      const bool good = cf.status == cell_status::ok && nu.status == cell_status::ok && cf.count == 1 &&
                        nu.count == 1 && cf.unimodal && nu.unimodal &&
                        close(cf.intervals[0].lo, lo, kTolClosed, kAbsZero) &&
                        close(cf.intervals[0].hi, hi, kTolClosed, kAbsZero) &&
                        close(nu.intervals[0].lo, lo, kTolNumeric, kAbsZero) &&
                        close(nu.intervals[0].hi, hi, kTolNumeric, kAbsZero);
      if (!good)
        log.record([&](auto& os) {
          os << g << " closed [" << cf.intervals[0].lo << ", " << cf.intervals[0].hi << "] ("
             << ftg::to_string(cf.status) << ", count " << cf.count << ", unimodal " << cf.unimodal
             << ") numeric [" << nu.intervals[0].lo << ", " << nu.intervals[0].hi << "] ("
             << ftg::to_string(nu.status) << ", count " << nu.count << ", unimodal " << nu.unimodal
             << ") expected [" << lo << ", " << hi << "]";
        });
    }
  }
  FTG_CHECK_LOG(log);
}
