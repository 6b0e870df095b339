// bargain_numeric_batch and solve_game_numeric_batch (kernels/bargaining.hpp): the fast numeric
// path of bargaining_unimodal.cpp run eight games at a time in lock-step (issue 6's stretch
// target): one solution for sixteen games per call group (solve_groups), or every solution and
// the Pareto set of eight (solve_game8).
//
// Each lane runs the same safeguarded Newton iteration as detail::newton_in_bracket (rtsafe: a
// Newton step when it stays inside the sign bracket and at least halves the step before last,
// else bisection; the same stopping rules), on the same first-order condition, from the same
// start, with per-lane masks: a lane that has stopped keeps its result while the others go on.
// The two powers of each evaluation come from glibc's libmvec (_ZGVeN8vv_pow, AVX-512, within
// 4 ulp, against the scalar pow's < 1 ulp), so a lane's delta* agrees with bargain_numeric's to
// the root tolerance and its utilities to a few ulp, not bit for bit (the header's item 4 and
// tests/kernels/test_bargaining_batch.cpp). Anything a lane cannot vouch for (a NaN, the
// iteration budget, a result outside the slopes' Pareto test) goes to bargain_numeric itself.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/bargaining.hpp"
#include "kernels/detail/lanes.hpp"
#include "kernels/detail/pick.hpp"
#include "kernels/detail/roots.hpp"
#include "kernels/detail/two_player.hpp"
#include "kernels/detail/unimodal.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12 flags the _mm512_undefined_pd() inside avx512fintrin.h's min/max as maybe-uninitialized
// (a known false positive of the intrinsics header, not of this file).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define FTG_BATCH_AVX512 1
// glibc libmvec, vector function ABI: 'e' = AVX-512, 'N' = unmasked, 8 lanes, two vector args.
extern "C" __m512d _ZGVeN8vv_pow(__m512d, __m512d);
#endif

namespace ftg {
namespace {

// Which solutions run in lock-step, and for which games: the unimodal fast path (k0, k1 >= 2)
// with d0 = d1 = 0, where Nash and vertical monopoly are each one Newton solve on [0, 1] that
// needs no Pareto set (bargaining_unimodal.cpp, solve_one).
bool lockstep_solution(solution s, double beta) noexcept {
  if (s == solution::nash || s == solution::vertical_monopoly) return true;
  return s == solution::generalized_nash && std::isfinite(beta) && beta > 0.0 && beta < 1.0;
}

// c: the game's constants, filled when the game qualifies.
bool lockstep_game(const game_params& g, const solver_options& opts, detail::game_constants& c) noexcept {
  if (validate(g) != cell_status::ok || !detail::unimodal_applies(g, opts)) return false;
  if (g.d0 != 0.0 || g.d1 != 0.0) return false;
  c = detail::make_constants(g);
  return detail::unimodal_scales_ok(c);  // unimodal_init's own check
}

#if FTG_BATCH_AVX512

constexpr int lanes = 8;

struct lane_constants {
  __m512d a0, a1, p0, p1, r0, r1;  // 1/(k c), 1/(k - 1), 1/k
  __m512d s0, s1;                  // power_slope_at_zero(a0, p0), power_slope_at_zero(a1, p1)
  __m512d q0, q1;                  // p (p - 1), for the second derivatives
};

struct vpoint {
  __m512d alpha0, b, alpha1, u_g, u_d, da0, db, du_g, du_d, inv_x, inv_rest;
};

// detail::evaluate for G groups of eight lanes; the 2 G pow calls are issued together, so that
// out-of-order execution overlaps the groups' independent chains (one group alone is latency bound).
template <int G, class Group>
[[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline void evaluate_groups(const Group* grp,
                                                                                   const __m512d* x,
                                                                                   vpoint* q) noexcept {
  const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
  __m512d rest[G];
  for (int g = 0; g < G; ++g) rest[g] = _mm512_sub_pd(one, x[g]);
  for (int g = 0; g < G; ++g) {
    q[g].alpha0 = _ZGVeN8vv_pow(_mm512_mul_pd(grp[g].k.a0, x[g]), grp[g].k.p0);
    q[g].b = _ZGVeN8vv_pow(_mm512_mul_pd(grp[g].k.a1, rest[g]), grp[g].k.p1);
  }
  for (int g = 0; g < G; ++g) {
    const lane_constants& kg = grp[g].k;
    vpoint& p = q[g];
    p.alpha1 = _mm512_add_pd(p.alpha0, p.b);
    p.u_g = _mm512_mul_pd(x[g], _mm512_sub_pd(p.alpha1, _mm512_mul_pd(p.alpha0, kg.r0)));
    p.u_d = _mm512_mul_pd(rest[g], _mm512_sub_pd(p.alpha1, _mm512_mul_pd(p.b, kg.r1)));
    p.inv_x = _mm512_div_pd(one, x[g]);
    p.inv_rest = _mm512_div_pd(one, rest[g]);
    // detail::evaluate: the exact end slopes where delta or 1 - delta is 0.
    const __mmask8 x_pos = _mm512_cmp_pd_mask(x[g], zero, _CMP_GT_OQ);
    const __mmask8 rest_pos = _mm512_cmp_pd_mask(rest[g], zero, _CMP_GT_OQ);
    p.da0 = _mm512_mask_blend_pd(x_pos, kg.s0, _mm512_mul_pd(_mm512_mul_pd(kg.p0, p.alpha0), p.inv_x));
    p.db = _mm512_mask_blend_pd(rest_pos, _mm512_sub_pd(zero, kg.s1),
                                _mm512_sub_pd(zero, _mm512_mul_pd(_mm512_mul_pd(kg.p1, p.b), p.inv_rest)));
    p.du_g = _mm512_fmadd_pd(x[g], p.db, p.alpha1);
    p.du_d = _mm512_fmsub_pd(rest[g], p.da0, p.alpha1);
  }
}

// The first-order conditions f and f' of bargaining_unimodal.cpp's solve_one, per lane.
enum class foc : int { nash, vertical_monopoly };

struct fdf8 {
  __m512d f, df;
};

[[gnu::target("avx512f,avx512dq")]] inline fdf8 condition8(foc which, const lane_constants& k, __m512d x,
                                                            const vpoint& p, __m512d bw, __m512d cw) noexcept {
  const __m512d zero = _mm512_setzero_pd(), two = _mm512_set1_pd(2.0), one = _mm512_set1_pd(1.0);
  const __m512d rest = _mm512_sub_pd(one, x);
  // Second derivatives: alpha0'' = p0 (p0 - 1) alpha0 / delta^2, b'' = p1 (p1 - 1) b / (1 - delta)^2.
  const __m512d sa0 = _mm512_mul_pd(_mm512_mul_pd(k.q0, p.alpha0), _mm512_mul_pd(p.inv_x, p.inv_x));
  const __m512d sb = _mm512_mul_pd(_mm512_mul_pd(k.q1, p.b), _mm512_mul_pd(p.inv_rest, p.inv_rest));
  fdf8 r;
  if (which == foc::vertical_monopoly) {
    // (UG + UD)' = (1 - delta) alpha0' + delta b', and its derivative.
    r.f = _mm512_fmadd_pd(rest, p.da0, _mm512_mul_pd(x, p.db));
    r.df = _mm512_add_pd(_mm512_sub_pd(_mm512_mul_pd(rest, sa0), p.da0), _mm512_fmadd_pd(x, sb, p.db));
    return r;
  }
  // Nash: b log gG + c log gD (d0 = d1 = 0: the gains are the utilities).
  const __m512d d2ug = _mm512_fmadd_pd(x, sb, _mm512_fmadd_pd(two, p.db, p.da0));
  const __m512d d2ud = _mm512_fmadd_pd(rest, sa0, _mm512_sub_pd(zero, _mm512_fmadd_pd(two, p.da0, p.db)));
  const __m512d ig = _mm512_div_pd(one, p.u_g), id = _mm512_div_pd(one, p.u_d);
  const __m512d tg = _mm512_mul_pd(p.du_g, ig), td = _mm512_mul_pd(p.du_d, id);
  r.f = _mm512_fmadd_pd(bw, tg, _mm512_mul_pd(cw, td));
  r.df = _mm512_fmadd_pd(bw, _mm512_fmsub_pd(d2ug, ig, _mm512_mul_pd(tg, tg)),
                         _mm512_mul_pd(cw, _mm512_fmsub_pd(d2ud, id, _mm512_mul_pd(td, td))));
  // Where a gain is not positive, the scalar path's signs: both -> NaN, gG -> +inf, gD -> -inf.
  const __mmask8 g_pos = _mm512_cmp_pd_mask(p.u_g, zero, _CMP_GT_OQ);
  const __mmask8 d_pos = _mm512_cmp_pd_mask(p.u_d, zero, _CMP_GT_OQ);
  const __m512d inf = _mm512_set1_pd(std::numeric_limits<double>::infinity());
  r.f = _mm512_mask_blend_pd(g_pos, inf, r.f);
  r.df = _mm512_mask_blend_pd(g_pos, zero, r.df);
  r.f = _mm512_mask_blend_pd(static_cast<__mmask8>(g_pos & ~d_pos), r.f, _mm512_sub_pd(zero, inf));
  r.df = _mm512_mask_blend_pd(static_cast<__mmask8>(g_pos & ~d_pos), r.df, zero);
  const __mmask8 neither = static_cast<__mmask8>(~g_pos & ~d_pos);
  r.f = _mm512_mask_blend_pd(neither, r.f, _mm512_set1_pd(std::numeric_limits<double>::quiet_NaN()));
  return r;
}

[[gnu::target("avx512f,avx512dq")]] inline __m512d abs8(__m512d v) noexcept {
  return _mm512_andnot_pd(_mm512_set1_pd(-0.0), v);
}

// root_tolerance(bits)(a, b) per lane: |b - a| <= max(rel min(|a|, |b|), 1e-30).
[[gnu::target("avx512f,avx512dq")]] inline __mmask8 within_tol(__m512d a, __m512d b, __m512d rel) noexcept {
  const __m512d lim = _mm512_max_pd(_mm512_mul_pd(rel, _mm512_min_pd(abs8(a), abs8(b))),
                                    _mm512_set1_pd(detail::root_tolerance::abs_floor));
  return _mm512_cmp_pd_mask(abs8(_mm512_sub_pd(b, a)), lim, _CMP_LE_OQ);
}

// The state of detail::newton_in_bracket per lane, for any bracket and sign convention.
struct nstate {
  __m512d x, a, b, step, step_before, root;
  __mmask8 active = 0, ok = 0;
  alignas(16) std::uint16_t iters[lanes] = {};
};

// One iteration of detail::newton_in_bracket for the active lanes of s, given f and f' at s.x:
// the bracket, the steps and the stopping rules, in the scalar code's operations. Returns the
// lanes that stopped on the point just evaluated (f == 0, or a converged Newton step); lanes that
// stop on the bracket's midpoint, or on a NaN (failed), are in s.ok / out of s.active only.
[[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline __mmask8 newton_update(nstate& s, const fdf8& fd,
                                                                                     bool lo_positive, __m512d rel,
                                                                                     std::uint16_t it) noexcept {
  const __m512d zero = _mm512_setzero_pd(), two = _mm512_set1_pd(2.0);
  for (int l = 0; l < lanes; ++l)
    if ((s.active >> l) & 1u) s.iters[l] = it;
  __mmask8 active = s.active;
  active &= static_cast<__mmask8>(~_mm512_cmp_pd_mask(fd.f, fd.f, _CMP_UNORD_Q));  // NaN: failed
  const __mmask8 is_zero = active & _mm512_cmp_pd_mask(fd.f, zero, _CMP_EQ_OQ);
  __mmask8 stop_here = is_zero;
  active &= static_cast<__mmask8>(~is_zero);
  const __mmask8 pos = _mm512_cmp_pd_mask(fd.f, zero, _CMP_GT_OQ);
  const __mmask8 lo_side = lo_positive ? pos : static_cast<__mmask8>(~pos);  // (f > 0) == lo_positive
  s.a = _mm512_mask_mov_pd(s.a, active & lo_side, s.x);
  s.b = _mm512_mask_mov_pd(s.b, static_cast<__mmask8>(active & ~lo_side), s.x);
  __m512d next = _mm512_sub_pd(s.x, _mm512_div_pd(fd.f, fd.df));
  const __mmask8 a_first = _mm512_cmp_pd_mask(s.a, s.b, _CMP_LT_OQ);  // l = a < b ? a : b
  const __m512d l = _mm512_mask_blend_pd(a_first, s.b, s.a), h = _mm512_mask_blend_pd(a_first, s.a, s.b);
  const __m512d big = _mm512_set1_pd(std::numeric_limits<double>::max());
  const __mmask8 finite = _mm512_cmp_pd_mask(abs8(fd.f), big, _CMP_LE_OQ) &
                          _mm512_cmp_pd_mask(abs8(fd.df), big, _CMP_LE_OQ) &
                          _mm512_cmp_pd_mask(fd.df, zero, _CMP_NEQ_OQ);
  const __mmask8 newton_ok = finite & _mm512_cmp_pd_mask(next, l, _CMP_GE_OQ) &
                             _mm512_cmp_pd_mask(next, h, _CMP_LE_OQ) &
                             _mm512_cmp_pd_mask(_mm512_mul_pd(abs8(_mm512_sub_pd(next, s.x)), two),
                                                abs8(s.step_before), _CMP_LE_OQ);
  const __m512d mid = _mm512_add_pd(l, _mm512_div_pd(_mm512_sub_pd(h, l), two));  // l + (h - l) / 2
  next = _mm512_mask_blend_pd(newton_ok, mid, next);
  s.step_before = _mm512_mask_mov_pd(s.step_before, active, s.step);
  s.step = _mm512_mask_mov_pd(s.step, active, _mm512_sub_pd(next, s.x));
  const __mmask8 conv = active & newton_ok & within_tol(s.x, next, rel);
  stop_here |= conv;
  active &= static_cast<__mmask8>(~conv);
  s.root = _mm512_mask_mov_pd(s.root, stop_here, s.x);
  s.ok |= stop_here;
  const __mmask8 narrow = active & within_tol(l, h, rel);  // the bracket has shrunk to the tolerance
  s.root = _mm512_mask_mov_pd(s.root, narrow, mid);
  s.ok |= narrow;
  active &= static_cast<__mmask8>(~narrow);
  s.x = _mm512_mask_mov_pd(s.x, active, next);
  s.active = active;
  return stop_here;
}

// One group of eight lanes: its constants and the state of each lane's safeguarded Newton.
struct lane_group {
  lane_constants k;
  nstate s;
  vpoint at_root;  // the point evaluated at the root, for the lanes that stopped on an evaluated x
  __mmask8 evaluated = 0;
};

[[gnu::target("avx512f,avx512dq")]] inline void init_group(lane_group& grp, const detail::game_constants* consts,
                                                           __m512d start) noexcept {
  alignas(64) double a0[lanes], a1[lanes], p0[lanes], p1[lanes], r0[lanes], r1[lanes], s0[lanes], s1[lanes];
  for (int l = 0; l < lanes; ++l) {
    const detail::game_constants& c = consts[l];
    a0[l] = c.a0;
    a1[l] = c.a1;
    p0[l] = c.p0;
    p1[l] = c.p1;
    r0[l] = 1.0 / c.k0;
    r1[l] = 1.0 / c.k1;
    s0[l] = detail::power_slope_at_zero(c.a0, c.p0);
    s1[l] = detail::power_slope_at_zero(c.a1, c.p1);
  }
  lane_constants& k = grp.k;
  k.a0 = _mm512_load_pd(a0);
  k.a1 = _mm512_load_pd(a1);
  k.p0 = _mm512_load_pd(p0);
  k.p1 = _mm512_load_pd(p1);
  k.r0 = _mm512_load_pd(r0);
  k.r1 = _mm512_load_pd(r1);
  k.s0 = _mm512_load_pd(s0);
  k.s1 = _mm512_load_pd(s1);
  const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
  k.q0 = _mm512_mul_pd(k.p0, _mm512_sub_pd(k.p0, one));
  k.q1 = _mm512_mul_pd(k.p1, _mm512_sub_pd(k.p1, one));
  // solve_one's bracket (0, 1), f > 0 next to 0 (lo_positive), and its start.
  grp.s.x = start;
  grp.s.a = zero;
  grp.s.b = one;
  grp.s.step = grp.s.step_before = one;
  grp.s.root = zero;
  grp.s.active = 0xFF;
}

// One iteration for a group (bracket (0, 1), f > 0 next to 0), keeping the point at the lanes
// that stopped on it.
[[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline void newton_step(lane_group& grp, const vpoint& p,
                                                                               const fdf8& fd, __m512d rel,
                                                                               std::uint16_t it) noexcept {
  const __mmask8 stop_here = newton_update(grp.s, fd, true, rel, it);
  grp.evaluated |= stop_here;
  vpoint& r = grp.at_root;
  r.alpha0 = _mm512_mask_mov_pd(r.alpha0, stop_here, p.alpha0);
  r.alpha1 = _mm512_mask_mov_pd(r.alpha1, stop_here, p.alpha1);
  r.u_g = _mm512_mask_mov_pd(r.u_g, stop_here, p.u_g);
  r.u_d = _mm512_mask_mov_pd(r.u_d, stop_here, p.u_d);
  r.du_g = _mm512_mask_mov_pd(r.du_g, stop_here, p.du_g);
  r.du_d = _mm512_mask_mov_pd(r.du_d, stop_here, p.du_d);
}

// G groups of eight games (idx[8 g + l] into games/out; duplicates pad a short batch and are
// written identically), iterated together. stands[g] gets the mask of the lanes whose result
// stands; the caller sends the others to bargain_numeric.
template <int G>
[[gnu::target("avx512f,avx512dq")]] void solve_groups(solution s, const detail::game_constants* consts,
                                                     const std::size_t* idx, double beta,
                                                     const solver_options& opts, bargain_result* out,
                                                     __mmask8* stands) noexcept {
  const foc which = s == solution::vertical_monopoly ? foc::vertical_monopoly : foc::nash;
  const double bw_s = s == solution::generalized_nash ? beta : 0.5;
  const __m512d bw = _mm512_set1_pd(bw_s), cw = _mm512_set1_pd(1.0 - bw_s);
  const __m512d zero = _mm512_setzero_pd(), half = _mm512_set1_pd(0.5);
  // solve_one's starts: beta for (generalized) Nash, 0.5 for vertical monopoly.
  const __m512d start = which == foc::nash ? bw : half;
  lane_group grp[G];
  for (int g = 0; g < G; ++g) init_group(grp[g], consts + lanes * g, start);
  const __m512d rel = _mm512_set1_pd(detail::root_tolerance(opts.bits).rel);
  for (std::uintmax_t it = 1; it <= opts.max_iter; ++it) {
    bool any = false;
    for (int g = 0; g < G; ++g) any = any || grp[g].s.active != 0;
    if (!any) break;
    __m512d x[G];
    for (int g = 0; g < G; ++g) x[g] = grp[g].s.x;
    vpoint p[G];
    evaluate_groups<G>(grp, x, p);
    for (int g = 0; g < G; ++g) {
      if (grp[g].s.active == 0) continue;
      const fdf8 fd = condition8(which, grp[g].k, x[g], p[g], bw, cw);
      newton_step(grp[g], p[g], fd, rel, static_cast<std::uint16_t>(it));
    }
  }
  // Lanes that stopped on a midpoint are evaluated there (as make_result() does without a point).
  __m512d xr[G];
  bool need = false;
  for (int g = 0; g < G; ++g) {
    xr[g] = _mm512_mask_mov_pd(half, grp[g].s.ok, grp[g].s.root);
    need = need || (grp[g].s.ok & ~grp[g].evaluated) != 0;
  }
  if (need) {
    vpoint p[G];
    evaluate_groups<G>(grp, xr, p);
    for (int g = 0; g < G; ++g) {
      const __mmask8 m = static_cast<__mmask8>(grp[g].s.ok & ~grp[g].evaluated);
      vpoint& r = grp[g].at_root;
      r.alpha0 = _mm512_mask_mov_pd(r.alpha0, m, p[g].alpha0);
      r.alpha1 = _mm512_mask_mov_pd(r.alpha1, m, p[g].alpha1);
      r.u_g = _mm512_mask_mov_pd(r.u_g, m, p[g].u_g);
      r.u_d = _mm512_mask_mov_pd(r.u_d, m, p[g].u_d);
      r.du_g = _mm512_mask_mov_pd(r.du_g, m, p[g].du_g);
      r.du_d = _mm512_mask_mov_pd(r.du_d, m, p[g].du_d);
    }
  }
  // The results, as make_result() builds them: the fields of the point, in_pareto from the
  // slopes (UG' > 0, UD' < 0: inside [PD, PG], and d0 = d1 = 0 cut nothing).
  for (int g = 0; g < G; ++g) {
    const vpoint& p = grp[g].at_root;
    alignas(64) double vd[lanes], vg[lanes], vdd[lanes], va0[lanes], va1[lanes];
    _mm512_store_pd(vd, xr[g]);
    _mm512_store_pd(vg, p.u_g);
    _mm512_store_pd(vdd, p.u_d);
    _mm512_store_pd(va0, p.alpha0);
    _mm512_store_pd(va1, p.alpha1);
    const __mmask8 inside = _mm512_cmp_pd_mask(p.du_g, zero, _CMP_GT_OQ) & _mm512_cmp_pd_mask(p.du_d, zero, _CMP_LT_OQ);
    __mmask8 st = grp[g].s.ok & inside;
    for (int l = 0; l < lanes; ++l) {
      if (!((st >> l) & 1u)) continue;
      bargain_result r;
      r.delta = vd[l];
      r.u_g = vg[l];
      r.u_d = vdd[l];
      r.alpha0 = va0[l];
      r.alpha1 = va1[l];
      r.in_pareto = true;
      r.iterations = grp[g].s.iters[l];
      if (!finite_all(r.delta, r.u_g, r.u_d, r.alpha0, r.alpha1)) {
        st = static_cast<__mmask8>(st & ~(1u << l));
        continue;
      }
      out[idx[lanes * g + l]] = r;
    }
    stands[g] = st;
  }
}

// ---- every solution of a game in lanes (solve_game_numeric_batch) ------------------------------

// detail::newton_in_bracket(fdf, lo, hi, lo_positive, guess, opts) lane by lane, for the lanes in
// run; ok marks the lanes that converged (the others failed: NaN, an empty bracket, the budget).
template <class F>
[[gnu::target("avx512f,avx512dq")]] nstate newton_lanes(const F& f, __m512d lo, __m512d hi, bool lo_positive,
                                                      __m512d guess, __mmask8 run, const solver_options& opts) noexcept {
  const __m512d zero = _mm512_setzero_pd(), two = _mm512_set1_pd(2.0);
  const __m512d rel = _mm512_set1_pd(detail::root_tolerance(opts.bits).rel);
  nstate s;
  s.active = static_cast<__mmask8>(run & _mm512_cmp_pd_mask(lo, hi, _CMP_LT_OQ));
  const __m512d mid0 = _mm512_add_pd(lo, _mm512_div_pd(_mm512_sub_pd(hi, lo), two));
  const __mmask8 inside = _mm512_cmp_pd_mask(guess, lo, _CMP_GT_OQ) & _mm512_cmp_pd_mask(guess, hi, _CMP_LT_OQ);
  s.x = _mm512_mask_blend_pd(inside, mid0, guess);
  s.a = lo;
  s.b = hi;
  s.step = s.step_before = _mm512_sub_pd(hi, lo);
  s.root = zero;
  for (std::uintmax_t it = 1; it <= opts.max_iter && s.active != 0; ++it)
    (void)newton_update(s, f(s.x), lo_positive, rel, static_cast<std::uint16_t>(it));
  return s;
}

[[gnu::target("avx512f,avx512dq")]] inline vpoint eval1(const lane_group& g, __m512d x) noexcept {
  vpoint p;
  evaluate_groups<1>(&g, &x, &p);
  return p;
}

// The first-order conditions of bargaining_unimodal.cpp (solve_pg, solve_pd, max_performance,
// the crossings of egalitarian and Kalai-Smorodinsky with d0 = d1 = 0), each as f and f'.
struct foc_pg {  // (1 - delta)(1 + r) - p1 delta, r = alpha0 / b
  const lane_group* g;
  [[gnu::target("avx512f,avx512dq")]] fdf8 operator()(__m512d x) const noexcept {
    const vpoint p = eval1(*g, x);
    const __m512d one = _mm512_set1_pd(1.0), rest = _mm512_sub_pd(one, x);
    const __m512d r = _mm512_div_pd(p.alpha0, p.b);
    fdf8 o;
    o.f = _mm512_sub_pd(_mm512_mul_pd(rest, _mm512_add_pd(one, r)), _mm512_mul_pd(g->k.p1, x));
    o.df = _mm512_add_pd(_mm512_sub_pd(_mm512_sub_pd(_mm512_setzero_pd(), one), g->k.p1),
                         _mm512_mul_pd(r, _mm512_add_pd(_mm512_div_pd(_mm512_mul_pd(rest, g->k.p0), x),
                                                        _mm512_sub_pd(g->k.p1, one))));
    return o;
  }
};
struct foc_pd {  // (1 - delta) p0 - delta (1 + s), s = b / alpha0
  const lane_group* g;
  [[gnu::target("avx512f,avx512dq")]] fdf8 operator()(__m512d x) const noexcept {
    const vpoint p = eval1(*g, x);
    const __m512d one = _mm512_set1_pd(1.0), rest = _mm512_sub_pd(one, x);
    const __m512d sr = _mm512_div_pd(p.b, p.alpha0);
    fdf8 o;
    o.f = _mm512_sub_pd(_mm512_mul_pd(rest, g->k.p0), _mm512_mul_pd(x, _mm512_add_pd(one, sr)));
    o.df = _mm512_add_pd(_mm512_sub_pd(_mm512_sub_pd(_mm512_setzero_pd(), one), g->k.p0),
                         _mm512_mul_pd(sr, _mm512_add_pd(_mm512_sub_pd(g->k.p0, one),
                                                         _mm512_div_pd(_mm512_mul_pd(x, g->k.p1), rest))));
    return o;
  }
};
struct foc_mp {  // alpha1' and alpha1''
  const lane_group* g;
  [[gnu::target("avx512f,avx512dq")]] fdf8 operator()(__m512d x) const noexcept {
    const vpoint p = eval1(*g, x);
    const __m512d sa0 = _mm512_mul_pd(_mm512_mul_pd(g->k.q0, p.alpha0), _mm512_mul_pd(p.inv_x, p.inv_x));
    const __m512d sb = _mm512_mul_pd(_mm512_mul_pd(g->k.q1, p.b), _mm512_mul_pd(p.inv_rest, p.inv_rest));
    return fdf8{_mm512_add_pd(p.da0, p.db), _mm512_add_pd(sa0, sb)};
  }
};
struct foc_two {  // nash, generalized Nash, vertical monopoly: condition8
  const lane_group* g;
  foc which;
  __m512d bw, cw;
  [[gnu::target("avx512f,avx512dq")]] fdf8 operator()(__m512d x) const noexcept {
    const vpoint p = eval1(*g, x);
    return condition8(which, g->k, x, p, bw, cw);
  }
};
struct foc_cross {  // (UG - d0) / ig - (UD - d1) / id with d = 0 (egalitarian: ig = id = 1)
  const lane_group* g;
  __m512d ig, id;
  bool unit;
  [[gnu::target("avx512f,avx512dq")]] fdf8 operator()(__m512d x) const noexcept {
    const vpoint p = eval1(*g, x);
    if (unit) return fdf8{_mm512_sub_pd(p.u_g, p.u_d), _mm512_sub_pd(p.du_g, p.du_d)};
    return fdf8{_mm512_sub_pd(_mm512_div_pd(p.u_g, ig), _mm512_div_pd(p.u_d, id)),
                _mm512_sub_pd(_mm512_div_pd(p.du_g, ig), _mm512_div_pd(p.du_d, id))};
  }
};

// Every solution and the Pareto set of eight games, as solve_game's unimodal path builds them
// (d0 = d1 = 0). Returns the lanes whose game_solution stands.
[[gnu::target("avx512f,avx512dq")]] __mmask8 solve_game8(const detail::game_constants* consts, const std::size_t* idx,
                                                       double beta, const solver_options& opts,
                                                       game_solution* out) noexcept {
  lane_group g;
  init_group(g, consts, _mm512_set1_pd(0.5));
  const __m512d zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0);
  const vpoint at0 = eval1(g, zero), at1 = eval1(g, one);
  // solve_pg, solve_pd: the ends' signs first.
  __mmask8 good = _mm512_cmp_pd_mask(at0.du_g, zero, _CMP_GT_OQ) & _mm512_cmp_pd_mask(at1.du_d, zero, _CMP_LT_OQ);
  const __mmask8 pg_one = _mm512_cmp_pd_mask(at1.du_g, zero, _CMP_GE_OQ);
  const __mmask8 pd_zero = _mm512_cmp_pd_mask(at0.du_d, zero, _CMP_LE_OQ);
  const nstate sg = newton_lanes(foc_pg{&g}, zero, one, true, _mm512_div_pd(one, _mm512_add_pd(one, g.k.p1)),
                                 static_cast<__mmask8>(good & ~pg_one), opts);
  const nstate sd = newton_lanes(foc_pd{&g}, zero, one, true, _mm512_div_pd(g.k.p0, _mm512_add_pd(one, g.k.p0)),
                                 static_cast<__mmask8>(good & ~pd_zero), opts);
  good &= static_cast<__mmask8>(pg_one | sg.ok) & static_cast<__mmask8>(pd_zero | sd.ok);
  const __m512d pg = _mm512_mask_blend_pd(pg_one, sg.root, one), pd = _mm512_mask_blend_pd(pd_zero, sd.root, zero);
  good &= _mm512_cmp_pd_mask(pd, pg, _CMP_LE_OQ);
  // build_set with d0 = d1 = 0: [PD, PG] whole when the utilities there are >= 0.
  const vpoint ppg = eval1(g, pg), ppd = eval1(g, pd);
  good = static_cast<__mmask8>(good & _mm512_cmp_pd_mask(ppg.u_g, zero, _CMP_GE_OQ) &
                               _mm512_cmp_pd_mask(ppd.u_d, zero, _CMP_GE_OQ) &
                               _mm512_cmp_pd_mask(ppd.u_g, zero, _CMP_GE_OQ) &
                               _mm512_cmp_pd_mask(ppg.u_d, zero, _CMP_GE_OQ));
  const __m512d L = pd, R = pg;
  std::uint16_t set_iters[lanes];
  for (int l = 0; l < lanes; ++l)
    set_iters[l] = static_cast<std::uint16_t>(((pg_one >> l) & 1u ? 0 : sg.iters[l]) + ((pd_zero >> l) & 1u ? 0 : sd.iters[l]));

  __m512d x[solution_count];
  std::uint16_t own[solution_count][lanes] = {};
  x[static_cast<int>(solution::powerful_g)] = pg;
  x[static_cast<int>(solution::powerful_d)] = pd;
  {  // max_performance: alpha1' decreases; the ends, else Newton from 0.5
    const __m512d m0 = _mm512_add_pd(at0.da0, at0.db), m1 = _mm512_add_pd(at1.da0, at1.db);
    good &= static_cast<__mmask8>(~(_mm512_cmp_pd_mask(m0, m0, _CMP_UNORD_Q) | _mm512_cmp_pd_mask(m1, m1, _CMP_UNORD_Q)));
    const __mmask8 at_zero = _mm512_cmp_pd_mask(m0, zero, _CMP_LE_OQ);
    const __mmask8 at_one = static_cast<__mmask8>(~at_zero & _mm512_cmp_pd_mask(m1, zero, _CMP_GE_OQ));
    const __mmask8 run = static_cast<__mmask8>(good & ~at_zero & ~at_one);
    const nstate st = newton_lanes(foc_mp{&g}, zero, one, true, _mm512_set1_pd(0.5), run, opts);
    good &= static_cast<__mmask8>(~run | st.ok);
    const __m512d xm = _mm512_mask_blend_pd(run, _mm512_mask_blend_pd(at_zero, one, zero), st.root);
    x[static_cast<int>(solution::max_performance)] = xm;
    for (int l = 0; l < lanes; ++l) own[static_cast<int>(solution::max_performance)][l] = (run >> l) & 1u ? st.iters[l] : 0;
    // A flat alpha1 (degenerate) is left to the scalar code.
    const vpoint px = eval1(g, xm);
    const __m512d top = _mm512_max_pd(px.alpha1, _mm512_max_pd(at0.alpha1, at1.alpha1));
    const __m512d bottom = _mm512_min_pd(at0.alpha1, at1.alpha1);
    good &= _mm512_cmp_pd_mask(_mm512_sub_pd(top, bottom), _mm512_mul_pd(_mm512_set1_pd(detail::tie_rel_tol), abs8(top)),
                               _CMP_GT_OQ);
  }
  for (solution s : {solution::vertical_monopoly, solution::nash, solution::generalized_nash}) {
    const foc which = s == solution::vertical_monopoly ? foc::vertical_monopoly : foc::nash;
    const double bw_s = s == solution::generalized_nash ? beta : 0.5;
    const __m512d bw = _mm512_set1_pd(bw_s), cw = _mm512_set1_pd(1.0 - bw_s);
    const nstate st = newton_lanes(foc_two{&g, which, bw, cw}, zero, one, true,
                                   which == foc::nash ? bw : _mm512_set1_pd(0.5), good, opts);
    good &= st.ok;
    x[static_cast<int>(s)] = st.root;
    for (int l = 0; l < lanes; ++l) own[static_cast<int>(s)][l] = st.iters[l];
  }
  for (solution s : {solution::egalitarian, solution::kalai_smorodinsky}) {  // crossing()
    const bool egal = s == solution::egalitarian;
    __m512d ig = one, id = one;
    if (!egal) {
      ig = ppg.u_g;  // evaluate(R).u_g - d0, evaluate(L).u_d - d1
      id = ppd.u_d;
      good = static_cast<__mmask8>(good & _mm512_cmp_pd_mask(ig, zero, _CMP_GT_OQ) &
                                   _mm512_cmp_pd_mask(id, zero, _CMP_GT_OQ));
    }
    const foc_cross f{&g, ig, id, egal};
    const __m512d cl = f(L).f, cr = f(R).f;
    good &= static_cast<__mmask8>(~(_mm512_cmp_pd_mask(cl, cl, _CMP_UNORD_Q) | _mm512_cmp_pd_mask(cr, cr, _CMP_UNORD_Q)));
    const __mmask8 at_l = _mm512_cmp_pd_mask(cl, zero, _CMP_GE_OQ);
    const __mmask8 at_r = static_cast<__mmask8>(~at_l & _mm512_cmp_pd_mask(cr, zero, _CMP_LE_OQ));
    const __mmask8 run = static_cast<__mmask8>(good & ~at_l & ~at_r);
    const __m512d guess = _mm512_sub_pd(L, _mm512_div_pd(_mm512_mul_pd(cl, _mm512_sub_pd(R, L)), _mm512_sub_pd(cr, cl)));
    const nstate st = newton_lanes(f, L, R, false, guess, run, opts);
    good &= static_cast<__mmask8>(~run | st.ok);
    x[static_cast<int>(s)] = _mm512_mask_blend_pd(run, _mm512_mask_blend_pd(at_l, R, L), st.root);
    for (int l = 0; l < lanes; ++l) own[static_cast<int>(s)][l] = (run >> l) & 1u ? st.iters[l] : 0;
  }
  // The results at the roots, as make_result() builds them with the set known: contains(ps,
  // delta, 1e-12 |delta| + 1e-15).
  detail::lane_results lr;
  for (int i = 0; i < solution_count; ++i) {
    const vpoint p = eval1(g, x[i]);
    const __m512d tol = _mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(1e-12), abs8(x[i])), _mm512_set1_pd(1e-15));
    lr.in_pareto[i] = _mm512_cmp_pd_mask(x[i], _mm512_sub_pd(L, tol), _CMP_GE_OQ) &
                      _mm512_cmp_pd_mask(x[i], _mm512_add_pd(R, tol), _CMP_LE_OQ);
    const __m512d big = _mm512_set1_pd(std::numeric_limits<double>::max());
    for (__m512d v : {x[i], p.u_g, p.u_d, p.alpha0, p.alpha1}) good &= _mm512_cmp_pd_mask(abs8(v), big, _CMP_LE_OQ);
    _mm512_store_pd(lr.v[i][0], x[i]);
    _mm512_store_pd(lr.v[i][1], p.u_g);
    _mm512_store_pd(lr.v[i][2], p.u_d);
    _mm512_store_pd(lr.v[i][3], p.alpha0);
    _mm512_store_pd(lr.v[i][4], p.alpha1);
    for (int l = 0; l < lanes; ++l) lr.iterations[i][l] = static_cast<std::uint16_t>(own[i][l] + set_iters[l]);
  }
  _mm512_store_pd(lr.L, L);
  _mm512_store_pd(lr.R, R);
  for (int l = 0; l < lanes; ++l)
    if ((good >> l) & 1u) detail::write_lane(lr, l, out[idx[l]]);
  return good;
}

bool cpu_has_avx512() noexcept {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}

#endif  // FTG_BATCH_AVX512

}  // namespace

std::size_t solve_game_numeric_batch(std::span<const game_params> games, double beta,
                                     std::span<game_solution> out, const solver_options& opts) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  std::size_t in_lanes = 0;
#if FTG_BATCH_AVX512
  const bool beta_ok = std::isfinite(beta) && beta > 0.0 && beta < 1.0;
  if (beta_ok && cpu_has_avx512()) {
    detail::game_constants consts[lanes];
    in_lanes = detail::in_groups<lanes>(
        n, [&](std::size_t i, int slot) { return lockstep_game(games[i], opts, consts[slot]); },
        [&](const std::size_t* idx, int filled) {
          for (int l = filled; l < lanes; ++l) consts[l] = consts[filled - 1];  // the padding
          return static_cast<std::uint32_t>(solve_game8(consts, idx, beta, opts, out.data()));
        },
        [&](std::size_t i) { out[i] = solve_game(games[i], beta, method::numeric, opts); });
    return in_lanes;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = solve_game(games[i], beta, method::numeric, opts);
  return in_lanes;
}

std::size_t bargain_numeric_batch(solution s, std::span<const game_params> games, double beta,
                                  std::span<bargain_result> out, const solver_options& opts) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  std::size_t in_lockstep = 0;
#if FTG_BATCH_AVX512
  if (lockstep_solution(s, beta) && cpu_has_avx512()) {
    constexpr int groups = 2;  // two groups in flight hide the latency of one group's chain
    constexpr int batch = groups * lanes;
    detail::game_constants consts[batch];
    in_lockstep = detail::in_groups<batch>(
        n, [&](std::size_t i, int slot) { return lockstep_game(games[i], opts, consts[slot]); },
        [&](const std::size_t* idx, int filled) {
          for (int l = filled; l < batch; ++l) consts[l] = consts[filled - 1];  // the padding
          __mmask8 stands[groups];
          solve_groups<groups>(s, consts, idx, beta, opts, out.data(), stands);
          std::uint32_t ok = 0;
          for (int g = 0; g < groups; ++g) ok |= static_cast<std::uint32_t>(stands[g]) << (lanes * g);
          return ok;
        },
        [&](std::size_t i) { out[i] = bargain_numeric(s, games[i], beta, opts); });
    return in_lockstep;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = bargain_numeric(s, games[i], beta, opts);
  return in_lockstep;
}

}  // namespace ftg
