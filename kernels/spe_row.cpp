// The heatmap row kernel of kernels/spe.hpp (spe_row): spe() at every delta of a row, with the
// game-only factors hoisted. See the header for the error bound against spe().
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/detail/batch_isa.hpp"
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
inline std::uint64_t ug_rises_fast(double delta, const fast_cell& c, const row_constants& k) noexcept {
  using u64 = std::uint64_t;
  return static_cast<u64>(k.p1 * c.b * delta <= c.alpha1 * (1.0 - delta)) &
         (static_cast<u64>(delta < 1.0) | k.ug_rises_at1);
}
inline std::uint64_t ud_falls_fast(double delta, const fast_cell& c, const row_constants& k) noexcept {
  using u64 = std::uint64_t;
  return static_cast<u64>(k.p0 * c.alpha0 * (1.0 - delta) <= c.alpha1 * delta) &
         (static_cast<u64>(delta > 0.0) | k.ud_falls_at0);
}
template <bool Cut>
inline std::uint64_t member_fast(double delta, const fast_cell& c, const row_constants& k) noexcept {
  using u64 = std::uint64_t;
  const u64 both = ug_rises_fast(delta, c, k) & ud_falls_fast(delta, c, k);
  if constexpr (Cut)
    return both & static_cast<u64>(c.u_g >= k.d0) & static_cast<u64>(c.u_d >= k.d1);
  else
    return both;
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
[[gnu::always_inline]] inline std::uint64_t chunk_kernel(isa which, FTG_CHUNK_ARGS) noexcept {
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

// One row's fast path, decided once (plan_row): the game, its outputs and hoisted constants, and
// the instantiation of the chunk step for its factors and Pareto mode.
struct row_job;
using chunk_step_fn = std::size_t (*)(isa, const row_job&, std::span<const double>, std::size_t chunk,
                                      double (*scratch)[row_chunk]) noexcept;
struct row_job {
  const game_params* game;
  const spe_row_out* out;
  detail::game_constants k;
  row_constants gc;
  double A0, A1;
  const double* pw0;
  const double* pw1;
  chunk_step_fn step;
  /// Cells before the first output element on a 64-byte boundary (0-7; row_lead).
  std::size_t lead;
  /// in_pareto by interval before the chunks (mode by_interval), else null.
  void (*fill)(const row_job&, std::span<const double>, std::size_t (&hint)[2]) noexcept;
};

// Pareto modes of a row (spe_row's item 5): none; the slope test in the chunk loop, without or
// with the cuts UG >= d0, UD >= d1; or by interval (fill_by_interval, before the chunks).
enum pareto_mode : int { no_pareto = 0, per_cell = 1, per_cell_cut = 2, by_interval = 3 };

// The chunks of a row start where its outputs are aligned to 64 bytes. A vector store that
// straddles two cache lines costs about two: rows of 1001 doubles (a tile's rows lie end to end)
// start at every offset within a line, and the plain k = 2 loop, stores aligned by a scalar head
// of at most 7 cells, ran 1.5x faster into tile-sized buffers (0.19-0.20 against 0.29-0.31 ns a
// cell; docs/performance.md). Chunk c of a row covers [b(c), b(c + 1)), b(0) = 0 and b(c) =
// c * row_chunk - (8 - lead) % 8 (then cut to the row), so that every chunk after the first starts
// aligned; the first runs its `lead` unaligned cells apart (chunk_step). Which cells a chunk holds
// changes no result: every cell is the same function of its delta and the row's constants.
// lead: the cells before the first 64-byte boundary of the first output the row writes, or 0
// where the outputs are not even 8-byte aligned (not for doubles from any allocator).
std::size_t row_lead(const spe_row_out& out, std::size_t n) noexcept {
  const double* first = out.alpha0 ? out.alpha0 : out.alpha1 ? out.alpha1 : out.u_g ? out.u_g : out.u_d;
  const auto addr = reinterpret_cast<std::uintptr_t>(first);
  if (first == nullptr || addr % sizeof(double) != 0) return 0;
  return std::min(n, ((64 - addr % 64) % 64) / sizeof(double));
}
constexpr std::size_t chunk_begin(std::size_t c, std::size_t lead, std::size_t n) noexcept {
  return c == 0 ? 0 : std::min(n, c * row_chunk - (8 - lead) % 8);
}
// Chunks a row of n cells can have: ceil(n / row_chunk), and one more when lead cuts the first.
constexpr std::size_t max_chunks(std::size_t n) noexcept { return (n + row_chunk - 1) / row_chunk + 1; }

// One chunk of a row: a branch-free loop that the compiler can vectorise (no pow when both factors
// are linear or come from the basis), stores into every field (scratch for the null ones), and
// ORs the cell checks; only a chunk with a bad cell is revisited cell by cell, and its in_pareto
// recomputed by the cell's own test. Returns the number of the chunk's cells that are not ok (the
// row's statuses were set to ok by plan_row).
template <factor F0, factor F1, int P>
std::size_t chunk_step(isa which, const row_job& job, std::span<const double> deltas, std::size_t chunk,
                       double (*scratch)[row_chunk]) noexcept {
  const std::size_t n = deltas.size();
  const std::size_t lo = chunk_begin(chunk, job.lead, n), hi = chunk_begin(chunk + 1, job.lead, n);
  if (lo >= hi) return 0;
  const spe_row_out& out = *job.out;
  const std::size_t m = hi - lo;  // <= row_chunk
  const double* d = deltas.data() + lo;
  double* o0 = out.alpha0 ? out.alpha0 + lo : scratch[0];
  double* o1 = out.alpha1 ? out.alpha1 + lo : scratch[1];
  double* og = out.u_g ? out.u_g + lo : scratch[2];
  double* od = out.u_d ? out.u_d + lo : scratch[3];
  std::uint8_t* ip = P != 0 ? out.in_pareto + lo : nullptr;
  // Cells [a, b) of the chunk.
  const auto run = [&](std::size_t a, std::size_t b) noexcept {
    return chunk_kernel<F0, F1, P == by_interval ? no_pareto : P>(
        which, b - a, d + a, job.A0, job.A1, job.pw0 ? job.pw0 + lo + a : nullptr,
        job.pw1 ? job.pw1 + lo + a : nullptr, job.gc, o0 + a, o1 + a, og + a, od + a, ip ? ip + a : nullptr);
  };
  // Branch-free chunk checks on the bit patterns (integer OR reductions vectorise; floating-point
  // ones would not without reassociation): a field with exponent 0x7FF (inf, NaN), or a negative
  // sign on delta or 1 - delta, marks the chunk, which the exact pass below then revisits. -0.0
  // is a false alarm that only costs that pass. The first chunk runs its unaligned head apart.
  const std::size_t head = lo == 0 ? std::min(job.lead, m) : 0;
  const std::uint64_t bad_bits = (head != 0 ? run(0, head) : 0) | run(head, m);
  if (bad_bits == 0) return 0;
  std::size_t not_ok = 0;
  for (std::size_t j = 0; j < m; ++j) {
    if (!cell_good(d[j], cell_at<F0, F1>(d[j], job.A0, job.A1, job.pw0, job.pw1, lo + j, job.gc))) {
      const spe_result r = spe(*job.game, d[j]);
      write_cell(out, lo + j, r);
      not_ok += r.status != cell_status::ok;
      if constexpr (P != 0) ip[j] = member_by_evaluate(job.k, d[j], r);
    }
  }
  return not_ok;
}

template <factor F0, factor F1>
chunk_step_fn step_for_p(int p) noexcept {
  switch (p) {
    case per_cell: return &chunk_step<F0, F1, per_cell>;
    case per_cell_cut: return &chunk_step<F0, F1, per_cell_cut>;
    case by_interval: return &chunk_step<F0, F1, by_interval>;
    default: return &chunk_step<F0, F1, no_pareto>;
  }
}

// The boundary b of a predicate that holds on [0, b) and fails on [b, n), found by galloping from
// `hint` (the previous row's boundary, usually a few cells away) and bisection: O(log distance)
// probes. Where rounding makes the predicate flip more than once near its crossing, b is one of
// the flips.
template <class Pred>
std::size_t boundary(const Pred& holds, std::size_t n, std::size_t hint) noexcept {
  if (n == 0) return 0;
  hint = std::min(hint, n - 1);
  std::size_t lo = 0, hi = n, step = 1;  // holds(lo - 1) (or lo = 0), fails at hi (or hi = n)
  if (holds(hint)) {
    lo = hint + 1;
    while (lo < n) {
      const std::size_t probe = std::min(n - 1, lo + step - 1);
      if (!holds(probe)) {
        hi = probe;
        break;
      }
      lo = probe + 1;
      step *= 2;
    }
  } else {
    hi = hint;
    while (hi > 0) {
      const std::size_t probe = hi >= step ? hi - step : 0;
      if (holds(probe)) {
        lo = probe + 1;
        break;
      }
      hi = probe;
      step *= 2;
    }
  }
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// in_pareto of a whole row by interval (mode by_interval; spe_row's item 5). On ascending deltas
// in [0, 1], UG' >= 0 holds up to argmax UG and UD' <= 0 from argmax UD on (both utilities are
// strictly unimodal), so the cells that pass the slope test form one index range [jD, jG): its
// ends are found with the very test of the chunk loop at the probed cells (the same bits), and
// the row is two memsets instead of the test at every cell. hint: the previous row's ends, which
// this updates. The chunk steps then redo any revisited cell with its own test.
template <factor F0, factor F1>
void fill_by_interval(const row_job& job, std::span<const double> deltas, std::size_t (&hint)[2]) noexcept {
  const double* d = deltas.data();
  const auto cell = [&](std::size_t j) noexcept {
    return cell_at<F0, F1>(d[j], job.A0, job.A1, job.pw0, job.pw1, j, job.gc);
  };
  const auto ug_rises = [&](std::size_t j) noexcept { return ug_rises_fast(d[j], cell(j), job.gc) != 0; };
  const auto ud_rises = [&](std::size_t j) noexcept { return ud_falls_fast(d[j], cell(j), job.gc) == 0; };
  const std::size_t n = deltas.size();
  const std::size_t jg = boundary(ug_rises, n, hint[0]);
  const std::size_t jd = boundary(ud_rises, n, hint[1]);
  hint[0] = jg;
  hint[1] = jd;
  std::uint8_t* in = job.out->in_pareto;
  std::memset(in, 0, n);
  if (jd < jg) std::memset(in + jd, 1, jg - jd);
}

using fill_fn = void (*)(const row_job&, std::span<const double>, std::size_t (&)[2]) noexcept;
fill_fn fill_for(factor f0, factor f1) noexcept {
  if (f0 == factor::linear) return f1 == factor::linear ? &fill_by_interval<factor::linear, factor::linear>
                                                         : &fill_by_interval<factor::linear, factor::basis>;
  return f1 == factor::linear ? &fill_by_interval<factor::basis, factor::linear>
                              : &fill_by_interval<factor::basis, factor::basis>;
}
template <factor F0>
chunk_step_fn step_for_f1(factor f1, int p) noexcept {
  return f1 == factor::linear ? step_for_p<F0, factor::linear>(p)
         : f1 == factor::basis ? step_for_p<F0, factor::basis>(p)
                               : step_for_p<F0, factor::power>(p);
}
chunk_step_fn step_for(factor f0, factor f1, int p) noexcept {
  return f0 == factor::linear ? step_for_f1<factor::linear>(f1, p)
         : f0 == factor::basis ? step_for_f1<factor::basis>(f1, p)
                               : step_for_f1<factor::power>(f1, p);
}

// The last hoisted power a^p and its arguments: rows of a tile mostly share c0 (hence a0 and
// p0), and std::pow of the same arguments gives the same bits.
struct pow_memo {
  double a = 0.0, p = 0.0, value = 0.0;
  double operator()(double a_, double p_) noexcept {
    if (!(a_ == a && p_ == p)) {
      a = a_;
      p = p_;
      value = std::pow(a_, p_);
    }
    return value;
  }
};

// spe_row's decisions for one game (items 3 and 5 of the header). Returns false when the row takes
// the exact path (row_by_spe: invalid parameters, or a hoisted factor outside the normal range);
// sum.in_pareto says whether in_pareto is filled either way.
// clean_deltas: the deltas ascend within [0, 1] (no NaN), which the interval mode needs.
bool plan_row(const game_params& game, std::size_t n, const spe_row_out& out, const spe_row_basis* basis,
              bool clean_deltas, pow_memo& pow0, pow_memo& pow1, row_job& job, spe_row_summary& sum) noexcept {
  sum = spe_row_summary{};
  if (validate(game) != cell_status::ok) return false;
  sum.in_pareto = out.in_pareto != nullptr && spe_row_pareto_applies(game);
  const detail::game_constants k = detail::make_constants(game);
  const bool use_basis = basis != nullptr && basis->k0 == game.k0 && basis->k1 == game.k1 &&
                         basis->pow0.size() == n && basis->pow1.size() == n;
  // p == 1 (k == 2): the factor is linear, (a delta)^1 == a * delta exactly, as in spe().
  const factor f0 = k.p0 == 1.0 ? factor::linear : (use_basis ? factor::basis : factor::power);
  const factor f1 = k.p1 == 1.0 ? factor::linear : (use_basis ? factor::basis : factor::power);
  // Hoisted game factors a^p; outside the normal range the separated product loses the bound.
  const double A0 = f0 == factor::basis ? pow0(k.a0, k.p0) : k.a0;
  const double A1 = f1 == factor::basis ? pow1(k.a1, k.p1) : k.a1;
  if (!(std::isnormal(A0) && std::isnormal(A1))) return false;
  // The interval mode where every cell is finite: factors from the basis or linear (each at most
  // its hoisted constant, so alpha1 <= A0 + A1) and A0 + A1 finite; with cuts, the test per cell.
  const bool interval = clean_deltas && f0 != factor::power && f1 != factor::power && std::isfinite(A0 + A1);
  const int p = !sum.in_pareto ? no_pareto
                : (game.d0 > 0.0 || game.d1 > 0.0) ? per_cell_cut
                : interval ? by_interval : per_cell;
  row_constants gc{k.a0, k.a1, k.p0, k.p1, k.k0, k.k1, 1.0 / k.k0, 1.0 / k.k1, k.d0, k.d1, 0, 0};
  if (p != 0) {
    // The signs of UD' at delta = 0 and UG' at delta = 1: detail::evaluate's expressions there,
    // where alpha0 = 0 and alpha1 = b = a1^p1 (delta = 0), b = 0 and alpha1 = alpha0 = a0^p0
    // (delta = 1), so UD'(0) = -a1^p1 + alpha0'(0) and UG'(1) = a0^p0 + b'(1), the slopes being
    // power_slope_at_zero's limits; the same bits as evaluate() (a0, a1 are normal here, 0 + x == x,
    // 1 * x == x) without its four pow calls per row (a^1 == a; otherwise the memo's, the same
    // std::pow as A0, A1).
    const double pw_a0 = k.p0 == 1.0 ? k.a0 : pow0(k.a0, k.p0);
    const double pw_a1 = k.p1 == 1.0 ? k.a1 : pow1(k.a1, k.p1);
    gc.ud_falls_at0 = -pw_a1 + detail::power_slope_at_zero(k.a0, k.p0) <= 0.0 ? 1u : 0u;
    gc.ug_rises_at1 = pw_a0 + -detail::power_slope_at_zero(k.a1, k.p1) >= 0.0 ? 1u : 0u;
  }
  job = row_job{&game, &out, k, gc, A0, A1, use_basis ? basis->pow0.data() : nullptr,
                use_basis ? basis->pow1.data() : nullptr, step_for(f0, f1, p), row_lead(out, n),
                p == by_interval ? fill_for(f0, f1) : nullptr};
  // Every status ok first (one memset of the row: ok is 0); the chunk steps then write the
  // revisited cells' own.
  static_assert(static_cast<int>(cell_status::ok) == 0);
  if (out.status) std::memset(out.status, 0, n * sizeof(cell_status));
  return true;
}

// Rows on the basis are computed together, chunk by chunk (spe_rows), so that the chunk of the
// deltas and of the basis is read from L1 for every row of the group. Eight rows: in `ftg run`
// tiles of 65 rows, 8 and 16 gave the same, 4 less. Rows that read only the deltas (k = 2, or pow
// per cell) run alone: grouping them cost k = 2 about 5%.
constexpr std::size_t rows_per_group = 8;

}  // namespace

bool spe_row_pareto_applies(const game_params& game) noexcept {
  return validate(game) == cell_status::ok && game.k0 >= 2.0 && game.k1 >= 2.0 && game.d0 >= 0.0 &&
         game.d1 >= 0.0;
}

namespace {

void rows_on(isa which, std::span<const game_params> games, std::span<const double> deltas,
             std::span<const spe_row_out> outs, std::span<spe_row_summary> sums,
             const spe_row_basis* basis) noexcept {
  const std::size_t rows = std::min({games.size(), outs.size(), sums.size()});
  const std::size_t n = deltas.size();
  double scratch[4][row_chunk];
  pow_memo pow0, pow1;
  // Ascending deltas within [0, 1] (every linspace; NaN fails), checked once for all rows and only
  // when a row asks for in_pareto.
  bool clean = false;
  if (std::any_of(outs.begin(), outs.begin() + static_cast<std::ptrdiff_t>(rows),
                  [](const spe_row_out& o) { return o.in_pareto != nullptr; })) {
    const double* d = deltas.data();
    unsigned ascending = 1;  // NaN fails; an integer accumulator, so that the loop vectorises
    for (std::size_t j = 1; j < n; ++j) ascending &= static_cast<unsigned>(d[j] >= d[j - 1]);
    clean = ascending != 0 && (n == 0 || (d[0] >= 0.0 && d[n - 1] <= 1.0));
  }
  std::size_t hint[2] = {n / 2, n / 2};  // the interval mode's ends, carried from row to row
  const std::size_t chunks = max_chunks(n);  // chunk_step skips a row's empty ones
  row_job jobs[rows_per_group];
  std::size_t group_row[rows_per_group];
  std::size_t nj = 0;
  const auto run_group = [&]() noexcept {
    for (std::size_t c = 0; c < chunks; ++c)
      for (std::size_t j = 0; j < nj; ++j) sums[group_row[j]].not_ok += jobs[j].step(which, jobs[j], deltas, c, scratch);
    nj = 0;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    row_job job;
    if (!plan_row(games[r], n, outs[r], basis, clean, pow0, pow1, job, sums[r])) {
      sums[r].not_ok = row_by_spe(games[r], deltas, outs[r], sums[r].in_pareto);
      continue;
    }
    if (job.fill) job.fill(job, deltas, hint);
    if (job.pw0 == nullptr && job.pw1 == nullptr) {
      for (std::size_t c = 0; c < chunks; ++c) sums[r].not_ok += job.step(which, job, deltas, c, scratch);
    } else {
      jobs[nj] = job;
      group_row[nj++] = r;
      if (nj == rows_per_group) run_group();
    }
  }
  run_group();
}

}  // namespace

void spe_rows(std::span<const game_params> games, std::span<const double> deltas,
              std::span<const spe_row_out> outs, std::span<spe_row_summary> sums,
              const spe_row_basis* basis) noexcept {
  rows_on(best_isa(), games, deltas, outs, sums, basis);
}

namespace detail {

bool spe_rows_on(batch_isa clone, std::span<const game_params> games, std::span<const double> deltas,
                 std::span<const spe_row_out> outs, std::span<spe_row_summary> sums,
                 const spe_row_basis* basis) noexcept {
  const isa best = best_isa();
  const isa which = clone == batch_isa::avx512 ? isa::avx512 : clone == batch_isa::avx2 ? isa::avx2 : isa::baseline;
  const bool runs = which == isa::baseline || which == best || (which == isa::avx2 && best == isa::avx512);
  if (!runs) return false;
  rows_on(which, games, deltas, outs, sums, basis);
  return true;
}

}  // namespace detail

spe_row_summary spe_row(const game_params& game, std::span<const double> deltas, const spe_row_out& out,
                        const spe_row_basis* basis) noexcept {
  spe_row_summary sum;
  spe_rows(std::span<const game_params>(&game, 1), deltas, std::span<const spe_row_out>(&out, 1),
           std::span<spe_row_summary>(&sum, 1), basis);
  return sum;
}

}  // namespace ftg
