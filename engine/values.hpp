// engine/values.hpp: parsing and checking of the values typed on the command line or in a game file.
//
// 1. What: the number and integer syntax of `ftg solve` (docs/cli.md), the comma-separated lists
//    of the n-specialist options (`--c 1,2,4`), and the range rules of a specialist class
//    (kernels/multi.hpp validate()). Each check returns the *rule* that was broken ("must be > 0
//    (got -1)"), or an empty string, so that the caller can prefix where the value came from:
//    "--f[2] " on the command line, "FILE:LINE: key 'f' " in a game file.
// 2. Preconditions: none.
// 3. Method: a number is the whole token read by std::from_chars (decimal or scientific, one
//    optional leading '+'); "nan" and "inf" are numbers that break the "finite" rule. An integer is
//    the whole token in decimal digits (one optional leading '+').
// 4. Pure, reentrant; allocates only the returned strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftg {

/// Reads a finite double from the whole of `text` into `x`. Returns "" on success, else one of
/// "must be a number (got 'TEXT')", "must be finite (got TEXT)",
/// "is out of the range of a double (got TEXT)".
std::string read_number(std::string_view text, double& x);

/// Reads an integer in [1, max_value] from the whole of `text`. Returns "" on success, else
/// "must be an integer >= 1 (got 'TEXT')" or "must be <= MAX (got TEXT)".
std::string read_positive_int(std::string_view text, long long max_value, long long& x);

/// `text` split at every ',' (no trimming): "1,2" -> {"1", "2"}, "" -> {""}, "1," -> {"1", ""}.
std::vector<std::string_view> split_list(std::string_view text);

/// The parameters of a specialist class that are real numbers, in the order of their options.
enum class specialist_field : int { c = 0, k, f, m, s, b, d };
inline constexpr int specialist_field_count = 7;

/// "c", "k", "f", "m", "s", "b", "d".
std::string_view field_name(specialist_field f) noexcept;

/// The range rule of kernels/multi.hpp for `x` as field `f`, with the value echoed as `text`:
/// "" when it holds, else e.g. "must be > 0 (got -1)". Finiteness is read_number()'s job.
std::string specialist_rule(specialist_field f, double x, std::string_view text);

}  // namespace ftg
