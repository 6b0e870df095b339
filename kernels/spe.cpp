#include "kernels/spe.hpp"

#include <boost/math/policies/policy.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <limits>

#include "kernels/detail/roots.hpp"
#include "kernels/detail/two_player.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

spe_result failed(double delta, cell_status s) noexcept {
  return {delta, nan_v, nan_v, nan_v, nan_v, s};
}

spe_result checked(spe_result r) noexcept {
  if (!finite_all(r.alpha0, r.alpha1, r.u_g, r.u_d)) return failed(r.delta, cell_status::not_finite);
  return r;
}

}  // namespace

double utility_g(const game_params& g, double delta, double alpha0, double alpha1) noexcept {
  return delta * alpha1 - g.c0 * std::pow(alpha0, g.k0);
}

double utility_d(const game_params& g, double delta, double alpha0, double alpha1) noexcept {
  return (1.0 - delta) * alpha1 - g.c1 * std::pow(alpha1 - alpha0, g.k1);
}

spe_result spe(const game_params& game, double delta) noexcept {
  if (validate(game, delta) != cell_status::ok) return failed(delta, cell_status::invalid_params);
  const auto q = detail::evaluate(detail::make_constants(game), delta);
  return checked({delta, q.alpha0, q.alpha1, q.u_g, q.u_d, cell_status::ok});
}

// Backward induction without the closed form. Stage 3: D's best response gap t = alpha1 - alpha0
// solves (1 - delta) = k1 c1 t^(k1-1) (D's first-order condition, increasing in t, so the root is
// unique). It is found in v = log t, where the condition is smooth and monotone whatever k1: in t,
// k1 = 1.004 puts the root near 1e-256 and costs TOMS 748 hundreds of bisections. Stage 2: G
// maximises delta * (alpha0 + t(alpha0)) - c0 alpha0^k0 over alpha0 >= 0, with D's numeric
// response inside, by a coarse scan and Brent's method in u = log(alpha0) (below).
spe_result spe_numeric(const game_params& game, double delta, const solver_options& opts) noexcept {
  if (validate(game, delta) != cell_status::ok) return failed(delta, cell_status::invalid_params);

  cell_status status = cell_status::ok;
  auto best_response_gap = [&](double /*alpha0*/) -> double {
    const double rest = 1.0 - delta;
    if (rest == 0.0) return 0.0;  // no revenue share: any investment is a pure loss
    auto foc = [&](double v) { return rest - game.k1 * game.c1 * std::exp((game.k1 - 1.0) * v); };
    double lo = std::log(std::numeric_limits<double>::denorm_min()), hi = 0.0;
    if (foc(lo) <= 0.0) return 0.0;  // the gap underflows: D adds nothing representable
    for (int i = 0; i < 64 && foc(hi) > 0.0; ++i) hi = hi * 2.0 + 1.0;
    if (foc(hi) > 0.0) { status = cell_status::no_bracket; return nan_v; }
    auto root = detail::find_root(foc, lo, hi, opts);
    if (root.status != cell_status::ok) { status = root.status; return nan_v; }
    return std::exp(root.x);
  };

  if (delta == 0.0) {  // G has no revenue: alpha0 = 0 is optimal because phi0 is increasing
    const double t = best_response_gap(0.0);
    if (status != cell_status::ok) return failed(delta, status);
    return checked({delta, 0.0, t, utility_g(game, delta, 0.0, t), utility_d(game, delta, 0.0, t),
                    cell_status::ok});
  }

  // G's utility is concave in alpha0, hence unimodal in u = log(alpha0): searching u makes
  // Brent's tolerance relative to alpha0 whatever its magnitude (1e-17 occurs for k0 near 1).
  // The objective is G's utility minus its value at alpha0 = 0, a constant that does not move the
  // maximiser but would otherwise swamp it when D's part delta * t dwarfs alpha0 (conditioning).
  const double t0 = best_response_gap(0.0);
  if (status != cell_status::ok) return failed(delta, status);
  auto neg_ug = [&](double u) {
    const double alpha0 = std::exp(u);
    const double t = best_response_gap(alpha0);
    return -(delta * (alpha0 + (t - t0)) - game.c0 * std::pow(alpha0, game.k0));
  };
  // G's revenue grows linearly in alpha0 while its cost grows like alpha0^k0, k0 > 1: past the
  // point where c0 hi^k0 > 2 delta (hi + t0), larger alpha0 only loses.
  double hi = 1.0;
  for (int i = 0; i < 2100 && game.c0 * std::pow(hi, game.k0) <= 2.0 * delta * (hi + t0); ++i) hi *= 2.0;
  // Far below the optimum G's utility is flat to rounding in u, where Brent's parabolic steps can
  // stall: a coarse scan in u (steps of 2, down to DBL_MIN) brackets the optimum first.
  const double u_lo = std::log(std::numeric_limits<double>::min()), u_hi = std::log(hi);
  constexpr int coarse = 360;
  int best_i = 0;
  double best_v = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= coarse; ++i) {
    const double v = neg_ug(u_lo + (u_hi - u_lo) * i / coarse);
    if (v < best_v) { best_v = v; best_i = i; }
  }
  // Brent's tolerance is relative to its variable, so it searches the offset w = u - u_c from the
  // best coarse point: relative 1e-8 in alpha0 even where |log alpha0| is 300.
  const double u_c = u_lo + (u_hi - u_lo) * best_i / coarse, step = (u_hi - u_lo) / coarse;
  std::uintmax_t iters = opts.max_iter;
  const auto [w_star, value] = boost::math::tools::brent_find_minima(
      [&](double w) { return neg_ug(u_c + w); }, best_i > 0 ? -step : 0.0, best_i < coarse ? step : 0.0,
      std::numeric_limits<double>::digits / 2, iters);
  (void)value;
  if (status != cell_status::ok) return failed(delta, status);
  if (iters >= opts.max_iter) return failed(delta, cell_status::max_iter);
  const double alpha0 = std::exp(u_c + w_star);
  const double alpha1 = alpha0 + best_response_gap(alpha0);
  return checked({delta, alpha0, alpha1, utility_g(game, delta, alpha0, alpha1),
                  utility_d(game, delta, alpha0, alpha1), status});
}

}  // namespace ftg
