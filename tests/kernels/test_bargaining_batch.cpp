// bargain_numeric_batch (kernels/bargaining.hpp): the lock-step SIMD solver against the scalar
// bargain_numeric (an independent evaluation: scalar pow, one game at a time) and, at k0 = k1 = 2,
// against the closed forms (Propositions 3.5 and the Nash cubic; bargain_closed_form). Source of
// the tolerances: the header's item 4 (powers within 4 ulp, the same root tolerance 2^-49). Each
// comparison runs on every instruction set the CPU has (detail::*_on: AVX-512, AVX2 + FMA) and on
// the public entry, which takes the best.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kernels/bargaining.hpp"
#include "kernels/detail/batch_isa.hpp"
#include "tests/support/cpu.hpp"

using namespace ftg;

namespace {

double rel(double a, double b) { return a == b ? 0.0 : std::abs(a - b) / std::max(std::abs(b), 1e-300); }

using detail::batch_isa;
// The public entry (best instruction set), then each vector instruction set on its own.
struct isa_case {
  const char* name;
  bool pub;
  batch_isa isa;
};
constexpr isa_case isa_cases[] = {{"public entry", true, batch_isa::scalar},
                                  {"AVX-512", false, batch_isa::avx512},
                                  {"AVX2", false, batch_isa::avx2}};
bool vector_runs(const isa_case& c) {
  return c.pub ? detail::best_batch_isa() != batch_isa::scalar : detail::batch_isa_supported(c.isa);
}

}  // namespace

TEST_CASE("bargain_numeric_batch equals bargain_numeric game by game: delta* within 1e-12, fields "
          "within 1e-12 relative, statuses, flags and iterations (random games, k in [2, 6], "
          "fallback games mixed in)") {
  std::mt19937_64 rng(20261204);
  std::uniform_real_distribution<double> lc(-2.0, 2.0), lk(2.0, 6.0), u(0.0, 1.0);
  std::vector<game_params> games;
  for (int i = 0; i < 2003; ++i) {  // not a multiple of 8: a padded last group
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    g.k0 = i % 7 == 0 ? 2.0 : lk(rng);
    g.k1 = i % 5 == 0 ? 2.0 : lk(rng);
    if (i % 11 == 3) g.k0 = 1.5;     // robust path (k < 2)
    if (i % 13 == 4) g.d1 = 0.01;    // d > 0: the Pareto set is needed, scalar
    if (i % 17 == 5) g.c0 = -1.0;    // invalid parameters
    games.push_back(g);
  }
  for (const isa_case& ic : isa_cases)
  for (solution s : all_solutions) {
    CAPTURE(std::string(ic.name));
    CAPTURE(to_string(s));
    const double beta = 0.3;
    std::vector<bargain_result> out(games.size());
    const std::size_t lock = ic.pub ? bargain_numeric_batch(s, games, beta, out)
                                    : detail::bargain_numeric_batch_on(ic.isa, s, games, beta, out);
    const bool simd = vector_runs(ic) && (s == solution::nash || s == solution::generalized_nash ||
                                          s == solution::vertical_monopoly);
    if (simd) CHECK(lock > games.size() * 7 / 10);  // most games run in lock-step
    else CHECK(lock == 0);
    double worst_delta = 0.0, worst_field = 0.0;
    for (std::size_t i = 0; i < games.size(); ++i) {
      const bargain_result e = bargain_numeric(s, games[i], beta);
      const bargain_result& r = out[i];
      INFO("game ", i, ": c0 = ", games[i].c0, ", c1 = ", games[i].c1, ", k0 = ", games[i].k0, ", k1 = ",
           games[i].k1, ", d1 = ", games[i].d1);
      REQUIRE(r.status == e.status);
      CHECK(r.in_pareto == e.in_pareto);
      CHECK(r.tie == e.tie);
      CHECK(r.degenerate == e.degenerate);
      if (e.status != cell_status::ok) continue;
      CHECK(std::abs(r.iterations - e.iterations) <= 1);  // the same iteration, up to a last step
      worst_delta = std::max(worst_delta, std::abs(r.delta - e.delta));
      worst_field = std::max({worst_field, rel(r.u_g, e.u_g), rel(r.u_d, e.u_d), rel(r.alpha0, e.alpha0),
                              rel(r.alpha1, e.alpha1)});
      CHECK(std::abs(r.delta - e.delta) <= 1e-12);
      CHECK(rel(r.u_g, e.u_g) <= 1e-12);
      CHECK(rel(r.u_d, e.u_d) <= 1e-12);
      CHECK(rel(r.alpha0, e.alpha0) <= 1e-12);
      CHECK(rel(r.alpha1, e.alpha1) <= 1e-12);
    }
    MESSAGE(std::string(ic.name), ", ", to_string(s), ": ", lock, " of ", games.size(), " games in lock-step; worst |d delta*| ",
            worst_delta, ", worst field deviation ", worst_field);
  }
}

TEST_CASE("bargain_numeric_batch at k0 = k1 = 2 equals the closed forms (vertical monopoly: "
          "Proposition 3.5, delta = c1/(c0 + c1); Nash: the cubic's root) to 1e-12") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lc(-2.0, 2.0);
  std::vector<game_params> games(512);
  for (auto& g : games) {
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
  }
  for (const isa_case& ic : isa_cases)
  for (solution s : {solution::nash, solution::vertical_monopoly, solution::generalized_nash}) {
    CAPTURE(std::string(ic.name));
    CAPTURE(to_string(s));
    std::vector<bargain_result> out(games.size());
    if (ic.pub) bargain_numeric_batch(s, games, 0.3, out);
    else detail::bargain_numeric_batch_on(ic.isa, s, games, 0.3, out);
    for (std::size_t i = 0; i < games.size(); ++i) {
      const bargain_result c = bargain_closed_form(s, games[i], 0.3);
      REQUIRE(c.status == cell_status::ok);
      REQUIRE(out[i].status == cell_status::ok);
      CHECK(std::abs(out[i].delta - c.delta) <= 1e-12);
      if (s == solution::vertical_monopoly)
        CHECK(std::abs(out[i].delta - games[i].c1 / (games[i].c0 + games[i].c1)) <= 1e-12);
      CHECK(rel(out[i].u_g, c.u_g) <= 1e-12);
      CHECK(rel(out[i].u_d, c.u_d) <= 1e-12);
    }
  }
}

TEST_CASE("bargain_numeric_batch: empty input, and out shorter than games (only min(sizes) written)") {
  std::vector<game_params> games(10);
  std::vector<bargain_result> none;
  CHECK(bargain_numeric_batch(solution::nash, games, 0.5, none) == 0);
  std::vector<bargain_result> three(3);
  bargain_numeric_batch(solution::nash, games, 0.5, three);
  for (const auto& r : three) {
    CHECK(r.status == cell_status::ok);
    CHECK(std::abs(r.delta - 0.5) <= 1e-12);  // c0 = c1, k = 2: Nash at 1/2 by symmetry of G, H
  }
}

TEST_CASE("solve_game_numeric_batch equals solve_game(numeric) game by game: statuses, flags and "
          "the Pareto set's shape exactly, every delta*, field and set end within 1e-12, iterations "
          "within 3 (random games, k in [2, 6], scalar games mixed in)") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> lc(-2.0, 2.0), lk(2.0, 6.0);
  std::vector<game_params> games;
  for (int i = 0; i < 1501; ++i) {
    game_params g;
    g.c0 = std::pow(10.0, lc(rng));
    g.c1 = std::pow(10.0, lc(rng));
    g.k0 = i % 7 == 0 ? 2.0 : lk(rng);
    g.k1 = i % 5 == 0 ? 2.0 : lk(rng);
    if (i % 11 == 3) g.k1 = 1.5;   // robust path
    if (i % 13 == 4) g.d0 = 0.02;  // the set is cut: scalar
    if (i % 17 == 5) g.c1 = 0.0;   // invalid
    games.push_back(g);
  }
  CHECK(detail::best_batch_isa() == (ftg::test::has_avx512() ? batch_isa::avx512
                                     : detail::batch_isa_supported(batch_isa::avx2) ? batch_isa::avx2
                                                                                : batch_isa::scalar));
  for (const isa_case& ic : isa_cases) {
  CAPTURE(std::string(ic.name));
  std::vector<game_solution> out(games.size());
  const std::size_t lanes = ic.pub ? solve_game_numeric_batch(games, 0.3, out)
                                   : detail::solve_game_numeric_batch_on(ic.isa, games, 0.3, out);
  if (vector_runs(ic)) CHECK(lanes > games.size() * 6 / 10);
  else CHECK(lanes == 0);
  double worst = 0.0;
  for (std::size_t i = 0; i < games.size(); ++i) {
    const game_solution e = solve_game(games[i], 0.3, method::numeric);
    const game_solution& r = out[i];
    INFO("game ", i, ": c0 = ", games[i].c0, ", c1 = ", games[i].c1, ", k0 = ", games[i].k0, ", k1 = ", games[i].k1);
    REQUIRE(r.pareto.status == e.pareto.status);
    REQUIRE(r.pareto.count == e.pareto.count);
    CHECK(r.pareto.unimodal == e.pareto.unimodal);
    for (int j = 0; j < e.pareto.count; ++j) {
      CHECK(std::abs(r.pareto.intervals[static_cast<std::size_t>(j)].lo - e.pareto.intervals[static_cast<std::size_t>(j)].lo) <= 1e-12);
      CHECK(std::abs(r.pareto.intervals[static_cast<std::size_t>(j)].hi - e.pareto.intervals[static_cast<std::size_t>(j)].hi) <= 1e-12);
    }
    for (solution s : all_solutions) {
      CAPTURE(to_string(s));
      const bargain_result& a = r[s];
      const bargain_result& x = e[s];
      REQUIRE(a.status == x.status);
      CHECK(a.in_pareto == x.in_pareto);
      CHECK(a.tie == x.tie);
      CHECK(a.degenerate == x.degenerate);
      if (x.status != cell_status::ok) continue;
      CHECK(std::abs(a.iterations - x.iterations) <= 3);
      CHECK(std::abs(a.delta - x.delta) <= 1e-12);
      CHECK(rel(a.u_g, x.u_g) <= 1e-12);
      CHECK(rel(a.u_d, x.u_d) <= 1e-12);
      CHECK(rel(a.alpha0, x.alpha0) <= 1e-12);
      CHECK(rel(a.alpha1, x.alpha1) <= 1e-12);
      worst = std::max({worst, std::abs(a.delta - x.delta), rel(a.u_g, x.u_g), rel(a.u_d, x.u_d)});
    }
  }
  MESSAGE(std::string(ic.name), ": solve_game_numeric_batch: ", lanes, " of ", games.size(), " games in lanes; worst deviation ", worst);
  }
}
