#include "kernels/multi_bargaining.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double neg_inf = -std::numeric_limits<double>::infinity();
constexpr int geometric_points = 32;  // 2^-40 .. 2^-9 at each end
constexpr int grid_capacity = multi_grid_points + 2 * geometric_points + 2;
constexpr int players_capacity = 1 + multi_game::max_classes;
constexpr double tie_rel_tol = 1e-12;
constexpr double tie_separation = 1e-7;

// One grid point: the utility of G (u[0]) and of one member of each class (u[1 + j]).
struct sample {
  double delta = 0.0;
  std::array<double, players_capacity> u{};
  double perf = 0.0;
  std::uint32_t taking_part = 0;  // bit j: class j takes part
};

sample to_sample(const multi_spe_result& r) noexcept {
  sample s;
  s.delta = r.delta;
  s.u[0] = r.u_g;
  for (int j = 0; j < r.classes; ++j) {
    s.u[static_cast<std::size_t>(1 + j)] = r.sp[static_cast<std::size_t>(j)].u;
    if (r.sp[static_cast<std::size_t>(j)].reg != regime::abstainer) s.taking_part |= 1u << j;
  }
  s.perf = r.total_performance;
  return s;
}

struct grid {
  int n = 0;
  std::array<sample, grid_capacity> pts{};
  double scale = 0.0;
};

// Objective of a solution on a sample; -inf where undefined (G's gain below zero).
struct objective {
  multi_solution sol;
  int target = 0;  // class of powerful_d
  const multi_game* g = nullptr;
  std::array<double, players_capacity> ideal{};  // Kalai-Smorodinsky ideal gains (0: excluded)

  double operator()(const sample& s) const noexcept {
    const multi_game& game = *g;
    const double gain_g = s.u[0] - game.d0;
    switch (sol) {
      case multi_solution::powerful_g: return s.u[0];
      case multi_solution::powerful_d: return s.u[static_cast<std::size_t>(1 + target)];
      case multi_solution::max_performance: return s.perf;
      case multi_solution::vertical_monopoly: {
        double sum = s.u[0];
        for (int j = 0; j < game.classes; ++j)
          sum += game.sp[static_cast<std::size_t>(j)].count * s.u[static_cast<std::size_t>(1 + j)];
        return sum;
      }
      default: break;
    }
    if (gain_g < 0.0) return neg_inf;
    switch (sol) {
      case multi_solution::egalitarian: {
        double m = gain_g;
        for (int j = 0; j < game.classes; ++j)
          if (s.taking_part & (1u << j))
            m = std::min(m, s.u[static_cast<std::size_t>(1 + j)] - game.sp[static_cast<std::size_t>(j)].d);
        return m;
      }
      case multi_solution::nash: {
        // log of the product of gains, each member counted; a zero product is feasible, not
        // undefined, so it maps to the lowest finite value.
        double l = std::log(gain_g);
        for (int j = 0; j < game.classes; ++j)
          if (s.taking_part & (1u << j))
            l += game.sp[static_cast<std::size_t>(j)].count *
                 std::log(std::max(s.u[static_cast<std::size_t>(1 + j)] - game.sp[static_cast<std::size_t>(j)].d, 0.0));
        return std::max(l, -std::numeric_limits<double>::max());
      }
      case multi_solution::kalai_smorodinsky: {
        double m = gain_g / ideal[0];
        for (int j = 0; j < game.classes; ++j) {
          const double id = ideal[static_cast<std::size_t>(1 + j)];
          if ((s.taking_part & (1u << j)) && id > 0.0)
            m = std::min(m, (s.u[static_cast<std::size_t>(1 + j)] - game.sp[static_cast<std::size_t>(j)].d) / id);
        }
        return m;
      }
      default: return neg_inf;
    }
  }
};

multi_bargain_result failed(cell_status st) noexcept {
  multi_bargain_result r;
  r.delta = nan_v;
  r.spe.alpha0 = r.spe.u_g = r.spe.total_performance = nan_v;
  r.spe.status = st;
  r.status = st;
  return r;
}

multi_bargain_result solve_objective(const multi_game& g, const grid& gr, const objective& obj,
                                     const solver_options& opts) noexcept {
  std::array<double, grid_capacity> v{};
  double vmax = neg_inf, vmin = std::numeric_limits<double>::infinity();
  int best = -1;
  for (int i = 0; i < gr.n; ++i) {
    v[static_cast<std::size_t>(i)] = obj(gr.pts[static_cast<std::size_t>(i)]);
    if (v[static_cast<std::size_t>(i)] > neg_inf && (best < 0 || v[static_cast<std::size_t>(i)] >= vmax)) {
      vmax = v[static_cast<std::size_t>(i)];
      best = i;
    }
    vmin = std::min(vmin, v[static_cast<std::size_t>(i)]);
  }
  if (best < 0) {  // no delta gives G a non-negative gain: everyone keeps its disagreement payoff
    multi_bargain_result r = failed(cell_status::disagreement);
    r.spe.u_g = g.d0;
    r.spe.classes = g.classes;
    for (int j = 0; j < g.classes; ++j)
      r.spe.sp[static_cast<std::size_t>(j)] = {0.0, g.sp[static_cast<std::size_t>(j)].d, regime::abstainer, cell_status::disagreement};
    return r;
  }
  multi_bargain_result out;
  // Utility-valued objectives carry rounding noise of the order of the largest utility (a
  // specialist held at its threshold gets 1e-17 instead of 0), so their flatness is judged
  // against it; Nash (a log) and Kalai-Smorodinsky (ratios) against their own values.
  const bool utility_valued = obj.sol != multi_solution::nash && obj.sol != multi_solution::kalai_smorodinsky;
  const double noise = tie_rel_tol * std::max(std::abs(vmax), utility_valued ? gr.scale : 0.0);
  if (vmax - vmin <= noise) {
    out.delta = 1.0;
    out.degenerate = true;
    out.spe = multi_spe(g, 1.0, opts);
    out.status = out.spe.status;
    return out;
  }
  // Separated grid maxima of (nearly) equal value: a tie; the larger delta is refined.
  const double tol = noise + 1e-300;
  for (int i = 0; i < gr.n; ++i) {
    const double vi = v[static_cast<std::size_t>(i)];
    if (i == best || vi < vmax - tol) continue;
    if (std::abs(gr.pts[static_cast<std::size_t>(i)].delta - gr.pts[static_cast<std::size_t>(best)].delta) <= tie_separation) continue;
    const int lo = std::min(i, best), hi = std::max(i, best);
    double dip = std::numeric_limits<double>::infinity();
    for (int k = lo + 1; k < hi; ++k) dip = std::min(dip, v[static_cast<std::size_t>(k)]);
    if (dip < std::min(vi, vmax) - tol) {
      out.tie = true;
      best = std::max(best, i);
    }
  }
  // Zoom between the neighbours of the best grid point: 32 samples, keep the best and its
  // neighbours, repeat. Unlike Brent's parabolas this survives jumps (participation or G's choice
  // switching): a maximum at a jump is a supremum, approached from its better side.
  cell_status st = cell_status::ok;
  auto val = [&](double d) {
    const multi_spe_result r = multi_spe(g, d, opts);
    if (r.status != cell_status::ok) { st = r.status; return neg_inf; }
    return obj(to_sample(r));
  };
  double a = gr.pts[static_cast<std::size_t>(std::max(best - 1, 0))].delta;
  double b = gr.pts[static_cast<std::size_t>(std::min(best + 1, gr.n - 1))].delta;
  double x = gr.pts[static_cast<std::size_t>(best)].delta, vx = vmax;
  constexpr int zoom_samples = 32;
  for (int level = 0; level < 40 && b - a > 1e-14 * std::max(1.0, std::abs(x)); ++level) {
    std::array<double, zoom_samples + 1> xs{};
    for (int k = 0; k <= zoom_samples; ++k) {
      const double d = k == zoom_samples ? b : a + (b - a) * k / zoom_samples;
      xs[static_cast<std::size_t>(k)] = d;
      const double v_d = val(d);
      if (st != cell_status::ok) return failed(st);
      if (v_d > vx) { vx = v_d; x = d; }
    }
    // Centre the next level on the best point seen so far.
    int c = 0;
    for (int k = 0; k <= zoom_samples; ++k)
      if (std::abs(xs[static_cast<std::size_t>(k)] - x) < std::abs(xs[static_cast<std::size_t>(c)] - x)) c = k;
    a = xs[static_cast<std::size_t>(std::max(c - 1, 0))];
    b = xs[static_cast<std::size_t>(std::min(c + 1, zoom_samples))];
  }
  out.delta = x;
  out.spe = multi_spe(g, out.delta, opts);
  out.status = out.spe.status;
  return out;
}

}  // namespace

multi_solutions solve_multi(const multi_game& g, const solver_options& opts) noexcept {
  multi_solutions out;
  auto fail_all = [&](cell_status st) {
    out.pareto.status = st;
    const multi_bargain_result f = failed(st);
    out.powerful_g = out.max_performance = out.vertical_monopoly = out.egalitarian = out.nash =
        out.kalai_smorodinsky = f;
    out.powerful_d.fill(f);
    return out;
  };
  if (validate(g) != cell_status::ok) return fail_all(cell_status::invalid_params);

  // The grid of delta.
  grid gr;
  auto push = [&](double d) -> cell_status {
    const multi_spe_result r = multi_spe(g, d, opts);
    if (r.status != cell_status::ok) return r.status;
    gr.pts[static_cast<std::size_t>(gr.n++)] = to_sample(r);
    return cell_status::ok;
  };
  cell_status st = push(0.0);
  for (int j = 40; j >= 9 && st == cell_status::ok; --j) st = push(std::ldexp(1.0, -j));
  for (int i = 1; i < multi_grid_points && st == cell_status::ok; ++i)
    st = push(static_cast<double>(i) / multi_grid_points);
  for (int j = 9; j <= 40 && st == cell_status::ok; ++j) st = push(1.0 - std::ldexp(1.0, -j));
  if (st == cell_status::ok) st = push(1.0);
  if (st != cell_status::ok) return fail_all(st);
  const int players = 1 + g.classes;
  for (int i = 0; i < gr.n; ++i)
    for (int p = 0; p < players; ++p)
      gr.scale = std::max(gr.scale, std::abs(gr.pts[static_cast<std::size_t>(i)].u[static_cast<std::size_t>(p)]));

  // Solutions.
  objective obj{multi_solution::powerful_g, 0, &g, {}};
  out.powerful_g = solve_objective(g, gr, obj, opts);
  obj.sol = multi_solution::powerful_d;
  for (int j = 0; j < g.classes; ++j) {
    obj.target = j;
    out.powerful_d[static_cast<std::size_t>(j)] = solve_objective(g, gr, obj, opts);
  }
  obj.sol = multi_solution::max_performance;
  out.max_performance = solve_objective(g, gr, obj, opts);
  obj.sol = multi_solution::vertical_monopoly;
  out.vertical_monopoly = solve_objective(g, gr, obj, opts);
  obj.sol = multi_solution::egalitarian;
  out.egalitarian = solve_objective(g, gr, obj, opts);
  obj.sol = multi_solution::nash;
  out.nash = solve_objective(g, gr, obj, opts);
  // Kalai-Smorodinsky: ideal gains from the powerful solutions.
  obj.sol = multi_solution::kalai_smorodinsky;
  obj.ideal[0] = out.powerful_g.status == cell_status::ok ? out.powerful_g.spe.u_g - g.d0 : 0.0;
  for (int j = 0; j < g.classes; ++j) {
    const multi_bargain_result& pd = out.powerful_d[static_cast<std::size_t>(j)];
    obj.ideal[static_cast<std::size_t>(1 + j)] =
        pd.status == cell_status::ok ? pd.spe.sp[static_cast<std::size_t>(j)].u - g.sp[static_cast<std::size_t>(j)].d : 0.0;
  }
  out.kalai_smorodinsky = obj.ideal[0] > 0.0 ? solve_objective(g, gr, obj, opts) : failed(cell_status::disagreement);

  // Pareto set: dominators are the grid and the solutions' points.
  std::array<sample, 8 + multi_game::max_classes> extra{};
  int ne = 0;
  auto add_extra = [&](const multi_bargain_result& r) {
    if (r.status == cell_status::ok) extra[static_cast<std::size_t>(ne++)] = to_sample(r.spe);
  };
  add_extra(out.powerful_g);
  for (int j = 0; j < g.classes; ++j) add_extra(out.powerful_d[static_cast<std::size_t>(j)]);
  add_extra(out.max_performance);
  add_extra(out.vertical_monopoly);
  add_extra(out.egalitarian);
  add_extra(out.nash);
  add_extra(out.kalai_smorodinsky);

  const double tol = 1e-13 * std::max(gr.scale, std::numeric_limits<double>::min());
  auto dominates = [&](const sample& y, const sample& x) {
    bool strict = false;
    for (int p = 0; p < players; ++p) {
      const double yu = y.u[static_cast<std::size_t>(p)], xu = x.u[static_cast<std::size_t>(p)];
      if (yu < xu - tol) return false;
      strict = strict || yu > xu + tol;
    }
    return strict;
  };
  auto optimal = [&](const sample& x) {
    if (x.u[0] < g.d0 - tol) return false;
    for (int i = 0; i < gr.n; ++i)
      if (dominates(gr.pts[static_cast<std::size_t>(i)], x)) return false;
    for (int i = 0; i < ne; ++i)
      if (dominates(extra[static_cast<std::size_t>(i)], x)) return false;
    return true;
  };
  std::array<bool, grid_capacity> nd{};
  for (int i = 0; i < gr.n; ++i) nd[static_cast<std::size_t>(i)] = optimal(gr.pts[static_cast<std::size_t>(i)]);

  // Refine the boundary between an optimal grid point a and a dominated neighbour b.
  auto boundary = [&](double a, double b) -> double {
    for (int it = 0; it < 60 && std::abs(b - a) > 1e-12; ++it) {
      const double mid = a + (b - a) / 2;
      const multi_spe_result r = multi_spe(g, mid, opts);
      if (r.status != cell_status::ok) { st = r.status; return a; }
      if (optimal(to_sample(r))) a = mid; else b = mid;
    }
    return a;
  };
  auto& ps = out.pareto;
  for (int i = 0; i < gr.n; ++i) {
    if (!nd[static_cast<std::size_t>(i)]) continue;
    int j = i;
    while (j + 1 < gr.n && nd[static_cast<std::size_t>(j + 1)]) ++j;
    const double lo = i > 0 ? boundary(gr.pts[static_cast<std::size_t>(i)].delta, gr.pts[static_cast<std::size_t>(i - 1)].delta)
                            : gr.pts[0].delta;
    const double hi = j + 1 < gr.n ? boundary(gr.pts[static_cast<std::size_t>(j)].delta, gr.pts[static_cast<std::size_t>(j + 1)].delta)
                                   : gr.pts[static_cast<std::size_t>(j)].delta;
    if (st != cell_status::ok) return fail_all(st);
    if (ps.count == multi_pareto_set::capacity) return fail_all(cell_status::overflow);
    ps.intervals[static_cast<std::size_t>(ps.count++)] = {lo, hi};
    i = j;
  }
  // Solutions off the grid can be isolated optima (G raising alpha0 exactly to a specialist's
  // threshold leaves that specialist at its disagreement payoff, so every nearby delta is
  // dominated): keep each one that nothing dominates as a single agreement.
  for (int i = 0; i < ne; ++i) {
    const sample& x = extra[static_cast<std::size_t>(i)];
    bool inside = false;
    for (int k = 0; k < ps.count && !inside; ++k)
      inside = x.delta >= ps.intervals[static_cast<std::size_t>(k)].lo && x.delta <= ps.intervals[static_cast<std::size_t>(k)].hi;
    bool dominated = inside || x.u[0] < g.d0 - tol;
    for (int k = 0; k < gr.n && !dominated; ++k) dominated = dominates(gr.pts[static_cast<std::size_t>(k)], x);
    for (int k = 0; k < ne && !dominated; ++k) dominated = k != i && dominates(extra[static_cast<std::size_t>(k)], x);
    if (dominated) continue;
    if (ps.count == multi_pareto_set::capacity) return fail_all(cell_status::overflow);
    ps.intervals[static_cast<std::size_t>(ps.count++)] = {x.delta, x.delta};
  }
  // A player's unique global maximiser (powerful-G, powerful-D_j without a tie) is Pareto-optimal
  // by definition: no other delta gives that player as much. The set's ends come from bisection
  // on a dominance test with slack `tol`, which near a smooth maximum (flat to second order)
  // stops up to about sqrt(tol) short of the maximiser; extend the nearest end to it.
  auto include_maximiser = [&](const multi_bargain_result& r) {
    if (r.status != cell_status::ok || r.tie || r.degenerate || ps.count == 0) return;
    int nearest = 0;
    double gap = std::numeric_limits<double>::infinity();
    for (int k = 0; k < ps.count; ++k) {
      const delta_interval& iv = ps.intervals[static_cast<std::size_t>(k)];
      const double d = r.delta < iv.lo ? iv.lo - r.delta : (r.delta > iv.hi ? r.delta - iv.hi : 0.0);
      if (d < gap) {
        gap = d;
        nearest = k;
      }
    }
    if (gap == 0.0 || gap > 1e-6) return;
    delta_interval& iv = ps.intervals[static_cast<std::size_t>(nearest)];
    iv.lo = std::min(iv.lo, r.delta);
    iv.hi = std::max(iv.hi, r.delta);
  };
  include_maximiser(out.powerful_g);
  for (int j = 0; j < g.classes; ++j) include_maximiser(out.powerful_d[static_cast<std::size_t>(j)]);
  std::sort(ps.intervals.begin(), ps.intervals.begin() + ps.count,
            [](const delta_interval& a, const delta_interval& b) { return a.lo < b.lo; });
  {  // merge what touches to the bisection's resolution
    int m = 0;
    for (int i = 0; i < ps.count; ++i) {
      const delta_interval r = ps.intervals[static_cast<std::size_t>(i)];
      if (m > 0 && r.lo <= ps.intervals[static_cast<std::size_t>(m - 1)].hi + 1e-11)
        ps.intervals[static_cast<std::size_t>(m - 1)].hi = std::max(ps.intervals[static_cast<std::size_t>(m - 1)].hi, r.hi);
      else
        ps.intervals[static_cast<std::size_t>(m++)] = r;
    }
    ps.count = m;
  }
  ps.status = ps.count == 0 ? cell_status::disagreement : cell_status::ok;

  // Theorem 5.1's local rule on the grid (signs of differences between neighbours).
  std::array<bool, grid_capacity> local{};
  for (int i = 0; i < gr.n; ++i) {
    const sample& x = gr.pts[static_cast<std::size_t>(i)];
    const sample& l = gr.pts[static_cast<std::size_t>(std::max(i - 1, 0))];
    const sample& r = gr.pts[static_cast<std::size_t>(std::min(i + 1, gr.n - 1))];
    auto slope = [&](int p) {
      const double diff = r.u[static_cast<std::size_t>(p)] - l.u[static_cast<std::size_t>(p)];
      return diff > tol ? 1 : (diff < -tol ? -1 : 0);
    };
    bool keep = x.u[0] >= g.d0 - tol;
    const int sg = slope(0);
    if (keep && sg != 0) {
      bool opposite = false;
      for (int j = 0; j < g.classes && !opposite; ++j) {
        const bool gaining = (x.taking_part & (1u << j)) &&
                             x.u[static_cast<std::size_t>(1 + j)] > g.sp[static_cast<std::size_t>(j)].d + tol;
        opposite = gaining && slope(1 + j) == -sg;
      }
      keep = opposite;
    }
    local[static_cast<std::size_t>(i)] = keep;
  }
  for (int i = 0; i < gr.n; ++i) {
    if (!local[static_cast<std::size_t>(i)]) continue;
    int j = i;
    while (j + 1 < gr.n && local[static_cast<std::size_t>(j + 1)]) ++j;
    if (ps.theorem51_count < multi_pareto_set::capacity)
      ps.theorem51[static_cast<std::size_t>(ps.theorem51_count++)] = {gr.pts[static_cast<std::size_t>(i)].delta,
                                                                    gr.pts[static_cast<std::size_t>(j)].delta};
    i = j;
  }
  // Differ: a grid point classified differently, away from the boundaries of either set.
  for (int i = 1; i + 1 < gr.n && !ps.differs; ++i) {
    const bool interior_nd = nd[static_cast<std::size_t>(i)] == nd[static_cast<std::size_t>(i - 1)] &&
                             nd[static_cast<std::size_t>(i)] == nd[static_cast<std::size_t>(i + 1)];
    const bool interior_local = local[static_cast<std::size_t>(i)] == local[static_cast<std::size_t>(i - 1)] &&
                                local[static_cast<std::size_t>(i)] == local[static_cast<std::size_t>(i + 1)];
    ps.differs = interior_nd && interior_local && nd[static_cast<std::size_t>(i)] != local[static_cast<std::size_t>(i)];
  }

  // Pareto membership of each solution.
  auto mark = [&](multi_bargain_result& r) {
    if (r.status != cell_status::ok) return;
    const double t = 1e-9 * std::abs(r.delta) + 1e-12;
    for (int i = 0; i < ps.count && !r.in_pareto; ++i)
      r.in_pareto = r.delta >= ps.intervals[static_cast<std::size_t>(i)].lo - t &&
                    r.delta <= ps.intervals[static_cast<std::size_t>(i)].hi + t;
  };
  mark(out.powerful_g);
  for (int j = 0; j < g.classes; ++j) mark(out.powerful_d[static_cast<std::size_t>(j)]);
  mark(out.max_performance);
  mark(out.vertical_monopoly);
  mark(out.egalitarian);
  mark(out.nash);
  mark(out.kalai_smorodinsky);
  return out;
}

// Quadratic costs, everyone taking part (docs/table1_verification.md, docs/model.md): with
// n specialists, S1 = sum_i 1/c_i, T = c0 S1, UG and every UD_i are quadratics in delta, and
// Propositions 10.1, 10.3 and 10.4 hold as printed, while 10.2 (powerful-D_i, twice the true value)
// and 10.5 (egalitarian: a typo, and a missing case where the costliest specialist's powerful-D
// binds) are corrected here.
multi_bargain_result multi_bargain_closed_form(multi_solution s, const multi_game& g, int target) noexcept {
  if (validate(g) != cell_status::ok) return failed(cell_status::invalid_params);
  if (g.k0 != 2.0 || g.d0 != 0.0) return failed(cell_status::no_closed_form);
  double n = 0.0, s1 = 0.0, cmax = 0.0;
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    if (sp.k != 2.0 || sp.f != 0.0 || sp.m != 0.0 || sp.s != 1.0 || sp.b != 1.0 || sp.d != 0.0)
      return failed(cell_status::no_closed_form);
    n += sp.count;
    s1 += sp.count / sp.c;
    cmax = std::max(cmax, sp.c);
  }
  const double c0 = g.c0, T = c0 * s1, n2 = n * n;
  auto powerful_d = [&](double c) { return n * c > c0 ? (n * c - c0) / (2.0 * n * c - c0) : 0.0; };
  multi_bargain_result r;
  switch (s) {
    case multi_solution::powerful_g: r.delta = T > n2 ? T / (2.0 * T - n2) : 1.0; break;  // Prop. 10.1
    case multi_solution::powerful_d:                                                       // Prop. 10.2, corrected
      if (target < 0 || target >= g.classes) return failed(cell_status::invalid_params);
      r.delta = powerful_d(g.sp[static_cast<std::size_t>(target)].c);
      break;
    case multi_solution::max_performance:  // Prop. 10.3: sum alpha_i = n^2 delta/(2 c0) + (1-delta) S1/2
      r.delta = n2 < T ? 0.0 : 1.0;
      r.degenerate = n2 == T;
      break;
    case multi_solution::vertical_monopoly: r.delta = n2 / (n2 + T); break;  // Prop. 10.4
    case multi_solution::egalitarian: {
      // Prop. 10.5, corrected: the root of UG = UD_j for the costliest class j, written without
      // cancellation, unless it lies left of that class's powerful-D solution, which then binds.
      const double t = T - n, mu = c0 / cmax;
      const double R = std::hypot(t, n * std::sqrt(mu));
      const double dc = t >= 0.0 ? mu / (t + mu + R) : (R - t) / (R - t + n2);
      r.delta = std::max(dc, powerful_d(cmax));
      break;
    }
    default: return failed(cell_status::no_closed_form);
  }
  r.spe = multi_spe_closed_form(g, r.delta);
  r.status = r.spe.status;
  return r;
}

}  // namespace ftg
