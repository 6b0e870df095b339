#include "engine/game_file.hpp"
#include "engine/text_file.hpp"

#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "engine/error.hpp"
#include "kernels/multi.hpp"

namespace ftg {

namespace {

constexpr std::string_view command = "solve";

std::string_view trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

class parser {
 public:
  parser(std::string_view text, const std::string& path) : text_(text) { file_.path = path; }

  game_file run() {
    // A UTF-8 byte order mark is not part of the first line.
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
    while (!text_.empty() || line_ == 0) {
      const std::size_t nl = text_.find('\n');
      std::string_view raw = text_.substr(0, nl);
      text_.remove_prefix(nl == std::string_view::npos ? text_.size() : nl + 1);
      ++line_;
      if (raw.ends_with('\r')) raw.remove_suffix(1);
      line(raw);
      if (nl == std::string_view::npos) break;
    }
    return std::move(file_);
  }

 private:
  enum class section { none, generalist, specialist };

  [[noreturn]] void fail(std::string_view what) const {
    throw usage_error(command, file_.path + ':' + std::to_string(line_) + ": " + std::string(what));
  }

  std::string section_label() const {
    if (where_ == section::generalist) return "[generalist]";
    const std::string& name = file_.classes.back().name;
    return name.empty() ? "[specialist]" : "[specialist." + name + "]";
  }

  void line(std::string_view raw) {
    const std::size_t comment = raw.find_first_of("#;");
    const std::string_view body = trim(raw.substr(0, comment));
    if (body.empty()) return;
    if (body.front() == '[') {
      header(body);
    } else {
      assignment(body);
    }
  }

  void header(std::string_view body) {
    if (body.back() != ']')
      fail("malformed section header '" + std::string(body) + "' (expected [generalist], [specialist] or [specialist.NAME])");
    const std::string_view name = trim(body.substr(1, body.size() - 2));
    if (name == "generalist") {
      if (generalist_line_ != 0)
        fail("section [generalist] given more than once (first on line " + std::to_string(generalist_line_) + ")");
      generalist_line_ = line_;
      where_ = section::generalist;
      return;
    }
    std::string class_name;
    if (name.starts_with("specialist.")) {
      class_name = std::string(name.substr(11));
      if (!valid_name(class_name))
        fail("section [" + std::string(name) + "] needs a NAME of letters, digits, '_' or '-' after 'specialist.'");
      for (const game_file_class& c : file_.classes)
        if (c.name == class_name)
          fail("section [specialist." + class_name + "] given more than once (first on line " +
               std::to_string(c.line) + ")");
    } else if (name != "specialist") {
      fail("unknown section [" + std::string(name) + "] (expected [generalist], [specialist] or [specialist.NAME])");
    }
    if (file_.classes.size() == static_cast<std::size_t>(multi_game::max_classes))
      fail("more than " + std::to_string(multi_game::max_classes) +
           " specialist sections (the most specialist classes a game can have)");
    game_file_class c;
    c.name = std::move(class_name);
    c.line = line_;
    file_.classes.push_back(std::move(c));
    where_ = section::specialist;
  }

  // The first line of an earlier value, for "given more than once".
  template <class T>
  void check_unique(const std::optional<file_value<T>>& v, std::string_view key) const {
    if (v)
      fail("key '" + std::string(key) + "' given more than once in " + section_label() + " (first on line " +
           std::to_string(v->line) + ")");
  }

  double number(std::string_view key, std::string_view value) const {
    double x = 0.0;
    const std::string rule = read_number(value, x);
    if (!rule.empty()) fail("key '" + std::string(key) + "' " + rule);
    return x;
  }

  void assignment(std::string_view body) {
    const std::size_t eq = body.find('=');
    if (eq == std::string_view::npos)
      fail("expected 'key = value', [section] or a comment (got '" + std::string(body) + "')");
    const std::string_view key = trim(body.substr(0, eq));
    const std::string_view value = trim(body.substr(eq + 1));
    if (key.empty()) fail("expected 'key = value' (the key is missing before '=')");
    const std::string k(key);
    switch (where_) {
      case section::none:
        fail("key '" + k + "' is outside a section (put it under [generalist] or [specialist])");
      case section::generalist: generalist_key(k, value); return;
      case section::specialist: specialist_key(k, value); return;
    }
  }

  void generalist_key(const std::string& key, std::string_view value) {
    std::optional<file_value<double>>* slot = nullptr;
    if (key == "c0") slot = &file_.c0;
    if (key == "k0") slot = &file_.k0;
    if (key == "d0") slot = &file_.d0;
    if (slot == nullptr) fail("key '" + key + "' is unknown in [generalist] (known keys: c0, k0, d0)");
    check_unique(*slot, key);
    const double x = number(key, value);
    if (key == "c0" && !(x > 0.0)) fail("key 'c0' must be > 0 (got " + std::string(value) + ")");
    if (key == "k0" && !(x > 1.0)) fail("key 'k0' must be > 1 (got " + std::string(value) + ")");
    *slot = file_value<double>{x, line_};
  }

  void specialist_key(const std::string& key, std::string_view value) {
    game_file_class& c = file_.classes.back();
    if (key == "count") {
      check_unique(c.count, key);
      long long n = 0;
      const std::string rule = read_positive_int(value, INT_MAX, n);
      if (!rule.empty()) fail("key 'count' " + rule);
      c.count = file_value<long long>{n, line_};
      return;
    }
    for (int i = 0; i < specialist_field_count; ++i) {
      const auto f = static_cast<specialist_field>(i);
      if (key != field_name(f)) continue;
      auto& slot = c.values[static_cast<std::size_t>(i)];
      check_unique(slot, key);
      const double x = number(key, value);
      const std::string rule = specialist_rule(f, x, value);
      if (!rule.empty()) fail("key '" + key + "' " + rule);
      slot = file_value<double>{x, line_};
      return;
    }
    fail("key '" + key + "' is unknown in " + section_label() + " (known keys: c, k, f, m, s, b, d, count)");
  }

  std::string_view text_;
  game_file file_;
  int line_ = 0;
  int generalist_line_ = 0;
  section where_ = section::none;
};

}  // namespace

game_file parse_game_file(std::string_view text, const std::string& path) {
  return parser(text, path).run();
}

game_file read_game_file(const std::string& path) {
  auto cannot = [&](std::string_view why) {
    return usage_error(command, "--game file '" + path + "' cannot be read (" + std::string(why) + ")");
  };
  std::string text;
  if (const std::string why = read_text_file(path, max_game_file_size, text); !why.empty()) throw cannot(why);
  return parse_game_file(text, path);
}

}  // namespace ftg
