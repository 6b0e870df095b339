#include "kernels/pareto.hpp"

#include <algorithm>
#include <cmath>

#include "kernels/detail/pareto_impl.hpp"
#include "kernels/detail/quadratic.hpp"
#include "kernels/detail/unimodal.hpp"

namespace ftg {
namespace detail {
namespace {

constexpr int piece_capacity = 2 * delta_list::capacity;

struct piece {
  double l, r;
  point pl, pr;
  int sg, sd;  // directions of UG and UD along delta: -1, 0, +1
  bool tradeoff;
  double gmin() const noexcept { return std::min(pl.u_g, pr.u_g); }
  double gmax() const noexcept { return std::max(pl.u_g, pr.u_g); }
};

int sign_of(double x, double tol) noexcept { return x > tol ? 1 : (x < -tol ? -1 : 0); }

struct segment_list {
  static constexpr int capacity = 64;
  std::array<delta_interval, capacity> v;  // only [0, n) is read
  int n = 0;
  bool overflow = false;
  void push(double lo, double hi) noexcept {
    if (n < capacity) v[static_cast<std::size_t>(n++)] = {lo, hi}; else overflow = true;
  }
};

auto u_g_of = [](const point& p) noexcept { return p.u_g; };
auto u_d_of = [](const point& p) noexcept { return p.u_d; };

// {p in P : V(p) <= level} for V monotone on P with direction dir (+1/-1), as [lo, hi]; returns
// false when empty.
template <class V>
bool sublevel(const game_constants& k, const piece& P, V&& value, int dir, double level, double tol,
              const solver_options& opts, double& lo, double& hi, cell_status& st,
              std::uint32_t& iters) noexcept {
  const double vl = value(P.pl), vr = value(P.pr);
  if (std::min(vl, vr) > level + tol) return false;
  if (std::max(vl, vr) <= level) { lo = P.l; hi = P.r; return true; }
  const root_result x = level_crossing(k, value, level, P.l, P.r, dir > 0, opts);
  iters += x.iterations;
  if (x.status != cell_status::ok) { st = x.status; return false; }
  if (dir > 0) { lo = P.l; hi = x.x; } else { lo = x.x; hi = P.r; }
  return true;
}

// The delta on monotone piece Q where UG equals g (g inside Q's UG range).
root_result delta_at_ug(const game_constants& k, const piece& Q, double g,
                        const solver_options& opts) noexcept {
  return level_crossing(k, u_g_of, g, Q.l, Q.r, Q.sg > 0, opts);
}

}  // namespace

pareto_set pareto_from_scan(const game_scan& s, const solver_options& opts, std::uint32_t* iterations,
                            const delta_list* shared_crit_g, const delta_list* shared_crit_d) noexcept {
  pareto_set out;
  std::uint32_t iters = 0;
  auto fail = [&](cell_status st) {
    pareto_set f;
    f.status = st;
    if (iterations) *iterations += iters;
    return f;
  };
  if (s.status != cell_status::ok) return fail(s.status);
  const game_constants& k = s.k;
  const double tol = 1e-13 * std::max(s.scale, std::numeric_limits<double>::min());

  // 1. Critical points of UG and UD split [0, 1] into pieces where both are monotone.
  delta_list own_g, own_d;
  if (shared_crit_g == nullptr || shared_crit_d == nullptr) {
    auto rg = scan_roots(s, [](const point& p) { return p.du_g; }, opts, own_g);
    auto rd = scan_roots(s, [](const point& p) { return p.du_d; }, opts, own_d);
    iters += rg.iterations + rd.iterations;
    if (rg.status != cell_status::ok) return fail(rg.status);
    if (rd.status != cell_status::ok) return fail(rd.status);
  }
  const delta_list& crit_g = shared_crit_g != nullptr && shared_crit_d != nullptr ? *shared_crit_g : own_g;
  const delta_list& crit_d = shared_crit_g != nullptr && shared_crit_d != nullptr ? *shared_crit_d : own_d;
  auto interior = [](const delta_list& l) {
    int c = 0;
    for (int i = 0; i < l.n; ++i) c += (l[i] > 0.0 && l[i] < 1.0);
    return c;
  };
  // UG' > 0 at delta = 0 and UD' < 0 at delta = 1 (detail/two_player.hpp), so one interior
  // critical point is a maximum and the utility is strictly unimodal.
  out.unimodal = interior(crit_g) <= 1 && interior(crit_d) <= 1;

  delta_list bp;
  bp.push(0.0);
  bp.push(1.0);
  bp.append(crit_g);
  bp.append(crit_d);
  if (bp.overflow) return fail(cell_status::overflow);
  bp.sort_unique(1e-15);

  std::array<point, delta_list::capacity> bpt;  // [0, bp.n) written below; no zeroing
  for (int i = 0; i < bp.n; ++i) bpt[static_cast<std::size_t>(i)] = evaluate(k, bp[i]);

  std::array<piece, piece_capacity> pieces;  // [0, np) written below; no zeroing (25 KB)
  int np = 0;
  for (int i = 0; i + 1 < bp.n; ++i) {
    const point& a = bpt[static_cast<std::size_t>(i)];
    const point& b = bpt[static_cast<std::size_t>(i + 1)];
    piece p{a.delta, b.delta, a, b, sign_of(b.u_g - a.u_g, tol), sign_of(b.u_d - a.u_d, tol), false};
    p.tradeoff = p.sg * p.sd < 0 || (p.sg == 0 && p.sd == 0);
    if (p.sg == 0 && p.sd == 0) p.sg = 1, p.sd = -1;  // flat: treat as a (degenerate) trade-off
    pieces[static_cast<std::size_t>(np++)] = p;
  }

  auto dominates = [&](const point& y, const point& x) {
    return y.u_g >= x.u_g - tol && y.u_d >= x.u_d - tol &&
           (y.u_g > x.u_g + tol || y.u_d > x.u_d + tol);
  };
  auto rational = [&](const point& x) { return x.u_g >= k.d0 - tol && x.u_d >= k.d1 - tol; };

  segment_list kept;
  cell_status st = cell_status::ok;

  // 2. Piece ends (critical points, 0 and 1) that nothing dominates.
  for (int i = 0; i < bp.n; ++i) {
    const point& x = bpt[static_cast<std::size_t>(i)];
    if (!rational(x)) continue;
    bool dominated = false;
    for (int j = 0; j < bp.n && !dominated; ++j)
      dominated = j != i && dominates(bpt[static_cast<std::size_t>(j)], x);
    for (int q = 0; q < np && !dominated; ++q) {
      const piece& Q = pieces[static_cast<std::size_t>(q)];
      if (!Q.tradeoff || !(x.u_g > Q.gmin() && x.u_g < Q.gmax())) continue;
      const root_result r = delta_at_ug(k, Q, x.u_g, opts);
      iters += r.iterations;
      if (r.status != cell_status::ok) return fail(r.status);
      dominated = evaluate(k, r.x).u_d > x.u_d + tol;
    }
    if (!dominated) kept.push(x.delta, x.delta);
  }

  // 3. Trade-off pieces minus what other points and pieces dominate, cut to the rational set.
  for (int ip = 0; ip < np; ++ip) {
    const piece& P = pieces[static_cast<std::size_t>(ip)];
    if (!P.tradeoff) continue;
    double klo = P.l, khi = P.r;
    {  // individual rationality: {UG >= d0} and {UD >= d1} are end intervals of a monotone piece
      double lo, hi;
      for (int which = 0; which < 2; ++which) {
        const int dir = which == 0 ? P.sg : P.sd;
        const double level = which == 0 ? k.d0 : k.d1;
        // {V >= level} is the complement of {V < level}: compute {-V <= -level}.
        auto negv = [which](const point& p) { return which == 0 ? -p.u_g : -p.u_d; };
        if (!sublevel(k, P, negv, -dir, -level, tol, opts, lo, hi, st, iters)) {
          if (st != cell_status::ok) return fail(st);
          klo = 1.0, khi = 0.0;  // empty
          break;
        }
        klo = std::max(klo, lo);
        khi = std::min(khi, hi);
      }
    }
    if (klo > khi) continue;

    segment_list removed;
    // 3a. Domination by piece ends: {UG <= UG(y)} and {UD <= UD(y)} on P.
    for (int j = 0; j < bp.n; ++j) {
      const point& y = bpt[static_cast<std::size_t>(j)];
      if (y.delta == P.l || y.delta == P.r) continue;
      double gl, gh, dl, dh;
      if (!sublevel(k, P, u_g_of, P.sg, y.u_g, tol, opts, gl, gh, st, iters)) {
        if (st != cell_status::ok) return fail(st);
        continue;
      }
      if (!sublevel(k, P, u_d_of, P.sd, y.u_d, tol, opts, dl, dh, st, iters)) {
        if (st != cell_status::ok) return fail(st);
        continue;
      }
      const double lo = std::max(gl, dl), hi = std::min(gh, dh);
      if (lo <= hi) removed.push(lo, hi);
    }
    // 3b. Domination by another trade-off piece Q: over the common UG range, P is dominated where
    // Q's curve lies above P's (UD_Q(g) > UD_P(g)). Sample the difference, refine sign changes.
    for (int iq = 0; iq < np; ++iq) {
      const piece& Q = pieces[static_cast<std::size_t>(iq)];
      if (iq == ip || !Q.tradeoff) continue;
      const double g_lo = std::max(P.gmin(), Q.gmin()), g_hi = std::min(P.gmax(), Q.gmax());
      if (!(g_hi > g_lo + tol)) continue;
      auto diff = [&](double g, double& dp) -> double {
        const root_result a = delta_at_ug(k, P, g, opts);
        const root_result b = delta_at_ug(k, Q, g, opts);
        iters += a.iterations + b.iterations;
        if (a.status != cell_status::ok) { st = a.status; return NAN; }
        if (b.status != cell_status::ok) { st = b.status; return NAN; }
        dp = a.x;
        return evaluate(k, b.x).u_d - evaluate(k, a.x).u_d;
      };
      constexpr int samples = 16;
      std::array<double, samples + 1> gs{}, ds{}, dps{};
      for (int i = 0; i <= samples; ++i) {
        gs[i] = g_lo + (g_hi - g_lo) * i / samples;
        ds[i] = diff(gs[i], dps[i]);
        if (st != cell_status::ok) return fail(st);
      }
      // Walk the samples; every maximal run where Q lies above P is removed from P.
      double run_start = NAN;
      for (int i = 0; i <= samples; ++i) {
        const bool above = ds[i] > tol;
        if (i > 0 && (ds[i - 1] > tol) != above) {
          // Refine the boundary of "Q above P" (diff = tol) between samples i-1 and i.
          double dp_root = dps[i];
          auto f = [&](double g) { double d; return diff(g, d) - tol; };
          const root_result r = find_root(f, gs[i - 1], gs[i], ds[i - 1] - tol, ds[i] - tol, opts);
          iters += r.iterations;
          if (r.status != cell_status::ok) return fail(r.status);
          (void)diff(r.x, dp_root);
          if (st != cell_status::ok) return fail(st);
          if (above) {
            run_start = dp_root;
          } else {
            removed.push(std::min(run_start, dp_root), std::max(run_start, dp_root));
            run_start = NAN;
          }
        } else if (i == 0 && above) {
          run_start = dps[0];
        }
      }
      if (!std::isnan(run_start))
        removed.push(std::min(run_start, dps[samples]), std::max(run_start, dps[samples]));
    }
    if (removed.overflow) return fail(cell_status::overflow);

    // Kept = [klo, khi] minus the union of the removed intervals.
    std::sort(removed.v.begin(), removed.v.begin() + removed.n,
              [](const delta_interval& a, const delta_interval& b) { return a.lo < b.lo; });
    // Removed sets are closed, so what is left after one is open there: a remnant of zero length
    // next to a removal is not kept (a genuine isolated optimum is found by the pass over ends).
    double cur = klo;
    bool cur_after_removal = false;
    for (int i = 0; i < removed.n && cur <= khi; ++i) {
      const delta_interval& r = removed.v[static_cast<std::size_t>(i)];
      if (r.hi < cur) continue;
      if (r.lo > cur) kept.push(cur, std::min(r.lo, khi));
      if (r.hi >= cur) { cur = r.hi; cur_after_removal = true; }
    }
    if (cur < khi || (cur == khi && !cur_after_removal)) kept.push(cur, khi);
  }
  if (kept.overflow) return fail(cell_status::overflow);

  // 4. Sort and merge into disjoint closed intervals.
  std::sort(kept.v.begin(), kept.v.begin() + kept.n,
            [](const delta_interval& a, const delta_interval& b) { return a.lo < b.lo; });
  constexpr double merge_tol = 1e-12;
  for (int i = 0; i < kept.n; ++i) {
    const delta_interval& r = kept.v[static_cast<std::size_t>(i)];
    if (out.count > 0 && r.lo <= out.intervals[static_cast<std::size_t>(out.count - 1)].hi + merge_tol) {
      auto& last = out.intervals[static_cast<std::size_t>(out.count - 1)];
      last.hi = std::max(last.hi, r.hi);
    } else if (out.count < pareto_set::capacity) {
      out.intervals[static_cast<std::size_t>(out.count++)] = r;
    } else {
      return fail(cell_status::overflow);
    }
  }
  out.status = out.count == 0 ? cell_status::disagreement : cell_status::ok;
  if (iterations) *iterations += iters;
  return out;
}

}  // namespace detail

pareto_set pareto_numeric(const game_params& game, const solver_options& opts) noexcept {
  if (validate(game) != cell_status::ok) {
    pareto_set f;
    f.status = cell_status::invalid_params;
    return f;
  }
  if (detail::unimodal_applies(game, opts)) {  // Theorem 2.1's interval by Newton (docs/model.md 1.5)
    detail::unimodal_game u;
    if (detail::unimodal_init(game, opts, u) && detail::unimodal_pareto(u)) return u.ps;
  }
  detail::game_scan s;
  detail::build_scan(game, opts, s);
  return detail::pareto_from_scan(s, opts, nullptr);
}

bool contains(const pareto_set& set, double delta, double tol) noexcept {
  for (int i = 0; i < set.count; ++i) {
    const auto& r = set.intervals[static_cast<std::size_t>(i)];
    if (delta >= r.lo - tol && delta <= r.hi + tol) return true;
  }
  return false;
}

}  // namespace ftg
