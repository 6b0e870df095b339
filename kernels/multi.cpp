#include "kernels/multi.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>

#include "kernels/detail/roots.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

bool valid_specialist(const specialist& s) noexcept {
  return finite_all(s.c, s.k, s.f, s.m, s.s, s.b, s.d) && s.c > 0.0 && s.k > 1.0 && s.f >= 0.0 &&
         s.m >= 0.0 && s.s > 0.0 && s.b > 0.0 && s.b <= 1.0 && s.count >= 1;
}

response failed_response(cell_status st) noexcept { return {nan_v, nan_v, regime::abstainer, st}; }

// Gap t = alpha_i - alpha0 that maximises (1-delta) s (alpha0 + t)^b - m t - c t^k over t >= 0.
// b = 1: closed form. b < 1: the problem is concave and the sign of its slope is that of
// g(t) = (1-delta) s b - (m + k c t^(k-1)) (alpha0 + t)^(1-b), finite and decreasing in t.
double best_gap(const specialist& sp, double alpha0, double delta, const solver_options& opts,
                cell_status& st) noexcept {
  const double qs = (1.0 - delta) * sp.s;
  if (sp.b == 1.0) {
    const double q = qs - sp.m;
    // spe()'s operations for b = (a1 (1 - delta))^p1, a1 = 1/(k1 c1): bit-identical at n = 1.
    return q > 0.0 ? std::pow((1.0 / (sp.k * sp.c)) * q, 1.0 / (sp.k - 1.0)) : 0.0;
  }
  if (qs == 0.0) return 0.0;
  auto g = [&](double t) {
    return qs * sp.b - (sp.m + sp.k * sp.c * std::pow(t, sp.k - 1.0)) * std::pow(alpha0 + t, 1.0 - sp.b);
  };
  const double g0 = g(0.0);
  if (g0 <= 0.0) return 0.0;
  double hi = 1.0;
  for (int i = 0; i < 2100 && g(hi) > 0.0; ++i) hi *= 2.0;
  const detail::root_result r = detail::find_root(g, 0.0, hi, g0, g(hi), opts);
  if (r.status != cell_status::ok) { st = r.status; return nan_v; }
  return r.x;
}

// The specialist's utility at gap t, taking part. For b = 1 and t > 0 the first-order condition
// gives c t^k = t ((1-delta) s - m) / k, hence (1-delta) s (alpha - t/k) - f - m t (1 - 1/k): with
// f = m = 0 and s = 1 these are exactly spe()'s operations, (1 - delta) (alpha1 - b/k1).
double taking_part_utility(const specialist& sp, double alpha0, double t, double delta) noexcept {
  const double qs = (1.0 - delta) * sp.s;
  const double alpha = alpha0 + t;
  if (sp.b == 1.0) return qs * (alpha - t / sp.k) - sp.f - sp.m * t * (1.0 - 1.0 / sp.k);
  return qs * std::pow(alpha, sp.b) - sp.f - sp.m * t - sp.c * std::pow(t, sp.k);
}

}  // namespace

int multi_game::n() const noexcept {
  int total = 0;
  for (int j = 0; j < classes; ++j) total += sp[static_cast<std::size_t>(j)].count;
  return total;
}

cell_status validate(const multi_game& g) noexcept {
  if (!finite_all(g.c0, g.k0, g.d0) || !(g.c0 > 0.0) || !(g.k0 > 1.0)) return cell_status::invalid_params;
  if (g.classes < 1 || g.classes > multi_game::max_classes) return cell_status::invalid_params;
  for (int j = 0; j < g.classes; ++j)
    if (!valid_specialist(g.sp[static_cast<std::size_t>(j)])) return cell_status::invalid_params;
  return cell_status::ok;
}

response best_response(const specialist& sp, double alpha0, double delta,
                       const solver_options& opts) noexcept {
  if (!valid_specialist(sp) || !std::isfinite(alpha0) || !(alpha0 >= 0.0) || !(delta >= 0.0 && delta <= 1.0))
    return failed_response(cell_status::invalid_params);
  cell_status st = cell_status::ok;
  const double t = best_gap(sp, alpha0, delta, opts, st);
  if (st != cell_status::ok) return failed_response(st);
  const double u = taking_part_utility(sp, alpha0, t, delta);
  if (!finite_all(t, u)) return failed_response(cell_status::not_finite);
  if (u >= sp.d) return {alpha0 + t, u, t > 0.0 ? regime::contributor : regime::free_rider, cell_status::ok};
  return {0.0, sp.d, regime::abstainer, cell_status::ok};
}

double participation_threshold(const specialist& sp, double delta, const solver_options& opts,
                               cell_status& status) noexcept {
  auto u_at = [&](double a0) {
    cell_status st = cell_status::ok;
    const double t = best_gap(sp, a0, delta, opts, st);
    if (st != cell_status::ok) { status = st; return nan_v; }
    return taking_part_utility(sp, a0, t, delta);
  };
  const double u0 = u_at(0.0);
  if (status != cell_status::ok) return nan_v;
  if (u0 >= sp.d) return 0.0;
  const double qs = (1.0 - delta) * sp.s;
  if (qs == 0.0) return inf_v;  // no revenue share: taking part never pays more than at alpha0 = 0
  double theta;
  if (sp.b == 1.0) {
    // The gap does not depend on alpha0, so the utility is qs alpha0 + u0.
    theta = (sp.d - u0) / qs;
  } else {
    // Increasing in alpha0 (envelope theorem: d u / d alpha0 = qs b alpha^(b-1) > 0), unbounded.
    double hi = 1.0;
    for (int i = 0; i < 2100 && u_at(hi) < sp.d; ++i) hi *= 2.0;
    if (status != cell_status::ok) return nan_v;
    const detail::root_result r =
        detail::find_root([&](double a0) { return u_at(a0) - sp.d; }, 0.0, hi, u0 - sp.d, u_at(hi) - sp.d, opts);
    if (r.status != cell_status::ok) { status = r.status; return nan_v; }
    theta = r.x;
  }
  // A tie takes part: step up until taking part is not worse than abstaining, also after rounding.
  // A few ulps first, then relative steps that double (the root is accurate to ~1e-15).
  for (int i = 0; i < 64 && std::isfinite(theta) && u_at(theta) < sp.d; ++i)
    theta = i < 8 ? std::nextafter(theta, inf_v) : theta * (1.0 + std::ldexp(1e-15, i - 8));
  if (!std::isfinite(theta) || u_at(theta) < sp.d) { status = cell_status::no_bracket; return nan_v; }
  return theta;
}

namespace {

multi_spe_result failed_spe(double delta, cell_status st) noexcept {
  multi_spe_result r;
  r.delta = delta;
  r.alpha0 = r.u_g = r.total_performance = nan_v;
  r.status = st;
  return r;
}

// G's revenue weight from the classes taking part at alpha0 (b = 1 classes only) and whether any
// b < 1 class takes part.
struct piece_weights {
  double w = 0.0;
  bool nonlinear = false;
};

// Everything at G's choice alpha0: responses, G's utility by definition (eq. 7).
multi_spe_result outcome_at(const multi_game& g, double delta, double alpha0,
                            const std::array<double, multi_game::max_classes>& theta,
                            const solver_options& opts) noexcept {
  multi_spe_result r;
  r.delta = delta;
  r.alpha0 = alpha0;
  r.classes = g.classes;
  double revenue = 0.0, perf = 0.0;
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    response& out = r.sp[static_cast<std::size_t>(j)];
    if (alpha0 < theta[static_cast<std::size_t>(j)]) {
      out = {0.0, sp.d, regime::abstainer, cell_status::ok};
      continue;
    }
    cell_status st = cell_status::ok;
    const double t = best_gap(sp, alpha0, delta, opts, st);
    if (st != cell_status::ok) return failed_spe(delta, st);
    out = {alpha0 + t, taking_part_utility(sp, alpha0, t, delta),
           t > 0.0 ? regime::contributor : regime::free_rider, cell_status::ok};
    revenue += sp.count * sp.s * (sp.b == 1.0 ? out.alpha : std::pow(out.alpha, sp.b));
    perf += sp.count * out.alpha;
  }
  r.u_g = delta * revenue - g.c0 * std::pow(alpha0, g.k0);
  r.total_performance = perf;
  return r;
}

}  // namespace

multi_spe_result multi_spe(const multi_game& g, double delta, const solver_options& opts) noexcept {
  if (validate(g) != cell_status::ok || !(delta >= 0.0 && delta <= 1.0))
    return failed_spe(delta, cell_status::invalid_params);

  std::array<double, multi_game::max_classes> theta{};
  cell_status st = cell_status::ok;
  for (int j = 0; j < g.classes; ++j) {
    theta[static_cast<std::size_t>(j)] = participation_threshold(g.sp[static_cast<std::size_t>(j)], delta, opts, st);
    if (st != cell_status::ok) return failed_spe(delta, st);
  }
  // Piece starts: 0 and every finite threshold, ascending and distinct.
  std::array<double, multi_game::max_classes + 1> starts{};
  int ns = 0;
  starts[static_cast<std::size_t>(ns++)] = 0.0;
  for (int j = 0; j < g.classes; ++j)
    if (std::isfinite(theta[static_cast<std::size_t>(j)]) && theta[static_cast<std::size_t>(j)] > 0.0)
      starts[static_cast<std::size_t>(ns++)] = theta[static_cast<std::size_t>(j)];
  std::sort(starts.begin(), starts.begin() + ns);
  ns = static_cast<int>(std::unique(starts.begin(), starts.begin() + ns) - starts.begin());

  const double a0 = 1.0 / (g.k0 * g.c0), p0 = 1.0 / (g.k0 - 1.0);
  multi_spe_result best;
  bool have = false;
  auto consider = [&](multi_spe_result cand) -> bool {
    if (cand.status != cell_status::ok) { best = cand; return false; }
    // Ascending alpha0: >= gives ties to the larger alpha0.
    if (!have || cand.u_g >= best.u_g) { best = cand; have = true; }
    return true;
  };

  for (int i = 0; i < ns; ++i) {
    const double lo = starts[static_cast<std::size_t>(i)];
    const double hi = i + 1 < ns ? starts[static_cast<std::size_t>(i + 1)] : inf_v;
    // Bringing in the classes whose threshold is lo: G sets alpha0 = lo exactly.
    if (!consider(outcome_at(g, delta, lo, theta, opts))) return best;
    piece_weights pw;
    for (int j = 0; j < g.classes; ++j) {
      const specialist& sp = g.sp[static_cast<std::size_t>(j)];
      if (theta[static_cast<std::size_t>(j)] > lo) continue;
      if (sp.b == 1.0) pw.w += sp.count * sp.s; else pw.nonlinear = true;
    }
    if (!pw.nonlinear) {
      // G's utility on the piece is delta W alpha0 + const - c0 alpha0^k0 (Theorem 10.1's step).
      const double x = std::pow(a0 * (delta * pw.w), p0);
      if (x > lo && x < hi) {
        multi_spe_result cand = outcome_at(g, delta, x, theta, opts);
        if (cand.status == cell_status::ok) {
          // First-order identity c0 x^k0 = x delta W / k0: spe()'s form for one specialist.
          double sum = 0.0;
          for (int j = 0; j < g.classes; ++j) {
            const specialist& sp = g.sp[static_cast<std::size_t>(j)];
            if (cand.sp[static_cast<std::size_t>(j)].reg != regime::abstainer)
              sum += sp.count * sp.s * cand.sp[static_cast<std::size_t>(j)].alpha;
          }
          cand.u_g = delta * (sum - pw.w * x / g.k0);
        }
        if (!consider(cand)) return best;
      }
      continue;
    }
    // Some revenue is concave in alpha0: a coarse scan over the piece, then Brent around the best.
    double top = hi;
    if (!std::isfinite(top)) {
      // Past `top` G's cost exceeds the most revenue it could earn from everyone (the gap only
      // shrinks as alpha0 grows) minus its utility at lo, so the optimum lies below it.
      const multi_spe_result at_lo = outcome_at(g, delta, lo, theta, opts);
      if (at_lo.status != cell_status::ok) return at_lo;
      auto revenue_bound = [&](double x) {
        double rsum = 0.0;
        for (int j = 0; j < g.classes; ++j) {
          const specialist& sp = g.sp[static_cast<std::size_t>(j)];
          cell_status gs = cell_status::ok;
          const double t0 = best_gap(sp, 0.0, delta, opts, gs);
          rsum += sp.count * sp.s * std::pow(x + (gs == cell_status::ok ? t0 : 0.0), sp.b);
        }
        return delta * rsum;
      };
      top = std::max(1.0, 2.0 * lo);
      for (int it = 0; it < 2100 && g.c0 * std::pow(top, g.k0) <= revenue_bound(top) - at_lo.u_g; ++it) top *= 2.0;
    }
    auto neg = [&](double x) { return -outcome_at(g, delta, x, theta, opts).u_g; };
    constexpr int coarse = 64;
    int bi = 0;
    double bv = inf_v;
    for (int c = 0; c <= coarse; ++c) {
      const double x = lo + (top - lo) * c / coarse;
      const double v = neg(std::min(x, std::nextafter(top, 0.0)));
      if (v < bv) { bv = v; bi = c; }
    }
    const double blo = lo + (top - lo) * std::max(bi - 1, 0) / coarse;
    const double bhi = std::min(lo + (top - lo) * std::min(bi + 1, coarse) / coarse, std::nextafter(top, 0.0));
    std::uintmax_t iters = opts.max_iter;
    const auto m = boost::math::tools::brent_find_minima(neg, blo, bhi, std::numeric_limits<double>::digits / 2, iters);
    if (iters >= opts.max_iter) return failed_spe(delta, cell_status::max_iter);
    if (!consider(outcome_at(g, delta, m.first, theta, opts))) return best;
  }
  if (!finite_all(best.alpha0, best.u_g, best.total_performance)) return failed_spe(delta, cell_status::not_finite);
  return best;
}

multi_spe_result multi_spe_closed_form(const multi_game& g, double delta) noexcept {
  if (validate(g) != cell_status::ok || !(delta >= 0.0 && delta <= 1.0))
    return failed_spe(delta, cell_status::invalid_params);
  // Theorem 10.1 / Corollary 10.1: s = b = 1, f = m = 0, and d <= 0 so everyone takes part.
  double n = 0.0;
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    if (sp.s != 1.0 || sp.b != 1.0 || sp.f != 0.0 || sp.m != 0.0 || sp.d > 0.0)
      return failed_spe(delta, cell_status::no_closed_form);
    n += sp.count;
  }
  multi_spe_result r;
  r.delta = delta;
  r.classes = g.classes;
  r.alpha0 = std::pow(delta * n / (g.k0 * g.c0), 1.0 / (g.k0 - 1.0));
  double sum = 0.0;
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    const double t = std::pow((1.0 - delta) / (sp.k * sp.c), 1.0 / (sp.k - 1.0));
    const double alpha = r.alpha0 + t;
    r.sp[static_cast<std::size_t>(j)] = {alpha, (1.0 - delta) * (alpha - t / sp.k),
                                         t > 0.0 ? regime::contributor : regime::free_rider, cell_status::ok};
    sum += sp.count * alpha;
  }
  r.u_g = delta * (sum - n * r.alpha0 / g.k0);
  r.total_performance = sum;
  if (!finite_all(r.alpha0, r.u_g, r.total_performance)) return failed_spe(delta, cell_status::not_finite);
  return r;
}

regime_analysis analyse_regime(const specialist& sp, double alpha0, double delta,
                               const solver_options& opts) noexcept {
  regime_analysis a;
  if (!valid_specialist(sp) || !std::isfinite(alpha0) || !(alpha0 >= 0.0) || !(delta >= 0.0 && delta < 1.0)) {
    a.status = cell_status::invalid_params;
    return a;
  }
  // Theorem 5.2 at alpha_i = alpha0 (no investment): phi = f, phi' = m.
  const double r0 = sp.s * std::pow(alpha0, sp.b);
  const double dr0 = sp.b == 1.0 ? sp.s : (alpha0 > 0.0 ? sp.s * sp.b * std::pow(alpha0, sp.b - 1.0) : inf_v);
  a.fixed_costs_under_control = r0 > sp.f / (1.0 - delta);
  a.marginally_profitable = dr0 > sp.m / (1.0 - delta);
  if (a.fixed_costs_under_control)
    a.predicted = a.marginally_profitable ? table2_prediction::contributor : table2_prediction::free_rider;
  else
    a.predicted = a.marginally_profitable ? table2_prediction::indeterminate : table2_prediction::abstainer;
  const response br = best_response(sp, alpha0, delta, opts);
  a.status = br.status;
  a.exact = br.reg;
  return a;
}

theorem41_analysis analyse_theorem41(const multi_game& g, const solver_options& opts) noexcept {
  theorem41_analysis a;
  if (validate(g) != cell_status::ok || g.classes != 1 || g.sp[0].count != 1) {
    a.status = cell_status::invalid_params;
    a.delta = nan_v;
    return a;
  }
  const specialist& sp = g.sp[0];
  // phi0'(0) = 0 for k0 > 1, and r'(0) = s b 0^(b-1) (s for b = 1, +inf for b < 1) > 0.
  const double dr0 = sp.b == 1.0 ? sp.s : inf_v;
  a.lambda0 = inf_v;  // phi0'(0) = 0: Condition 1 holds for every lambda0
  a.condition1 = dr0 > 2.0 * 0.0;
  const multi_spe_result half = multi_spe(g, 0.5, opts);
  if (half.status != cell_status::ok) {
    a.status = half.status;
    return a;
  }
  const double x = half.alpha0;
  const double dr = sp.b == 1.0 ? sp.s : (x > 0.0 ? sp.s * sp.b * std::pow(x, sp.b - 1.0) : inf_v);
  a.lambda1 = sp.m > 0.0 ? dr / sp.m : inf_v;
  a.condition2 = dr > 2.0 * sp.m;
  a.no_fixed_cost = sp.f == 0.0;
  a.premises = a.condition1 && a.condition2 && a.no_fixed_cost;
  auto works = [&](const multi_spe_result& r) {
    return r.status == cell_status::ok && r.sp[0].reg == regime::contributor && r.alpha0 > 0.0 &&
           r.sp[0].alpha > r.alpha0 && r.u_g > g.d0 && r.sp[0].u > sp.d;
  };
  a.delta = nan_v;
  if (works(half)) {
    a.agreement_exists = true;
    a.delta = 0.5;
    return a;
  }
  for (int i = 1; i < 1024; ++i) {
    const double d = i / 1024.0;
    const multi_spe_result r = multi_spe(g, d, opts);
    if (r.status != cell_status::ok) { a.status = r.status; return a; }
    if (works(r)) {
      a.agreement_exists = true;
      a.delta = d;
      return a;
    }
  }
  return a;
}

}  // namespace ftg
