// bench/workload.hpp: the fixed, seeded samples of games that every kernel benchmark and every
// peer (bench/naive_peer.cpp, bench/peers/peer_solutions.py) times.
//
// 1. What: n games with c0, c1 drawn log-uniformly from [1/4, 4] (so c1/c0 spans [1/16, 16]),
//    d0 = d1 = 0, and either k0 = k1 = 2 (the closed-form case) or k0 = 2.5, k1 = 3.5 (general k,
//    the case PERFORMANCE.md quotes). Deltas for the per-delta kernels are a uniform grid on [0, 1],
//    both ends included.
// 2. Reproducible across languages: the generator is SplitMix64 (Steele, Lea and Flood, OOPSLA 2014)
//    and u = (z >> 11) * 2^-53, c = 0.25 * pow(2, 4 u). peer_solutions.py implements the same three
//    lines, and both print sample_checksum() so the report can confirm they timed the same games.
//    std::uniform_real_distribution is not used: its output is implementation-defined.
// 3. Inputs are drawn once, outside every timed loop.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "kernels/params.hpp"

namespace ftg::bench {

inline constexpr std::uint64_t sample_seed = 20230808;  // arXiv:2308.04399 was submitted in 08/2023
inline constexpr int sample_games = 256;                // games per bargaining / Pareto pass
inline constexpr int spe_deltas = 64;                   // deltas per game for bm_spe
inline constexpr double generalized_nash_beta = 0.3;    // != 0.5, so it is not the Nash workload

/// One cost-exponent setting of the sample; `label` is the benchmark-name suffix.
struct k_case {
  const char* label;
  double k0;
  double k1;
};
inline constexpr k_case k_quadratic{"k=2", 2.0, 2.0};
inline constexpr k_case k_general{"k=2.5_3.5", 2.5, 3.5};

inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline double unit_uniform(std::uint64_t& state) noexcept {
  return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
}

/// c0, c1 of the sample depend on the seed only, so every k case times the same cost pairs.
inline std::vector<game_params> make_games(const k_case& k, int n = sample_games,
                                           std::uint64_t seed = sample_seed) {
  std::vector<game_params> games(static_cast<std::size_t>(n));
  std::uint64_t state = seed;
  for (auto& g : games) {
    g.c0 = 0.25 * std::pow(2.0, 4.0 * unit_uniform(state));
    g.c1 = 0.25 * std::pow(2.0, 4.0 * unit_uniform(state));
    g.k0 = k.k0;
    g.k1 = k.k1;
    g.d0 = 0.0;
    g.d1 = 0.0;
  }
  return games;
}

/// delta_i = i / (n - 1), i = 0..n-1.
inline std::vector<double> make_deltas(int n = spe_deltas) {
  std::vector<double> deltas(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) deltas[static_cast<std::size_t>(i)] = static_cast<double>(i) / (n - 1);
  return deltas;
}

/// Sum of c0 + c1 over the sample, printed by both languages to prove they drew the same games.
inline double sample_checksum(const std::vector<game_params>& games) noexcept {
  double s = 0.0;
  for (const auto& g : games) s += g.c0 + g.c1;
  return s;
}

/// Counters of the untimed validation pass. Google Benchmark calls a benchmark function several
/// times (to size the iteration count, then once per repetition); each registration owns one memo so
/// that the validation pass, which can cost as much as a timed pass, runs only on the first call.
using validation_memo = std::shared_ptr<std::map<std::string, double>>;

inline validation_memo make_memo() { return std::make_shared<std::map<std::string, double>>(); }

template <class Validate>
void validate_once(const validation_memo& memo, Validate&& validate) {
  if (memo->empty()) validate(*memo);
}

inline void report_validation(benchmark::State& state, const validation_memo& memo) {
  for (const auto& [key, value] : *memo) state.counters[key] = value;
}

/// Explicit registration, called from main() (no static self-registration).
void register_kernel_benchmarks();
void register_naive_benchmarks();

}  // namespace ftg::bench
