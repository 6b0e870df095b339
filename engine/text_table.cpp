#include "engine/text_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace ftg {

text_table::text_table(std::vector<std::string> header) {
  if (header.empty()) throw std::invalid_argument("text_table: the header has no columns");
  rows_.push_back(std::move(header));
}

void text_table::add_row(std::vector<std::string> cells) {
  if (cells.size() != columns())
    throw std::invalid_argument("text_table: a row has " + std::to_string(cells.size()) +
                                " cells, the header " + std::to_string(columns()));
  rows_.push_back(std::move(cells));
}

void text_table::write(std::ostream& out, const std::string& indent) const {
  std::vector<std::size_t> width(columns(), 0);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());

  for (const auto& row : rows_) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(width[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

}  // namespace ftg
