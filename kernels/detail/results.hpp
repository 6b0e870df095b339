// kernels/detail/results.hpp: building bargain_result values (not public; bargaining.cpp).
#pragma once

#include "kernels/bargaining.hpp"
#include "kernels/detail/two_player.hpp"

namespace ftg::detail {

/// Every number NaN, with status s.
bargain_result failed_result(cell_status s) noexcept;
/// Status disagreement: delta and strategies NaN, utilities (d0, d1).
bargain_result disagreement_result(const game_params& g) noexcept;
/// The equilibrium at delta (Theorem 3.1), with Pareto membership; not_finite if it overflows.
bargain_result result_at(const game_constants& k, double delta, const pareto_set& ps) noexcept;

/// solve_game(game, beta, method::closed_form): the quadratic context (x = c1/c0, the Pareto set,
/// the constants) computed once and shared by the eight solutions (bargaining_closed_form.cpp).
void solve_game_closed_form(const game_params& game, double beta, game_solution& out) noexcept;

}  // namespace ftg::detail
