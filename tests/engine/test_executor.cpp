// engine/executor.hpp: every tile computed and written exactly once, in order, for any thread
// count and token budget (oneTBB's conformance pattern), results independent of the thread count,
// and a stop request finishes the tiles in flight and starts no new one.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <numeric>
#include <vector>

#include <oneapi/tbb/global_control.h>

#include "engine/executor.hpp"
#include "kernels/spe.hpp"

using namespace ftg;

namespace {

// A tile's work: the closed-form equilibrium on 64 cells whose parameters depend on the tile id.
std::vector<double> compute_tile(std::uint64_t id) {
  std::vector<double> out(64);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const game_params g{1.0 + static_cast<double>(id % 7), 0.5 + 0.01 * static_cast<double>(i), 2.5, 1.5, 0, 0};
    out[i] = spe(g, static_cast<double>(i) / 63.0).u_g;
  }
  return out;
}

}  // namespace

TEST_CASE("run_pipeline: every tile exactly once, in source order, bit-identical for 1, 2 and "
          "hardware threads and any token budget") {
  std::vector<std::uint64_t> tiles(257);
  std::iota(tiles.begin(), tiles.end(), 1000);
  std::vector<std::vector<double>> reference;
  for (int threads : {1, 2, 4}) {
    for (std::size_t tokens : {std::size_t{1}, std::size_t{3}, std::size_t{16}}) {
      oneapi::tbb::global_control limit(oneapi::tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
      std::vector<std::uint64_t> order;
      std::vector<std::vector<double>> results;
      std::atomic<int> in_flight{0}, max_in_flight{0};
      const pipeline_summary s = run_pipeline<std::vector<double>>(
          tiles,
          [&](std::uint64_t id) {
            const int now = ++in_flight;
            int seen = max_in_flight.load();
            while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {}
            auto r = compute_tile(id);
            --in_flight;
            return r;
          },
          [&](std::uint64_t id, std::vector<double>&& buf) {
            order.push_back(id);
            results.push_back(std::move(buf));
          },
          pipeline_options{tokens, nullptr});
      CAPTURE(threads);
      CAPTURE(tokens);
      CHECK(s.tiles_written == tiles.size());
      CHECK_FALSE(s.stopped);
      CHECK(order == tiles);  // each exactly once, in order
      CHECK(max_in_flight.load() <= static_cast<int>(tokens));
      if (reference.empty()) reference = results;
      CHECK(results == reference);  // bit-identical
    }
  }
}

TEST_CASE("run_pipeline: a stop request starts no new tile; the tiles in flight are written") {
  std::vector<std::uint64_t> tiles(1000);
  std::iota(tiles.begin(), tiles.end(), 0);
  std::atomic<bool> stop{false};
  std::vector<std::uint64_t> written;
  const pipeline_summary s = run_pipeline<std::vector<double>>(
      tiles,
      [&](std::uint64_t id) {
        if (id == 100) stop = true;  // as if SIGTERM arrived while tile 100 is computed
        return compute_tile(id);
      },
      [&](std::uint64_t id, std::vector<double>&&) { written.push_back(id); }, pipeline_options{4, &stop});
  CHECK(s.stopped);
  CHECK(s.tiles_written == written.size());
  CHECK(written.size() >= 101);          // tile 100 and everything before it finished
  CHECK(written.size() <= 101 + 4);      // at most the tokens in flight after the request
  for (std::size_t i = 0; i < written.size(); ++i) CHECK(written[i] == i);  // a prefix, no gaps
}
