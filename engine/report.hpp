// engine/report.hpp: the table and JSON output of `ftg solve`.
//
// 1. What: writes a solve_report (engine/solve.hpp), that is every bargaining solution of
//    kernels/bargaining.hpp and the Pareto set of kernels/pareto.hpp for one two-player game, or a
//    multi_solve_report (engine/multi_solve.hpp: kernels/multi_bargaining.hpp for n specialists),
//    as an aligned text table or as JSON. The JSON field names are a stable interface documented
//    in docs/cli.md (schema "ftg-solve"): the two-player output is schema_version 1.0.0 exactly as
//    before; the n-specialist output is 1.1.0, which adds `mode` and the multi fields. Change a
//    field only with a new MAJOR version there.
// 2. Preconditions: none. Every solution is written whatever its status; NaN and infinity appear as
//    "nan"/"inf" in the table and as null in JSON.
// 3. Method: table numbers use printf "%.10g" (differences "%.3g"); JSON numbers use the shortest
//    form that reads back as the same double (json_writer.hpp).
// 4. Reentrant; allocates; writes only to the given stream.
#pragma once

#include <ostream>
#include <string>

#include "engine/multi_solve.hpp"
#include "engine/solve.hpp"
#include "kernels/pareto.hpp"

namespace ftg {

void write_solve_table(std::ostream& out, const solve_report& report);
void write_solve_json(std::ostream& out, const solve_report& report);

/// n-specialist mode: the game (generalist and one row per class), then one row for G and one per
/// class for every solution, then the Pareto set and Theorem 5.1's intervals.
void write_multi_table(std::ostream& out, const multi_solve_report& report);
/// n-specialist mode: schema_version 1.1.0, mode "multi" (docs/cli.md).
void write_multi_json(std::ostream& out, const multi_solve_report& report);

/// The schema_version of each mode's JSON.
inline constexpr const char* two_player_schema_version = "1.0.0";
inline constexpr const char* multi_schema_version = "1.1.0";

/// printf "%.10g": enough digits to read, "nan" and "inf" for non-finite values.
std::string format_number(double x);

/// "[lo, hi], [lo, hi]" with format_number ends, "disagreement" for an empty set, or
/// "none (<status>)" when the Pareto kernel failed.
std::string format_pareto(const pareto_set& set);

/// The same for the n-specialist Pareto set (`theorem51` false) or for Theorem 5.1's local rule
/// (`theorem51` true; "empty" when it keeps no delta).
std::string format_pareto(const multi_pareto_set& set, bool theorem51);

/// "powerful_g", ..., and "powerful_d(D2)" for powerful_d of the second class (1-based, as the
/// paper's D_i): the label of a solution in the table.
std::string table_label(const multi_named_result& r);

}  // namespace ftg
