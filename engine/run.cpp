#include "engine/run.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <iterator>
#include <mutex>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include "engine/error.hpp"
#include "engine/executor.hpp"
#include "engine/h5/h5_writer.hpp"
#include "engine/plan.hpp"
#include "engine/shard.hpp"
#include "engine/signals.hpp"
#include "engine/sweep.hpp"
#include "engine/tile_compute.hpp"
#include "engine/version.hpp"
#include "kernels/params.hpp"

#ifndef FTG_GIT_DESCRIBE
#define FTG_GIT_DESCRIBE "unknown"
#endif

namespace ftg {
namespace {

constexpr std::string_view command = "run";

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// FNV-1a, 64 bits: identifies the resolved sweep text (resume and merge refuse a foreign file).
std::string sweep_hash(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The variables of a run: each field's box within a tile, extended by its extra dim (the whole
// extra dim: a chunk spans it), and its chunk shape.
struct var_layout {
  std::vector<field_info> fields;
  std::vector<extra_dim> extras;
  std::size_t grid_rank = 0;

  var_layout(const sweep_request& req, std::size_t rank) : fields(fields_of(req)), extras(extra_dims(req)), grid_rank(rank) {}
  std::uint64_t extent(std::size_t v) const {
    return fields[v].extra < 0 ? 1 : extras[static_cast<std::size_t>(fields[v].extra)].values.size();
  }
  std::vector<std::uint64_t> lo(std::size_t v, const tile& t) const {
    std::vector<std::uint64_t> x = t.lo;
    if (fields[v].extra >= 0) x.push_back(0);
    return x;
  }
  std::vector<std::uint64_t> hi(std::size_t v, const tile& t) const {
    std::vector<std::uint64_t> x = t.hi;
    if (fields[v].extra >= 0) x.push_back(extent(v));
    return x;
  }
  std::vector<std::uint64_t> chunk(std::size_t v, const plan& p) const {
    std::vector<std::uint64_t> x = p.chunk;
    if (fields[v].extra >= 0) x.push_back(extent(v));
    return x;
  }
};

h5::file_desc describe_file(const sweep_spec& spec, const plan& p, const var_layout& layout, const run_options& opts) {
  h5::file_desc d;
  for (const sweep_axis& a : spec.axes) d.axes.push_back(h5::axis_desc{a.name, a.values, "", ""});
  for (const extra_dim& e : layout.extras) d.axes.push_back(h5::axis_desc{e.name, e.values, "", ""});
  std::vector<int> dims(spec.axes.size());
  for (std::size_t i = 0; i < dims.size(); ++i) dims[i] = static_cast<int>(i);
  for (const field_info& f : layout.fields) {
    h5::var_desc v;
    v.name = f.name;
    v.type = f.categorical ? h5::var_desc::dtype::u8_enum
                           : (spec.precision == value_precision::f32 ? h5::var_desc::dtype::f32
                                                                     : h5::var_desc::dtype::f64);
    v.dims = dims;
    if (f.extra >= 0) v.dims.push_back(static_cast<int>(spec.axes.size()) + f.extra);
    d.vars.push_back(std::move(v));
  }
  d.chunk.assign(p.chunk.begin(), p.chunk.end());
  for (const extra_dim& e : layout.extras) d.chunk.push_back(e.values.size());
  d.deflate = spec.compression == sweep_compression::deflate;
  d.tile_count = p.tile_count;
  const std::string source = std::string("ftgames ") + std::string(version()) + " (git " FTG_GIT_DESCRIBE ")";
  d.attrs = {
      {"title", "ftgames sweep " + spec.name + " (" + spec.path + ")"},
      {"source", source},
      {"history", utc_now() + ": " + opts.command_line},
      {"software", "ftgames"},
      {"software_version", FTG_GIT_DESCRIBE},
      {"sweep_name", spec.name},
      {"sweep_text", spec.resolved_text},
      {"sweep_hash", sweep_hash(spec.resolved_text)},
      {"command_line", opts.command_line},
      {"tbb_version", TBB_runtime_version()},
      {"threads", std::to_string(opts.threads > 0 ? opts.threads : oneapi::tbb::info::default_concurrency())},
      {"date_start", utc_now()},
  };
  return d;
}

// A tile's buffers, converted to the file's precision in the worker that computed them.
// (Compression happens once every tile is on disk: h5_writer::finish compacts the .partial file,
// shuffling and deflating its chunks in the worker threads.)
struct tile_buffers {
  tile_result result;
  std::vector<std::vector<float>> narrow;  // f32 copies of result.numbers, when requested
  int computed_by = -1;                    // the worker that last computed into them (a TBB slot)
};

// The written tiles' buffers, handed back to the compute stage: a worker gets the buffers it
// computed into itself most recently, else the most recently released ones. Those are the
// likeliest to be in its own cache (L2 is per core): a first-in, first-out queue handed out the
// coldest, and at two threads plain last in, first out often handed a worker the buffer the other
// core had just written, whose lines then move between the cores. The lock is taken twice a tile;
// the stack holds at most the tiles in flight.
class spare_buffers {
 public:
  void push(tile_buffers&& b) {
    const std::lock_guard<std::mutex> lock(m_);
    stack_.push_back(std::move(b));
  }
  /// Moves buffers into `b` as above, or leaves `b` alone when there are none.
  void pop(tile_buffers& b, int worker) {
    const std::lock_guard<std::mutex> lock(m_);
    if (stack_.empty()) return;
    auto it = stack_.end();
    while (it != stack_.begin() && std::prev(it)->computed_by != worker) --it;
    it = it == stack_.begin() ? std::prev(stack_.end()) : std::prev(it);
    b = std::move(*it);
    stack_.erase(it);
  }

 private:
  std::mutex m_;
  std::vector<tile_buffers> stack_;
};

}  // namespace

void check_disk_space(std::uint64_t bytes, const std::string& output, std::string_view cmd) {
  namespace fs = std::filesystem;
  const fs::path out(output);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  const fs::space_info space = fs::space(dir, ec);
  if (ec) throw usage_error(cmd, "cannot find the free space of " + dir.string() + ": " + ec.message());
  if (bytes > space.available)
    throw usage_error(cmd, "the output needs about " + format_bytes(bytes) + " but " + dir.string() + " has " +
                               format_bytes(space.available) + " free");
}

std::string describe_summary(const run_summary& s) {
  std::ostringstream o;
  if (s.already_complete) return "already complete: " + s.output + " (--continue: nothing to do)";
  const double rate = s.seconds > 0.0 ? static_cast<double>(s.cells) / s.seconds : 0.0;
  o << (s.stopped ? "stopped: " : "done: ") << s.cells << " cells in " << s.tiles << " tiles, "
    << s.tiles_computed << " tiles computed in " << s.seconds << " s";
  if (!s.stopped) o << " (" << rate << " cells/s over the sweep)";
  o << ", cells not ok: " << s.cells_not_ok;
  if (!s.shard.empty()) o << ", " << s.shard;
  if (!s.output.empty()) o << (s.stopped ? ", resumable: " : ", output: ") << s.output << (s.stopped ? ".partial" : "");
  return o.str();
}

run_summary run_sweep(const run_options& opts, std::ostream& err) {
  const auto t0 = std::chrono::steady_clock::now();
  // The thread limit first: parsing a long logspace axis already runs in parallel (sweep.cpp).
  const int threads = opts.threads > 0 ? opts.threads : oneapi::tbb::info::default_concurrency();
  oneapi::tbb::global_control limit(oneapi::tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(threads));
  const sweep_spec spec = parse_sweep(opts.sweep_path, opts.overrides, command);
  const plan p = make_plan(spec);
  const sweep_request req = to_request(spec);
  const var_layout layout(req, spec.axes.size());
  const std::vector<field_info>& fields = layout.fields;

  run_summary s;
  s.cells = p.cells;
  s.tiles = p.tile_count;
  s.output = opts.compute_only ? "" : (opts.output.empty() ? spec.name + ".h5" : opts.output);
  // Sharded run (docs/cluster.md): only the tiles [mine.first, mine.last).
  const tile_range mine = opts.shard ? shard_range(p, opts.shard->index, opts.shard->count) : tile_range{0, p.tile_count};
  if (opts.shard) {
    if (!opts.compute_only) s.output = shard_output_name(s.output, *opts.shard);  // -o names the merged file
    s.shard = "shard " + std::to_string(opts.shard->index) + " of " + std::to_string(opts.shard->count) +
              " (tiles " + std::to_string(mine.first) + "-" + std::to_string(mine.last) + ")";
  }

  std::optional<h5::h5_writer> writer;
  std::vector<std::uint64_t> todo;
  std::uint64_t previous_not_ok = 0;
  if (!opts.compute_only) {
    namespace fs = std::filesystem;
    const fs::path out(s.output);
    const std::string partial = s.output + ".partial";
    // --continue (batch jobs that may be resubmitted): resume a .partial, skip a finished file.
    const bool resume = opts.resume || (opts.continue_run && fs::exists(partial));
    if (opts.continue_run && !resume && fs::exists(out)) {
      s.already_complete = true;
      return s;
    }
    if (!resume && fs::exists(out) && !opts.force)
      throw usage_error(command, s.output + " exists (use --force to overwrite, or another --output)");
    if (resume && !fs::exists(partial))
      throw usage_error(command, partial + " does not exist: nothing to resume (run without --resume)");
    // A compressed run or a shard keeps the unfiltered .partial file (a shard's holes take no
    // disk) until finish() has compacted it: twice the data at the peak (h5_writer::finish).
    if (!resume) {
      const std::uint64_t data = p.tile_count == 0 ? p.output_bytes - p.axis_bytes
                                                   : (p.output_bytes - p.axis_bytes) / p.tile_count * mine.size();
      const bool compacts = p.compressed || opts.shard.has_value();
      check_disk_space(p.axis_bytes + (compacts ? 2 * data : data), s.output, command);
    }
    h5::file_desc desc = describe_file(spec, p, layout, opts);
    if (opts.shard) {
      std::vector<std::string> axis_names;
      for (const sweep_axis& a : spec.axes) axis_names.push_back(a.name);
      desc.attrs.merge(shard_attributes(p, *opts.shard, axis_names));
      desc.owned_first = mine.first;
      desc.owned_last = mine.last;
      desc.allocate_on_write = true;
    }
    writer = resume ? h5::h5_writer::resume(s.output, desc) : h5::h5_writer::create(s.output, desc);
    const std::vector<bool> done = writer->tiles_done();
    for (std::uint64_t t = mine.first; t < mine.last; ++t)
      if (!done[t]) todo.push_back(t);
    // cells_not_ok covers the whole file: recount the tiles an earlier run completed from their
    // statuses (a cell fails when any of its status variables is a failure).
    if (resume) {
      std::vector<std::size_t> status_vars;
      for (std::size_t v = 0; v < fields.size(); ++v)
        if (is_status(fields[v].name)) status_vars.push_back(v);
      for (std::uint64_t t = mine.first; t < mine.last; ++t) {
        if (!done[t]) continue;
        const tile tl = tile_at(p, t);
        std::vector<char> bad(tl.cells(), 0);
        for (std::size_t v : status_vars) {
          const std::vector<std::uint8_t> codes = writer->read_u8_block(v, layout.lo(v, tl), layout.hi(v, tl));
          const std::uint64_t e = layout.extent(v);  // a cell fails when any of its entries does
          for (std::size_t i = 0; i < codes.size(); ++i)
            bad[i / e] |= codes[i] != static_cast<std::uint8_t>(cell_status::ok) &&
                          codes[i] != static_cast<std::uint8_t>(cell_status::disagreement);
        }
        for (char b : bad) previous_not_ok += b != 0;
      }
    }
  } else {
    for (std::uint64_t t = mine.first; t < mine.last; ++t) todo.push_back(t);
  }

  install_stop_handlers();
  std::uint64_t not_ok = 0;
  // Tile buffers go back here once written and are reused by the compute stage: at most the
  // tiles in flight exist, and large sweeps stop paying page faults for every tile.
  spare_buffers spare;
  // As many as can be in flight, reserved here (tile_compute.hpp, reserve_tile): in this thread's
  // malloc arena, not a worker's; pages are faulted in by the workers' first stores, in parallel.
  const std::size_t in_flight = static_cast<std::size_t>(tiles_in_flight_for(threads, writer.has_value()));
  for (std::size_t i = 0; i < std::min<std::uint64_t>(in_flight, todo.size()); ++i) {
    tile_buffers b;
    reserve_tile(req, p.chunk_cells, b.result);
    if (spec.precision == value_precision::f32 && writer) {
      b.narrow.resize(b.result.numbers.size());
      for (std::size_t v = 0; v < b.narrow.size(); ++v) b.narrow[v].reserve(b.result.numbers[v].capacity());
    }
    spare.push(std::move(b));
  }
  {
    const std::uint64_t my_cells = [&] {
      if (!opts.shard) return p.cells;
      std::uint64_t c = 0;
      for (std::uint64_t t = mine.first; t < mine.last; ++t) c += tile_at(p, t).cells();
      return c;
    }();
    progress_reporter progress(err, opts.stderr_is_terminal, my_cells, opts.progress, opts.progress_interval);
    progress.add(my_cells - [&] {
      std::uint64_t c = 0;
      for (std::uint64_t t : todo) c += tile_at(p, t).cells();
      return c;
    }());
    std::vector<std::uint64_t> pending;  // written, not yet recorded as done
    auto last_flush = std::chrono::steady_clock::now();
    auto flush = [&] {
      if (writer && !pending.empty()) writer->mark_tiles_done(pending);
      pending.clear();
      last_flush = std::chrono::steady_clock::now();
    };
    const bool narrow = spec.precision == value_precision::f32;
    const pipeline_summary ps = run_pipeline<tile_buffers>(
        todo,
        [&](std::uint64_t id) {
          tile_buffers b;
          const int worker = oneapi::tbb::this_task_arena::current_thread_index();
          spare.pop(b, worker);  // a written tile's buffers, if any: no fresh pages per tile
          b.computed_by = worker;
          const tile t = tile_at(p, id);
          compute_tile(req, to_box(t), b.result);
          if (narrow && writer) {
            b.narrow.resize(b.result.numbers.size());
            for (std::size_t v = 0; v < b.narrow.size(); ++v)
              b.narrow[v].assign(b.result.numbers[v].begin(), b.result.numbers[v].end());
          }
          if (!writer) {
            // Nothing will read the cells: the buffers go back at once, from this worker, so its
            // next tile gets them while they are in its cache; the sink sees only the count.
            // (Handed back by the in-order sink, a worker whose tile finished first had to take
            // buffers the other core had written: two threads gave about 1.0x one.)
            tile_buffers counts;
            counts.result.cells_not_ok = b.result.cells_not_ok;
            spare.push(std::move(b));
            return counts;
          }
          return b;
        },
        [&](std::uint64_t id, tile_buffers&& b) {
          const tile t = tile_at(p, id);
          if (writer) {
            std::size_t num = 0, lab = 0;
            for (std::size_t v = 0; v < fields.size(); ++v) {
              const auto lo = layout.lo(v, t), hi = layout.hi(v, t);
              if (fields[v].categorical) {
                writer->write_block(v, lo, hi, std::span<const std::uint8_t>(b.result.labels[lab++]));
              } else if (narrow) {
                writer->write_block(v, lo, hi, std::span<const float>(b.narrow[num++]));
              } else {
                writer->write_block(v, lo, hi, std::span<const double>(b.result.numbers[num++]));
              }
            }
          }
          if (writer) {
            pending.push_back(id);
            if (std::chrono::steady_clock::now() - last_flush >= opts.flush_interval) flush();
          }
          not_ok += b.result.cells_not_ok;
          progress.add(t.cells());
          if (writer) spare.push(std::move(b));
        },
        // Compute-only items hold no buffers (given back in the compute stage), so more of them
        // can be in flight than there are buffers: a worker then rarely waits for a token behind
        // the in-order sink (at three tokens, two threads on tiles of a few microseconds gave
        // about 1.1x one; plain threads on the same tiles 1.6-1.9x).
        pipeline_options{writer ? in_flight : 4 * static_cast<std::size_t>(threads), &stop_requested()});
    flush();
    s.tiles_computed = ps.tiles_written;
    s.stopped = ps.stopped;
  }
  s.signal = stop_signal();
  s.cells_not_ok = previous_not_ok + not_ok;
  if (writer && !s.stopped) {
    writer->finish({{"date_end", utc_now()}, {"cells_not_ok", std::to_string(s.cells_not_ok)}});
  }
  writer.reset();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace ftg
