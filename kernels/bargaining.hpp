// kernels/bargaining.hpp: bargaining solutions delta* of the two-player game.
//
// 1. What (arXiv:2308.04399v3, Sections 2.2 and 3.2-3.3; Appendix 8.4-8.7): each solution is the
//    global maximiser over delta in [0, 1] of its objective, with gains gG = UG - d0, gD = UD - d1:
//      powerful_g          UG                   (Definition 2.4, Proposition 3.2)
//      powerful_d          UD                   (Definition 2.4, Proposition 3.3)
//      max_performance     alpha1*              (Definition 3.1, Proposition 3.4)
//      vertical_monopoly   UG + UD              (Definition 3.2, Proposition 3.5)
//      egalitarian         min(gG, gD)          (Definition 3.3, Proposition 3.6)
//      nash                gG * gD, where gG, gD >= 0               (Definition 3.4)
//      kalai_smorodinsky   min(gG / gG*, gD / gD*), gP* = the largest gain of P over the
//                          agreements where both gains are >= 0     (Definition 3.5)
//      generalized_nash    gG^beta * gD^(1-beta), where gG, gD >= 0 (asymmetric Nash)
//    Egalitarian, Nash, Kalai-Smorodinsky and generalized Nash have status disagreement when no
//    delta gives both gains >= 0 (or, for KS, a zero ideal gain). The other four are defined for
//    every game. Every result says whether delta* lies in the Pareto set (pareto.hpp).
// 2. Preconditions: validate(game) == ok and beta in (0, 1) (used by generalized_nash only),
//    else invalid_params. bargain_closed_form() needs k0 = k1 = 2, else no_closed_form.
// 3. Method. Conventions (docs/model.md): between separated global maxima (objective values equal
//    to 1e-12 relative) the larger delta is reported and `tie` is set; a constant objective sets
//    `degenerate` and reports delta = 1 (max_performance at c0 = c1, the paper's convention).
//    bargain_numeric(): a global bracketing scan of each first-order condition (uniform points plus
//    geometric points towards both ends), TOMS 748 on every sign change (the bracket signs are
//    checked before and the iteration budget after each call), then the objective compared over
//    all stationary points, crossings and ends; a scan point that beats every candidate triggers a
//    Brent refinement, so a missed root cannot pass silently.
//    bargain_closed_form(): Propositions 3.2-3.6 rewritten in the ratio x = c1/c0 so that no form
//    cancels (docs/model.md), and for Nash and Kalai-Smorodinsky, which the paper leaves open, the
//    cubic and quadratic that their conditions reduce to for quadratic costs, solved by Newton
//    inside the Pareto bracket and by a cancellation-free quadratic formula.
// 4. Pure, reentrant, no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "params.hpp"
#include "pareto.hpp"

namespace ftg {

enum class solution : std::uint8_t {
  powerful_g = 0,
  powerful_d,
  max_performance,
  vertical_monopoly,
  egalitarian,
  nash,
  kalai_smorodinsky,
  generalized_nash,
};
inline constexpr int solution_count = 8;
inline constexpr std::array<solution, solution_count> all_solutions{
    solution::powerful_g,  solution::powerful_d, solution::max_performance,
    solution::vertical_monopoly, solution::egalitarian, solution::nash,
    solution::kalai_smorodinsky, solution::generalized_nash};

constexpr std::string_view to_string(solution s) noexcept {
  switch (s) {
    case solution::powerful_g: return "powerful_g";
    case solution::powerful_d: return "powerful_d";
    case solution::max_performance: return "max_performance";
    case solution::vertical_monopoly: return "vertical_monopoly";
    case solution::egalitarian: return "egalitarian";
    case solution::nash: return "nash";
    case solution::kalai_smorodinsky: return "kalai_smorodinsky";
    case solution::generalized_nash: return "generalized_nash";
  }
  return "unknown";
}

struct bargain_result {
  double delta = 0.0;   ///< delta*, NaN unless status ok
  double u_g = 0.0;     ///< UG(delta*) (d0 when status disagreement)
  double u_d = 0.0;     ///< UD(delta*) (d1 when status disagreement)
  double alpha0 = 0.0;  ///< alpha0*(delta*)
  double alpha1 = 0.0;  ///< alpha1*(delta*)
  cell_status status = cell_status::ok;
  bool in_pareto = false;   ///< delta* lies in the Pareto set
  bool tie = false;         ///< separated global maxima; the larger delta is reported
  bool degenerate = false;  ///< the objective is constant over [0, 1]
  std::uint16_t iterations = 0;  ///< Boost.Math iterations used in total
};

/// Every solution and the Pareto set of one game.
struct game_solution {
  pareto_set pareto{};
  std::array<bargain_result, solution_count> solutions{};
  const bargain_result& operator[](solution s) const noexcept {
    return solutions[static_cast<int>(s)];
  }
};

enum class method : std::uint8_t { numeric = 0, closed_form };

bargain_result bargain_numeric(solution s, const game_params& game, double beta = 0.5,
                               const solver_options& opts = {}) noexcept;
bargain_result bargain_closed_form(solution s, const game_params& game, double beta = 0.5) noexcept;

/// Numeric bargaining over many games at once: out[i] = bargain_numeric(s, games[i], beta, opts)
/// for i < min(games.size(), out.size()), eight games at a time in lock-step where it can.
///
/// 1. What: the same solution as bargain_numeric() for every game, with the same status, flags
///    and iteration count.
/// 2. Preconditions: none beyond bargain_numeric()'s per game; games and out do not overlap.
/// 3. Method (kernels/bargaining_batch.cpp): on CPUs with AVX-512, or AVX2 and FMA (the same
///    eight lanes in two ymm registers), the games that take the fast unimodal path with d0 = d1 = 0 (k0, k1 >= 2, strategy scales in range) and the solutions
///    that are then one Newton solve on [0, 1] without the Pareto set (nash, generalized_nash,
///    vertical_monopoly) are solved eight at a time: the iteration of detail::newton_in_bracket
///    lane by lane with masks, the powers by glibc libmvec's vector pow. Every other game or
///    solution, every lane that meets a NaN, spends the iteration budget or whose root fails the
///    slopes' Pareto test, and every CPU with neither, goes to bargain_numeric() itself. Nash,
///    k0 = 2.5, k1 = 3.5, one run: scalar 3.9M, AVX2 10.6M, AVX-512 18M solves/s.
/// 4. Accuracy: a lock-step delta* is a root of the same condition to the same tolerance
///    (2^(1-bits) relative), computed with powers within 4 ulp instead of 1, so it agrees with
///    bargain_numeric() to about 1e-14 and the utilities to a few ulp, not bit for bit;
///    tests/kernels/test_bargaining_batch.cpp bounds both (1e-12) over random games and checks
///    k = 2 against the closed forms.
/// 5. Pure, reentrant, no allocation, noexcept. Returns how many games were solved in lock-step.
std::size_t bargain_numeric_batch(solution s, std::span<const game_params> games, double beta,
                                  std::span<bargain_result> out, const solver_options& opts = {}) noexcept;

/// solve_game(games[i], beta, method::numeric, opts) for i < min(games.size(), out.size()), eight
/// games at a time in lock-step where it can (kernels/bargaining_batch.cpp).
///
/// 1. What: the same game_solution as solve_game(..., method::numeric): statuses, flags and the
///    Pareto set's shape exactly; delta*, the utilities, the strategies and the set's ends to the
///    accuracy of bargain_numeric_batch (item 4 above); iteration counts within a few.
/// 2. Preconditions: as solve_game per game; games and out do not overlap.
/// 3. Method: games of the unimodal fast path with d0 = d1 = 0 on AVX-512 or AVX2 + FMA CPUs (one
///    run: scalar 3.35M, AVX2 7.1M, AVX-512 10.3M solutions/s) run that path's
///    Newton solves (powerful-G and powerful-D for the set [PD, PG], max performance, vertical
///    monopoly, Nash, generalized Nash, and the egalitarian and Kalai-Smorodinsky crossings) in
///    lanes; a lane that fails any check, and every other game, goes to solve_game.
/// 4. Pure, reentrant, no allocation, noexcept. Returns how many games were solved in lanes.
std::size_t solve_game_numeric_batch(std::span<const game_params> games, double beta,
                                     std::span<game_solution> out, const solver_options& opts = {}) noexcept;

/// solve_game(games[i], beta, method::closed_form) for i < min(games.size(), out.size()), bit for
/// bit, eight games at a time where it can.
///
/// 1. What: the same game_solution as solve_game(..., method::closed_form) for every game: every
///    field of every solution and of the Pareto set.
/// 2. Preconditions: none beyond solve_game's per game; games and out do not overlap.
/// 3. Method (kernels/bargaining_closed_form_batch.cpp): games with k0 = k1 = 2 and d0 = d1 = 0
///    run the closed forms of bargaining_closed_form.cpp in eight lanes, on AVX-512 (one zmm
///    register) or, on CPUs without it, AVX2 and FMA (two ymm registers): the same IEEE operations
///    in the same order (no FMA contraction), including the bracketed Halley solve of the Nash
///    cubic with per-lane masks. A lane that meets anything but the usual case (egalitarian's
///    crossing not strictly inside and best, a failed root, a value not finite), every other game,
///    and every CPU with neither go to the scalar code. One run, 4096 games: scalar 28.6M, AVX2
///    51.6M, AVX-512 88.2M solutions/s.
/// 4. Pure, reentrant, no allocation, noexcept. Returns how many games were solved in lanes.
std::size_t solve_game_closed_form_batch(std::span<const game_params> games, double beta,
                                         std::span<game_solution> out) noexcept;

/// All solutions and the Pareto set, sharing one scan of the game (numeric) or using the quadratic
/// closed forms (closed_form; status no_closed_form unless k0 = k1 = 2).
game_solution solve_game(const game_params& game, double beta = 0.5, method m = method::numeric,
                         const solver_options& opts = {}) noexcept;

}  // namespace ftg
