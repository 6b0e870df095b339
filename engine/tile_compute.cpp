#include "engine/tile_compute.hpp"

#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool failure(cell_status s) noexcept { return s != cell_status::ok && s != cell_status::disagreement; }

// Sets the parameter an axis names; false for an unknown name.
bool assign(const std::string& name, double v, game_params& g, double& beta) {
  if (name == "c0") g.c0 = v;
  else if (name == "c1") g.c1 = v;
  else if (name == "k0") g.k0 = v;
  else if (name == "k1") g.k1 = v;
  else if (name == "d0") g.d0 = v;
  else if (name == "d1") g.d1 = v;
  else if (name == "beta") beta = v;
  else return false;
  return true;
}

bool has_delta_axis(const sweep_request& req) { return !req.axes.empty() && req.axes.back().name == "delta"; }

method pick_method(const sweep_request& req, const game_params& g) {
  if (req.method == solve_choice::numeric) return method::numeric;
  if (req.method == solve_choice::closed_form) return method::closed_form;
  return is_quadratic(g) ? method::closed_form : method::numeric;
}

}  // namespace

std::uint64_t index_box::cells() const noexcept {
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < lo.size(); ++i) n *= hi[i] - lo[i];
  return n;
}

bool is_status(const std::string& field) {
  return field == "status" || (field.size() > 7 && field.compare(field.size() - 7, 7, "_status") == 0);
}

bool is_categorical(const std::string& field) { return field == "in_pareto" || is_status(field); }

std::vector<std::string> field_names(const sweep_request& req) {
  std::vector<std::string> names;
  if (has_delta_axis(req)) {
    if (req.alpha0) names.emplace_back("alpha0");
    if (req.alpha1) names.emplace_back("alpha1");
    if (req.u_g) names.emplace_back("u_g");
    if (req.u_d) names.emplace_back("u_d");
    if (req.pareto) names.emplace_back("in_pareto");
    names.emplace_back("status");
    return names;
  }
  for (solution s : req.solutions) {
    const std::string n(to_string(s));
    names.push_back(n + "_delta_star");
    names.push_back(n + "_u_g");
    names.push_back(n + "_u_d");
  }
  for (solution s : req.solutions) names.push_back(std::string(to_string(s)) + "_status");
  return names;
}

tile_result compute_tile(const sweep_request& req, const index_box& box) {
  const std::size_t na = req.axes.size();
  if (na == 0 || box.lo.size() != na || box.hi.size() != na)
    throw std::invalid_argument("compute_tile: the box does not match the axes");
  for (std::size_t i = 0; i < na; ++i)
    if (box.lo[i] >= box.hi[i] || box.hi[i] > req.axes[i].values.size())
      throw std::invalid_argument("compute_tile: an empty box or one beyond the axis " + req.axes[i].name);
  const bool per_delta = has_delta_axis(req);
  if (!per_delta && req.solutions.empty())
    throw std::invalid_argument("compute_tile: no delta axis and no solution requested");

  const std::uint64_t cells = box.cells();
  const std::vector<std::string> names = field_names(req);
  std::size_t n_numbers = 0, n_labels = 0;
  for (const std::string& n : names) (is_categorical(n) ? n_labels : n_numbers)++;
  tile_result out;
  out.numbers.assign(n_numbers, std::vector<double>(cells, nan_v));
  out.labels.assign(n_labels, std::vector<std::uint8_t>(cells, 0));

  // Odometer over the outer axes (all but delta in a per-delta sweep).
  const std::size_t outer = per_delta ? na - 1 : na;
  std::vector<std::uint64_t> idx(box.lo.begin(), box.lo.begin() + static_cast<std::ptrdiff_t>(outer));
  const std::uint64_t row = per_delta ? box.hi[na - 1] - box.lo[na - 1] : 1;
  std::uint64_t cell = 0;
  std::vector<cell_status> row_status;  // per-delta sweeps: the row kernel's statuses
  for (;;) {
    game_params g = req.fixed;
    double beta = req.beta;
    for (std::size_t i = 0; i < outer; ++i)
      if (!assign(req.axes[i].name, req.axes[i].values[idx[i]], g, beta))
        throw std::invalid_argument("compute_tile: unknown axis " + req.axes[i].name);

    if (per_delta) {
      // Once per row: the Pareto set depends on the outer parameters only.
      pareto_set ps;
      if (req.pareto) ps = pick_method(req, g) == method::closed_form ? pareto_closed_form(g) : pareto_numeric(g);
      const std::vector<double>& deltas = req.axes[na - 1].values;
      const std::span<const double> row_d(deltas.data() + box.lo[na - 1], row);
      row_status.resize(row);
      spe_row_out ro;
      std::size_t nf = 0;
      if (req.alpha0) ro.alpha0 = out.numbers[nf++].data() + cell;
      if (req.alpha1) ro.alpha1 = out.numbers[nf++].data() + cell;
      if (req.u_g) ro.u_g = out.numbers[nf++].data() + cell;
      if (req.u_d) ro.u_d = out.numbers[nf++].data() + cell;
      ro.status = row_status.data();
      // Bit for bit spe() per cell (no basis: kernels/spe.hpp), as tests/engine require.
      spe_row(g, row_d, ro);
      const bool pareto_failed = req.pareto && failure(ps.status);
      for (std::uint64_t j = 0; j < row; ++j, ++cell) {
        cell_status st = row_status[j];
        if (pareto_failed && st == cell_status::ok) {
          st = ps.status;
          for (std::size_t f = 0; f < nf; ++f) out.numbers[f][cell] = nan_v;
        }
        std::size_t l = 0;
        if (req.pareto) out.labels[l++][cell] = st == cell_status::ok && contains(ps, row_d[j]) ? 1 : 0;
        out.labels[l][cell] = static_cast<std::uint8_t>(st);
        out.cells_not_ok += failure(st);
      }
    } else {
      const game_solution gs = solve_game(g, beta, pick_method(req, g));
      bool bad = false;
      for (std::size_t k = 0; k < req.solutions.size(); ++k) {
        const bargain_result& r = gs[req.solutions[k]];
        if (r.status == cell_status::ok) {
          out.numbers[3 * k][cell] = r.delta;
          out.numbers[3 * k + 1][cell] = r.u_g;
          out.numbers[3 * k + 2][cell] = r.u_d;
        } else if (r.status == cell_status::disagreement) {
          out.numbers[3 * k + 1][cell] = r.u_g;  // the disagreement payoffs
          out.numbers[3 * k + 2][cell] = r.u_d;
        }
        out.labels[k][cell] = static_cast<std::uint8_t>(r.status);
        bad = bad || failure(r.status);
      }
      out.cells_not_ok += bad;
      ++cell;
    }

    // Next outer index (C order: the last outer axis moves fastest).
    std::size_t i = outer;
    while (i > 0) {
      --i;
      if (++idx[i] < box.hi[i]) break;
      idx[i] = box.lo[i];
      if (i == 0) return out;
    }
    if (outer == 0) return out;
  }
}

}  // namespace ftg
