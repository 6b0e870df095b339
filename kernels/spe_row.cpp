// The heatmap row kernel of kernels/spe.hpp (spe_row): spe() at every delta of a row, with the
// game-only factors hoisted. See the header for the error bound against spe().
#include <cmath>
#include <cstddef>
#include <limits>

#include "kernels/detail/two_player.hpp"
#include "kernels/spe.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double dbl_min = std::numeric_limits<double>::min();

void write_cell(const spe_row_out& out, std::size_t j, const spe_result& r) noexcept {
  if (out.alpha0) out.alpha0[j] = r.alpha0;
  if (out.alpha1) out.alpha1[j] = r.alpha1;
  if (out.u_g) out.u_g[j] = r.u_g;
  if (out.u_d) out.u_d[j] = r.u_d;
  if (out.status) out.status[j] = r.status;
}

// Every cell by spe() itself: the reference path, used for invalid games and as the fallback.
void row_by_spe(const game_params& g, std::span<const double> deltas, const spe_row_out& out) noexcept {
  for (std::size_t j = 0; j < deltas.size(); ++j) write_cell(out, j, spe(g, deltas[j]));
}

}  // namespace

spe_row_basis spe_row_basis_fill(double k0, double k1, std::span<const double> deltas,
                                 std::span<double> pow0, std::span<double> pow1) noexcept {
  spe_row_basis b;
  if (!(k0 > 1.0) || !(k1 > 1.0) || !std::isfinite(k0) || !std::isfinite(k1) ||
      pow0.size() != deltas.size() || pow1.size() != deltas.size())
    return b;
  const double p0 = 1.0 / (k0 - 1.0), p1 = 1.0 / (k1 - 1.0);
  for (std::size_t j = 0; j < deltas.size(); ++j) {
    pow0[j] = std::pow(deltas[j], p0);  // NaN for a delta outside [0, 1]: such cells fall back
    pow1[j] = std::pow(1.0 - deltas[j], p1);
  }
  b.k0 = k0;
  b.k1 = k1;
  b.pow0 = pow0;
  b.pow1 = pow1;
  return b;
}

void spe_row(const game_params& game, std::span<const double> deltas, const spe_row_out& out,
             const spe_row_basis* basis) noexcept {
  const std::size_t n = deltas.size();
  if (validate(game) != cell_status::ok) return row_by_spe(game, deltas, out);
  const detail::game_constants k = detail::make_constants(game);
  // p == 1 (k == 2): the factor is linear, (a delta)^1 == a * delta exactly, as in spe().
  const bool lin0 = k.p0 == 1.0, lin1 = k.p1 == 1.0;
  const bool use_basis = basis != nullptr && basis->k0 == game.k0 && basis->k1 == game.k1 &&
                         basis->pow0.size() == n && basis->pow1.size() == n;
  // Hoisted game factors a^p; outside the normal range the separated product loses the bound.
  const double A0 = lin0 || !use_basis ? k.a0 : std::pow(k.a0, k.p0);
  const double A1 = lin1 || !use_basis ? k.a1 : std::pow(k.a1, k.p1);
  if (use_basis && !(std::isnormal(A0) && std::isnormal(A1))) return row_by_spe(game, deltas, out);

  for (std::size_t j = 0; j < n; ++j) {
    const double delta = deltas[j];
    const double rest = 1.0 - delta;
    // Without a basis: spe()'s own pow((a delta), p), bit for bit. With a basis: the separated
    // product A * delta^p (the header's bound). The factor f only guards the separated product.
    double alpha0, b, f0 = 1.0, f1 = 1.0;
    if (lin0) alpha0 = k.a0 * delta;
    else if (use_basis) alpha0 = A0 * (f0 = basis->pow0[j]);
    else alpha0 = std::pow(k.a0 * delta, k.p0);
    if (lin1) b = k.a1 * rest;
    else if (use_basis) b = A1 * (f1 = basis->pow1[j]);
    else b = std::pow(k.a1 * rest, k.p1);
    const double alpha1 = alpha0 + b;
    // Same expressions as detail::evaluate (spe()), so that p == 1 is bit-for-bit.
    const double u_g = delta * (alpha1 - alpha0 / k.k0);
    const double u_d = rest * (alpha1 - b / k.k1);
    // Reference path where the fast one cannot keep its bound: delta outside [0, 1] (or NaN), a
    // subnormal per-delta factor (its relative precision is lost), or a non-finite result.
    const bool in_range = delta >= 0.0 && delta <= 1.0;
    // An exact 0 is legitimate only at the matching end (delta = 0 for f0, delta = 1 for f1).
    const bool ok0 = !use_basis || lin0 || f0 >= dbl_min || (f0 == 0.0 && delta == 0.0);
    const bool ok1 = !use_basis || lin1 || f1 >= dbl_min || (f1 == 0.0 && rest == 0.0);
    const bool factors_ok = ok0 && ok1;
    if (!in_range || !factors_ok || !finite_all(alpha0, alpha1, u_g, u_d)) {
      write_cell(out, j, spe(game, delta));
      continue;
    }
    if (out.alpha0) out.alpha0[j] = alpha0;
    if (out.alpha1) out.alpha1[j] = alpha1;
    if (out.u_g) out.u_g[j] = u_g;
    if (out.u_d) out.u_d[j] = u_d;
    if (out.status) out.status[j] = cell_status::ok;
  }
}

}  // namespace ftg
