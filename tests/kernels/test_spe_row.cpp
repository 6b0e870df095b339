// The heatmap row kernel spe_row() (kernels/spe.hpp) against the reference spe(), cell by cell.
// Source of the bound: the header's error analysis (separated powers a^p * delta^p against
// pow(a delta, p)); k0 = k1 = 2 must be bit-for-bit because pow(x, 1) == x (IEEE 754 / C pow).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "kernels/aligned.hpp"
#include "kernels/detail/batch_isa.hpp"
#include "kernels/detail/two_player.hpp"
#include "kernels/pareto.hpp"
#include "kernels/spe.hpp"

using namespace ftg;

namespace {

struct row_buffers {
  std::vector<double> a0, a1, ug, ud;
  std::vector<cell_status> st;
  explicit row_buffers(std::size_t n) : a0(n), a1(n), ug(n), ud(n), st(n) {}
  spe_row_out out() { return {a0.data(), a1.data(), ug.data(), ud.data(), st.data()}; }
};

std::vector<double> row_deltas(std::mt19937_64& rng, int n) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> d(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) d[static_cast<std::size_t>(i)] = static_cast<double>(i) / (n - 1);
  // Ends, points near them (boundary layers) and random interior points.
  d.push_back(1e-300);
  d.push_back(1e-12);
  d.push_back(1.0 - 1e-12);
  d.push_back(std::nextafter(1.0, 0.0));
  for (int i = 0; i < 16; ++i) d.push_back(u(rng));
  return d;
}

// Ascending deltas in [0, 1] (a linspace): the row kernel's inputs are then clean, and rows with
// linear or basis factors run without per-cell checks (kernels/spe_row.cpp, plan_row).
std::vector<double> clean_deltas(int n) {
  std::vector<double> d(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) d[static_cast<std::size_t>(i)] = static_cast<double>(i) / (n - 1);
  return d;
}

double rel_dev(double row, double ref) {
  if (row == ref) return 0.0;
  return std::abs(row - ref) / std::max(std::abs(ref), std::numeric_limits<double>::min());
}

// The basis exponents of the mixed tiles below.
constexpr double mixed_k0 = 2.5, mixed_k1 = 3.5;

// A tile's games of every kind of row, in turn: linear factors (k = 2), the basis (mixed_k0,
// mixed_k1), pow per cell on one side, a cut (d0 > 0) on the basis, and k < 2 (no slope test).
std::vector<game_params> mixed_rows(std::mt19937_64& rng, std::size_t rows) {
  std::uniform_real_distribution<double> lc(-2.0, 2.0), lk(2.0, 5.0), u(0.0, 1.0);
  std::vector<game_params> games(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    game_params& g = games[r];
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    switch (r % 6) {
      case 0: g.k0 = g.k1 = 2.0; break;                          // linear factors
      case 1: case 2: g.k0 = mixed_k0; g.k1 = mixed_k1; break;  // the basis
      case 3: g.k0 = lk(rng); g.k1 = 2.0; break;                 // pow per cell on one side
      case 4: g.k0 = mixed_k0; g.k1 = mixed_k1; g.d0 = 0.3 * u(rng) * spe(g, 0.7).u_g; break;  // cut
      default: g.k0 = 1.5; g.k1 = mixed_k1; break;               // k < 2: no slope test
    }
  }
  return games;
}

}  // namespace

TEST_CASE("spe_row (kernels/spe.hpp) equals spe() bit for bit for k0 = k1 = 2, with and without a "
          "basis (pow(x, 1) == x)") {
  std::mt19937_64 rng(61);
  std::uniform_real_distribution<double> lc(-4.0, 4.0), ud(-1.0, 1.0);
  for (int draw = 0; draw < 300; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    g.d0 = ud(rng);
    g.d1 = ud(rng);
    // Odd draws: clean deltas (no cell checks); even: ends, boundary layers and random points.
    const std::vector<double> d = draw % 2 == 1 ? clean_deltas(33) : row_deltas(rng, 33);
    std::vector<double> p0(d.size()), p1(d.size());
    const spe_row_basis basis = spe_row_basis_fill(2.0, 2.0, d, p0, p1);
    for (const spe_row_basis* b : {static_cast<const spe_row_basis*>(nullptr), &basis}) {
      row_buffers r(d.size());
      spe_row(g, d, r.out(), b);
      for (std::size_t j = 0; j < d.size(); ++j) {
        const spe_result s = spe(g, d[j]);
        INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", delta = ", d[j]);
        REQUIRE(r.st[j] == s.status);
        CHECK(r.a0[j] == s.alpha0);
        CHECK(r.a1[j] == s.alpha1);
        CHECK(r.ug[j] == s.u_g);
        CHECK(r.ud[j] == s.u_d);
      }
    }
  }
}

TEST_CASE("spe_row against spe() for random k0, k1 in (1, 6] including k < 2, delta = 0 and 1: "
          "statuses equal; bit for bit without a basis, |row - spe| <= (2 max(p0, p1) + 8) 2^-52 "
          "|spe| with one (kernels/spe.hpp)") {
  std::mt19937_64 rng(62);
  std::uniform_real_distribution<double> lc(-3.0, 3.0), lk(0.0, 1.0), u(0.0, 1.0);
  double worst_ulps = 0.0;  // deviation in units of the bound's 2^-52, divided by the bound
  int cells = 0, fallbacks_ok = 0;
  for (int draw = 0; draw < 600; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    // k - 1 log-uniform on [0.02, 5]: exponents p = 1/(k-1) up to 50.
    g.k0 = 1.0 + 0.02 * std::pow(250.0, lk(rng));
    g.k1 = 1.0 + 0.02 * std::pow(250.0, lk(rng));
    if (draw % 10 == 0) g.k0 = 2.0;  // one linear factor, one power
    if (draw % 10 == 1) g.k1 = 2.0;
    // Odd draws: clean deltas (no cell checks where the factors allow); even: ends, boundary
    // layers and random points.
    const std::vector<double> d = draw % 2 == 1 ? clean_deltas(1001) : row_deltas(rng, 65);
    std::vector<double> p0(d.size()), p1(d.size());
    const spe_row_basis basis = spe_row_basis_fill(g.k0, g.k1, d, p0, p1);
    const double p = std::max(1.0 / (g.k0 - 1.0), 1.0 / (g.k1 - 1.0));
    const double bound = (2.0 * p + 8.0) * 0x1p-52;
    for (const spe_row_basis* b : {static_cast<const spe_row_basis*>(nullptr), &basis}) {
      row_buffers r(d.size());
      spe_row(g, d, r.out(), b);
      for (std::size_t j = 0; j < d.size(); ++j) {
        const spe_result s = spe(g, d[j]);
        INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", k0 = ", g.k0, ", k1 = ", g.k1, ", delta = ", d[j]);
        REQUIRE(r.st[j] == s.status);
        ++cells;
        if (s.status != cell_status::ok) {
          CHECK(std::isnan(r.a0[j]));
          CHECK(std::isnan(r.ud[j]));
          ++fallbacks_ok;
          continue;
        }
        if (b == nullptr) {  // without a basis: spe()'s own expressions, bit for bit
          CHECK(r.a0[j] == s.alpha0);
          CHECK(r.a1[j] == s.alpha1);
          CHECK(r.ug[j] == s.u_g);
          CHECK(r.ud[j] == s.u_d);
        }
        const double dev = std::max({rel_dev(r.a0[j], s.alpha0), rel_dev(r.a1[j], s.alpha1),
                                     rel_dev(r.ug[j], s.u_g), rel_dev(r.ud[j], s.u_d)});
        worst_ulps = std::max(worst_ulps, dev / bound);
        CHECK(dev <= bound);
        if (d[j] == 0.0) CHECK(r.a0[j] == 0.0);  // exact ends, as spe() (Theorem 3.1)
        if (d[j] == 1.0) CHECK(r.a1[j] == r.a0[j]);
      }
    }
  }
  MESSAGE("spe_row vs spe: ", cells, " cells, worst deviation ", worst_ulps,
          " of the bound; non-ok cells ", fallbacks_ok);
  CHECK(worst_ulps <= 1.0);
}

TEST_CASE("spe_row: invalid parameters, deltas outside [0, 1], overflow, and a basis for other "
          "exponents give exactly spe()'s statuses (kernels/params.hpp)") {
  const std::vector<double> d{-0.5, 0.0, 0.25, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN()};
  std::vector<double> p0(d.size()), p1(d.size());
  const spe_row_basis other = spe_row_basis_fill(3.0, 3.0, d, p0, p1);
  game_params bad;
  bad.c0 = -1.0;
  game_params huge;  // k near 1 with a tiny cost: (a delta)^p overflows (spe(): not_finite)
  huge.c0 = 1e-10;
  huge.k0 = 1.01;
  game_params plain;
  plain.k0 = 2.5;
  plain.k1 = 1.5;
  for (const game_params& g : {bad, huge, plain}) {
    for (const spe_row_basis* b : {static_cast<const spe_row_basis*>(nullptr), &other}) {
      row_buffers r(d.size());
      const spe_row_summary sum = spe_row(g, d, r.out(), b);
      std::size_t not_ok = 0;
      for (std::size_t j = 0; j < d.size(); ++j) {
        const spe_result s = spe(g, d[j]);
        INFO("c0 = ", g.c0, ", k0 = ", g.k0, ", delta = ", d[j]);
        CHECK(r.st[j] == s.status);
        not_ok += s.status != cell_status::ok;
        CHECK(std::isnan(r.ug[j]) == std::isnan(s.u_g));
        if (s.status == cell_status::ok) CHECK(std::abs(r.ug[j] - s.u_g) <= 1e-14 * std::abs(s.u_g));
      }
      CHECK(sum.not_ok == not_ok);  // the summary counts exactly the cells that are not ok
      CHECK(not_ok >= 3);           // -0.5, 1.5 and NaN at least
    }
  }
  // Null fields are skipped: only the status is written.
  std::vector<cell_status> st(d.size(), cell_status::overflow);
  spe_row(plain, d, spe_row_out{nullptr, nullptr, nullptr, nullptr, st.data()});
  for (std::size_t j = 0; j < d.size(); ++j) CHECK(st[j] == spe(plain, d[j]).status);
}

// in_pareto (spe_row's item 5) against an independent solver: contains(pareto_numeric(g), delta),
// whose set comes from Newton/TOMS 748 on UG' and UD' and the level crossings of d0, d1 (kernels/
// pareto.hpp). The slope test decides at each cell; the two may differ only where a cell lies
// within rounding of an end point of the set, so every mismatch must lie within 1e-12 of one
// (Newton's end points are good to about 1e-15; the farthest mismatch seen was 7.8e-16).
TEST_CASE("spe_row in_pareto (item 5, slope test) equals contains(pareto_numeric) away from the "
          "set's end points, with and without a basis") {
  std::mt19937_64 rng(4242);
  std::uniform_real_distribution<double> lc(-3.0, 3.0), lk(2.0, 6.0), u(0.0, 1.0);
  int cells = 0, members = 0, mismatches = 0, filled = 0;
  double worst_gap = 0.0;
  for (int draw = 0; draw < 400; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    g.k0 = draw % 4 == 0 ? 2.0 : lk(rng);  // k = 2 exactly on one side in a quarter of the draws
    g.k1 = draw % 4 == 1 ? 2.0 : lk(rng);
    g.d0 = g.d1 = 0.0;
    if (draw % 3 == 1) {  // positive disagreement payoffs, sometimes so large the set is empty
      g.d0 = 1.2 * u(rng) * spe(g, 0.7).u_g;
      g.d1 = 1.2 * u(rng) * spe(g, 0.3).u_d;
    }
    std::vector<double> d = row_deltas(rng, 257);
    d.push_back(-0.25);  // not ok cells: never members
    d.push_back(std::numeric_limits<double>::quiet_NaN());
    const pareto_set ps = pareto_numeric(g);
    REQUIRE(ps.status != cell_status::invalid_params);
    std::vector<double> p0(d.size()), p1(d.size());
    const spe_row_basis basis = spe_row_basis_fill(g.k0, g.k1, d, p0, p1);
    for (const spe_row_basis* b : {static_cast<const spe_row_basis*>(nullptr), &basis}) {
      row_buffers r(d.size());
      std::vector<std::uint8_t> in(d.size(), 7);
      spe_row_out o = r.out();
      o.in_pareto = in.data();
      REQUIRE(spe_row_pareto_applies(g));
      REQUIRE(spe_row(g, d, o, b).in_pareto);
      ++filled;
      for (std::size_t j = 0; j < d.size(); ++j) {
        INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", k0 = ", g.k0, ", k1 = ", g.k1, ", d0 = ", g.d0,
             ", d1 = ", g.d1, ", delta = ", d[j]);
        REQUIRE(in[j] <= 1);
        if (r.st[j] != cell_status::ok) {
          CHECK(in[j] == 0);
          continue;
        }
        ++cells;
        const bool want = contains(ps, d[j]);
        members += want;
        if ((in[j] == 1) == want) continue;
        ++mismatches;
        double gap = 1.0;
        for (int i = 0; i < ps.count; ++i) {
          gap = std::min(gap, std::abs(d[j] - ps.intervals[static_cast<std::size_t>(i)].lo));
          gap = std::min(gap, std::abs(d[j] - ps.intervals[static_cast<std::size_t>(i)].hi));
        }
        CHECK(gap <= 1e-12);
        worst_gap = std::max(worst_gap, gap);
      }
    }
  }
  CHECK(filled == 800);
  CHECK(members > cells / 10);  // the sample does exercise membership
  CHECK(mismatches <= cells / 10000);
  MESSAGE("in_pareto slope test: ", cells, " ok cells, ", members, " members, ", mismatches,
          " mismatches, the farthest ", worst_gap, " from an end point");
}

TEST_CASE("spe_row leaves in_pareto untouched and returns false where the slope test does not "
          "apply (k < 2, d < 0, invalid parameters)") {
  const std::vector<double> d{0.0, 0.25, 0.5, 0.75, 1.0};
  game_params low_k;
  low_k.k0 = 1.5;
  game_params neg_d;
  neg_d.d1 = -0.1;
  game_params bad;
  bad.c1 = -1.0;
  for (const game_params& g : {low_k, neg_d, bad}) {
    row_buffers r(d.size());
    std::vector<std::uint8_t> in(d.size(), 7);
    spe_row_out o = r.out();
    o.in_pareto = in.data();
    CHECK_FALSE(spe_row_pareto_applies(g));
    CHECK_FALSE(spe_row(g, d, o).in_pareto);
    CHECK(std::ranges::all_of(in, [](std::uint8_t x) { return x == 7; }));
  }
  // c0 = c1 = 1, k0 = k1 = 2: UG' = (1 - delta)/2 >= 0 and UD' = -delta/2 <= 0 everywhere, with
  // UD'(0) = UG'(1) = 0 at the ends: the whole of [0, 1] (Prop. 3.2-3.3 at c1/c0 = 1).
  game_params fine;
  row_buffers r(d.size());
  std::vector<std::uint8_t> in(d.size(), 7);
  spe_row_out o = r.out();
  o.in_pareto = in.data();
  CHECK(spe_row(fine, d, o).in_pareto);
  const pareto_set ps = pareto_numeric(fine);
  for (std::size_t j = 0; j < d.size(); ++j) {
    CHECK(in[j] == 1);
    CHECK(contains(ps, d[j]));
  }
}

// spe_rows (kernels/spe.hpp): a tile of rows computed chunk by chunk across groups of 16 must give
// every row exactly what spe_row gives it alone. The rows mix every path of the kernel (k = 2
// linear, the basis, pow per cell for a basis of other exponents, invalid parameters, a hoisted
// factor that overflows, the slope test with and without cuts, null fields), 37 of them (two
// groups of 16 and a remainder), over 1000 deltas (four chunks) with bad deltas in the second
// chunk; a mistake in the grouping (a row's constants, summary or scratch taken for another's, a
// chunk skipped) changes bits. Independently, every status must be spe()'s.
TEST_CASE("spe_rows equals spe_row row by row, bit for bit, for a tile of mixed rows") {
  std::mt19937_64 rng(777);
  std::vector<double> d(1000);
  for (std::size_t j = 0; j < d.size(); ++j) d[j] = static_cast<double>(j) / 999.0;
  d[300] = -0.1;
  d[301] = std::numeric_limits<double>::quiet_NaN();
  d[302] = 1.5;
  const double k0b = mixed_k0, k1b = mixed_k1;  // the basis's exponents
  std::vector<double> p0(d.size()), p1(d.size());
  const spe_row_basis basis = spe_row_basis_fill(k0b, k1b, d, p0, p1);
  const std::size_t rows = 37, n = d.size();
  std::vector<game_params> games = mixed_rows(rng, rows);
  games[7].c0 = -1.0;                    // invalid parameters: spe() for every cell
  games[20].c0 = 1e-300;                 // a0^p0 overflows: the exact path
  games[20].k0 = k0b;
  games[20].k1 = k1b;
  struct tile {
    std::vector<double> a0, a1, ug, ud;
    std::vector<cell_status> st;
    std::vector<std::uint8_t> in;
    explicit tile(std::size_t cells) : a0(cells), a1(cells), ug(cells), ud(cells), st(cells), in(cells, 7) {}
    spe_row_out out(std::size_t r, std::size_t n, bool skip_alpha) {
      const std::size_t o = r * n;
      return {skip_alpha ? nullptr : a0.data() + o, a1.data() + o, ug.data() + o, ud.data() + o,
              st.data() + o, in.data() + o};
    }
  };
  tile together(rows * n), alone(rows * n);
  std::vector<spe_row_out> outs;
  for (std::size_t r = 0; r < rows; ++r) outs.push_back(together.out(r, n, r % 5 == 2));
  std::vector<spe_row_summary> sums(rows);
  spe_rows(games, d, outs, sums, &basis);
  for (std::size_t r = 0; r < rows; ++r) {
    const spe_row_summary one = spe_row(games[r], d, alone.out(r, n, r % 5 == 2), &basis);
    INFO("row ", r, ": c0 = ", games[r].c0, ", k0 = ", games[r].k0, ", k1 = ", games[r].k1);
    CHECK(sums[r].not_ok == one.not_ok);
    CHECK(sums[r].in_pareto == one.in_pareto);
    std::size_t not_ok = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t c = r * n + j;
      const spe_result s = spe(games[r], d[j]);
      REQUIRE(together.st[c] == s.status);
      not_ok += s.status != cell_status::ok;
      const auto same = [](double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); };
      CHECK(same(together.a0[c], alone.a0[c]));
      CHECK(same(together.a1[c], alone.a1[c]));
      CHECK(same(together.ug[c], alone.ug[c]));
      CHECK(same(together.ud[c], alone.ud[c]));
      CHECK(together.in[c] == alone.in[c]);
    }
    CHECK(sums[r].not_ok == not_ok);
  }
  CHECK(sums[7].not_ok == n);           // invalid: every cell
  CHECK(sums[1].in_pareto);             // the slope test ran on a basis row
  CHECK_FALSE(sums[5].in_pareto);       // and not where k0 < 2
  CHECK(sums[1].not_ok == 3);           // the three bad deltas
}

// in_pareto by interval (spe_row's item 5 on ascending deltas in [0, 1]): the ends of the index
// range come from a galloping search with the chunk loop's own test, starting at the previous
// row's ends. Checked against the same test applied at every cell (the same deltas reversed, which
// are not ascending, so every cell takes the per-cell test) and against the independent solver
// contains(pareto_numeric): they may differ only at cells within rounding of an end of the set.
// Rows come in heatmap order (c1 ascending, the hint a few cells off) and shuffled (the hint far
// off), including rows whose set is empty, all of [0, 1], or touches an end.
TEST_CASE("spe_rows in_pareto by interval equals the per-cell slope test and pareto_numeric away "
          "from the set's end points") {
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> lc(-3.0, 3.0), lk(2.0, 6.0);
  const std::size_t n = 1001;
  std::vector<double> d(n), rev(n);
  for (std::size_t j = 0; j < n; ++j) d[j] = static_cast<double>(j) / static_cast<double>(n - 1);
  std::reverse_copy(d.begin(), d.end(), rev.begin());
  int rows_checked = 0, mismatches_cell = 0, mismatches_set = 0, members = 0, cells = 0;
  for (int block = 0; block < 12; ++block) {
    const double k0 = block % 3 == 0 ? 2.0 : lk(rng), k1 = block % 3 == 1 ? 2.0 : lk(rng);
    std::vector<double> p0(n), p1(n), q0(n), q1(n);
    const spe_row_basis basis = spe_row_basis_fill(k0, k1, d, p0, p1);
    const spe_row_basis basis_rev = spe_row_basis_fill(k0, k1, rev, q0, q1);
    std::vector<game_params> games(40);
    const double c0 = std::pow(10.0, lc(rng));
    for (std::size_t r = 0; r < games.size(); ++r)  // c1 from 1e-3 c0 to 1e3 c0: sets move across [0, 1]
      games[r] = game_params{c0, c0 * std::pow(10.0, -3.0 + 6.0 * static_cast<double>(r) / 39.0), k0, k1, 0.0, 0.0};
    if (block % 2 == 1) std::shuffle(games.begin(), games.end(), rng);
    std::vector<double> ug(games.size() * n), ug_rev(games.size() * n);
    std::vector<std::uint8_t> in(games.size() * n, 7), in_rev(games.size() * n, 7);
    std::vector<spe_row_out> outs, outs_rev;
    for (std::size_t r = 0; r < games.size(); ++r) {
      outs.push_back(spe_row_out{nullptr, nullptr, ug.data() + r * n, nullptr, nullptr, in.data() + r * n});
      outs_rev.push_back(spe_row_out{nullptr, nullptr, ug_rev.data() + r * n, nullptr, nullptr, in_rev.data() + r * n});
    }
    std::vector<spe_row_summary> sums(games.size()), sums_rev(games.size());
    spe_rows(games, d, outs, sums, &basis);
    spe_rows(games, rev, outs_rev, sums_rev, &basis_rev);
    for (std::size_t r = 0; r < games.size(); ++r) {
      const game_params& g = games[r];
      REQUIRE(sums[r].in_pareto);
      REQUIRE(sums[r].not_ok == 0);
      const pareto_set ps = pareto_numeric(g);
      REQUIRE(ps.status != cell_status::invalid_params);
      ++rows_checked;
      int row_cell_mismatches = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const std::uint8_t by_interval = in[r * n + j], by_cell = in_rev[r * n + (n - 1 - j)];
        REQUIRE(by_interval <= 1);
        REQUIRE(ug[r * n + j] == ug_rev[r * n + (n - 1 - j)]);  // the same cell either way
        ++cells;
        members += by_interval;
        const bool want = contains(ps, d[j]);
        if (by_interval == by_cell && (by_interval == 1) == want) continue;
        double gap = 1.0;
        for (int i = 0; i < ps.count; ++i) {
          gap = std::min(gap, std::abs(d[j] - ps.intervals[static_cast<std::size_t>(i)].lo));
          gap = std::min(gap, std::abs(d[j] - ps.intervals[static_cast<std::size_t>(i)].hi));
        }
        INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", k0 = ", g.k0, ", k1 = ", g.k1, ", delta = ", d[j],
             ", interval ", int(by_interval), ", per cell ", int(by_cell), ", set ", want);
        CHECK(gap <= 1e-12);
        mismatches_cell += by_interval != by_cell;
        row_cell_mismatches += by_interval != by_cell;
        mismatches_set += (by_interval == 1) != want;
      }
      CHECK(row_cell_mismatches <= 2);  // at most a flip at each end
    }
  }
  CHECK(rows_checked == 480);
  CHECK(members > cells / 10);
  CHECK(members < cells - cells / 10);  // neither all in nor all out
  MESSAGE("in_pareto by interval: ", cells, " cells, ", members, " members, ", mismatches_cell,
          " differ from the per-cell test, ", mismatches_set, " from pareto_numeric");
}

// The slope test at delta = 0 and 1, where its products vanish and the row uses the signs of the
// exact limits UD'(0) and UG'(1): they must be those of detail::evaluate (kernels/detail/
// two_player.hpp, power_slope_at_zero), for k = 2 (finite limits, either sign) and k > 2
// (infinite ones). A row of the two ends only, so each cell's membership is exactly
// UG'(delta) >= 0 and UD'(delta) <= 0 at that end (d0 = d1 = 0).
TEST_CASE("spe_row in_pareto at delta = 0 and 1 follows the exact limits of UG' and UD'") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> lc(-3.0, 3.0), lk(2.0, 6.0);
  const std::vector<double> d{0.0, 1.0};
  int in0 = 0, in1 = 0;
  for (int draw = 0; draw < 2000; ++draw) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    g.k0 = draw % 3 == 0 ? lk(rng) : 2.0;
    g.k1 = draw % 3 == 1 ? lk(rng) : 2.0;
    std::vector<double> p0(2), p1(2);
    const spe_row_basis basis = spe_row_basis_fill(g.k0, g.k1, d, p0, p1);
    const detail::game_constants k = detail::make_constants(g);
    const detail::point at0 = detail::evaluate(k, 0.0), at1 = detail::evaluate(k, 1.0);
    const bool want0 = at0.du_g >= 0.0 && at0.du_d <= 0.0, want1 = at1.du_g >= 0.0 && at1.du_d <= 0.0;
    for (const spe_row_basis* b : {static_cast<const spe_row_basis*>(nullptr), &basis}) {
      row_buffers r(2);
      std::vector<std::uint8_t> in(2, 7);
      spe_row_out o = r.out();
      o.in_pareto = in.data();
      REQUIRE(spe_row(g, d, o, b).in_pareto);
      INFO("c0 = ", g.c0, ", c1 = ", g.c1, ", k0 = ", g.k0, ", k1 = ", g.k1);
      CHECK(in[0] == static_cast<std::uint8_t>(want0));
      CHECK(in[1] == static_cast<std::uint8_t>(want1));
    }
    in0 += want0;
    in1 += want1;
  }
  CHECK(in0 > 100);  // both outcomes occur at each end
  CHECK(in0 < 1900);
  CHECK(in1 > 100);
  CHECK(in1 < 1900);
}

// Clean deltas but a basis with NaN marks (k0 = 1.005: delta^200 is subnormal below delta ~ 0.03,
// spe_row_basis_fill marks those columns): the rows must keep their cell checks, so the marked
// cells are recomputed by spe() and every status and value is spe()'s (within the bound).
TEST_CASE("spe_row on clean deltas keeps its cell checks where the basis has marked columns") {
  const std::vector<double> d = clean_deltas(1001);
  game_params g;
  g.k0 = 1.005;
  g.k1 = 3.0;
  std::vector<double> p0(d.size()), p1(d.size());
  const spe_row_basis basis = spe_row_basis_fill(g.k0, g.k1, d, p0, p1);
  REQUIRE(std::count_if(p0.begin(), p0.end(), [](double x) { return std::isnan(x); }) > 10);
  row_buffers r(d.size());
  spe_row(g, d, r.out(), &basis);
  const double bound = (2.0 * 200.0 + 8.0) * 0x1p-52;
  for (std::size_t j = 0; j < d.size(); ++j) {
    const spe_result s = spe(g, d[j]);
    INFO("delta = ", d[j]);
    REQUIRE(r.st[j] == s.status);
    if (s.status != cell_status::ok) continue;
    CHECK_FALSE(std::isnan(r.a1[j]));
    CHECK(rel_dev(r.a0[j], s.alpha0) <= bound);
    CHECK(rel_dev(r.ug[j], s.u_g) <= bound);
  }
}

// The row loop's clones (kernels/spe_row.cpp: baseline x86-64, AVX2 and AVX-512, chosen at run
// time) give the same bits: the file is compiled with -ffp-contract=off, so every clone performs
// the same IEEE operations (the header's item 3). The public entry runs the best clone only; here
// detail::spe_rows_on runs each one this CPU has on a tile of mixed rows (linear, basis, pow per
// cell, cuts, k < 2, invalid, overflow) over clean and over dirty deltas, and compares every field.
TEST_CASE("spe_rows: every row-loop clone the CPU runs (baseline, AVX2, AVX-512) gives the same bits") {
  std::mt19937_64 rng(4711);
  const double k0b = mixed_k0, k1b = mixed_k1;
  const std::size_t rows = 41;
  std::vector<game_params> games = mixed_rows(rng, rows);
  games[9].c1 = -1.0;  // invalid
  games[13].c0 = 1e-300;  // overflow of a0^p0: the exact path
  games[13].k0 = k0b;
  games[13].k1 = k1b;
  std::vector<double> dirty = clean_deltas(777);
  dirty[100] = -0.25;
  dirty[101] = std::numeric_limits<double>::quiet_NaN();
  dirty[500] = 2.0;
  int clones_run = 0;
  for (const std::vector<double>& d : {clean_deltas(1001), dirty}) {
    const std::size_t n = d.size();
    std::vector<double> p0(n), p1(n);
    const spe_row_basis basis = spe_row_basis_fill(k0b, k1b, d, p0, p1);
    struct tile {
      std::vector<double> a0, a1, ug, ud;
      std::vector<cell_status> st;
      std::vector<std::uint8_t> in;
      std::vector<spe_row_out> outs;
      std::vector<spe_row_summary> sums;
      tile(std::size_t rows_, std::size_t n_)
          : a0(rows_ * n_), a1(rows_ * n_), ug(rows_ * n_), ud(rows_ * n_), st(rows_ * n_), in(rows_ * n_, 7), sums(rows_) {
        for (std::size_t r = 0; r < rows_; ++r) {
          const std::size_t o = r * n_;
          outs.push_back({a0.data() + o, a1.data() + o, ug.data() + o, ud.data() + o, st.data() + o, in.data() + o});
        }
      }
    };
    tile ref(rows, n);
    REQUIRE(detail::spe_rows_on(detail::batch_isa::scalar, games, d, ref.outs, ref.sums, &basis));
    for (const detail::batch_isa clone : {detail::batch_isa::avx2, detail::batch_isa::avx512}) {
      tile t(rows, n);
      if (!detail::spe_rows_on(clone, games, d, t.outs, t.sums, &basis)) continue;
      ++clones_run;
      CAPTURE(static_cast<int>(clone));
      CAPTURE(n);
      const auto same = [](double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); };
      std::size_t differ = 0;
      for (std::size_t c = 0; c < rows * n; ++c)
        differ += !same(t.a0[c], ref.a0[c]) || !same(t.a1[c], ref.a1[c]) || !same(t.ug[c], ref.ug[c]) ||
                  !same(t.ud[c], ref.ud[c]) || t.st[c] != ref.st[c] || t.in[c] != ref.in[c];
      CHECK(differ == 0);
      for (std::size_t r = 0; r < rows; ++r) {
        CHECK(t.sums[r].not_ok == ref.sums[r].not_ok);
        CHECK(t.sums[r].in_pareto == ref.sums[r].in_pareto);
      }
    }
    // The reference is itself spe(): statuses cell by cell, and k = 2 rows bit for bit.
    for (std::size_t j = 0; j < n; j += 37) {
      const spe_result s = spe(games[0], d[j]);
      CHECK(ref.st[j] == s.status);
      if (s.status == cell_status::ok) CHECK(std::bit_cast<std::uint64_t>(ref.ug[j]) == std::bit_cast<std::uint64_t>(s.u_g));
    }
  }
  const bool avx2 = detail::batch_isa_supported(detail::batch_isa::avx2);
  const int per_delta_set = clones_run / 2;
  MESSAGE(per_delta_set, " vector clone(s) compared with the baseline");
  if (avx2) CHECK(clones_run >= 2);
}

// The row loop's chunks start where the outputs are 64-byte aligned (kernels/spe_row.cpp,
// row_lead): the first 0-7 cells run apart, and a row shorter than that runs as its head alone.
// Which cells a chunk holds must change no result: a row written at every offset within a cache
// line (and with its fields at different offsets from each other) gives the bits and statuses of
// spe_row into separate vectors, for rows of 1 to 20 cells and of 1001, with bad deltas in the
// head, at its end and in the body, on linear factors, the basis, pow per cell, and with
// in_pareto by interval (clean deltas) or per cell.
TEST_CASE("spe_row: results do not depend on where the outputs start within a cache line") {
  std::mt19937_64 rng(2026);
  const std::vector<game_params> games = mixed_rows(rng, 12);
  constexpr std::size_t line = 64 / sizeof(double);
  int rows_checked = 0;
  for (const std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{8}, std::size_t{9},
                              std::size_t{15}, std::size_t{20}, std::size_t{1001}}) {
    for (const bool dirty : {false, true}) {
      std::vector<double> d = clean_deltas(static_cast<int>(std::max<std::size_t>(n, 2)));
      d.resize(n);
      if (dirty) {
        d[0] = -0.5;                                                                  // in the head
        if (n > 2) d[2] = std::numeric_limits<double>::quiet_NaN();
        if (n > 6) d[6] = 1.25;
        if (n > 500) d[500] = -1.0;                                                   // in the body
        d[n - 1] = std::numeric_limits<double>::quiet_NaN();                          // at the end
      }
      std::vector<double> p0(n), p1(n);
      const spe_row_basis basis = spe_row_basis_fill(mixed_k0, mixed_k1, d, p0, p1);
      // Room for four fields at any offset in an aligned block.
      std::vector<double> block(4 * (n + 2 * line) + line);
      double* aligned = block.data();
      while (reinterpret_cast<std::uintptr_t>(aligned) % 64 != 0) ++aligned;
      for (const game_params& g : games) {
        row_buffers ref(n);
        std::vector<std::uint8_t> ref_in(n, 7);
        spe_row_out ro = ref.out();
        ro.in_pareto = ref_in.data();
        const spe_row_summary ref_sum = spe_row(g, d, ro, &basis);
        for (std::size_t off = 0; off < line; ++off) {
          CAPTURE(n);
          CAPTURE(dirty);
          CAPTURE(off);
          CAPTURE(g.k0);
          CAPTURE(g.k1);
          // alpha0 at `off`, the other fields at other offsets (off + 1, off + 3, off + 5).
          double* f[4];
          for (std::size_t k = 0; k < 4; ++k) f[k] = aligned + k * (n + 2 * line) + (off + 2 * k + (k != 0)) % line;
          std::vector<cell_status> st(n);
          std::vector<std::uint8_t> in(n, 7);
          const spe_row_summary sum = spe_row(g, d, spe_row_out{f[0], f[1], f[2], f[3], st.data(), in.data()}, &basis);
          CHECK(sum.not_ok == ref_sum.not_ok);
          CHECK(sum.in_pareto == ref_sum.in_pareto);
          std::size_t differ = 0;
          for (std::size_t j = 0; j < n; ++j)
            differ += std::bit_cast<std::uint64_t>(f[0][j]) != std::bit_cast<std::uint64_t>(ref.a0[j]) ||
                      std::bit_cast<std::uint64_t>(f[1][j]) != std::bit_cast<std::uint64_t>(ref.a1[j]) ||
                      std::bit_cast<std::uint64_t>(f[2][j]) != std::bit_cast<std::uint64_t>(ref.ug[j]) ||
                      std::bit_cast<std::uint64_t>(f[3][j]) != std::bit_cast<std::uint64_t>(ref.ud[j]) ||
                      st[j] != ref.st[j] || in[j] != ref_in[j];
          CHECK(differ == 0);
          ++rows_checked;
        }
        // The reference row is spe() itself in its statuses (bad deltas included).
        for (std::size_t j = 0; j < n; ++j) CHECK(ref.st[j] == spe(g, d[j]).status);
      }
    }
  }
  CHECK(rows_checked == 8 * 2 * 12 * static_cast<int>(line));
}

// kernels/aligned.hpp: the storage spe_row's documentation recommends (item 4) starts on a cache
// line whatever its size or element type, so fields of equal length agree modulo 64.
TEST_CASE("cache_line_vector starts on a 64-byte boundary for every size and element type") {
  int misaligned = 0;
  for (std::size_t n = 1; n <= 5000; n += 37) {
    cache_line_vector<double> d(n);
    cache_line_vector<std::uint8_t> b(n);
    misaligned += reinterpret_cast<std::uintptr_t>(d.data()) % 64 != 0;
    misaligned += reinterpret_cast<std::uintptr_t>(b.data()) % 64 != 0;
    d.resize(3 * n + 1);  // reallocation keeps the alignment
    misaligned += reinterpret_cast<std::uintptr_t>(d.data()) % 64 != 0;
  }
  CHECK(misaligned == 0);
}
