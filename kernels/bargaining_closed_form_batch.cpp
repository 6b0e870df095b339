// solve_game_closed_form_batch (kernels/bargaining.hpp): solve_game(game, beta, closed_form) for
// eight quadratic games at a time in AVX-512 lanes, or two groups of four AVX2 lanes on CPUs
// without AVX-512, bit for bit (target 3 of issue 6).
//
// Every lane evaluates bargaining_closed_form.cpp's own expressions, operation by operation in the
// same order: this file is compiled with -ffp-contract=off (kernels/CMakeLists.txt), so no FMA is
// formed except where the scalar code itself calls std::fma (quadratic_roots' discriminant), and
// IEEE addition, multiplication, division and square root round the same in a lane as in a scalar
// register. The batch takes the usual case only: d0 = d1 = 0 (so the Pareto set is [PD, PG]),
// egalitarian's crossing strictly inside it and strictly best, Kalai-Smorodinsky's root found, and
// the Nash cubic's bracketed Halley solve converged; any lane that meets anything else (and every
// game with other parameters, or a CPU with neither AVX-512 nor AVX2 and FMA) is solved by
// solve_game_closed_form itself, so every result is the scalar one. The lane code is written once,
// in kernels/detail/closed_form_lanes.inc, against a small vector API that this file defines for
// each instruction set and includes the lane code under. tests/kernels/test_closed_form_batch.cpp
// compares every field bit for bit, on each instruction set the CPU has.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/bargaining.hpp"
#include "kernels/detail/batch_isa.hpp"
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
#define FTG_CF_BATCH_SIMD 1
#endif

namespace ftg {
namespace {

bool batch_game(const game_params& g) noexcept {
  return validate(g) == cell_status::ok && is_quadratic(g) && g.d0 == 0.0 && g.d1 == 0.0;
}

constexpr int lanes = 8;

#if FTG_CF_BATCH_SIMD

// ---- AVX-512: v8 is one zmm register, m8 a mask register ----------------------------------------
namespace avx512 {
#define FTG_T [[gnu::target("avx512f,avx512dq"), gnu::always_inline]] inline
#define FTG_TF [[gnu::target("avx512f,avx512dq")]]

using v8 = __m512d;
using m8 = __mmask8;

FTG_T v8 set1(double x) noexcept { return _mm512_set1_pd(x); }
FTG_T v8 vzero() noexcept { return _mm512_setzero_pd(); }
FTG_T v8 vload(const double* p) noexcept { return _mm512_load_pd(p); }
FTG_T void vstore(double* p, v8 a) noexcept { _mm512_store_pd(p, a); }
FTG_T v8 add(v8 a, v8 b) noexcept { return _mm512_add_pd(a, b); }
FTG_T v8 sub(v8 a, v8 b) noexcept { return _mm512_sub_pd(a, b); }
FTG_T v8 mul(v8 a, v8 b) noexcept { return _mm512_mul_pd(a, b); }
FTG_T v8 dv(v8 a, v8 b) noexcept { return _mm512_div_pd(a, b); }
FTG_T v8 vfma(v8 a, v8 b, v8 c) noexcept { return _mm512_fmadd_pd(a, b, c); }
FTG_T v8 vsqrt(v8 a) noexcept { return _mm512_sqrt_pd(a); }
FTG_T v8 sel(m8 m, v8 if_true, v8 if_false) noexcept { return _mm512_mask_blend_pd(m, if_false, if_true); }
FTG_T m8 lt(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
FTG_T m8 le(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
FTG_T m8 gt(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
FTG_T m8 ge(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
FTG_T m8 eq(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
FTG_T m8 ne(v8 a, v8 b) noexcept { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_OQ); }
FTG_T m8 isnan(v8 a) noexcept { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
FTG_T v8 vabs(v8 a) noexcept { return _mm512_andnot_pd(set1(-0.0), a); }
FTG_T v8 vneg(v8 a) noexcept { return _mm512_xor_pd(a, set1(-0.0)); }
FTG_T v8 copysign(v8 mag, v8 sgn) noexcept {
  const v8 sign = set1(-0.0);
  return _mm512_or_pd(_mm512_andnot_pd(sign, mag), _mm512_and_pd(sign, sgn));
}
#include "kernels/detail/closed_form_lanes.inc"
#undef FTG_T
#undef FTG_TF
}  // namespace avx512

// ---- AVX2 + FMA: v8 is two ymm registers, m8 a byte of lane bits ---------------------------------
// Comparisons give vector masks, which become lane bits by movemask; sel expands the bits back to
// a vector mask for a blend. The lane bits keep the lane code the AVX-512 code (masks combined with
// &, |, ~ and tested bit by bit); the arithmetic is the same IEEE operation in each lane.
namespace avx2 {
#define FTG_T [[gnu::target("avx2,fma"), gnu::always_inline]] inline
#define FTG_TF [[gnu::target("avx2,fma")]]

struct v8 {
  __m256d lo, hi;  // lanes 0-3, 4-7
};
using m8 = unsigned char;

FTG_T v8 set1(double x) noexcept { return {_mm256_set1_pd(x), _mm256_set1_pd(x)}; }
FTG_T v8 vzero() noexcept { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
FTG_T v8 vload(const double* p) noexcept { return {_mm256_load_pd(p), _mm256_load_pd(p + 4)}; }
FTG_T void vstore(double* p, v8 a) noexcept {
  _mm256_store_pd(p, a.lo);
  _mm256_store_pd(p + 4, a.hi);
}
FTG_T v8 add(v8 a, v8 b) noexcept { return {_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi)}; }
FTG_T v8 sub(v8 a, v8 b) noexcept { return {_mm256_sub_pd(a.lo, b.lo), _mm256_sub_pd(a.hi, b.hi)}; }
FTG_T v8 mul(v8 a, v8 b) noexcept { return {_mm256_mul_pd(a.lo, b.lo), _mm256_mul_pd(a.hi, b.hi)}; }
FTG_T v8 dv(v8 a, v8 b) noexcept { return {_mm256_div_pd(a.lo, b.lo), _mm256_div_pd(a.hi, b.hi)}; }
FTG_T v8 vfma(v8 a, v8 b, v8 c) noexcept {
  return {_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
}
FTG_T v8 vsqrt(v8 a) noexcept { return {_mm256_sqrt_pd(a.lo), _mm256_sqrt_pd(a.hi)}; }
// Lane bits 0-3 of m as a vector mask.
FTG_T __m256d expand(unsigned m) noexcept {
  const __m256i bit = _mm256_setr_epi64x(1, 2, 4, 8);
  return _mm256_castsi256_pd(
      _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_set1_epi64x(static_cast<long long>(m)), bit), bit));
}
FTG_T v8 sel(m8 m, v8 if_true, v8 if_false) noexcept {
  return {_mm256_blendv_pd(if_false.lo, if_true.lo, expand(m & 15u)),
          _mm256_blendv_pd(if_false.hi, if_true.hi, expand(static_cast<unsigned>(m) >> 4))};
}
template <int Pred>
FTG_T m8 cmp(v8 a, v8 b) noexcept {
  return static_cast<m8>(_mm256_movemask_pd(_mm256_cmp_pd(a.lo, b.lo, Pred)) |
                         (_mm256_movemask_pd(_mm256_cmp_pd(a.hi, b.hi, Pred)) << 4));
}
FTG_T m8 lt(v8 a, v8 b) noexcept { return cmp<_CMP_LT_OQ>(a, b); }
FTG_T m8 le(v8 a, v8 b) noexcept { return cmp<_CMP_LE_OQ>(a, b); }
FTG_T m8 gt(v8 a, v8 b) noexcept { return cmp<_CMP_GT_OQ>(a, b); }
FTG_T m8 ge(v8 a, v8 b) noexcept { return cmp<_CMP_GE_OQ>(a, b); }
FTG_T m8 eq(v8 a, v8 b) noexcept { return cmp<_CMP_EQ_OQ>(a, b); }
FTG_T m8 ne(v8 a, v8 b) noexcept { return cmp<_CMP_NEQ_OQ>(a, b); }
FTG_T m8 isnan(v8 a) noexcept { return cmp<_CMP_UNORD_Q>(a, a); }
FTG_T v8 vabs(v8 a) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_andnot_pd(sign, a.lo), _mm256_andnot_pd(sign, a.hi)};
}
FTG_T v8 vneg(v8 a) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_xor_pd(a.lo, sign), _mm256_xor_pd(a.hi, sign)};
}
FTG_T v8 copysign(v8 mag, v8 sgn) noexcept {
  const __m256d sign = _mm256_set1_pd(-0.0);
  return {_mm256_or_pd(_mm256_andnot_pd(sign, mag.lo), _mm256_and_pd(sign, sgn.lo)),
          _mm256_or_pd(_mm256_andnot_pd(sign, mag.hi), _mm256_and_pd(sign, sgn.hi))};
}
#include "kernels/detail/closed_form_lanes.inc"
#undef FTG_T
#undef FTG_TF
}  // namespace avx2

#endif  // FTG_CF_BATCH_SIMD

}  // namespace

namespace detail {

std::size_t solve_game_closed_form_batch_on(batch_isa isa, std::span<const game_params> games, double beta,
                                            std::span<game_solution> out) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  const auto scalar = [&](std::size_t i) { solve_game_closed_form(games[i], beta, out[i]); };
  const bool beta_ok = std::isfinite(beta) && beta > 0.0 && beta < 1.0;
#if FTG_CF_BATCH_SIMD
  if (beta_ok && batch_isa_supported(isa)) {
    const auto qualify = [&](std::size_t i, int) { return batch_game(games[i]); };
    if (isa == batch_isa::avx512)
      return in_groups<lanes>(
          n, qualify,
          [&](const std::size_t* idx, int) { return static_cast<std::uint32_t>(avx512::solve8(games.data(), idx, beta, out.data())); },
          scalar);
    if (isa == batch_isa::avx2)
      return in_groups<lanes>(
          n, qualify,
          [&](const std::size_t* idx, int) { return static_cast<std::uint32_t>(avx2::solve8(games.data(), idx, beta, out.data())); },
          scalar);
  }
#else
  (void)isa;
  (void)beta_ok;
#endif
  for (std::size_t i = 0; i < n; ++i) scalar(i);
  return 0;
}

}  // namespace detail

std::size_t solve_game_closed_form_batch(std::span<const game_params> games, double beta,
                                         std::span<game_solution> out) noexcept {
  return detail::solve_game_closed_form_batch_on(detail::best_batch_isa(), games, beta, out);
}

}  // namespace ftg
