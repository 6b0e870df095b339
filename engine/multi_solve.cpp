#include "engine/multi_solve.hpp"

#include <limits>

#include "engine/solve.hpp"

namespace ftg {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

multi_solve_report solve_multi_game(const multi_solve_config& config) {
  multi_solve_report report;
  report.config = config;
  report.numeric = solve_multi(config.game);
  return report;
}

std::vector<multi_named_result> named_results(const multi_solve_report& report) {
  const multi_solutions& s = report.numeric;
  std::vector<multi_named_result> out;
  out.push_back({"powerful_g", -1, &s.powerful_g});
  for (int j = 0; j < report.config.game.classes && j < multi_game::max_classes; ++j)
    out.push_back({"powerful_d", j, &s.powerful_d[static_cast<std::size_t>(j)]});
  out.push_back({"max_performance", -1, &s.max_performance});
  out.push_back({"vertical_monopoly", -1, &s.vertical_monopoly});
  out.push_back({"egalitarian", -1, &s.egalitarian});
  out.push_back({"nash", -1, &s.nash});
  out.push_back({"kalai_smorodinsky", -1, &s.kalai_smorodinsky});
  return out;
}

int count_failures(const multi_solve_report& report) noexcept {
  const multi_solutions& s = report.numeric;
  int n = is_failure(s.pareto.status) ? 1 : 0;
  for (const multi_bargain_result* r : {&s.powerful_g, &s.max_performance, &s.vertical_monopoly,
                                        &s.egalitarian, &s.nash, &s.kalai_smorodinsky})
    n += is_failure(r->status) ? 1 : 0;
  for (int j = 0; j < report.config.game.classes && j < multi_game::max_classes; ++j)
    n += is_failure(s.powerful_d[static_cast<std::size_t>(j)].status) ? 1 : 0;
  return n;
}

int result_count(const multi_solve_report& report) noexcept { return report.config.game.classes + 7; }

reported_outcome report_outcome(const multi_game& game, const multi_bargain_result& r) {
  reported_outcome o;
  const int classes = game.classes;
  o.players.resize(static_cast<std::size_t>(classes > 0 ? classes : 0));
  // The kernel fills spe for ok results (also degenerate ones); anything else has no equilibrium.
  const bool have = r.status == cell_status::ok && r.spe.status == cell_status::ok &&
                    r.spe.classes == classes;
  if (have) {
    o.delta = r.delta;
    o.u_g = r.spe.u_g;
    o.alpha0 = r.spe.alpha0;
    o.total_performance = r.spe.total_performance;
    for (int j = 0; j < classes; ++j) {
      const response& p = r.spe.sp[static_cast<std::size_t>(j)];
      o.players[static_cast<std::size_t>(j)] = {p.alpha, p.u, true, p.reg};
    }
    return o;
  }
  o.delta = o.alpha0 = o.total_performance = not_a_number;
  const bool disagreement = r.status == cell_status::disagreement;
  o.u_g = disagreement ? game.d0 : not_a_number;
  for (int j = 0; j < classes; ++j)
    o.players[static_cast<std::size_t>(j)] = {
        not_a_number, disagreement ? game.sp[static_cast<std::size_t>(j)].d : not_a_number, false,
        regime::abstainer};
  return o;
}

}  // namespace ftg
