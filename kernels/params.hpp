// kernels/params.hpp: parameters, statuses and solver options of the two-player fine-tuning game.
//
// 1. What: the model of Laufer, Kleinberg and Heidari, "Fine-Tuning Games", arXiv:2308.04399v3,
//    Sections 2-3 with polynomial costs (eqs. 3-4) and identity revenue r(alpha1) = alpha1:
//      phi0(alpha0) = c0 * alpha0^k0,   phi1(alpha1; alpha0) = c1 * (alpha1 - alpha0)^k1,
//      UG = delta * alpha1 - phi0,      UD = (1 - delta) * alpha1 - phi1             (eqs. 1-2),
//    with disagreement payoffs d0 (G) and d1 (D).
// 2. Preconditions: c0, c1 > 0; k0, k1 > 1; d0, d1 finite; delta in [0, 1]; beta in (0, 1).
//    validate() returns cell_status::invalid_params otherwise; every kernel checks it first.
// 3. Method: plain data only.
// 4. Pure, reentrant, no allocation.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace ftg {

/// Parameters of one two-player game (paper Section 3 symbols).
struct game_params {
  double c0 = 1.0;  ///< G's cost scale,  phi0 = c0 * alpha0^k0
  double c1 = 1.0;  ///< D's cost scale,  phi1 = c1 * (alpha1 - alpha0)^k1
  double k0 = 2.0;  ///< G's cost exponent (> 1)
  double k1 = 2.0;  ///< D's cost exponent (> 1)
  double d0 = 0.0;  ///< G's disagreement payoff
  double d1 = 0.0;  ///< D's disagreement payoff
};

/// Outcome of a kernel call. Only `ok` and `disagreement` are not failures; every numeric field
/// of a result whose status is `ok` is finite.
enum class cell_status : std::uint8_t {
  ok = 0,             ///< finite, converged result
  invalid_params,     ///< a precondition of the header was violated
  no_bracket,         ///< a root finder found no sign change where theory promised one
  max_iter,           ///< a Boost.Math routine used its whole iteration budget
  not_finite,         ///< an evaluation produced NaN or infinity
  no_closed_form,     ///< closed form requested outside its domain (e.g. k != 2)
  disagreement,       ///< not a failure: no agreement gives both players their disagreement payoff;
                      ///< delta and the strategies are NaN, the utilities are (d0, d1)
  overflow,           ///< more Pareto intervals than pareto_set::capacity
};

constexpr std::string_view to_string(cell_status s) noexcept {
  switch (s) {
    case cell_status::ok: return "ok";
    case cell_status::invalid_params: return "invalid_params";
    case cell_status::no_bracket: return "no_bracket";
    case cell_status::max_iter: return "max_iter";
    case cell_status::not_finite: return "not_finite";
    case cell_status::no_closed_form: return "no_closed_form";
    case cell_status::disagreement: return "disagreement";
    case cell_status::overflow: return "overflow";
  }
  return "unknown";
}

/// Budgets and accuracy of the numeric solvers (Boost.Math TOMS 748 and Brent).
struct solver_options {
  int bits = std::numeric_limits<double>::digits - 3;  ///< TOMS 748 relative tolerance 2^(1-bits)
  std::uintmax_t max_iter = 200;                       ///< per Boost.Math call
  int scan_points = 64;  ///< uniform points of the global bracketing scan (plus geometric end points)
  /// For k0, k1 >= 2 and d0, d1 >= 0, solve each first-order condition by Newton's method in a
  /// proven bracket instead of the scan (docs/model.md 1.5); false forces the robust scan path.
  bool unimodal_fast_path = true;
};

inline bool finite_all() noexcept { return true; }
template <class... T>
inline bool finite_all(double x, T... rest) noexcept {
  return std::isfinite(x) && finite_all(rest...);
}

/// invalid_params unless c0, c1 > 0, k0, k1 > 1 and every field finite.
inline cell_status validate(const game_params& g) noexcept {
  if (!finite_all(g.c0, g.c1, g.k0, g.k1, g.d0, g.d1)) return cell_status::invalid_params;
  if (!(g.c0 > 0.0) || !(g.c1 > 0.0)) return cell_status::invalid_params;
  if (!(g.k0 > 1.0) || !(g.k1 > 1.0)) return cell_status::invalid_params;
  return cell_status::ok;
}

/// validate(g), and delta in [0, 1].
inline cell_status validate(const game_params& g, double delta) noexcept {
  if (validate(g) != cell_status::ok) return cell_status::invalid_params;
  if (!(delta >= 0.0 && delta <= 1.0)) return cell_status::invalid_params;  // also rejects NaN
  return cell_status::ok;
}

inline bool is_quadratic(const game_params& g) noexcept { return g.k0 == 2.0 && g.k1 == 2.0; }

}  // namespace ftg
