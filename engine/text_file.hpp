// engine/text_file.hpp: reading a small text input (a sweep file, a --game file) with a reason for
// every failure, so that callers can turn it into their one-line usage error.
#pragma once

#include <cstddef>
#include <string>

namespace ftg {

/// Reads the file at `path` into `text`. Returns "" on success, else why it could not be read:
/// "no such file", "it is a directory", "cannot open it", "read error" or "larger than N KiB"
/// (the file exceeds max_bytes).
std::string read_text_file(const std::string& path, std::size_t max_bytes, std::string& text);

}  // namespace ftg
