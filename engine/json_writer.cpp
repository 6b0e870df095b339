#include "engine/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ftg {

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  if (res.ec != std::errc{}) throw std::logic_error("json_number: to_chars failed");
  return std::string(buf.data(), res.ptr);
}

std::string json_string(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(text.size() + 2);
  s += '"';
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': s += "\\\""; break;
      case '\\': s += "\\\\"; break;
      case '\n': s += "\\n"; break;
      case '\r': s += "\\r"; break;
      case '\t': s += "\\t"; break;
      case '\b': s += "\\b"; break;
      case '\f': s += "\\f"; break;
      default:
        if (u < 0x20) {
          s += "\\u00";
          s += hex[u >> 4];
          s += hex[u & 0xF];
        } else {
          s += ch;  // UTF-8 passes through unchanged
        }
    }
  }
  s += '"';
  return s;
}

void json_writer::newline_indent(std::size_t depth) {
  out_ << '\n';
  for (std::size_t i = 0; i < depth; ++i) out_ << "  ";
}

void json_writer::before_value() {
  if (done_) throw std::logic_error("json_writer: value after the end of the document");
  if (stack_.empty()) return;  // the top-level value
  level& top = stack_.back();
  if (top.object) {
    if (!after_key_) throw std::logic_error("json_writer: object member without a key");
    after_key_ = false;
    return;  // key() already wrote the separator
  }
  if (!top.empty) out_ << ',';
  if (top.inline_container) {
    if (!top.empty) out_ << ' ';
  } else {
    newline_indent(stack_.size());
  }
  top.empty = false;
}

json_writer& json_writer::key(std::string_view name) {
  if (stack_.empty() || !stack_.back().object || after_key_)
    throw std::logic_error("json_writer: key outside an object");
  level& top = stack_.back();
  if (!top.empty) out_ << ',';
  if (top.inline_container) {
    if (!top.empty) out_ << ' ';
  } else {
    newline_indent(stack_.size());
  }
  top.empty = false;
  out_ << json_string(name) << ": ";
  after_key_ = true;
  return *this;
}

void json_writer::open(bool object, bool inline_container, char bracket) {
  before_value();
  // A container inside an inline one stays on the same line.
  const bool is_inline = inline_container || (!stack_.empty() && stack_.back().inline_container);
  out_ << bracket;
  stack_.push_back(level{object, is_inline, true});
}

void json_writer::close(bool object, char bracket) {
  if (stack_.empty() || stack_.back().object != object || after_key_)
    throw std::logic_error("json_writer: mismatched end of a container");
  const level top = stack_.back();
  stack_.pop_back();
  if (!top.empty && !top.inline_container) newline_indent(stack_.size());
  out_ << bracket;
  if (stack_.empty()) done_ = true;
}

json_writer& json_writer::begin_object(bool inline_container) {
  open(true, inline_container, '{');
  return *this;
}
json_writer& json_writer::end_object() {
  close(true, '}');
  return *this;
}
json_writer& json_writer::begin_array(bool inline_container) {
  open(false, inline_container, '[');
  return *this;
}
json_writer& json_writer::end_array() {
  close(false, ']');
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  before_value();
  out_ << json_string(text);
  if (stack_.empty()) done_ = true;
  return *this;
}
json_writer& json_writer::number(double x) {
  before_value();
  out_ << json_number(x);
  if (stack_.empty()) done_ = true;
  return *this;
}
json_writer& json_writer::integer(std::int64_t x) {
  before_value();
  out_ << x;
  if (stack_.empty()) done_ = true;
  return *this;
}
json_writer& json_writer::boolean(bool b) {
  before_value();
  out_ << (b ? "true" : "false");
  if (stack_.empty()) done_ = true;
  return *this;
}
json_writer& json_writer::null() {
  before_value();
  out_ << "null";
  if (stack_.empty()) done_ = true;
  return *this;
}

void json_writer::finish() {
  if (!done_ || !stack_.empty()) throw std::logic_error("json_writer: unfinished document");
  out_ << '\n';
}

}  // namespace ftg
