#include "engine/plan.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace ftg {

std::uint64_t tile::cells() const noexcept {
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < lo.size(); ++i) n *= hi[i] - lo[i];
  return n;
}

namespace {

std::uint64_t value_bytes(const sweep_spec& spec) { return spec.precision == value_precision::f64 ? 8 : 4; }

void add_output(plan& p, std::string name, std::uint64_t bytes_per_cell) {
  output_estimate e;
  e.name = std::move(name);
  e.bytes_per_cell = bytes_per_cell;
  e.bytes = bytes_per_cell * p.cells;
  p.bytes_per_cell += bytes_per_cell;
  p.outputs.push_back(std::move(e));
}

// "1,234,567"
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const std::size_t len = digits.size();
  for (std::size_t i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string join_shape(const std::vector<std::uint64_t>& v) {
  std::string out;
  for (const std::uint64_t x : v) out += (out.empty() ? "" : " x ") + grouped(x);
  return out;
}

}  // namespace

plan make_plan(const sweep_spec& spec) {
  plan p;
  const std::size_t rank = spec.axes.size();
  p.delta_innermost = spec.has_delta_axis();
  p.dims.resize(rank);
  p.chunk.resize(rank);
  p.tiles_per_axis.resize(rank);
  p.cells = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    p.dims[i] = spec.axes[i].values.size();
    p.cells *= p.dims[i];
    p.axis_bytes += 8 * p.dims[i];
  }
  // Innermost first: the whole delta axis, then as many of each outer axis as fit tile_cells.
  const std::uint64_t target = std::max<std::uint64_t>(spec.tile_cells, 1);
  std::uint64_t inner = 1;
  for (std::size_t j = rank; j-- > 0;) {
    std::uint64_t c = 0;
    if (j + 1 == rank && p.delta_innermost) {
      c = p.dims[j];
    } else {
      c = std::clamp<std::uint64_t>(target / inner, 1, p.dims[j]);
    }
    p.chunk[j] = c;
    inner *= c;
  }
  p.chunk_cells = inner;
  p.tile_count = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    p.tiles_per_axis[i] = (p.dims[i] + p.chunk[i] - 1) / p.chunk[i];
    p.tile_count *= p.tiles_per_axis[i];
  }

  // Datasets with one value per cell: engine/tile_compute.hpp's fields (categories are 1 byte).
  const std::uint64_t vb = value_bytes(spec);
  const sweep_request req = to_request(spec);
  const std::vector<extra_dim> extras = extra_dims(req);
  for (const field_info& f : fields_of(req)) {
    const std::uint64_t extent = f.extra < 0 ? 1 : extras[static_cast<std::size_t>(f.extra)].values.size();
    add_output(p, f.name, (f.categorical ? 1 : vb) * extent);
  }
  p.compressed = spec.compression == sweep_compression::deflate;
  p.output_bytes = p.bytes_per_cell * p.cells + p.axis_bytes;
  return p;
}

tile tile_at(const plan& p, std::uint64_t index) {
  if (index >= p.tile_count) throw std::out_of_range("tile_at: index " + std::to_string(index) + " >= tile count " +
                                                     std::to_string(p.tile_count));
  const std::size_t rank = p.dims.size();
  tile t;
  t.index = index;
  t.lo.resize(rank);
  t.hi.resize(rank);
  std::uint64_t rest = index;
  for (std::size_t j = rank; j-- > 0;) {
    const std::uint64_t k = rest % p.tiles_per_axis[j];
    rest /= p.tiles_per_axis[j];
    t.lo[j] = k * p.chunk[j];
    t.hi[j] = std::min(t.lo[j] + p.chunk[j], p.dims[j]);
  }
  return t;
}

index_box to_box(const tile& t) {
  index_box b;
  b.lo = t.lo;
  b.hi = t.hi;
  return b;
}

std::uint64_t cell_count(const plan& p) noexcept { return p.cells; }

tile_range shard_range(const plan& p, std::uint64_t shard, std::uint64_t num_shards) {
  if (num_shards == 0 || shard >= num_shards)
    throw std::invalid_argument("shard_range: shard " + std::to_string(shard) + " of " + std::to_string(num_shards) +
                                " (needs num_shards >= 1 and shard < num_shards)");
  const std::uint64_t q = p.tile_count / num_shards;
  const std::uint64_t r = p.tile_count % num_shards;
  tile_range range;
  range.first = shard * q + std::min(shard, r);
  range.last = range.first + q + (shard < r ? 1 : 0);
  return range;
}

std::uint64_t peak_memory_bytes(const plan& p, std::uint64_t tiles_in_flight) noexcept {
  const std::uint64_t tile_bytes = p.chunk_cells * p.bytes_per_cell;
  const std::uint64_t run = std::min(tiles_in_flight, p.tile_count) * tile_bytes;
  // h5_writer::compact_into_final: two batches of 32 MiB in flight, each with its deflated copy
  const std::uint64_t compaction = p.compressed ? 4 * (std::uint64_t{32} << 20) : 0;
  return std::max(run, compaction) + p.axis_bytes;
}

std::uint64_t peak_disk_bytes(const plan& p) noexcept {
  return p.compressed ? 2 * p.output_bytes : p.output_bytes;
}

std::uint64_t tiles_in_flight_for(int threads, bool writes) noexcept {
  const std::uint64_t t = threads > 0 ? static_cast<std::uint64_t>(threads) : 1;
  return writes ? 2 * t : t + 1;
}

std::uint64_t default_tiles_in_flight() noexcept {
  const unsigned hw = std::thread::hardware_concurrency();
  return tiles_in_flight_for(hw == 0 ? 1 : static_cast<int>(hw), true);
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double x = static_cast<double>(bytes) / 1024.0;
  int u = 0;
  while (x >= 1024.0 && u < 5) {
    x /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", x, units[u]);
  return buf;
}

std::string describe_plan(const plan& p, const sweep_spec& spec, std::uint64_t tiles_in_flight) {
  const std::uint64_t t = tiles_in_flight == 0 ? default_tiles_in_flight() : tiles_in_flight;
  std::string out;
  out += "sweep: " + spec.name + " (" + spec.path + ")\n";
  out += std::string("kind: ") + (spec.kind == sweep_kind::per_delta ? "per-delta fields" : "per-point results") +
         ", " + (spec.precision == value_precision::f64 ? "f64" : "f32") + ", " +
         (spec.compression == sweep_compression::none ? "no compression" : "shuffle+deflate") + ", " +
         (spec.solver == solve_choice::automatic ? "method auto"
          : spec.solver == solve_choice::numeric ? "method numeric"
                                                 : "method closed_form") + "\n";
  std::string axes;
  for (std::size_t i = 0; i < spec.axes.size(); ++i)
    axes += (axes.empty() ? "" : " x ") + spec.axes[i].name + "[" + grouped(p.dims[i]) + "]";
  out += "axes: " + axes + "\n";
  out += "cells: " + grouped(p.cells) + "\n";
  out += "chunk (= tile) shape: " + join_shape(p.chunk) + " (" + grouped(p.chunk_cells) + " cells; target " +
         grouped(spec.tile_cells) + ")\n";
  out += "tiles: " + grouped(p.tile_count) + " (" + join_shape(p.tiles_per_axis) + ")\n";
  out += "output: " + format_bytes(p.output_bytes) + (p.compressed ? " before compression" : "") + " in " +
         std::to_string(p.outputs.size()) + " datasets plus axes (" + format_bytes(p.axis_bytes) + ")\n";
  if (p.compressed)
    out += "peak disk: " + format_bytes(peak_disk_bytes(p)) +
           " (the uncompressed .partial file until it is compacted into the compressed file)\n";
  for (const output_estimate& e : p.outputs) out += "  " + e.name + ": " + format_bytes(e.bytes) + "\n";
  out += "peak memory: " + format_bytes(peak_memory_bytes(p, t)) + " (" +
         std::to_string(std::min(t, p.tile_count)) + " tiles in flight)\n";
  return out;
}

}  // namespace ftg
