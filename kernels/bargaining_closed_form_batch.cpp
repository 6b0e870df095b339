// solve_game_closed_form_batch (kernels/bargaining.hpp): solve_game(game, beta, closed_form) for
// eight quadratic games at a time in AVX-512 lanes, bit for bit (target 3 of issue 6).
//
// Every lane evaluates bargaining_closed_form.cpp's own expressions, operation by operation in the
// same order: this file is compiled with -ffp-contract=off (kernels/CMakeLists.txt), so no FMA is
// formed except where the scalar code itself calls std::fma (quadratic_roots' discriminant), and
// IEEE addition, multiplication, division and square root round the same in a lane as in a scalar
// register. The batch takes the usual case only: d0 = d1 = 0 (so the Pareto set is [PD, PG]),
// egalitarian's crossing strictly inside it and strictly best, Kalai-Smorodinsky's root found, and
// the Nash cubic's bracketed Halley solve converged; any lane that meets anything else (and every
// game with other parameters, or a CPU without AVX-512) is solved by solve_game_closed_form itself,
// so every result is the scalar one. tests/kernels/test_closed_form_batch.cpp compares every field
// bit for bit.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/bargaining.hpp"
#include "kernels/detail/lanes.hpp"
#include "kernels/detail/pick.hpp"
#include "kernels/detail/results.hpp"
#include "kernels/detail/roots.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12 flags the _mm512_undefined_pd() inside avx512fintrin.h's intrinsics as (maybe-)
// uninitialized (a known false positive of the intrinsics header, not of this file).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define FTG_CF_BATCH_AVX512 1
#endif

namespace ftg {
namespace {

bool batch_game(const game_params& g) noexcept {
  return validate(g) == cell_status::ok && is_quadratic(g) && g.d0 == 0.0 && g.d1 == 0.0;
}

#if FTG_CF_BATCH_AVX512

constexpr int lanes = 8;
#define FTG_T [[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline

using v8 = __m512d;
using m8 = __mmask8;

FTG_T v8 set1(double x) noexcept { return _mm512_set1_pd(x); }
FTG_T v8 add(v8 a, v8 b) noexcept { return _mm512_add_pd(a, b); }
FTG_T v8 sub(v8 a, v8 b) noexcept { return _mm512_sub_pd(a, b); }
FTG_T v8 mul(v8 a, v8 b) noexcept { return _mm512_mul_pd(a, b); }
FTG_T v8 dv(v8 a, v8 b) noexcept { return _mm512_div_pd(a, b); }
FTG_T v8 sel(m8 m, v8 if_true, v8 if_false) noexcept { return _mm512_mask_blend_pd(m, if_false, if_true); }
FTG_T m8 lt(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
FTG_T m8 le(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
FTG_T m8 gt(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
FTG_T m8 ge(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
FTG_T m8 eq(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
FTG_T m8 ne(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_OQ); }
FTG_T v8 vabs(v8 a) noexcept { return _mm512_andnot_pd(set1(-0.0), a); }
FTG_T m8 finite(v8 a) noexcept { return le(vabs(a), set1(std::numeric_limits<double>::max())); }
// std::min / std::max: (b < a) ? b : a and (a < b) ? b : a, NaN handling included.
FTG_T v8 vmin(v8 a, v8 b) noexcept { return sel(lt(b, a), b, a); }
FTG_T v8 vmax(v8 a, v8 b) noexcept { return sel(lt(a, b), b, a); }
FTG_T v8 copysign(v8 mag, v8 sgn) noexcept {
  const v8 sign = set1(-0.0);
  return _mm512_or_pd(_mm512_andnot_pd(sign, mag), _mm512_and_pd(sign, sgn));
}

// quad_game's G and H (bargaining_closed_form.cpp), the same expressions.
FTG_T v8 G(v8 x, v8 d) noexcept { return mul(add(mul(sub(x, set1(2.0)), d), set1(2.0)), d); }
FTG_T v8 H(v8 x, v8 d) noexcept {
  return add(mul(add(mul(sub(set1(1.0), mul(set1(2.0), x)), d), mul(set1(2.0), sub(x, set1(1.0)))), d), set1(1.0));
}

// std::clamp(r, lo, hi): r < lo ? lo : (hi < r ? hi : r)
FTG_T v8 clamp(v8 r, v8 lo, v8 hi) noexcept { return sel(lt(r, lo), lo, sel(lt(hi, r), hi, r)); }

// detail::quadratic_root_in(a, b, c, lo, hi) with slack 1e-12, lane by lane (NaN: no root).
FTG_T v8 quadratic_root_in(v8 a, v8 b, v8 c, v8 lo, v8 hi) noexcept {
  const v8 nan = set1(std::numeric_limits<double>::quiet_NaN()), zero = _mm512_setzero_pd();
  // a != 0: the cancellation-free pair.
  const v8 disc = _mm512_fmadd_pd(b, b, mul(mul(set1(-4.0), a), c));  // std::fma(b, b, -4.0 * a * c)
  const v8 q = mul(set1(-0.5), add(b, copysign(_mm512_sqrt_pd(disc), b)));
  v8 r1 = dv(q, a);
  v8 r2 = sel(ne(q, zero), dv(c, q), sub(zero, r1));
  const m8 swap = gt(r1, r2);
  const v8 t = r1;
  r1 = sel(swap, r2, r1);
  r2 = sel(swap, t, r2);
  const m8 no_real = lt(disc, zero);
  r1 = sel(no_real, nan, r1);
  r2 = sel(no_real, nan, r2);
  // a == 0: the linear root -c / b (NaN when b == 0 too).
  const m8 linear = eq(a, zero);
  const v8 lin = sel(eq(b, zero), nan, dv(sub(zero, c), b));
  r1 = sel(linear, lin, r1);
  r2 = sel(linear, nan, r2);
  const v8 slack = set1(1e-12);
  const v8 l = sub(lo, slack), h = add(hi, slack);
  const m8 in1 = ge(r1, l) & le(r1, h), in2 = ge(r2, l) & le(r2, h);
  return sel(in1, clamp(r1, lo, hi), sel(in2, clamp(r2, lo, hi), nan));
}

// root_tolerance: |b - a| <= max(rel min(|a|, |b|), 1e-30)
FTG_T m8 within(v8 a, v8 b, v8 rel, v8 floor) noexcept {
  return le(vabs(sub(b, a)), vmax(mul(rel, vmin(vabs(a), vabs(b))), floor));
}
// solve_cf's egalitarian objective min(G - D0, H - D1), and the Nash cubic ((a3 d + a2) d + a1) d + a0.
FTG_T v8 egal_obj(v8 x, v8 d, v8 D0, v8 D1) noexcept { return vmin(sub(G(x, d), D0), sub(H(x, d), D1)); }
FTG_T v8 cubic(v8 a3, v8 a2, v8 a1, v8 a0, v8 d) noexcept { return add(mul(add(mul(add(mul(a3, d), a2), d), a1), d), a0); }

struct lanes_out {
  v8 delta, u_g, u_d, alpha0, alpha1;
  m8 in_pareto, ok;
};

// result_at_quadratic: the fields at delta, in_pareto = contains(ps, delta, 1e-12 |delta| + 1e-15).
FTG_T lanes_out at(v8 a0, v8 a1, v8 L, v8 R, v8 delta) noexcept {
  lanes_out r;
  const v8 rest = sub(set1(1.0), delta);
  const v8 alpha0 = mul(a0, delta), b = mul(a1, rest), alpha1 = add(alpha0, b);
  r.delta = delta;
  r.u_g = mul(delta, sub(alpha1, mul(alpha0, set1(0.5))));
  r.u_d = mul(rest, sub(alpha1, mul(b, set1(0.5))));
  r.alpha0 = alpha0;
  r.alpha1 = alpha1;
  const v8 tol = add(mul(set1(1e-12), vabs(delta)), set1(1e-15));
  r.in_pareto = ge(delta, sub(L, tol)) & le(delta, add(R, tol));
  r.ok = finite(r.delta) & finite(r.u_g) & finite(r.u_d) & finite(r.alpha0) & finite(r.alpha1);
  return r;
}

// detail::newton_in_bracket with the Halley step, lane by lane, on the Nash cubic over (L, R)
// (lo_positive), from `start`, with solve_cf's tolerance (bits = digits - 3). ok: converged.
struct halley_out {
  v8 x;
  m8 ok;
  alignas(16) std::uint16_t iters[lanes];
};

[[gnu::target("avx512f,avx512dq")]] halley_out halley(v8 a3, v8 a2, v8 a1, v8 a0, v8 lo, v8 hi, v8 start,
                                                      m8 run) noexcept {
  halley_out out{};
  const v8 zero = _mm512_setzero_pd(), two = set1(2.0);
  solver_options o;
  o.bits = std::numeric_limits<double>::digits - 3;
  const v8 rel = set1(detail::root_tolerance(o.bits).rel), floor = set1(detail::root_tolerance::abs_floor);
  m8 active = run & lt(lo, hi);
  v8 a = lo, b = hi;
  const v8 mid0 = add(lo, dv(sub(hi, lo), two));
  v8 x = sel(gt(start, lo) & lt(start, hi), start, mid0);
  v8 step = sub(hi, lo), step_before = step;
  out.x = zero;
  out.ok = 0;
  for (std::uintmax_t it = 1; it <= o.max_iter && active != 0; ++it) {
    // fdf: p(d) = ((a3 d + a2) d + a1) d + a0, p' = (3 a3 d + 2 a2) d + a1, p'' = 6 a3 d + 2 a2.
    const v8 f = cubic(a3, a2, a1, a0, x);
    const v8 df = add(mul(add(mul(mul(set1(3.0), a3), x), mul(two, a2)), x), a1);
    const v8 d2f = add(mul(mul(set1(6.0), a3), x), mul(two, a2));
    for (int l = 0; l < lanes; ++l)
      if ((active >> l) & 1u) out.iters[l] = static_cast<std::uint16_t>(it);
    active &= static_cast<m8>(~_mm512_cmp_pd_mask(f, f, _CMP_UNORD_Q));  // NaN: not converged
    const m8 zero_f = active & eq(f, zero);
    out.x = _mm512_mask_mov_pd(out.x, zero_f, x);
    out.ok |= zero_f;
    active &= static_cast<m8>(~zero_f);
    const m8 pos = gt(f, zero);
    a = _mm512_mask_mov_pd(a, active & pos, x);
    b = _mm512_mask_mov_pd(b, static_cast<m8>(active & ~pos), x);
    const v8 den = sub(mul(mul(two, df), df), mul(f, d2f));
    v8 next = sub(x, dv(mul(mul(two, f), df), den));
    const m8 a_first = lt(a, b);  // l = a < b ? a : b, h = a < b ? b : a
    const v8 l = sel(a_first, a, b), h = sel(a_first, b, a);
    const m8 newton_ok = finite(f) & finite(df) & ne(df, zero) & ge(next, l) & le(next, h) &
                         le(mul(vabs(sub(next, x)), two), vabs(step_before));
    next = sel(newton_ok, next, add(l, dv(sub(h, l), two)));
    step_before = _mm512_mask_mov_pd(step_before, active, step);
    step = _mm512_mask_mov_pd(step, active, sub(next, x));
    const m8 conv = active & newton_ok & within(x, next, rel, floor);
    out.x = _mm512_mask_mov_pd(out.x, conv, x);
    out.ok |= conv;
    active &= static_cast<m8>(~conv);
    const m8 narrow = active & within(l, h, rel, floor);
    out.x = _mm512_mask_mov_pd(out.x, narrow, add(l, dv(sub(h, l), two)));
    out.ok |= narrow;
    active &= static_cast<m8>(~narrow);
    x = _mm512_mask_mov_pd(x, active, next);
  }
  return out;
}

// Eight games (idx into games/out; duplicates pad a short group). Returns the lanes whose whole
// game_solution stands; the caller solves the others with solve_game_closed_form.
[[gnu::target("avx512f,avx512dq")]] m8 solve8(const game_params* games, const std::size_t* idx, double beta,
                                              game_solution* out) noexcept {
  alignas(64) double c0s[lanes], c1s[lanes], d0s[lanes], d1s[lanes];
  for (int l = 0; l < lanes; ++l) {
    c0s[l] = games[idx[l]].c0;
    c1s[l] = games[idx[l]].c1;
    d0s[l] = games[idx[l]].d0;  // +-0 (batch_game)
    d1s[l] = games[idx[l]].d1;
  }
  const v8 c0 = _mm512_load_pd(c0s), c1 = _mm512_load_pd(c1s);
  const v8 zero = _mm512_setzero_pd(), one = set1(1.0), two = set1(2.0);
  // make_quad: D0 = 4 c1 d0, D1 = 4 c1 d1 (zeros, with the scalar code's signs).
  const v8 x = dv(c1, c0);
  const v8 D0 = mul(mul(set1(4.0), c1), _mm512_load_pd(d0s)), D1 = mul(mul(set1(4.0), c1), _mm512_load_pd(d1s));
  const v8 pg = sel(lt(x, one), dv(one, sub(two, x)), one);
  const v8 pd = sel(gt(x, one), dv(sub(x, one), sub(mul(two, x), one)), zero);
  // The rational part of [PD, PG] is all of it (d = 0): L = PD, R = PG. Lanes where rounding says
  // otherwise go to the scalar code.
  m8 good = ge(G(x, pg), D0) & ge(H(x, pd), D1) & ge(G(x, pd), D0) & ge(H(x, pg), D1) & le(pd, pg);
  const v8 L = pd, R = pg;
  // make_constants: a = 1 / (k c) with k = 2.
  const v8 a0 = dv(one, mul(two, c0)), a1 = dv(one, mul(two, c1));

  lanes_out res[solution_count];
  alignas(16) std::uint16_t nash_iters[2][lanes] = {};
  res[static_cast<int>(solution::powerful_g)] = at(a0, a1, L, R, pg);
  res[static_cast<int>(solution::powerful_d)] = at(a0, a1, L, R, pd);
  res[static_cast<int>(solution::max_performance)] = at(a0, a1, L, R, sel(lt(x, one), zero, one));
  const m8 degenerate = eq(x, one);
  res[static_cast<int>(solution::vertical_monopoly)] = at(a0, a1, L, R, dv(c1, add(c0, c1)));

  const v8 g2 = sub(x, two), g1 = two, g0 = _mm512_xor_pd(D0, set1(-0.0));  // -D0
  const v8 h2 = sub(one, mul(two, x)), h1 = mul(two, sub(x, one)), h0 = sub(one, D1);
  {  // egalitarian: the crossing r, strictly inside and strictly best (else scalar: ties, ends)
    const v8 r = quadratic_root_in(sub(g2, h2), sub(g1, h1), sub(g0, h0), L, R);
    const v8 vr = egal_obj(x, r, D0, D1), tol = mul(set1(detail::tie_rel_tol), vabs(vr));
    good = static_cast<m8>(good & finite(r) & gt(r, L) & lt(r, R) & lt(egal_obj(x, L, D0, D1), sub(vr, tol)) &
                           lt(egal_obj(x, R, D0, D1), sub(vr, tol)));
    res[static_cast<int>(solution::egalitarian)] = at(a0, a1, L, R, r);
  }
  {  // Kalai-Smorodinsky
    const v8 ig = sub(G(x, R), D0), id = sub(H(x, L), D1);
    good = static_cast<m8>(good & gt(ig, zero) & gt(id, zero));
    const v8 r = quadratic_root_in(sub(mul(g2, id), mul(h2, ig)), sub(mul(g1, id), mul(h1, ig)),
                                   sub(mul(g0, id), mul(h0, ig)), L, R);
    good &= finite(r);
    res[static_cast<int>(solution::kalai_smorodinsky)] = at(a0, a1, L, R, r);
  }
  for (int n = 0; n < 2; ++n) {  // Nash, then generalized Nash: the bracketed Halley solve
    const solution s = n == 0 ? solution::nash : solution::generalized_nash;
    const double bs = n == 0 ? 0.5 : beta;
    const v8 b = set1(bs), c = set1(1.0 - bs);
    const v8 a3 = mul(mul(two, g2), h2);
    const v8 a2 = add(mul(b, add(mul(mul(two, g2), h1), mul(g1, h2))), mul(c, add(mul(mul(two, h2), g1), mul(h1, g2))));
    const v8 a1c = add(mul(b, add(mul(mul(two, g2), h0), mul(g1, h1))), mul(c, add(mul(mul(two, h2), g0), mul(h1, g1))));
    const v8 a0c = add(mul(mul(b, g1), h0), mul(mul(c, h1), g0));
    const m8 bracket = lt(L, R) & gt(cubic(a3, a2, a1c, a0c, L), zero) & lt(cubic(a3, a2, a1c, a0c, R), zero);
    good = static_cast<m8>(good & bracket);
    const halley_out h = halley(a3, a2, a1c, a0c, L, R, add(L, mul(b, sub(R, L))), good);
    good &= h.ok;
    for (int l = 0; l < lanes; ++l) nash_iters[n][l] = h.iters[l];
    res[static_cast<int>(s)] = at(a0, a1, L, R, h.x);
  }
  for (const lanes_out& r : res) good &= r.ok;

  detail::lane_results lr;
  for (int i = 0; i < solution_count; ++i) {
    _mm512_store_pd(lr.v[i][0], res[i].delta);
    _mm512_store_pd(lr.v[i][1], res[i].u_g);
    _mm512_store_pd(lr.v[i][2], res[i].u_d);
    _mm512_store_pd(lr.v[i][3], res[i].alpha0);
    _mm512_store_pd(lr.v[i][4], res[i].alpha1);
    lr.in_pareto[i] = res[i].in_pareto;
  }
  _mm512_store_pd(lr.L, L);
  _mm512_store_pd(lr.R, R);
  for (int l = 0; l < lanes; ++l) {
    lr.iterations[static_cast<int>(solution::nash)][l] = nash_iters[0][l];
    lr.iterations[static_cast<int>(solution::generalized_nash)][l] = nash_iters[1][l];
  }
  for (int l = 0; l < lanes; ++l) {
    if (!((good >> l) & 1u)) continue;
    game_solution& gs = out[idx[l]];
    detail::write_lane(lr, l, gs);
    gs.solutions[static_cast<std::size_t>(solution::max_performance)].degenerate = (degenerate >> l) & 1u;
  }
  return good;
}

#undef FTG_T

bool cpu_has_avx512() noexcept {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}

#endif  // FTG_CF_BATCH_AVX512

}  // namespace

std::size_t solve_game_closed_form_batch(std::span<const game_params> games, double beta,
                                         std::span<game_solution> out) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  std::size_t in_lanes = 0;
#if FTG_CF_BATCH_AVX512
  const bool beta_ok = std::isfinite(beta) && beta > 0.0 && beta < 1.0;
  if (beta_ok && cpu_has_avx512()) {
    in_lanes = detail::in_groups<lanes>(
        n, [&](std::size_t i, int) { return batch_game(games[i]); },
        [&](const std::size_t* idx, int) { return static_cast<std::uint32_t>(solve8(games.data(), idx, beta, out.data())); },
        [&](std::size_t i) { detail::solve_game_closed_form(games[i], beta, out[i]); });
    return in_lanes;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) detail::solve_game_closed_form(games[i], beta, out[i]);
  return in_lanes;
}

}  // namespace ftg
