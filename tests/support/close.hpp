// tests/support/close.hpp: explicit-tolerance comparisons for doctest (never doctest's Approx).
#pragma once

#include <algorithm>
#include <cmath>

namespace ftg::test {

/// |a - b| <= tol * max(|a|, |b|), or both exactly equal (covers 0 == 0).
inline bool rel_close(double a, double b, double tol) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  return std::abs(a - b) <= tol * std::max(std::abs(a), std::abs(b));
}

/// |a - b| <= abs_tol + rel_tol * max(|a|, |b|).
inline bool close(double a, double b, double rel_tol, double abs_tol) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  return std::abs(a - b) <= abs_tol + rel_tol * std::max(std::abs(a), std::abs(b));
}

}  // namespace ftg::test
