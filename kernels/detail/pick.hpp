// kernels/detail/pick.hpp: choose the global maximiser among candidate deltas (not public).
//
// The conventions of docs/model.md: values within tie_rel_tol (relative) of the best are equal;
// among equal candidates the largest delta is reported, and `tie` is set when another equal
// candidate lies more than tie_separation away. Pure, reentrant, no allocation.
#pragma once

#include <cmath>
#include <limits>

#include "kernels/detail/scan.hpp"

namespace ftg::detail {

inline constexpr double tie_rel_tol = 1e-12;
inline constexpr double tie_separation = 1e-7;

struct pick_result {
  double delta = std::numeric_limits<double>::quiet_NaN();
  double value = -std::numeric_limits<double>::infinity();
  bool tie = false;
};

/// obj(delta) returns the objective, or -inf where delta is infeasible. cands is sorted ascending.
/// The best candidate is the largest value (the larger delta among exact equals). Another
/// candidate ties with it when its value is within tie_rel_tol, it lies more than tie_separation
/// away, and the objective dips below both between them (separate maxima, not one flat top); then
/// the largest tied delta is reported.
template <class Obj>
pick_result pick_max(const delta_list& cands, Obj&& obj) noexcept {
  pick_result r;
  std::array<double, delta_list::capacity> vals;  // only [0, cands.n) is read; no zeroing
  int best = -1;
  for (int i = 0; i < cands.n; ++i) {
    const double v = obj(cands[i]);
    vals[static_cast<std::size_t>(i)] = v;
    if (v > -std::numeric_limits<double>::infinity() && (best < 0 || v >= r.value)) {
      r.value = v;
      best = i;
    }
  }
  if (best < 0) return r;
  r.delta = cands[best];
  const double tol = tie_rel_tol * std::abs(r.value);
  for (int i = 0; i < cands.n; ++i) {
    const double c = cands[i], v = vals[static_cast<std::size_t>(i)];
    if (i == best || v < r.value - tol || std::abs(c - cands[best]) <= tie_separation) continue;
    const double lo = std::min(c, cands[best]), hi = std::max(c, cands[best]);
    double valley = std::numeric_limits<double>::infinity();
    for (double t : {0.25, 0.5, 0.75}) valley = std::min(valley, obj(lo + t * (hi - lo)));
    if (valley < std::min(v, r.value) - tol) {
      r.tie = true;
      r.delta = std::max(r.delta, c);
    }
  }
  return r;
}

}  // namespace ftg::detail
