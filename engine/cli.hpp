// engine/cli.hpp: the ftg command line (Boost.Program_options), testable in-process.
//
// 1. What: `ftg <command> [options]`, `ftg --help`, `ftg --version`. Commands live in one table
//    in cli.cpp (today only `solve`; `run`, `plan`, `validate` are meant to join it), each with
//    its own options and help. docs/cli.md is the user documentation, including the JSON fields.
//    `solve` has two modes (solve_mode): the two-player game, and n specialists when any of --n,
//    --c, --k, --f, --m, --s, --b, --d, --count or --game is given (engine/multi_args.hpp).
// 2. Preconditions: `args` are the arguments after the program name (argv[1..argc)).
//    A bad command line is a usage error: exactly one line on `err`, naming the option and the
//    rule it broke ("ftg solve: --c0 must be > 0 (got -1)"), and exit code 2.
// 3. Method: run_cli() is the single place where engine exceptions are caught and turned into exit
//    codes (STYLE.md section 3): 0 ok; 1 runtime error; 2 usage error; 3 finished, but some result
//    has a failure status (a status other than ok and disagreement; the count goes to `err`).
//    --help and --version return 0 from here; nothing calls exit(). Numbers are parsed with
//    std::from_chars over the whole token, so "1.5x", "" and "0x10" are malformed; "nan" and
//    "inf" parse but break the "must be finite" rule. Option names must be spelled out in full.
//    The Program_options variables_map never leaves cli.cpp.
// 4. Reentrant (no globals); writes only to `out` and `err`.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string_view>

#include "engine/multi_solve.hpp"
#include "engine/solve.hpp"

namespace ftg {

inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime_error = 1;
inline constexpr int exit_usage_error = 2;
inline constexpr int exit_not_ok = 3;

int run_cli(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

/// Which game `ftg solve` solves: the two-player game (--c0 --c1 ..., the closed forms and
/// --method both) or the n-specialist game (any of --n, --c, --k, --f, --m, --s, --b, --d,
/// --count, --game; engine/multi_args.hpp).
enum class solve_mode : std::uint8_t { two_player = 0, multi };

/// The command line of `ftg solve` (the arguments after "solve"), validated.
struct solve_invocation {
  bool help = false;  ///< --help was given; nothing else was validated
  bool json = false;
  solve_mode mode = solve_mode::two_player;
  solve_config config{};       ///< the two-player game (mode two_player)
  multi_solve_config multi{};  ///< the n-specialist game (mode multi)
};

/// Throws usage_error on the first rule broken; see run_cli for the rules.
solve_invocation parse_solve_command_line(std::span<const std::string_view> args);

}  // namespace ftg
