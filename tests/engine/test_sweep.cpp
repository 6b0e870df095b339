// Sweep files (engine/sweep.hpp, docs/sweeps.md): every example parses, axis expressions, every
// rule's one-line message naming FILE:LINE: KEY, command-line overrides, the resolved text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/plan.hpp"
#include "engine/sweep.hpp"
#include "engine/tile_compute.hpp"
#include "support/close.hpp"

namespace {

using ftg::test::rel_close;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("FTG_SOURCE_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::current_path();
}

// A minimal valid per-delta sweep; `extra_grid` goes at the end of [grid].
std::string base(const std::string& extra_grid = "") {
  return "[sweep]\n"                      // 1
         "name = t\n"                     // 2
         "fields = u_g, u_d\n"            // 3
         "[grid]\n"                       // 4
         "c0 = 1\n"                       // 5
         "c1 = logspace(-1, 1, 3)\n"      // 6
         "delta = linspace(0, 1, 5)\n"    // 7
         + extra_grid;                    // 8...
}

// The usage_error message of parsing `text` as "t.ini", or "" if it parses.
std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    (void)ftg::parse_sweep_text(text, "t.ini", overrides);
  } catch (const ftg::usage_error& e) {
    return e.what();
  }
  return "";
}

std::vector<double> axis(const std::string& expr) {
  std::vector<double> v;
  std::string canonical;
  bool is_axis = false;
  const std::string rule = ftg::parse_axis_expression(expr, v, canonical, is_axis);
  REQUIRE_MESSAGE(rule.empty(), rule);
  return v;
}

}  // namespace

TEST_CASE("every example sweep in sweeps/ parses, plans, and its resolved text parses back to the same spec") {
  const std::filesystem::path dir = source_dir() / "sweeps";
  REQUIRE(std::filesystem::is_directory(dir));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".ini") continue;
    ++files;
    const std::string path = entry.path().string();
    CAPTURE(path);
    const ftg::sweep_spec spec = ftg::parse_sweep(path);
    CHECK(spec.name == entry.path().stem().string());  // the name is the file's stem
    CHECK(spec.cells() >= 1);
    const ftg::plan p = ftg::make_plan(spec);
    CHECK(p.cells == spec.cells());
    CHECK(p.tile_count >= 1);
    CHECK(!ftg::describe_plan(p, spec, 8).empty());
    // Round trip: the resolved text is a sweep file that gives the same spec.
    const ftg::sweep_spec again = ftg::parse_sweep_text(spec.resolved_text, path);
    CHECK(again.resolved_text == spec.resolved_text);
    REQUIRE(again.axes.size() == spec.axes.size());
    CHECK(again.axis_exprs == spec.axis_exprs);
    for (std::size_t i = 0; i < spec.axes.size(); ++i) {
      CHECK(again.axes[i].name == spec.axes[i].name);
      CHECK(again.axes[i].values == spec.axes[i].values);  // bit for bit
    }
    // A strided subsample runs: the first and last tiles, cut to two outer rows, through
    // engine/tile_compute.hpp, with every cell ok.
    const ftg::sweep_request req = ftg::to_request(spec);
    for (const std::uint64_t t : {std::uint64_t{0}, p.tile_count - 1}) {
      ftg::index_box box = ftg::to_box(ftg::tile_at(p, t));
      for (std::size_t i = 0; i + 1 < box.lo.size(); ++i) box.hi[i] = std::min(box.hi[i], box.lo[i] + 2);
      if (!spec.has_delta_axis()) box.hi.back() = std::min(box.hi.back(), box.lo.back() + 16);
      const ftg::tile_result r = ftg::compute_tile(req, box);
      CHECK(r.cells_not_ok == 0);
      CHECK(r.numbers.size() + r.labels.size() == ftg::field_names(req).size());
      for (const auto& v : r.numbers) CHECK(v.size() % box.cells() == 0);  // times an extra dim's extent
    }
  }
  CHECK(files >= 3);
}

TEST_CASE("the example sweeps have the shapes their header comments state") {
  const std::filesystem::path dir = source_dir() / "sweeps";
  const ftg::sweep_spec f3 = ftg::parse_sweep((dir / "fig03_utilities.ini").string());
  CHECK(f3.kind == ftg::sweep_kind::per_delta);
  CHECK(f3.cells() == 80601);
  REQUIRE(f3.axes.size() == 2);
  CHECK(f3.axes[0].name == "c1");
  CHECK(f3.axes[1].name == "delta");
  CHECK(f3.axes[0].values.front() == 0.1);
  CHECK(f3.axes[0].values.back() == 10.0);
  const ftg::sweep_spec f5 = ftg::parse_sweep((dir / "fig05_bargaining.ini").string());
  CHECK(f5.kind == ftg::sweep_kind::per_point);
  CHECK(f5.solutions.size() == static_cast<std::size_t>(ftg::solution_count));
  CHECK(!f5.has_delta_axis());
  CHECK(f5.cells() == 401);
}

TEST_CASE("axis expressions: linspace, logspace and lists include both ends exactly") {
  const std::vector<double> l = axis("linspace(0, 1, 5)");
  REQUIRE(l.size() == 5);
  CHECK(l == std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0});
  const std::vector<double> g = axis("logspace(-1, 1, 3)");
  REQUIRE(g.size() == 3);
  CHECK(rel_close(g[0], 0.1, 1e-15));
  CHECK(rel_close(g[1], 1.0, 1e-15));
  CHECK(rel_close(g[2], 10.0, 1e-15));
  CHECK(g[0] == 0.1);  // 10^-1 computed as 1/10: correctly rounded
  // Ends are exact for awkward steps too.
  const std::vector<double> odd = axis("linspace(0.1, 0.7, 7)");
  CHECK(odd.front() == 0.1);
  CHECK(odd.back() == 0.7);
  for (std::size_t i = 0; i < odd.size(); ++i) CHECK(rel_close(odd[i], 0.1 * static_cast<double>(i + 1), 1e-15));
  const std::vector<double> big = axis("logspace(-2, 2, 401)");
  CHECK(big.front() == 0.01);
  CHECK(big.back() == 100.0);
  CHECK(big[200] == 1.0);
  CHECK(rel_close(big[100], 0.1, 1e-15));
  // Decreasing ranges and lists.
  CHECK(axis("linspace(1, 0, 3)") == std::vector<double>{1.0, 0.5, 0.0});
  CHECK(axis("1, 2, 4") == std::vector<double>{1.0, 2.0, 4.0});
  CHECK(axis(" 4 ,2,1 ") == std::vector<double>{4.0, 2.0, 1.0});
  CHECK(axis("linspace(2, 2, 1)") == std::vector<double>{2.0});
  CHECK(axis("logspace(0.5, 0.5, 1)").size() == 1);
  // A number is a fixed value, a list or function an axis.
  std::vector<double> v;
  std::string canonical;
  bool is_axis = true;
  CHECK(ftg::parse_axis_expression("2", v, canonical, is_axis).empty());
  CHECK(!is_axis);
  CHECK(ftg::parse_axis_expression("1e0, 2.50", v, canonical, is_axis).empty());
  CHECK(is_axis);
  CHECK(canonical == "1, 2.5");
  CHECK(ftg::parse_axis_expression("logspace( -1 ,1, 401 )", v, canonical, is_axis).empty());
  CHECK(canonical == "logspace(-1, 1, 401)");
}

TEST_CASE("a long logspace (computed in parallel blocks from 4096 values) equals exp10 of the "
          "symmetric grid value by value, bit for bit, ends exact") {
  // The rule of parse_axis_expression: x_i = a + i step from the start, b - (n-1-i) step from the
  // end, both ends exactly a and b; each value 10^x_i, exact for integer x_i in [-22, 22] (1/10^|x|
  // correctly rounded) and std::pow(10, x_i) otherwise, whichever thread computes it.
  auto ten_to = [](double x) {
    if (x == std::trunc(x) && std::abs(x) <= 22.0) {
      double p = 1.0;
      for (int i = 0; i < static_cast<int>(std::abs(x)); ++i) p *= 10.0;
      return x < 0.0 ? 1.0 / p : p;
    }
    return std::pow(10.0, x);
  };
  for (const std::size_t n : {std::size_t{4095}, std::size_t{4096}, std::size_t{20000}, std::size_t{200001}}) {
    const std::vector<double> v = axis("logspace(-2, 2, " + std::to_string(n) + ")");
    REQUIRE(v.size() == n);
    const double a = -2.0, b = 2.0, step = (b - a) / static_cast<double>(n - 1);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t back = n - 1 - i;
      const double x = i == 0 ? a : back == 0 ? b : i <= back ? a + static_cast<double>(i) * step
                                                              : b - static_cast<double>(back) * step;
      differ += v[i] != ten_to(x);
    }
    CHECK(differ == 0);
    CHECK(v.front() == 0.01);
    CHECK(v.back() == 100.0);
  }
}

TEST_CASE("a sweep file: axes in file order with delta innermost, fixed values, defaults") {
  const std::string text =
      "[sweep]\nname = t\nsolutions = nash, egalitarian\n"
      "[grid]\nk1 = 1.5, 2, 3\nc0 = 1\nc1 = linspace(1, 2, 3)\nbeta = 0.3\n";
  const ftg::sweep_spec s = ftg::parse_sweep_text(text, "t.ini");
  REQUIRE(s.axes.size() == 2);
  CHECK(s.axes[0].name == "k1");
  CHECK(s.axes[1].name == "c1");
  CHECK(s.kind == ftg::sweep_kind::per_point);
  CHECK(s.solutions == std::vector<ftg::solution>{ftg::solution::nash, ftg::solution::egalitarian});
  CHECK(s.fixed.game.c0 == 1.0);
  CHECK(s.fixed.game.k0 == 2.0);  // default
  CHECK(s.fixed.game.d0 == 0.0);
  CHECK(s.fixed.beta == 0.3);
  CHECK(s.tile_cells == 65536);
  CHECK(s.precision == ftg::value_precision::f64);
  CHECK(s.compression == ftg::sweep_compression::none);
  CHECK(s.solver == ftg::solve_choice::automatic);
  const std::uint64_t idx[] = {2, 1};
  const ftg::sweep_point pt = ftg::point_at(s, idx);
  CHECK(pt.game.k1 == 3.0);
  CHECK(pt.game.c1 == 1.5);
  CHECK(pt.beta == 0.3);
  // delta written first in the file is still innermost.
  const ftg::sweep_spec d = ftg::parse_sweep_text(
      "[sweep]\nname = t\nfields = alpha1\n[grid]\ndelta = 0, 0.5, 1\nc0 = 1, 2\nc1 = 3\n", "t.ini");
  REQUIRE(d.axes.size() == 2);
  CHECK(d.axes[0].name == "c0");
  CHECK(d.axes[1].name == "delta");
  // A single delta value is a one-element delta axis.
  const ftg::sweep_spec one = ftg::parse_sweep_text(
      "[sweep]\nname = t\nfields = alpha1\n[grid]\ndelta = 0.5\nc0 = 1, 2\nc1 = 3\n", "t.ini");
  REQUIRE(one.axes.size() == 2);
  CHECK(one.axes[1].values == std::vector<double>{0.5});
}

TEST_CASE("CRLF line ends, a byte order mark, tabs, comments and spaces in section headers are accepted") {
  const std::string text =
      "\xEF\xBB\xBF# comment\r\n[ sweep ]\r\n\tname\t=\tt   # trailing comment\r\nfields = u_g\r\n"
      "[grid]\r\nc0 = 1\r\nc1 = 1, 2\r\ndelta = 0, 1\r\n";
  const ftg::sweep_spec s = ftg::parse_sweep_text(text, "t.ini");
  CHECK(s.name == "t");
  REQUIRE(s.axes.size() == 2);
  CHECK(s.axes[0].values == std::vector<double>{1.0, 2.0});
  // Line numbers count the CRLF lines.
  CHECK(error_of("[sweep]\r\nname = t\r\nfoo = 1\r\n") ==
        "ftg run: t.ini:3: sweep.foo: unknown key in [sweep] (known keys: name, model, fields, solutions, method, "
        "precision, compression)");
}

TEST_CASE("command-line overrides win over the file, may add axes, and are checked") {
  const std::vector<std::string> o{"grid.c1=linspace(1,2,3)", "--sweep.precision=f32", "run.tile_cells=7",
                                   "grid.k0=1.5, 2"};
  const ftg::sweep_spec s = ftg::parse_sweep_text(base(), "t.ini", o);
  REQUIRE(s.axes.size() == 3);
  CHECK(s.axes[0].name == "c1");
  CHECK(s.axes[0].values == std::vector<double>{1.0, 1.5, 2.0});
  CHECK(s.axes[1].name == "k0");  // not in the file: after the file's keys
  CHECK(s.axes[2].name == "delta");
  CHECK(s.precision == ftg::value_precision::f32);
  CHECK(s.tile_cells == 7);
  CHECK(s.resolved_text.find("c1 = linspace(1, 2, 3)\n") != std::string::npos);
  CHECK(s.resolved_text.find("precision = f32\n") != std::string::npos);
  // Override errors name the command line.
  CHECK(error_of(base(), {"grid.c9=1"}) ==
        "ftg run: command line: grid.c9: unknown key in [grid] (known keys: c0, c1, k0, k1, d0, d1, beta, f, m, s, b, n, scale_c1, scale_f, scale_m, scale_s, delta)");
  CHECK(error_of(base(), {"grid.c1=-1, 2"}) == "ftg run: command line: grid.c1: values must be > 0 (got -1)");
  CHECK(error_of(base(), {"grid.c1"}) ==
        "ftg run: command line: override 'grid.c1' is not 'key=value' (e.g. grid.c1=linspace(1,2,3))");
  CHECK(error_of(base(), {"grid.c1=1", "grid.c1=2"}) == "ftg run: command line: grid.c1: override given more than once");
  CHECK(error_of(base(), {"foo=1"}) ==
        "ftg run: command line: foo: unknown key (keys are sweep.*, grid.*, population.* or run.*, e.g. grid.c1)");
}

TEST_CASE("the resolved text has every key with defaults filled in") {
  const ftg::sweep_spec s = ftg::parse_sweep_text(base(), "t.ini");
  const std::string expected =
      "# resolved sweep (ftg): every key with its value; axes in order, delta innermost\n"
      "[sweep]\nname = t\nmodel = two_player\nfields = u_g, u_d\nsolutions = \nmethod = auto\n"
      "precision = f64\ncompression = none\n"
      "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 3)\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\nbeta = 0.5\n"
      "delta = linspace(0, 1, 5)\n"
      "[run]\ntile_cells = 65536\n";
  CHECK(s.resolved_text == expected);
}

TEST_CASE("every bad input is one line naming FILE:LINE: KEY and the rule") {
  struct row {
    std::string text;
    std::string message;
  };
  const std::string sweep_head = "[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 1\nc1 = 2\n";  // lines 1-6
  const std::vector<row> rows{
      {base("c2 = 1\n"), "ftg run: t.ini:8: grid.c2: unknown key in [grid] (known keys: c0, c1, k0, k1, d0, d1, beta, f, m, s, b, n, scale_c1, scale_f, scale_m, scale_s, delta)"},
      {base("[output]\n"), "ftg run: t.ini:8: unknown section [output] (expected [sweep], [grid], [population] or [run])"},
      {base("c1 = 3\n"), "ftg run: t.ini:8: grid.c1: key given more than once (first on line 6)"},
      {base("k0 2\n"), "ftg run: t.ini:8: expected 'key = value', [section] or a comment (got 'k0 2')"},
      {"name = t\n", "ftg run: t.ini:1: name: key is outside a section (put it under [sweep], [grid], [population] or [run])"},
      {base("k0 = two\n"),
       "ftg run: t.ini:8: grid.k0: must be a number (got 'two') (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))"},
      {base("k0 = range(1, 2, 3)\n"),
       "ftg run: t.ini:8: grid.k0: malformed axis expression 'range(1, 2, 3)' (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))"},
      {base("k0 = linspace(2, 3)\n"), "ftg run: t.ini:8: grid.k0: linspace takes 3 arguments (a, b, n), got 2 in 'linspace(2, 3)'"},
      {base("k0 = linspace(2, 3, 0)\n"), "ftg run: t.ini:8: grid.k0: linspace count n must be an integer >= 1 (got '0')"},
      {base("k0 = linspace(2, 3, 2.5)\n"), "ftg run: t.ini:8: grid.k0: linspace count n must be an integer >= 1 (got '2.5')"},
      {base("k0 = linspace(2, 3, 1000000001)\n"),
       "ftg run: t.ini:8: grid.k0: linspace count n must be <= 1000000000 (got 1000000001)"},
      {base("k0 = linspace(2, 3, 1)\n"), "ftg run: t.ini:8: grid.k0: linspace(a, b, 1) needs a == b (got 'linspace(2, 3, 1)')"},
      {base("k0 =\n"),
       "ftg run: t.ini:8: grid.k0: is empty (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))"},
      {base("k0 = 2, , 3\n"), "ftg run: t.ini:8: grid.k0: empty entry in the list '2, , 3'"},
      {base("k0 = 3, 2, 4\n"),
       "ftg run: t.ini:8: grid.k0: list values must be strictly increasing or strictly decreasing (got '3, 2, 4')"},
      {base("k0 = inf\n"),
       "ftg run: t.ini:8: grid.k0: must be finite (got inf) (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))"},
      {base("k0 = 2, nan\n"), "ftg run: t.ini:8: grid.k0: list entry must be finite (got nan)"},
      {base("k0 = logspace(1, 400, 3)\n"), "ftg run: t.ini:8: grid.k0: values must be finite ('logspace(1, 400, 3)' gives inf)"},
      {base("k0 = 1\n"), "ftg run: t.ini:8: grid.k0: values must be > 1 (got 1)"},
      {base("k1 = linspace(0.5, 3, 6)\n"), "ftg run: t.ini:8: grid.k1: values must be > 1 (got 0.5)"},
      {base("d0 = 1e400\n"),
       "ftg run: t.ini:8: grid.d0: is out of the range of a double (got 1e400) (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))"},
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 0, 1\nc1 = 2\ndelta = 0\n",
       "ftg run: t.ini:5: grid.c0: values must be > 0 (got 0)"},
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 1\nc1 = logspace(-1, 1, 3)\ndelta = linspace(0, 1.5, 4)\n",
       "ftg run: t.ini:7: grid.delta: values must be in [0, 1] (got 1.5)"},
      {base("beta = 1\n"), "ftg run: t.ini:8: grid.beta: values must be in (0, 1) (got 1)"},
      {base("beta = 0, 0.5\n"), "ftg run: t.ini:8: grid.beta: values must be in (0, 1) (got 0)"},
      {"[sweep]\nfields = u_g\n[grid]\nc0 = 1\nc1 = 1, 2\ndelta = 0\n", "ftg run: t.ini: sweep.name: key is required"},
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 1, 2\ndelta = 0\n", "ftg run: t.ini: grid.c1: key is required"},
      {"[sweep]\nname = a b\n", "ftg run: t.ini:2: sweep.name: must use letters, digits, '_', '-' or '.' only (got 'a b')"},
      {base("[sweep]\n"), ""},  // a repeated section is fine: keys stay unique
      {"[sweep]\nname = t\nmodel = many\n", "ftg run: t.ini:3: sweep.model: must be two_player or multi (got 'many')"},
      // The multi model (kernels/multi.hpp): its own parameters, fields, solutions and [population].
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\n", ""},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nbeta = 0.3\n", "ftg run: t.ini:8: grid.beta: not a parameter of model multi (its parameters: c0, k0, d0, c1, k1, f, m, s, b, d1, n, scale_c1, scale_f, scale_m, scale_s, delta)"},
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 1\nc1 = 1\nf = 0, 1\ndelta = 0\n",
       "ftg run: t.ini:7: grid.f: not a parameter of model two_player (its parameters: c0, c1, k0, k1, d0, d1, beta, delta)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\n[population]\nc1 = 1, 2\ncount = 1, 2, 3\n", "ftg run: t.ini:10: population.count: has 3 values but population.c1 has 2 (give one value per class, or one for all)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\n[population]\nc1 = 1, 0\n", "ftg run: t.ini:9: population.c1: values must be > 0 (got 0)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\n[population]\nb = 1.5\n", "ftg run: t.ini:9: population.b: values must be in (0, 1] (got 1.5)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\n[population]\ncount = 2.5\n", "ftg run: t.ini:9: population.count: values must be an integer >= 1 (got '2.5')"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nc1 = 1, 2\n[population]\nc1 = 1, 2\n", "ftg run: t.ini:8: grid.c1: [population] sets c1 per class; to sweep it, use grid.scale_c1"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nn = 0, 1\n", "ftg run: t.ini:8: grid.n: values must be integers in [1, 1000000] (got 0)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nn = 1.5\n", "ftg run: t.ini:8: grid.n: values must be integers in [1, 1000000] (got 1.5)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nm = -1\n", "ftg run: t.ini:8: grid.m: values must be >= 0 (got -1)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_g\n[grid]\nc0 = 1\ndelta = 0, 1\nn = 1000000\n[population]\ncount = 1001\n", "ftg run: t.ini:8: grid.n: a class would have more than 1000000000 specialists (count x n)"},
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = 1\nc1 = 1\ndelta = 0, 1\n[population]\nc1 = 1\n",
       "ftg run: t.ini:9: population.c1: [population] belongs to model multi (set sweep.model = multi)"},
      {"[sweep]\nname = t\nmodel = multi\nfields = u_d\n",
       "ftg run: t.ini:4: sweep.fields: unknown field 'u_d' in model multi (known: alpha0, u_g, alpha_i, u_i, regime, table2, participants, total_performance, in_pareto)"},
      {"[sweep]\nname = t\nmodel = multi\nsolutions = generalized_nash\n",
       "ftg run: t.ini:4: sweep.solutions: unknown solution 'generalized_nash' in model multi (known: all, pareto, powerful_g, powerful_d, max_performance, vertical_monopoly, egalitarian, nash, kalai_smorodinsky)"},
      {"[sweep]\nname = t\nmodel = multi\nsolutions = nash\nmethod = closed_form\n[grid]\nc0 = 1\nn = 1, 2\nf = 0.1\n",
       "ftg run: t.ini:9: grid.f: method closed_form needs k0 = k1 = 2, f = m = 0, s = b = 1 and d1 = 0 in every cell (Table 1); use method auto or numeric"},
      {"[sweep]\nname = t\nfields = u_g, regime\n",
       "ftg run: t.ini:3: sweep.fields: unknown field 'regime' in model two_player (known: alpha0, alpha1, u_g, u_d, in_pareto)"},
      {"[sweep]\nname = t\nfields = u_g, u_g\n", "ftg run: t.ini:3: sweep.fields: 'u_g' listed more than once"},
      {"[sweep]\nname = t\nsolutions = nash, all\n", "ftg run: t.ini:3: sweep.solutions: 'all' may be combined with 'pareto' only (got 'nash')"},
      {"[sweep]\nname = t\nsolutions = nbs\n",
       "ftg run: t.ini:3: sweep.solutions: unknown solution 'nbs' in model two_player (known: all, pareto, powerful_g, powerful_d, max_performance, vertical_monopoly, egalitarian, nash, kalai_smorodinsky, generalized_nash)"},
      {"[sweep]\nname = t\nprecision = f16\n", "ftg run: t.ini:3: sweep.precision: must be f64 or f32 (got 'f16')"},
      {"[sweep]\nname = t\ncompression = gzip\n", "ftg run: t.ini:3: sweep.compression: must be none or deflate (got 'gzip')"},
      {"[sweep]\nname = t\nmethod = exact\n", "ftg run: t.ini:3: sweep.method: must be auto, numeric or closed_form (got 'exact')"},
      {base("[run]\ntile_cells = 0\n"), "ftg run: t.ini:9: run.tile_cells: must be an integer >= 1 (got '0')"},
      {base("[run]\ntile_cells = 100000001\n"), "ftg run: t.ini:9: run.tile_cells: must be <= 100000000 (got 100000001)"},
      // Per-point vs per-delta.
      {"[sweep]\nname = t\nfields = u_g\nsolutions = nash\n[grid]\nc0 = 1\nc1 = 1, 2\n",
       "ftg run: t.ini:4: sweep.solutions: a sweep computes either per-delta fields (over a delta axis) or per-point solutions (delta* per game, no delta axis), not both; use two sweep files"},
      {sweep_head, "ftg run: t.ini:3: sweep.fields: per-delta fields need a delta axis (give grid.delta, e.g. linspace(0, 1, 201))"},
      {"[sweep]\nname = t\nsolutions = nash\n[grid]\nc0 = 1\nc1 = 1, 2\ndelta = 0, 1\n",
       "ftg run: t.ini:7: grid.delta: per-point solutions solve for delta*, so grid.delta must not be given"},
      {"[sweep]\nname = t\n[grid]\nc0 = 1\nc1 = 1, 2\n",
       "ftg run: t.ini: sweep.fields: the sweep requests nothing (give sweep.fields or sweep.solutions)"},
      {"[sweep]\nname = t\nsolutions = nash\n[grid]\nc0 = 1\nc1 = 2\n",
       "ftg run: t.ini:6: grid.c1: the grid has no axis (make at least one parameter a list, linspace or logspace; for one game use ftg solve)"},
      {"[sweep]\nname = t\nsolutions = nash\nmethod = closed_form\n[grid]\nc0 = 1\nc1 = 1, 2\nk1 = 2, 3\n",
       "ftg run: t.ini:8: grid.k1: method closed_form needs k0 = k1 = 2 (quadratic costs) in every cell"},
      // Total cells above 1e13.
      {"[sweep]\nname = t\nfields = u_g\n[grid]\nc0 = linspace(1, 2, 100000)\nc1 = linspace(1, 2, 100000)\n"
       "k0 = linspace(2, 3, 1001)\ndelta = 0\n",
       "ftg run: t.ini:4: grid: the grid c0[100000] x c1[100000] x k0[1001] x delta[1] has more than 10000000000000 cells (the limit)"},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    const std::string got = error_of(r.text);
    CHECK(got == r.message);
    CHECK(got.find('\n') == std::string::npos);
  }
}

TEST_CASE("a missing or unreadable sweep file is a usage error naming it") {
  try {
    (void)ftg::parse_sweep("/nonexistent/x.ini", {}, "plan");
    FAIL("no error");
  } catch (const ftg::usage_error& e) {
    CHECK(std::string(e.what()) == "ftg plan: /nonexistent/x.ini: sweep file cannot be read (no such file)");
  }
  try {
    (void)ftg::parse_sweep(std::filesystem::temp_directory_path().string());
    FAIL("no error");
  } catch (const ftg::usage_error& e) {
    CHECK(std::string(e.what()).ends_with(": sweep file cannot be read (it is a directory)"));
  }
}
