// tests/cli/cli_runner.hpp: runs ftg::run_cli in-process and captures its exit code and streams.
#pragma once

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli.hpp"

namespace ftg::test {

struct cli_result {
  int code = -1;
  std::string out;
  std::string err;
};

inline cli_result run_ftg(const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  cli_result r;
  r.code = ftg::run_cli(views, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

/// Number of lines, counting a last line without '\n'.
inline std::size_t line_count(const std::string& s) {
  const auto n = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  return (!s.empty() && s.back() != '\n') ? n + 1 : n;
}

}  // namespace ftg::test
