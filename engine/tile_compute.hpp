// engine/tile_compute.hpp: the kernels over one tile of a two-player sweep grid.
//
// A grid is a list of axes in C order, each a parameter of kernels/params.hpp (c0, c1, k0, k1,
// d0, d1, beta) or delta, which when present is the innermost axis. Parameters that are not axes
// take their fixed value. Two kinds of sweep:
//   per-delta: for each cell, the subgame-perfect outcome at that delta (spe(), Theorem 3.1) and,
//     on request, whether delta is Pareto-optimal. The Pareto set depends only on the outer
//     parameters, so it is computed once per delta row of the tile, not once per cell.
//   per-point (no delta axis): for each cell, the requested bargaining solutions (delta*, UG, UD,
//     status), by the closed forms when k0 = k1 = 2 and method is automatic, else numerically.
// Every cell gets a status; a field of a cell whose status is not ok is NaN (its status says why),
// so NaN never appears silently. Pure function of its inputs: callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/bargaining.hpp"
#include "kernels/params.hpp"

namespace ftg {

struct sweep_axis {
  std::string name;            ///< c0, c1, k0, k1, d0, d1, beta or delta
  std::vector<double> values;  ///< coordinate values, in order
};

enum class solve_choice : std::uint8_t { automatic = 0, numeric, closed_form };

/// What a tile computes, in the order the output variables are laid out.
struct sweep_request {
  std::vector<sweep_axis> axes;  ///< C order; delta last if present
  game_params fixed{};           ///< values of the parameters that are not axes
  double beta = 0.5;             ///< fixed beta unless "beta" is an axis
  // per-delta fields (need a delta axis)
  bool alpha0 = false, alpha1 = false, u_g = false, u_d = false, pareto = false;
  // per-point solutions (need no delta axis)
  std::vector<solution> solutions;
  solve_choice method = solve_choice::automatic;
};

/// The names of the output fields of a request: per-delta "alpha0", "alpha1", "u_g", "u_d"
/// (numbers), then "in_pareto" (0/1) and "status" (categories); per-point, for each solution,
/// "<solution>_delta_star", "<solution>_u_g", "<solution>_u_d" (numbers) and "<solution>_status".
/// tile_result::numbers follows the numeric names in this order, ::labels the categorical ones.
std::vector<std::string> field_names(const sweep_request& req);

/// Whether a field holds categories (uint8 codes) rather than numbers.
bool is_categorical(const std::string& field);
/// Whether a field is a cell status ("status" or "<solution>_status"; codes of cell_status).
bool is_status(const std::string& field);

/// A half-open box of axis indices, [lo[i], hi[i]) per axis.
struct index_box {
  std::vector<std::uint64_t> lo, hi;
  std::uint64_t cells() const noexcept;
};

struct tile_result {
  std::vector<std::vector<double>> numbers;       ///< one per numeric field, C order within the box
  std::vector<std::vector<std::uint8_t>> labels;  ///< one per categorical field (codes: cell_status)
  std::uint64_t cells_not_ok = 0;                 ///< cells with any status other than ok/disagreement
};

/// Throws std::invalid_argument for an inconsistent request (an engine bug, not user input: the
/// sweep parser validates user input first).
tile_result compute_tile(const sweep_request& req, const index_box& box);

}  // namespace ftg
