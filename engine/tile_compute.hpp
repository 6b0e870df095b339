// engine/tile_compute.hpp: the kernels over one tile of a sweep grid.
//
// A grid is a list of axes in C order, each a model parameter or delta, which when present is the
// innermost axis. Parameters that are not axes take their fixed value. Two models:
//   two_player (kernels/spe.hpp, kernels/bargaining.hpp): parameters c0, c1, k0, k1, d0, d1, beta;
//   multi (kernels/multi.hpp, kernels/multi_bargaining.hpp): G's c0, k0, d0; the specialists'
//     c1, k1, f, m, s, b, d1 (every class) and n (copies of the population: each class's count
//     times n); scale_c1, scale_f, scale_m, scale_s (factors on every class's value, applied
//     after the values are set). The population (sweep_request::population) gives the classes.
// Two kinds of sweep:
//   per-delta: for each cell, the subgame-perfect outcome at that delta and, on request, whether
//     delta is Pareto-optimal. Work that depends only on the outer parameters (the Pareto set,
//     the game) is done once per delta row of the tile, not once per cell.
//   per-point (no delta axis): for each cell, the requested bargaining solutions (delta*, UG,
//     ..., status) and, on request, the Pareto set as intervals.
// Some fields have one value per specialist class or per Pareto interval: an extra trailing
// dimension (extra_dims), whose values follow the cell's in the buffers ([cell][extra], C order).
// Every cell gets a status; a field of a cell whose status is not ok is NaN (its status says why),
// so NaN never appears silently. Pure function of its inputs: callable from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/aligned.hpp"
#include "kernels/bargaining.hpp"
#include "kernels/multi.hpp"
#include "kernels/multi_bargaining.hpp"
#include "kernels/params.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"

namespace ftg {

struct sweep_axis {
  std::string name;            ///< a model parameter (see above) or delta
  std::vector<double> values;  ///< coordinate values, in order
};

enum class solve_choice : std::uint8_t { automatic = 0, numeric, closed_form };
enum class sweep_model : std::uint8_t { two_player = 0, multi };

/// What a tile computes, in the order the output variables are laid out.
struct sweep_request {
  sweep_model model = sweep_model::two_player;
  std::vector<sweep_axis> axes;  ///< C order; delta last if present
  game_params fixed{};           ///< two_player: values of the parameters that are not axes
  double beta = 0.5;             ///< fixed beta unless "beta" is an axis
  multi_game population{};       ///< multi: G's fixed parameters and the classes, before axes
  // per-delta fields (need a delta axis); two_player: alpha0, alpha1, u_g, u_d, pareto;
  // multi: alpha0, u_g, alpha_i, u_i, regime, participants, total_performance, pareto
  bool alpha0 = false, alpha1 = false, u_g = false, u_d = false, pareto = false;
  bool alpha_i = false, u_i = false, regime = false, participants = false, total_performance = false;
  bool table2 = false;
  // per-point results (need no delta axis)
  std::vector<solution> solutions;              ///< two_player
  std::vector<multi_solution> multi_solutions;  ///< multi
  bool pareto_set = false;                      ///< pareto_count, pareto_lo, pareto_hi, pareto_status
  solve_choice method = solve_choice::automatic;
};

/// An extra trailing dimension of some fields: "specialist" (class index 1..classes) or
/// "interval" (Pareto interval index 0..capacity-1).
struct extra_dim {
  std::string name;
  std::vector<double> values;
};

/// One output field: its schema name, whether it holds categories (uint8 codes) and its extra
/// trailing dimension (index into extra_dims(req), or -1 for the grid's dims only).
struct field_info {
  std::string name;
  bool categorical = false;
  int extra = -1;
};

/// The extra dimensions the request's fields use, in order of first use.
std::vector<extra_dim> extra_dims(const sweep_request& req);
/// The output fields, in the order tile_result lays them out (numbers and labels each in order).
std::vector<field_info> fields_of(const sweep_request& req);

/// The names of fields_of(req). two_player per-delta: "alpha0", "alpha1", "u_g", "u_d" (numbers),
/// then "in_pareto" (0/1) and "status" (categories); per-point, for each solution,
/// "<solution>_delta_star", "<solution>_u_g", "<solution>_u_d" (numbers), then the Pareto set's
/// "pareto_count", "pareto_lo", "pareto_hi" (interval dim), then "<solution>_status" and
/// "pareto_status". multi per-delta: "alpha0", "u_g", "alpha_i", "u_i" (specialist dim),
/// "participants", "total_performance", then "regime" (specialist dim), "in_pareto", "status";
/// per-point, for each solution "<solution>_delta_star", "_u_g", "_total_performance", "_u_i"
/// (specialist dim; powerful_d's fields all have it: one solution per class), the Pareto set,
/// then the statuses. tile_result::numbers follows the numeric names in this order, ::labels
/// the categorical ones.
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

/// Tile numbers on 64-byte boundaries (kernels/aligned.hpp): every field of a tile starts on a
/// cache line, so the row kernel's vector stores are aligned in all of them.
using field_buffer = cache_line_vector<double>;

struct tile_result {
  std::vector<field_buffer> numbers;              ///< one per numeric field, C order within the box
                                                  ///< (cells x extent of its extra dim)
  std::vector<std::vector<std::uint8_t>> labels;  ///< one per categorical field (codes: cell_status)
  std::uint64_t cells_not_ok = 0;                 ///< cells with any status other than ok/disagreement
  /// Not output: per-column work shared by rows, kept with the buffers so that recycled buffers
  /// carry it to the next tile (compute_tile refills it when its key differs).
  struct basis_cache {
    std::vector<double> deltas, pow0, pow1;  ///< the row's delta values, delta^p0, (1-delta)^p1
    double k0 = 0.0, k1 = 0.0;               ///< 0 (no k is <= 1): empty
  } row_cache;
  /// Not output: the per-delta path's working storage for a group of rows (its contents mean
  /// nothing between calls). Kept with the buffers so that a recycled tile allocates nothing:
  /// a run of small tiles spent about 7% of its time in malloc and free for these.
  struct row_scratch {
    struct row {
      std::uint64_t cell = 0;  ///< the row's first cell in the tile
      pareto_set ps;           ///< its Pareto set, when membership comes from the set
      bool by_slopes = false;  ///< membership by the row kernel's slope test
    };
    std::vector<row> rows;   ///< sized once to the group; the first `used` are the group's
    std::vector<game_params> games;
    std::vector<spe_row_out> outs;
    std::vector<spe_row_summary> sums;
    std::vector<cell_status> status;  ///< a row's statuses, when it has cells not ok
  } row_work;
};

/// Throws std::invalid_argument for an inconsistent request (an engine bug, not user input: the
/// sweep parser validates user input first).
tile_result compute_tile(const sweep_request& req, const index_box& box);
/// The same into `out`, reusing its buffers' memory (a run recycles tile buffers, so that large
/// sweeps do not allocate and fault in fresh pages for every tile). Results do not depend on
/// what `out` held before.
void compute_tile(const sweep_request& req, const index_box& box, tile_result& out);
/// Room in `out` for a tile of up to `cells` cells of this request, allocated but not touched
/// (std::vector::reserve: no page is faulted in here), so that compute_tile into it does not
/// allocate. The memory then belongs to the calling thread's malloc arena: a run that reserves
/// its tile buffers in its own thread keeps them out of the workers' arenas, which glibc trims
/// back to the system when the run frees them (the next run in the process faulted every page
/// of its tiles in again: at 2 threads a 1e6-cell heatmap took 2 ms instead of 0.5).
void reserve_tile(const sweep_request& req, std::uint64_t cells, tile_result& out);

}  // namespace ftg
