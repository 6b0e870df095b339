// kernels/spe.hpp: subgame-perfect strategies and utilities of the two-player game at a fixed delta.
//
// 1. What: Theorem 3.1 and Corollary 3.1 of arXiv:2308.04399v3 (Section 3.1, Appendix 8.1-8.2):
//      alpha0* = (delta / (k0 c0))^(1/(k0-1)),   alpha1* = alpha0* + ((1-delta) / (k1 c1))^(1/(k1-1)),
//    and UG = delta*alpha1 - c0*alpha0^k0, UD = (1-delta)*alpha1 - c1*(alpha1-alpha0)^k1, which we
//    evaluate through the first-order identities c0*alpha0^k0 = alpha0*delta/k0 and
//    c1*b^k1 = b*(1-delta)/k1 (b = alpha1 - alpha0):  UG = delta*(alpha1 - alpha0/k0),
//    UD = (1-delta)*(alpha1 - b/k1). Exact at delta = 0 (alpha0 = 0) and delta = 1 (alpha1 = alpha0).
// 2. Preconditions: validate(game, delta) == ok, else status invalid_params and NaN fields. A
//    result whose powers overflow (k close to 1 with tiny c) has status not_finite.
// 3. Method: spe() is the closed form (two std::pow calls). spe_numeric() is an independent
//    backward induction: D's best response by Boost.Math TOMS 748 on D's first-order condition,
//    G's choice by a coarse scan over log(alpha0) and boost::math::tools::brent_find_minima with
//    D's numeric best response nested inside; Brent works to half the digits, so alpha0, alpha1
//    and UD are accurate to about 1e-7 relative and UG (stationary in alpha0) to about 1e-14.
//    A validation tool, not a fast path: about 5e4 evaluations of D's response per call.
// 4. Pure, reentrant, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "params.hpp"

namespace ftg {

struct spe_result {
  double delta = 0.0;
  double alpha0 = 0.0;  ///< G's subgame-perfect investment alpha0*
  double alpha1 = 0.0;  ///< D's subgame-perfect performance alpha1*
  double u_g = 0.0;     ///< UG(delta), eq. (5)
  double u_d = 0.0;     ///< UD(delta), eq. (6)
  cell_status status = cell_status::ok;
};

spe_result spe(const game_params& game, double delta) noexcept;
spe_result spe_numeric(const game_params& game, double delta, const solver_options& opts = {}) noexcept;

/// UG and UD from strategies by definition (eqs. 1-4), for deviation checks: no identity used.
double utility_g(const game_params& game, double delta, double alpha0, double alpha1) noexcept;
double utility_d(const game_params& game, double delta, double alpha0, double alpha1) noexcept;

/// Row kernel for heatmaps: spe() at every delta of a row, for one game.
///
/// 1. What: for j < deltas.size(), alpha0[j], alpha1[j], u_g[j], u_d[j] and status[j] equal
///    spe(game, deltas[j]) (Theorem 3.1 with the first-order identities above), field by field.
/// 2. Preconditions: every non-null pointer of `out` addresses deltas.size() writable elements;
///    null fields are skipped (status may be null too); the output arrays overlap neither each
///    other nor `deltas`. `basis`, when given, was filled by spe_row_basis_fill() for the same
///    deltas and the same k0, k1 as `game` (checked: a basis for other exponents or another row
///    length is ignored; the fill marks columns whose factor is subnormal with NaN). Cells with invalid parameters or delta
///    outside [0, 1] get invalid_params and NaN, as in spe().
/// 3. Method: validation and the constants a = 1/(k c), p = 1/(k-1) are hoisted out of the loop.
///    Without a basis every cell evaluates spe()'s own expressions, pow(a delta, p), so the row is
///    bit for bit spe() for every k (for k = 2, p = 1 and no pow is called: pow(x, 1) == x).
///    With a basis the powers separate: alpha0 = a0^p0 * delta^p0, b = a1^p1 * (1-delta)^p1. The
///    per-delta factors depend on (k0, k1, deltas) only, so a heatmap over many games of the same
///    exponents computes them once (spe_row_basis_fill) and each cell costs a few
///    multiplications, like k = 2. Error bound of the basis path against spe(): linear factors
///    (k = 2) stay bit for bit. Otherwise the separated product differs from pow(a delta, p) by
///    rounding only: about (p + 4)/2 ulp in alpha0 and b (spe() rounds a*delta first, and pow
///    amplifies that by p). UG and UD subtract alpha0/k0 (b/k1) from alpha1, which amplifies the
///    fresh roundings of each path by at most k/(k-1) = 1 + p, hence the documented bound
///      |row - spe| <= (2 max(p0, p1) + 8) * 2^-52 * |spe|   in alpha0, alpha1, u_g and u_d,
///    which tests/kernels/test_spe_row.cpp checks over random games, k in (1, 6]. Any cell where
///    a separated factor leaves the normal range (a^p overflows, or delta^p is subnormal) or the
///    result is not finite is recomputed by spe() itself, so statuses always agree exactly.
/// 4. Pure, reentrant, no allocation, noexcept. Speed: the vector stores start where the first
///    output field is 64-byte aligned, so the other fields store aligned only when their
///    addresses agree with it modulo 64; allocate the fields with ftg::cache_line_allocator
///    (kernels/aligned.hpp). A k = 2 heatmap of 1e6 cells in RAM ran 1.38x faster so than with
///    its fields 16, 32, 48 and 0 bytes into a line (bm_heatmap_row/basis_offset).
/// 5. Pareto membership (out.in_pareto), when spe_row_pareto_applies(game): k0, k1 >= 2 and
///    d0, d1 >= 0, where both utilities are strictly unimodal in delta (Proposition 3.1) and the
///    Pareto set is [argmax UD, argmax UG] cut to UG >= d0, UD >= d1 (Theorem 2.1; kernels/
///    pareto.hpp). An ok cell is then in the set iff UG' >= 0, UD' <= 0, UG >= d0 and UD >= d1.
///    By the same identities, UG' = alpha1 - p1 b delta / (1 - delta) and UD' = p0 alpha0
///    (1 - delta) / delta - alpha1 (p = 1/(k-1), b = alpha1 - alpha0; detail::evaluate), so the
///    test costs four products and four comparisons per cell from values the row already has, in
///    place of a numeric Pareto set per row (Newton with pow, about 0.5 us) and a look-up. The
///    signs at delta = 0 and 1, where the products vanish, are those of the exact limits. It
///    agrees with contains(pareto_numeric(game), delta) except at cells within rounding of an end
///    point of the set (tests/kernels/test_spe_row.cpp bounds how far); cells that are not ok get
///    0. On ascending deltas within [0, 1] with d0 = d1 = 0 and factors from the basis or linear,
///    the cells that pass form one index range [jD, jG) (UG' >= 0 up to argmax UG, UD' <= 0 from
///    argmax UD on), so the row finds jD and jG by the same test at a few probed cells, galloping
///    from the previous row's ends in spe_rows, and fills in_pareto with two memsets; where
///    rounding flips the test more than once near an end, that end is one of the flips (no
///    difference from the per-cell test in the 480,480 cells of the test). When it does not apply (no pointer, k < 2, d < 0, invalid parameters) in_pareto is left
///    untouched and the summary's in_pareto is false.
struct spe_row_out {
  double* alpha0 = nullptr;
  double* alpha1 = nullptr;
  double* u_g = nullptr;
  double* u_d = nullptr;
  cell_status* status = nullptr;
  /// 1 where the cell is a Pareto-optimal agreement, else 0 (item 5); filled only when
  /// spe_row_pareto_applies(game), as the summary says.
  std::uint8_t* in_pareto = nullptr;
};

/// Per-column factors of a row of deltas for exponents k0, k1 (caller-owned storage).
struct spe_row_basis {
  double k0 = 0.0, k1 = 0.0;
  std::span<const double> pow0;  ///< delta^(1/(k0-1)) per column
  std::span<const double> pow1;  ///< (1-delta)^(1/(k1-1)) per column
};

/// Fill pow0[j] = deltas[j]^(1/(k0-1)) and pow1[j] = (1-deltas[j])^(1/(k1-1)); returns the basis
/// (empty spans when sizes differ or k0, k1 are not > 1).
spe_row_basis spe_row_basis_fill(double k0, double k1, std::span<const double> deltas,
                                 std::span<double> pow0, std::span<double> pow1) noexcept;

/// Whether spe_row() fills in_pareto for this game (item 5 above).
bool spe_row_pareto_applies(const game_params& game) noexcept;

/// What a row reports besides its cells.
struct spe_row_summary {
  std::size_t not_ok = 0;  ///< cells whose status is not ok (all of them for invalid parameters)
  bool in_pareto = false;  ///< out.in_pareto was filled (item 5)
};

/// The row (items 1-5 above).
spe_row_summary spe_row(const game_params& game, std::span<const double> deltas, const spe_row_out& out,
                        const spe_row_basis* basis = nullptr) noexcept;

/// Several rows over the same deltas: for r < n = min(games.size(), outs.size(), sums.size()),
/// the cells of outs[r] and sums[r] are those of spe_row(games[r], deltas, outs[r], basis), bit
/// for bit (spe_row is this function for one row). Preconditions: spe_row's for every row, and no
/// two rows' outputs overlap. Method: rows on the basis are taken in groups of 8 and a group is
/// computed one chunk of 256 deltas at a time across its rows, so that the chunk of the deltas
/// and of the basis (24 bytes a column) is read from L1 by every row instead of once per row from
/// L2 while the row's own stores stream through L1; rows that read only the deltas (k = 2) run
/// one after the other. The hoisted a^p is computed once for consecutive rows with the same
/// arguments (the same bits). General k (k0 = 2.5, k1 = 3.5) in `ftg run`'s 65-row tiles: about
/// 6% faster than row by row (docs/performance.md). For outputs far larger than the caches
/// (a whole heatmap materialised in RAM) call spe_row row by row instead: a group writes 32
/// streams at once, which DRAM takes less well than 4 (1.95 -> 2.3 ns a cell in
/// bm_heatmap_row/basis/k=2.5_3.5). Pure, reentrant, no allocation, noexcept.
void spe_rows(std::span<const game_params> games, std::span<const double> deltas,
              std::span<const spe_row_out> outs, std::span<spe_row_summary> sums,
              const spe_row_basis* basis = nullptr) noexcept;

}  // namespace ftg
