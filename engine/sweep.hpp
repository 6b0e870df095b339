// engine/sweep.hpp: sweep files (sweeps/*.ini): what to compute over which grid of parameters.
//
// 1. What: parse_sweep() reads a sweep file (docs/sweeps.md) with Boost.Program_options
//    (parse_config_file, unregistered keys are errors; [grid] c1 = ... becomes grid.c1) plus
//    command-line overrides "grid.c1=linspace(1,2,3)" (the command line wins), checks every rule
//    and returns a plain sweep_spec: the axes in file order with delta innermost, the fixed
//    parameters, the requested outputs, precision, compression, tile size, and the resolved text
//    (every key with its value, defaults filled in) for provenance.
// 2. Preconditions: none. Every broken rule throws usage_error(command, detail) whose detail is
//    one line "WHERE: KEY: RULE", WHERE being "FILE:LINE" (the key's line), "FILE" (no line, e.g.
//    a missing required key) or "command line" (an override), e.g.
//    "ftg run: sweeps/x.ini:12: grid.c1: values must be > 0 (got 0)".
// 3. Method: a line scan of the file (the same syntax as Program_options' config parser: '#'
//    starts a comment, [section], key = value) finds the line of every key and rejects unknown
//    sections, unknown keys, repeated keys and malformed lines with their line number (Program_options
//    reports none); then Program_options parses overrides and file (first stored value wins, no
//    ->composing()), and each value is checked against kernels/params.hpp's rules.
// 4. Reentrant; allocates (axis values are held in memory, 8 bytes each).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tile_compute.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/params.hpp"

namespace ftg {

// sweep_model (two_player, multi) is declared in engine/tile_compute.hpp.
enum class value_precision : std::uint8_t { f64 = 0, f32 };
enum class sweep_compression : std::uint8_t { none = 0, deflate };  ///< deflate: shuffle + deflate level 4

/// Per-delta fields (one value per cell of a grid with a delta axis; engine/tile_compute.hpp). The
/// names are output_schemas/ftg_results_v1.md's variable names.
enum class delta_field : std::uint8_t {
  alpha0 = 0,  ///< alpha0*(delta), Theorem 3.1 (multi: G's investment)
  alpha1,      ///< two_player: alpha1*(delta), Theorem 3.1 (the max-performance objective of Figure 4)
  u_g,         ///< UG(delta), eq. (5) (multi: eq. 7)
  u_d,         ///< two_player: UD(delta), eq. (6)
  in_pareto,   ///< 1 if delta lies in the Pareto set, else 0 (Figure 4's non-gray region)
  alpha_i,     ///< multi: each class's alpha_i (specialist dim)
  u_i,         ///< multi: each class's utility (specialist dim; eq. 8)
  regime,      ///< multi: each class's regime, Definitions 5.1-5.3 (specialist dim)
  participants,       ///< multi: number of specialists taking part
  total_performance,  ///< multi: sum of alpha_i over the specialists taking part
  table2,             ///< multi: Theorem 5.2 / Table 2's predicted regime at the equilibrium alpha0
                      ///< (specialist dim; contributor_or_abstainer is the table's case (*))
};
inline constexpr int delta_field_count = 11;
std::string_view to_string(delta_field f) noexcept;

/// Per-cell statuses are always written; they are not requested.
enum class sweep_kind : std::uint8_t {
  per_delta = 0,  ///< `fields` over a grid whose innermost axis is delta
  per_point,      ///< `solutions` (delta*, UG, UD per game); no delta axis
};

// An axis is ftg::sweep_axis of engine/tile_compute.hpp: {name, values}, values strictly monotone.

/// The values of the two-player parameters at one cell.
struct sweep_point {
  game_params game{};
  double beta = 0.5;
  double delta = 0.0;  ///< meaningful for per_delta sweeps only
};

struct sweep_spec {
  std::string path;  ///< as given; used in messages
  std::string name;  ///< sweep.name
  sweep_model model = sweep_model::two_player;
  sweep_kind kind = sweep_kind::per_delta;
  std::vector<sweep_axis> axes;  ///< outer to inner (C order); delta, when present, is last
  std::vector<std::string> axis_exprs;  ///< per axis, canonical expression: "logspace(-1, 1, 401)", "1, 2, 4"
  sweep_point fixed{};           ///< every parameter's value when it is not an axis (an axis's
                                 ///< slot holds its first value)
  std::vector<delta_field> fields;  ///< per_delta: requested fields, in the order given
  std::vector<solution> solutions;  ///< per_point, two_player: requested solutions, in the order given
  std::vector<multi_solution> multi_solutions;  ///< per_point, multi: requested solutions
  bool pareto_set = false;          ///< per_point: the Pareto set as intervals ("pareto" in solutions)
  multi_game population{};          ///< multi: G's fixed parameters and the specialist classes
                                    ///< ([population] lists, or one class from [grid])
  solve_choice solver = solve_choice::automatic;  ///< sweep.method: auto (closed forms where k0 = k1 = 2),
                                                  ///< numeric, closed_form (needs k0 = k1 = 2 everywhere)
  value_precision precision = value_precision::f64;
  sweep_compression compression = sweep_compression::none;
  std::uint64_t tile_cells = 65536;  ///< run.tile_cells: target cells per tile
  std::string resolved_text;         ///< canonical INI text, every key resolved; parses to this spec

  std::uint64_t cells() const noexcept;  ///< product of the axis sizes
  bool has_delta_axis() const noexcept;
  const sweep_axis* find_axis(std::string_view name) const noexcept;  ///< nullptr if not an axis
};

/// The request engine/tile_compute.hpp computes for this sweep.
sweep_request to_request(const sweep_spec& spec);

/// The parameters of the cell at `index` (one index per axis, in axis order).
sweep_point point_at(const sweep_spec& spec, std::span<const std::uint64_t> index);

/// Limits (docs/sweeps.md).
inline constexpr std::uint64_t max_axis_values = 1'000'000'000;        ///< per axis
inline constexpr std::uint64_t max_delta_values = 100'000'000;         ///< a tile holds whole delta rows
inline constexpr std::uint64_t max_sweep_cells = 10'000'000'000'000;   ///< 1e13
inline constexpr std::uint64_t max_tile_cells = 100'000'000;           ///< run.tile_cells
inline constexpr std::size_t max_sweep_file_size = std::size_t{1} << 20;  ///< 1 MiB

/// Parses the sweep text; `path` is used in messages and kept in the spec. `overrides` are
/// "key=value" strings (an optional leading "--" is accepted) that win over the file. `command`
/// names the subcommand in messages ("ftg run: ...").
sweep_spec parse_sweep_text(std::string_view text, const std::string& path,
                            std::span<const std::string> overrides = {},
                            std::string_view command = "run");

/// Reads the file at `path` (at most max_sweep_file_size bytes) and parses it.
sweep_spec parse_sweep(const std::string& path, std::span<const std::string> overrides = {},
                       std::string_view command = "run");

/// Parses one axis expression: a number, a list "a, b, c", linspace(a, b, n) or logspace(a, b, n)
/// (base 10). linspace's ends are exactly a and b; logspace's are 10^a and 10^b, correctly rounded
/// for integers a, b in [-22, 22] (else std::pow). Returns "" and fills `values`
/// and `canonical`, or returns the broken rule (no range rules: those depend on the parameter).
std::string parse_axis_expression(std::string_view text, std::vector<double>& values,
                                  std::string& canonical, bool& is_axis);

/// Shortest text that reads back to exactly x (std::to_chars).
std::string format_double(double x);

}  // namespace ftg
