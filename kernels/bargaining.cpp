#include "kernels/bargaining.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>

#include "kernels/detail/pareto_impl.hpp"
#include "kernels/detail/pick.hpp"
#include "kernels/detail/results.hpp"
#include "kernels/detail/scan.hpp"
#include "kernels/detail/unimodal.hpp"

namespace ftg {
namespace detail {

inline constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
inline constexpr double neg_inf = -std::numeric_limits<double>::infinity();
// Membership of delta* in the Pareto set: both are roots accurate to ~1e-15 relative, so a
// relative tolerance (plus a floor for delta* = 0) decides, never an absolute 1e-10 that would
// admit a delta* of 1e-10 next to a set starting at 1.4e-10.
inline double in_pareto_tol(double delta) noexcept { return 1e-12 * std::abs(delta) + 1e-15; }

bargain_result failed_result(cell_status s) noexcept {
  bargain_result r;
  r.delta = r.u_g = r.u_d = r.alpha0 = r.alpha1 = nan_v;
  r.status = s;
  return r;
}

bargain_result disagreement_result(const game_params& g) noexcept {
  bargain_result r = failed_result(cell_status::disagreement);
  r.u_g = g.d0;
  r.u_d = g.d1;
  return r;
}

/// Fill a result at delta from the closed-form equilibrium (Theorem 3.1).
bargain_result result_at(const game_constants& k, double delta, const pareto_set& ps) noexcept {
  const point p = evaluate(k, delta);
  bargain_result r;
  r.delta = delta;
  r.u_g = p.u_g;
  r.u_d = p.u_d;
  r.alpha0 = p.alpha0;
  r.alpha1 = p.alpha1;
  r.in_pareto = contains(ps, delta, in_pareto_tol(delta));
  if (!finite_all(r.delta, r.u_g, r.u_d, r.alpha0, r.alpha1)) return failed_result(cell_status::not_finite);
  return r;
}

// A product that treats 0 * inf as 0: at delta = 0 or 1 a first-order condition multiplies an
// infinite slope by a gain that vanishes there, and the limit of the product is 0.
inline double mul0(double a, double b) noexcept { return (a == 0.0 || b == 0.0) ? 0.0 : a * b; }

namespace {

/// Everything the numeric solutions share for one game: the scan, the Pareto set and the root
/// lists several objectives need. Root lists are computed on first use.
class numeric_context {
 public:
  numeric_context(const game_params& g, const solver_options& opts) noexcept : game_(g), opts_(opts) {
    build_scan(g, opts, scan_);
    if (scan_.status != cell_status::ok) { pareto_.status = scan_.status; return; }
    // The Pareto set needs the critical points of UG and UD, which several solutions need too:
    // find them once (pareto_from_scan would return the same failure status on its own).
    cell_status sg = cell_status::ok, sd = cell_status::ok;
    std::uint32_t unused = 0;
    const delta_list& cg = roots(crit_g, sg, unused);
    const delta_list& cd = roots(crit_d, sd, unused);
    if (sg != cell_status::ok || sd != cell_status::ok) {  // UG's failure first, as pareto_from_scan
      pareto_.status = sg != cell_status::ok ? sg : sd;
      return;
    }
    pareto_ = pareto_from_scan(scan_, opts, nullptr, &cg, &cd);
  }
  const game_scan& scan() const noexcept { return scan_; }
  const pareto_set& pareto() const noexcept { return pareto_; }
  const game_params& game() const noexcept { return game_; }
  const solver_options& opts() const noexcept { return opts_; }

  enum list_id { crit_g = 0, crit_d, zero_gain_g, zero_gain_d, list_count };

  /// Roots of the shared functions; status and iterations accumulate into the caller's.
  const delta_list& roots(list_id id, cell_status& st, std::uint32_t& iters) noexcept {
    auto& slot = lists_[id];
    if (!slot.done) {
      const double d0 = game_.d0, d1 = game_.d1;
      root_scan_result r;
      switch (id) {
        case crit_g: r = scan_roots(scan_, [](const point& p) { return p.du_g; }, opts_, slot.list); break;
        case crit_d: r = scan_roots(scan_, [](const point& p) { return p.du_d; }, opts_, slot.list); break;
        case zero_gain_g: r = scan_roots(scan_, [d0](const point& p) { return p.u_g - d0; }, opts_, slot.list); break;
        case zero_gain_d: r = scan_roots(scan_, [d1](const point& p) { return p.u_d - d1; }, opts_, slot.list); break;
        default: break;
      }
      slot.status = r.status;
      slot.iterations = r.iterations;
      slot.done = true;
    }
    if (slot.status != cell_status::ok) st = slot.status;
    iters += slot.iterations;
    return slot.list;
  }

 private:
  struct cached { delta_list list; cell_status status = cell_status::ok; std::uint32_t iterations = 0; bool done = false; };
  game_params game_;
  solver_options opts_;
  game_scan scan_;
  pareto_set pareto_;
  std::array<cached, list_count> lists_;  // default member initialisers; lists not zeroed
};

bargain_result solve_numeric(solution sol, double beta, numeric_context& ctx) noexcept {
  const game_params& g = ctx.game();
  const game_scan& s = ctx.scan();
  const game_constants& k = s.k;
  const solver_options& opts = ctx.opts();
  if (s.status != cell_status::ok) return failed_result(s.status);
  if (ctx.pareto().status != cell_status::ok && ctx.pareto().status != cell_status::disagreement)
    return failed_result(ctx.pareto().status);

  cell_status st = cell_status::ok;
  std::uint32_t iters = 0;
  delta_list cands;
  auto add_roots = [&](auto&& f) {
    const root_scan_result r = scan_roots(s, f, opts, cands);
    iters += r.iterations;
    if (r.status != cell_status::ok) st = r.status;
  };
  auto add_list = [&](numeric_context::list_id id) { cands.append(ctx.roots(id, st, iters)); };
  const double d0 = g.d0, d1 = g.d1;
  // Rationality boundaries are roots, so a gain there is zero only to rounding: gains above
  // -rational_tol count as zero, or the boundary agreement would be lost to its own rounding.
  const double rational_tol = 1e-12 * std::max({s.scale, std::abs(d0), std::abs(d1)});
  auto rational = [=](const point& p) { return p.u_g - d0 >= -rational_tol && p.u_d - d1 >= -rational_tol; };

  // Products of utilities overflow where k near 1 makes utilities 1e170 and more, so the Nash
  // objectives and their first-order condition work with gains in units of the scan's largest
  // utility (a positive factor: neither the maximiser nor the roots move).
  const double unit = s.scale > 0.0 ? 1.0 / s.scale : 1.0;

  // Objective of the solution at a point; -inf where it is undefined (a gain below zero).
  double ideal_g = 1.0, ideal_d = 1.0;  // Kalai-Smorodinsky ideal gains
  auto objective = [&](const point& p) -> double {
    const double gg = std::max(p.u_g - d0, 0.0), gd = std::max(p.u_d - d1, 0.0);
    switch (sol) {
      case solution::powerful_g: return p.u_g;
      case solution::powerful_d: return p.u_d;
      case solution::max_performance: return p.alpha1;
      case solution::vertical_monopoly: return p.u_g + p.u_d;
      case solution::egalitarian: return rational(p) ? std::min(gg, gd) : neg_inf;
      case solution::nash: return rational(p) ? (gg * unit) * (gd * unit) : neg_inf;
      case solution::generalized_nash:
        return rational(p) ? std::pow(gg * unit, beta) * std::pow(gd * unit, 1.0 - beta) : neg_inf;
      case solution::kalai_smorodinsky:
        return rational(p) ? std::min(gg / ideal_g, gd / ideal_d) : neg_inf;
    }
    return neg_inf;
  };

  // A constant objective (max_performance at c0 = c1 for k = 2) has no stationary point to find:
  // report delta = 1 and flag it (the paper's convention, Proposition 3.4).
  double scan_max = neg_inf, scan_min = std::numeric_limits<double>::infinity();
  int scan_arg = -1;
  if (sol != solution::kalai_smorodinsky) {  // KS needs its ideal gains first; never constant
    for (int i = 0; i < s.n; ++i) {
      const double v = objective(s.pts[static_cast<std::size_t>(i)]);
      if (v > scan_max) { scan_max = v; scan_arg = i; }
      scan_min = std::min(scan_min, v);
    }
    if (scan_max > neg_inf && scan_max - scan_min <= tie_rel_tol * std::abs(scan_max)) {
      bargain_result r = result_at(k, 1.0, ctx.pareto());
      r.degenerate = true;
      return r;
    }
  }

  // The slope of a smooth objective (a positive multiple of it), NaN for the max-min objectives.
  // It serves twice: its roots are the stationary candidates, and an end whose slope points into
  // [0, 1] is no maximum and is left out, so that a flat top next to an end (powerful-G at
  // c1 = c0 (1 - 1e-9), where UG(1) and UG(delta*) agree to 1e-18) reports the stationary point.
  const double nash_beta = sol == solution::nash ? 0.5 : beta;
  auto slope = [&](const point& p) -> double {
    switch (sol) {
      case solution::powerful_g: return p.du_g;
      case solution::powerful_d: return p.du_d;
      case solution::max_performance: return p.dalpha1;
      // d(UG + UD)/ddelta = (1 - delta) alpha0' + delta b' (the alpha1 terms cancel exactly).
      case solution::vertical_monopoly: return mul0(1.0 - p.delta, p.dalpha0) + mul0(p.delta, p.db);
      // d/ddelta [beta log gG + (1 - beta) log gD], multiplied by gG gD.
      case solution::nash:
      case solution::generalized_nash:
        return nash_beta * mul0(p.du_g * unit, (p.u_d - d1) * unit) +
               (1.0 - nash_beta) * mul0(p.du_d * unit, (p.u_g - d0) * unit);
      default: return std::numeric_limits<double>::quiet_NaN();
    }
  };
  // A zero slope at an end (a limit such as b'(1) = 0 for k1 < 2) is decided by the nearest scan
  // point inside: if the objective falls into the end, the end is a local minimum.
  auto end_is_candidate = [&](int end, int inner, double outward) {
    const double e = slope(s.pts[static_cast<std::size_t>(end)]) * outward;
    if (e == 0.0) return !(slope(s.pts[static_cast<std::size_t>(inner)]) * outward < 0.0);
    return !(e < 0.0);
  };
  const bool end0 = end_is_candidate(0, 1, -1.0), end1 = end_is_candidate(s.n - 1, s.n - 2, 1.0);

  switch (sol) {
    case solution::powerful_g: add_list(numeric_context::crit_g); break;
    case solution::powerful_d: add_list(numeric_context::crit_d); break;
    case solution::max_performance:
    case solution::vertical_monopoly: add_roots(slope); break;
    case solution::egalitarian:
      add_list(numeric_context::crit_g);
      add_list(numeric_context::crit_d);
      add_roots([d0, d1](const point& p) { return (p.u_g - d0) - (p.u_d - d1); });
      break;
    case solution::nash:
    case solution::generalized_nash:
      add_list(numeric_context::zero_gain_g);
      add_list(numeric_context::zero_gain_d);
      add_roots(slope);
      break;
    case solution::kalai_smorodinsky: {
      // Ideal gains: the largest gain of each player over the rational agreements, attained at a
      // critical point, a rationality boundary or an end.
      delta_list ideal;
      ideal.push(0.0);
      ideal.push(1.0);
      ideal.append(ctx.roots(numeric_context::crit_g, st, iters));
      ideal.append(ctx.roots(numeric_context::crit_d, st, iters));
      ideal.append(ctx.roots(numeric_context::zero_gain_g, st, iters));
      ideal.append(ctx.roots(numeric_context::zero_gain_d, st, iters));
      if (st != cell_status::ok) return failed_result(st);
      double best_g = neg_inf, best_d = neg_inf;
      for (int i = 0; i < ideal.n; ++i) {
        const point p = evaluate(k, ideal[i]);
        if (!rational(p)) continue;
        best_g = std::max(best_g, std::max(p.u_g - d0, 0.0));
        best_d = std::max(best_d, std::max(p.u_d - d1, 0.0));
      }
      if (!(best_g > 0.0) || !(best_d > 0.0)) return disagreement_result(g);
      ideal_g = best_g;
      ideal_d = best_d;
      cands.append(ideal);
      add_roots([&](const point& p) { return (p.u_g - d0) / ideal_g - (p.u_d - d1) / ideal_d; });
      for (int i = 0; i < s.n; ++i) {
        const double v = objective(s.pts[static_cast<std::size_t>(i)]);
        if (v > scan_max) { scan_max = v; scan_arg = i; }
      }
      break;
    }
  }
  if (st != cell_status::ok) return failed_result(st);
  if (cands.overflow) return failed_result(cell_status::overflow);
  // The ends enter only as end_is_candidate decides, also when a root list holds them (a slope
  // that is exactly 0 at an end is a root there, and may be a local minimum).
  {
    int m = 0;
    for (int i = 0; i < cands.n; ++i)
      if (cands[i] != 0.0 && cands[i] != 1.0) cands.v[static_cast<std::size_t>(m++)] = cands[i];
    cands.n = m;
  }
  const bool keep_both = cands.n == 0 && !end0 && !end1;  // non-finite slopes: let values decide
  if (end0 || keep_both) cands.push(0.0);
  if (end1 || keep_both) cands.push(1.0);
  cands.sort_unique(0.0);

  auto obj_at = [&](double delta) { return objective(evaluate(k, delta)); };
  pick_result best = pick_max(cands, obj_at);

  // Safety net: no scan point may beat every candidate. If one does, a stationary point was missed
  // (two roots between neighbours); Brent's method around it recovers it.
  if (scan_max > best.value + tie_rel_tol * std::abs(best.value) && scan_arg >= 0) {
    const double lo = s.pts[static_cast<std::size_t>(std::max(scan_arg - 1, 0))].delta;
    const double hi = s.pts[static_cast<std::size_t>(std::min(scan_arg + 1, s.n - 1))].delta;
    std::uintmax_t it = opts.max_iter;
    const auto m = boost::math::tools::brent_find_minima(
        [&](double d) { return -obj_at(d); }, lo, hi, std::numeric_limits<double>::digits / 2, it);
    iters += static_cast<std::uint32_t>(it);
    if (it >= opts.max_iter) return failed_result(cell_status::max_iter);
    cands.push(m.first);
    cands.sort_unique(0.0);
    best = pick_max(cands, obj_at);
  }
  if (!(best.value > neg_inf)) return disagreement_result(g);

  bargain_result r = result_at(k, best.delta, ctx.pareto());
  r.tie = best.tie;
  r.iterations = static_cast<std::uint16_t>(std::min<std::uint32_t>(iters, 65535));
  return r;
}

}  // namespace
}  // namespace detail

namespace {
bool beta_valid(double beta) noexcept { return std::isfinite(beta) && beta > 0.0 && beta < 1.0; }
}  // namespace

bargain_result bargain_numeric(solution s, const game_params& game, double beta,
                               const solver_options& opts) noexcept {
  if (validate(game) != cell_status::ok) return detail::failed_result(cell_status::invalid_params);
  if (s == solution::generalized_nash && !beta_valid(beta))
    return detail::failed_result(cell_status::invalid_params);
  if (detail::unimodal_applies(game, opts)) {  // k0, k1 >= 2, d0, d1 >= 0: Newton in brackets
    detail::unimodal_game u;
    bargain_result r;
    if (detail::unimodal_init(game, opts, u) && detail::unimodal_solve(s, beta, u, r)) return r;
  }
  detail::numeric_context ctx(game, opts);
  return detail::solve_numeric(s, beta, ctx);
}

game_solution solve_game(const game_params& game, double beta, method m,
                         const solver_options& opts) noexcept {
  game_solution out;
  if (m == method::closed_form) {
    detail::solve_game_closed_form(game, beta, out);
    return out;
  }
  if (validate(game) != cell_status::ok) {
    out.pareto.status = cell_status::invalid_params;
    out.solutions.fill(detail::failed_result(cell_status::invalid_params));
    return out;
  }
  if (detail::unimodal_applies(game, opts)) {  // any failed check: the whole game goes the robust way
    detail::unimodal_game u;
    bool ok = detail::unimodal_init(game, opts, u) && detail::unimodal_pareto(u);
    for (std::size_t i = 0; ok && i < all_solutions.size(); ++i) {
      const solution s = all_solutions[i];
      if (s == solution::generalized_nash && !beta_valid(beta))
        out.solutions[i] = detail::failed_result(cell_status::invalid_params);
      else
        ok = detail::unimodal_solve(s, beta, u, out.solutions[i]);
    }
    if (ok) {
      out.pareto = u.ps;
      return out;
    }
  }
  detail::numeric_context ctx(game, opts);
  out.pareto = ctx.pareto();
  for (solution s : all_solutions) {
    out.solutions[static_cast<std::size_t>(s)] =
        (s == solution::generalized_nash && !beta_valid(beta))
            ? detail::failed_result(cell_status::invalid_params)
            : detail::solve_numeric(s, beta, ctx);
  }
  return out;
}

}  // namespace ftg
