// tests/cli/test_multi_usage.cpp: the rules of the n-specialist options of `ftg solve` and of its
// game file (docs/cli.md): every bad input is exactly one line on stderr, naming the option and
// list element (numbered from 1) or FILE:LINE and the key, with exit code 2 and nothing on stdout.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "engine/cli.hpp"
#include "engine/game_file.hpp"
#include "output_checks.hpp"

namespace {

using ftg::test::line_count;
using ftg::test::run_ftg;
using ftg::test::temp_file;

struct bad_case {
  std::vector<std::string> args;  // after "solve"
  std::string line;               // the whole expected stderr line, without '\n'
};

void check_usage_error(const bad_case& c) {
  std::vector<std::string> args{"solve"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  std::string joined;
  for (const auto& a : args) joined += "[" + a + "]";
  CAPTURE(joined);
  const auto r = run_ftg(args);
  CHECK(r.code == ftg::exit_usage_error);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err == c.line + "\n");
  CHECK(r.out.empty());
}

// A usage error from a game file with the given text: "ftg solve: FILE:" + `rest`.
void check_file_error(const std::string& text, const std::string& rest, std::vector<std::string> extra = {}) {
  const temp_file f(text);
  std::vector<std::string> args{"--game", f.path()};
  args.insert(args.end(), extra.begin(), extra.end());
  CAPTURE(text);
  check_usage_error({args, "ftg solve: " + f.path() + rest});
}

}  // namespace

TEST_CASE("multi: list elements are checked one by one, named --x[i] (from 1) or --x for one value") {
  const std::vector<bad_case> cases{
      {{"--c0", "1", "--c", "1,2", "--f", "0,-1"}, "ftg solve: --f[2] must be >= 0 (got -1)"},
      {{"--c0", "1", "--c", "1,2", "--f", "-1"}, "ftg solve: --f must be >= 0 (got -1)"},
      {{"--c0", "1", "--c", "1,0,2"}, "ftg solve: --c[2] must be > 0 (got 0)"},
      {{"--c0", "1", "--c", "-2"}, "ftg solve: --c must be > 0 (got -2)"},
      {{"--c0", "1", "--c", "1", "--k", "2,1"}, "ftg solve: --k[2] must be > 1 (got 1)"},
      {{"--c0", "1", "--c", "1", "--m", "-0.5"}, "ftg solve: --m must be >= 0 (got -0.5)"},
      {{"--c0", "1", "--c", "1", "--s", "1,0"}, "ftg solve: --s[2] must be > 0 (got 0)"},
      {{"--c0", "1", "--c", "1", "--b", "1.5"}, "ftg solve: --b must be in (0, 1] (got 1.5)"},
      {{"--c0", "1", "--c", "1", "--b", "0,1"}, "ftg solve: --b[1] must be in (0, 1] (got 0)"},
      {{"--c0", "1", "--c", "1", "--d", "0,nan"}, "ftg solve: --d[2] must be finite (got nan)"},
      {{"--c0", "1", "--c", "1,abc"}, "ftg solve: --c[2] must be a number (got 'abc')"},
      {{"--c0", "1", "--c", "1,,2"}, "ftg solve: --c[2] must be a number (got '')"},
      {{"--c0", "1", "--c", "1,2,"}, "ftg solve: --c[3] must be a number (got '')"},
      {{"--c0", "1", "--c", "1, 2"}, "ftg solve: --c[2] must be a number (got ' 2')"},
      {{"--c0", "1", "--c", "1e400"}, "ftg solve: --c is out of the range of a double (got 1e400)"},
      {{"--c0", "1", "--c", "1", "--count", "1.5"}, "ftg solve: --count must be an integer >= 1 (got '1.5')"},
      {{"--c0", "1", "--c", "1", "--count", "2,0"}, "ftg solve: --count[2] must be an integer >= 1 (got '0')"},
      {{"--c0", "1", "--c", "1", "--count", "-3"}, "ftg solve: --count must be an integer >= 1 (got '-3')"},
      {{"--c0", "1", "--c", "1", "--count", "3000000000"},
       "ftg solve: --count must be <= 2147483647 (got 3000000000)"},
      {{"--c0", "1", "--c", "1", "--n", "0"}, "ftg solve: --n must be an integer >= 1 (got '0')"},
      {{"--c0", "1", "--c", "1", "--n", "two"}, "ftg solve: --n must be an integer >= 1 (got 'two')"},
      {{"--c0", "1", "--c", "1", "--n", "99999999999"}, "ftg solve: --n must be <= 2147483647 (got 99999999999)"},
      {{"--c0", "-1", "--c", "1"}, "ftg solve: --c0 must be > 0 (got -1)"},
      {{"--c0", "1", "--k0", "1", "--c", "1"}, "ftg solve: --k0 must be > 1 (got 1)"},
      {{"--c0", "1", "--d0", "x", "--c", "1"}, "ftg solve: --d0 must be a number (got 'x')"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("multi: list lengths, class limit, --n against the counts, required values") {
  std::string many = "1";
  for (int i = 2; i <= 33; ++i) many += "," + std::to_string(i);
  const std::vector<bad_case> cases{
      {{"--c0", "1", "--c", "1,2", "--f", "0,0,1"},
       "ftg solve: --f has 3 values but --c has 2 (give one value per specialist class, or one for all)"},
      {{"--c0", "1", "--c", "1", "--k", "2,3", "--count", "1,2,3"},
       "ftg solve: --count has 3 values but --k has 2 (give one value per specialist class, or one for all)"},
      {{"--c0", "1", "--c", many}, "ftg solve: --c has 33 values; a game has at most 32 specialist classes"},
      {{"--c0", "1", "--n", "3", "--c", "1,2"},
       "ftg solve: --n 3 does not match the 2 specialist classes of count 1 (give --count)"},
      {{"--c0", "1", "--n", "3", "--c", "1,2", "--count", "1,1"},
       "ftg solve: --n 3 does not match the sum of --count (2)"},
      {{"--c0", "1", "--n", "4", "--c", "1", "--count", "3"}, "ftg solve: --n 4 does not match the sum of --count (3)"},
      {{"--c0", "1", "--c", "1", "--count", "2000000000,2000000000"},
       "ftg solve: the specialist counts sum to 4000000000, more than 2147483647"},
      {{"--c0", "1", "--n", "2"},
       "ftg solve: --c is required (the specialists' cost scale: one value per class, or one for all)"},
      {{"--n", "2", "--c", "1"}, "ftg solve: --c0 is required"},
      {{"--c0", "1", "--c", "1", "--c", "2"}, "ftg solve: --c given more than once"},
      {{"--c0", "1", "--c"}, "ftg solve: --c requires a value"},
      {{"--c0", "1", "--c", "1", "--cnt", "2"}, "ftg solve: unknown option --cnt"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("multi: the two-player options are errors that name the replacement") {
  const std::vector<bad_case> cases{
      {{"--c0", "1", "--c1", "2", "--n", "2"},
       "ftg solve: --c1 is the two-player option; with --n (n specialists) use --c (one value per specialist class)"},
      {{"--c0", "1", "--c", "2", "--k1", "3"},
       "ftg solve: --k1 is the two-player option; with --c (n specialists) use --k (one value per specialist class)"},
      {{"--c0", "1", "--c", "2", "--d1", "0"},
       "ftg solve: --d1 is the two-player option; with --c (n specialists) use --d (one value per specialist class)"},
      {{"--c0", "1", "--c", "2", "--beta", "0.3"},
       "ftg solve: --beta is for the two-player game only; with --c (n specialists) there is no generalized_nash"},
      {{"--c0", "1", "--n", "2", "--c", "1", "--method", "both"},
       "ftg solve: --method both is available for one specialist only (the two-player game with --c1); "
       "with --n (n specialists) use --method numeric"},
      {{"--c0", "1", "--c", "1", "--method", "closed-form"},
       "ftg solve: --method closed-form is available for one specialist only (the two-player game with --c1); "
       "with --c (n specialists) use --method numeric"},
      {{"--c0", "1", "--c", "1", "--method", "exact"},
       "ftg solve: --method must be numeric, closed-form or both (got 'exact')"},
  };
  for (const auto& c : cases) check_usage_error(c);
  // --method numeric is fine in multi mode.
  const auto r = run_ftg({"solve", "--c0", "1", "--c", "2", "--method", "numeric"});
  CHECK(r.code == ftg::exit_ok);
}

TEST_CASE("game file: missing, unreadable") {
  check_usage_error({{"--game", "/nonexistent/ftg/game.ini"},
                     "ftg solve: --game file '/nonexistent/ftg/game.ini' cannot be read (no such file)"});
  const std::string dir = std::filesystem::temp_directory_path().string();
  check_usage_error({{"--game", dir}, "ftg solve: --game file '" + dir + "' cannot be read (it is a directory)"});
  check_usage_error({{"--game"}, "ftg solve: --game requires a value"});
}

TEST_CASE("game file: each rule broken gives FILE:LINE and the key") {
  const std::string g = "[generalist]\nc0 = 1\n";
  check_file_error(g + "x = 2\n", ":3: key 'x' is unknown in [generalist] (known keys: c0, k0, d0)");
  check_file_error(g + "[specialist]\nc = 1\ncost = 2\n",
                   ":5: key 'cost' is unknown in [specialist] (known keys: c, k, f, m, s, b, d, count)");
  check_file_error(g + "[specialist.fast]\nC = 1\n",
                   ":4: key 'C' is unknown in [specialist.fast] (known keys: c, k, f, m, s, b, d, count)");
  check_file_error(g + "[specialist]\nc = abc\n", ":4: key 'c' must be a number (got 'abc')");
  check_file_error(g + "[specialist]\nc =\n", ":4: key 'c' must be a number (got '')");
  check_file_error(g + "[specialist]\nc = 1 2\n", ":4: key 'c' must be a number (got '1 2')");
  check_file_error(g + "[specialist]\nc = inf\n", ":4: key 'c' must be finite (got inf)");
  check_file_error(g + "[specialist]\nc = 0\n", ":4: key 'c' must be > 0 (got 0)");
  check_file_error(g + "[specialist]\nc = 1\nf = -1\n", ":5: key 'f' must be >= 0 (got -1)");
  check_file_error(g + "[specialist]\nc = 1\nb = 2\n", ":5: key 'b' must be in (0, 1] (got 2)");
  check_file_error(g + "[specialist]\nc = 1\ncount = 2.5\n", ":5: key 'count' must be an integer >= 1 (got '2.5')");
  check_file_error("[generalist]\nc0 = 0\n", ":2: key 'c0' must be > 0 (got 0)");
  check_file_error("[generalist]\nk0 = 0.5\n", ":2: key 'k0' must be > 1 (got 0.5)");
  check_file_error(g + "c0 = 2\n", ":3: key 'c0' given more than once in [generalist] (first on line 2)");
  check_file_error(g + "[specialist.a]\nc = 1\n\nc = 2\n",
                   ":6: key 'c' given more than once in [specialist.a] (first on line 4)");
  check_file_error("c0 = 1\n", ":1: key 'c0' is outside a section (put it under [generalist] or [specialist])");
  check_file_error(g + "[generalist]\n", ":3: section [generalist] given more than once (first on line 1)");
  check_file_error(g + "[specialist.a]\nc=1\n[specialist.a]\nc=2\n",
                   ":5: section [specialist.a] given more than once (first on line 3)");
  check_file_error(g + "[specialists]\n",
                   ":3: unknown section [specialists] (expected [generalist], [specialist] or [specialist.NAME])");
  check_file_error(g + "[specialist.]\n",
                   ":3: section [specialist.] needs a NAME of letters, digits, '_' or '-' after 'specialist.'");
  check_file_error(g + "[specialist.a b]\n",
                   ":3: section [specialist.a b] needs a NAME of letters, digits, '_' or '-' after 'specialist.'");
  check_file_error(g + "[specialist\n",
                   ":3: malformed section header '[specialist' (expected [generalist], [specialist] or [specialist.NAME])");
  check_file_error(g + "c0 1\n", ":3: expected 'key = value', [section] or a comment (got 'c0 1')");
  check_file_error(g + "= 1\n", ":3: expected 'key = value' (the key is missing before '=')");
  std::string many = g;
  for (int i = 0; i < 33; ++i) many += "[specialist]\nc = 1\n";
  check_file_error(many, ":67: more than 32 specialist sections (the most specialist classes a game can have)");
  // CRLF line ends count lines the same way.
  check_file_error("[generalist]\r\nc0 = 1\r\n[specialist]\r\nc = -1\r\n", ":4: key 'c' must be > 0 (got -1)");
}

TEST_CASE("game file: missing values and conflicts with the command line") {
  check_file_error("[generalist]\nc0 = 1\n[specialist]\nk = 3\n",
                   ":3: [specialist] has no key 'c' (the cost scale is required here or in --c)");
  check_file_error("[generalist]\nc0 = 1\n[specialist]\nc = 1\n[specialist.b]\nk = 3\n",
                   ":5: [specialist.b] has no key 'c' (the cost scale is required here or in --c)");
  // Errors that are not on a line of the file name the file.
  {
    const temp_file f("[specialist]\nc = 1\n");
    check_usage_error({{"--game", f.path()},
                       "ftg solve: --c0 is required (or c0 in the [generalist] section of " + f.path() + ")"});
  }
  {
    const temp_file f("[generalist]\nc0 = 1\n[specialist]\nc = 1\n[specialist]\nc = 2\n");
    check_usage_error({{"--game", f.path(), "--f", "0,0,1"},
                       "ftg solve: --f has 3 values but " + f.path() +
                           " has 2 [specialist] sections (give one value per section, or one for all)"});
    check_usage_error({{"--game", f.path(), "--n", "3"},
                       "ftg solve: --n 3 does not match the 2 specialist classes of count 1 (give --count)"});
  }
  {
    const temp_file f("[generalist]\nc0 = 1\n[specialist]\nc = 1\ncount = 2\n");
    check_usage_error({{"--game", f.path(), "--n", "3"},
                       "ftg solve: --n 3 does not match the sum of the counts in " + f.path() + " (2)"});
    check_usage_error({{"--game", f.path(), "--c1", "3"},
                       "ftg solve: --c1 is the two-player option; with --game (n specialists) use --c (one value "
                       "per specialist class)"});
  }
  // The file is checked even where the command line overrides it.
  check_file_error("[generalist]\nc0 = -1\n", ":2: key 'c0' must be > 0 (got -1)", {"--c0", "1"});
}

TEST_CASE("game file: what is accepted (comments, blanks, BOM, CRLF, spaces, a missing last newline)") {
  const ftg::game_file f = ftg::parse_game_file(
      "\xEF\xBB\xBF; leading comment\r\n"
      "[generalist]  # G\r\n"
      "  c0=2   \r\n"
      "\r\n"
      "[specialist.x-1_Y]\n"
      "c = 1e-2 ; inline\n"
      "d\t=\t-0.5\n"
      "[specialist]\n"
      "count = 7",
      "mem.ini");
  REQUIRE(f.c0.has_value());
  CHECK(f.c0->value == 2.0);
  CHECK(f.c0->line == 3);
  CHECK_FALSE(f.k0.has_value());
  REQUIRE(f.classes.size() == 2);
  CHECK(f.classes[0].name == "x-1_Y");
  CHECK(f.classes[0].line == 5);
  const auto& c = f.classes[0].values[static_cast<std::size_t>(ftg::specialist_field::c)];
  REQUIRE(c.has_value());
  CHECK(c->value == 0.01);
  const auto& d = f.classes[0].values[static_cast<std::size_t>(ftg::specialist_field::d)];
  REQUIRE(d.has_value());
  CHECK(d->value == -0.5);
  CHECK(d->line == 7);
  CHECK(f.classes[1].name.empty());
  REQUIRE(f.classes[1].count.has_value());
  CHECK(f.classes[1].count->value == 7);
  CHECK(f.classes[1].count->line == 9);

  // An empty file is a game file without sections: the command line supplies everything.
  const temp_file empty("");
  const auto r = run_ftg({"solve", "--game", empty.path(), "--c0", "1", "--c", "2"});
  CHECK(r.code == ftg::exit_ok);
}

TEST_CASE("help lists the n-specialist options") {
  const auto r = run_ftg({"solve", "--help"});
  CHECK(r.code == ftg::exit_ok);
  CHECK(r.out.find("Usage: ftg solve --c0 C0 --c1 C1") != std::string::npos);
  CHECK(r.out.find("ftg solve --c0 C0 [--k0 K0] [--d0 D0] [--n N] --c LIST") != std::string::npos);
  for (const char* opt : {"--n N", "--c LIST", "--k LIST", "--f LIST", "--m LIST", "--s LIST", "--b LIST",
                          "--d LIST", "--count LIST", "--game FILE"})
    CHECK(r.out.find(opt) != std::string::npos);
  // --help still wins over bad values in multi mode.
  CHECK(run_ftg({"solve", "--c", "-1", "--help"}).code == ftg::exit_ok);
}
