// bargain_numeric_batch and solve_game_numeric_batch (kernels/bargaining.hpp): the fast numeric
// path of bargaining_unimodal.cpp run eight games at a time in lock-step (issue 6's stretch
// target): one solution for sixteen games per call group (solve_groups), or every solution and
// the Pareto set of eight (solve_game8).
//
// Each lane runs the same safeguarded Newton iteration as detail::newton_in_bracket (rtsafe: a
// Newton step when it stays inside the sign bracket and at least halves the step before last,
// else bisection; the same stopping rules), on the same first-order condition, from the same
// start, with per-lane masks: a lane that has stopped keeps its result while the others go on.
// The two powers of each evaluation come from glibc's libmvec (_ZGVeN8vv_pow on AVX-512,
// _ZGVdN4vv_pow twice on AVX2, within 4 ulp, against the scalar pow's < 1 ulp), so a lane's
// delta* agrees with bargain_numeric's to the root tolerance and its utilities to a few ulp, not
// bit for bit (the header's item 4 and tests/kernels/test_bargaining_batch.cpp). Anything a lane
// cannot vouch for (a NaN, the iteration budget, a result outside the slopes' Pareto test) goes to
// bargain_numeric itself. The lane code is written once, in kernels/detail/numeric_lanes.inc,
// against kernels/detail/vec8.hpp's API, and included under each of its instruction sets,
// AVX-512 (one zmm register for eight lanes) and AVX2 + FMA (two ymm registers).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/bargaining.hpp"
#include "kernels/detail/batch_isa.hpp"
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
#endif
#include "kernels/detail/vec8.hpp"
#if FTG_VEC8
#define FTG_BATCH_SIMD 1
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

constexpr int lanes = 8;

#if FTG_BATCH_SIMD

// The lane code once per instruction set (kernels/detail/vec8.hpp): namespaces avx512 and avx2.
#define FTG_LANES "kernels/detail/numeric_lanes.inc"
#include "kernels/detail/vec8_each.inc"
#undef FTG_LANES

#endif  // FTG_BATCH_SIMD

}  // namespace

namespace detail {

std::size_t solve_game_numeric_batch_on(batch_isa isa, std::span<const game_params> games, double beta,
                                        std::span<game_solution> out, const solver_options& opts) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  const auto scalar = [&](std::size_t i) { out[i] = solve_game(games[i], beta, method::numeric, opts); };
#if FTG_BATCH_SIMD
  const bool beta_ok = std::isfinite(beta) && beta > 0.0 && beta < 1.0;
  if (beta_ok && isa != batch_isa::scalar && batch_isa_supported(isa)) {
    game_constants consts[lanes];
    return in_groups<lanes>(
        n, [&](std::size_t i, int slot) { return lockstep_game(games[i], opts, consts[slot]); },
        [&](const std::size_t* idx, int filled) {
          for (int l = filled; l < lanes; ++l) consts[l] = consts[filled - 1];  // the padding
          const unsigned ok = isa == batch_isa::avx512 ? avx512::solve_game8(consts, idx, beta, opts, out.data())
                                                       : avx2::solve_game8(consts, idx, beta, opts, out.data());
          return static_cast<std::uint32_t>(ok);
        },
        scalar);
  }
#else
  (void)isa;
#endif
  for (std::size_t i = 0; i < n; ++i) scalar(i);
  return 0;
}

std::size_t bargain_numeric_batch_on(batch_isa isa, solution s, std::span<const game_params> games, double beta,
                                     std::span<bargain_result> out, const solver_options& opts) noexcept {
  const std::size_t n = std::min(games.size(), out.size());
  const auto scalar = [&](std::size_t i) { out[i] = bargain_numeric(s, games[i], beta, opts); };
#if FTG_BATCH_SIMD
  if (lockstep_solution(s, beta) && isa != batch_isa::scalar && batch_isa_supported(isa)) {
    constexpr int groups = 2;  // two groups in flight hide the latency of one group's chain
    constexpr int batch = groups * lanes;
    game_constants consts[batch];
    return in_groups<batch>(
        n, [&](std::size_t i, int slot) { return lockstep_game(games[i], opts, consts[slot]); },
        [&](const std::size_t* idx, int filled) {
          for (int l = filled; l < batch; ++l) consts[l] = consts[filled - 1];  // the padding
          unsigned char stands[groups];
          if (isa == batch_isa::avx512) avx512::solve_groups<groups>(s, consts, idx, beta, opts, out.data(), stands);
          else avx2::solve_groups<groups>(s, consts, idx, beta, opts, out.data(), stands);
          std::uint32_t ok = 0;
          for (int g = 0; g < groups; ++g) ok |= static_cast<std::uint32_t>(stands[g]) << (lanes * g);
          return ok;
        },
        scalar);
  }
#else
  (void)isa;
#endif
  for (std::size_t i = 0; i < n; ++i) scalar(i);
  return 0;
}

}  // namespace detail

std::size_t solve_game_numeric_batch(std::span<const game_params> games, double beta,
                                     std::span<game_solution> out, const solver_options& opts) noexcept {
  return detail::solve_game_numeric_batch_on(detail::best_batch_isa(), games, beta, out, opts);
}

std::size_t bargain_numeric_batch(solution s, std::span<const game_params> games, double beta,
                                  std::span<bargain_result> out, const solver_options& opts) noexcept {
  return detail::bargain_numeric_batch_on(detail::best_batch_isa(), s, games, beta, out, opts);
}

}  // namespace ftg
