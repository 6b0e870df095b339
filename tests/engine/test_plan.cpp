// The planner (engine/plan.hpp): every cell in exactly one tile (oneTBB's conformance pattern:
// iterate, mark a bitmap), tiles aligned with chunks, delta rows whole, shard ranges disjoint,
// balanced and covering, O(axes) planning of huge grids, size and memory estimates.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/sweep.hpp"

namespace {

// A spec with the given axis sizes (names from `names`, the last one delta when `with_delta`).
ftg::sweep_spec spec_of(const std::vector<std::uint64_t>& dims, bool with_delta, std::uint64_t tile_cells) {
  static const char* outer[] = {"c0", "c1", "k0", "k1", "d0", "d1", "beta"};
  ftg::sweep_spec s;
  s.name = "t";
  s.path = "t.ini";
  s.tile_cells = tile_cells;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    ftg::sweep_axis a;
    const bool is_delta = with_delta && i + 1 == dims.size();
    a.name = is_delta ? "delta" : outer[i];
    a.values.resize(static_cast<std::size_t>(dims[i]));
    for (std::size_t j = 0; j < a.values.size(); ++j) a.values[j] = 1.0 + static_cast<double>(j);
    s.axes.push_back(std::move(a));
    s.axis_exprs.emplace_back("...");
  }
  if (with_delta) {
    s.kind = ftg::sweep_kind::per_delta;
    s.fields = {ftg::delta_field::u_g, ftg::delta_field::u_d, ftg::delta_field::in_pareto};
  } else {
    s.kind = ftg::sweep_kind::per_point;
    s.solutions = {ftg::solution::nash};
  }
  return s;
}

// C-order linear index of a multi-index.
std::uint64_t linear(const std::vector<std::uint64_t>& dims, const std::vector<std::uint64_t>& idx) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < dims.size(); ++i) k = k * dims[i] + idx[i];
  return k;
}

// Every cell of the plan's grid is in exactly one tile; tiles are chunk-aligned boxes.
void check_coverage(const ftg::plan& p) {
  std::vector<std::uint8_t> hits(static_cast<std::size_t>(p.cells), 0);
  std::uint64_t total = 0;
  bool ok = true;
  const std::size_t rank = p.dims.size();
  for (std::uint64_t t = 0; t < p.tile_count && ok; ++t) {
    const ftg::tile tl = ftg::tile_at(p, t);
    total += tl.cells();
    for (std::size_t i = 0; i < rank; ++i) {
      // Chunk alignment: lo on a chunk boundary, extent a full chunk unless cut by the grid edge.
      if (tl.lo[i] % p.chunk[i] != 0 || tl.hi[i] <= tl.lo[i] || tl.hi[i] > p.dims[i] ||
          (tl.hi[i] - tl.lo[i] != p.chunk[i] && tl.hi[i] != p.dims[i]))
        ok = false;
    }
    if (!ok) {
      CAPTURE(t);
      CHECK(ok);
      break;
    }
    std::vector<std::uint64_t> idx(tl.lo);
    bool more = true;
    while (more) {  // odometer over the box, innermost fastest
      std::uint8_t& h = hits[static_cast<std::size_t>(linear(p.dims, idx))];
      if (h != 0) ok = false;
      h = 1;
      more = false;
      for (std::size_t j = rank; j-- > 0;) {
        if (++idx[j] < tl.hi[j]) {
          more = true;
          break;
        }
        idx[j] = tl.lo[j];
      }
    }
  }
  CHECK(ok);
  CHECK(total == p.cells);
  std::uint64_t covered = 0;
  for (const std::uint8_t h : hits) covered += h;
  CHECK(covered == p.cells);
}

}  // namespace

TEST_CASE("planner: every cell in exactly one tile, tiles aligned with chunks, for many grids and tile sizes") {
  struct grid {
    std::vector<std::uint64_t> dims;
    bool delta;
  };
  const std::vector<grid> grids{
      {{7, 13}, true},           {{1, 1}, true},          {{5}, true},          {{5}, false},
      {{3, 1, 11}, true},        {{2, 3, 5, 7, 9}, true}, {{2, 3, 5, 7, 9}, false}, {{17, 1, 4}, false},
      {{1, 201}, true},          {{401}, false},          {{6, 1, 1, 1, 3}, true},
  };
  const std::vector<std::uint64_t> tile_sizes{1, 2, 3, 7, 13, 64, 100, 1000, 65536};
  for (const grid& g : grids) {
    for (const std::uint64_t tc : tile_sizes) {
      const ftg::sweep_spec s = spec_of(g.dims, g.delta, tc);
      const ftg::plan p = ftg::make_plan(s);
      CAPTURE(tc);
      CAPTURE(g.dims.size());
      CAPTURE(g.dims.front());
      REQUIRE(p.dims == g.dims);
      CHECK(p.cells == s.cells());
      CHECK(ftg::cell_count(p) == s.cells());
      // Chunk shape: whole delta rows; otherwise at most tile_cells (but at least one cell).
      if (g.delta) CHECK(p.chunk.back() == g.dims.back());
      if (!g.delta || g.dims.back() <= tc) CHECK(p.chunk_cells <= std::max<std::uint64_t>(tc, g.dims.back()));
      if (!g.delta) CHECK(p.chunk_cells <= tc);
      // A chunk is "as many of the inner axes as fit": an axis is cut only if all inner are whole.
      bool cut_seen = false;
      for (std::size_t j = p.dims.size(); j-- > 0;) {
        if (cut_seen) CHECK(p.chunk[j] == 1);
        if (p.chunk[j] < p.dims[j]) cut_seen = true;
      }
      check_coverage(p);
    }
  }
}

TEST_CASE("planner: the Figure 3 sweep tiles as documented") {
  const ftg::sweep_spec s = ftg::parse_sweep_text(
      "[sweep]\nname = f\nfields = u_g, u_d, alpha1\n[grid]\nc0 = 1\nc1 = logspace(-1, 1, 401)\n"
      "delta = linspace(0, 1, 201)\n",
      "f.ini");
  CHECK(s.tile_cells == 65536);  // the default
  // Smaller tiles (run.tile_cells = 16384): 16384 / 201 = 81 rows a tile, 5 tiles.
  ftg::sweep_spec small = s;
  small.tile_cells = 16384;
  CHECK(ftg::make_plan(small).chunk == std::vector<std::uint64_t>{81, 201});
  CHECK(ftg::make_plan(small).tile_count == 5);
  const ftg::plan p = ftg::make_plan(s);
  CHECK(p.dims == std::vector<std::uint64_t>{401, 201});
  CHECK(p.chunk == std::vector<std::uint64_t>{326, 201});  // 65536 / 201 = 326 rows
  CHECK(p.tile_count == 2);
  const ftg::tile last = ftg::tile_at(p, 1);
  CHECK(last.lo == std::vector<std::uint64_t>{326, 0});
  CHECK(last.hi == std::vector<std::uint64_t>{401, 201});
  CHECK(last.cells() == 75 * 201);
  CHECK_THROWS_AS((void)ftg::tile_at(p, 2), std::out_of_range);
  const ftg::index_box box = ftg::to_box(last);
  CHECK(box.lo == last.lo);
  CHECK(box.hi == last.hi);
  CHECK(box.cells() == last.cells());
  // Outputs: u_g, u_d, alpha1 in f64 (tile_compute's order: alpha1, u_g, u_d), status 1 byte.
  REQUIRE(p.outputs.size() == 4);
  CHECK(p.outputs[0].name == "alpha1");
  CHECK(p.outputs[3].name == "status");
  CHECK(p.bytes_per_cell == 3 * 8 + 1);
  CHECK(p.axis_bytes == 8 * (401 + 201));
  CHECK(p.output_bytes == 80601 * 25 + 8 * 602);
  CHECK(ftg::peak_memory_bytes(p, 1) == 1 * 326 * 201 * 25 + 8 * 602);
  CHECK(ftg::peak_memory_bytes(p, 4) == 2 * 326 * 201 * 25 + 8 * 602);  // only 2 tiles exist
  const std::string text = ftg::describe_plan(p, s, 4);
  CAPTURE(text);
  CHECK(text.find("cells: 80,601\n") != std::string::npos);
  CHECK(text.find("chunk (= tile) shape: 326 x 201 (65,526 cells; target 65,536)\n") != std::string::npos);
  CHECK(text.find("tiles: 2 (2 x 1)\n") != std::string::npos);
  CHECK(text.find("axes: c1[401] x delta[201]\n") != std::string::npos);
  CHECK(text.find("peak memory: ") != std::string::npos);
  CHECK(text.find("(2 tiles in flight)") != std::string::npos);
  CHECK(text.find("\n  u_g: 629.7 KiB\n") != std::string::npos);
  CHECK(ftg::peak_disk_bytes(p) == p.output_bytes);
  // f32 halves the numbers, not the statuses. Compression happens when finish() compacts the
  // .partial file: memory is its two batches (32 MiB read each, plus their deflated copies) when larger than the
  // tiles in flight, and the disk holds both files at the peak (engine/plan.hpp).
  ftg::sweep_spec s32 = s;
  s32.precision = ftg::value_precision::f32;
  s32.compression = ftg::sweep_compression::deflate;
  const ftg::plan p32 = ftg::make_plan(s32);
  CHECK(p32.bytes_per_cell == 3 * 4 + 1);
  CHECK(ftg::peak_memory_bytes(p32, 1) == 4 * (std::uint64_t{32} << 20) + 8 * 602);
  CHECK(ftg::peak_disk_bytes(p32) == 2 * p32.output_bytes);
  CHECK(ftg::describe_plan(p32, s32, 2).find("peak disk: ") != std::string::npos);
}

TEST_CASE("planner: per-point outputs follow tile_compute's field names") {
  const ftg::sweep_spec s = ftg::parse_sweep_text(
      "[sweep]\nname = f\nsolutions = nash, egalitarian\nprecision = f32\n[grid]\nc0 = 1\nc1 = 1, 2, 3\n", "f.ini");
  const ftg::plan p = ftg::make_plan(s);
  std::vector<std::string> names;
  for (const auto& o : p.outputs) names.push_back(o.name);
  CHECK(names == ftg::field_names(ftg::to_request(s)));  // the datasets tile_compute fills
  REQUIRE(names.size() == 8);
  CHECK(names[0].starts_with("nash_"));
  CHECK(names[7].starts_with("egalitarian_"));
  CHECK(p.bytes_per_cell == 6 * 4 + 2);
  CHECK(p.outputs[0].bytes == 3 * 4);
}

TEST_CASE("shard ranges are disjoint, in order, balanced and cover every tile") {
  const ftg::sweep_spec s = spec_of({7, 13, 5}, true, 5);  // one delta row per tile
  const ftg::plan p = ftg::make_plan(s);
  REQUIRE(p.tile_count == 7 * 13);
  for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{7},
                                p.tile_count, p.tile_count + 5}) {
    CAPTURE(n);
    std::uint64_t next = 0, smallest = p.tile_count, largest = 0;
    for (std::uint64_t k = 0; k < n; ++k) {
      const ftg::tile_range r = ftg::shard_range(p, k, n);
      CHECK(r.first == next);  // contiguous, disjoint, in order
      CHECK(r.last >= r.first);
      next = r.last;
      smallest = std::min(smallest, r.size());
      largest = std::max(largest, r.size());
    }
    CHECK(next == p.tile_count);
    CHECK(largest - smallest <= 1);
  }
  CHECK_THROWS_AS((void)ftg::shard_range(p, 0, 0), std::invalid_argument);
  CHECK_THROWS_AS((void)ftg::shard_range(p, 3, 3), std::invalid_argument);
  // Huge tile counts do not overflow.
  ftg::plan big;
  big.tile_count = 9'000'000'000'000'000'000ULL;
  const ftg::tile_range r = ftg::shard_range(big, 999'999, 1'000'000);
  CHECK(r.last == big.tile_count);
  CHECK(r.size() == 9'000'000'000'000ULL);
}

TEST_CASE("a 1e10-cell grid plans instantly, in O(axes) memory") {
  const auto start = std::chrono::steady_clock::now();
  const ftg::sweep_spec s = ftg::parse_sweep_text(
      "[sweep]\nname = big\nfields = u_g\n[grid]\nc0 = logspace(-1, 1, 1000)\nc1 = logspace(-1, 1, 10000)\n"
      "delta = linspace(0, 1, 1000)\n",
      "big.ini");
  const ftg::plan p = ftg::make_plan(s);
  CHECK(p.cells == 10'000'000'000ULL);
  CHECK(p.chunk == std::vector<std::uint64_t>{1, 65, 1000});
  CHECK(p.tile_count == 1000 * 154);
  const ftg::tile last = ftg::tile_at(p, p.tile_count - 1);
  CHECK(last.hi == p.dims);
  CHECK(last.lo == std::vector<std::uint64_t>{999, 9945, 0});
  const ftg::tile mid = ftg::tile_at(p, 154 * 3 + 2);
  CHECK(mid.lo == std::vector<std::uint64_t>{3, 130, 0});
  CHECK(p.output_bytes == 10'000'000'000ULL * 9 + 8 * (1000 + 10000 + 1000));
  const ftg::tile_range shard = ftg::shard_range(p, 6, 7);
  CHECK(shard.last == p.tile_count);
  CHECK(!ftg::describe_plan(p, s, 8).empty());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("parse + plan of 1e10 cells: " << seconds << " s");  // reported, never asserted
}

TEST_CASE("format_bytes") {
  CHECK(ftg::format_bytes(0) == "0 B");
  CHECK(ftg::format_bytes(1023) == "1023 B");
  CHECK(ftg::format_bytes(1024) == "1.0 KiB");
  CHECK(ftg::format_bytes(1536) == "1.5 KiB");
  CHECK(ftg::format_bytes(std::uint64_t{3} << 30) == "3.0 GiB");
}
