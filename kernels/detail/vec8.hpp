// kernels/detail/vec8.hpp: eight double lanes for the batch solvers (not public;
// kernels/bargaining_batch.cpp, kernels/bargaining_closed_form_batch.cpp), one small API in two
// instruction sets, so that their lane code (kernels/detail/*_lanes.inc) is written once:
//   vec8_avx512: v8 is one zmm register, m8 an AVX-512 mask register;
//   vec8_avx2:   v8 is two ymm registers (lanes 0-3, 4-7), m8 a byte of lane bits (a comparison's
//                vector masks become bits by movemask; sel expands the bits back for a blend), for
//                CPUs with AVX2 and FMA but no AVX-512.
// Both: set1, vzero, vload, vstore (64-byte aligned), add, sub, mul, dv, vfma (a b + c, fused),
// vfms (a b - c, fused), vsqrt, vabs, vneg, copysign, hwmax and hwmin (the instructions' max and
// min: the second operand when either is NaN), sel(m, if_true, if_false), cmpm<predicate>(a, b)
// and lt, le, gt, ge, eq, ne, isnan (ordered, lane bits), vpow (glibc libmvec's vector pow, within
// 4 ulp). Each operation is the IEEE operation of each lane, so lane code gives the same bits on
// either. Every function carries its instruction set's target attribute and is always inlined
// into code with the same attribute; callers check the CPU first (kernels/detail/batch_isa.hpp).
#pragma once

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FTG_VEC8 1

// glibc libmvec, vector function ABI: 'e' = AVX-512, 'd' = AVX2, 'N' = unmasked, 8 or 4 lanes,
// two vector arguments.
extern "C" __m512d _ZGVeN8vv_pow(__m512d, __m512d);
extern "C" __m256d _ZGVdN4vv_pow(__m256d, __m256d);

namespace ftg::detail::vec8_avx512 {
#define FTG_V [[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline

using v8 = __m512d;
using m8 = __mmask8;

FTG_V v8 set1(double x) noexcept { return _mm512_set1_pd(x); }
FTG_V v8 vzero() noexcept { return _mm512_setzero_pd(); }
FTG_V v8 vload(const double* p) noexcept { return _mm512_load_pd(p); }
FTG_V void vstore(double* p, v8 a) noexcept { _mm512_store_pd(p, a); }
FTG_V v8 add(v8 a, v8 b) noexcept { return _mm512_add_pd(a, b); }
FTG_V v8 sub(v8 a, v8 b) noexcept { return _mm512_sub_pd(a, b); }
FTG_V v8 mul(v8 a, v8 b) noexcept { return _mm512_mul_pd(a, b); }
FTG_V v8 dv(v8 a, v8 b) noexcept { return _mm512_div_pd(a, b); }
FTG_V v8 vfma(v8 a, v8 b, v8 c) noexcept { return _mm512_fmadd_pd(a, b, c); }
FTG_V v8 vfms(v8 a, v8 b, v8 c) noexcept { return _mm512_fmsub_pd(a, b, c); }
FTG_V v8 vsqrt(v8 a) noexcept { return _mm512_sqrt_pd(a); }
FTG_V v8 hwmax(v8 a, v8 b) noexcept { return _mm512_max_pd(a, b); }
FTG_V v8 hwmin(v8 a, v8 b) noexcept { return _mm512_min_pd(a, b); }
FTG_V v8 vabs(v8 a) noexcept { return _mm512_andnot_pd(_mm512_set1_pd(-0.0), a); }
FTG_V v8 vneg(v8 a) noexcept { return _mm512_xor_pd(a, _mm512_set1_pd(-0.0)); }
FTG_V v8 copysign(v8 mag, v8 sgn) noexcept {
  const v8 sign = _mm512_set1_pd(-0.0);
  return _mm512_or_pd(_mm512_andnot_pd(sign, mag), _mm512_and_pd(sign, sgn));
}
FTG_V v8 sel(m8 m, v8 if_true, v8 if_false) noexcept { return _mm512_mask_blend_pd(m, if_false, if_true); }
template <int Pred>
FTG_V m8 cmpm(v8 a, v8 b) noexcept {
  return _mm512_cmp_pd_mask(a, b, Pred);
}
FTG_V v8 vpow(v8 x, v8 y) noexcept { return _ZGVeN8vv_pow(x, y); }
#undef FTG_V
}  // namespace ftg::detail::vec8_avx512

namespace ftg::detail::vec8_avx2 {
#define FTG_V [[gnu::target("avx2,fma"), gnu::always_inline]] inline

struct v8 {
  __m256d lo, hi;  // lanes 0-3, 4-7
};
using m8 = unsigned char;

FTG_V v8 set1(double x) noexcept { return {_mm256_set1_pd(x), _mm256_set1_pd(x)}; }
FTG_V v8 vzero() noexcept { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
FTG_V v8 vload(const double* p) noexcept { return {_mm256_load_pd(p), _mm256_load_pd(p + 4)}; }
FTG_V void vstore(double* p, v8 a) noexcept {
  _mm256_store_pd(p, a.lo);
  _mm256_store_pd(p + 4, a.hi);
}
FTG_V v8 add(v8 a, v8 b) noexcept { return {_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi)}; }
FTG_V v8 sub(v8 a, v8 b) noexcept { return {_mm256_sub_pd(a.lo, b.lo), _mm256_sub_pd(a.hi, b.hi)}; }
FTG_V v8 mul(v8 a, v8 b) noexcept { return {_mm256_mul_pd(a.lo, b.lo), _mm256_mul_pd(a.hi, b.hi)}; }
FTG_V v8 dv(v8 a, v8 b) noexcept { return {_mm256_div_pd(a.lo, b.lo), _mm256_div_pd(a.hi, b.hi)}; }
FTG_V v8 vfma(v8 a, v8 b, v8 c) noexcept {
  return {_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
}
FTG_V v8 vfms(v8 a, v8 b, v8 c) noexcept {
  return {_mm256_fmsub_pd(a.lo, b.lo, c.lo), _mm256_fmsub_pd(a.hi, b.hi, c.hi)};
}
FTG_V v8 vsqrt(v8 a) noexcept { return {_mm256_sqrt_pd(a.lo), _mm256_sqrt_pd(a.hi)}; }
FTG_V v8 hwmax(v8 a, v8 b) noexcept { return {_mm256_max_pd(a.lo, b.lo), _mm256_max_pd(a.hi, b.hi)}; }
FTG_V v8 hwmin(v8 a, v8 b) noexcept { return {_mm256_min_pd(a.lo, b.lo), _mm256_min_pd(a.hi, b.hi)}; }
FTG_V v8 vabs(v8 a) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_andnot_pd(sign, a.lo), _mm256_andnot_pd(sign, a.hi)};
}
FTG_V v8 vneg(v8 a) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_xor_pd(a.lo, sign), _mm256_xor_pd(a.hi, sign)};
}
FTG_V v8 copysign(v8 mag, v8 sgn) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_or_pd(_mm256_andnot_pd(sign, mag.lo), _mm256_and_pd(sign, sgn.lo)),
          _mm256_or_pd(_mm256_andnot_pd(sign, mag.hi), _mm256_and_pd(sign, sgn.hi))};
}
// Lane bits 0-3 of m as a vector mask.
FTG_V __m256d expand(unsigned m) noexcept {
  const __m256i bit = _mm256_setr_epi64x(1, 2, 4, 8);
  return _mm256_castsi256_pd(
      _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_set1_epi64x(static_cast<long long>(m)), bit), bit));
}
FTG_V v8 sel(m8 m, v8 if_true, v8 if_false) noexcept {
  return {_mm256_blendv_pd(if_false.lo, if_true.lo, expand(m & 15u)),
          _mm256_blendv_pd(if_false.hi, if_true.hi, expand(static_cast<unsigned>(m) >> 4))};
}
template <int Pred>
FTG_V m8 cmpm(v8 a, v8 b) noexcept {
  return static_cast<m8>(_mm256_movemask_pd(_mm256_cmp_pd(a.lo, b.lo, Pred)) |
                         (_mm256_movemask_pd(_mm256_cmp_pd(a.hi, b.hi, Pred)) << 4));
}
FTG_V v8 vpow(v8 x, v8 y) noexcept { return {_ZGVdN4vv_pow(x.lo, y.lo), _ZGVdN4vv_pow(x.hi, y.hi)}; }
#undef FTG_V
}  // namespace ftg::detail::vec8_avx2

#endif  // x86-64, GCC
