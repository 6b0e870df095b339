#include "engine/solve.hpp"

#include <cmath>
#include <limits>

namespace ftg {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

int failures_in(const game_solution& s) noexcept {
  int n = is_failure(s.pareto.status) ? 1 : 0;
  for (const bargain_result& r : s.solutions) n += is_failure(r.status) ? 1 : 0;
  return n;
}

// Accumulates max |a - b|; a field that only one side could compute is an infinite difference.
void accumulate(double& acc, double a, double b) noexcept {
  const bool fa = std::isfinite(a);
  const bool fb = std::isfinite(b);
  if (fa && fb) {
    acc = std::fmax(acc, std::abs(a - b));
  } else if (fa != fb) {
    acc = infinity;
  }
}

}  // namespace

solve_report solve(const solve_config& config) noexcept {
  solve_report report;
  report.config = config;
  if (config.method != solve_method::numeric)
    report.closed_form = solve_game(config.game, config.beta, method::closed_form);
  if (config.method != solve_method::closed_form)
    report.numeric = solve_game(config.game, config.beta, method::numeric);
  return report;
}

int count_failures(const solve_report& report) noexcept {
  int n = 0;
  if (report.closed_form) n += failures_in(*report.closed_form);
  if (report.numeric) n += failures_in(*report.numeric);
  return n;
}

double max_abs_diff(const bargain_result& a, const bargain_result& b) noexcept {
  if (is_failure(a.status) || is_failure(b.status)) return not_a_number;
  if (a.status != b.status) return infinity;
  double acc = 0.0;
  accumulate(acc, a.delta, b.delta);
  accumulate(acc, a.u_g, b.u_g);
  accumulate(acc, a.u_d, b.u_d);
  accumulate(acc, a.alpha0, b.alpha0);
  accumulate(acc, a.alpha1, b.alpha1);
  return acc;
}

double max_abs_diff(const pareto_set& a, const pareto_set& b) noexcept {
  if (is_failure(a.status) || is_failure(b.status)) return not_a_number;
  if (a.status != b.status || a.count != b.count) return infinity;
  double acc = 0.0;
  for (int i = 0; i < a.count && i < pareto_set::capacity; ++i) {
    const auto k = static_cast<std::size_t>(i);
    accumulate(acc, a.intervals[k].lo, b.intervals[k].lo);
    accumulate(acc, a.intervals[k].hi, b.intervals[k].hi);
  }
  return acc;
}

solve_discrepancy compare(const game_solution& closed_form, const game_solution& numeric) noexcept {
  solve_discrepancy d;
  bool any_nan = false;
  double overall = 0.0;
  auto fold = [&](double x) {
    if (std::isnan(x)) {
      any_nan = true;
    } else {
      overall = std::fmax(overall, x);
    }
  };
  for (std::size_t i = 0; i < all_solutions.size(); ++i) {
    d.solutions[i] = max_abs_diff(closed_form.solutions[i], numeric.solutions[i]);
    fold(d.solutions[i]);
  }
  d.pareto = max_abs_diff(closed_form.pareto, numeric.pareto);
  fold(d.pareto);
  // An uncompared item must not let a small maximum pass for agreement.
  d.overall = any_nan ? not_a_number : overall;
  return d;
}

}  // namespace ftg
