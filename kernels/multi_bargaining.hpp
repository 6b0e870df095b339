// kernels/multi_bargaining.hpp: Pareto set and bargaining solutions of the n-specialist game.
//
// 1. What (arXiv:2308.04399v3, Section 5.1-5.2, Appendix 10.1 and 10.3): over delta in [0, 1],
//    with the subgame-perfect outcome of kernels/multi.hpp at each delta (players: G and one
//    representative of each class of identical specialists):
//    - the Pareto set by global non-domination: delta is in it when UG >= d0 (each specialist gets
//      at least d_i by construction: it abstains otherwise) and no delta' gives every player at
//      least as much and one more; and Theorem 5.1's local rule (drop delta where UG < d0, where
//      UG increases and no taking-part specialist with a gain decreases, or UG decreases and no
//      such specialist increases), with a flag where the two differ;
//    - powerful-G, powerful-D_i for each class, max total performance (sum of alpha_i over the
//      specialists taking part), vertical monopoly (UG + sum of every specialist's utility),
//      egalitarian (max-min of the gains U - d of G and the specialists taking part), Nash (max of
//      the product of those gains, each specialist counted once per member) and Kalai-Smorodinsky
//      (max-min of each gain over that player's largest gain, taking-part players).
//    A solution for which no delta gives G a non-negative gain has status disagreement (delta
//    NaN, every player at its disagreement payoff).
// 2. Preconditions: validate(game) == ok, else invalid_params.
// 3. Method: utilities jump where participation or G's choice switches, so everything starts from
//    a global grid of delta (multi_grid_points uniform points plus geometric points towards both
//    ends). Each solution's objective is maximised on the grid, then by zooming (32 samples
//    between the best point's neighbours, keep the best, repeat): unlike Brent's parabolas this
//    survives jumps, and a maximum at a jump (a supremum) is approached from its better side.
//    delta* is accurate to about 1e-8 where the objective is smooth at its maximum (flatness
//    limits any maximiser to half the digits) and to 1e-14 at a jump. Non-dominated grid points
//    form runs; each run's ends are refined by bisection on "not dominated by any grid point or
//    solution" to 1e-12, and solutions nothing dominates are added as single agreements (G
//    bringing a specialist in exactly at its threshold is such an isolated optimum). The
//    dominance test has a slack of 1e-13 relative, so near a smooth maximum of one player's
//    utility the bisection stops short of it by up to about sqrt(1e-13); a powerful solution (a
//    unique global maximiser, hence Pareto-optimal) within 1e-6 of an end extends it. Accuracy
//    limit: a Pareto interval narrower than the grid spacing (about 4e-3) can be missed, and an
//    end where a continuous part of the utility curve starts to dominate is placed only to the
//    grid spacing (ends at a powerful solution or a jump are exact to the figures above).
//    multi_bargain_closed_form(): quadratic costs, everyone taking part, f = m = 0, s = b = 1,
//    d = 0: the corrected closed forms of Table 1 (docs/model.md).
// 4. Pure, reentrant, no allocation (about 100 KB of stack).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "multi.hpp"
#include "pareto.hpp"

namespace ftg {

inline constexpr int multi_grid_points = 256;

struct multi_pareto_set {
  static constexpr int capacity = 16;
  std::array<delta_interval, capacity> intervals{};
  int count = 0;
  std::array<delta_interval, capacity> theorem51{};  ///< Theorem 5.1's local rule on the same grid
  int theorem51_count = 0;
  bool differs = false;  ///< the two sets differ by more than the grid resolution
  cell_status status = cell_status::ok;  ///< ok, disagreement (count 0), or a failure
};

enum class multi_solution : std::uint8_t {
  powerful_g = 0,
  powerful_d,  ///< one per class: multi_solutions::powerful_d[j]
  max_performance,
  vertical_monopoly,
  egalitarian,
  nash,
  kalai_smorodinsky,
};

inline constexpr int multi_solution_count = 7;
inline constexpr std::array<multi_solution, multi_solution_count> all_multi_solutions{
    multi_solution::powerful_g,  multi_solution::powerful_d, multi_solution::max_performance,
    multi_solution::vertical_monopoly, multi_solution::egalitarian, multi_solution::nash,
    multi_solution::kalai_smorodinsky};

constexpr std::string_view to_string(multi_solution s) noexcept {
  switch (s) {
    case multi_solution::powerful_g: return "powerful_g";
    case multi_solution::powerful_d: return "powerful_d";
    case multi_solution::max_performance: return "max_performance";
    case multi_solution::vertical_monopoly: return "vertical_monopoly";
    case multi_solution::egalitarian: return "egalitarian";
    case multi_solution::nash: return "nash";
    case multi_solution::kalai_smorodinsky: return "kalai_smorodinsky";
  }
  return "unknown";
}

struct multi_bargain_result {
  double delta = 0.0;       ///< delta*, NaN unless status ok
  multi_spe_result spe{};   ///< the outcome at delta*: alpha0, every alpha_i, utilities, regimes
  cell_status status = cell_status::ok;
  bool in_pareto = false;
  bool tie = false;         ///< another grid maximum within 1e-12 relative, separated by a dip
  bool degenerate = false;  ///< constant objective: delta = 1 reported
};

struct multi_solutions {
  multi_pareto_set pareto{};
  multi_bargain_result powerful_g{};
  std::array<multi_bargain_result, multi_game::max_classes> powerful_d{};  ///< per class
  multi_bargain_result max_performance{};
  multi_bargain_result vertical_monopoly{};
  multi_bargain_result egalitarian{};
  multi_bargain_result nash{};
  multi_bargain_result kalai_smorodinsky{};
};

multi_solutions solve_multi(const multi_game& game, const solver_options& opts = {}) noexcept;

/// The quadratic closed forms (k0 = k_i = 2, f = m = 0, s = b = 1, d = 0): s = powerful_d needs
/// the class index; the Pareto set is not computed (in_pareto false). Else no_closed_form.
multi_bargain_result multi_bargain_closed_form(multi_solution s, const multi_game& game,
                                               int target_class = 0) noexcept;

}  // namespace ftg
