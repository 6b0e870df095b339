// kernels/pareto.hpp: the set of Pareto-optimal agreements delta of the two-player game.
//
// 1. What: Definitions 2.1-2.2 of arXiv:2308.04399v3 with disagreement payoffs (d0, d1): delta is
//    in the set when UG(delta) >= d0, UD(delta) >= d1 and no delta' in [0, 1] gives one player more
//    and neither less. Theorem 2.1 (Appendix 7.1) says the set is the interval between the
//    powerful-D and powerful-G solutions, cut to where both utilities reach the disagreement
//    payoffs, when both utilities are strictly unimodal; Proposition 3.1 proves unimodality for
//    k0, k1 >= 2 only, so pareto_numeric() never assumes it.
// 2. Preconditions: validate(game) == ok, else invalid_params. An empty set is a result:
//    status disagreement with count 0.
// 3. Method: pareto_numeric() finds every critical point of UG and UD (global scan, then TOMS 748),
//    splits [0, 1] into pieces where both utilities are monotone, keeps the trade-off pieces and
//    the piece ends, and removes what any other piece dominates: exact level crossings for points,
//    nested TOMS 748 on the utility curves for curve-against-curve domination. End points are
//    accurate to the TOMS 748 tolerance (about 1e-15). pareto_closed_form() is Theorem 2.1 with
//    Propositions 3.2-3.3 for k0 = k1 = 2 (no_closed_form otherwise).
// 4. Pure, reentrant, no allocation (fixed capacity).
#pragma once

#include <array>

#include "params.hpp"

namespace ftg {

struct delta_interval {
  double lo = 0.0;  ///< closed interval [lo, hi]; lo == hi is a single agreement
  double hi = 0.0;
};

struct pareto_set {
  static constexpr int capacity = 8;
  std::array<delta_interval, capacity> intervals{};
  int count = 0;      ///< disjoint, sorted, non-touching intervals
  bool unimodal = false;  ///< both utilities strictly unimodal on [0, 1] (Theorem 2.1 applies)
  cell_status status = cell_status::ok;  ///< ok, disagreement (count 0), or a failure
};

pareto_set pareto_numeric(const game_params& game, const solver_options& opts = {}) noexcept;
pareto_set pareto_closed_form(const game_params& game) noexcept;

/// Whether delta lies in the set, widening each interval by tol on both sides.
bool contains(const pareto_set& set, double delta, double tol = 0.0) noexcept;

}  // namespace ftg
