// tests/cli/test_solve_output.cpp: `ftg solve` output. The JSON has the documented fields
// (docs/cli.md) and its numbers are those of the kernel called directly; the table is aligned and
// its numbers are the kernel's to the printed precision; exit code 3 signals failure statuses.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "engine/cli.hpp"
#include "engine/report.hpp"
#include "engine/solve.hpp"
#include "kernels/bargaining.hpp"
#include "mini_json.hpp"
#include "output_checks.hpp"
#include "support/close.hpp"

namespace {

using ftg::test::json_reader;
using ftg::test::json_value;
using ftg::test::line_count;
using ftg::test::lines_of;
using ftg::test::run_ftg;

// The table prints "%.10g": 10 significant digits, half a unit in the last place.
constexpr double table_rel_tol = 1e-9;
constexpr double table_abs_tol = 1e-300;

const std::vector<std::string> solution_fields{"delta_star", "u_g",       "u_d", "alpha0",
                                               "alpha1",     "status",    "in_pareto", "tie",
                                               "degenerate", "iterations"};

// A JSON number equals a kernel double (shared with the n-specialist tests).
void check_number(const json_value& v, double expected, const char* what) {
  ftg::test::check_json_number(v, expected, what);
}

void check_game_solution_json(const json_value& j, const ftg::game_solution& expected) {
  CHECK(j.keys() == std::vector<std::string>{"solutions", "pareto"});
  const json_value& sols = j.at("solutions");
  REQUIRE(sols.obj.size() == ftg::all_solutions.size());
  for (std::size_t i = 0; i < ftg::all_solutions.size(); ++i) {
    const std::string name(ftg::to_string(ftg::all_solutions[i]));
    CAPTURE(name);
    CHECK(sols.obj[i].first == name);  // documented order
    const json_value& s = sols.at(name);
    CHECK(s.keys() == solution_fields);
    const ftg::bargain_result& r = expected.solutions[i];
    check_number(s.at("delta_star"), r.delta, "delta_star");
    check_number(s.at("u_g"), r.u_g, "u_g");
    check_number(s.at("u_d"), r.u_d, "u_d");
    check_number(s.at("alpha0"), r.alpha0, "alpha0");
    check_number(s.at("alpha1"), r.alpha1, "alpha1");
    CHECK(s.at("status").str == ftg::to_string(r.status));
    CHECK(s.at("in_pareto").type == json_value::kind::boolean);
    CHECK(s.at("in_pareto").b == r.in_pareto);
    CHECK(s.at("tie").b == r.tie);
    CHECK(s.at("degenerate").b == r.degenerate);
    CHECK(s.at("iterations").num == static_cast<double>(r.iterations));
  }
  const json_value& p = j.at("pareto");
  CHECK(p.keys() == std::vector<std::string>{"status", "unimodal", "intervals"});
  CHECK(p.at("status").str == ftg::to_string(expected.pareto.status));
  CHECK(p.at("unimodal").b == expected.pareto.unimodal);
  const json_value& ivs = p.at("intervals");
  REQUIRE(ivs.type == json_value::kind::array);
  const auto count = static_cast<std::size_t>(
      std::clamp(expected.pareto.count, 0, ftg::pareto_set::capacity));
  REQUIRE(ivs.arr.size() == count);
  for (std::size_t k = 0; k < count; ++k) {
    CHECK(ivs.arr[k].keys() == std::vector<std::string>{"lo", "hi"});
    check_number(ivs.arr[k].at("lo"), expected.pareto.intervals[k].lo, "pareto lo");
    check_number(ivs.arr[k].at("hi"), expected.pareto.intervals[k].hi, "pareto hi");
  }
}

int expected_code(int failures) { return failures == 0 ? ftg::exit_ok : ftg::exit_not_ok; }

int failures_of(const ftg::game_solution& s) {
  int n = ftg::is_failure(s.pareto.status) ? 1 : 0;
  for (const auto& r : s.solutions) n += ftg::is_failure(r.status) ? 1 : 0;
  return n;
}

json_value parse_output(const std::string& text) {
  json_value j;
  REQUIRE_NOTHROW(j = json_reader::parse(text));
  return j;
}

// Column start offsets of one table line: where a cell begins after the separator.
std::vector<std::size_t> column_starts(const std::string& line) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] != ' ' && (i == 0 || line[i - 1] == ' ')) starts.push_back(i);
  return starts;
}

// The table: from the header line (starting with "solution") to the next empty line.
std::vector<std::string> table_lines(const std::string& text) {
  std::vector<std::string> table;
  bool inside = false;
  for (const std::string& line : lines_of(text)) {
    if (!inside && line.rfind("solution", 0) == 0) inside = true;
    if (inside && line.empty()) break;
    if (inside) table.push_back(line);
  }
  return table;
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; in >> cell;) cells.push_back(cell);
  return cells;
}

void check_table_number(const std::string& cell, double expected) {
  CAPTURE(cell);
  CAPTURE(expected);
  if (std::isnan(expected)) {
    CHECK(cell.find("nan") != std::string::npos);
    return;
  }
  if (std::isinf(expected)) {
    CHECK(cell == (expected > 0 ? "inf" : "-inf"));
    return;
  }
  char* end = nullptr;
  const double x = std::strtod(cell.c_str(), &end);
  REQUIRE(end == cell.c_str() + cell.size());
  CHECK(ftg::test::close(x, expected, table_rel_tol, table_abs_tol));
}

void check_aligned(const std::vector<std::string>& table, std::size_t columns) {
  REQUIRE(table.size() >= 2);
  const auto header = column_starts(table.front());
  CHECK(header.size() == columns);
  for (const std::string& line : table) {
    CAPTURE(line);
    CHECK(column_starts(line) == header);
    CHECK(line.back() != ' ');  // no trailing blanks
  }
}

}  // namespace

TEST_CASE("solve --json (numeric, quadratic): documented keys, numbers equal the kernel's") {
  const ftg::game_params g{1.0, 2.0, 2.0, 2.0, 0.0, 0.0};
  const ftg::game_solution expected = ftg::solve_game(g, 0.5, ftg::method::numeric);

  const auto r = run_ftg({"solve", "--c0", "1", "--c1", "2", "--json"});
  CAPTURE(r.err);
  CHECK(r.code == expected_code(failures_of(expected)));
  CHECK(line_count(r.err) == (r.code == ftg::exit_ok ? 0u : 1u));

  const json_value j = parse_output(r.out);
  CHECK(j.keys() == std::vector<std::string>{"schema", "schema_version", "ftg_version", "params",
                                             "method", "results", "failures"});
  CHECK(j.at("schema").str == "ftg-solve");
  CHECK(j.at("schema_version").str == "1.0.0");
  CHECK(j.at("ftg_version").str == FTG_EXPECTED_VERSION);
  CHECK(j.at("method").str == "numeric");
  const json_value& p = j.at("params");
  CHECK(p.keys() == std::vector<std::string>{"c0", "c1", "k0", "k1", "d0", "d1", "beta"});
  check_number(p.at("c0"), 1.0, "c0");
  check_number(p.at("c1"), 2.0, "c1");
  check_number(p.at("k0"), 2.0, "k0");
  check_number(p.at("k1"), 2.0, "k1");
  check_number(p.at("d0"), 0.0, "d0");
  check_number(p.at("d1"), 0.0, "d1");
  check_number(p.at("beta"), 0.5, "beta");
  CHECK(j.at("results").keys() == std::vector<std::string>{"numeric"});
  check_game_solution_json(j.at("results").at("numeric"), expected);
  CHECK(j.at("failures").num == failures_of(expected));
}

TEST_CASE("solve --json with every option, non-quadratic costs") {
  const ftg::game_params g{0.7, 1.3, 3.0, 2.5, -0.01, 0.02};
  const double beta = 0.3;
  const ftg::game_solution expected = ftg::solve_game(g, beta, ftg::method::numeric);
  const auto r = run_ftg({"solve", "--c0", "0.7", "--c1", "1.3", "--k0", "3", "--k1", "2.5", "--d0",
                          "-0.01", "--d1", "0.02", "--beta", "0.3", "--method", "numeric", "--json"});
  CAPTURE(r.err);
  CHECK(r.code == expected_code(failures_of(expected)));
  const json_value j = parse_output(r.out);
  check_number(j.at("params").at("k1"), 2.5, "k1");
  check_number(j.at("params").at("d0"), -0.01, "d0");
  check_number(j.at("params").at("beta"), beta, "beta");
  check_game_solution_json(j.at("results").at("numeric"), expected);
}

TEST_CASE("solve --method both --json: both results and their differences") {
  const ftg::game_params g{1.0, 2.0, 2.0, 2.0, 0.0, 0.0};
  const ftg::game_solution cf = ftg::solve_game(g, 0.5, ftg::method::closed_form);
  const ftg::game_solution num = ftg::solve_game(g, 0.5, ftg::method::numeric);
  const ftg::solve_discrepancy d = ftg::compare(cf, num);

  const auto r = run_ftg({"solve", "--c0", "1", "--c1", "2", "--method", "both", "--json"});
  CAPTURE(r.err);
  CHECK(r.code == expected_code(failures_of(cf) + failures_of(num)));
  const json_value j = parse_output(r.out);
  CHECK(j.keys() == std::vector<std::string>{"schema", "schema_version", "ftg_version", "params",
                                             "method", "results", "max_abs_diff", "failures"});
  CHECK(j.at("method").str == "both");
  CHECK(j.at("results").keys() == std::vector<std::string>{"closed_form", "numeric"});
  check_game_solution_json(j.at("results").at("closed_form"), cf);
  check_game_solution_json(j.at("results").at("numeric"), num);

  const json_value& m = j.at("max_abs_diff");
  CHECK(m.keys() == std::vector<std::string>{"solutions", "pareto", "overall"});
  for (std::size_t i = 0; i < ftg::all_solutions.size(); ++i)
    check_number(m.at("solutions").at(ftg::to_string(ftg::all_solutions[i])), d.solutions[i],
                 "max_abs_diff");
  check_number(m.at("pareto"), d.pareto, "max_abs_diff.pareto");
  check_number(m.at("overall"), d.overall, "max_abs_diff.overall");
  CHECK(j.at("failures").num == failures_of(cf) + failures_of(num));
}

TEST_CASE("solve --method closed-form with k != 2: every result prints, exit 3, one line") {
  const auto r =
      run_ftg({"solve", "--c0", "1", "--c1", "2", "--k0", "3", "--method", "closed-form", "--json"});
  CHECK(r.code == ftg::exit_not_ok);
  CHECK(r.code == 3);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.rfind("ftg solve: ", 0) == 0);
  CHECK(r.err.find("failure status") != std::string::npos);
  const json_value j = parse_output(r.out);
  const json_value& sols = j.at("results").at("closed_form").at("solutions");
  REQUIRE(sols.obj.size() == ftg::all_solutions.size());
  for (const auto& [name, s] : sols.obj) {
    CAPTURE(name);
    CHECK(s.at("status").str == "no_closed_form");
    CHECK(s.at("delta_star").is_null());
  }
  CHECK(j.at("failures").num >= static_cast<double>(ftg::solution_count));

  const auto t = run_ftg({"solve", "--c0", "1", "--c1", "2", "--k0", "3", "--method", "closed-form"});
  CHECK(t.code == ftg::exit_not_ok);
  CHECK(line_count(t.err) == 1);
  const auto table = table_lines(t.out);
  CHECK(table.size() == 1 + ftg::all_solutions.size());
  for (std::size_t i = 1; i < table.size(); ++i)
    CHECK(table[i].find("no_closed_form") != std::string::npos);
}

TEST_CASE("solve with disagreement payoffs nobody reaches: disagreement is a result, not a failure") {
  const ftg::game_params g{1.0, 2.0, 2.0, 2.0, 10.0, 10.0};
  const ftg::game_solution expected = ftg::solve_game(g, 0.5, ftg::method::numeric);
  CHECK(expected[ftg::solution::nash].status == ftg::cell_status::disagreement);
  CHECK(expected.pareto.status == ftg::cell_status::disagreement);

  const auto r = run_ftg({"solve", "--c0", "1", "--c1", "2", "--d0", "10", "--d1", "10", "--json"});
  CAPTURE(r.err);
  CHECK(r.code == expected_code(failures_of(expected)));
  const json_value j = parse_output(r.out);
  check_game_solution_json(j.at("results").at("numeric"), expected);
  const json_value& nash = j.at("results").at("numeric").at("solutions").at("nash");
  CHECK(nash.at("status").str == "disagreement");
  CHECK(nash.at("delta_star").is_null());
  CHECK(j.at("results").at("numeric").at("pareto").at("intervals").arr.empty());

  const auto t = run_ftg({"solve", "--c0", "1", "--c1", "2", "--d0", "10", "--d1", "10"});
  CHECK(t.out.find("Pareto set (numeric): disagreement") != std::string::npos);
}

TEST_CASE("solve table: aligned columns, every solution, the kernel's numbers") {
  const ftg::game_params g{1.0, 2.0, 2.0, 2.0, 0.0, 0.0};
  const ftg::game_solution expected = ftg::solve_game(g, 0.5, ftg::method::numeric);
  const auto r = run_ftg({"solve", "--c0", "1", "--c1", "2"});
  CAPTURE(r.out);
  CHECK(r.code == expected_code(failures_of(expected)));

  const auto table = table_lines(r.out);
  REQUIRE(table.size() == 1 + ftg::all_solutions.size());
  CHECK(cells_of(table.front()) ==
        std::vector<std::string>{"solution", "delta*", "UG", "UD", "alpha0", "alpha1", "status",
                                 "in_pareto", "tie", "degenerate"});
  check_aligned(table, 10);
  for (std::size_t i = 0; i < ftg::all_solutions.size(); ++i) {
    const auto cells = cells_of(table[i + 1]);
    REQUIRE(cells.size() == 10);
    const ftg::bargain_result& b = expected.solutions[i];
    CHECK(cells[0] == ftg::to_string(ftg::all_solutions[i]));
    check_table_number(cells[1], b.delta);
    check_table_number(cells[2], b.u_g);
    check_table_number(cells[3], b.u_d);
    check_table_number(cells[4], b.alpha0);
    check_table_number(cells[5], b.alpha1);
    CHECK(cells[6] == ftg::to_string(b.status));
    CHECK(cells[7] == (b.in_pareto ? "yes" : "no"));
    CHECK(cells[8] == (b.tie ? "yes" : "no"));
    CHECK(cells[9] == (b.degenerate ? "yes" : "no"));
  }
  CHECK(r.out.find("Pareto set (numeric): " + ftg::format_pareto(expected.pareto)) !=
        std::string::npos);
}

TEST_CASE("solve table --method both: closed form and numeric side by side, aligned") {
  const auto r = run_ftg({"solve", "--c0", "1", "--c1", "2", "--method", "both"});
  CAPTURE(r.out);
  const auto table = table_lines(r.out);
  REQUIRE(table.size() == 1 + 2 * ftg::all_solutions.size());
  CHECK(cells_of(table.front()) ==
        std::vector<std::string>{"solution", "method", "delta*", "UG", "UD", "alpha0", "alpha1",
                                 "status", "in_pareto", "tie", "degenerate", "max_abs_diff"});
  check_aligned(table, 12);
  for (std::size_t i = 0; i < ftg::all_solutions.size(); ++i) {
    const auto a = cells_of(table[1 + 2 * i]);
    const auto b = cells_of(table[2 + 2 * i]);
    REQUIRE(a.size() == 12);
    REQUIRE(b.size() == 12);
    CHECK(a[0] == ftg::to_string(ftg::all_solutions[i]));
    CHECK(b[0] == a[0]);
    CHECK(a[1] == "closed-form");
    CHECK(b[1] == "numeric");
    CHECK(a[11] == "-");
  }
  CHECK(r.out.find("Pareto set (closed-form): ") != std::string::npos);
  CHECK(r.out.find("Pareto set (numeric): ") != std::string::npos);
  CHECK(r.out.find("max |closed-form - numeric|: ") != std::string::npos);
}

TEST_CASE("table alignment holds with long and negative numbers") {
  const auto r = run_ftg({"solve", "--c0", "1e-3", "--c1", "12345.678", "--k0", "2.000001",
                          "--d0", "-1e-7", "--d1", "-123.456"});
  CAPTURE(r.out);
  const auto table = table_lines(r.out);
  REQUIRE(table.size() == 1 + ftg::all_solutions.size());
  check_aligned(table, 10);
}
