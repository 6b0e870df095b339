// Closed forms for quadratic costs, k0 = k1 = 2 (arXiv:2308.04399v3, Propositions 3.2-3.6), and
// the polynomial conditions of Nash and Kalai-Smorodinsky. Derivations: docs/model.md.
//
// With x = c1/c0 the utilities scaled by 4 c1 are polynomials in delta (Corollary 3.1, k = 2):
//   G(delta) = 4 c1 UG = (x - 2) delta^2 + 2 delta,
//   H(delta) = 4 c1 UD = (1 - 2x) delta^2 + 2 (x - 1) delta + 1,
// and the disagreement payoffs scale to D0 = 4 c1 d0, D1 = 4 c1 d1. Both utilities are strictly
// unimodal (Proposition 3.1), G increases on [0, PG] and H decreases on [PD, 1], so the Pareto set
// is [L, R] = [PD, PG] cut to the rational agreements (Theorem 2.1), and every objective below is
// maximised on [L, R] or, for the four d-independent solutions, has its maximiser in closed form.
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <limits>
#include <new>
#include <type_traits>
#include <tuple>

#include "kernels/bargaining.hpp"
#include "kernels/detail/newton.hpp"
#include "kernels/detail/pick.hpp"
#include "kernels/detail/quadratic.hpp"
#include "kernels/detail/results.hpp"

namespace ftg {
namespace {

using detail::quadratic_root_in;

struct quad_game {
  double x;        // c1 / c0
  double D0, D1;   // disagreement payoffs in units of 1/(4 c1)
  double pg, pd;   // Propositions 3.2 and 3.3
  double L = 0.0, R = 0.0;  // Pareto set [L, R] when agree
  bool agree = false;
  double G(double d) const noexcept { return ((x - 2.0) * d + 2.0) * d; }
  double H(double d) const noexcept { return ((1.0 - 2.0 * x) * d + 2.0 * (x - 1.0)) * d + 1.0; }
};

quad_game make_quad(const game_params& g) noexcept {
  quad_game q{};
  q.x = g.c1 / g.c0;
  q.D0 = 4.0 * g.c1 * g.d0;
  q.D1 = 4.0 * g.c1 * g.d1;
  // Proposition 3.2: delta = c0 / (2 c0 - c1) = 1 / (2 - x) for x < 1, else 1.
  q.pg = q.x < 1.0 ? 1.0 / (2.0 - q.x) : 1.0;
  // Proposition 3.3: delta = (c1 - c0) / (2 c1 - c0) = (x - 1) / (2x - 1) for x > 1, else 0.
  q.pd = q.x > 1.0 ? (q.x - 1.0) / (2.0 * q.x - 1.0) : 0.0;
  // Rational part of [PD, PG]: G increases and H decreases there.
  if (q.G(q.pg) < q.D0 || q.H(q.pd) < q.D1) return q;
  q.L = q.G(q.pd) >= q.D0 ? q.pd : quadratic_root_in(q.x - 2.0, 2.0, -q.D0, q.pd, q.pg);
  q.R = q.H(q.pg) >= q.D1 ? q.pg
                          : quadratic_root_in(1.0 - 2.0 * q.x, 2.0 * (q.x - 1.0), 1.0 - q.D1, q.pd, q.pg);
  q.agree = std::isfinite(q.L) && std::isfinite(q.R) && q.L <= q.R;
  return q;
}

// Real roots in [lo, hi] of the cubic a3 d^3 + a2 d^2 + a1 d + a0, via its stationary points (a
// quadratic) and Newton-Raphson (Boost.Math, bracketed) on each monotone segment with a sign change.
int cubic_roots_in(double a3, double a2, double a1, double a0, double lo, double hi,
                   detail::delta_list& out, std::uint32_t& iters, cell_status& st) noexcept {
  auto p = [&](double d) { return ((a3 * d + a2) * d + a1) * d + a0; };
  auto dp = [&](double d) { return (3.0 * a3 * d + 2.0 * a2) * d + a1; };
  double cuts[4] = {lo, hi, hi, hi};
  int nc = 1;
  const auto [s1, s2] = detail::quadratic_roots(3.0 * a3, 2.0 * a2, a1);
  if (s1 > lo && s1 < hi) cuts[nc++] = s1;
  if (s2 > lo && s2 < hi && s2 != s1) cuts[nc++] = s2;
  cuts[nc++] = hi;
  int found = 0;
  for (int i = 0; i + 1 < nc; ++i) {
    const double a = cuts[i], b = cuts[i + 1];
    const double pa = p(a), pb = p(b);
    if (pa == 0.0) { out.push(a); ++found; continue; }
    if (pb == 0.0 || (pa < 0.0) == (pb < 0.0)) continue;
    std::uintmax_t it = 100;
    const double guess = a - pa * (b - a) / (pb - pa);  // secant start inside the bracket
    const double r = boost::math::tools::newton_raphson_iterate(
        [&](double d) { return std::make_pair(p(d), dp(d)); }, guess, a, b,
        std::numeric_limits<double>::digits - 3, it);
    iters += static_cast<std::uint32_t>(it);
    if (it >= 100) { st = cell_status::max_iter; return found; }
    out.push(r);
    ++found;
  }
  if (p(hi) == 0.0) { out.push(hi); ++found; }
  return found;
}

// Everything the solutions of one quadratic game share: computed once by solve_game.
struct cf_context {
  quad_game q;
  pareto_set ps;
  detail::game_constants k;
};

pareto_set pareto_of(const quad_game& q) noexcept {
  pareto_set ps;
  ps.unimodal = true;  // Proposition 3.1
  if (!q.agree) { ps.status = cell_status::disagreement; return ps; }
  ps.intervals[0] = {q.L, q.R};
  ps.count = 1;
  return ps;
}

// detail::result_at for k0 = k1 = 2: p0 = p1 = 1, and std::pow(x, 1) == x exactly, so these are
// detail::evaluate's expressions bit for bit without the two pow calls and the derivatives
// (tests/kernels/test_closed_form_fast.cpp checks the equality).
bargain_result result_at_quadratic(const detail::game_constants& k, double delta,
                                   const pareto_set& ps) noexcept {
  const double rest = 1.0 - delta;
  const double alpha0 = k.a0 * delta, b = k.a1 * rest, alpha1 = alpha0 + b;
  bargain_result r;
  r.delta = delta;
  // k0 = k1 = 2 exactly (is_quadratic), and x / 2 == x * 0.5 in binary floating point.
  r.u_g = delta * (alpha1 - alpha0 * 0.5);
  r.u_d = rest * (alpha1 - b * 0.5);
  r.alpha0 = alpha0;
  r.alpha1 = alpha1;
  r.in_pareto = contains(ps, delta, 1e-12 * std::abs(delta) + 1e-15);  // detail::in_pareto_tol
  if (!finite_all(r.delta, r.u_g, r.u_d, r.alpha0, r.alpha1))
    return detail::failed_result(cell_status::not_finite);
  return r;
}

bargain_result solve_cf(solution s, const game_params& game, double beta, const cf_context& ctx) noexcept;

}  // namespace

pareto_set pareto_closed_form(const game_params& game) noexcept {
  pareto_set ps;
  if (validate(game) != cell_status::ok) { ps.status = cell_status::invalid_params; return ps; }
  if (!is_quadratic(game)) { ps.status = cell_status::no_closed_form; return ps; }
  return pareto_of(make_quad(game));
}

bargain_result bargain_closed_form(solution s, const game_params& game, double beta) noexcept {
  if (validate(game) != cell_status::ok) return detail::failed_result(cell_status::invalid_params);
  if (s == solution::generalized_nash && !(std::isfinite(beta) && beta > 0.0 && beta < 1.0))
    return detail::failed_result(cell_status::invalid_params);
  if (!is_quadratic(game)) return detail::failed_result(cell_status::no_closed_form);
  cf_context c;
  c.q = make_quad(game);
  c.ps = pareto_of(c.q);
  c.k = detail::make_constants(game);
  return solve_cf(s, game, beta, c);
}

namespace detail {

void solve_game_closed_form(const game_params& game, double beta, game_solution& out) noexcept {
  if (validate(game) != cell_status::ok) {
    out.pareto.status = cell_status::invalid_params;
    out.solutions.fill(failed_result(cell_status::invalid_params));
    return;
  }
  if (!is_quadratic(game)) {
    out.pareto.status = cell_status::no_closed_form;
    out.solutions.fill(failed_result(cell_status::no_closed_form));
    return;
  }
  cf_context c;
  c.q = make_quad(game);
  c.ps = pareto_of(c.q);
  c.k = make_constants(game);
  out.pareto = c.ps;
  const bool beta_ok = std::isfinite(beta) && beta > 0.0 && beta < 1.0;
  static_assert(std::is_trivially_destructible_v<bargain_result>);  // reusing a slot ends nothing
  for (solution s : all_solutions) {
    bargain_result* slot = &out.solutions[static_cast<std::size_t>(s)];
    if (s == solution::generalized_nash && !beta_ok) {
      *slot = failed_result(cell_status::invalid_params);
    } else {
      // Built in place (guaranteed elision of the returned prvalue): assigning the returned
      // temporary copied it back with loads that straddle its one-byte stores, a store-forwarding
      // stall per solution that perf put at about 13% of a game.
      ::new (static_cast<void*>(slot)) bargain_result(solve_cf(s, game, beta, c));
    }
  }
}

}  // namespace detail

namespace {

bargain_result solve_cf(solution s, const game_params& game, double beta, const cf_context& ctx) noexcept {
  const quad_game& q = ctx.q;
  std::uint32_t iters = 0;
  cell_status st = cell_status::ok;

  auto at = [&](double delta) {
    bargain_result r = result_at_quadratic(ctx.k, delta, ctx.ps);
    r.iterations = static_cast<std::uint16_t>(iters);
    return r;
  };

  switch (s) {
    case solution::powerful_g: return at(q.pg);
    case solution::powerful_d: return at(q.pd);
    case solution::max_performance: {
      // Proposition 3.4: alpha1 = delta/(2 c0) + (1 - delta)/(2 c1) is linear in delta.
      bargain_result r = at(q.x < 1.0 ? 0.0 : 1.0);
      r.degenerate = q.x == 1.0;
      return r;
    }
    case solution::vertical_monopoly:
      // Proposition 3.5: delta = c1 / (c0 + c1); UG + UD is strictly concave.
      return at(game.c1 / (game.c0 + game.c1));
    default: break;
  }

  if (!q.agree) return detail::disagreement_result(game);
  // On [L, R] gG = G - D0 increases from >= 0 and gD = H - D1 decreases to >= 0.
  detail::delta_list cands;
  cands.push(q.L);
  cands.push(q.R);
  const double x = q.x;
  const double g2 = x - 2.0, g1 = 2.0, g0 = -q.D0;                       // G - D0
  const double h2 = 1.0 - 2.0 * x, h1 = 2.0 * (x - 1.0), h0 = 1.0 - q.D1;  // H - D1

  switch (s) {
    case solution::egalitarian: {
      // Proposition 3.6 generalised to (d0, d1): G - D0 = H - D1, i.e. (divided by c0)
      // 3(x - 1) delta^2 + (4 - 2x) delta - 1 - D0 + D1 = 0. The printed root
      // (-sqrt(c0^2 - c0 c1 + c1^2) - c1 + 2 c0) / (3 (c0 - c1)) is 0/0 at c0 = c1; the
      // cancellation-free quadratic formula has no such point.
      const double r = quadratic_root_in(g2 - h2, g1 - h1, g0 - h0, q.L, q.R);
      if (std::isfinite(r)) cands.push(r);
      cands.sort_unique(0.0);
      const auto best = detail::pick_max(cands, [&](double d) { return std::min(q.G(d) - q.D0, q.H(d) - q.D1); });
      bargain_result out = at(best.delta);
      out.tie = best.tie;
      return out;
    }
    case solution::kalai_smorodinsky: {
      // Ideal gains over the rational agreements: G peaks at R's side, H at L's side of [L, R].
      const double ig = q.G(q.R) - q.D0, id = q.H(q.L) - q.D1;
      if (!(ig > 0.0) || !(id > 0.0)) return detail::disagreement_result(game);
      // (G - D0) id - (H - D1) ig = 0: a quadratic, increasing on [L, R], so one root there.
      const double r = quadratic_root_in(g2 * id - h2 * ig, g1 * id - h1 * ig, g0 * id - h0 * ig, q.L, q.R);
      if (!std::isfinite(r)) return detail::failed_result(cell_status::no_bracket);
      return at(r);
    }
    case solution::nash:
    case solution::generalized_nash: {
      // beta (G)'(H - D1) + (1 - beta)(H)'(G - D0) = 0 is a cubic; enumerate its roots in [L, R].
      const double b = s == solution::nash ? 0.5 : beta, c = 1.0 - b;
      const double a3 = 2.0 * g2 * h2;
      const double a2 = b * (2.0 * g2 * h1 + g1 * h2) + c * (2.0 * h2 * g1 + h1 * g2);
      const double a1 = b * (2.0 * g2 * h0 + g1 * h1) + c * (2.0 * h2 * g0 + h1 * g1);
      const double a0 = b * g1 * h0 + c * h1 * g0;
      auto p = [&](double d) { return ((a3 * d + a2) * d + a1) * d + a0; };
      if (q.D0 >= 0.0 && q.D1 >= 0.0) {
        // Gains log-concave (docs/model.md 1.5): b log gG + c log gD is strictly concave on (L, R),
        // so the cubic (its slope times gG gD) is >= 0 at L, <= 0 at R and changes sign once.
        // One bracketed Halley solve; no stationary points, no candidates to compare by logs.
        // Start: L + b (R - L), exact in both limits c1/c0 -> 0, inf and at c1 = c0 for d = 0.
        // Anything unexpected (no sign change, a failed solve) falls through to the enumeration.
        const double pl = p(q.L), pr = p(q.R);
        if (q.L < q.R && pl > 0.0 && pr < 0.0) {
          auto fdf = [&](double d) {
            return std::tuple<double, double, double>(p(d), (3.0 * a3 * d + 2.0 * a2) * d + a1, 6.0 * a3 * d + 2.0 * a2);
          };
          solver_options o;  // 2^-49 relative, as the Newton solve below
          o.bits = std::numeric_limits<double>::digits - 3;
          const detail::root_result rr = detail::newton_in_bracket(fdf, q.L, q.R, true, q.L + b * (q.R - q.L), o);
          if (rr.status == cell_status::ok) {
            iters += rr.iterations;
            return at(rr.x);
          }
        }
      }
      cubic_roots_in(a3, a2, a1, a0, q.L, q.R, cands, iters, st);
      if (st != cell_status::ok) return detail::failed_result(st);
      cands.sort_unique(0.0);
      const auto best = detail::pick_max(cands, [&](double d) {
        const double gg = std::max(q.G(d) - q.D0, 0.0), gd = std::max(q.H(d) - q.D1, 0.0);
        return b * std::log(gg) + c * std::log(gd);
      });
      if (std::isnan(best.delta)) return detail::failed_result(cell_status::no_bracket);
      bargain_result out = at(best.delta);
      out.tie = best.tie;
      return out;
    }
    default: break;
  }
  return detail::failed_result(cell_status::invalid_params);
}

}  // namespace
}  // namespace ftg
