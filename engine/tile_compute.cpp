#include "engine/tile_compute.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>

#include "kernels/bargaining.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"

namespace ftg {
namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view specialist_dim = "specialist";
constexpr std::string_view interval_dim = "interval";

bool failure(cell_status s) noexcept { return s != cell_status::ok && s != cell_status::disagreement; }

bool has_delta_axis(const sweep_request& req) { return !req.axes.empty() && req.axes.back().name == "delta"; }

// Sets the two-player parameter an axis names; false for an unknown name.
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

// Sets the multi-model parameter an axis names (values first, then scale factors: the caller
// applies the axes in two passes); false for an unknown name.
bool assign_multi(const std::string& name, double v, multi_game& g, bool scales) {
  auto each = [&](auto&& f) {
    for (int j = 0; j < g.classes; ++j) f(g.sp[static_cast<std::size_t>(j)]);
  };
  if (scales) {
    if (name == "scale_c1") each([&](specialist& s) { s.c *= v; });
    else if (name == "scale_f") each([&](specialist& s) { s.f *= v; });
    else if (name == "scale_m") each([&](specialist& s) { s.m *= v; });
    else if (name == "scale_s") each([&](specialist& s) { s.s *= v; });
    return true;
  }
  if (name == "c0") g.c0 = v;
  else if (name == "k0") g.k0 = v;
  else if (name == "d0") g.d0 = v;
  else if (name == "c1") each([&](specialist& s) { s.c = v; });
  else if (name == "k1") each([&](specialist& s) { s.k = v; });
  else if (name == "f") each([&](specialist& s) { s.f = v; });
  else if (name == "m") each([&](specialist& s) { s.m = v; });
  else if (name == "s") each([&](specialist& s) { s.s = v; });
  else if (name == "b") each([&](specialist& s) { s.b = v; });
  else if (name == "d1") each([&](specialist& s) { s.d = v; });
  else if (name == "n") each([&](specialist& s) { s.count *= static_cast<int>(v); });
  else if (!name.starts_with("scale_")) return false;
  return true;
}

// The two-player game (and beta) at an outer index: the fixed values, then the first n axes.
game_params game_at(const sweep_request& req, const std::vector<std::uint64_t>& idx, std::size_t n, double& beta) {
  game_params g = req.fixed;
  beta = req.beta;
  for (std::size_t i = 0; i < n; ++i)
    if (!assign(req.axes[i].name, req.axes[i].values[idx[i]], g, beta))
      throw std::invalid_argument("compute_tile: unknown axis " + req.axes[i].name);
  return g;
}

method pick_method(const sweep_request& req, const game_params& g) {
  if (req.method == solve_choice::numeric) return method::numeric;
  if (req.method == solve_choice::closed_form) return method::closed_form;
  return is_quadratic(g) ? method::closed_form : method::numeric;
}

int interval_capacity(const sweep_request& req) {
  return req.model == sweep_model::multi ? multi_pareto_set::capacity : pareto_set::capacity;
}

// The fields of a request with their extra dims (0 = specialist, 1 = interval before renumbering).
struct layout {
  std::vector<field_info> fields;
  bool uses_specialist = false, uses_interval = false;
};

layout make_layout(const sweep_request& req) {
  layout l;
  std::vector<field_info> numbers, labels;
  constexpr int spec_dim = 0, int_dim = 1;
  auto num = [&](std::string n, int extra = -1) { numbers.push_back({std::move(n), false, extra}); };
  auto lab = [&](std::string n, int extra = -1) { labels.push_back({std::move(n), true, extra}); };
  const bool multi = req.model == sweep_model::multi;
  if (has_delta_axis(req)) {
    if (req.alpha0) num("alpha0");
    if (!multi && req.alpha1) num("alpha1");
    if (req.u_g) num("u_g");
    if (!multi && req.u_d) num("u_d");
    if (multi) {
      if (req.alpha_i) num("alpha_i", spec_dim);
      if (req.u_i) num("u_i", spec_dim);
      if (req.participants) num("participants");
      if (req.total_performance) num("total_performance");
      if (req.regime) lab("regime", spec_dim);
      if (req.table2) lab("table2", spec_dim);
    }
    if (req.pareto) lab("in_pareto");
    lab("status");
  } else if (multi) {
    for (multi_solution s : req.multi_solutions) {
      const std::string n(to_string(s));
      const int e = s == multi_solution::powerful_d ? spec_dim : -1;
      num(n + "_delta_star", e);
      num(n + "_u_g", e);
      num(n + "_total_performance", e);
      num(n + "_u_i", spec_dim);
      lab(n + "_status", e);
    }
  } else {
    for (solution s : req.solutions) {
      const std::string n(to_string(s));
      num(n + "_delta_star");
      num(n + "_u_g");
      num(n + "_u_d");
      lab(n + "_status");
    }
  }
  if (!has_delta_axis(req) && req.pareto_set) {
    num("pareto_count");
    num("pareto_lo", int_dim);
    num("pareto_hi", int_dim);
    lab("pareto_status");
  }
  for (const auto* v : {&numbers, &labels})
    for (const field_info& f : *v) {
      l.uses_specialist = l.uses_specialist || f.extra == spec_dim;
      l.uses_interval = l.uses_interval || f.extra == int_dim;
    }
  // Renumber the extra dims to indices into extra_dims(): specialist first when used.
  for (auto* v : {&numbers, &labels})
    for (field_info& f : *v)
      if (f.extra == int_dim && !l.uses_specialist) f.extra = 0;
  l.fields = std::move(numbers);
  l.fields.insert(l.fields.end(), labels.begin(), labels.end());
  return l;
}

std::size_t extent_of(const field_info& f, const std::vector<extra_dim>& dims) {
  return f.extra < 0 ? 1 : dims[static_cast<std::size_t>(f.extra)].values.size();
}

// Writes one Pareto set (intervals) into the per-point fields at `cell`.
template <class Intervals>
void put_pareto(tile_result& out, std::size_t num, std::size_t lab, std::uint64_t cell, std::size_t cap,
                const Intervals& iv, int count, cell_status st) {
  out.labels[lab][cell] = static_cast<std::uint8_t>(st);
  if (failure(st)) return;
  out.numbers[num][cell] = count;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count) && i < cap; ++i) {
    out.numbers[num + 1][cell * cap + i] = iv[i].lo;
    out.numbers[num + 2][cell * cap + i] = iv[i].hi;
  }
}

// The odometer over the outer axes of a box (all but delta in a per-delta sweep).
class outer_cells {
 public:
  outer_cells(const index_box& box, std::size_t outer) : box_(box), idx_(box.lo.begin(), box.lo.begin() + static_cast<std::ptrdiff_t>(outer)) {}
  const std::vector<std::uint64_t>& index() const noexcept { return idx_; }
  bool next() noexcept {
    for (std::size_t i = idx_.size(); i-- > 0;) {
      if (++idx_[i] < box_.hi[i]) return true;
      idx_[i] = box_.lo[i];
    }
    return false;
  }

 private:
  const index_box& box_;
  std::vector<std::uint64_t> idx_;
};

// Per-point sweeps that ask only for solutions bargain_numeric_batch takes (Nash, generalized
// Nash, vertical monopoly), without the Pareto set and not forced to closed forms: point_batch
// solves them one solution at a time instead of every solution and the set per game.
bool batch_per_point(const sweep_request& req) {
  if (has_delta_axis(req) || req.pareto_set || req.solutions.empty()) return false;
  if (req.method == solve_choice::closed_form) return false;
  for (solution s : req.solutions)
    if (s != solution::nash && s != solution::generalized_nash && s != solution::vertical_monopoly) return false;
  return true;
}

// Writes solution k's delta*, UG and UD (the disagreement payoffs when there is no agreement) and
// its status at `cell`; returns whether the status is a failure.
bool put_solution(tile_result& out, std::size_t k, std::uint64_t cell, const bargain_result& r) {
  if (r.status == cell_status::ok) {
    out.numbers[3 * k][cell] = r.delta;
    out.numbers[3 * k + 1][cell] = r.u_g;
    out.numbers[3 * k + 2][cell] = r.u_d;
  } else if (r.status == cell_status::disagreement) {
    out.numbers[3 * k + 1][cell] = r.u_g;  // the disagreement payoffs
    out.numbers[3 * k + 2][cell] = r.u_d;
  }
  out.labels[k][cell] = static_cast<std::uint8_t>(r.status);
  return failure(r.status);
}

// Writes one point's solutions (and the Pareto set when asked) into the per-point fields; returns
// whether any of them is a failure.
bool put_point(const sweep_request& req, std::size_t cap, std::uint64_t cell, const game_solution& gs,
               tile_result& out) {
  bool bad = false;
  const std::size_t ns = req.solutions.size();
  for (std::size_t k = 0; k < ns; ++k) bad = put_solution(out, k, cell, gs[req.solutions[k]]) || bad;
  if (req.pareto_set) {
    put_pareto(out, 3 * ns, ns, cell, cap, gs.pareto.intervals, gs.pareto.count, gs.pareto.status);
    bad = bad || failure(gs.pareto.status);
  }
  return bad;
}

// Per-point games of a tile, solved in groups of up to 256 (about 135 KB of game_solutions),
// batched per beta and method (kernels/bargaining.hpp): closed-form games (k0 = k1 = 2 under auto
// or closed_form) by solve_game_closed_form_batch, bit for bit solve_game; numeric games by
// solve_game_numeric_batch, which matches solve_game to about 1e-14, eight at a time in AVX-512
// or AVX2 lanes. A sweep that asks only for Nash, generalized Nash and vertical monopoly (no Pareto set)
// solves its numeric games per solution by bargain_numeric_batch instead, skipping the others.
// Which path a game takes depends on that game alone, so cells are the same for any tile size,
// thread count or shard.
class point_batch {
 public:
  static constexpr std::size_t capacity = 256;
  point_batch(const sweep_request& req, std::size_t cap) : req_(req), cap_(cap), per_solution_(batch_per_point(req)) {}
  void add(const game_params& g, double beta, std::uint64_t cell) {
    games_.push_back(g);
    betas_.push_back(beta);
    cells_.push_back(cell);
    closed_.push_back(pick_method(req_, g) == method::closed_form);
  }
  bool full() const noexcept { return games_.size() >= capacity; }
  void flush(tile_result& out) {
    const std::size_t n = games_.size();
    done_.assign(n, 0);
    bad_.assign(n, 0);
    for (std::size_t first = 0; first < n; ++first) {
      if (done_[first]) continue;
      for (const bool closed : {true, false}) {  // the games of this beta and method
        idx_.clear();
        sub_.clear();
        for (std::size_t i = first; i < n; ++i)
          if (!done_[i] && closed_[i] == closed && betas_[i] == betas_[first]) {
            idx_.push_back(i);
            sub_.push_back(games_[i]);
            done_[i] = 1;
          }
        if (!idx_.empty()) solve_group(closed, betas_[first], out);
      }
    }
    for (std::size_t i = 0; i < n; ++i) out.cells_not_ok += bad_[i];
    games_.clear();
    betas_.clear();
    cells_.clear();
    closed_.clear();
  }

 private:
  void solve_group(bool closed, double beta, tile_result& out) {
    const std::size_t ns = req_.solutions.size();
    if (per_solution_) {
      res_.resize(sub_.size());
      for (std::size_t k = 0; k < ns; ++k) {
        const solution s = req_.solutions[k];
        if (closed)
          for (std::size_t j = 0; j < sub_.size(); ++j) res_[j] = bargain_closed_form(s, sub_[j], beta);
        else
          bargain_numeric_batch(s, sub_, beta, res_);
        for (std::size_t j = 0; j < sub_.size(); ++j)
          if (put_solution(out, k, cells_[idx_[j]], res_[j])) bad_[idx_[j]] = 1;
      }
      return;
    }
    sol_.resize(sub_.size());
    if (closed) solve_game_closed_form_batch(sub_, beta, sol_);
    else solve_game_numeric_batch(sub_, beta, sol_);
    for (std::size_t j = 0; j < sub_.size(); ++j)
      if (put_point(req_, cap_, cells_[idx_[j]], sol_[j], out)) bad_[idx_[j]] = 1;
  }

  const sweep_request& req_;
  std::size_t cap_;
  bool per_solution_;
  std::vector<game_params> games_, sub_;
  std::vector<double> betas_;
  std::vector<std::uint64_t> cells_;
  std::vector<char> closed_, done_, bad_;
  std::vector<std::size_t> idx_;     // the group's games, as indices into games_
  std::vector<bargain_result> res_;  // per solution
  std::vector<game_solution> sol_;
};

// The per-delta rows of a two-player tile, computed a group at a time by spe_rows (kernels/spe.hpp):
// rows with the same k0, k1 share one basis and are computed chunk by chunk across the group, so
// a chunk of the deltas and of the basis is read from L1 for every row (general k: about 25%
// faster than row by row in 65-row tiles). Every cell is what spe_row gives the row alone, so
// results do not depend on the grouping, the tile size or the thread count.
class delta_rows {
 public:
  static constexpr std::size_t group = 64;  // rows per spe_rows call

  delta_rows(const sweep_request& req, const index_box& box, tile_result& out)
      : req_(req), out_(out), w_(out.row_work), row_(box.hi[req.axes.size() - 1] - box.lo[req.axes.size() - 1]),
        row_d_(req.axes.back().values.data() + box.lo[req.axes.size() - 1], row_) {
    // The working storage of the recycled buffers: no allocation once a buffer has seen a tile.
    if (w_.rows.size() < group) w_.rows.resize(group);
    w_.games.clear();
    w_.outs.clear();
    w_.games.reserve(group);
    w_.outs.reserve(group);
  }

  void add(const game_params& g, std::uint64_t cell) {
    if (used_ != 0 && (g.k0 != w_.games.front().k0 || g.k1 != w_.games.front().k1)) flush();
    // Pareto membership: for general k where both utilities are unimodal (k0, k1 >= 2, d0, d1
    // >= 0) the row kernel decides it per cell from the signs of UG' and UD' (kernels/spe.hpp,
    // spe_row's item 5), no set needed (the numeric set cost about 0.7 us a row, 40% of a
    // general-k heatmap). At k0 = k1 = 2 (the closed-form set, Props. 3.2-3.3, is cheaper than
    // the test) and where the test does not apply, once per row from the set, which depends on
    // the outer parameters only.
    const bool quadratic = g.k0 == 2.0 && g.k1 == 2.0;
    // A slot of the group, each field assigned (its pareto_set, 150 bytes, only when used: zeroing
    // or copying it for every row showed in profiles).
    tile_result::row_scratch::row& r = w_.rows[used_++];
    r.cell = cell;
    r.by_slopes = req_.pareto && !quadratic && spe_row_pareto_applies(g);
    if (req_.pareto && !r.by_slopes)
      r.ps = pick_method(req_, g) == method::closed_form ? pareto_closed_form(g) : pareto_numeric(g);
    spe_row_out ro;
    std::size_t nf = 0;
    if (req_.alpha0) ro.alpha0 = out_.numbers[nf++].data() + cell;
    if (req_.alpha1) ro.alpha1 = out_.numbers[nf++].data() + cell;
    if (req_.u_g) ro.u_g = out_.numbers[nf++].data() + cell;
    if (req_.u_d) ro.u_d = out_.numbers[nf++].data() + cell;
    // No statuses from the kernel: its summary counts the cells that are not ok, and only a row
    // that has some (rare) is computed again with them (finish), which spares every usual row a
    // byte store per cell into a scratch array.
    if (r.by_slopes) ro.in_pareto = out_.labels[0].data() + cell;
    w_.games.push_back(g);
    w_.outs.push_back(ro);
    if (used_ == group) flush();
  }

  void flush() {
    if (used_ == 0) return;
    const game_params& g = w_.games.front();
    // The basis path: bit for bit spe() at k = 2 (linear factors), within kernels/spe.hpp's
    // documented bound of spe() otherwise (tests/engine/test_tile_compute.cpp). At k0 = k1 = 2
    // spe_row uses neither power (linear factors), so no basis is filled: that was 2 pow per
    // column per tile, 10% of a k = 2 heatmap's time (issue 6). The basis lives in
    // out.row_cache, so a run that recycles tile buffers keeps it from tile to tile (refilling it
    // cost 2 pow per column per tile, ~15% of a general-k heatmap); it is refilled whenever k0,
    // k1 or the row's delta values differ, so results never depend on it.
    const bool quadratic = g.k0 == 2.0 && g.k1 == 2.0;
    spe_row_basis basis{};
    if (!quadratic) {
      tile_result::basis_cache& bc = out_.row_cache;
      if (!(bc.k0 == g.k0 && bc.k1 == g.k1 && std::ranges::equal(bc.deltas, row_d_))) {
        bc.deltas.assign(row_d_.begin(), row_d_.end());
        bc.pow0.resize(row_);
        bc.pow1.resize(row_);
        const spe_row_basis filled = spe_row_basis_fill(g.k0, g.k1, row_d_, bc.pow0, bc.pow1);
        bc.k0 = filled.k0;  // 0 when the fill refused (then spe_row takes its exact path)
        bc.k1 = filled.k1;
      }
      basis = spe_row_basis{bc.k0, bc.k1, bc.pow0, bc.pow1};
    }
    w_.sums.assign(used_, spe_row_summary{});
    spe_rows(w_.games, row_d_, w_.outs, w_.sums, quadratic ? nullptr : &basis);
    for (std::size_t i = 0; i < used_; ++i) {
      const cell_status* row_status = nullptr;
      if (w_.sums[i].not_ok != 0) {  // the same row again, with its statuses (spe_row: the same cells)
        spe_row_out ro = w_.outs[i];
        w_.status.resize(row_);
        ro.status = w_.status.data();
        spe_row(w_.games[i], row_d_, ro, quadratic ? nullptr : &basis);
        row_status = w_.status.data();
      }
      finish(w_.rows[i], w_.sums[i], row_status);
    }
    used_ = 0;
    w_.games.clear();
    w_.outs.clear();
  }

 private:
  // Statuses and, where the slope test did not apply, Pareto membership from the row's set.
  // row_status: the row's statuses, or null when every cell is ok (sum.not_ok == 0).
  void finish(const tile_result::row_scratch::row& r, const spe_row_summary& sum, const cell_status* row_status) {
    if (sum.in_pareto != r.by_slopes) throw std::logic_error("compute_tile: spe_row and spe_row_pareto_applies disagree");
    const std::uint64_t row = row_, cell = r.cell;
    if (req_.pareto && !r.by_slopes && failure(r.ps.status)) {
      std::size_t nf = static_cast<std::size_t>(req_.alpha0) + req_.alpha1 + req_.u_g + req_.u_d;
      for (std::uint64_t j = 0; j < row; ++j) {
        cell_status st = row_status ? row_status[j] : cell_status::ok;
        if (st == cell_status::ok) {
          st = r.ps.status;
          for (std::size_t f = 0; f < nf; ++f) out_.numbers[f][cell + j] = nan_v;
        }
        out_.labels[0][cell + j] = 0;
        out_.labels[1][cell + j] = static_cast<std::uint8_t>(st);
        out_.cells_not_ok += failure(st);
      }
      return;
    }
    // Statuses: the row kernel counts the cells that are not ok; when there are none (the usual
    // row) the codes are one memset (ok is code 0), else a byte copy (cell_status is one byte)
    // and a count of the failures.
    std::uint8_t* codes = out_.labels[req_.pareto ? 1 : 0].data() + cell;
    const bool any_not_ok = sum.not_ok != 0;
    if (!any_not_ok) {
      std::memset(codes, 0, row);
    } else {
      std::memcpy(codes, row_status, row);
      for (std::uint64_t j = 0; j < row; ++j) out_.cells_not_ok += failure(row_status[j]);
    }
    if (!req_.pareto || r.by_slopes) return;
    // Membership as contains(ps, delta): closed intervals, no tolerance, ok cells only.
    std::uint8_t* in = out_.labels[0].data() + cell;
    std::memset(in, 0, row);
    const double* d = row_d_.data();
    for (int i = 0; i < r.ps.count; ++i) {
      const double lo = r.ps.intervals[static_cast<std::size_t>(i)].lo;
      const double hi = r.ps.intervals[static_cast<std::size_t>(i)].hi;
      if (deltas_sorted()) {  // the usual linspace: an index range, found by bisection
        const double* first = std::lower_bound(d, d + row, lo);
        const double* last = std::upper_bound(first, d + row, hi);
        if (first < last) std::memset(in + (first - d), 1, static_cast<std::size_t>(last - first));
      } else {
        for (std::uint64_t j = 0; j < row; ++j) in[j] |= static_cast<std::uint8_t>((d[j] >= lo) & (d[j] <= hi));
      }
    }
    if (any_not_ok)
      for (std::uint64_t j = 0; j < row; ++j) in[j] &= static_cast<std::uint8_t>(codes[j] == 0);
  }

  // Ascending deltas (every linspace): Pareto membership from a set becomes an index range per
  // interval. Checked on first use only (a scan of the row, 7% of a k = 2 heatmap of small tiles
  // when it ran for every tile).
  bool deltas_sorted() {
    if (sorted_ < 0) sorted_ = std::is_sorted(row_d_.begin(), row_d_.end()) ? 1 : 0;
    return sorted_ != 0;
  }

  const sweep_request& req_;
  tile_result& out_;
  tile_result::row_scratch& w_;
  std::uint64_t row_;
  std::span<const double> row_d_;
  std::size_t used_ = 0;  // rows of the group in w_.rows
  int sorted_ = -1;       // deltas_sorted(): -1 not checked yet
};

void compute_two_player(const sweep_request& req, const index_box& box, tile_result& out) {
  const std::size_t na = req.axes.size();
  const bool per_delta = has_delta_axis(req);
  const std::size_t outer = per_delta ? na - 1 : na;
  const std::uint64_t row = per_delta ? box.hi[na - 1] - box.lo[na - 1] : 1;
  outer_cells oc(box, outer);
  std::uint64_t cell = 0;
  if (per_delta) {
    delta_rows rows(req, box, out);
    do {
      double beta = 0.0;
      rows.add(game_at(req, oc.index(), outer, beta), cell);
      cell += row;
    } while (outer > 0 && oc.next());
    rows.flush();
    return;
  }
  point_batch pending(req, static_cast<std::size_t>(interval_capacity(req)));
  do {
    double beta = 0.0;
    const game_params g = game_at(req, oc.index(), outer, beta);
    pending.add(g, beta, cell++);
    if (pending.full()) pending.flush(out);
  } while (outer > 0 && oc.next());
  pending.flush(out);
}

// The multi game at an outer index: the population, then the value axes, then the scale axes.
multi_game multi_at(const sweep_request& req, const std::vector<std::uint64_t>& idx, std::size_t outer) {
  multi_game g = req.population;
  for (const bool scales : {false, true})
    for (std::size_t i = 0; i < outer; ++i)
      if (!assign_multi(req.axes[i].name, req.axes[i].values[idx[i]], g, scales))
        throw std::invalid_argument("compute_tile: unknown axis " + req.axes[i].name);
  return g;
}

bool in_multi_pareto(const multi_pareto_set& ps, double delta) noexcept {
  for (int i = 0; i < ps.count; ++i)
    if (delta >= ps.intervals[static_cast<std::size_t>(i)].lo && delta <= ps.intervals[static_cast<std::size_t>(i)].hi)
      return true;
  return false;
}

void compute_multi(const sweep_request& req, const index_box& box, tile_result& out) {
  const std::size_t na = req.axes.size();
  const bool per_delta = has_delta_axis(req);
  const std::size_t outer = per_delta ? na - 1 : na;
  const std::uint64_t row = per_delta ? box.hi[na - 1] - box.lo[na - 1] : 1;
  const auto nc = static_cast<std::size_t>(req.population.classes);
  const std::size_t cap = static_cast<std::size_t>(interval_capacity(req));
  outer_cells oc(box, outer);
  std::uint64_t cell = 0;
  do {
    const multi_game g = multi_at(req, oc.index(), outer);
    if (per_delta) {
      // Once per row: the Pareto set depends on the outer parameters only.
      multi_pareto_set ps;
      if (req.pareto) ps = solve_multi(g).pareto;
      const std::vector<double>& deltas = req.axes[na - 1].values;
      for (std::uint64_t j = 0; j < row; ++j, ++cell) {
        const double delta = deltas[box.lo[na - 1] + j];
        const multi_spe_result r = multi_spe(g, delta);
        cell_status st = r.status;
        if (req.pareto && failure(ps.status) && st == cell_status::ok) st = ps.status;
        std::size_t f = 0;
        if (st == cell_status::ok) {
          if (req.alpha0) out.numbers[f++][cell] = r.alpha0;
          if (req.u_g) out.numbers[f++][cell] = r.u_g;
          if (req.alpha_i) {
            for (std::size_t c = 0; c < nc; ++c) out.numbers[f][cell * nc + c] = r.sp[c].alpha;
            ++f;
          }
          if (req.u_i) {
            for (std::size_t c = 0; c < nc; ++c) out.numbers[f][cell * nc + c] = r.sp[c].u;
            ++f;
          }
          if (req.participants) {
            int n = 0;
            for (std::size_t c = 0; c < nc; ++c) n += r.sp[c].reg != regime::abstainer ? g.sp[c].count : 0;
            out.numbers[f++][cell] = n;
          }
          if (req.total_performance) out.numbers[f++][cell] = r.total_performance;
        }
        std::size_t l = 0;
        if (req.regime) {
          for (std::size_t c = 0; c < nc; ++c)
            out.labels[l][cell * nc + c] = st == cell_status::ok ? static_cast<std::uint8_t>(r.sp[c].reg) : std::uint8_t{255};
          ++l;
        }
        if (req.table2) {
          // Table 2 at the equilibrium: the conditions at alpha_i = alpha0 (Theorem 5.2).
          for (std::size_t c = 0; c < nc; ++c) {
            std::uint8_t code = 255;
            if (st == cell_status::ok) {
              const regime_analysis a = analyse_regime(g.sp[c], r.alpha0, delta);
              if (a.status == cell_status::ok) code = static_cast<std::uint8_t>(a.predicted);
            }
            out.labels[l][cell * nc + c] = code;
          }
          ++l;
        }
        if (req.pareto) out.labels[l++][cell] = st == cell_status::ok && in_multi_pareto(ps, delta) ? 1 : 0;
        out.labels[l][cell] = static_cast<std::uint8_t>(st);
        out.cells_not_ok += failure(st);
      }
    } else {
      const bool closed = req.method == solve_choice::closed_form;
      multi_solutions ms{};
      const bool need_numeric = !closed || req.pareto_set;
      if (need_numeric) ms = solve_multi(g);
      bool bad = false;
      std::size_t f = 0, l = 0;
      auto put = [&](const multi_bargain_result& r, std::size_t slot, std::size_t width, std::size_t target) {
        // slot: index within the extra dim (0 when the field has none); width: extent.
        const std::size_t at = cell * width + slot;
        out.labels[l][at] = static_cast<std::uint8_t>(r.status);
        bad = bad || failure(r.status);
        if (r.status == cell_status::ok) {
          out.numbers[f][at] = r.delta;
          out.numbers[f + 1][at] = r.spe.u_g;
          out.numbers[f + 2][at] = r.spe.total_performance;
        } else if (r.status == cell_status::disagreement) {
          out.numbers[f + 1][at] = g.d0;
        }
        if (r.status == cell_status::ok || r.status == cell_status::disagreement) {
          if (target < nc) {
            out.numbers[f + 3][at] = r.status == cell_status::ok ? r.spe.sp[target].u : g.sp[target].d;
          } else {
            for (std::size_t c = 0; c < nc; ++c)
              out.numbers[f + 3][cell * nc + c] = r.status == cell_status::ok ? r.spe.sp[c].u : g.sp[c].d;
          }
        }
      };
      for (multi_solution s : req.multi_solutions) {
        if (s == multi_solution::powerful_d) {
          for (std::size_t c = 0; c < nc; ++c)
            put(closed ? multi_bargain_closed_form(s, g, static_cast<int>(c)) : ms.powerful_d[c], c, nc, c);
        } else {
          const multi_bargain_result* r = nullptr;
          multi_bargain_result cf;
          if (closed) {
            cf = multi_bargain_closed_form(s, g);
            r = &cf;
          } else {
            switch (s) {
              case multi_solution::powerful_g: r = &ms.powerful_g; break;
              case multi_solution::max_performance: r = &ms.max_performance; break;
              case multi_solution::vertical_monopoly: r = &ms.vertical_monopoly; break;
              case multi_solution::egalitarian: r = &ms.egalitarian; break;
              case multi_solution::nash: r = &ms.nash; break;
              case multi_solution::kalai_smorodinsky: r = &ms.kalai_smorodinsky; break;
              case multi_solution::powerful_d: break;
            }
          }
          put(*r, 0, 1, nc);
        }
        f += 4;
        ++l;
      }
      if (req.pareto_set) {
        put_pareto(out, f, l, cell, cap, ms.pareto.intervals, ms.pareto.count, ms.pareto.status);
        bad = bad || failure(ms.pareto.status);
      }
      out.cells_not_ok += bad;
      ++cell;
    }
  } while (outer > 0 && oc.next());
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

bool is_categorical(const std::string& field) {
  return field == "in_pareto" || field == "regime" || field == "table2" || is_status(field);
}

// The extra dims of a layout (extra_dims without building the layout again).
std::vector<extra_dim> extra_dims_of(const sweep_request& req, const layout& l) {
  std::vector<extra_dim> dims;
  if (l.uses_specialist) {
    extra_dim d{std::string(specialist_dim), {}};
    for (int j = 1; j <= req.population.classes; ++j) d.values.push_back(j);
    dims.push_back(std::move(d));
  }
  if (l.uses_interval) {
    extra_dim d{std::string(interval_dim), {}};
    for (int j = 0; j < interval_capacity(req); ++j) d.values.push_back(j);
    dims.push_back(std::move(d));
  }
  return dims;
}

std::vector<extra_dim> extra_dims(const sweep_request& req) { return extra_dims_of(req, make_layout(req)); }

std::vector<field_info> fields_of(const sweep_request& req) { return make_layout(req).fields; }

std::vector<std::string> field_names(const sweep_request& req) {
  std::vector<std::string> names;
  for (const field_info& f : fields_of(req)) names.push_back(f.name);
  return names;
}

void reserve_tile(const sweep_request& req, std::uint64_t cells, tile_result& out) {
  const layout l = make_layout(req);
  const std::vector<extra_dim> dims = extra_dims_of(req, l);
  std::size_t nn = 0, nl = 0;
  for (const field_info& f : l.fields) {
    const std::size_t n = static_cast<std::size_t>(cells) * extent_of(f, dims);
    if (f.categorical) {
      if (out.labels.size() <= nl) out.labels.resize(nl + 1);
      out.labels[nl++].reserve(n);
    } else {
      if (out.numbers.size() <= nn) out.numbers.resize(nn + 1);
      out.numbers[nn++].reserve(n);
    }
  }
}

void compute_tile(const sweep_request& req, const index_box& box, tile_result& out) {
  const std::size_t na = req.axes.size();
  if (na == 0 || box.lo.size() != na || box.hi.size() != na)
    throw std::invalid_argument("compute_tile: the box does not match the axes");
  for (std::size_t i = 0; i < na; ++i)
    if (box.lo[i] >= box.hi[i] || box.hi[i] > req.axes[i].values.size())
      throw std::invalid_argument("compute_tile: an empty box or one beyond the axis " + req.axes[i].name);
  const bool per_delta = has_delta_axis(req);
  if (!per_delta && req.solutions.empty() && req.multi_solutions.empty() && !req.pareto_set)
    throw std::invalid_argument("compute_tile: no delta axis and no per-point result requested");
  if (req.model == sweep_model::multi && validate(req.population) != cell_status::ok)
    throw std::invalid_argument("compute_tile: the population is not valid");

  const std::uint64_t cells = box.cells();
  // The two-player per-delta path writes every cell of every field (spe_row writes NaN itself),
  // so a reused buffer is only resized: no fill, no page faults (issue 6). Its fields have no
  // extra dim: the requested ones of alpha0, alpha1, u_g, u_d, then in_pareto when requested and
  // the statuses (fields_of's order, which delta_rows writes; a test checks every combination).
  // Sized without building fields_of's list, which cost about 5% of a k = 2 heatmap of small tiles.
  if (req.model == sweep_model::two_player && per_delta) {
    out.numbers.resize(static_cast<std::size_t>(req.alpha0) + req.alpha1 + req.u_g + req.u_d);
    out.labels.resize(req.pareto ? 2 : 1);
    for (field_buffer& v : out.numbers) v.resize(cells);
    for (std::vector<std::uint8_t>& v : out.labels) v.resize(cells);
    out.cells_not_ok = 0;
    compute_two_player(req, box, out);
    return;
  }
  // Other paths fill first. The layout is built once a tile (its field names are strings: about
  // 2 us for the seven solutions), not once for the dims and again for the fields.
  const layout l = make_layout(req);
  const std::vector<extra_dim> dims = extra_dims_of(req, l);
  const std::vector<field_info>& fields = l.fields;
  std::size_t nn = 0, nl = 0;
  for (const field_info& f : fields) (f.categorical ? nl : nn)++;
  out.numbers.resize(nn);
  out.labels.resize(nl);
  out.cells_not_ok = 0;
  nn = nl = 0;
  for (const field_info& f : fields) {
    const std::size_t n = static_cast<std::size_t>(cells) * extent_of(f, dims);
    if (f.categorical)
      out.labels[nl++].assign(n, f.name == "regime" || f.name == "table2" ? std::uint8_t{255} : std::uint8_t{0});
    else
      out.numbers[nn++].assign(n, nan_v);
  }
  if (req.model == sweep_model::multi)
    compute_multi(req, box, out);
  else
    compute_two_player(req, box, out);
}

tile_result compute_tile(const sweep_request& req, const index_box& box) {
  tile_result out;
  compute_tile(req, box, out);
  return out;
}

}  // namespace ftg
