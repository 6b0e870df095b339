// engine/json_writer.hpp: a small streaming JSON writer (RFC 8259) for machine-readable CLI output.
//
// 1. What: writes objects, arrays, strings, numbers, booleans and null to an ostream, indented by
//    two spaces per level; a container opened with `inline_container = true` is written on one line.
// 2. Preconditions: calls nest correctly (a key before every member of an object, no key inside an
//    array, end_* matching begin_*); a violation throws std::logic_error, since it is a bug in the
//    caller. finish() checks that every container was closed and ends the document with '\n'.
// 3. Method: numbers are written in the shortest form that reads back as the same double
//    (std::to_chars, at most 17 significant digits); NaN and +-infinity, which JSON cannot express,
//    are written as null. Strings are escaped as RFC 8259 requires (quote, backslash, controls).
// 4. Not thread-safe; allocates (one small stack of open containers).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ftg {

class json_writer {
 public:
  explicit json_writer(std::ostream& out) : out_(out) {}

  json_writer& begin_object(bool inline_container = false);
  json_writer& end_object();
  json_writer& begin_array(bool inline_container = false);
  json_writer& end_array();
  json_writer& key(std::string_view name);

  json_writer& string(std::string_view text);
  json_writer& number(double x);  ///< null when x is not finite
  json_writer& integer(std::int64_t x);
  json_writer& boolean(bool b);
  json_writer& null();

  void finish();

 private:
  struct level {
    bool object;
    bool inline_container;
    bool empty;
  };
  void before_value();
  void open(bool object, bool inline_container, char bracket);
  void close(bool object, char bracket);
  void newline_indent(std::size_t depth);

  std::ostream& out_;
  std::vector<level> stack_;
  bool after_key_ = false;
  bool done_ = false;
};

/// The JSON text of a number: shortest round-trip form, or "null" when x is not finite.
std::string json_number(double x);

/// `text` as a quoted, escaped JSON string.
std::string json_string(std::string_view text);

}  // namespace ftg
