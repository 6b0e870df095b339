// tests/kernels/brute_force.hpp: independent reference computations for the two-player kernel tests.
//
// Nothing here calls a bargaining or Pareto kernel: the references are written from the paper
// (arXiv:2308.04399v3, Theorem 3.1, Corollary 3.1 eqs. (5)-(6)) and from our own derivations for
// quadratic costs, and use only plain bisection, golden-section search, dense grids and a
// sort-and-sweep for Pareto domination. The grid helpers evaluate utilities through ftg::spe(),
// which test_paper_results.cpp checks against eqs. (5)-(6) first.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/params.hpp"
#include "kernels/spe.hpp"

namespace ftg::test::bf {

// ---------------------------------------------------------------------------------------------
// Failure bookkeeping for loops over many draws: only a failed check reaches doctest, and the
// inputs of the first failure are kept for the report (oneTBB's CHECK_FAST, QuantLib's
// REPORT_FAILURE).

class failure_log {
 public:
  /// Records one failure; `describe` is only called for the first one.
  /// With the environment variable FTG_TEST_ALL_FAILURES set, every failure is also printed to
  /// stderr (for diagnosing a kernel, not needed to run the suite).
  template <class F>
  void record(F describe) {
    static const bool all = std::getenv("FTG_TEST_ALL_FAILURES") != nullptr;
    if (count_++ == 0 || all) {
      std::ostringstream os;
      os.precision(17);
      describe(os);
      if (count_ == 1) first_ = os.str();
      if (all) std::fprintf(stderr, "[failure %d] %s\n", count_, os.str().c_str());
    }
  }
  int count() const { return count_; }
  const std::string& first() const { return first_; }

 private:
  int count_ = 0;
  std::string first_;
};

/// Streams every field of a game (for failure messages).
inline std::ostream& operator<<(std::ostream& os, const game_params& g) {
  return os << "{c0=" << g.c0 << ", c1=" << g.c1 << ", k0=" << g.k0 << ", k1=" << g.k1
            << ", d0=" << g.d0 << ", d1=" << g.d1 << "}";
}

// ---------------------------------------------------------------------------------------------
// Seeded draws.

inline double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

inline double log_uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::exp(uniform(rng, std::log(lo), std::log(hi)));
}

/// A cost exponent k in (1, kmax]: uniform_real_distribution draws u in [0, 1), so kmax - u (kmax - 1)
/// lies in (1, kmax]; a draw that rounds to exactly 1 is redrawn.
inline double exponent_in(std::mt19937_64& rng, double kmax) {
  for (;;) {
    const double k = kmax - uniform(rng, 0.0, 1.0) * (kmax - 1.0);
    if (k > 1.0) return k;
  }
}

/// c0 log-uniform in [1e-2, 1e2] and the ratio c1/c0 log-uniform in [1e-6, 1e6].
inline void draw_costs(std::mt19937_64& rng, game_params& g) {
  g.c0 = log_uniform(rng, 1e-2, 1e2);
  g.c1 = g.c0 * log_uniform(rng, 1e-6, 1e6);
}

// ---------------------------------------------------------------------------------------------
// Paper formulas, evaluated in long double (wider exponent range and 64-bit mantissa) so that they
// are a reference for the double kernels.

struct spe_ref {
  long double alpha0, alpha1, u_g, u_d;
};

/// Theorem 3.1 and Corollary 3.1 (eqs. 5-6), the printed formulas term by term:
///   alpha0 = (delta/(k0 c0))^(1/(k0-1)),  alpha1 = alpha0 + ((1-delta)/(k1 c1))^(1/(k1-1)),
///   UG = (1/(k0 c0))^(1/(k0-1)) (1 - 1/k0) delta^(k0/(k0-1)) + (1/(k1 c1))^(1/(k1-1)) delta (1-delta)^(1/(k1-1)),
///   UD = (1/(k1 c1))^(1/(k1-1)) (1 - 1/k1) (1-delta)^(k1/(k1-1)) + (1/(k0 c0))^(1/(k0-1)) (1-delta) delta^(1/(k0-1)).
inline spe_ref paper_spe(const game_params& g, double delta_in) {
  // Products of powers are formed as exp(sum of logs) so that a huge factor times a tiny one
  // (k close to 1) neither overflows nor gives inf * 0; log(0) = -inf makes a term exactly 0.
  const long double d = delta_in, r = 1.0L - d;
  const long double k0 = g.k0, k1 = g.k1, c0 = g.c0, c1 = g.c1;
  const long double p0 = 1.0L / (k0 - 1.0L), p1 = 1.0L / (k1 - 1.0L);
  const long double lA0 = p0 * std::log(1.0L / (k0 * c0)), lA1 = p1 * std::log(1.0L / (k1 * c1));
  const long double ld = std::log(d), lr = std::log(r);
  spe_ref out{};
  out.alpha0 = d > 0 ? std::exp(lA0 + p0 * ld) : 0.0L;
  out.alpha1 = out.alpha0 + (r > 0 ? std::exp(lA1 + p1 * lr) : 0.0L);
  out.u_g = (d > 0 ? (1.0L - 1.0L / k0) * std::exp(lA0 + k0 / (k0 - 1.0L) * ld) : 0.0L) +
            (d > 0 && r > 0 ? d * std::exp(lA1 + p1 * lr) : 0.0L);
  out.u_d = (r > 0 ? (1.0L - 1.0L / k1) * std::exp(lA1 + k1 / (k1 - 1.0L) * lr) : 0.0L) +
            (d > 0 && r > 0 ? r * std::exp(lA0 + p0 * ld) : 0.0L);
  return out;
}

/// D's best-response gap b* = alpha1 - alpha0 (our derivation from D's first-order condition
/// (1 - delta) = k1 c1 (alpha1 - alpha0)^(k1-1), Appendix 8.1): it does not depend on alpha0.
inline double best_response_gap(const game_params& g, double delta) {
  return std::pow((1.0 - delta) / (g.k1 * g.c1), 1.0 / (g.k1 - 1.0));
}

// ---------------------------------------------------------------------------------------------
// Quadratic costs (k0 = k1 = 2), our own derivation from Corollary 3.1:
//   UG = delta^2/(4 c0) + delta (1-delta)/(2 c1),   UD = (1-delta)^2/(4 c1) + delta (1-delta)/(2 c0),
//   alpha1 = delta/(2 c0) + (1-delta)/(2 c1).

namespace quad {

inline double u_g(double c0, double c1, double d) { return d * d / (4 * c0) + d * (1 - d) / (2 * c1); }
inline double u_d(double c0, double c1, double d) {
  return (1 - d) * (1 - d) / (4 * c1) + d * (1 - d) / (2 * c0);
}
inline double du_g(double c0, double c1, double d) { return d / (2 * c0) + (1 - 2 * d) / (2 * c1); }
inline double du_d(double c0, double c1, double d) {
  return -(1 - d) / (2 * c1) + (1 - 2 * d) / (2 * c0);
}
inline double alpha1(double c0, double c1, double d) { return d / (2 * c0) + (1 - d) / (2 * c1); }

/// Proposition 3.2 (powerful-G), as printed.
inline double powerful_g(double c0, double c1) { return c1 < c0 ? c0 / (2 * c0 - c1) : 1.0; }
/// Proposition 3.3 (powerful-D), as printed.
inline double powerful_d(double c0, double c1) { return c1 < c0 ? 0.0 : (c1 - c0) / (2 * c1 - c0); }
/// Proposition 3.5 (vertical monopoly), as printed.
inline double vertical_monopoly(double c0, double c1) { return c1 / (c0 + c1); }

/// Proposition 3.6 (egalitarian) exactly as printed: (-sqrt(c0^2 - c0 c1 + c1^2) - c1 + 2 c0) / (3 (c0 - c1)).
/// It is 0/0 = NaN at c0 = c1 and cancels catastrophically near it.
inline double egalitarian_printed(double c0, double c1) {
  return (-std::sqrt(c0 * c0 - c0 * c1 + c1 * c1) - c1 + 2 * c0) / (3 * (c0 - c1));
}

/// Proposition 3.6 rewritten without cancellation (our derivation). With
/// s = sqrt(c0^2 - c0 c1 + c1^2) = sqrt((c0 - c1)^2 + c0 c1), rationalising the printed form gives
/// delta = c0 / (2 c0 - c1 + s) (numerator (2c0 - c1)^2 - s^2 = 3 c0 (c0 - c1)); that still cancels
/// in s - c1 when c1 >> c0, and s - c1 = (s^2 - c1^2)/(s + c1) = c0 (c0 - c1)/(s + c1), so
///   delta_egal = 1 / (2 + t),   t = (c0 - c1)/(s + c1) in (-1/2, 1],
/// a sum of 2 and a number of magnitude <= 1: no cancellation anywhere, limit 1/2 at c0 = c1,
/// 1/3 as c1/c0 -> 0 and 2/3 as c1/c0 -> infinity.
inline double egalitarian_stable(double c0, double c1) {
  const double s = std::sqrt((c0 - c1) * (c0 - c1) + c0 * c1);
  return 1.0 / (2.0 + (c0 - c1) / (s + c1));
}

/// Root of a function with f(lo) <= 0 <= f(hi) (or the reverse) by plain bisection to full precision.
template <class F>
double bisect(F f, double lo, double hi) {
  double flo = f(lo);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const double fm = f(mid);
    if ((fm <= 0) == (flo <= 0)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

/// Kalai-Smorodinsky for quadratic costs, d0 = d1 = 0 (our derivation): on the Pareto interval
/// [PD, PG] (Props. 3.2-3.3, Theorem 2.1) UG increases and UD decreases, so
/// f = UG/UG(PG) - UD/UD(PD) is increasing with f(PD) <= 0 <= f(PG); bisect it.
inline double kalai_smorodinsky(double c0, double c1) {
  const double pg = powerful_g(c0, c1), pd = powerful_d(c0, c1);
  const double gs = u_g(c0, c1, pg), ds = u_d(c0, c1, pd);
  return bisect([&](double d) { return u_g(c0, c1, d) / gs - u_d(c0, c1, d) / ds; }, pd, pg);
}

/// Nash for quadratic costs, d0 = d1 = 0 (our derivation): the first-order condition of UG*UD,
/// UG' UD + UG UD' = 0 (a cubic), is > 0 at PD (UD' = 0 or PD = 0 where UG = 0 and UG' UD > 0) and
/// < 0 at PG; bisect it on [PD, PG].
inline double nash(double c0, double c1) {
  const double pg = powerful_g(c0, c1), pd = powerful_d(c0, c1);
  return bisect(
      [&](double d) {
        return -(du_g(c0, c1, d) * u_d(c0, c1, d) + u_g(c0, c1, d) * du_d(c0, c1, d));
      },
      pd, pg);
}

}  // namespace quad

// ---------------------------------------------------------------------------------------------
// Dense grids through spe() and brute-force Pareto domination.

struct grid {
  std::vector<double> delta, u_g, u_d, alpha1;
  bool all_ok = true;  ///< every spe() call returned ok
};

/// spe() on delta = i/n, i = 0..n, plus the extra points (kept sorted, duplicates removed).
inline grid evaluate_grid(const game_params& g, int n, const std::vector<double>& extra = {}) {
  grid out;
  out.delta.reserve(static_cast<std::size_t>(n) + 1 + extra.size());
  for (int i = 0; i <= n; ++i) out.delta.push_back(static_cast<double>(i) / static_cast<double>(n));
  for (double e : extra)
    if (e >= 0.0 && e <= 1.0) out.delta.push_back(e);
  std::sort(out.delta.begin(), out.delta.end());
  out.delta.erase(std::unique(out.delta.begin(), out.delta.end()), out.delta.end());
  const std::size_t m = out.delta.size();
  out.u_g.resize(m);
  out.u_d.resize(m);
  out.alpha1.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    const spe_result r = spe(g, out.delta[i]);
    if (r.status != cell_status::ok) out.all_ok = false;
    out.u_g[i] = r.u_g;
    out.u_d[i] = r.u_d;
    out.alpha1[i] = r.alpha1;
  }
  return out;
}

/// Sort-and-sweep Pareto filter. Point i is kept when it is individually rational
/// (u_g >= d0, u_d >= d1) and no other individually rational point q has u_g(q) >= u_g(i),
/// u_d(q) >= u_d(i) with one inequality strict (Definitions 2.1-2.2). Points are sorted by u_g
/// descending (then u_d descending); a point is dominated when a point of strictly larger u_g has
/// u_d >= its u_d, or a point of equal u_g has strictly larger u_d. Exact duplicates do not
/// dominate each other.
inline std::vector<char> non_dominated(const std::vector<double>& ug, const std::vector<double>& ud,
                                       double d0, double d1) {
  const std::size_t m = ug.size();
  std::vector<char> keep(m, 0);
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < m; ++i)
    if (ug[i] >= d0 && ud[i] >= d1) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    if (ug[a] != ug[b]) return ug[a] > ug[b];
    return ud[a] > ud[b];
  });
  double best_prev = -std::numeric_limits<double>::infinity();  // max u_d over strictly larger u_g
  std::size_t i = 0;
  while (i < idx.size()) {
    std::size_t j = i;
    const double group_ug = ug[idx[i]];
    const double top_ud = ud[idx[i]];
    while (j < idx.size() && ug[idx[j]] == group_ug) {
      const double v = ud[idx[j]];
      keep[idx[j]] = (best_prev >= v || v < top_ud) ? 0 : 1;
      ++j;
    }
    best_prev = std::max(best_prev, top_ud);
    i = j;
  }
  return keep;
}

/// Runs of consecutive kept grid points, as [delta_first, delta_last] pairs.
inline std::vector<std::pair<double, double>> runs(const std::vector<double>& delta,
                                                   const std::vector<char>& keep) {
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < delta.size(); ++i) {
    if (!keep[i]) continue;
    if (i > 0 && keep[i - 1])
      out.back().second = delta[i];
    else
      out.emplace_back(delta[i], delta[i]);
  }
  return out;
}

/// True when the sampled values clearly leave a dip: some v[j] lies below both the largest value
/// before it and the largest value after it by more than rel * scale. A strictly unimodal function
/// (Definition 2.3, monotone functions included) never does.
inline bool clearly_not_unimodal(const std::vector<double>& v, double rel) {
  const std::size_t m = v.size();
  if (m < 3) return false;
  double scale = 0.0;
  for (double x : v) scale = std::max(scale, std::abs(x));
  std::vector<double> suffix(m);
  suffix[m - 1] = v[m - 1];
  for (std::size_t i = m - 1; i-- > 0;) suffix[i] = std::max(suffix[i + 1], v[i]);
  double prefix = v[0];
  for (std::size_t j = 1; j + 1 < m; ++j) {
    if (v[j] < std::min(prefix, suffix[j + 1]) - rel * scale) return true;
    prefix = std::max(prefix, v[j]);
  }
  return false;
}

}  // namespace ftg::test::bf
