// engine/solve.hpp: one game, every bargaining solution and the Pareto set, by one or both methods.
//
// 1. What: the computation behind `ftg solve`. For game parameters (c0, c1, k0, k1, d0, d1) and the
//    generalized-Nash weight beta, runs kernels/bargaining.hpp solve_game() with the numeric method,
//    the closed form (quadratic costs, Propositions 3.2-3.6 of arXiv:2308.04399v3) or both, and,
//    for both, the largest absolute difference between the two.
// 2. Preconditions: none checked here; the CLI validates its input before calling (engine/cli.hpp),
//    and the kernels report invalid_params or no_closed_form as a status, never by throwing.
// 3. Method: solve_game() once per requested method. The differences are plain |a - b| (see
//    max_abs_diff for how NaN and mismatching statuses are counted).
// 4. Pure, reentrant. solve() does not allocate (the results are fixed-size).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "kernels/bargaining.hpp"
#include "kernels/params.hpp"
#include "kernels/pareto.hpp"

namespace ftg {

/// Which kernels `ftg solve` runs. to_string() gives the spelling of the --method option.
enum class solve_method : std::uint8_t { numeric = 0, closed_form, both };

constexpr std::string_view to_string(solve_method m) noexcept {
  switch (m) {
    case solve_method::numeric: return "numeric";
    case solve_method::closed_form: return "closed-form";
    case solve_method::both: return "both";
  }
  return "unknown";
}

struct solve_config {
  game_params game{};
  double beta = 0.5;  ///< weight of G in generalized_nash, in (0, 1)
  solve_method method = solve_method::numeric;
};

struct solve_report {
  solve_config config{};
  std::optional<game_solution> closed_form;  ///< set for closed_form and both
  std::optional<game_solution> numeric;      ///< set for numeric and both
};

solve_report solve(const solve_config& config) noexcept;

/// A status that is neither ok nor disagreement: the kernel did not produce a result.
constexpr bool is_failure(cell_status s) noexcept {
  return s != cell_status::ok && s != cell_status::disagreement;
}

/// Number of results (bargaining solutions and Pareto sets, over every method run) whose status
/// is a failure. `ftg solve` exits with code 3 when it is not zero.
int count_failures(const solve_report& report) noexcept;

/// max |a - b| over delta, u_g, u_d, alpha0, alpha1 of one solution computed twice:
/// NaN if either status is a failure (nothing to compare); +inf if one is ok and the other is
/// disagreement, or a field is finite on one side only; fields NaN on both sides are skipped
/// (delta and the strategies of a disagreement).
double max_abs_diff(const bargain_result& a, const bargain_result& b) noexcept;

/// max |a - b| over the interval ends: NaN if either status is a failure; +inf if the statuses
/// or the interval counts differ; 0 for two disagreements.
double max_abs_diff(const pareto_set& a, const pareto_set& b) noexcept;

struct solve_discrepancy {
  std::array<double, solution_count> solutions{};  ///< indexed like all_solutions
  double pareto = 0.0;
  double overall = 0.0;  ///< max of all the above; NaN if any of them is NaN
};

solve_discrepancy compare(const game_solution& closed_form, const game_solution& numeric) noexcept;

}  // namespace ftg
