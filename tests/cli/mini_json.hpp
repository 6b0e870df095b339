// tests/cli/mini_json.hpp: a strict, minimal JSON reader for checking `ftg solve --json` output.
// Test-only: it rejects anything RFC 8259 does not allow (trailing commas, NaN, bare words), so
// parsing the output is itself a validity check. Throws std::runtime_error on malformed input.
#pragma once

#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ftg::test {

struct json_value {
  enum class kind { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool b = false;
  double num = 0.0;
  std::string str;
  std::vector<json_value> arr;
  std::vector<std::pair<std::string, json_value>> obj;  // in document order

  bool is_null() const { return type == kind::null; }
  bool has(std::string_view key) const {
    for (const auto& [k, v] : obj)
      if (k == key) return true;
    return false;
  }
  const json_value& at(std::string_view key) const {
    if (type != kind::object) throw std::runtime_error("json: not an object, looking for " + std::string(key));
    for (const auto& [k, v] : obj)
      if (k == key) return v;
    throw std::runtime_error("json: missing key " + std::string(key));
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> ks;
    for (const auto& [k, v] : obj) ks.push_back(k);
    return ks;
  }
};

class json_reader {
 public:
  static json_value parse(std::string_view text) {
    json_reader r(text);
    json_value v = r.value();
    r.skip_ws();
    if (r.pos_ != r.text_.size()) r.fail("trailing characters");
    return v;
  }

 private:
  explicit json_reader(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("json: " + what + " at offset " + std::to_string(pos_));
  }
  void skip_ws() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }
  char peek() {
    skip_ws();
    if (pos_ >= text_.size()) fail("unexpected end");
    return text_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  json_value value() {
    json_value v;
    const char c = peek();
    if (c == '{') {
      v.type = json_value::kind::object;
      ++pos_;
      if (peek() == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        if (peek() != '"') fail("expected a key");
        std::string key = string();
        if (v.has(key)) fail("duplicate key " + key);
        expect(':');
        v.obj.emplace_back(std::move(key), value());
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.type = json_value::kind::array;
      ++pos_;
      if (peek() == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.arr.push_back(value());
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.type = json_value::kind::string;
      v.str = string();
      return v;
    }
    if (literal("null")) return v;
    if (literal("true")) {
      v.type = json_value::kind::boolean;
      v.b = true;
      return v;
    }
    if (literal("false")) {
      v.type = json_value::kind::boolean;
      return v;
    }
    v.type = json_value::kind::number;
    v.num = number();
    return v;
  }

  std::string string() {
    expect('"');
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const char c = text_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        s += c;
        continue;
      }
      if (pos_ >= text_.size()) fail("unfinished escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'n': s += '\n'; break;
        case 't': s += '\t'; break;
        case 'r': s += '\r'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'u': {
          if (pos_ + 4 > text_.size()) fail("short \\u escape");
          unsigned code = 0;
          const auto res = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, code, 16);
          if (res.ec != std::errc{} || res.ptr != text_.data() + pos_ + 4) fail("bad \\u escape");
          pos_ += 4;
          if (code >= 0x80) fail("non-ASCII \\u escape not supported by this test reader");
          s += static_cast<char>(code);
          break;
        }
        default: fail("bad escape");
      }
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return s;
  }

  // RFC 8259 number grammar checked by hand; from_chars alone would accept "inf" or "1.".
  double number() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t d = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - d;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      fail("bad number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) fail("bad fraction");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail("bad exponent");
    }
    double x = 0.0;
    const auto res = std::from_chars(text_.data() + start, text_.data() + pos_, x);
    if (res.ec != std::errc{} || res.ptr != text_.data() + pos_) fail("unreadable number");
    return x;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace ftg::test
