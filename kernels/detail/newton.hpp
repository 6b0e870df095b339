// kernels/detail/newton.hpp: Newton's method kept inside a sign bracket (not public).
//
// Numerical Recipes 9.4 (`rtsafe`): Newton steps on f(x) with f'(x), and a bisection step whenever
// the Newton step leaves the current bracket, is not finite, or does not at least halve the step
// before last. The bracket [a, b] always holds f(a), f(b) of the two given end signs, so the
// root returned lies in it; the iterate is accepted once a Newton step is within the relative
// tolerance of roots.hpp (2^(1-bits), absolute floor 1e-30), and the iterate whose step that was
// is returned (it is within the tolerance of the root, and the caller has just evaluated it).
// Why not boost::math::tools::newton_raphson_iterate (Boost 1.74): it raises its "no root" error
// through the default policy (a throw inside our noexcept kernels) and moves its bracket by the
// sign of the step rather than of f, which is unsafe where f' changes sign.
// Statuses: not_finite (f is NaN, or the start is outside the bracket), max_iter (budget spent).
// Pure, reentrant, no allocation.
#pragma once

#include <cmath>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "kernels/detail/roots.hpp"

namespace ftg::detail {

/// Root of f in the open interval (lo, hi), where f > 0 next to lo when lo_positive (else f < 0)
/// and the opposite sign next to hi. fdf(x) returns {f(x), f'(x)}; f may be +-inf (its sign
/// still moves the bracket). guess is the first point evaluated (the midpoint if it is not inside).
/// When fdf returns a std::tuple {f, f', f''}, the step is Halley's 2 f f' / (2 f'^2 - f f'')
/// (cubic convergence; used on polynomials such as the Nash cubic of k = 2), accepted under the
/// same rules as Newton's.
template <class FdF>
root_result newton_in_bracket(FdF&& fdf, double lo, double hi, bool lo_positive, double guess,
                              const solver_options& opts) noexcept {
  root_result r;
  if (!(lo < hi)) { r.status = cell_status::not_finite; return r; }
  const root_tolerance tol(opts.bits);
  double a = lo, b = hi;  // f has lo's sign at a and hi's sign at b
  double x = (guess > lo && guess < hi) ? guess : lo + (hi - lo) / 2;
  double step = hi - lo, step_before = step;
  for (std::uintmax_t it = 1; it <= opts.max_iter; ++it) {
    const auto fd = fdf(x);
    const double f = std::get<0>(fd), df = std::get<1>(fd);
    r.iterations = static_cast<std::uint16_t>(it);
    if (std::isnan(f)) { r.status = cell_status::not_finite; return r; }
    if (f == 0.0) { r.x = x; return r; }
    if ((f > 0.0) == lo_positive) a = x; else b = x;
    double next;
    if constexpr (std::tuple_size_v<std::decay_t<decltype(fd)>> == 3) {
      const double den = 2.0 * df * df - f * std::get<2>(fd);
      next = x - 2.0 * f * df / den;
    } else {
      next = x - f / df;
    }
    const double l = a < b ? a : b, h = a < b ? b : a;
    // Closed bracket: a converged step may round to x itself, which is now an end of [l, h].
    const bool newton_ok = std::isfinite(f) && std::isfinite(df) && df != 0.0 && next >= l && next <= h &&
                           std::abs(next - x) * 2.0 <= std::abs(step_before);
    if (!newton_ok) next = l + (h - l) / 2;
    step_before = step;
    step = next - x;
    // Converged: x itself is within the tolerance of the root (|x - root| ~ |next - x|), and it is
    // the point the caller last evaluated, so a caller may reuse that evaluation.
    if (newton_ok && tol(x, next)) { r.x = x; return r; }
    if (tol(l, h)) { r.x = l + (h - l) / 2; return r; }
    x = next;
  }
  r.status = cell_status::max_iter;
  return r;
}

}  // namespace ftg::detail
