// kernels/detail/unimodal.hpp: the fast path of the numeric two-player kernels for k0, k1 >= 2
// and d0, d1 >= 0 (not public; bargaining_unimodal.cpp, docs/model.md section 1.5).
//
// Why it is valid. With p = 1/(k-1) <= 1, alpha0 = (a0 delta)^p0 and b = (a1 (1-delta))^p1 are
// concave, so UG = delta (alpha0 (1 - 1/k0) + b) and UD = (1-delta)(alpha0 + b (1 - 1/k1)) are
// products of a linear factor and a positive concave factor: both are strictly log-concave on
// (0, 1) (Proposition 3.1's unimodality, and more). A log-concave f minus a constant c >= 0 stays
// log-concave where it is positive ((f - c) f'' <= f f'' <= f'^2 when f'' > 0), so for d0, d1 >= 0
// the gains are log-concave too. Hence: UG' and UD' change sign once (powerful-G, powerful-D),
// the Pareto set is the interval [L, R] of Theorem 2.1, beta log gG + (1-beta) log gD is strictly
// concave (one Nash root), UG + UD has a strictly decreasing slope and alpha1 is concave (one
// root each), and gG - gD, gG/gG* - gD/gD* increase on [L, R] (one crossing each). Every root is
// found by newton_in_bracket (detail/newton.hpp) inside a bracket whose end signs are evaluated,
// never assumed; any failed check sends the caller back to the robust scan path.
// Pure, reentrant, no allocation.
#pragma once

#include <cstdint>

#include "kernels/bargaining.hpp"
#include "kernels/detail/two_player.hpp"

namespace ftg::detail {

/// The fast path is allowed: opts.unimodal_fast_path, k0, k1 >= 2 and d0, d1 >= 0.
inline bool unimodal_applies(const game_params& g, const solver_options& opts) noexcept {
  return opts.unimodal_fast_path && g.k0 >= 2.0 && g.k1 >= 2.0 && g.d0 >= 0.0 && g.d1 >= 0.0;
}

/// What the fast solutions of one game share; the Pareto set is computed on first use.
struct unimodal_game {
  game_params game{};
  solver_options opts{};
  game_constants k{};
  point at0{}, at1{};  // the game at delta = 0 and 1 (exact end slopes), once have_ends
  bool have_ends = false;
  bool have_set = false;
  double pg = 0.0, pd = 0.0;  // maximisers of UG and UD
  pareto_set ps{};            // [L, R] or disagreement
  std::uint32_t iterations = 0;      // every Newton iteration so far
  std::uint32_t set_iterations = 0;  // those spent on the Pareto set
};

/// Set up the fast path; false when a check fails (the caller takes the robust path).
/// The strategy scales alpha0(1) = a0^p0 and b(0) = a1^p1 are within the fast path's range (the
/// check unimodal_init makes), for callers that need only that answer.
bool unimodal_scales_ok(const game_constants& k) noexcept;
bool unimodal_init(const game_params& g, const solver_options& opts, unimodal_game& u) noexcept;
/// Powerful-G, powerful-D and the Pareto set; false when a check fails.
bool unimodal_pareto(unimodal_game& u) noexcept;
/// One solution; false when a check fails (out is then unspecified).
bool unimodal_solve(solution s, double beta, unimodal_game& u, bargain_result& out) noexcept;

}  // namespace ftg::detail
