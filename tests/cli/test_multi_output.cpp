// tests/cli/test_multi_output.cpp: `ftg solve` for n specialists (docs/cli.md, "n specialists").
// The JSON has the documented fields (schema 1.1.0, mode "multi") and its numbers are those of
// kernels/multi_bargaining.hpp solve_multi() called directly; the table is aligned and carries the
// same numbers to the printed precision; one specialist through the multi path agrees with the
// two-player kernels; a game file gives the same game as the equivalent command line.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_runner.hpp"
#include "engine/cli.hpp"
#include "engine/multi_solve.hpp"
#include "engine/report.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/multi_bargaining.hpp"
#include "mini_json.hpp"
#include "output_checks.hpp"

namespace {

using ftg::test::cells_of;
using ftg::test::check_aligned;
using ftg::test::check_json_number;
using ftg::test::check_table_number;
using ftg::test::json_reader;
using ftg::test::json_value;
using ftg::test::run_ftg;
using ftg::test::table_starting_with;
using ftg::test::temp_file;

// The multi path's maximiser (grid + zoom) resolves a smooth maximum to about 1e-8 in delta.
constexpr double n1_delta_tol = 1e-7;

std::vector<std::string> solve_args(std::vector<std::string> extra) {
  std::vector<std::string> args{"solve"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Three classes that use every parameter: regimes contributor, free_rider and abstainer all occur.
const std::vector<std::string> rich_game{
    "--c0", "1.2", "--k0", "2.5", "--d0", "0.01", "--c", "1,2,0.5", "--k", "2,3,2",
    "--f", "0,0.02,0", "--m", "0,0.1,0", "--s", "1,1,1.5", "--b", "1,1,0.7",
    "--d", "0,0,0.01", "--count", "2,1,3", "--n", "6"};

ftg::multi_game rich_game_params() {
  ftg::multi_game g;
  g.c0 = 1.2;
  g.k0 = 2.5;
  g.d0 = 0.01;
  g.classes = 3;
  g.sp[0] = {1.0, 2.0, 0.0, 0.0, 1.0, 1.0, 0.0, 2};
  g.sp[1] = {2.0, 3.0, 0.02, 0.1, 1.0, 1.0, 0.0, 1};
  g.sp[2] = {0.5, 2.0, 0.0, 0.0, 1.5, 0.7, 0.01, 3};
  return g;
}

void check_same_game(const ftg::multi_game& a, const ftg::multi_game& b) {
  CHECK(a.c0 == b.c0);
  CHECK(a.k0 == b.k0);
  CHECK(a.d0 == b.d0);
  REQUIRE(a.classes == b.classes);
  for (int j = 0; j < a.classes; ++j) {
    CAPTURE(j);
    const ftg::specialist& x = a.sp[static_cast<std::size_t>(j)];
    const ftg::specialist& y = b.sp[static_cast<std::size_t>(j)];
    CHECK(x.c == y.c);
    CHECK(x.k == y.k);
    CHECK(x.f == y.f);
    CHECK(x.m == y.m);
    CHECK(x.s == y.s);
    CHECK(x.b == y.b);
    CHECK(x.d == y.d);
    CHECK(x.count == y.count);
  }
}

json_value parse_output(const std::string& text) {
  json_value j;
  REQUIRE_NOTHROW(j = json_reader::parse(text));
  return j;
}

// One solution object against the kernel's result (with disagreement payoffs for a disagreement).
void check_solution_json(const json_value& s, const ftg::multi_game& g, const ftg::multi_bargain_result& r) {
  CHECK(s.keys() == std::vector<std::string>{"delta_star", "u_g", "alpha0", "total_performance", "status",
                                             "in_pareto", "tie", "degenerate", "specialists"});
  const bool ok = r.status == ftg::cell_status::ok;
  const bool disagreement = r.status == ftg::cell_status::disagreement;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  check_json_number(s.at("delta_star"), ok ? r.delta : nan, "delta_star");
  check_json_number(s.at("u_g"), ok ? r.spe.u_g : (disagreement ? g.d0 : nan), "u_g");
  check_json_number(s.at("alpha0"), ok ? r.spe.alpha0 : nan, "alpha0");
  check_json_number(s.at("total_performance"), ok ? r.spe.total_performance : nan, "total_performance");
  CHECK(s.at("status").str == ftg::to_string(r.status));
  CHECK(s.at("in_pareto").type == json_value::kind::boolean);
  CHECK(s.at("in_pareto").b == r.in_pareto);
  CHECK(s.at("tie").b == r.tie);
  CHECK(s.at("degenerate").b == r.degenerate);
  const json_value& sp = s.at("specialists");
  REQUIRE(sp.type == json_value::kind::array);
  REQUIRE(sp.arr.size() == static_cast<std::size_t>(g.classes));
  for (int j = 0; j < g.classes; ++j) {
    CAPTURE(j);
    const json_value& p = sp.arr[static_cast<std::size_t>(j)];
    CHECK(p.keys() == std::vector<std::string>{"class", "count", "alpha", "u", "regime"});
    CHECK(p.at("class").num == j + 1);
    CHECK(p.at("count").num == g.sp[static_cast<std::size_t>(j)].count);
    const ftg::response& resp = r.spe.sp[static_cast<std::size_t>(j)];
    check_json_number(p.at("alpha"), ok ? resp.alpha : nan, "alpha");
    check_json_number(p.at("u"), ok ? resp.u : (disagreement ? g.sp[static_cast<std::size_t>(j)].d : nan), "u");
    if (ok) {
      CHECK(p.at("regime").str == ftg::to_string(resp.reg));
    } else {
      CHECK(p.at("regime").is_null());
    }
  }
}

void check_intervals_json(const json_value& ivs, const std::array<ftg::delta_interval, ftg::multi_pareto_set::capacity>& e,
                          int count) {
  REQUIRE(ivs.type == json_value::kind::array);
  REQUIRE(ivs.arr.size() == static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < ivs.arr.size(); ++k) {
    CHECK(ivs.arr[k].keys() == std::vector<std::string>{"lo", "hi"});
    check_json_number(ivs.arr[k].at("lo"), e[k].lo, "lo");
    check_json_number(ivs.arr[k].at("hi"), e[k].hi, "hi");
  }
}

int failures_of(const ftg::multi_solutions& m, int classes) {
  int n = ftg::is_failure(m.pareto.status) ? 1 : 0;
  for (const auto* r : {&m.powerful_g, &m.max_performance, &m.vertical_monopoly, &m.egalitarian, &m.nash,
                        &m.kalai_smorodinsky})
    n += ftg::is_failure(r->status) ? 1 : 0;
  for (int j = 0; j < classes; ++j) n += ftg::is_failure(m.powerful_d[static_cast<std::size_t>(j)].status) ? 1 : 0;
  return n;
}

// The whole multi JSON document against solve_multi(g).
void check_multi_json(const json_value& j, const ftg::multi_game& g, const ftg::multi_solutions& m) {
  CHECK(j.keys() == std::vector<std::string>{"schema", "schema_version", "ftg_version", "mode", "params",
                                             "method", "results", "failures"});
  CHECK(j.at("schema").str == "ftg-solve");
  CHECK(j.at("schema_version").str == "1.1.0");
  CHECK(j.at("ftg_version").str == FTG_EXPECTED_VERSION);
  CHECK(j.at("mode").str == "multi");
  CHECK(j.at("method").str == "numeric");

  const json_value& p = j.at("params");
  CHECK(p.keys() == std::vector<std::string>{"generalist", "n", "specialists"});
  CHECK(p.at("generalist").keys() == std::vector<std::string>{"c0", "k0", "d0"});
  check_json_number(p.at("generalist").at("c0"), g.c0, "c0");
  check_json_number(p.at("generalist").at("k0"), g.k0, "k0");
  check_json_number(p.at("generalist").at("d0"), g.d0, "d0");
  CHECK(p.at("n").num == g.n());
  const json_value& sps = p.at("specialists");
  REQUIRE(sps.arr.size() == static_cast<std::size_t>(g.classes));
  for (int c = 0; c < g.classes; ++c) {
    const json_value& s = sps.arr[static_cast<std::size_t>(c)];
    const ftg::specialist& e = g.sp[static_cast<std::size_t>(c)];
    CHECK(s.keys() == std::vector<std::string>{"class", "name", "count", "c", "k", "f", "m", "s", "b", "d"});
    CHECK(s.at("class").num == c + 1);
    CHECK(s.at("count").num == e.count);
    check_json_number(s.at("c"), e.c, "c");
    check_json_number(s.at("k"), e.k, "k");
    check_json_number(s.at("f"), e.f, "f");
    check_json_number(s.at("m"), e.m, "m");
    check_json_number(s.at("s"), e.s, "s");
    check_json_number(s.at("b"), e.b, "b");
    check_json_number(s.at("d"), e.d, "d");
  }

  CHECK(j.at("results").keys() == std::vector<std::string>{"numeric"});
  const json_value& num = j.at("results").at("numeric");
  CHECK(num.keys() == std::vector<std::string>{"solutions", "pareto"});
  const json_value& sols = num.at("solutions");
  CHECK(sols.keys() == std::vector<std::string>{"powerful_g", "powerful_d", "max_performance",
                                                "vertical_monopoly", "egalitarian", "nash",
                                                "kalai_smorodinsky"});
  check_solution_json(sols.at("powerful_g"), g, m.powerful_g);
  const json_value& pd = sols.at("powerful_d");
  REQUIRE(pd.type == json_value::kind::array);
  REQUIRE(pd.arr.size() == static_cast<std::size_t>(g.classes));
  for (int c = 0; c < g.classes; ++c) {
    CAPTURE(c);
    check_solution_json(pd.arr[static_cast<std::size_t>(c)], g, m.powerful_d[static_cast<std::size_t>(c)]);
  }
  check_solution_json(sols.at("max_performance"), g, m.max_performance);
  check_solution_json(sols.at("vertical_monopoly"), g, m.vertical_monopoly);
  check_solution_json(sols.at("egalitarian"), g, m.egalitarian);
  check_solution_json(sols.at("nash"), g, m.nash);
  check_solution_json(sols.at("kalai_smorodinsky"), g, m.kalai_smorodinsky);

  const json_value& pa = num.at("pareto");
  CHECK(pa.keys() == std::vector<std::string>{"status", "intervals", "theorem51_intervals", "differs"});
  CHECK(pa.at("status").str == ftg::to_string(m.pareto.status));
  check_intervals_json(pa.at("intervals"), m.pareto.intervals, m.pareto.count);
  check_intervals_json(pa.at("theorem51_intervals"), m.pareto.theorem51, m.pareto.theorem51_count);
  CHECK(pa.at("differs").type == json_value::kind::boolean);
  CHECK(pa.at("differs").b == m.pareto.differs);
  CHECK(j.at("failures").num == failures_of(m, g.classes));
}

}  // namespace

TEST_CASE("multi --json: every documented field, numbers equal solve_multi called directly") {
  const ftg::multi_game g = rich_game_params();
  const ftg::multi_solutions m = ftg::solve_multi(g);
  // The game is meant to show every regime; make sure it still does.
  bool seen[3] = {false, false, false};
  for (const ftg::multi_bargain_result* r : {&m.powerful_g, &m.max_performance, &m.nash})
    for (int j = 0; j < g.classes; ++j) seen[static_cast<int>(r->spe.sp[static_cast<std::size_t>(j)].reg)] = true;
  CHECK(seen[0]);
  CHECK(seen[1]);
  CHECK(seen[2]);

  std::vector<std::string> args = rich_game;
  args.push_back("--json");
  const auto r = run_ftg(solve_args(args));
  CAPTURE(r.err);
  CHECK(r.code == (failures_of(m, g.classes) == 0 ? ftg::exit_ok : ftg::exit_not_ok));
  check_multi_json(parse_output(r.out), g, m);
}

TEST_CASE("multi --json: disagreement solutions carry the disagreement payoffs, nulls elsewhere") {
  ftg::multi_game g;
  g.c0 = 1.0;
  g.d0 = 10.0;
  g.classes = 2;
  g.sp[0].c = 2.0;
  g.sp[0].d = 0.5;
  g.sp[1].c = 1.0;
  const ftg::multi_solutions m = ftg::solve_multi(g);
  REQUIRE(m.nash.status == ftg::cell_status::disagreement);
  REQUIRE(m.pareto.status == ftg::cell_status::disagreement);

  const auto r = run_ftg(solve_args({"--c0", "1", "--d0", "10", "--c", "2,1", "--d", "0.5,0", "--json"}));
  CAPTURE(r.err);
  CHECK(r.code == ftg::exit_ok);  // disagreement is an outcome, not a failure
  const json_value j = parse_output(r.out);
  check_multi_json(j, g, m);
  const json_value& nash = j.at("results").at("numeric").at("solutions").at("nash");
  CHECK(nash.at("delta_star").is_null());
  CHECK(nash.at("u_g").num == 10.0);
  CHECK(nash.at("specialists").arr[0].at("u").num == 0.5);
  CHECK(nash.at("specialists").arr[0].at("alpha").is_null());
  CHECK(nash.at("specialists").arr[0].at("regime").is_null());
  CHECK(j.at("results").at("numeric").at("pareto").at("intervals").arr.empty());

  const auto t = run_ftg(solve_args({"--c0", "1", "--d0", "10", "--c", "2,1", "--d", "0.5,0"}));
  CHECK(t.out.find("Pareto set (numeric): disagreement  status=disagreement\n") != std::string::npos);
}

TEST_CASE("multi table: the game, one G row and one row per class for every solution, aligned") {
  const ftg::multi_game g = rich_game_params();
  const ftg::multi_solutions m = ftg::solve_multi(g);
  const auto r = run_ftg(solve_args(rich_game));
  CAPTURE(r.out);
  CHECK(r.code == ftg::exit_ok);
  CHECK(r.err.empty());
  CHECK(r.out.rfind("game: n=6 specialists in 3 classes  c0=1.2 k0=2.5 d0=0.01  method: numeric\n", 0) == 0);

  const auto classes = table_starting_with(r.out, "class");
  REQUIRE(classes.size() == 4);
  CHECK(cells_of(classes[0]) ==
        std::vector<std::string>{"class", "name", "count", "c", "k", "f", "m", "s", "b", "d"});
  check_aligned(classes, 10);
  CHECK(cells_of(classes[3]) ==
        std::vector<std::string>{"D3", "-", "3", "0.5", "2", "0", "0", "1.5", "0.7", "0.01"});

  const auto table = table_starting_with(r.out, "solution");
  const std::vector<std::string> header{"solution", "player", "count", "delta*", "utility", "alpha",
                                        "total_performance", "regime", "status", "in_pareto", "tie",
                                        "degenerate"};
  REQUIRE(table.size() == 1 + (6 + 3) * 4);  // (powerful_g, 3 powerful_d, 5 others) x (G + 3)
  CHECK(cells_of(table.front()) == header);
  check_aligned(table, header.size());

  struct expected_block {
    std::string label;
    const ftg::multi_bargain_result* r;
  };
  const std::vector<expected_block> blocks{
      {"powerful_g", &m.powerful_g},           {"powerful_d(D1)", &m.powerful_d[0]},
      {"powerful_d(D2)", &m.powerful_d[1]},    {"powerful_d(D3)", &m.powerful_d[2]},
      {"max_performance", &m.max_performance}, {"vertical_monopoly", &m.vertical_monopoly},
      {"egalitarian", &m.egalitarian},         {"nash", &m.nash},
      {"kalai_smorodinsky", &m.kalai_smorodinsky}};
  std::size_t row = 1;
  for (const expected_block& b : blocks) {
    CAPTURE(b.label);
    const auto gc = cells_of(table[row++]);
    REQUIRE(gc.size() == header.size());
    CHECK(gc[0] == b.label);
    CHECK(gc[1] == "G");
    CHECK(gc[2] == "-");
    check_table_number(gc[3], b.r->delta);
    check_table_number(gc[4], b.r->spe.u_g);
    check_table_number(gc[5], b.r->spe.alpha0);
    check_table_number(gc[6], b.r->spe.total_performance);
    CHECK(gc[7] == "-");
    CHECK(gc[8] == ftg::to_string(b.r->status));
    CHECK(gc[9] == (b.r->in_pareto ? "yes" : "no"));
    CHECK(gc[10] == (b.r->tie ? "yes" : "no"));
    CHECK(gc[11] == (b.r->degenerate ? "yes" : "no"));
    for (int j = 0; j < g.classes; ++j) {
      const auto pc = cells_of(table[row++]);
      REQUIRE(pc.size() == header.size());
      const ftg::response& resp = b.r->spe.sp[static_cast<std::size_t>(j)];
      CHECK(pc[0] == b.label);
      CHECK(pc[1] == "D" + std::to_string(j + 1));
      CHECK(pc[2] == std::to_string(g.sp[static_cast<std::size_t>(j)].count));
      CHECK(pc[3] == "-");
      check_table_number(pc[4], resp.u);
      check_table_number(pc[5], resp.alpha);
      CHECK(pc[6] == "-");
      CHECK(pc[7] == ftg::to_string(resp.reg));
      for (std::size_t k = 8; k < header.size(); ++k) CHECK(pc[k] == "-");
    }
  }
  CHECK(r.out.find("\nPareto set (numeric): " + ftg::format_pareto(m.pareto, false) + "  status=" +
                   std::string(ftg::to_string(m.pareto.status)) + "\n") != std::string::npos);
  CHECK(r.out.find("\nTheorem 5.1 local rule: " + ftg::format_pareto(m.pareto, true) + "  differs=" +
                   (m.pareto.differs ? "yes" : "no") + "\n") != std::string::npos);
}

TEST_CASE("multi table alignment holds with long and negative numbers and named classes") {
  const temp_file f("[generalist]\nc0 = 1e-3\nd0 = -1e-7\n[specialist.a_very_long_class_name]\nc = 12345.678\n"
                    "d = -123.456\n[specialist.x]\nc = 2.000001\nk = 3\n");
  const auto r = run_ftg(solve_args({"--game", f.path()}));
  CAPTURE(r.out);
  CAPTURE(r.err);
  const auto classes = table_starting_with(r.out, "class");
  REQUIRE(classes.size() == 3);
  check_aligned(classes, 10);
  CHECK(cells_of(classes[1])[1] == "a_very_long_class_name");
  const auto table = table_starting_with(r.out, "solution");
  REQUIRE(table.size() == 1 + (6 + 2) * 3);
  check_aligned(table, 12);
}

TEST_CASE("n = 1 through the multi path (--n 1 --c C) equals the two-player solution") {
  struct two_player_case {
    std::vector<std::string> multi_args;
    ftg::game_params g;
  };
  const std::vector<two_player_case> cases{
      {{"--c0", "1", "--n", "1", "--c", "2"}, {1.0, 2.0, 2.0, 2.0, 0.0, 0.0}},
      {{"--c0", "0.7", "--k0", "3", "--n", "1", "--c", "1.3", "--k", "2.5"}, {0.7, 1.3, 3.0, 2.5, 0.0, 0.0}},
  };
  for (const two_player_case& c : cases) {
    const ftg::game_solution t = ftg::solve_game(c.g, 0.5, ftg::method::numeric);
    std::vector<std::string> args = c.multi_args;
    args.push_back("--json");
    const auto r = run_ftg(solve_args(args));
    CAPTURE(r.err);
    REQUIRE(r.code == ftg::exit_ok);
    const json_value j = parse_output(r.out);
    CHECK(j.at("mode").str == "multi");
    const json_value& sols = j.at("results").at("numeric").at("solutions");
    const std::vector<std::pair<const json_value*, ftg::solution>> pairs{
        {&sols.at("powerful_g"), ftg::solution::powerful_g},
        {&sols.at("powerful_d").arr.at(0), ftg::solution::powerful_d},
        {&sols.at("max_performance"), ftg::solution::max_performance},
        {&sols.at("vertical_monopoly"), ftg::solution::vertical_monopoly},
        {&sols.at("egalitarian"), ftg::solution::egalitarian},
        {&sols.at("nash"), ftg::solution::nash},
        {&sols.at("kalai_smorodinsky"), ftg::solution::kalai_smorodinsky}};
    for (const auto& [s, which] : pairs) {
      const ftg::bargain_result& b = t[which];
      CAPTURE(ftg::to_string(which));
      CAPTURE(b.delta);
      REQUIRE(b.status == ftg::cell_status::ok);
      CHECK(s->at("status").str == "ok");
      REQUIRE(s->at("delta_star").type == json_value::kind::number);
      CAPTURE(s->at("delta_star").num);
      CHECK(std::abs(s->at("delta_star").num - b.delta) <= n1_delta_tol);
      CHECK(s->at("in_pareto").b == b.in_pareto);
      // Utilities are flat at a maximum, so they agree far better than delta does.
      CHECK(std::abs(s->at("u_g").num - b.u_g) <= n1_delta_tol);
      CHECK(std::abs(s->at("specialists").arr.at(0).at("u").num - b.u_d) <= n1_delta_tol);
    }
    const json_value& ivs = j.at("results").at("numeric").at("pareto").at("intervals");
    REQUIRE(ivs.arr.size() == static_cast<std::size_t>(t.pareto.count));
    for (std::size_t k = 0; k < ivs.arr.size(); ++k) {
      CHECK(std::abs(ivs.arr[k].at("lo").num - t.pareto.intervals[k].lo) <= n1_delta_tol);
      CHECK(std::abs(ivs.arr[k].at("hi").num - t.pareto.intervals[k].hi) <= n1_delta_tol);
    }
  }
}

TEST_CASE("the same game three ways: --n N alone, --count N, and a game file") {
  ftg::multi_game expected;
  expected.c0 = 1.0;
  expected.sp[0].c = 2.0;
  expected.sp[0].count = 3;
  const std::vector<std::vector<std::string>> spellings{
      {"--c0", "1", "--n", "3", "--c", "2"},
      {"--c0", "1", "--c", "2", "--count", "3"},
      {"--c0", "1", "--c", "2", "--count", "3", "--n", "3"},
  };
  std::string first_json;
  for (const auto& s : spellings) {
    std::vector<std::string_view> views(s.begin(), s.end());
    const ftg::solve_invocation inv = ftg::parse_solve_command_line(views);
    CHECK(inv.mode == ftg::solve_mode::multi);
    check_same_game(inv.multi.game, expected);
    std::vector<std::string> args = s;
    args.push_back("--json");
    const auto r = run_ftg(solve_args(args));
    if (first_json.empty()) first_json = r.out;
    CHECK(r.out == first_json);  // the same game gives byte-identical output
  }
  const temp_file f("[generalist]\nc0 = 1\n[specialist]\nc = 2\ncount = 3\n");
  const auto r = run_ftg(solve_args({"--game", f.path(), "--json"}));
  CHECK(r.out == first_json);
}

TEST_CASE("game file round trip: every key, comments, names; equals the command line; options override") {
  const temp_file f(
      "# the rich game of this file's first test\n"
      "[generalist]\n"
      "c0 = 1.2\n"
      "k0 = 2.5   # G's cost exponent\n"
      "d0 = 0.01\n"
      "\n"
      "[specialist.first]\n"
      "c = 1\n"
      "count = 2\n"
      "; the defaults k = 2, f = m = 0, s = b = 1, d = 0 apply\n"
      "[specialist]\n"
      "c=2\n"
      "k=3\n"
      "f=0.02\n"
      "m=0.1\n"
      "\t[ specialist.third ]\t\n"
      "  c = 0.5\n"
      "  s = 1.5\n"
      "  b = 0.7\n"
      "  d = 0.01\n"
      "  count = +3\n");
  const std::vector<std::string> file_args{"--game", f.path()};
  const auto inv = ftg::parse_solve_command_line(std::vector<std::string_view>(file_args.begin(), file_args.end()));
  REQUIRE(inv.mode == ftg::solve_mode::multi);
  check_same_game(inv.multi.game, rich_game_params());
  CHECK(inv.multi.names == std::vector<std::string>{"first", "", "third"});

  // The file and the command line give the same numbers (names aside).
  const auto from_file = run_ftg(solve_args({"--game", f.path(), "--json"}));
  std::vector<std::string> cli = rich_game;
  cli.push_back("--json");
  const auto from_cli = run_ftg(solve_args(cli));
  CHECK(from_file.code == from_cli.code);
  const json_value a = parse_output(from_file.out);
  const json_value b = parse_output(from_cli.out);
  CHECK(a.at("params").at("specialists").arr[0].at("name").str == "first");
  CHECK(a.at("params").at("specialists").arr[1].at("name").is_null());
  CHECK(b.at("params").at("specialists").arr[0].at("name").is_null());
  const json_value& na = a.at("results").at("numeric");
  const json_value& nb = b.at("results").at("numeric");
  CHECK(na.at("solutions").at("nash").at("delta_star").num == nb.at("solutions").at("nash").at("delta_star").num);
  CHECK(na.at("pareto").at("intervals").arr.size() == nb.at("pareto").at("intervals").arr.size());

  // Command-line values override the file's: one value for every class, or one per class.
  const std::vector<std::string> over{"--game", f.path(), "--c0", "2", "--f", "0.5", "--count", "1,1,1",
                                      "--d", "0,0.25,0"};
  const auto o = ftg::parse_solve_command_line(std::vector<std::string_view>(over.begin(), over.end()));
  ftg::multi_game e = rich_game_params();
  e.c0 = 2.0;
  for (int j = 0; j < 3; ++j) {
    e.sp[static_cast<std::size_t>(j)].f = 0.5;
    e.sp[static_cast<std::size_t>(j)].count = 1;
  }
  e.sp[0].d = 0.0;
  e.sp[1].d = 0.25;
  e.sp[2].d = 0.0;
  check_same_game(o.multi.game, e);
}

TEST_CASE("a single list value applies to every class; --n defaults from the counts") {
  const std::vector<std::string> args{"--c0", "1", "--c", "1,2,4", "--f", "0.1", "--count", "2", "--b", "0.5,1,1"};
  const auto inv = ftg::parse_solve_command_line(std::vector<std::string_view>(args.begin(), args.end()));
  REQUIRE(inv.mode == ftg::solve_mode::multi);
  const ftg::multi_game& g = inv.multi.game;
  REQUIRE(g.classes == 3);
  CHECK(g.n() == 6);
  const double c[] = {1.0, 2.0, 4.0};
  const double b[] = {0.5, 1.0, 1.0};
  for (int j = 0; j < 3; ++j) {
    CHECK(g.sp[static_cast<std::size_t>(j)].c == c[j]);
    CHECK(g.sp[static_cast<std::size_t>(j)].f == 0.1);
    CHECK(g.sp[static_cast<std::size_t>(j)].count == 2);
    CHECK(g.sp[static_cast<std::size_t>(j)].b == b[j]);
    CHECK(g.sp[static_cast<std::size_t>(j)].k == 2.0);  // the kernel's defaults
    CHECK(g.sp[static_cast<std::size_t>(j)].s == 1.0);
    CHECK(g.sp[static_cast<std::size_t>(j)].m == 0.0);
    CHECK(g.sp[static_cast<std::size_t>(j)].d == 0.0);
  }
  CHECK(g.k0 == 2.0);
  CHECK(g.d0 == 0.0);
}

TEST_CASE("the two-player path is unchanged: schema 1.0.0 and no mode field without the new options") {
  const auto r = run_ftg(solve_args({"--c0", "1", "--c1", "2", "--json"}));
  const json_value j = parse_output(r.out);
  CHECK(j.at("schema_version").str == "1.0.0");
  CHECK_FALSE(j.has("mode"));
  const auto inv = ftg::parse_solve_command_line(std::vector<std::string_view>{"--c0", "1", "--c1", "2"});
  CHECK(inv.mode == ftg::solve_mode::two_player);
}
