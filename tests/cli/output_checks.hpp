// tests/cli/output_checks.hpp: helpers for the n-specialist output tests: JSON numbers against
// kernel doubles, table lines, cells and column alignment, and temporary game files.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "mini_json.hpp"
#include "support/close.hpp"

namespace ftg::test {

// JSON numbers are written in shortest round-trip form, so they read back bit-identically; the
// tolerance only allows for a reader that rounds differently.
inline constexpr double json_tol = 4 * std::numeric_limits<double>::epsilon();
// The table prints "%.10g": 10 significant digits, half a unit in the last place.
inline constexpr double table_tol = 1e-9;

/// A JSON number equals a double: null exactly when the double is NaN or infinite.
inline void check_json_number(const json_value& v, double expected, const std::string& what) {
  CAPTURE(what);
  CAPTURE(expected);
  if (!std::isfinite(expected)) {
    CHECK(v.is_null());
    return;
  }
  REQUIRE(v.type == json_value::kind::number);
  CAPTURE(v.num);
  CHECK(rel_close(v.num, expected, json_tol));
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The table whose header line starts with `first_header`, up to the next empty line.
inline std::vector<std::string> table_starting_with(const std::string& text, const std::string& first_header) {
  std::vector<std::string> table;
  bool inside = false;
  for (const std::string& line : lines_of(text)) {
    if (!inside && line.rfind(first_header + " ", 0) == 0) inside = true;
    if (inside && line.empty()) break;
    if (inside) table.push_back(line);
  }
  return table;
}

inline std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; in >> cell;) cells.push_back(cell);
  return cells;
}

/// Where each cell of a table line begins.
inline std::vector<std::size_t> column_starts(const std::string& line) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] != ' ' && (i == 0 || line[i - 1] == ' ')) starts.push_back(i);
  return starts;
}

/// Every line has `columns` cells starting where the header's do, and no trailing blank.
inline void check_aligned(const std::vector<std::string>& table, std::size_t columns) {
  REQUIRE(table.size() >= 2);
  const auto header = column_starts(table.front());
  CHECK(header.size() == columns);
  for (const std::string& line : table) {
    CAPTURE(line);
    CHECK(column_starts(line) == header);
    CHECK(line.back() != ' ');
  }
}

/// A "%.10g" table cell equals a double to the printed precision ("nan" for NaN).
inline void check_table_number(const std::string& cell, double expected) {
  CAPTURE(cell);
  CAPTURE(expected);
  if (std::isnan(expected)) {
    CHECK(cell == "nan");
    return;
  }
  char* end = nullptr;
  const double x = std::strtod(cell.c_str(), &end);
  REQUIRE(end == cell.c_str() + cell.size());
  CHECK(close(x, expected, table_tol, 1e-300));
}

/// A file in the temporary directory with the given text, removed when this goes out of scope.
class temp_file {
 public:
  explicit temp_file(const std::string& text, const std::string& suffix = ".ini") {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("ftg_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix))
                .string();
    std::ofstream out(path_, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ftg::test
