// The fast numeric path for k0, k1 >= 2 and d0, d1 >= 0: every solution is the root of one
// first-order condition inside a bracket whose end signs are evaluated, found by Newton's method
// with bisection safeguards (detail/newton.hpp). Why each bracket holds one root:
// detail/unimodal.hpp and docs/model.md section 1.5. Results are built exactly as result_at()
// builds them (same evaluate() call), and follow the conventions of the robust path.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <utility>

#include "kernels/detail/newton.hpp"
#include "kernels/detail/pick.hpp"
#include "kernels/detail/results.hpp"
#include "kernels/detail/unimodal.hpp"

namespace ftg::detail {
namespace {

constexpr double inf_v = std::numeric_limits<double>::infinity();
// The strategy scales alpha0(1) = a0^p0 and b(0) = a1^p1 must lie within about 2^+-490 (1e+-147),
// tested without a pow from the binary exponents; outside it the robust path decides, as it always
// did, how underflow and overflow are reported.
constexpr int scale_log2_max = 490;
inline bool scale_ok(double a, double p) noexcept {
  if (!(a > 0.0) || !std::isfinite(a)) return false;
  // ilogb(a) from the exponent bits for a normal a (the same value, without a libm call).
  const int e = a >= std::numeric_limits<double>::min()
                    ? static_cast<int>((std::bit_cast<std::uint64_t>(a) >> 52) & 0x7FFu) - 1023
                    : std::ilogb(a);
  return p * (std::abs(static_cast<double>(e)) + 1.0) <= scale_log2_max;
}

// The game at delta = 0 and 1 (exact end slopes), evaluated on first use.
inline void ensure_ends(unimodal_game& u) noexcept {
  if (u.have_ends) return;
  u.at0 = evaluate(u.k, 0.0);
  u.at1 = evaluate(u.k, 1.0);
  u.have_ends = true;
}

// Second derivatives of the strategies inside (0, 1): alpha0'' = p0 (p0 - 1) alpha0 / delta^2,
// b'' = p1 (p1 - 1) b / (1 - delta)^2.
struct second { double a0, b; };
inline second second_of(const game_constants& k, const point& p) noexcept {
  const double rest = 1.0 - p.delta;
  return {k.p0 * (k.p0 - 1.0) * p.alpha0 / (p.delta * p.delta), k.p1 * (k.p1 - 1.0) * p.b / (rest * rest)};
}
inline double d2_ug(const point& p, const second& s) noexcept { return p.dalpha0 + 2.0 * p.db + p.delta * s.b; }
inline double d2_ud(const point& p, const second& s) noexcept {
  return -2.0 * p.dalpha0 - p.db + (1.0 - p.delta) * s.a0;
}

template <class FdF>
bool newton(unimodal_game& u, FdF&& fdf, double lo, double hi, bool lo_positive, double guess,
            double& x) noexcept {
  const root_result r = newton_in_bracket(fdf, lo, hi, lo_positive, guess, u.opts);
  u.iterations += r.iterations;
  if (r.status != cell_status::ok || !(r.x >= lo && r.x <= hi)) return false;
  x = r.x;
  return true;
}

// Powerful-G: UG' = alpha1 + delta b' has the sign of gG(delta) = (1 - delta)(1 + r) - p1 delta,
// r = alpha0 / b, inside (0, 1) (multiply by (1 - delta) / b > 0). gG is linear in delta for
// k = 2 and finite up to delta = 1, unlike UG' (b' = -inf at 1 for k1 > 2); gG(1/(1+p1)) > 0.
bool solve_pg(unimodal_game& u, double& pg, point& last) noexcept {
  const game_constants& k = u.k;
  ensure_ends(u);
  if (!(u.at0.du_g > 0.0)) return false;  // UG'(0) = b(0) > 0 always
  if (u.at1.du_g >= 0.0) { pg = 1.0; return true; }
  auto f = [&k, &last](double d) {
    const point p = last = evaluate(k, d);
    const double r = p.alpha0 / p.b, rest = 1.0 - d;
    return std::make_pair(rest * (1.0 + r) - k.p1 * d, -1.0 - k.p1 + r * (rest * k.p0 / d + k.p1 - 1.0));
  };
  return newton(u, f, 0.0, 1.0, true, 1.0 / (1.0 + k.p1), pg);
}

// Powerful-D, the mirror image: UD' has the sign of hD(delta) = (1 - delta) p0 - delta (1 + s),
// s = b / alpha0 (multiply by delta / alpha0 > 0); hD(p0/(1+p0)) < 0.
bool solve_pd(unimodal_game& u, double& pd, point& last) noexcept {
  const game_constants& k = u.k;
  ensure_ends(u);
  if (!(u.at1.du_d < 0.0)) return false;  // UD'(1) = -alpha1(1) < 0 always
  if (u.at0.du_d <= 0.0) { pd = 0.0; return true; }
  auto f = [&k, &last](double d) {
    const point p = last = evaluate(k, d);
    const double s = p.b / p.alpha0, rest = 1.0 - d;
    return std::make_pair(rest * k.p0 - d * (1.0 + s), -1.0 - k.p0 + s * (k.p0 - 1.0 + d * k.p1 / rest));
  };
  return newton(u, f, 0.0, 1.0, true, k.p0 / (1.0 + k.p0), pd);
}

// The result at delta, as result_at() builds it; in_pareto from the slopes and gains when they
// place delta strictly inside [PD, PG] and the rational set, else from the Pareto set itself.
// known: a point already evaluated, used when it is the one at delta (the last Newton iterate).
bool make_result(unimodal_game& u, double delta, bargain_result& r, const point* known = nullptr) noexcept {
  const point p = known != nullptr && known->delta == delta ? *known : evaluate(u.k, delta);
  r = bargain_result{};
  r.delta = delta;
  r.u_g = p.u_g;
  r.u_d = p.u_d;
  r.alpha0 = p.alpha0;
  r.alpha1 = p.alpha1;
  if (!finite_all(r.delta, r.u_g, r.u_d, r.alpha0, r.alpha1)) return false;
  if (!u.have_set && p.du_g > 0.0 && p.du_d < 0.0 && p.u_g >= u.game.d0 && p.u_d >= u.game.d1) {
    r.in_pareto = true;
  } else {
    if (!unimodal_pareto(u)) return false;
    r.in_pareto = contains(u.ps, delta, 1e-12 * std::abs(delta) + 1e-15);  // result_at's tolerance
  }
  return true;
}

// A root of an increasing function c on [L, R] (egalitarian, Kalai-Smorodinsky), or the end
// where c does not change sign: for the max-min objectives that end is the maximiser.
template <class FdF>
bool crossing(unimodal_game& u, FdF&& fdf, double& x) noexcept {
  const double L = u.ps.intervals[0].lo, R = u.ps.intervals[0].hi;
  const double cl = fdf(L).first, cr = fdf(R).first;
  if (std::isnan(cl) || std::isnan(cr)) return false;
  if (cl >= 0.0) { x = L; return true; }
  if (cr <= 0.0) { x = R; return true; }
  const double guess = L - cl * (R - L) / (cr - cl);  // secant
  return newton(u, fdf, L, R, false, guess, x);
}

}  // namespace

namespace {
bool build_set(unimodal_game& u) noexcept;
}  // namespace

bool unimodal_scales_ok(const game_constants& k) noexcept {
  return scale_ok(k.a0, k.p0) && scale_ok(k.a1, k.p1);
}

bool unimodal_init(const game_params& g, const solver_options& opts, unimodal_game& u) noexcept {
  u.game = g;
  u.opts = opts;
  u.k = make_constants(g);
  u.have_ends = u.have_set = false;
  u.iterations = u.set_iterations = 0;
  return scale_ok(u.k.a0, u.k.p0) && scale_ok(u.k.a1, u.k.p1);
}

bool unimodal_pareto(unimodal_game& u) noexcept {
  if (u.have_set) return true;
  const std::uint32_t before = u.iterations;
  const bool ok = build_set(u);
  u.set_iterations += u.iterations - before;
  return ok;
}

namespace {
bool build_set(unimodal_game& u) noexcept {
  const game_constants& k = u.k;
  point last_g{}, last_d{};
  last_g.delta = last_d.delta = -1.0;
  if (!solve_pg(u, u.pg, last_g) || !solve_pd(u, u.pd, last_d) || u.pd > u.pg) return false;
  const double d0 = u.game.d0, d1 = u.game.d1;
  const point at_pg = last_g.delta == u.pg ? last_g : evaluate(k, u.pg);
  const point at_pd = last_d.delta == u.pd ? last_d : evaluate(k, u.pd);
  pareto_set ps;
  ps.unimodal = true;
  ps.status = cell_status::disagreement;
  if (at_pg.u_g >= d0 && at_pd.u_d >= d1) {
    // UG increases and UD decreases on [PD, PG]: cut where they reach d0 and d1.
    double L = u.pd, R = u.pg;
    if (at_pd.u_g < d0) {
      auto f = [&k, d0](double d) { const point p = evaluate(k, d); return std::make_pair(p.u_g - d0, p.du_g); };
      if (!newton(u, f, u.pd, u.pg, false, u.pd + (u.pg - u.pd) / 2, L)) return false;
    }
    if (at_pg.u_d < d1) {
      auto f = [&k, d1](double d) { const point p = evaluate(k, d); return std::make_pair(p.u_d - d1, p.du_d); };
      if (!newton(u, f, u.pd, u.pg, true, u.pd + (u.pg - u.pd) / 2, R)) return false;
    }
    if (L <= R) {
      ps.intervals[0] = {L, R};
      ps.count = 1;
      ps.status = cell_status::ok;
    }
  }
  u.ps = ps;
  u.have_set = true;
  return true;
}
}  // namespace

namespace {
bool solve_one(solution s, double beta, unimodal_game& u, bargain_result& out) noexcept;
}  // namespace

bool unimodal_solve(solution s, double beta, unimodal_game& u, bargain_result& out) noexcept {
  // Iterations reported: this solution's own root plus those of the Pareto set when it was used.
  const std::uint32_t before = u.iterations, set_before = u.set_iterations;
  const bool had_set = u.have_set;
  if (!solve_one(s, beta, u, out)) return false;
  const std::uint32_t set_now = u.set_iterations - set_before;
  const std::uint32_t own = u.iterations - before - set_now;
  const std::uint32_t used = own + (u.have_set ? (had_set ? u.set_iterations : set_now) : 0);
  out.iterations = static_cast<std::uint16_t>(std::min<std::uint32_t>(used, 65535));
  return true;
}

namespace {
bool solve_one(solution s, double beta, unimodal_game& u, bargain_result& out) noexcept {
  const game_constants& k = u.k;
  point last{};  // the last point a Newton iteration evaluated
  last.delta = -1.0;
  const double d0 = u.game.d0, d1 = u.game.d1;
  double x = 0.0;
  switch (s) {
    case solution::powerful_g:
      return unimodal_pareto(u) && make_result(u, u.pg, out);
    case solution::powerful_d:
      return unimodal_pareto(u) && make_result(u, u.pd, out);
    case solution::max_performance: {
      // alpha1' = alpha0' + b' decreases (alpha1 is concave). A constant alpha1 (k0 = k1 = 2,
      // c0 = c1) is degenerate: delta = 1, as the robust path's flatness test on its scan.
      ensure_ends(u);
      const double m0 = u.at0.dalpha1, m1 = u.at1.dalpha1;
      if (std::isnan(m0) || std::isnan(m1)) return false;
      if (m0 <= 0.0) x = 0.0;
      else if (m1 >= 0.0) x = 1.0;
      else {
        auto f = [&k, &last](double d) {
          const point p = last = evaluate(k, d);
          const second sd = second_of(k, p);
          return std::make_pair(p.dalpha1, sd.a0 + sd.b);
        };
        if (!newton(u, f, 0.0, 1.0, true, 0.5, x)) return false;
      }
      const point px = last.delta == x ? last : evaluate(k, x);
      const double top = std::max(px.alpha1, std::max(u.at0.alpha1, u.at1.alpha1));
      const double bottom = std::min(u.at0.alpha1, u.at1.alpha1);
      if (top - bottom <= tie_rel_tol * std::abs(top)) {
        if (!make_result(u, 1.0, out)) return false;
        out.degenerate = true;
        return true;
      }
      return make_result(u, x, out, &px);
    }
    case solution::vertical_monopoly: {
      // (UG + UD)' = (1 - delta) alpha0' + delta b' decreases strictly from alpha0'(0) > 0 to
      // b'(1) < 0 (both a0 or +-inf, a1 > 0: power_slope_at_zero).
      auto f = [&k, &last](double d) {
        const point p = last = evaluate(k, d);
        const second sd = second_of(k, p);
        const double rest = 1.0 - d;
        return std::make_pair(rest * p.dalpha0 + d * p.db, -p.dalpha0 + rest * sd.a0 + p.db + d * sd.b);
      };
      return newton(u, f, 0.0, 1.0, true, 0.5, x) && make_result(u, x, out, &last);
    }
    case solution::nash:
    case solution::generalized_nash: {
      const double b = s == solution::nash ? 0.5 : beta, c = 1.0 - b;
      // d/ddelta of b log gG + c log gD, and its derivative; decreasing where both gains > 0.
      auto f = [&k, &last, b, c, d0, d1](double d) {
        const point p = last = evaluate(k, d);
        const double gg = p.u_g - d0, gd = p.u_d - d1;
        if (!(gg > 0.0) && !(gd > 0.0)) return std::make_pair(std::numeric_limits<double>::quiet_NaN(), 0.0);
        if (!(gg > 0.0)) return std::make_pair(inf_v, 0.0);
        if (!(gd > 0.0)) return std::make_pair(-inf_v, 0.0);
        const second sd = second_of(k, p);
        const double tg = p.du_g / gg, td = p.du_d / gd;
        return std::make_pair(b * tg + c * td,
                              b * (d2_ug(p, sd) / gg - tg * tg) + c * (d2_ud(p, sd) / gd - td * td));
      };
      if (d0 == 0.0 && d1 == 0.0) {
        // UG(0) = 0 and UD(1) = 0 exactly (evaluate: factors delta and 1 - delta), so the slope is
        // +inf next to 0 and -inf next to 1.
        return newton(u, f, 0.0, 1.0, true, b, x) && make_result(u, x, out, &last);
      }
      if (!unimodal_pareto(u)) return false;
      if (u.ps.count == 0) { out = disagreement_result(u.game); return true; }
      const double L = u.ps.intervals[0].lo, R = u.ps.intervals[0].hi;
      if (L == R) return make_result(u, L, out);
      // Bracket: the slope is > 0 at L (gG(L) = 0, or L = PD with UD' = 0) and < 0 at R.
      const double fl = f(L).first, fr = f(R).first;
      if (!(fl > 0.0) || !(fr < 0.0)) return false;
      return newton(u, f, L, R, true, L + b * (R - L), x) && make_result(u, x, out, &last);
    }
    case solution::egalitarian: {
      if (!unimodal_pareto(u)) return false;
      if (u.ps.count == 0) { out = disagreement_result(u.game); return true; }
      auto f = [&k, &last, d0, d1](double d) {
        const point p = last = evaluate(k, d);
        return std::make_pair((p.u_g - d0) - (p.u_d - d1), p.du_g - p.du_d);
      };
      return crossing(u, f, x) && make_result(u, x, out, &last);
    }
    case solution::kalai_smorodinsky: {
      if (!unimodal_pareto(u)) return false;
      if (u.ps.count == 0) { out = disagreement_result(u.game); return true; }
      // Ideal gains over the rational agreements: UG peaks at R's side, UD at L's side.
      const double ig = evaluate(k, u.ps.intervals[0].hi).u_g - d0;
      const double id = evaluate(k, u.ps.intervals[0].lo).u_d - d1;
      if (!(ig > 0.0) || !(id > 0.0)) { out = disagreement_result(u.game); return true; }
      auto f = [&k, &last, d0, d1, ig, id](double d) {
        const point p = last = evaluate(k, d);
        return std::make_pair((p.u_g - d0) / ig - (p.u_d - d1) / id, p.du_g / ig - p.du_d / id);
      };
      return crossing(u, f, x) && make_result(u, x, out, &last);
    }
  }
  return false;
}
}  // namespace

}  // namespace ftg::detail
