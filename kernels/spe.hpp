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

}  // namespace ftg
