// kernels/detail/lanes.hpp: what the batch solvers (bargaining_batch.cpp,
// bargaining_closed_form_batch.cpp) share around their AVX-512 lanes (not public): the walk over
// the games in groups, with the scalar fallback, and the writing of a lane's game_solution.
// Plain C++ (no intrinsics), so it compiles for any target. Pure, reentrant, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/bargaining.hpp"

namespace ftg::detail {

/// Runs the games i < n in groups of Batch: qualify(i, slot) says whether game i may go in a
/// group (and may fill per-slot data for it), solve(idx, filled) solves a group whose first
/// `filled` slots hold games (the rest repeat the last one) and returns a bit per slot whose result
/// stands, fallback(i) solves game i by the scalar code. Returns how many games stood in groups.
template <int Batch, class Qualify, class Solve, class Fallback>
std::size_t in_groups(std::size_t n, Qualify&& qualify, Solve&& solve, Fallback&& fallback) {
  std::size_t idx[Batch];
  int filled = 0;
  std::size_t stood = 0;
  auto flush = [&] {
    if (filled == 0) return;
    for (int l = filled; l < Batch; ++l) idx[l] = idx[filled - 1];
    const std::uint32_t ok = solve(idx, filled);
    for (int l = 0; l < filled; ++l) {
      if ((ok >> l) & 1u) ++stood;
      else fallback(idx[l]);
    }
    filled = 0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (!qualify(i, filled)) {
      fallback(i);
      continue;
    }
    idx[filled++] = i;
    if (filled == Batch) flush();
  }
  flush();
  return stood;
}

/// The stored lane values of a group of eight games with one Pareto interval [L, R] each.
struct lane_results {
  static constexpr int lanes = 8;
  alignas(64) double v[solution_count][5][lanes];  // delta, u_g, u_d, alpha0, alpha1
  alignas(64) double L[lanes], R[lanes];
  std::uint8_t in_pareto[solution_count] = {};      // a bit per lane
  std::uint16_t iterations[solution_count][lanes] = {};
};

/// Lane l's game_solution: status ok, the set [L, R] (unimodal), each solution's fields.
inline void write_lane(const lane_results& r, int l, game_solution& gs) noexcept {
  gs = game_solution{};
  gs.pareto.unimodal = true;
  gs.pareto.status = cell_status::ok;
  gs.pareto.intervals[0] = {r.L[l], r.R[l]};
  gs.pareto.count = 1;
  for (int i = 0; i < solution_count; ++i) {
    bargain_result& b = gs.solutions[static_cast<std::size_t>(i)];
    b.delta = r.v[i][0][l];
    b.u_g = r.v[i][1][l];
    b.u_d = r.v[i][2][l];
    b.alpha0 = r.v[i][3][l];
    b.alpha1 = r.v[i][4][l];
    b.in_pareto = (r.in_pareto[i] >> l) & 1u;
    b.iterations = r.iterations[i][l];
  }
}

}  // namespace ftg::detail
