// solve_game_closed_form_batch (kernels/bargaining.hpp) against solve_game(..., closed_form) game by
// game, every field bit for bit (the batch runs the same IEEE operations in AVX-512 or AVX2 lanes;
// source: the header's item 3), on every instruction set the CPU has
// (detail::solve_game_closed_form_batch_on). The closed forms themselves are checked against the paper and the numeric
// solver in test_closed_form_vs_numeric.cpp and test_paper_results.cpp.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/bargaining.hpp"
#include "kernels/detail/batch_isa.hpp"
#include "tests/support/cpu.hpp"

using namespace ftg;

namespace {

bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void require_same(const game_solution& a, const game_solution& e) {
  REQUIRE(a.pareto.status == e.pareto.status);
  CHECK(a.pareto.count == e.pareto.count);
  CHECK(a.pareto.unimodal == e.pareto.unimodal);
  for (int i = 0; i < pareto_set::capacity; ++i) {
    CHECK(same(a.pareto.intervals[static_cast<std::size_t>(i)].lo, e.pareto.intervals[static_cast<std::size_t>(i)].lo));
    CHECK(same(a.pareto.intervals[static_cast<std::size_t>(i)].hi, e.pareto.intervals[static_cast<std::size_t>(i)].hi));
  }
  for (solution s : all_solutions) {
    CAPTURE(to_string(s));
    const bargain_result& r = a[s];
    const bargain_result& x = e[s];
    REQUIRE(r.status == x.status);
    CHECK(same(r.delta, x.delta));
    CHECK(same(r.u_g, x.u_g));
    CHECK(same(r.u_d, x.u_d));
    CHECK(same(r.alpha0, x.alpha0));
    CHECK(same(r.alpha1, x.alpha1));
    CHECK(r.in_pareto == x.in_pareto);
    CHECK(r.tie == x.tie);
    CHECK(r.degenerate == x.degenerate);
    CHECK(r.iterations == x.iterations);
  }
}

}  // namespace

namespace {

std::vector<game_params> closed_form_test_games() {
  std::mt19937_64 rng(31337);
  std::uniform_real_distribution<double> lc(-4.0, 4.0), u(0.0, 1.0);
  std::vector<game_params> games;
  for (int i = 0; i < 4099; ++i) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    if (i % 29 == 0) g.c1 = g.c0;                  // x = 1: linear egalitarian condition, degenerate
    if (i % 31 == 0) g.c1 = g.c0 * 0.5;            // x = 1/2 exactly
    if (i % 37 == 0) g.c1 = std::nextafter(g.c0, 0.0);
    if (i % 41 == 0) g.d0 = -0.0;                  // signed zero: still the batch's case
    if (i % 43 == 0) g.d1 = 0.1 * u(rng);          // scalar code (d1 > 0)
    if (i % 47 == 0) g.k1 = 2.5;                   // no closed form: scalar code's status
    if (i % 53 == 0) g.c0 = 0.0;                   // invalid
    games.push_back(g);
  }
  return games;
}

const char* isa_name(detail::batch_isa isa) {
  return isa == detail::batch_isa::avx512 ? "AVX-512" : isa == detail::batch_isa::avx2 ? "AVX2" : "scalar";
}

}  // namespace

TEST_CASE("solve_game_closed_form_batch equals solve_game(closed_form) bit for bit on every field "
          "(random quadratic games, c1 = c0, extreme ratios, and games the scalar code takes), on "
          "every instruction set the CPU has") {
  const std::vector<game_params> games = closed_form_test_games();
  // The public entry takes the best instruction set; each one the CPU has is checked on its own.
  CHECK(detail::best_batch_isa() == (ftg::test::has_avx512() ? detail::batch_isa::avx512
                                     : detail::batch_isa_supported(detail::batch_isa::avx2) ? detail::batch_isa::avx2
                                                                                            : detail::batch_isa::scalar));
  for (const detail::batch_isa isa : {detail::batch_isa::avx512, detail::batch_isa::avx2, detail::batch_isa::scalar}) {
    CAPTURE(isa_name(isa));
    const bool runs = detail::batch_isa_supported(isa) && isa != detail::batch_isa::scalar;
    for (double beta : {0.3, 0.5, 0.8}) {
      CAPTURE(beta);
      std::vector<game_solution> out(games.size());
      const std::size_t lanes = detail::solve_game_closed_form_batch_on(isa, games, beta, out);
      if (runs) CHECK(lanes > games.size() * 8 / 10);
      else CHECK(lanes == 0);
      for (std::size_t i = 0; i < games.size(); ++i) {
        INFO("game ", i, ": c0 = ", games[i].c0, ", c1 = ", games[i].c1, ", k1 = ", games[i].k1, ", d1 = ", games[i].d1);
        require_same(out[i], solve_game(games[i], beta, method::closed_form));
      }
      MESSAGE(std::string(isa_name(isa)), ", beta = ", beta, ": ", lanes, " of ", games.size(), " games in lanes");
    }
  }
  // The public entry: the same as the best instruction set's.
  std::vector<game_solution> out(games.size());
  CHECK(solve_game_closed_form_batch(games, 0.5, out) ==
        detail::solve_game_closed_form_batch_on(detail::best_batch_isa(), games, 0.5, out));
  for (std::size_t i = 0; i < games.size(); i += 7) require_same(out[i], solve_game(games[i], 0.5, method::closed_form));
  // beta outside (0, 1): generalized Nash invalid, as in solve_game (all games by the scalar code).
  for (const detail::batch_isa isa : {detail::batch_isa::avx512, detail::batch_isa::avx2}) {
    std::vector<game_solution> few(16);
    CHECK(detail::solve_game_closed_form_batch_on(isa, std::span(games).first(16), 1.5, few) == 0);
    for (std::size_t i = 0; i < 16; ++i) require_same(few[i], solve_game(games[i], 1.5, method::closed_form));
  }
}
