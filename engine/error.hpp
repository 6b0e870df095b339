// engine/error.hpp: the exception hierarchy of engine, I/O and CLI code.
//
// 1. What: ftg::error is the base of every exception the engine throws on purpose. usage_error is a
//    bad command line (exit code 2); runtime_error is anything else that stops a command (exit 1).
//    Kernels never throw (STYLE.md section 3); these exceptions are for engine code only and are
//    caught once, in run_cli() (engine/cli.hpp), which is the body of main().
// 2. Preconditions: none. A usage_error message is one line without a trailing newline.
// 3. Method: what() is the complete line printed on stderr, "ftg <command>: <detail>", with any
//    control character of `detail` (e.g. a newline inside an echoed argument) replaced by '?'.
// 4. Thread-safety: the usual guarantees of std::runtime_error.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ftg {

class error : public std::runtime_error {
 public:
  /// `command` is the subcommand ("solve"), or empty for the ftg program itself.
  error(std::string_view command, std::string_view detail)
      : std::runtime_error(make_message(command, detail)) {}

 private:
  static std::string make_message(std::string_view command, std::string_view detail) {
    std::string line = "ftg";
    if (!command.empty()) {
      line += ' ';
      line += command;
    }
    line += ": ";
    // The message is one line on stderr, so control characters echoed from argv are replaced.
    for (const char ch : detail) {
      const auto u = static_cast<unsigned char>(ch);
      line += (u < 0x20 || u == 0x7F) ? '?' : ch;
    }
    return line;
  }
};

/// The command line broke a rule: an unknown option, a malformed number, a value out of range.
class usage_error : public error {
 public:
  using error::error;
};

/// A command could not finish for a reason other than its command line (e.g. output failed).
class runtime_error : public error {
 public:
  using error::error;
};

}  // namespace ftg
