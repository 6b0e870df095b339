// The heatmap row kernel of kernels/spe.hpp (spe_row): spe() at every delta of a row, with the
// game-only factors hoisted. See the header for the error bound against spe().
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/detail/two_player.hpp"
#include "kernels/detail/unimodal.hpp"
#include "kernels/spe.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double dbl_min = std::numeric_limits<double>::min();

void write_cell(const spe_row_out& out, std::size_t j, const spe_result& r) noexcept {
  if (out.alpha0) out.alpha0[j] = r.alpha0;
  if (out.alpha1) out.alpha1[j] = r.alpha1;
  if (out.u_g) out.u_g[j] = r.u_g;
  if (out.u_d) out.u_d[j] = r.u_d;
  if (out.status) out.status[j] = r.status;
}

// Pareto membership of one cell by the slopes of the numeric path (detail::evaluate: UG' and UD'
// with their exact limits at delta = 0 and 1), for the cells spe() computes: an ok cell is in
// the set iff UG' >= 0, UD' <= 0, UG >= d0 and UD >= d1 (spe.hpp, spe_row's item 5).
std::uint8_t member_by_evaluate(const detail::game_constants& k, double delta, const spe_result& r) noexcept {
  if (r.status != cell_status::ok) return 0;
  const detail::point q = detail::evaluate(k, delta);
  return static_cast<std::uint8_t>((q.du_g >= 0.0) & (q.du_d <= 0.0) & (r.u_g >= k.d0) & (r.u_d >= k.d1));
}

// Every cell by spe() itself: the reference path, used for invalid games and as the fallback.
// Returns the number of cells that are not ok.
std::size_t row_by_spe(const game_params& g, std::span<const double> deltas, const spe_row_out& out,
                       bool pareto) noexcept {
  const detail::game_constants k = detail::make_constants(g);
  std::size_t not_ok = 0;
  for (std::size_t j = 0; j < deltas.size(); ++j) {
    const spe_result r = spe(g, deltas[j]);
    write_cell(out, j, r);
    not_ok += r.status != cell_status::ok;
    if (pareto) out.in_pareto[j] = member_by_evaluate(k, deltas[j], r);
  }
  return not_ok;
}

}  // namespace

spe_row_basis spe_row_basis_fill(double k0, double k1, std::span<const double> deltas,
                                 std::span<double> pow0, std::span<double> pow1) noexcept {
  spe_row_basis b;
  if (!(k0 > 1.0) || !(k1 > 1.0) || !std::isfinite(k0) || !std::isfinite(k1) ||
      pow0.size() != deltas.size() || pow1.size() != deltas.size())
    return b;
  const double p0 = 1.0 / (k0 - 1.0), p1 = 1.0 / (k1 - 1.0);
  // A factor below the normal range has lost its relative precision: such a column is marked
  // NaN, which makes its cells non-finite, so spe_row() recomputes them with spe(). An exact 0 is
  // kept where it is exact (delta = 0 for pow0, delta = 1 for pow1).
  constexpr double nan_mark = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t j = 0; j < deltas.size(); ++j) {
    const double d = deltas[j];
    const double f0 = std::pow(d, p0), f1 = std::pow(1.0 - d, p1);
    pow0[j] = f0 >= dbl_min || (f0 == 0.0 && d == 0.0) ? f0 : nan_mark;
    pow1[j] = f1 >= dbl_min || (f1 == 0.0 && d == 1.0) ? f1 : nan_mark;
  }
  b.k0 = k0;
  b.k1 = k1;
  b.pow0 = pow0;
  b.pow1 = pow1;
  return b;
}

namespace {

enum class factor : int { linear, basis, power };

// Cells per chunk of the row loop (row_fast): its scratch arrays and chunk_body's bound.
constexpr std::size_t row_chunk = 256;

// 1 when x is inf or NaN (exponent field all ones), else 0: integer operations only.
inline std::uint64_t nonfinite_bit(double x) noexcept {
  return (((std::bit_cast<std::uint64_t>(x) >> 52) & 0x7FFu) + 1u) >> 11;
}

struct row_constants {
  double a0, a1, p0, p1, k0, k1;
  double r0, r1;  // 1/k0, 1/k1
  // Pareto membership (spe_row's item 5): the disagreement payoffs, and the signs of UD' at
  // delta = 0 and of UG' at delta = 1, where the slope test's products vanish (the limits of
  // detail::evaluate, power_slope_at_zero).
  double d0, d1;
  std::uint64_t ud_falls_at0, ug_rises_at1;  // 0 or 1
};

struct fast_cell {
  double alpha0, alpha1, u_g, u_d, b;
};

// One cell. Linear (k = 2) and power: spe()'s own expressions, bit for bit (pow(x, 1) == x).
// Basis: the separated product A * delta^p (the header's bound).
template <factor F0, factor F1>
inline fast_cell cell_at(double delta, double A0, double A1, const double* pw0, const double* pw1,
                         std::size_t j, const row_constants& k) noexcept {
  fast_cell c{0.0, 0.0, 0.0, 0.0, 0.0};
  const double rest = 1.0 - delta;
  double b;
  if constexpr (F0 == factor::linear) c.alpha0 = k.a0 * delta;
  else if constexpr (F0 == factor::basis) c.alpha0 = A0 * pw0[j];
  else c.alpha0 = std::pow(k.a0 * delta, k.p0);
  if constexpr (F1 == factor::linear) b = k.a1 * rest;
  else if constexpr (F1 == factor::basis) b = A1 * pw1[j];
  else b = std::pow(k.a1 * rest, k.p1);
  c.alpha1 = c.alpha0 + b;
  // detail::evaluate's expressions. Linear means k = 2 exactly (p = 1/(k-1) = 1), where x / 2 ==
  // x * 0.5; the basis path multiplies by the reciprocal 1/k (within the header's bound); the
  // power path divides, as spe() does.
  if constexpr (F0 == factor::linear) c.u_g = delta * (c.alpha1 - c.alpha0 * 0.5);
  else if constexpr (F0 == factor::basis) c.u_g = delta * (c.alpha1 - c.alpha0 * k.r0);
  else c.u_g = delta * (c.alpha1 - c.alpha0 / k.k0);
  if constexpr (F1 == factor::linear) c.u_d = rest * (c.alpha1 - b * 0.5);
  else if constexpr (F1 == factor::basis) c.u_d = rest * (c.alpha1 - b * k.r1);
  else c.u_d = rest * (c.alpha1 - b / k.k1);
  c.b = b;
  return c;
}

// The slope test of one fast cell, branch-free (spe_row's item 5). With UG' = alpha1 - p1 b
// delta / (1 - delta) and UD' = p0 alpha0 (1 - delta) / delta - alpha1 (detail::evaluate), and
// 0 < delta < 1, UG' >= 0 iff p1 b delta <= alpha1 (1 - delta) and UD' <= 0 iff p0 alpha0
// (1 - delta) <= alpha1 delta: products only, no division. At delta = 0 and 1 one product
// vanishes on both sides, so the sign there is the row's constant.
//
// At delta = 1 (0) the product test reads 0 <= 0, true, so AND-ing it with "delta < 1 or the
// constant" selects the constant there without a branch. The result is 0 or 1 in a 64-bit lane,
// which keeps the loop at the width of its doubles. Cut: whether d0 or d1 is positive; at
// d0 = d1 = 0 both comparisons hold for every finite cell (UG, UD >= 0), so they are skipped.
template <bool Cut>
inline std::uint64_t member_fast(double delta, const fast_cell& c, const row_constants& k) noexcept {
  using u64 = std::uint64_t;
  const double rest = 1.0 - delta;
  const u64 ug_rises = static_cast<u64>(k.p1 * c.b * delta <= c.alpha1 * rest) &
                       (static_cast<u64>(delta < 1.0) | k.ug_rises_at1);
  const u64 ud_falls = static_cast<u64>(k.p0 * c.alpha0 * rest <= c.alpha1 * delta) &
                       (static_cast<u64>(delta > 0.0) | k.ud_falls_at0);
  if constexpr (Cut)
    return ug_rises & ud_falls & static_cast<u64>(c.u_g >= k.d0) & static_cast<u64>(c.u_d >= k.d1);
  else
    return ug_rises & ud_falls;
}

// Whether the fast cell may stand: delta in [0, 1] (false for NaN) and every field finite. Else
// spe() recomputes it. A subnormal basis factor arrives here as NaN (spe_row_basis_fill).
inline bool cell_good(double delta, const fast_cell& c) noexcept {
  return delta >= 0.0 && delta <= 1.0 && finite_all(c.alpha0, c.alpha1, c.u_g, c.u_d);
}

// The vectorisable loop of one chunk; outputs never alias the inputs or each other
// (__restrict, spe_row's precondition), which spares the compiler runtime alias checks.
template <factor F0, factor F1, int P>
[[gnu::always_inline]] inline std::uint64_t chunk_body(std::size_t m, const double* __restrict d, double A0,
                                                       double A1, const double* __restrict pw0,
                                                       const double* __restrict pw1,
                                                       const row_constants& gc, double* __restrict o0,
                                                       double* __restrict o1, double* __restrict og,
                                                       double* __restrict od,
                                                       std::uint8_t* __restrict ip) noexcept {
  std::uint64_t bad_bits = 0;
  // Membership in 64-bit lanes, narrowed to bytes after the loop: a byte store in the main loop
  // made the compiler unroll it to 64 cells per iteration, with shuffles and spills.
  alignas(64) std::uint64_t ip64[P != 0 ? row_chunk : 1];  // m <= row_chunk
  for (std::size_t j = 0; j < m; ++j) {
    const fast_cell c = cell_at<F0, F1>(d[j], A0, A1, pw0, pw1, j, gc);
    o0[j] = c.alpha0;
    o1[j] = c.alpha1;
    og[j] = c.u_g;
    od[j] = c.u_d;
    if constexpr (P != 0) ip64[j] = member_fast<P == 2>(d[j], c, gc);
    // A cell is bad iff delta or 1 - delta has its sign bit set, or alpha1 is not finite. That
    // is enough (the cell is then as good as with all five fields checked, cell_good): with
    // delta in [0, 1] both parts of alpha1 = alpha0 + b are >= 0 (positive game constants, a
    // pow >= 0, a basis factor >= 0 or its NaN mark), so a finite alpha1 bounds them, and u_g =
    // delta (alpha1 - alpha0 / k0) lies in [0, alpha1] (likewise u_d); a NaN delta makes alpha0,
    // hence alpha1, NaN. Two checks instead of six: the row loop was bound by these integer ops.
    bad_bits |= nonfinite_bit(c.alpha1) |
                ((std::bit_cast<std::uint64_t>(d[j]) | std::bit_cast<std::uint64_t>(1.0 - d[j])) >> 63);
  }
  if constexpr (P != 0)
    for (std::size_t j = 0; j < m; ++j) ip[j] = static_cast<std::uint8_t>(ip64[j]);
  return bad_bits;
}

// The same loop compiled for wider vectors, chosen at run time (the build itself targets baseline
// x86-64, 2 lanes). Bit for bit the baseline: the same IEEE operations in the same order, and this
// file is compiled with -ffp-contract=off (kernels/CMakeLists.txt), so no FMA is ever formed.
#define FTG_CHUNK_ARGS                                                                             \
  std::size_t m, const double* __restrict d, double A0, double A1, const double* __restrict pw0,  \
      const double* __restrict pw1, const row_constants& gc, double* __restrict o0,               \
      double* __restrict o1, double* __restrict og, double* __restrict od,                        \
      std::uint8_t* __restrict ip
#define FTG_CHUNK_CALL m, d, A0, A1, pw0, pw1, gc, o0, o1, og, od, ip
template <factor F0, factor F1, int P>
std::uint64_t chunk_baseline(FTG_CHUNK_ARGS) noexcept { return chunk_body<F0, F1, P>(FTG_CHUNK_CALL); }
#if defined(__x86_64__) && defined(__GNUC__)
template <factor F0, factor F1, int P>
[[gnu::target("avx2")]] std::uint64_t chunk_avx2(FTG_CHUNK_ARGS) noexcept {
  return chunk_body<F0, F1, P>(FTG_CHUNK_CALL);
}
template <factor F0, factor F1, int P>
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw,prefer-vector-width=512")]] std::uint64_t chunk_avx512(
    FTG_CHUNK_ARGS) noexcept {
  return chunk_body<F0, F1, P>(FTG_CHUNK_CALL);
}
#endif

enum class isa : int { baseline, avx2, avx512 };
// What this CPU runs (a read of libgcc's CPU model, filled before main; no state of ours).
inline isa best_isa() noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    return isa::avx512;
  if (__builtin_cpu_supports("avx2")) return isa::avx2;
#endif
  return isa::baseline;
}

template <factor F0, factor F1, int P>
std::uint64_t chunk_kernel(isa which, FTG_CHUNK_ARGS) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (which == isa::avx512) return chunk_avx512<F0, F1, P>(FTG_CHUNK_CALL);
  if (which == isa::avx2) return chunk_avx2<F0, F1, P>(FTG_CHUNK_CALL);
#else
  (void)which;
#endif
  return chunk_baseline<F0, F1, P>(FTG_CHUNK_CALL);
}
#undef FTG_CHUNK_ARGS
#undef FTG_CHUNK_CALL

// The row in chunks: a branch-free loop that the compiler can vectorise (no pow when both factors
// are linear or come from the basis), stores into every field (scratch for the null ones), and
// ORs the cell checks; only a chunk with a bad cell is revisited cell by cell.
template <factor F0, factor F1, int P>
std::size_t row_fast(const game_params& game, const detail::game_constants& k, double A0, double A1,
              std::span<const double> deltas, const spe_row_out& out, const double* pw0,
              const double* pw1) noexcept {
  constexpr std::size_t chunk = row_chunk;
  double scratch[4][chunk];
  const std::size_t n = deltas.size();
  row_constants gc{k.a0, k.a1, k.p0, k.p1, k.k0, k.k1, 1.0 / k.k0, 1.0 / k.k1, k.d0, k.d1, 0, 0};
  if constexpr (P != 0) {
    gc.ud_falls_at0 = detail::evaluate(k, 0.0).du_d <= 0.0 ? 1u : 0u;
    gc.ug_rises_at1 = detail::evaluate(k, 1.0).du_g >= 0.0 ? 1u : 0u;
  }
  const isa which = best_isa();
  // Every status ok first (one memset of the row: ok is 0), then the revisited cells' own; the
  // count of those not ok is returned.
  static_assert(static_cast<int>(cell_status::ok) == 0);
  if (out.status) std::memset(out.status, 0, n * sizeof(cell_status));
  std::size_t not_ok = 0;
  for (std::size_t base = 0; base < n; base += chunk) {
    const std::size_t m = std::min(chunk, n - base);
    const double* d = deltas.data() + base;
    double* o0 = out.alpha0 ? out.alpha0 + base : scratch[0];
    double* o1 = out.alpha1 ? out.alpha1 + base : scratch[1];
    double* og = out.u_g ? out.u_g + base : scratch[2];
    double* od = out.u_d ? out.u_d + base : scratch[3];
    std::uint8_t* ip = P != 0 ? out.in_pareto + base : nullptr;
    // Branch-free chunk checks on the bit patterns (integer OR reductions vectorise; floating-point
    // ones would not without reassociation): a field with exponent 0x7FF (inf, NaN), or a negative
    // sign on delta or 1 - delta, marks the chunk, which the exact pass below then revisits. -0.0
    // is a false alarm that only costs that pass.
    const std::uint64_t bad_bits =
        chunk_kernel<F0, F1, P>(which, m, d, A0, A1, pw0 ? pw0 + base : nullptr, pw1 ? pw1 + base : nullptr,
                                gc, o0, o1, og, od, ip);
    if (bad_bits == 0) continue;
    for (std::size_t j = 0; j < m; ++j) {
      if (!cell_good(d[j], cell_at<F0, F1>(d[j], A0, A1, pw0, pw1, base + j, gc))) {
        const spe_result r = spe(game, d[j]);
        write_cell(out, base + j, r);
        not_ok += r.status != cell_status::ok;
        if constexpr (P != 0) ip[j] = member_by_evaluate(k, d[j], r);
      }
    }
  }
  return not_ok;
}

template <factor F0, int P>
std::size_t dispatch1(factor f1, const game_params& game, const detail::game_constants& k, double A0,
               double A1, std::span<const double> deltas, const spe_row_out& out, const double* pw0,
               const double* pw1) noexcept {
  switch (f1) {
    case factor::linear: return row_fast<F0, factor::linear, P>(game, k, A0, A1, deltas, out, pw0, pw1);
    case factor::basis: return row_fast<F0, factor::basis, P>(game, k, A0, A1, deltas, out, pw0, pw1);
    case factor::power: return row_fast<F0, factor::power, P>(game, k, A0, A1, deltas, out, pw0, pw1);
  }
  return 0;
}

template <int P>
std::size_t dispatch0(factor f0, factor f1, const game_params& game, const detail::game_constants& k,
               double A0, double A1, std::span<const double> deltas, const spe_row_out& out,
               const double* pw0, const double* pw1) noexcept {
  switch (f0) {
    case factor::linear: return dispatch1<factor::linear, P>(f1, game, k, A0, A1, deltas, out, pw0, pw1);
    case factor::basis: return dispatch1<factor::basis, P>(f1, game, k, A0, A1, deltas, out, pw0, pw1);
    case factor::power: return dispatch1<factor::power, P>(f1, game, k, A0, A1, deltas, out, pw0, pw1);
  }
  return 0;
}

}  // namespace

bool spe_row_pareto_applies(const game_params& game) noexcept {
  return validate(game) == cell_status::ok && game.k0 >= 2.0 && game.k1 >= 2.0 && game.d0 >= 0.0 &&
         game.d1 >= 0.0;
}

spe_row_summary spe_row(const game_params& game, std::span<const double> deltas, const spe_row_out& out,
                        const spe_row_basis* basis) noexcept {
  const std::size_t n = deltas.size();
  spe_row_summary sum;
  const bool pareto = out.in_pareto != nullptr && spe_row_pareto_applies(game);
  if (validate(game) != cell_status::ok) {
    sum.not_ok = row_by_spe(game, deltas, out, false);
    return sum;
  }
  sum.in_pareto = pareto;
  const detail::game_constants k = detail::make_constants(game);
  const bool use_basis = basis != nullptr && basis->k0 == game.k0 && basis->k1 == game.k1 &&
                         basis->pow0.size() == n && basis->pow1.size() == n;
  // p == 1 (k == 2): the factor is linear, (a delta)^1 == a * delta exactly, as in spe().
  const factor f0 = k.p0 == 1.0 ? factor::linear : (use_basis ? factor::basis : factor::power);
  const factor f1 = k.p1 == 1.0 ? factor::linear : (use_basis ? factor::basis : factor::power);
  // Hoisted game factors a^p; outside the normal range the separated product loses the bound.
  const double A0 = f0 == factor::basis ? std::pow(k.a0, k.p0) : k.a0;
  const double A1 = f1 == factor::basis ? std::pow(k.a1, k.p1) : k.a1;
  if (!(std::isnormal(A0) && std::isnormal(A1))) {
    sum.not_ok = row_by_spe(game, deltas, out, pareto);
    return sum;
  }
  const double* pw0 = use_basis ? basis->pow0.data() : nullptr;
  const double* pw1 = use_basis ? basis->pow1.data() : nullptr;
  if (!pareto) sum.not_ok = dispatch0<0>(f0, f1, game, k, A0, A1, deltas, out, pw0, pw1);
  else if (game.d0 > 0.0 || game.d1 > 0.0) sum.not_ok = dispatch0<2>(f0, f1, game, k, A0, A1, deltas, out, pw0, pw1);
  else sum.not_ok = dispatch0<1>(f0, f1, game, k, A0, A1, deltas, out, pw0, pw1);
  return sum;
}

}  // namespace ftg
