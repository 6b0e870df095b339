// engine/multi_args.hpp: the n-specialist options of `ftg solve`, checked and turned into a game.
//
// 1. What: from the raw text of --c0, --k0, --d0, --n, the per-class lists --c --k --f --m --s --b
//    --d --count and --game FILE (engine/game_file.hpp), builds the multi_game of
//    kernels/multi.hpp. Command-line values override the file's. docs/cli.md states the rules.
// 2. Preconditions: none. The first broken rule throws usage_error("solve", ...), one line naming
//    the option (and the list element, numbered from 1: "--f[2] must be >= 0 (got -1)") or the
//    file and line ("g.ini:4: key 'c' must be > 0 (got 0)").
// 3. Method: the number of classes L is the number of [specialist] sections of the file, or else
//    the length of the longest list (1 without lists); every list has L values or exactly one,
//    which applies to every class. Counts default to 1 per class, except that with one class and
//    no count anywhere, --n N puts N specialists in it. --n, if given, must equal the sum of the
//    counts. Each class needs c (from --c or the file); the other fields default to the kernel's
//    (k = 2, f = m = 0, s = b = 1, d = 0). The result passes kernels/multi.hpp validate().
// 4. Reentrant; reads the --game file; allocates.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "engine/multi_solve.hpp"
#include "engine/values.hpp"

namespace ftg {

struct multi_arguments {
  std::optional<std::string> c0, k0, d0;
  std::optional<std::string> n;
  std::array<std::optional<std::string>, specialist_field_count> lists{};  ///< by specialist_field
  std::optional<std::string> count;
  std::optional<std::string> game_file;
};

multi_solve_config build_multi_config(const multi_arguments& args);

}  // namespace ftg
