#include "engine/values.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace ftg {

namespace {

std::string_view strip_one_plus(std::string_view text) {
  // from_chars rejects a leading '+', which users type; accept exactly one.
  if (text.size() > 1 && text.front() == '+' && text[1] != '+' && text[1] != '-')
    text.remove_prefix(1);
  return text;
}

std::string got(std::string_view text) { return " (got " + std::string(text) + ")"; }

}  // namespace

std::string read_number(std::string_view text, double& x) {
  const std::string_view body = strip_one_plus(text);
  double v = 0.0;
  const char* const end = body.data() + body.size();
  const auto [ptr, ec] = std::from_chars(body.data(), end, v);
  if (ec == std::errc::result_out_of_range && ptr == end)
    return "is out of the range of a double" + got(text);
  if (body.empty() || ec != std::errc{} || ptr != end)
    return "must be a number (got '" + std::string(text) + "')";
  if (!std::isfinite(v)) return "must be finite" + got(text);
  x = v;
  return {};
}

std::string read_positive_int(std::string_view text, long long max_value, long long& x) {
  const std::string_view body = strip_one_plus(text);
  const std::string malformed = "must be an integer >= 1 (got '" + std::string(text) + "')";
  if (body.empty()) return malformed;
  for (const char ch : body)
    if (ch < '0' || ch > '9') return malformed;
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec == std::errc::result_out_of_range || (ec == std::errc{} && v > max_value))
    return "must be <= " + std::to_string(max_value) + got(text);
  if (ec != std::errc{} || ptr != body.data() + body.size() || v < 1) return malformed;
  x = v;
  return {};
}

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

std::string_view field_name(specialist_field f) noexcept {
  switch (f) {
    case specialist_field::c: return "c";
    case specialist_field::k: return "k";
    case specialist_field::f: return "f";
    case specialist_field::m: return "m";
    case specialist_field::s: return "s";
    case specialist_field::b: return "b";
    case specialist_field::d: return "d";
  }
  return "?";
}

std::string specialist_rule(specialist_field f, double x, std::string_view text) {
  const char* rule = nullptr;
  switch (f) {
    case specialist_field::c:
    case specialist_field::s:
      if (!(x > 0.0)) rule = "must be > 0";
      break;
    case specialist_field::k:
      if (!(x > 1.0)) rule = "must be > 1";
      break;
    case specialist_field::f:
    case specialist_field::m:
      if (!(x >= 0.0)) rule = "must be >= 0";
      break;
    case specialist_field::b:
      if (!(x > 0.0 && x <= 1.0)) rule = "must be in (0, 1]";
      break;
    case specialist_field::d: break;
  }
  return rule == nullptr ? std::string{} : rule + got(text);
}

}  // namespace ftg
