// kernels/detail/roots.hpp: checked wrappers around Boost.Math root finding (not public).
//
// Boost.Math does not report a spent iteration budget and, with a non-throwing policy, returns a
// plausible bracket after an evaluation error (STYLE.md 2.1). So every call here: checks the
// bracket signs first (no_bracket), runs toms748_solve with an ignore-errors policy, compares the
// iterations used with the budget (max_iter), and checks the final bracket is finite, ordered and
// within tolerance (not_finite / no_bracket).
// Pure, reentrant, no allocation.
#pragma once

#include <boost/math/policies/policy.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "kernels/params.hpp"

namespace ftg::detail {

using quiet_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

/// Relative tolerance 2^(1-bits) with an absolute floor. Boost's eps_tolerance is purely relative,
/// so a root at 1e-167 (a utility's dip next to delta = 0 when k < 2) would need ~500 bisections
/// from the first scan bracket [0, 2^-60]; below abs_floor the root's position cannot change any
/// utility or agreement in double precision.
struct root_tolerance {
  double rel;
  static constexpr double abs_floor = 1e-30;
  explicit root_tolerance(int bits) noexcept : rel(std::ldexp(1.0, 1 - bits)) {}
  bool operator()(double a, double b) const noexcept {
    return std::abs(b - a) <= std::max(rel * std::min(std::abs(a), std::abs(b)), abs_floor);
  }
};

struct root_result {
  double x = 0.0;
  std::uint16_t iterations = 0;
  cell_status status = cell_status::ok;
};

inline bool opposite_signs(double a, double b) noexcept {
  return (a <= 0.0 && b >= 0.0) || (a >= 0.0 && b <= 0.0);
}

/// Root of f in [lo, hi] given f(lo) = flo and f(hi) = fhi of opposite signs (or one zero).
template <class F>
root_result find_root(F&& f, double lo, double hi, double flo, double fhi,
                      const solver_options& opts) noexcept {
  root_result r;
  if (!std::isfinite(flo) || !std::isfinite(fhi) || std::isnan(lo) || std::isnan(hi)) {
    r.status = cell_status::not_finite;
    return r;
  }
  if (flo == 0.0) { r.x = lo; return r; }
  if (fhi == 0.0) { r.x = hi; return r; }
  if (!opposite_signs(flo, fhi)) { r.status = cell_status::no_bracket; return r; }
  std::uintmax_t iters = opts.max_iter;
  const root_tolerance tol(opts.bits);
  const std::pair<double, double> br =
      boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, tol, iters, quiet_policy());
  r.iterations = static_cast<std::uint16_t>(iters);
  if (iters >= opts.max_iter) { r.status = cell_status::max_iter; return r; }
  if (!std::isfinite(br.first) || !std::isfinite(br.second) || br.first > br.second) {
    r.status = cell_status::not_finite;
    return r;
  }
  // The returned bracket must still straddle the root and lie inside the original one.
  if (br.first < lo || br.second > hi) { r.status = cell_status::no_bracket; return r; }
  r.x = br.first + (br.second - br.first) / 2;
  return r;
}

template <class F>
root_result find_root(F&& f, double lo, double hi, const solver_options& opts) noexcept {
  const double flo = f(lo);
  const double fhi = f(hi);
  return find_root(f, lo, hi, flo, fhi, opts);
}

}  // namespace ftg::detail
