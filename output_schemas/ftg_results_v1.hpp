// output_schemas/ftg_results_v1.hpp: the machine-readable form of output_schemas/ftg_results_v1.md.
//
// 1. What: the constexpr description of the "ftg-results" 1.0.0 HDF5 layout written by `ftg run`:
//    the required root attributes, the categorical variables' flag tables, the known axes and
//    every allowed data variable (name, value class, units, long_name). The writer
//    (engine/h5/h5_writer.cpp) takes units, long_names and flags from here and refuses a variable
//    the schema does not name; the validator (engine/h5/h5_validate.cpp) checks a file against
//    the same tables. The .md document is normative; this header must say the same thing.
// 2. Naming: the layout is flat (every dataset at the root group, so that
//    `xarray.open_dataset(FILE, engine="h5netcdf")` sees all of it). Per-delta fields have plain
//    names (`u_g`); per-point results of a bargaining solution are `<solution>_<field>`
//    (`nash_delta_star`); the Pareto set's are `pareto_<field>`.
// 3. Method: plain constexpr tables of std::string_view; find_variable() resolves a name.
// 4. Thread-safety: constants and a pure function; no allocation except find_variable()'s strings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ftg::schema::v1 {

inline constexpr std::string_view name = "ftg-results";
inline constexpr std::string_view version = "1.0.0";
inline constexpr int version_major = 1;
inline constexpr std::string_view conventions = "CF-1.8";
/// date_end of a file that is not finished (create() reserves the attribute at its final size).
inline constexpr std::string_view date_end_pending = "0000-00-00T00:00:00Z";
/// The writer's file name until finish(): FINAL + partial_suffix.
inline constexpr std::string_view partial_suffix = ".partial";

/// Bookkeeping datasets: `tile` (dimension scale, uint64 tile ids 0..T-1) and `tiles_done`
/// (uint8 over `tile`, 0 pending, 1 done).
inline constexpr std::string_view tile_axis = "tile";
inline constexpr std::string_view tiles_done = "tiles_done";

/// _FillValue of categorical (uint8) variables: "not computed". Never a flag value.
inline constexpr std::uint8_t category_fill = 255;

// ---------------------------------------------------------------------------------------------
// Root attributes
// ---------------------------------------------------------------------------------------------

enum class attr_type : std::uint8_t { text, uint64 };
/// Who writes a root attribute: the writer itself, the caller at create(), or at finish().
enum class attr_source : std::uint8_t { writer, create, finish };

struct root_attribute {
  std::string_view name;
  attr_type type;
  attr_source source;
  std::string_view description;
};

inline constexpr std::array<root_attribute, 16> root_attributes{{
    {"Conventions", attr_type::text, attr_source::writer, "CF version the file follows: \"CF-1.8\""},
    {"schema", attr_type::text, attr_source::writer, "layout name: \"ftg-results\""},
    {"schema_version", attr_type::text, attr_source::writer, "layout version MAJOR.MINOR.REVISION"},
    {"hdf5_version", attr_type::text, attr_source::writer, "HDF5 library that wrote the file"},
    {"title", attr_type::text, attr_source::create, "one-line description of the sweep"},
    {"source", attr_type::text, attr_source::create, "software, version and git commit"},
    {"history", attr_type::text, attr_source::create, "when and how the file was made (CF)"},
    {"software", attr_type::text, attr_source::create, "\"ftgames\""},
    {"software_version", attr_type::text, attr_source::create, "git describe of the build"},
    {"sweep_name", attr_type::text, attr_source::create, "name of the sweep file"},
    {"sweep_text", attr_type::text, attr_source::create, "the whole sweep file as resolved"},
    {"command_line", attr_type::text, attr_source::create, "the command line of the run"},
    {"tbb_version", attr_type::text, attr_source::create, "oneTBB version of the run"},
    {"date_start", attr_type::text, attr_source::create, "UTC start time, ISO 8601"},
    {"date_end", attr_type::text, attr_source::finish, "UTC end time, ISO 8601"},
    {"cells_not_ok", attr_type::uint64, attr_source::finish, "cells whose status is a failure"},
}};

/// Root attributes the writer checks against the file on resume when the caller gives them.
inline constexpr std::array<std::string_view, 2> resume_identity_attributes{"sweep_text",
                                                                            "sweep_hash"};

constexpr const root_attribute* find_root_attribute(std::string_view n) noexcept {
  for (const auto& a : root_attributes) {
    if (a.name == n) return &a;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Categories (CF flag_values / flag_meanings; values are 0..count-1)
// ---------------------------------------------------------------------------------------------

struct category {
  std::string_view name;
  std::uint8_t count;
  std::string_view flag_meanings;  ///< space-separated, in value order
};

/// kernels/params.hpp cell_status, in its numbering.
inline constexpr category cell_status_category{
    "cell_status", 8,
    "ok invalid_params no_bracket max_iter not_finite no_closed_form disagreement overflow"};
/// kernels/multi.hpp regime (Definitions 5.1-5.3).
inline constexpr category regime_category{"regime", 3, "contributor free_rider abstainer"};
/// kernels/multi.hpp table2_prediction (Theorem 5.2, Table 2; the last is the table's case (*)).
inline constexpr category table2_category{"table2_prediction", 4,
                                          "contributor free_rider abstainer contributor_or_abstainer"};
inline constexpr category boolean_category{"boolean", 2, "false true"};
/// tiles_done (no _FillValue: 0 is a value).
inline constexpr category tile_state_category{"tile_state", 2, "pending done"};

// ---------------------------------------------------------------------------------------------
// Axes: any scalar model parameter may be an axis; these names get a default long_name.
// Axes are float64 and dimensionless (units "1").
// ---------------------------------------------------------------------------------------------

struct axis_info {
  std::string_view name;
  std::string_view long_name;
};

inline constexpr std::array<axis_info, 22> known_axes{{
    {"c0", "G's cost scale c0"},
    {"c1", "D's cost scale c1"},
    {"k0", "G's cost exponent k0"},
    {"k1", "D's cost exponent k1"},
    {"d0", "G's disagreement payoff d0"},
    {"d1", "D's disagreement payoff d1"},
    {"beta", "G's bargaining power beta"},
    {"delta", "G's revenue share delta"},
    {"n", "number of specialists n"},
    {"c", "specialists' cost scale c"},
    {"k", "specialists' cost exponent k"},
    {"f", "specialists' fixed cost f"},
    {"m", "specialists' linear marginal cost m"},
    {"s", "specialists' revenue scale s"},
    {"b", "specialists' revenue exponent b"},
    {"d", "specialists' disagreement payoff d"},
    {"scale_c1", "factor on every specialist class's cost scale c1"},
    {"scale_f", "factor on every specialist class's fixed cost f"},
    {"scale_m", "factor on every specialist class's marginal cost m"},
    {"scale_s", "factor on every specialist class's revenue scale s"},
    {"specialist", "specialist class (1-based)"},
    {"interval", "Pareto interval index"},
}};
inline constexpr std::string_view axis_units = "1";

constexpr const axis_info* find_axis(std::string_view n) noexcept {
  for (const auto& a : known_axes) {
    if (a.name == n) return &a;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Variables
// ---------------------------------------------------------------------------------------------

/// real: float64 (default) or float32 on request, _FillValue NaN of that type, units required.
/// categorical: uint8, _FillValue category_fill, flag_values + flag_meanings, no units.
enum class value_class : std::uint8_t { real, categorical };

struct field {
  std::string_view name;
  value_class cls;
  const category* cat;  ///< categorical only
  std::string_view long_name;
  std::string_view units;  ///< real only; "1" = dimensionless
};

/// Per-delta fields (their dims normally include `delta`).
inline constexpr std::array<field, 13> per_delta_fields{{
    {"alpha0", value_class::real, nullptr, "G's subgame-perfect performance level alpha0*", "1"},
    {"alpha1", value_class::real, nullptr, "D's subgame-perfect performance level alpha1*", "1"},
    {"u_g", value_class::real, nullptr, "G's utility U_G", "1"},
    {"u_d", value_class::real, nullptr, "D's utility U_D", "1"},
    {"u_joint", value_class::real, nullptr, "joint utility U_G + U_D", "1"},
    {"total_performance", value_class::real, nullptr,
     "total performance of participating specialists", "1"},
    {"alpha_i", value_class::real, nullptr, "specialist's subgame-perfect performance level alpha_i", "1"},
    {"u_i", value_class::real, nullptr, "specialist's utility U_i", "1"},
    {"participants", value_class::real, nullptr, "number of specialists taking part", "1"},
    {"in_pareto", value_class::categorical, &boolean_category, "delta is Pareto-optimal", ""},
    {"regime", value_class::categorical, &regime_category, "specialist regime", ""},
    {"table2", value_class::categorical, &table2_category,
     "specialist regime predicted by Table 2 at the equilibrium alpha0", ""},
    {"status", value_class::categorical, &cell_status_category, "cell status", ""},
}};

/// Bargaining solutions (kernels/bargaining.hpp `solution`, same spelling).
inline constexpr std::array<std::string_view, 8> solutions{
    "powerful_g",  "powerful_d", "max_performance",   "vertical_monopoly",
    "egalitarian", "nash",       "kalai_smorodinsky", "generalized_nash"};

/// Per-point fields of a solution: variable `<solution>_<field>`; long_name "<solution>: ...".
inline constexpr std::array<field, 11> solution_fields{{
    {"delta_star", value_class::real, nullptr, "agreed revenue share delta*", "1"},
    {"u_g", value_class::real, nullptr, "G's utility at delta*", "1"},
    {"u_d", value_class::real, nullptr, "D's utility at delta*", "1"},
    {"alpha0", value_class::real, nullptr, "alpha0* at delta*", "1"},
    {"alpha1", value_class::real, nullptr, "alpha1* at delta*", "1"},
    {"total_performance", value_class::real, nullptr, "total performance of participating specialists at delta*", "1"},
    {"u_i", value_class::real, nullptr, "specialist's utility at delta*", "1"},
    {"status", value_class::categorical, &cell_status_category, "status", ""},
    {"in_pareto", value_class::categorical, &boolean_category, "delta* is Pareto-optimal", ""},
    {"tie", value_class::categorical, &boolean_category, "separated global maxima", ""},
    {"degenerate", value_class::categorical, &boolean_category, "objective constant in delta", ""},
}};

/// Per-point fields of the Pareto set: variable `pareto_<field>`. `pareto_lo`/`pareto_hi` take
/// an extra axis (e.g. `interval`) for the interval index.
inline constexpr std::array<field, 5> pareto_fields{{
    {"status", value_class::categorical, &cell_status_category, "Pareto set status", ""},
    {"unimodal", value_class::categorical, &boolean_category,
     "both utilities strictly unimodal in delta", ""},
    {"count", value_class::real, nullptr, "number of Pareto intervals", "1"},
    {"lo", value_class::real, nullptr, "lower end of a Pareto interval of delta", "1"},
    {"hi", value_class::real, nullptr, "upper end of a Pareto interval of delta", "1"},
}};

/// A resolved variable name.
struct variable_info {
  value_class cls = value_class::real;
  const category* cat = nullptr;
  std::string long_name;
  std::string units;
};

/// The schema entry of a data variable name, or nullopt if v1 does not allow that name.
inline std::optional<variable_info> find_variable(std::string_view n) {
  const auto make = [](const field& f, std::string_view prefix) {
    std::string long_name;
    if (!prefix.empty()) {
      long_name += prefix;
      long_name += ": ";
    }
    long_name += f.long_name;
    return variable_info{f.cls, f.cat, std::move(long_name), std::string(f.units)};
  };
  for (const auto& f : per_delta_fields) {
    if (f.name == n) return make(f, "");
  }
  for (const auto s : solutions) {
    if (n.size() > s.size() + 1 && n.substr(0, s.size()) == s && n[s.size()] == '_') {
      const auto rest = n.substr(s.size() + 1);
      for (const auto& f : solution_fields) {
        if (f.name == rest) return make(f, s);
      }
    }
  }
  constexpr std::string_view pareto = "pareto_";
  if (n.substr(0, pareto.size()) == pareto) {
    const auto rest = n.substr(pareto.size());
    for (const auto& f : pareto_fields) {
      if (f.name == rest) return make(f, "");
    }
  }
  return std::nullopt;
}

}  // namespace ftg::schema::v1
