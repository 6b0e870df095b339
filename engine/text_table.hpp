// engine/text_table.hpp: a plain-text table with aligned columns, for human-readable CLI output.
//
// 1. What: rows of string cells printed with every column starting at the same offset in every
//    row (the header included): each cell is left-aligned and padded to its column's widest cell,
//    columns are separated by two spaces, and no line has trailing blanks.
// 2. Preconditions: every row has as many cells as the header (add_row throws std::invalid_argument
//    otherwise). Cells should not contain spaces or newlines, so that the output splits on blanks.
// 3. Method: widths are measured in bytes; cells are expected to be ASCII.
// 4. Not thread-safe (a value type); allocates.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace ftg {

class text_table {
 public:
  explicit text_table(std::vector<std::string> header);

  void add_row(std::vector<std::string> cells);
  std::size_t columns() const noexcept { return rows_.front().size(); }

  /// Writes the header and then every row, each line prefixed by `indent` and ended by '\n'.
  void write(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::vector<std::string>> rows_;  ///< rows_[0] is the header
};

}  // namespace ftg
