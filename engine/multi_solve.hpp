// engine/multi_solve.hpp: one n-specialist game, every bargaining solution and the Pareto set.
//
// 1. What: the computation behind `ftg solve` in multi mode (--n, --c ..., --game; docs/cli.md).
//    For a multi_game (kernels/multi.hpp: G and classes of identical specialists) runs
//    kernels/multi_bargaining.hpp solve_multi() once (numeric: grid plus zoom; the n-specialist
//    closed forms are not wired into the CLI).
// 2. Preconditions: none checked here; the CLI validates first (engine/multi_args.hpp) and the
//    kernel reports invalid_params as a status, never by throwing.
// 3. Method: solve_multi() with the default solver_options.
// 4. Reentrant. The report is about 40 KB; solve_multi needs about 100 KB of stack.
#pragma once

#include <string>
#include <vector>

#include "kernels/multi.hpp"
#include "kernels/multi_bargaining.hpp"

namespace ftg {

struct multi_solve_config {
  multi_game game{};
  std::vector<std::string> names;  ///< per class: NAME of [specialist.NAME], or empty
};

struct multi_solve_report {
  multi_solve_config config{};
  multi_solutions numeric{};
};

multi_solve_report solve_multi_game(const multi_solve_config& config);

/// The results of a multi report: powerful_g, powerful_d per class, max_performance,
/// vertical_monopoly, egalitarian, nash, kalai_smorodinsky (in this order), then the Pareto set.
/// Each entry is the JSON/table name and the result; powerful_d's class is `target_class` (0-based).
struct multi_named_result {
  const char* name;
  int target_class;  ///< for powerful_d; -1 otherwise
  const multi_bargain_result* result;
};
std::vector<multi_named_result> named_results(const multi_solve_report& report);

/// Number of results (every solution above and the Pareto set) whose status is a failure;
/// `ftg solve` exits with 3 when it is not zero. result_count() is how many there are: classes + 7.
int count_failures(const multi_solve_report& report) noexcept;
int result_count(const multi_solve_report& report) noexcept;

/// The outcome at a solution as reported: the kernel's numbers, except that a `disagreement`
/// gives every player its disagreement payoff (u_g = d0, u_i = d_i; docs/architecture.md), which
/// the kernel leaves NaN. Strategies, delta and regimes stay undefined (NaN / has_regime false).
struct reported_player {
  double alpha = 0.0;
  double u = 0.0;
  bool has_regime = false;
  regime reg = regime::abstainer;
};
struct reported_outcome {
  double delta = 0.0;
  double u_g = 0.0;
  double alpha0 = 0.0;
  double total_performance = 0.0;
  std::vector<reported_player> players;  ///< one per class of the game
};
reported_outcome report_outcome(const multi_game& game, const multi_bargain_result& r);

}  // namespace ftg
