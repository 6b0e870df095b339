// tests/cli/test_writers.cpp: the building blocks of the CLI output (json_writer, text_table,
// number formatting) and the closed-form/numeric difference rules of engine/solve.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/json_writer.hpp"
#include "engine/report.hpp"
#include "engine/solve.hpp"
#include "engine/text_table.hpp"
#include "mini_json.hpp"

namespace {
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double pinf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("json_number: shortest round trip, null for NaN and infinity") {
  CHECK(ftg::json_number(0.1) == "0.1");
  CHECK(ftg::json_number(2.0) == "2");
  CHECK(ftg::json_number(-0.5) == "-0.5");
  CHECK(ftg::json_number(qnan) == "null");
  CHECK(ftg::json_number(pinf) == "null");
  CHECK(ftg::json_number(-pinf) == "null");
  for (const double x : {1.0 / 3.0, 2.0 / 3.0, 1e-300, 1.7976931348623157e308, 5e-324, -1e21}) {
    CAPTURE(x);
    const auto v = ftg::test::json_reader::parse(ftg::json_number(x));
    CHECK(v.num == x);  // shortest form reads back bit-identically
  }
}

TEST_CASE("json_string escapes quotes, backslashes and control characters") {
  CHECK(ftg::json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(ftg::json_string("x\ny\t\x01") == "\"x\\ny\\t\\u0001\"");
  CHECK(ftg::test::json_reader::parse(ftg::json_string("q\"\\\n\x1f")).str == "q\"\\\n\x1f");
}

TEST_CASE("json_writer: nesting, inline containers, misuse throws") {
  std::ostringstream s;
  ftg::json_writer w(s);
  w.begin_object();
  w.key("a").number(1.5);
  w.key("b").begin_array(true).number(qnan).boolean(true).string("x").end_array();
  w.key("c").begin_object().key("d").null().key("e").integer(-7).end_object();
  w.key("f").begin_array().end_array();
  w.end_object();
  w.finish();
  const auto v = ftg::test::json_reader::parse(s.str());
  CHECK(v.at("a").num == 1.5);
  CHECK(v.at("b").arr.size() == 3);
  CHECK(v.at("b").arr[0].is_null());
  CHECK(v.at("c").at("e").num == -7.0);
  CHECK(v.at("f").arr.empty());
  CHECK(s.str().find("[null, true, \"x\"]") != std::string::npos);
  CHECK(s.str().back() == '\n');

  std::ostringstream t;
  ftg::json_writer bad(t);
  bad.begin_object();
  CHECK_THROWS_AS(bad.number(1.0), std::logic_error);  // no key
  CHECK_THROWS_AS(bad.end_array(), std::logic_error);
  CHECK_THROWS_AS(bad.finish(), std::logic_error);
}

TEST_CASE("text_table pads every column to the same start") {
  ftg::text_table t({"a", "bbbb", "c"});
  t.add_row({"xxxxx", "y", "zz"});
  t.add_row({"1", "22", "333"});
  std::ostringstream s;
  t.write(s);
  CHECK(s.str() == "a      bbbb  c\n"
                   "xxxxx  y     zz\n"
                   "1      22    333\n");
  CHECK_THROWS_AS(t.add_row({"too", "few"}), std::invalid_argument);
}

TEST_CASE("format_number and format_pareto") {
  CHECK(ftg::format_number(1.0 / 3.0) == "0.3333333333");
  CHECK(ftg::format_number(qnan) == "nan");
  CHECK(ftg::format_number(-pinf) == "-inf");
  ftg::pareto_set p;
  p.count = 2;
  p.intervals[0] = {0.25, 0.5};
  p.intervals[1] = {0.75, 0.75};
  CHECK(ftg::format_pareto(p) == "[0.25, 0.5], [0.75, 0.75]");
  p.count = 0;
  p.status = ftg::cell_status::disagreement;
  CHECK(ftg::format_pareto(p) == "disagreement");
  p.status = ftg::cell_status::no_bracket;
  CHECK(ftg::format_pareto(p) == "none (no_bracket)");
}

TEST_CASE("max_abs_diff: plain differences, NaN for failures, inf for mismatches") {
  ftg::bargain_result a{0.5, 0.1, 0.2, 0.3, 0.4, ftg::cell_status::ok};
  ftg::bargain_result b = a;
  b.u_d = 0.2 + 1e-9;
  CHECK(ftg::max_abs_diff(a, b) == std::abs(a.u_d - b.u_d));
  CHECK(ftg::max_abs_diff(a, a) == 0.0);

  ftg::bargain_result failed = a;
  failed.status = ftg::cell_status::max_iter;
  CHECK(std::isnan(ftg::max_abs_diff(a, failed)));

  ftg::bargain_result dis{qnan, 0.0, 0.0, qnan, qnan, ftg::cell_status::disagreement};
  CHECK(ftg::max_abs_diff(dis, dis) == 0.0);  // NaN on both sides is skipped
  CHECK(std::isinf(ftg::max_abs_diff(a, dis)));

  ftg::bargain_result half = a;
  half.alpha1 = qnan;
  CHECK(std::isinf(ftg::max_abs_diff(a, half)));

  ftg::pareto_set p;
  p.count = 1;
  p.intervals[0] = {0.25, 0.5};
  ftg::pareto_set q = p;
  q.intervals[0].hi = 0.5 + 1e-12;
  CHECK(ftg::max_abs_diff(p, q) == std::abs(p.intervals[0].hi - q.intervals[0].hi));
  q.count = 0;
  q.status = ftg::cell_status::disagreement;
  CHECK(std::isinf(ftg::max_abs_diff(p, q)));
  CHECK(ftg::max_abs_diff(q, q) == 0.0);
  q.status = ftg::cell_status::overflow;
  CHECK(std::isnan(ftg::max_abs_diff(p, q)));
}

TEST_CASE("compare: overall is the maximum, NaN when any item could not be compared") {
  ftg::game_solution a;
  for (auto& r : a.solutions) r = {0.5, 0.1, 0.2, 0.3, 0.4, ftg::cell_status::ok};
  a.pareto.count = 1;
  a.pareto.intervals[0] = {0.2, 0.6};
  ftg::game_solution b = a;
  b.solutions[3].delta = 0.5 + 1e-10;
  b.pareto.intervals[0].lo = 0.2 + 1e-11;
  const auto d = ftg::compare(a, b);
  CHECK(d.solutions[3] == std::abs(a.solutions[3].delta - b.solutions[3].delta));
  CHECK(d.solutions[0] == 0.0);
  CHECK(d.overall == d.solutions[3]);
  b.solutions[5].status = ftg::cell_status::no_bracket;
  CHECK(std::isnan(ftg::compare(a, b).overall));
}
