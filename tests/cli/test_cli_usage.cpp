// tests/cli/test_cli_usage.cpp: the command-line rules of engine/cli.hpp: every bad input is
// exactly one line on stderr naming the option and the rule, with exit code 2; help and version
// return 0.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "engine/cli.hpp"
#include "engine/version.hpp"

namespace {

using ftg::test::line_count;
using ftg::test::run_ftg;

struct bad_case {
  std::vector<std::string> args;
  std::string line;  // the whole expected stderr line, without '\n'
};

std::vector<std::string> solve_with(std::vector<std::string> extra) {
  std::vector<std::string> args{"solve"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void check_usage_error(const bad_case& c) {
  std::string joined;
  for (const auto& a : c.args) joined += "[" + a + "]";
  CAPTURE(joined);
  const auto r = run_ftg(c.args);
  CHECK(r.code == ftg::exit_usage_error);
  CHECK(r.code == 2);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err == c.line + "\n");
  CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("solve: each value rule gives one line naming the option, exit 2") {
  const std::vector<bad_case> cases{
      {solve_with({"--c0", "-1", "--c1", "2"}), "ftg solve: --c0 must be > 0 (got -1)"},
      {solve_with({"--c0", "0", "--c1", "2"}), "ftg solve: --c0 must be > 0 (got 0)"},
      {solve_with({"--c0", "1", "--c1", "-2.5"}), "ftg solve: --c1 must be > 0 (got -2.5)"},
      {solve_with({"--c0=-1e-3", "--c1", "2"}), "ftg solve: --c0 must be > 0 (got -1e-3)"},
      {solve_with({"--c0", "1", "--c1", "2", "--k0", "1"}), "ftg solve: --k0 must be > 1 (got 1)"},
      {solve_with({"--c0", "1", "--c1", "2", "--k1", "0.5"}), "ftg solve: --k1 must be > 1 (got 0.5)"},
      {solve_with({"--c0", "1", "--c1", "2", "--k1", "-3"}), "ftg solve: --k1 must be > 1 (got -3)"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", "0"}),
       "ftg solve: --beta must be in (0, 1) (got 0)"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", "1"}),
       "ftg solve: --beta must be in (0, 1) (got 1)"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", "1.5"}),
       "ftg solve: --beta must be in (0, 1) (got 1.5)"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", "-0.25"}),
       "ftg solve: --beta must be in (0, 1) (got -0.25)"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("solve: malformed, non-finite and out-of-range numbers") {
  const std::vector<bad_case> cases{
      {solve_with({"--c0", "1", "--c1", "abc"}), "ftg solve: --c1 must be a number (got 'abc')"},
      {solve_with({"--c0", "1.5x", "--c1", "2"}), "ftg solve: --c0 must be a number (got '1.5x')"},
      {solve_with({"--c0", "", "--c1", "2"}), "ftg solve: --c0 must be a number (got '')"},
      {solve_with({"--c0", "1", "--c1", "2", "--d0", "0x10"}),
       "ftg solve: --d0 must be a number (got '0x10')"},
      {solve_with({"--c0", "1", "--c1", "2", "--k0", "2,5"}),
       "ftg solve: --k0 must be a number (got '2,5')"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", " 0.5"}),
       "ftg solve: --beta must be a number (got ' 0.5')"},
      {solve_with({"--c0", "1", "--c1", "2", "--d1", "++1"}),
       "ftg solve: --d1 must be a number (got '++1')"},
      {solve_with({"--c0", "nan", "--c1", "2"}), "ftg solve: --c0 must be finite (got nan)"},
      {solve_with({"--c0", "1", "--c1", "inf"}), "ftg solve: --c1 must be finite (got inf)"},
      {solve_with({"--c0", "1", "--c1", "2", "--k0", "NaN"}), "ftg solve: --k0 must be finite (got NaN)"},
      {solve_with({"--c0", "1", "--c1", "2", "--k1", "infinity"}),
       "ftg solve: --k1 must be finite (got infinity)"},
      {solve_with({"--c0", "1", "--c1", "2", "--d0", "-inf"}), "ftg solve: --d0 must be finite (got -inf)"},
      {solve_with({"--c0", "1", "--c1", "2", "--d1", "nan"}), "ftg solve: --d1 must be finite (got nan)"},
      {solve_with({"--c0", "1", "--c1", "2", "--beta", "nan"}),
       "ftg solve: --beta must be finite (got nan)"},
      {solve_with({"--c0", "1e400", "--c1", "2"}),
       "ftg solve: --c0 is out of the range of a double (got 1e400)"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("solve: unknown, repeated, missing and malformed options") {
  const std::vector<bad_case> cases{
      {solve_with({"--c0", "1", "--c1", "2", "--foo", "1"}), "ftg solve: unknown option --foo"},
      {solve_with({"--c0", "1", "--c1", "2", "-x"}), "ftg solve: unknown option -x"},
      {solve_with({"--c0", "1", "--c1", "2", "--delta", "0.5"}),
       "ftg solve: unknown option --delta (delta* is what solve computes, not an input)"},
      // Abbreviations are typos, not options.
      {solve_with({"--c0", "1", "--c1", "2", "--bet", "0.5"}), "ftg solve: unknown option --bet"},
      {solve_with({"--c1", "2"}), "ftg solve: --c0 is required"},
      {solve_with({"--c0", "1"}), "ftg solve: --c1 is required"},
      {solve_with({}), "ftg solve: --c0 is required"},
      {solve_with({"--c1", "2", "--c0"}), "ftg solve: --c0 requires a value"},
      {solve_with({"--c0=", "--c1", "2"}), "ftg solve: --c0 requires a value after '='"},
      {solve_with({"--c0", "1", "--c0", "2", "--c1", "2"}), "ftg solve: --c0 given more than once"},
      {solve_with({"--c0", "1", "--c1", "2", "--json=1"}), "ftg solve: --json takes no value"},
      {solve_with({"--c0", "1", "--c1", "2", "extra"}), "ftg solve: unexpected argument 'extra'"},
      {solve_with({"--c0", "1", "--c1", "2", "--method", "exact"}),
       "ftg solve: --method must be numeric, closed-form or both (got 'exact')"},
      {solve_with({"--c0", "1", "--c1", "2", "--method", "closed_form"}),
       "ftg solve: --method must be numeric, closed-form or both (got 'closed_form')"},
      // An argument with a newline must not break the one-line rule.
      {solve_with({"--c0", "1", "--c1", "a\nb"}), "ftg solve: --c1 must be a number (got 'a?b')"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("top level: missing or unknown command, unknown option") {
  const std::vector<bad_case> cases{
      {{}, "ftg: missing command (try 'ftg --help')"},
      {{"slove"}, "ftg: unknown command 'slove' (try 'ftg --help')"},
      {{"--bogus"}, "ftg: unknown option --bogus (try 'ftg --help')"},
      {{"--version", "x"}, "ftg: unexpected argument 'x' after --version"},
      {{"--help", "nope"}, "ftg: unexpected argument 'nope' after --help"},
  };
  for (const auto& c : cases) check_usage_error(c);
}

TEST_CASE("negative and signed values are values, not options") {
  const auto r = run_ftg({"solve", "--c0", "+1", "--c1", "2", "--d0", "-0.5", "--d1=-.25", "--json"});
  CAPTURE(r.err);
  CHECK((r.code == ftg::exit_ok || r.code == ftg::exit_not_ok));
  const auto inv = ftg::parse_solve_command_line(std::vector<std::string_view>{
      "--c0", "+1", "--c1", "2", "--d0", "-0.5", "--d1=-.25", "--k0", "3", "--beta", "0.25",
      "--method", "both", "--json"});
  CHECK(inv.config.game.c0 == 1.0);
  CHECK(inv.config.game.c1 == 2.0);
  CHECK(inv.config.game.k0 == 3.0);
  CHECK(inv.config.game.k1 == 2.0);
  CHECK(inv.config.game.d0 == -0.5);
  CHECK(inv.config.game.d1 == -0.25);
  CHECK(inv.config.beta == 0.25);
  CHECK(inv.config.method == ftg::solve_method::both);
  CHECK(inv.json);
  CHECK_FALSE(inv.help);
}

TEST_CASE("defaults: k0 = k1 = 2, d0 = d1 = 0, beta = 0.5, numeric, table") {
  const auto inv =
      ftg::parse_solve_command_line(std::vector<std::string_view>{"--c1=2", "--c0", "1"});
  CHECK(inv.config.game.k0 == 2.0);
  CHECK(inv.config.game.k1 == 2.0);
  CHECK(inv.config.game.d0 == 0.0);
  CHECK(inv.config.game.d1 == 0.0);
  CHECK(inv.config.beta == 0.5);
  CHECK(inv.config.method == ftg::solve_method::numeric);
  CHECK_FALSE(inv.json);
}

TEST_CASE("help returns 0 and prints usage on stdout") {
  const std::vector<std::vector<std::string>> main_help{{"--help"}, {"-h"}, {"help"}};
  for (const auto& args : main_help) {
    const auto r = run_ftg(args);
    CHECK(r.code == ftg::exit_ok);
    CHECK(r.err.empty());
    CHECK(r.out.find("Usage: ftg <command>") != std::string::npos);
    CHECK(r.out.find("solve") != std::string::npos);
  }
  const std::vector<std::vector<std::string>> solve_help{
      {"solve", "--help"}, {"solve", "-h"}, {"help", "solve"}, {"--help", "solve"},
      // --help wins over missing or out-of-range values
      {"solve", "--c0", "-1", "--help"}};
  for (const auto& args : solve_help) {
    const auto r = run_ftg(args);
    CHECK(r.code == ftg::exit_ok);
    CHECK(r.err.empty());
    CHECK(r.out.find("Usage: ftg solve --c0 C0 --c1 C1") != std::string::npos);
    for (const char* opt : {"--c0", "--c1", "--k0", "--k1", "--d0", "--d1", "--beta", "--method",
                            "--json", "--help"})
      CHECK(r.out.find(opt) != std::string::npos);
  }
}

TEST_CASE("--version prints the project version") {
  const auto r = run_ftg({"--version"});
  CHECK(r.code == ftg::exit_ok);
  CHECK(r.err.empty());
  CHECK(r.out == std::string("ftg ") + FTG_EXPECTED_VERSION + "\n");
  CHECK(ftg::version() == FTG_EXPECTED_VERSION);
}
