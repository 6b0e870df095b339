// engine/tile_compute.hpp, model multi: the n-specialist fields of a tile equal the kernels at
// the game the axes describe (n copies, scale factors, [population] classes), and independent
// results where they exist: the two-player Theorem 3.1 at one specialist, Theorem 10.1 at n
// identical specialists, the two-player closed forms (Props 3.2-3.6) for the bargaining solutions
// at n = 1, and the per-point Pareto set of the two-player kernels.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "engine/sweep.hpp"
#include "engine/tile_compute.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/multi.hpp"
#include "kernels/multi_bargaining.hpp"
#include "kernels/spe.hpp"
#include "tests/support/close.hpp"

using namespace ftg;
using ftg::test::close;
using ftg::test::rel_close;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

sweep_request multi_request(std::vector<sweep_axis> axes) {
  sweep_request r;
  r.model = sweep_model::multi;
  r.axes = std::move(axes);
  r.population.c0 = 1.0;
  r.population.k0 = 2.0;
  r.population.classes = 1;
  return r;
}

std::size_t index_of(const std::vector<field_info>& fields, const std::string& name, bool categorical) {
  std::size_t i = 0;
  for (const field_info& f : fields) {
    if (f.categorical != categorical) continue;
    if (f.name == name) return i;
    ++i;
  }
  FAIL("no field " << name);
  return 0;
}

}  // namespace

TEST_CASE("multi per-delta, one specialist: every field is Theorem 3.1's two-player outcome (spe()), "
          "bit for bit") {
  sweep_request req = multi_request({{"c1", {0.25, 1.0, 4.0}}, {"k1", {1.5, 2.0, 3.0}}, {"delta", {0.0, 0.2, 0.5, 0.9, 1.0}}});
  req.alpha0 = req.u_g = req.alpha_i = req.u_i = req.regime = req.participants = req.total_performance = true;
  const std::vector<field_info> fields = fields_of(req);
  CHECK(field_names(req) == std::vector<std::string>{"alpha0", "u_g", "alpha_i", "u_i", "participants",
                                                     "total_performance", "regime", "status"});
  REQUIRE(extra_dims(req).size() == 1);
  CHECK(extra_dims(req)[0].name == "specialist");
  const tile_result t = compute_tile(req, index_box{{0, 0, 0}, {3, 3, 5}});
  REQUIRE(t.numbers.size() == 6);
  std::uint64_t cell = 0;
  for (double c1 : req.axes[0].values)
    for (double k1 : req.axes[1].values)
      for (double delta : req.axes[2].values) {
        CAPTURE(c1); CAPTURE(k1); CAPTURE(delta);
        const spe_result s = spe(game_params{1.0, c1, 2.0, k1, 0.0, 0.0}, delta);
        CHECK(same_bits(t.numbers[0][cell], s.alpha0));
        CHECK(same_bits(t.numbers[1][cell], s.u_g));
        CHECK(same_bits(t.numbers[2][cell], s.alpha1));
        CHECK(same_bits(t.numbers[3][cell], s.u_d));
        CHECK(t.numbers[4][cell] == 1.0);  // the one specialist always takes part here (d = f = 0)
        CHECK(t.labels[1][cell] == static_cast<std::uint8_t>(cell_status::ok));
        ++cell;
      }
  CHECK(t.cells_not_ok == 0);
}

TEST_CASE("multi per-delta: the n axis makes n identical specialists (Theorem 10.1), scale_c1 "
          "multiplies each class's cost, and abstainers do not count as participants") {
  // n identical quadratic specialists: Theorem 10.1's closed form is independent of the engine.
  sweep_request req = multi_request({{"n", {1.0, 3.0, 8.0}}, {"delta", {0.1, 0.5, 0.8}}});
  req.population.sp[0].c = 0.7;
  req.alpha0 = req.u_g = req.total_performance = req.participants = true;
  const tile_result t = compute_tile(req, index_box{{0, 0}, {3, 3}});
  std::uint64_t cell = 0;
  for (int n : {1, 3, 8})
    for (double delta : {0.1, 0.5, 0.8}) {
      CAPTURE(n); CAPTURE(delta);
      multi_game g = req.population;
      g.sp[0].count = n;
      const multi_spe_result cf = multi_spe_closed_form(g, delta);
      REQUIRE(cf.status == cell_status::ok);
      CHECK(rel_close(t.numbers[0][cell], cf.alpha0, 1e-13));
      CHECK(rel_close(t.numbers[1][cell], cf.u_g, 1e-13));
      CHECK(rel_close(t.numbers[3][cell], cf.total_performance, 1e-13));
      CHECK(t.numbers[2][cell] == n);
      ++cell;
    }

  // Two classes scaled along an axis; the second has a fixed cost too high to take part.
  sweep_request het = multi_request({{"scale_c1", {0.5, 2.0}}, {"delta", {0.5}}});
  het.population.classes = 2;
  het.population.sp[0].c = 1.0;
  het.population.sp[1].c = 3.0;
  het.population.sp[1].f = 5.0;
  het.population.sp[1].count = 4;
  het.alpha_i = het.u_i = het.regime = het.participants = true;
  const std::vector<field_info> fields = fields_of(het);
  const tile_result h = compute_tile(het, index_box{{0, 0}, {2, 1}});
  const std::size_t ai = index_of(fields, "alpha_i", false), ui = index_of(fields, "u_i", false),
                    pa = index_of(fields, "participants", false), re = index_of(fields, "regime", true);
  for (std::uint64_t c = 0; c < 2; ++c) {
    multi_game g = het.population;
    g.sp[0].c *= het.axes[0].values[c];
    g.sp[1].c *= het.axes[0].values[c];
    const multi_spe_result r = multi_spe(g, 0.5);
    for (std::size_t j = 0; j < 2; ++j) {
      CHECK(same_bits(h.numbers[ai][2 * c + j], r.sp[j].alpha));
      CHECK(same_bits(h.numbers[ui][2 * c + j], r.sp[j].u));
    }
    CHECK(h.labels[re][2 * c] == static_cast<std::uint8_t>(regime::contributor));
    CHECK(h.labels[re][2 * c + 1] == static_cast<std::uint8_t>(regime::abstainer));
    CHECK(h.numbers[pa][c] == 1.0);  // the four specialists of class 2 abstain
  }
}

TEST_CASE("multi per-delta: Table 2's prediction (table2) beside the exact regime, Figure 7's quadrants") {
  // One specialist, c = 1, k = 2, delta = 1/2, alpha0 = G's equilibrium. The exact regime comes
  // from the best response; Table 2 from the two conditions at alpha_i = alpha0.
  sweep_request req = multi_request({{"f", {0.0, 0.3}}, {"m", {0.0, 0.9}}, {"delta", {0.5}}});
  req.regime = req.table2 = true;
  req.alpha0 = true;
  const tile_result t = compute_tile(req, index_box{{0, 0, 0}, {2, 2, 1}});
  std::uint64_t cell = 0;
  for (double f : {0.0, 0.3})
    for (double m : {0.0, 0.9}) {
      CAPTURE(f); CAPTURE(m);
      specialist sp;
      sp.f = f;
      sp.m = m;
      const regime_analysis a = analyse_regime(sp, t.numbers[0][cell], 0.5);
      CHECK(t.labels[0][cell] == static_cast<std::uint8_t>(multi_spe(multi_game{1.0, 2.0, 0.0, 1, {sp}}, 0.5).sp[0].reg));
      CHECK(t.labels[1][cell] == static_cast<std::uint8_t>(a.predicted));
      ++cell;
    }
  // f = m = 0 is Table 2's T T quadrant: a contributor.
  CHECK(t.labels[1][0] == static_cast<std::uint8_t>(table2_prediction::contributor));
  CHECK(t.labels[0][0] == static_cast<std::uint8_t>(regime::contributor));
}

TEST_CASE("multi per-point, one specialist: the solutions are the two-player closed forms (Props "
          "3.2-3.6) and the Pareto interval is [powerful-D, powerful-G] (Theorem 2.1)") {
  sweep_request req = multi_request({{"c1", {0.5, 1.0, 2.0}}});
  req.multi_solutions.assign(all_multi_solutions.begin(), all_multi_solutions.end());
  req.pareto_set = true;
  const std::vector<field_info> fields = fields_of(req);
  const tile_result t = compute_tile(req, index_box{{0}, {3}});
  CHECK(t.cells_not_ok == 0);
  const std::size_t cap = multi_pareto_set::capacity;
  for (std::uint64_t c = 0; c < 3; ++c) {
    const double c1 = req.axes[0].values[c];
    CAPTURE(c1);
    const game_params g{1.0, c1, 2.0, 2.0, 0.0, 0.0};
    // The multi solver's documented accuracy: about 1e-8 in delta where the objective is smooth.
    constexpr double tol = 2e-7;
    const std::pair<const char*, solution> pairs[] = {
        {"powerful_g", solution::powerful_g},   {"max_performance", solution::max_performance},
        {"vertical_monopoly", solution::vertical_monopoly}, {"egalitarian", solution::egalitarian},
        {"nash", solution::nash},               {"kalai_smorodinsky", solution::kalai_smorodinsky}};
    for (const auto& [name, sol] : pairs) {
      CAPTURE(name);
      const bargain_result cf = bargain_closed_form(sol, g);
      REQUIRE(cf.status == cell_status::ok);
      CHECK(close(t.numbers[index_of(fields, std::string(name) + "_delta_star", false)][c], cf.delta, 0.0, tol));
      CHECK(close(t.numbers[index_of(fields, std::string(name) + "_u_g", false)][c], cf.u_g, 0.0, tol));
      CHECK(close(t.numbers[index_of(fields, std::string(name) + "_u_i", false)][c], cf.u_d, 0.0, tol));
    }
    const bargain_result pd = bargain_closed_form(solution::powerful_d, g);
    CHECK(close(t.numbers[index_of(fields, "powerful_d_delta_star", false)][c], pd.delta, 0.0, tol));
    const bargain_result pg = bargain_closed_form(solution::powerful_g, g);
    // The ends are the powerful solutions, to the solver's accuracy (at c0 = c1 both are flat
    // maxima: UG at delta = 1, UD at delta = 0).
    CHECK(t.numbers[index_of(fields, "pareto_count", false)][c] == 1.0);
    CHECK(close(t.numbers[index_of(fields, "pareto_lo", false)][c * cap], pd.delta, 0.0, tol));
    CHECK(close(t.numbers[index_of(fields, "pareto_hi", false)][c * cap], pg.delta, 0.0, tol));
    CHECK(t.labels[index_of(fields, "powerful_g_status", true)][c] == 0);
    CHECK(std::isnan(t.numbers[index_of(fields, "pareto_lo", false)][c * cap + 1]));  // no second interval
  }
}

TEST_CASE("two-player per-point Pareto set: pareto_count/lo/hi are the kernel's intervals, two of "
          "them at k < 2 (docs/model.md, Prop 3.1's counterexample)") {
  sweep_request req;
  req.axes = {{"k1", {1.2, 2.0}}};
  req.fixed = game_params{1.0, 1.0, 2.0, 2.0, 0.0, 0.0};
  req.pareto_set = true;
  CHECK(field_names(req) == std::vector<std::string>{"pareto_count", "pareto_lo", "pareto_hi", "pareto_status"});
  const tile_result t = compute_tile(req, index_box{{0}, {2}});
  const std::size_t cap = pareto_set::capacity;
  for (std::uint64_t c = 0; c < 2; ++c) {
    game_params g = req.fixed;
    g.k1 = req.axes[0].values[c];
    const pareto_set ps = solve_game(g, 0.5, is_quadratic(g) ? method::closed_form : method::numeric).pareto;
    CHECK(t.numbers[0][c] == ps.count);
    for (int i = 0; i < ps.count; ++i) {
      CHECK(same_bits(t.numbers[1][c * cap + static_cast<std::size_t>(i)], ps.intervals[static_cast<std::size_t>(i)].lo));
      CHECK(same_bits(t.numbers[2][c * cap + static_cast<std::size_t>(i)], ps.intervals[static_cast<std::size_t>(i)].hi));
    }
    CHECK(t.labels[0][c] == static_cast<std::uint8_t>(ps.status));
  }
}

TEST_CASE("multi sweeps: any split into tiles gives bit-identical cells, extra dims included") {
  sweep_request req = multi_request({{"n", {1.0, 2.0, 5.0}}, {"c1", {0.5, 2.0}}, {"delta", {0.0, 0.3, 0.6, 1.0}}});
  req.population.classes = 2;
  req.population.sp[1].c = 3.0;
  req.population.sp[1].f = 0.02;
  req.alpha0 = req.alpha_i = req.u_i = req.regime = req.pareto = true;
  const tile_result whole = compute_tile(req, index_box{{0, 0, 0}, {3, 2, 4}});
  for (std::uint64_t n = 0; n < 3; ++n) {
    const tile_result part = compute_tile(req, index_box{{n, 0, 0}, {n + 1, 2, 4}});
    for (std::size_t f = 0; f < whole.numbers.size(); ++f) {
      const std::size_t per = part.numbers[f].size();
      for (std::size_t i = 0; i < per; ++i) CHECK(same_bits(part.numbers[f][i], whole.numbers[f][n * per + i]));
    }
    for (std::size_t f = 0; f < whole.labels.size(); ++f) {
      const std::size_t per = part.labels[f].size();
      for (std::size_t i = 0; i < per; ++i) CHECK(part.labels[f][i] == whole.labels[f][n * per + i]);
    }
  }
}

TEST_CASE("a multi sweep file: [population] classes, fixed n and scales applied once, resolved text "
          "round trip") {
  const std::string text =
      "[sweep]\nname = t\nmodel = multi\nfields = u_g, u_i\n[grid]\nc0 = 2\nn = 3\nscale_c1 = 0.5\n"
      "f = linspace(0, 0.1, 3)\ndelta = 0, 0.5, 1\n[population]\nc1 = 1, 4\ncount = 1, 2\n";
  const sweep_spec s = parse_sweep_text(text, "t.ini");
  CHECK(s.model == sweep_model::multi);
  REQUIRE(s.population.classes == 2);
  CHECK(s.population.c0 == 2.0);
  CHECK(s.population.sp[0].c == 0.5);
  CHECK(s.population.sp[1].c == 2.0);
  CHECK(s.population.sp[0].count == 3);
  CHECK(s.population.sp[1].count == 6);
  REQUIRE(s.axes.size() == 2);
  CHECK(s.axes[0].name == "f");
  const sweep_spec again = parse_sweep_text(s.resolved_text, "t.ini");
  CHECK(again.resolved_text == s.resolved_text);
  CHECK(again.population.sp[1].count == 6);
  CHECK(again.population.sp[1].c == 2.0);
  // An n axis multiplies the counts per cell, not in the fixed population.
  const sweep_spec ax = parse_sweep_text(text, "t.ini", std::vector<std::string>{"grid.n=1, 2"});
  CHECK(ax.population.sp[1].count == 2);
}
