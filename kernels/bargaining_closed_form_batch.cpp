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
// in kernels/detail/closed_form_lanes.inc, against kernels/detail/vec8.hpp's API, and included
// under each of its instruction sets. tests/kernels/test_closed_form_batch.cpp
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
#endif
#include "kernels/detail/vec8.hpp"
#if FTG_VEC8
#define FTG_CF_BATCH_SIMD 1
#endif

namespace ftg {
namespace {

bool batch_game(const game_params& g) noexcept {
  return validate(g) == cell_status::ok && is_quadratic(g) && g.d0 == 0.0 && g.d1 == 0.0;
}

constexpr int lanes = 8;

#if FTG_CF_BATCH_SIMD

// The lane code once per instruction set (kernels/detail/vec8.hpp): namespaces avx512 and avx2.
#define FTG_LANES "kernels/detail/closed_form_lanes.inc"
#include "kernels/detail/vec8_each.inc"
#undef FTG_LANES

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
