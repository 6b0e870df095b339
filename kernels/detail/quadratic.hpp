// kernels/detail/quadratic.hpp: real roots of a x^2 + b x + c without cancellation (not public).
//
// Numerical Recipes (3rd ed.) section 5.6: q = -(b + sign(b) sqrt(b^2 - 4ac)) / 2, roots q/a and
// c/q. Boost 1.74 has no quadratic_roots (it arrived in 1.79), hence these few lines. a = 0
// degrades gracefully to the linear root -c/b. Pure, reentrant, no allocation.
#pragma once

#include <cmath>
#include <limits>
#include <utility>

namespace ftg::detail {

/// The two real roots in increasing order; NaN for roots that do not exist.
inline std::pair<double, double> quadratic_roots(double a, double b, double c) noexcept {
  constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
  if (a == 0.0) {
    if (b == 0.0) return {nan_v, nan_v};
    return {-c / b, nan_v};
  }
  const double disc = std::fma(b, b, -4.0 * a * c);
  if (disc < 0.0) return {nan_v, nan_v};
  const double q = -0.5 * (b + std::copysign(std::sqrt(disc), b));
  double r1 = q / a;
  double r2 = q != 0.0 ? c / q : -r1;  // b = c = 0: double root at 0
  if (r1 > r2) std::swap(r1, r2);
  return {r1, r2};
}

/// The root of a x^2 + b x + c in [lo, hi] (widened by slack), NaN when there is none.
inline double quadratic_root_in(double a, double b, double c, double lo, double hi,
                                double slack = 1e-12) noexcept {
  const auto [r1, r2] = quadratic_roots(a, b, c);
  const double l = lo - slack, h = hi + slack;
  if (r1 >= l && r1 <= h) return std::clamp(r1, lo, hi);
  if (r2 >= l && r2 <= h) return std::clamp(r2, lo, hi);
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace ftg::detail
