// engine/game_file.hpp: the small INI file of `ftg solve --game FILE` (an n-specialist game).
//
// 1. What: reads
//        [generalist]            c0, k0, d0                       (at most one section)
//        [specialist]            c, k, f, m, s, b, d, count       (one section per class)
//        [specialist.NAME]       the same keys, for a named class
//    into plain values with the line each came from. Every key is optional here; which ones are
//    required (c0 and every class's c, unless the command line gives them) is decided when the file
//    is merged with the command line (engine/multi_args.hpp). docs/cli.md has the full format.
// 2. Preconditions: none. Any violated rule throws usage_error("solve", ...) whose detail is one
//    line "FILE:LINE: <what> <rule>", e.g. "g.ini:7: key 'f' must be >= 0 (got -1)",
//    "g.ini:3: key 'x' is unknown in [generalist] (known keys: c0, k0, d0)". A file that cannot be
//    read is "--game file 'FILE' cannot be read (<reason>)".
// 3. Method: a hand-written line parser (Boost.Program_options' config parser cannot report line
//    numbers or repeated sections). '#' or ';' starts a comment anywhere on a line; blank lines are
//    ignored; spaces and tabs around keys, values and section names are ignored; CRLF line ends and
//    a UTF-8 byte order mark are accepted. Keys and section names are case-sensitive. Values use
//    the command line's number syntax (engine/values.hpp) and the kernel's range rules.
// 4. Reentrant; allocates; read_game_file() reads one file (at most 1 MiB).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/values.hpp"

namespace ftg {

/// A value from the file and the line it was on.
template <class T>
struct file_value {
  T value{};
  int line = 0;
};

struct game_file_class {
  std::string name;  ///< NAME of [specialist.NAME]; empty for [specialist]
  int line = 0;      ///< the line of the section header
  std::array<std::optional<file_value<double>>, specialist_field_count> values{};  ///< by specialist_field
  std::optional<file_value<long long>> count;
};

struct game_file {
  std::string path;  ///< as given; used in messages
  std::optional<file_value<double>> c0, k0, d0;
  std::vector<game_file_class> classes;  ///< in file order
};

/// The largest accepted file, in bytes.
inline constexpr std::size_t max_game_file_size = std::size_t{1} << 20;

/// Parses the text of a game file; `path` is only used in messages.
game_file parse_game_file(std::string_view text, const std::string& path);

/// Reads and parses the file at `path`.
game_file read_game_file(const std::string& path);

}  // namespace ftg
