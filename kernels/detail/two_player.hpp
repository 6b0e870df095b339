// kernels/detail/two_player.hpp: fast evaluation of the two-player game along delta (not public).
//
// With p0 = 1/(k0-1), p1 = 1/(k1-1), a0 = 1/(k0 c0), a1 = 1/(k1 c1) (Theorem 3.1):
//   alpha0 = (a0 delta)^p0,  b = alpha1 - alpha0 = (a1 (1-delta))^p1,
//   UG = delta (alpha1 - alpha0/k0),  UD = (1-delta)(alpha1 - b/k1)   (first-order identities),
// and, by the envelope theorem (each player's own first-order condition holds at the optimum):
//   UG' = alpha1 + delta b',  UD' = -alpha1 + (1-delta) alpha0',
//   alpha0' = p0 alpha0 / delta,  b' = -p1 b / (1-delta),  alpha1' = alpha0' + b'.
// Two std::pow calls per point. Derivatives are exact limits at delta = 0 and 1 (possibly +-inf).
#pragma once

#include <cmath>

#include "kernels/params.hpp"

namespace ftg::detail {

struct game_constants {
  double c0, c1, k0, k1, d0, d1;
  double p0, p1;  // 1/(k-1)
  double a0, a1;  // 1/(k c)
};

inline game_constants make_constants(const game_params& g) noexcept {
  return {g.c0, g.c1, g.k0, g.k1, g.d0, g.d1,
          1.0 / (g.k0 - 1.0), 1.0 / (g.k1 - 1.0),
          1.0 / (g.k0 * g.c0), 1.0 / (g.k1 * g.c1)};
}

struct point {
  double delta;
  double alpha0, b, alpha1;
  double u_g, u_d;
  double du_g, du_d;             // dUG/ddelta, dUD/ddelta
  double dalpha0, db, dalpha1;   // d/ddelta of the strategies
};

// d/dx of (a x)^p at x = 0: 0 for p > 1, a for p = 1, +inf for p < 1.
inline double power_slope_at_zero(double a, double p) noexcept {
  if (p > 1.0) return 0.0;
  if (p == 1.0) return a;
  return INFINITY;
}

inline point evaluate(const game_constants& k, double delta) noexcept {
  point q{};
  q.delta = delta;
  const double rest = 1.0 - delta;
  q.alpha0 = std::pow(k.a0 * delta, k.p0);
  q.b = std::pow(k.a1 * rest, k.p1);
  q.alpha1 = q.alpha0 + q.b;
  q.u_g = delta * (q.alpha1 - q.alpha0 / k.k0);
  q.u_d = rest * (q.alpha1 - q.b / k.k1);
  q.dalpha0 = delta > 0.0 ? k.p0 * q.alpha0 / delta : power_slope_at_zero(k.a0, k.p0);
  q.db = rest > 0.0 ? -k.p1 * q.b / rest : -power_slope_at_zero(k.a1, k.p1);
  q.dalpha1 = q.dalpha0 + q.db;
  // db is infinite only at delta = 1 (k1 > 2) and dalpha0 only at delta = 0 (k0 > 2), where their
  // factors are 1, so no 0 * inf arises.
  q.du_g = q.alpha1 + delta * q.db;
  q.du_d = -q.alpha1 + rest * q.dalpha0;
  return q;
}

}  // namespace ftg::detail
