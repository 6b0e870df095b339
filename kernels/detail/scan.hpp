// kernels/detail/scan.hpp: the global bracketing stage shared by the numeric kernels (not public).
//
// The game is evaluated once on a fixed grid of delta: 0, geometric points 2^-60 .. 2^-7,
// `scan_points` uniform points, geometric points 1 - 2^-7 .. 1 - 2^-52, and 1. The geometric ends
// resolve the power-law boundary layers of k close to 1 (alpha0 ~ delta^(1/(k0-1))), where a
// uniform grid would step over a pair of close critical points. Every root of a first-order
// condition (a function of detail::point) is then bracketed by a sign change between neighbours
// and refined by TOMS 748 (roots.hpp). Brackets touching an end where the function is infinite
// are skipped: the ends themselves are always candidates.
// Pure, reentrant, no allocation.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "kernels/detail/roots.hpp"
#include "kernels/detail/two_player.hpp"

namespace ftg::detail {

inline constexpr int max_uniform_scan = 256;
inline constexpr int geometric_low = 54;   // 2^-60 .. 2^-7
inline constexpr int geometric_high = 46;  // 1 - 2^-7 .. 1 - 2^-52
inline constexpr int scan_capacity = max_uniform_scan + geometric_low + geometric_high + 2;

struct game_scan {
  game_constants k{};
  int n = 0;
  // Only [0, n) is ever read. Left uninitialised on purpose: zeroing 31 KB per call cost 30% of a
  // bargain_numeric solve (callgrind, memset).
  std::array<point, scan_capacity> pts;
  double scale = 0.0;  // max |UG|, |UD| over the scan, for relative tolerances
  cell_status status = cell_status::ok;
};

/// 2^-j for j = 0..60, exact (repeated halving), so that the grid costs no ldexp calls.
inline constexpr std::array<double, 61> neg_pow2 = [] {
  std::array<double, 61> t{};
  double x = 1.0;
  for (double& e : t) { e = x; x *= 0.5; }
  return t;
}();

inline void build_scan(const game_params& game, const solver_options& opts, game_scan& s) noexcept {
  s.k = make_constants(game);
  s.n = 0;
  s.scale = 0.0;
  s.status = cell_status::ok;
  const int uniform = std::clamp(opts.scan_points, 8, max_uniform_scan);
  auto push = [&](double delta) { s.pts[static_cast<std::size_t>(s.n++)] = evaluate(s.k, delta); };
  push(0.0);
  for (int j = 60; j >= 7; --j) push(neg_pow2[static_cast<std::size_t>(j)]);
  for (int i = 1; i < uniform; ++i) {
    const double d = static_cast<double>(i) / uniform;
    if (d > neg_pow2[7] && d < 1.0 - neg_pow2[7]) push(d);
  }
  for (int j = 7; j <= 52; ++j) push(1.0 - neg_pow2[static_cast<std::size_t>(j)]);
  push(1.0);
  for (int i = 0; i < s.n; ++i) {
    const point& p = s.pts[static_cast<std::size_t>(i)];
    if (!finite_all(p.alpha0, p.b, p.u_g, p.u_d)) { s.status = cell_status::not_finite; return; }
    s.scale = std::max({s.scale, std::abs(p.u_g), std::abs(p.u_d)});
  }
}

/// Fixed-capacity sorted list of delta values (roots, candidates).
struct delta_list {
  static constexpr int capacity = 64;
  std::array<double, capacity> v;  // only [0, n) is read; no zeroing (see game_scan::pts)
  int n = 0;
  bool overflow = false;
  void push(double x) noexcept {
    if (n < capacity) v[static_cast<std::size_t>(n++)] = x; else overflow = true;
  }
  void append(const delta_list& o) noexcept { for (int i = 0; i < o.n; ++i) push(o[i]); }
  double operator[](int i) const noexcept { return v[static_cast<std::size_t>(i)]; }
  /// Sort and drop values closer than tol to their predecessor.
  void sort_unique(double tol = 0.0) noexcept {
    // Insertion sort: lists hold a handful of values, where std::sort's set-up dominates.
    for (int i = 1; i < n; ++i) {
      const double x = v[static_cast<std::size_t>(i)];
      int j = i;
      for (; j > 0 && v[static_cast<std::size_t>(j - 1)] > x; --j)
        v[static_cast<std::size_t>(j)] = v[static_cast<std::size_t>(j - 1)];
      v[static_cast<std::size_t>(j)] = x;
    }
    int m = 0;
    for (int i = 0; i < n; ++i)
      if (m == 0 || v[static_cast<std::size_t>(i)] - v[static_cast<std::size_t>(m - 1)] > tol)
        v[static_cast<std::size_t>(m++)] = v[static_cast<std::size_t>(i)];
    n = m;
  }
};

struct root_scan_result {
  cell_status status = cell_status::ok;
  std::uint32_t iterations = 0;
};

/// Every root of f(point) on [0, 1] found by the scan: exact zeros at scan points and one TOMS 748
/// root per sign change between neighbours.
/// A run of consecutive exact zeros (a slope that underflows or cancels to 0 over several scan
/// points, e.g. UD' = -delta/(2 c0) near 0 when c0 = c1) is one root: at the run's end when the
/// run touches 0 or 1, else at its middle.
template <class F>
root_scan_result scan_roots(const game_scan& s, F&& f, const solver_options& opts,
                            delta_list& out) noexcept {
  root_scan_result r;
  double prev = f(s.pts[0]);
  int zero_run = prev == 0.0 ? 0 : -1;  // index where the current run of zeros began
  auto close_run = [&](int last) {
    const double lo = s.pts[static_cast<std::size_t>(zero_run)].delta;
    const double hi = s.pts[static_cast<std::size_t>(last)].delta;
    out.push(lo == 0.0 ? lo : (hi == 1.0 ? hi : lo + (hi - lo) / 2));
    zero_run = -1;
  };
  for (int i = 1; i < s.n; ++i) {
    const point& a = s.pts[static_cast<std::size_t>(i - 1)];
    const point& b = s.pts[static_cast<std::size_t>(i)];
    const double fb = f(b);
    if (std::isnan(fb)) { r.status = cell_status::not_finite; return r; }
    if (fb == 0.0) {
      if (zero_run < 0) zero_run = i;
    } else if (zero_run >= 0) {
      close_run(i - 1);
    } else if (prev != 0.0 && std::isfinite(prev) && std::isfinite(fb) &&
               ((prev < 0.0) != (fb < 0.0))) {
      auto g = [&](double d) { return f(evaluate(s.k, d)); };
      const root_result rr = find_root(g, a.delta, b.delta, prev, fb, opts);
      r.iterations += rr.iterations;
      if (rr.status != cell_status::ok) { r.status = rr.status; return r; }
      out.push(rr.x);
    }
    prev = fb;
  }
  if (zero_run >= 0) close_run(s.n - 1);
  if (out.overflow) r.status = cell_status::overflow;
  return r;
}

/// delta in [lo, hi] where the monotone function value(point) equals level; lo or hi when the
/// level lies beyond the values there. `increasing` is the direction of value on [lo, hi].
template <class V>
root_result level_crossing(const game_constants& k, V&& value, double level, double lo, double hi,
                           bool increasing, const solver_options& opts) noexcept {
  auto f = [&](double d) { return value(evaluate(k, d)) - level; };
  const double flo = f(lo), fhi = f(hi);
  root_result r;
  if (increasing ? flo >= 0.0 : flo <= 0.0) { r.x = lo; return r; }
  if (increasing ? fhi <= 0.0 : fhi >= 0.0) { r.x = hi; return r; }
  return find_root(f, lo, hi, flo, fhi, opts);
}

}  // namespace ftg::detail
