#include "engine/text_file.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace ftg {

std::string read_text_file(const std::string& path, std::size_t max_bytes, std::string& text) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return "no such file";
  if (std::filesystem::is_directory(status)) return "it is a directory";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open it";
  text.clear();
  std::istreambuf_iterator<char> it(in);
  const std::istreambuf_iterator<char> end;
  for (; it != end && text.size() <= max_bytes; ++it) text.push_back(*it);
  if (in.bad()) return "read error";
  if (text.size() > max_bytes) return "larger than " + std::to_string(max_bytes / 1024) + " KiB";
  return "";
}

}  // namespace ftg
