// engine/report.hpp: the table and JSON output of `ftg solve`.
//
// 1. What: writes a solve_report (engine/solve.hpp), that is every bargaining solution of
//    kernels/bargaining.hpp and the Pareto set of kernels/pareto.hpp for one game, as an aligned
//    text table or as JSON. The JSON field names are a stable interface documented in docs/cli.md
//    (schema "ftg-solve", schema_version 1.0.0); change them only with a new MAJOR version there.
// 2. Preconditions: none. Every solution is written whatever its status; NaN and infinity appear as
//    "nan"/"inf" in the table and as null in JSON.
// 3. Method: table numbers use printf "%.10g" (differences "%.3g"); JSON numbers use the shortest
//    form that reads back as the same double (json_writer.hpp).
// 4. Reentrant; allocates; writes only to the given stream.
#pragma once

#include <ostream>
#include <string>

#include "engine/solve.hpp"
#include "kernels/pareto.hpp"

namespace ftg {

void write_solve_table(std::ostream& out, const solve_report& report);
void write_solve_json(std::ostream& out, const solve_report& report);

/// printf "%.10g": enough digits to read, "nan" and "inf" for non-finite values.
std::string format_number(double x);

/// "[lo, hi], [lo, hi]" with format_number ends, "disagreement" for an empty set, or
/// "none (<status>)" when the Pareto kernel failed.
std::string format_pareto(const pareto_set& set);

}  // namespace ftg
