// engine/tile_compute.hpp: a tile's fields equal the kernels cell by cell (Theorem 3.1 via spe(),
// bit for bit at k = 2 and within kernels/spe.hpp's documented bound of the hoisted powers otherwise;
// Theorem 2.1 via the Pareto kernels, the solutions via solve_game), any split of the grid into
// tiles gives the same numbers, and NaN appears only in cells whose status says why.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/tile_compute.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"
#include "tests/support/close.hpp"

using namespace ftg;

namespace {

sweep_request per_delta_request() {
  sweep_request r;
  r.axes = {{"c1", {0.25, 0.5, 1.0, 2.0, 4.0}}, {"k1", {1.5, 2.0, 3.0}}, {"delta", {0.0, 0.1, 0.35, 0.5, 0.8, 1.0}}};
  r.fixed = game_params{1.0, 1.0, 2.0, 2.0, 0.0, 0.0};
  r.alpha0 = r.alpha1 = r.u_g = r.u_d = r.pareto = true;
  return r;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("per-delta tile: every field equals spe() and the Pareto kernels at that cell") {
  const sweep_request req = per_delta_request();
  CHECK(field_names(req) == std::vector<std::string>{"alpha0", "alpha1", "u_g", "u_d", "in_pareto", "status"});
  const index_box all{{0, 0, 0}, {5, 3, 6}};
  const tile_result t = compute_tile(req, all);
  REQUIRE(t.numbers.size() == 4);
  REQUIRE(t.labels.size() == 2);
  std::uint64_t cell = 0;
  for (double c1 : req.axes[0].values)
    for (double k1 : req.axes[1].values)
      for (double delta : req.axes[2].values) {
        const game_params g{1.0, c1, 2.0, k1, 0.0, 0.0};
        const spe_result s = spe(g, delta);
        const pareto_set ps = is_quadratic(g) ? pareto_closed_form(g) : pareto_numeric(g);
        CAPTURE(c1); CAPTURE(k1); CAPTURE(delta);
        if (k1 == 2.0) {  // k0 = k1 = 2: no powers, bit for bit
          CHECK(same_bits(t.numbers[0][cell], s.alpha0));
          CHECK(same_bits(t.numbers[1][cell], s.alpha1));
          CHECK(same_bits(t.numbers[2][cell], s.u_g));
          CHECK(same_bits(t.numbers[3][cell], s.u_d));
        } else {  // the hoisted powers: kernels/spe.hpp's bound (2 max(p0, p1) + 8) 2^-52 relative
          const double bound = (2.0 * std::max(1.0, 1.0 / (k1 - 1.0)) + 8.0) * 0x1p-52;
          CHECK(ftg::test::close(t.numbers[0][cell], s.alpha0, bound, 0.0));
          CHECK(ftg::test::close(t.numbers[1][cell], s.alpha1, bound, 0.0));
          CHECK(ftg::test::close(t.numbers[2][cell], s.u_g, bound, 0.0));
          CHECK(ftg::test::close(t.numbers[3][cell], s.u_d, bound, 0.0));
        }
        CHECK(t.labels[0][cell] == (contains(ps, delta) ? 1 : 0));
        CHECK(t.labels[1][cell] == static_cast<std::uint8_t>(cell_status::ok));
        ++cell;
      }
  CHECK(t.cells_not_ok == 0);
}

TEST_CASE("in_pareto equals contains() on rows of a fine delta grid, two-interval Pareto sets included") {
  // k0 = k1 = 1.2, c0 = c1: two intervals [0, a] and [1 - a, 1] (tests/kernels/test_pareto.cpp,
  // docs/model.md section 3 item 3); k0 = 2 and other c1: one interval. The row loop is
  // branch-free (issue 6).
  // Ascending deltas take the index-range path (bisection per interval); a permuted axis takes
  // the per-cell comparisons. Both must equal contains().
  for (const bool permuted : {false, true}) {
    CAPTURE(permuted);
    sweep_request r;
    std::vector<double> deltas(1001);
    for (std::size_t j = 0; j < deltas.size(); ++j) deltas[j] = static_cast<double>(j) / 1000.0;
    if (permuted)  // a fixed permutation of the same values: j -> 8 j mod 1001 (gcd(8, 1001) = 1)
      for (std::size_t j = 0; j < deltas.size(); ++j) deltas[j] = static_cast<double>((8 * j) % 1001) / 1000.0;
    r.axes = {{"c1", {0.05, 0.3, 1.0, 3.0, 20.0}}, {"k0", {1.2, 2.0}}, {"delta", deltas}};
    r.fixed = game_params{1.0, 1.0, 1.2, 1.2, 0.0, 0.0};
    r.u_g = r.pareto = true;
    const tile_result t = compute_tile(r, index_box{{0, 0, 0}, {5, 2, deltas.size()}});
    REQUIRE(t.labels.size() == 2);
    std::uint64_t cell = 0, inside = 0, two = 0;
    for (double c1 : r.axes[0].values)
      for (double k0 : r.axes[1].values) {
        const game_params g{1.0, c1, k0, 1.2, 0.0, 0.0};
        const pareto_set ps = pareto_numeric(g);
        REQUIRE(ps.status == cell_status::ok);
        two += ps.count == 2;
        for (double delta : deltas) {
          CAPTURE(c1); CAPTURE(k0); CAPTURE(delta);
          const bool ok = t.labels[1][cell] == static_cast<std::uint8_t>(cell_status::ok);
          CHECK(t.labels[0][cell] == (ok && contains(ps, delta) ? 1 : 0));
          inside += t.labels[0][cell];
          ++cell;
        }
      }
    CHECK(two > 0);      // the two-interval case is exercised
    CHECK(inside > 0);
    CHECK(inside < cell);
  }
}

TEST_CASE("general k >= 2: in_pareto from the row kernel's slope test equals contains(pareto_numeric) "
          "away from the set's end points, with disagreement payoffs, ascending and permuted deltas") {
  // kernels/spe.hpp, spe_row's item 5: no set per row where k0, k1 >= 2 and d0, d1 >= 0; the
  // independent reference is the numeric set (Newton on UG', UD' and the d0, d1 crossings).
  for (const bool permuted : {false, true}) {
    CAPTURE(permuted);
    std::vector<double> deltas(1001);
    for (std::size_t j = 0; j < deltas.size(); ++j)
      deltas[j] = static_cast<double>(permuted ? (8 * j) % 1001 : j) / 1000.0;
    sweep_request r;
    r.axes = {{"c1", {0.05, 0.3, 1.0, 3.0, 20.0}}, {"k1", {2.0, 2.5, 4.0}}, {"d0", {0.0, 0.1}}, {"d1", {0.0, 0.1}}, {"delta", deltas}};
    r.fixed = game_params{1.0, 1.0, 3.0, 2.0, 0.0, 0.0};
    r.u_g = r.pareto = true;
    const tile_result t = compute_tile(r, index_box{{0, 0, 0, 0, 0}, {5, 3, 2, 2, deltas.size()}});
    REQUIRE(t.labels.size() == 2);
    std::uint64_t cell = 0, inside = 0, off = 0;
    for (double c1 : r.axes[0].values)
      for (double k1 : r.axes[1].values)
        for (double d0 : r.axes[2].values)
          for (double d1 : r.axes[3].values) {
          const game_params g{1.0, c1, 3.0, k1, d0, d1};
          const pareto_set ps = pareto_numeric(g);
          REQUIRE(ps.status != cell_status::invalid_params);
          for (double delta : deltas) {
            CAPTURE(c1); CAPTURE(k1); CAPTURE(d0); CAPTURE(d1); CAPTURE(delta);
            REQUIRE(t.labels[1][cell] == static_cast<std::uint8_t>(cell_status::ok));
            inside += t.labels[0][cell];
            if (t.labels[0][cell] != (contains(ps, delta) ? 1 : 0)) {
              ++off;
              // allowed only within 1e-12 of an end point: there widening and narrowing disagree
              CHECK(contains(ps, delta, 1e-12) != contains(ps, delta, -1e-12));
            }
            ++cell;
          }
          }
    CHECK(inside > cell / 10);
    CHECK(inside < cell);
    CHECK(off <= 2);  // none seen on this grid; an end point within rounding of a cell may make one
  }
}

TEST_CASE("any split into tiles gives bit-identical cells (tiles are independent)") {
  const sweep_request req = per_delta_request();
  const tile_result whole = compute_tile(req, index_box{{0, 0, 0}, {5, 3, 6}});
  // Tiles of whole delta rows, two c1 values by three k1 values at a time.
  for (std::uint64_t c = 0; c < 5; c += 2) {
    const index_box b{{c, 0, 0}, {std::min<std::uint64_t>(c + 2, 5), 3, 6}};
    const tile_result part = compute_tile(req, b);
    for (std::uint64_t i = 0; i < b.cells(); ++i) {
      const std::uint64_t global = c * 3 * 6 + i;  // rows are contiguous in C order
      for (std::size_t f = 0; f < whole.numbers.size(); ++f) CHECK(same_bits(part.numbers[f][i], whole.numbers[f][global]));
      for (std::size_t f = 0; f < whole.labels.size(); ++f) CHECK(part.labels[f][i] == whole.labels[f][global]);
    }
  }
}

TEST_CASE("per-point tile: each solution's delta*, UG, UD and status equal solve_game (closed form for "
          "k = 2, bit for bit; numeric otherwise, to solve_game_numeric_batch's 1e-12); a failed cell is "
          "NaN with a failure status") {
  sweep_request req;
  req.axes = {{"c1", {0.5, 2.0}}, {"k0", {2.0, 2.5}}};
  req.fixed = game_params{1.0, 1.0, 2.0, 2.0, 0.0, 0.0};
  req.solutions = {solution::nash, solution::egalitarian};
  CHECK(field_names(req) == std::vector<std::string>{"nash_delta_star", "nash_u_g", "nash_u_d", "egalitarian_delta_star",
                                                     "egalitarian_u_g", "egalitarian_u_d", "nash_status",
                                                     "egalitarian_status"});
  const tile_result t = compute_tile(req, index_box{{0, 0}, {2, 2}});
  std::uint64_t cell = 0;
  for (double c1 : {0.5, 2.0})
    for (double k0 : {2.0, 2.5}) {
      const game_params g{1.0, c1, k0, 2.0, 0.0, 0.0};
      const game_solution gs = solve_game(g, 0.5, is_quadratic(g) ? method::closed_form : method::numeric);
      for (std::size_t k = 0; k < 2; ++k) {
        const bargain_result& r = gs[req.solutions[k]];
        REQUIRE(t.labels[k][cell] == static_cast<std::uint8_t>(r.status));
        if (is_quadratic(g)) {  // solve_game_closed_form_batch: bit for bit
          CHECK(same_bits(t.numbers[3 * k][cell], r.delta));
          CHECK(same_bits(t.numbers[3 * k + 1][cell], r.u_g));
          CHECK(same_bits(t.numbers[3 * k + 2][cell], r.u_d));
        } else {  // solve_game_numeric_batch: kernels/bargaining.hpp's tolerance
          CHECK(std::abs(t.numbers[3 * k][cell] - r.delta) <= 1e-12);
          CHECK(std::abs(t.numbers[3 * k + 1][cell] - r.u_g) <= 1e-12 * std::abs(r.u_g));
          CHECK(std::abs(t.numbers[3 * k + 2][cell] - r.u_d) <= 1e-12 * std::abs(r.u_d));
        }
      }
      ++cell;
    }
  // closed_form forced on k0 = 2.5: no_closed_form, fields NaN, counted as not ok.
  req.method = solve_choice::closed_form;
  const tile_result f = compute_tile(req, index_box{{0, 1}, {1, 2}});
  CHECK(std::isnan(f.numbers[0][0]));
  CHECK(f.labels[0][0] == static_cast<std::uint8_t>(cell_status::no_closed_form));
  CHECK(f.cells_not_ok == 1);
}

TEST_CASE("per-point tile with only Nash, generalized Nash and vertical monopoly: the lock-step "
          "solver (bargain_numeric_batch) equals bargain_numeric per game to 1e-12, the closed forms at "
          "k = 2 exactly, and any tile split gives the same bits") {
  sweep_request req;
  std::vector<double> c1s;
  for (int i = 0; i < 37; ++i) c1s.push_back(std::pow(10.0, -1.5 + 3.0 * i / 36.0));
  req.axes = {{"c1", c1s}, {"k0", {1.5, 2.0, 2.5, 4.0}}, {"d1", {0.0, 0.01}}};
  req.fixed = game_params{1.0, 1.0, 2.0, 3.0, 0.0, 0.0};
  req.solutions = {solution::vertical_monopoly, solution::nash, solution::generalized_nash};
  req.beta = 0.3;
  const index_box all{{0, 0, 0}, {c1s.size(), 4, 2}};
  const tile_result t = compute_tile(req, all);
  std::uint64_t cell = 0;
  for (double c1 : c1s)
    for (double k0 : {1.5, 2.0, 2.5, 4.0})
      for (double d1 : {0.0, 0.01}) {
        const game_params g{1.0, c1, k0, 3.0, 0.0, d1};
        CAPTURE(c1); CAPTURE(k0); CAPTURE(d1);
        for (std::size_t k = 0; k < 3; ++k) {
          const bargain_result e = bargain_numeric(req.solutions[k], g, 0.3);
          REQUIRE(t.labels[k][cell] == static_cast<std::uint8_t>(e.status));
          CHECK(std::abs(t.numbers[3 * k][cell] - e.delta) <= 1e-12);
          CHECK(std::abs(t.numbers[3 * k + 1][cell] - e.u_g) <= 1e-12 * std::abs(e.u_g));
          CHECK(std::abs(t.numbers[3 * k + 2][cell] - e.u_d) <= 1e-12 * std::abs(e.u_d));
        }
        ++cell;
      }
  CHECK(t.cells_not_ok == 0);
  // k0 = k1 = 2 with auto: the closed forms, bit for bit.
  req.axes = {{"c1", c1s}};
  req.fixed.k1 = 2.0;
  const tile_result q = compute_tile(req, index_box{{0}, {c1s.size()}});
  for (std::size_t c = 0; c < c1s.size(); ++c)
    for (std::size_t k = 0; k < 3; ++k) {
      const bargain_result e = bargain_closed_form(req.solutions[k], game_params{1.0, c1s[c], 2.0, 2.0, 0.0, 0.0}, 0.3);
      CHECK(same_bits(q.numbers[3 * k][c], e.delta));
      CHECK(same_bits(q.numbers[3 * k + 1][c], e.u_g));
    }
  // Tiles of 5 c1 values: the same bits as the whole (a game's result depends on it alone).
  req.axes = {{"c1", c1s}, {"k0", {2.5, 4.0}}};
  req.fixed.k1 = 3.0;
  const tile_result whole = compute_tile(req, index_box{{0, 0}, {c1s.size(), 2}});
  for (std::uint64_t c = 0; c < c1s.size(); c += 5) {
    const index_box b{{c, 0}, {std::min<std::uint64_t>(c + 5, c1s.size()), 2}};
    const tile_result part = compute_tile(req, b);
    for (std::uint64_t i = 0; i < b.cells(); ++i)
      for (std::size_t f = 0; f < whole.numbers.size(); ++f)
        CHECK(same_bits(part.numbers[f][i], whole.numbers[f][c * 2 + i]));
  }
}

TEST_CASE("per-point tiles with a beta axis and numeric games: any split into tiles gives the same "
          "bits (each game is batched with the games of its own beta, whatever the tile holds)") {
  sweep_request req;
  std::vector<double> c1s;
  for (int i = 0; i < 23; ++i) c1s.push_back(std::pow(10.0, -1.0 + 2.0 * i / 22.0));
  req.axes = {{"beta", {0.3, 0.6}}, {"c1", c1s}, {"k0", {2.0, 2.5, 3.0}}};
  req.fixed = game_params{1.0, 1.0, 2.0, 3.0, 0.0, 0.0};
  req.solutions = {solution::nash, solution::generalized_nash, solution::egalitarian};
  const std::uint64_t nc = c1s.size();
  const tile_result whole = compute_tile(req, index_box{{0, 0, 0}, {2, nc, 3}});
  CHECK(whole.cells_not_ok == 0);
  // Tiles of one beta (so a tile of beta = 0.6 starts with it) and a few c1 values.
  for (std::uint64_t step : {1u, 4u, 7u}) {
    CAPTURE(step);
    for (std::uint64_t b = 0; b < 2; ++b)
      for (std::uint64_t c = 0; c < nc; c += step) {
        const index_box box{{b, c, 0}, {b + 1, std::min<std::uint64_t>(c + step, nc), 3}};
        const tile_result part = compute_tile(req, box);
        for (std::uint64_t i = 0; i < box.cells(); ++i)
          for (std::size_t f = 0; f < whole.numbers.size(); ++f)
            CHECK(same_bits(part.numbers[f][i], whole.numbers[f][(b * nc + c) * 3 + i]));
      }
  }
}

TEST_CASE("compute_tile into a reused buffer (as ftg run recycles them) equals a fresh computation") {
  sweep_request req = per_delta_request();
  req.pareto = false;
  sweep_request with_pareto = per_delta_request();
  // Same k1 values, other deltas: the spe_row basis kept in the buffer must be refilled.
  sweep_request other_deltas = per_delta_request();
  other_deltas.axes[2].values = {0.05, 0.2, 0.6, 0.9, 0.95, 0.99};
  tile_result reused;
  // A full tile, then a smaller edge tile, then a full one again, then another request: each time
  // the buffer holds the previous tile's values, which must not leak into the new one.
  const index_box boxes[] = {{{0, 0, 0}, {5, 3, 6}}, {{4, 2, 0}, {5, 3, 6}}, {{1, 0, 0}, {3, 3, 6}}};
  for (const sweep_request* r : {&req, &with_pareto, &other_deltas, &req}) {
    for (const index_box& b : boxes) {
      compute_tile(*r, b, reused);
      const tile_result fresh = compute_tile(*r, b);
      REQUIRE(reused.numbers.size() == fresh.numbers.size());
      REQUIRE(reused.labels.size() == fresh.labels.size());
      for (std::size_t f = 0; f < fresh.numbers.size(); ++f) {
        REQUIRE(reused.numbers[f].size() == fresh.numbers[f].size());
        for (std::size_t i = 0; i < fresh.numbers[f].size(); ++i) CHECK(same_bits(reused.numbers[f][i], fresh.numbers[f][i]));
      }
      for (std::size_t f = 0; f < fresh.labels.size(); ++f) CHECK(reused.labels[f] == fresh.labels[f]);
      CHECK(reused.cells_not_ok == fresh.cells_not_ok);
    }
  }
}

// compute_tile sizes the two-player per-delta buffers from the request's flags without building
// fields_of's list: for every combination of the five per-delta fields the buffers are those of
// fields_of (count, kind, order: numbers then labels, each in fields_of's order), and each holds
// the field fields_of names: alpha0 ... u_d equal spe() bit for bit (k = 2), in_pareto equals
// contains(), the statuses are ok.
TEST_CASE("per-delta tile buffers follow fields_of for every combination of requested fields") {
  sweep_request base;
  base.axes = {{"c1", {0.5, 2.0}}, {"delta", {0.0, 0.3, 0.7, 1.0}}};
  base.fixed = game_params{1.0, 1.0, 2.0, 2.0, 0.0, 0.0};
  const index_box all{{0, 0}, {2, 4}};
  for (unsigned mask = 0; mask < 32; ++mask) {
    sweep_request req = base;
    req.alpha0 = (mask & 1) != 0;
    req.alpha1 = (mask & 2) != 0;
    req.u_g = (mask & 4) != 0;
    req.u_d = (mask & 8) != 0;
    req.pareto = (mask & 16) != 0;
    CAPTURE(mask);
    const std::vector<field_info> fields = fields_of(req);
    const tile_result t = compute_tile(req, all);
    std::size_t nn = 0, nl = 0;
    for (const field_info& f : fields) {
      CAPTURE(f.name);
      const std::size_t i = f.categorical ? nl++ : nn++;
      REQUIRE(i < (f.categorical ? t.labels.size() : t.numbers.size()));
      REQUIRE((f.categorical ? t.labels[i].size() : t.numbers[i].size()) == all.cells());
      for (std::uint64_t cell = 0; cell < all.cells(); ++cell) {
        const game_params g{1.0, base.axes[0].values[cell / 4], 2.0, 2.0, 0.0, 0.0};
        const double delta = base.axes[1].values[cell % 4];
        const spe_result s = spe(g, delta);
        if (f.name == "alpha0") CHECK(same_bits(t.numbers[i][cell], s.alpha0));
        else if (f.name == "alpha1") CHECK(same_bits(t.numbers[i][cell], s.alpha1));
        else if (f.name == "u_g") CHECK(same_bits(t.numbers[i][cell], s.u_g));
        else if (f.name == "u_d") CHECK(same_bits(t.numbers[i][cell], s.u_d));
        else if (f.name == "in_pareto") CHECK(t.labels[i][cell] == (contains(pareto_closed_form(g), delta) ? 1 : 0));
        else if (f.name == "status") CHECK(t.labels[i][cell] == static_cast<std::uint8_t>(cell_status::ok));
        else FAIL("unexpected field " << f.name);
      }
    }
    CHECK(nn == t.numbers.size());
    CHECK(nl == t.labels.size());
  }
}

// reserve_tile (tile_compute.hpp): room for the largest tile, so that compute_tile into it never
// reallocates (ftg run reserves its tile buffers in its own thread, out of the workers' malloc
// arenas): the same memory before and after, for the largest tile and a smaller one, and the
// same cells as a fresh computation. Per-delta (with Pareto labels) and per-point requests.
TEST_CASE("reserve_tile: compute_tile into a reserved buffer does not reallocate and equals a fresh tile") {
  sweep_request per_point;
  per_point.axes = {{"c1", {0.5, 1.0, 2.0, 4.0}}};
  per_point.solutions = {solution::nash, solution::vertical_monopoly};
  per_point.pareto_set = true;
  const sweep_request per_delta = per_delta_request();
  struct reserve_case {
    const sweep_request* req;
    std::vector<index_box> boxes;  // the first is the largest
  };
  const reserve_case cases[] = {
      {&per_delta, {{{0, 0, 0}, {5, 3, 6}}, {{4, 2, 0}, {5, 3, 6}}}},
      {&per_point, {{{0}, {4}}, {{1}, {3}}}},
  };
  for (const reserve_case& c : cases) {
    tile_result buf;
    reserve_tile(*c.req, c.boxes.front().cells(), buf);
    std::vector<const void*> where;
    for (const auto& v : buf.numbers) where.push_back(v.data());
    for (const auto& v : buf.labels) where.push_back(v.data());
    REQUIRE(where.size() == fields_of(*c.req).size());
    for (const index_box& b : c.boxes) {
      compute_tile(*c.req, b, buf);
      std::size_t i = 0;
      for (const auto& v : buf.numbers) CHECK(v.data() == where[i++]);
      for (const auto& v : buf.labels) CHECK(v.data() == where[i++]);
      const tile_result fresh = compute_tile(*c.req, b);
      REQUIRE(buf.numbers.size() == fresh.numbers.size());
      for (std::size_t f = 0; f < fresh.numbers.size(); ++f) {
        REQUIRE(buf.numbers[f].size() == fresh.numbers[f].size());
        for (std::size_t j = 0; j < fresh.numbers[f].size(); ++j) CHECK(same_bits(buf.numbers[f][j], fresh.numbers[f][j]));
      }
      for (std::size_t f = 0; f < fresh.labels.size(); ++f) CHECK(buf.labels[f] == fresh.labels[f]);
    }
  }
}
