// bench/bench_h5io.cpp: how fast ftg's HDF5 output reaches the disk, next to what the machine can
// do with the same bytes in the same run (issue 6, targets 5 and 6). Google Benchmark.
//
// The workload is a heatmap sweep like bench_sweep's `heatmap`, taller: c1 = logspace(-1, 1, R)
// x delta = linspace(0, 1, 1001), fields alpha0, alpha1, u_g, u_d (f64) plus the status (u8),
// 33 bytes per cell; R = FTG_BENCH_H5IO_ROWS (default 20000: 2.0e7 cells, 0.66 GB). The chunk
// (= tile) shape comes from the engine's own planner (engine/plan.hpp), so every writer below
// writes the same chunks in the same order. The files go to FTG_BENCH_H5IO_DIR (default: the
// system temporary directory), which must be on the disk being measured.
//
// Uncompressed, each iteration writes one whole file and ends with fsync (the data are on the
// disk when the clock stops: "sustained to disk"):
//   posix_fsync       open + pwrite of every chunk's bytes + fsync: the disk's ceiling
//   hdf5_c_fsync      the raw HDF5 C API, written as one would for speed: same datasets, same
//                     chunks, allocated early, never filled, one H5Dwrite_chunk per chunk, then
//                     H5Fclose + fsync. The ceiling for any HDF5 writer on this machine
//   hdf5_dwrite_fsync the same with H5Dwrite of each chunk's hyperslab (default chunk cache):
//                     what the straightforward HDF5 program does (diagnostic)
//   ftg_writer_fsync  engine/h5/h5_writer: create (the full netCDF/CF layout), write_block per
//                     tile and variable, mark_tiles_done every second (ftg run's default flush
//                     interval), finish() (fsync, rename)
//   ftg_run/threads:n run_sweep (ftg run) of the same sweep: kernels, pipeline, writer, fsync
//   ftg_compute/threads:n  run_sweep compute-only (no file): the compute time of the same sweep
// and into the page cache only (no fsync; the dirty pages are dropped by unlinking the file):
//   posix_cache, hdf5_c_cache, ftg_writer_cache (until the last mark_tiles_done, before finish)
// Compressed (sweep.precision = f32, sweep.compression = deflate; FTG_BENCH_H5IO_DEFLATE_ROWS
// rows, default 4000):
//   ftg_run_deflate/threads:n  run_sweep; finish() shuffles+deflates the chunks in worker threads
//   cpu_deflate/threads:n      the machine's own scaling on the same work: encode_chunk
//                              (shuffle+deflate) of the same number of real chunks, split over n
//                              std::threads, no I/O
// Every benchmark runs one file per repetition (Iterations(1)): use --benchmark_repetitions and
// --benchmark_enable_random_interleaving, and the repetitions are the rounds. At the end the
// program prints, per round, ratios of bytes/s between benchmarks of the same round, and their
// median and range (only same-run ratios mean anything on a shared machine).
//
// Before timing, the ftg_run output is validated: every cell written, cells_not_ok == 0, and its
// file size within 1% of the raw HDF5 file's (the same bytes).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/h5/h5_writer.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "engine/sweep.hpp"
#include "engine/tile_compute.hpp"

#ifndef FTG_BENCH_BUILD_TYPE
#define FTG_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

fs::path g_dir;
std::uint64_t g_rows = 20000;
std::uint64_t g_deflate_rows = 4000;
constexpr std::uint64_t delta_count = 1001;

std::string sweep_text(std::uint64_t rows, bool deflate) {
  std::ostringstream t;
  t << "# bench_h5io: heatmap, " << rows << " x " << delta_count << " cells\n"
    << "[sweep]\nname = h5io\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d\n"
    << "precision = " << (deflate ? "f32" : "f64") << "\ncompression = " << (deflate ? "deflate" : "none")
    << "\n[grid]\nc0 = 1\nc1 = logspace(-1, 1, " << rows << ")\nk0 = 2\nk1 = 2\nd0 = 0\nd1 = 0\n"
    << "delta = linspace(0, 1, " << delta_count << ")\n[run]\ntile_cells = 65536\n";
  return t.str();
}

fs::path sweep_path(bool deflate) { return g_dir / (deflate ? "h5io_deflate.ini" : "h5io.ini"); }
fs::path out_path(const std::string& what) { return g_dir / (what + ".h5"); }

// The layout every uncompressed writer uses: the planner's chunks, the engine's fields, one
// real tile computed by the kernels (tile 0), whose bytes every tile repeats.
struct layout {
  ftg::sweep_spec spec;
  ftg::plan plan;
  ftg::sweep_request req;
  std::vector<ftg::field_info> fields;
  ftg::tile_result tile0;           // numbers: 4 x chunk_cells doubles; labels: 1 x chunk_cells
  std::uint64_t chunk_bytes = 0;    // all variables of one full chunk
  std::uint64_t data_bytes = 0;     // all chunks of all variables (full chunks, as HDF5 stores them)
};
layout g_layout;

void build_layout() {
  g_layout.spec = ftg::parse_sweep(sweep_path(false).string(), {}, "bench");
  g_layout.plan = ftg::make_plan(g_layout.spec);
  g_layout.req = ftg::to_request(g_layout.spec);
  g_layout.fields = ftg::fields_of(g_layout.req);
  ftg::compute_tile(g_layout.req, ftg::to_box(ftg::tile_at(g_layout.plan, 0)), g_layout.tile0);
  std::uint64_t per_cell = 0;
  for (const auto& f : g_layout.fields) per_cell += f.categorical ? 1 : 8;
  g_layout.chunk_bytes = g_layout.plan.chunk_cells * per_cell;
  g_layout.data_bytes = g_layout.chunk_bytes * g_layout.plan.tile_count;
}

const void* var_data(std::size_t v) {
  std::size_t num = 0, lab = 0;
  for (std::size_t i = 0; i < v; ++i) (g_layout.fields[i].categorical ? lab : num)++;
  return g_layout.fields[v].categorical ? static_cast<const void*>(g_layout.tile0.labels[lab].data())
                                        : static_cast<const void*>(g_layout.tile0.numbers[num].data());
}
std::size_t var_elem(std::size_t v) { return g_layout.fields[v].categorical ? 1 : 8; }

void fsync_file(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd >= 0) {
    (void)::fsync(fd);
    (void)::close(fd);
  }
}

/// Settles the disk between iterations: no earlier dirty pages compete with the next one.
void settle(const fs::path& out) {
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(fs::path(out.string() + ".partial"), ec);
  const int fd = ::open(g_dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)::syncfs(fd);
    (void)::close(fd);
  }
}

std::uint64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

void set_bytes(benchmark::State& state, std::uint64_t bytes) {
  state.counters["bytes_per_second"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_bytes"] = static_cast<double>(bytes);
}

// ---- posix: pwrite every chunk's bytes in tile order, then (optionally) fsync ----------------
void bm_posix(benchmark::State& state, bool sync) {
  const fs::path out = out_path(sync ? "posix_fsync" : "posix_cache");
  settle(out);
  for (auto _ : state) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      state.SkipWithError("open failed");
      break;
    }
    off_t off = 0;
    bool ok = true;
    for (std::uint64_t t = 0; t < g_layout.plan.tile_count && ok; ++t) {
      for (std::size_t v = 0; v < g_layout.fields.size() && ok; ++v) {
        const auto n = static_cast<std::size_t>(g_layout.plan.chunk_cells * var_elem(v));
        ok = ::pwrite(fd, var_data(v), n, off) == static_cast<ssize_t>(n);
        off += static_cast<off_t>(n);
      }
    }
    if (sync) ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) state.SkipWithError("write failed");
  }
  set_bytes(state, file_size_or_zero(out));
  settle(out);
}

// ---- raw HDF5 C API -------------------------------------------------------------------------
#define BENCH_H5_OK(x)                                               \
  do {                                                           \
    if ((x) < 0) {                                               \
      state.SkipWithError("HDF5 call failed: " #x);              \
      return;                                                    \
    }                                                            \
  } while (0)

void bm_hdf5_c(benchmark::State& state, bool sync, bool direct_chunk) {
  const fs::path out = out_path(std::string(direct_chunk ? "hdf5_c" : "hdf5_dwrite") + (sync ? "_fsync" : "_cache"));
  settle(out);
  const auto& p = g_layout.plan;
  const int rank = static_cast<int>(p.dims.size());
  std::vector<hsize_t> dims(p.dims.begin(), p.dims.end()), chunk(p.chunk.begin(), p.chunk.end());
  std::vector<hsize_t> chunk_full(chunk);
  for (auto _ : state) {
    const hid_t f = H5Fcreate(out.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    BENCH_H5_OK(f);
    std::vector<hid_t> ds;
    for (std::size_t v = 0; v < g_layout.fields.size(); ++v) {
      const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
      BENCH_H5_OK(H5Pset_chunk(dcpl, rank, chunk.data()));
      BENCH_H5_OK(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY));
      BENCH_H5_OK(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER));
      const hid_t space = H5Screate_simple(rank, dims.data(), nullptr);
      const hid_t type = g_layout.fields[v].categorical ? H5T_STD_U8LE : H5T_IEEE_F64LE;
      const hid_t d = H5Dcreate2(f, g_layout.fields[v].name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
      BENCH_H5_OK(d);
      ds.push_back(d);
      H5Sclose(space);
      H5Pclose(dcpl);
    }
    for (std::uint64_t t = 0; t < p.tile_count; ++t) {
      const ftg::tile tl = ftg::tile_at(p, t);
      std::vector<hsize_t> start(tl.lo.begin(), tl.lo.end()), count(rank);
      for (int i = 0; i < rank; ++i) count[static_cast<std::size_t>(i)] = tl.hi[static_cast<std::size_t>(i)] - tl.lo[static_cast<std::size_t>(i)];
      for (std::size_t v = 0; v < ds.size(); ++v) {
        if (direct_chunk) {
          const auto n = static_cast<std::size_t>(p.chunk_cells * var_elem(v));
          BENCH_H5_OK(H5Dwrite_chunk(ds[v], H5P_DEFAULT, 0, start.data(), n, var_data(v)));
        } else {
          const hid_t mem = H5Screate_simple(rank, count.data(), nullptr);
          const hid_t fsp = H5Dget_space(ds[v]);
          BENCH_H5_OK(H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr));
          const hid_t mt = g_layout.fields[v].categorical ? H5T_NATIVE_UINT8 : H5T_NATIVE_DOUBLE;
          BENCH_H5_OK(H5Dwrite(ds[v], mt, mem, fsp, H5P_DEFAULT, var_data(v)));
          H5Sclose(fsp);
          H5Sclose(mem);
        }
      }
    }
    for (const hid_t d : ds) BENCH_H5_OK(H5Dclose(d));
    BENCH_H5_OK(H5Fclose(f));
    if (sync) fsync_file(out);
  }
  set_bytes(state, file_size_or_zero(out));
  settle(out);
}

// ---- engine/h5/h5_writer, as ftg run drives it -----------------------------------------------
ftg::h5::file_desc writer_desc() {
  const auto& p = g_layout.plan;
  ftg::h5::file_desc d;
  for (const auto& a : g_layout.spec.axes) d.axes.push_back({a.name, a.values, "", ""});
  std::vector<int> dims(g_layout.spec.axes.size());
  for (std::size_t i = 0; i < dims.size(); ++i) dims[i] = static_cast<int>(i);
  for (const auto& f : g_layout.fields)
    d.vars.push_back({f.name, f.categorical ? ftg::h5::var_desc::dtype::u8_enum : ftg::h5::var_desc::dtype::f64,
                      dims, "", ""});
  d.chunk.assign(p.chunk.begin(), p.chunk.end());
  d.tile_count = p.tile_count;
  d.attrs = {{"title", "bench_h5io"},          {"source", "ftgames bench"},
             {"history", "bench_h5io"},        {"software", "ftgames"},
             {"software_version", "bench"},    {"sweep_name", "h5io"},
             {"sweep_text", g_layout.spec.resolved_text},
             {"sweep_hash", "0"},              {"command_line", "ftg_bench_h5io"},
             {"tbb_version", "-"},             {"date_start", "2026-12-03T00:00:00Z"}};
  return d;
}

void bm_ftg_writer(benchmark::State& state, bool sync) {
  const fs::path out = out_path(sync ? "ftg_writer_fsync" : "ftg_writer_cache");
  settle(out);
  const auto& p = g_layout.plan;
  const ftg::h5::file_desc desc = writer_desc();
  for (auto _ : state) {
    const auto t0 = clock_type::now();
    auto w = ftg::h5::h5_writer::create(out.string(), desc);
    std::vector<std::uint64_t> pending;
    auto last = clock_type::now();
    for (std::uint64_t t = 0; t < p.tile_count; ++t) {
      const ftg::tile tl = ftg::tile_at(p, t);
      const std::size_t n = static_cast<std::size_t>(tl.cells());
      std::size_t num = 0, lab = 0;
      for (std::size_t v = 0; v < g_layout.fields.size(); ++v) {
        if (g_layout.fields[v].categorical)
          w.write_block(v, tl.lo, tl.hi, std::span<const std::uint8_t>(g_layout.tile0.labels[lab++].data(), n));
        else
          w.write_block(v, tl.lo, tl.hi, std::span<const double>(g_layout.tile0.numbers[num++].data(), n));
      }
      pending.push_back(t);
      if (clock_type::now() - last >= std::chrono::seconds(1)) {
        w.mark_tiles_done(pending);
        pending.clear();
        last = clock_type::now();
      }
    }
    w.mark_tiles_done(pending);
    const auto t1 = clock_type::now();
    if (sync) {
      w.finish({{"date_end", "2026-12-03T00:00:01Z"}, {"cells_not_ok", "0"}});
      state.SetIterationTime(std::chrono::duration<double>(clock_type::now() - t0).count());
    } else {
      state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    }
  }
  set_bytes(state, std::max(file_size_or_zero(out), file_size_or_zero(out.string() + ".partial")));
  settle(out);
}

// ---- run_sweep -------------------------------------------------------------------------------
ftg::run_options run_opts(bool deflate, bool compute_only, int threads, const fs::path& out) {
  ftg::run_options o;
  o.sweep_path = sweep_path(deflate).string();
  o.compute_only = compute_only;
  if (!compute_only) o.output = out.string();
  o.force = true;
  o.threads = threads;
  o.progress = ftg::progress_mode::none;
  o.command_line = "ftg_bench_h5io";
  return o;
}

void bm_run(benchmark::State& state, bool deflate, bool compute_only) {
  const int threads = static_cast<int>(state.range(0));
  const fs::path out = out_path(std::string(deflate ? "run_deflate" : "run") + "_t" + std::to_string(threads));
  settle(out);
  const auto opts = run_opts(deflate, compute_only, threads, out);
  std::ostringstream err;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const ftg::run_summary s = ftg::run_sweep(opts, err);
    if (s.cells_not_ok != 0 || s.tiles_computed != s.tiles) state.SkipWithError("run_sweep incomplete");
    bytes = compute_only ? g_layout.data_bytes : file_size_or_zero(out);
  }
  set_bytes(state, bytes);  // compute-only: the bytes the same sweep writes
  state.counters["threads"] = threads;
  settle(out);
}

// ---- the machine's own scaling on the compression work ---------------------------------------
std::vector<std::vector<float>> g_deflate_chunks;        // 3 real tiles x the f32 fields
std::vector<std::vector<std::uint8_t>> g_deflate_labels;  // 3 real tiles x the status
std::uint64_t g_deflate_tiles = 0;

void build_deflate_work() {
  const ftg::sweep_spec spec = ftg::parse_sweep(sweep_path(true).string(), {}, "bench");
  const ftg::plan p = ftg::make_plan(spec);
  const ftg::sweep_request req = ftg::to_request(spec);
  g_deflate_tiles = p.tile_count;
  // A few distinct real tiles (the first, middle and last full ones), cycled.
  for (std::uint64_t t : {std::uint64_t{0}, p.tile_count / 2, p.tile_count >= 2 ? p.tile_count - 2 : 0}) {
    ftg::tile_result r;
    ftg::compute_tile(req, ftg::to_box(ftg::tile_at(p, t)), r);
    for (const auto& v : r.numbers) g_deflate_chunks.emplace_back(v.begin(), v.end());
    for (const auto& v : r.labels) g_deflate_labels.push_back(v);
  }
}

void bm_cpu_deflate(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t per_tile_num = g_deflate_chunks.size() / 3, per_tile_lab = g_deflate_labels.size() / 3;
  std::uint64_t in_bytes = 0;
  for (auto _ : state) {
    std::vector<std::thread> pool;
    std::vector<std::uint64_t> sizes(static_cast<std::size_t>(threads), 0);
    for (int k = 0; k < threads; ++k) {
      pool.emplace_back([&, k] {
        for (std::uint64_t t = static_cast<std::uint64_t>(k); t < g_deflate_tiles; t += static_cast<std::uint64_t>(threads)) {
          const std::size_t which = static_cast<std::size_t>(t % 3);
          for (std::size_t v = 0; v < per_tile_num; ++v)
            sizes[static_cast<std::size_t>(k)] += ftg::h5::h5_writer::encode_chunk(
                std::span<const float>(g_deflate_chunks[which * per_tile_num + v]), true).size();
          for (std::size_t v = 0; v < per_tile_lab; ++v)
            sizes[static_cast<std::size_t>(k)] += ftg::h5::h5_writer::encode_chunk(
                std::span<const std::uint8_t>(g_deflate_labels[which * per_tile_lab + v]), true).size();
        }
      });
    }
    for (auto& th : pool) th.join();
    in_bytes = 0;
    for (auto s : sizes) in_bytes += s;
    benchmark::DoNotOptimize(in_bytes);
  }
  set_bytes(state, in_bytes);  // compressed bytes produced (comparable with the deflated file)
  state.counters["threads"] = threads;
}

// ---- ratios over rounds ----------------------------------------------------------------------
struct collector : benchmark::ConsoleReporter {
  std::map<std::string, std::vector<double>> rate;     // name -> bytes/s per repetition (in order)
  std::map<std::string, std::vector<double>> seconds;  // name -> wall seconds per repetition
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      std::string name = r.run_name.str();
      if (const auto k = name.find("/iterations:1"); k != std::string::npos) name.erase(k, 13);
      const auto it = r.counters.find("bytes_per_second");
      if (it != r.counters.end()) rate[name].push_back(it->second.value);
      seconds[name].push_back(r.GetAdjustedRealTime() / 1e3);  // ms -> s (Unit kMillisecond)
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

std::string summary_line(const std::string& label, std::vector<double> v, const std::string& target = "") {
  std::ostringstream o;
  if (v.empty()) return label + ": no data\n";
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  const double med = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
  o << std::left << std::setw(58) << label << std::right << std::fixed << std::setprecision(3) << std::setw(8) << med
    << "  [" << s.front() << ", " << s.back() << "]  rounds " << v.size();
  if (!target.empty()) o << "  " << target;
  o << "  (";
  for (std::size_t i = 0; i < v.size(); ++i) o << (i ? " " : "") << std::setprecision(3) << v[i];
  o << ")\n";
  return o.str();
}

/// Per-round a/b, for the rounds both have.
std::vector<double> ratio(const std::map<std::string, std::vector<double>>& m, const std::string& a, const std::string& b) {
  std::vector<double> out;
  const auto ia = m.find(a), ib = m.find(b);
  if (ia == m.end() || ib == m.end()) return out;
  for (std::size_t i = 0; i < std::min(ia->second.size(), ib->second.size()); ++i)
    if (ib->second[i] > 0) out.push_back(ia->second[i] / ib->second[i]);
  return out;
}

std::vector<double> scale(std::vector<double> v, double k) {
  for (double& x : v) x *= k;
  return v;
}

void print_summary(const collector& c) {
  const auto& R = c.rate;
  const auto& S = c.seconds;
  std::ostringstream o;
  o << "\n== bench_h5io summary: per-round ratios, median [range] ==\n"
    << "workload: " << g_rows << " x " << delta_count << " cells, " << g_layout.fields.size()
    << " variables, chunk " << g_layout.plan.chunk[0] << " x " << g_layout.plan.chunk[1] << ", "
    << g_layout.plan.tile_count << " tiles, " << std::setprecision(3) << static_cast<double>(g_layout.data_bytes) / 1e9
    << " GB of chunks; dir " << g_dir.string() << "\n";
  const std::string P = "bm_io/", RT = "/manual_time", RL = "/real_time";
  o << summary_line("GB/s posix write+fsync (disk ceiling)", scale(R.count(P + "posix_fsync" + RL) ? R.at(P + "posix_fsync" + RL) : std::vector<double>{}, 1e-9));
  o << summary_line("GB/s raw HDF5 C (H5Dwrite_chunk)+fsync", scale(R.count(P + "hdf5_c_fsync" + RL) ? R.at(P + "hdf5_c_fsync" + RL) : std::vector<double>{}, 1e-9));
  o << summary_line("GB/s ftg h5_writer, finish() incl. fsync", scale(R.count(P + "ftg_writer_fsync" + RT) ? R.at(P + "ftg_writer_fsync" + RT) : std::vector<double>{}, 1e-9), "(target >= 0.8)");
  o << summary_line("GB/s ftg run, 1 thread (compute + write + fsync)", scale(R.count(P + "ftg_run/threads:1" + RL) ? R.at(P + "ftg_run/threads:1" + RL) : std::vector<double>{}, 1e-9), "(target >= 0.8)");
  o << summary_line("GB/s ftg run, 2 threads", scale(R.count(P + "ftg_run/threads:2" + RL) ? R.at(P + "ftg_run/threads:2" + RL) : std::vector<double>{}, 1e-9), "(target >= 0.8)");
  o << summary_line("raw HDF5 C / posix (fsync)", ratio(R, P + "hdf5_c_fsync" + RL, P + "posix_fsync" + RL));
  o << summary_line("HDF5 H5Dwrite default cache / raw HDF5 C (fsync)", ratio(R, P + "hdf5_dwrite_fsync" + RL, P + "hdf5_c_fsync" + RL));
  o << summary_line("ftg h5_writer / raw HDF5 C (fsync)", ratio(R, P + "ftg_writer_fsync" + RT, P + "hdf5_c_fsync" + RL));
  o << summary_line("ftg h5_writer / posix (fsync)", ratio(R, P + "ftg_writer_fsync" + RT, P + "posix_fsync" + RL));
  o << summary_line("ftg run 1 thread / raw HDF5 C (fsync)", ratio(R, P + "ftg_run/threads:1" + RL, P + "hdf5_c_fsync" + RL));
  o << summary_line("ftg run 2 threads / raw HDF5 C (fsync)", ratio(R, P + "ftg_run/threads:2" + RL, P + "hdf5_c_fsync" + RL));
  o << summary_line("page cache: raw HDF5 C / posix", ratio(R, P + "hdf5_c_cache" + RL, P + "posix_cache" + RL));
  o << summary_line("page cache: ftg h5_writer / raw HDF5 C", ratio(R, P + "ftg_writer_cache" + RT, P + "hdf5_c_cache" + RL));
  o << summary_line("GB/s page cache: posix", scale(R.count(P + "posix_cache" + RL) ? R.at(P + "posix_cache" + RL) : std::vector<double>{}, 1e-9));
  o << summary_line("GB/s page cache: ftg h5_writer", scale(R.count(P + "ftg_writer_cache" + RT) ? R.at(P + "ftg_writer_cache" + RT) : std::vector<double>{}, 1e-9));
  // Target 6's yardstick: ftg run's time over the larger of compute time and disk time (same bytes).
  for (const char* t : {"1", "2"}) {
    const auto& run = S.count(P + "ftg_run/threads:" + t + RL) ? S.at(P + "ftg_run/threads:" + t + RL) : std::vector<double>{};
    const auto& comp = S.count(P + "ftg_compute/threads:" + t + RL) ? S.at(P + "ftg_compute/threads:" + t + RL) : std::vector<double>{};
    const auto& disk = S.count(P + "posix_fsync" + RL) ? S.at(P + "posix_fsync" + RL) : std::vector<double>{};
    std::vector<double> r;
    for (std::size_t i = 0; i < std::min({run.size(), comp.size(), disk.size()}); ++i)
      r.push_back(run[i] / std::max(comp[i], disk[i]));
    o << summary_line(std::string("ftg run time / max(compute, posix disk), ") + t + " thread(s)", r, "(target 6: <= 2)");
    o << summary_line(std::string("compute-only seconds, ") + t + " thread(s)", comp);
  }
  o << summary_line("seconds posix write+fsync", S.count(P + "posix_fsync" + RL) ? S.at(P + "posix_fsync" + RL) : std::vector<double>{});
  // Compression scaling against the machine's.
  const auto run_scale = ratio(R, P + "ftg_run_deflate/threads:2" + RL, P + "ftg_run_deflate/threads:1" + RL);
  const auto cpu_scale = ratio(R, P + "cpu_deflate/threads:2" + RL, P + "cpu_deflate/threads:1" + RL);
  o << summary_line("deflate: ftg run 2 threads / 1 thread", run_scale);
  o << summary_line("deflate: machine (encode_chunk on std::threads) 2 / 1", cpu_scale);
  std::vector<double> eff;
  for (std::size_t i = 0; i < std::min(run_scale.size(), cpu_scale.size()); ++i) eff.push_back(run_scale[i] / cpu_scale[i]);
  o << summary_line("deflate: ftg scaling / machine scaling", eff);
  std::cout << o.str() << std::flush;
}

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const long long n = std::atoll(v);
  return n > 0 ? static_cast<std::uint64_t>(n) : fallback;
}

/// "validate, then time": one ftg run of each sweep must write every cell with no failure, and
/// the uncompressed file must hold the same bytes (within 1%) as the raw HDF5 file.
bool validate() {
  std::ostringstream err;
  for (const bool deflate : {false, true}) {
    const fs::path out = out_path(deflate ? "validate_deflate" : "validate");
    const ftg::run_summary s = ftg::run_sweep(run_opts(deflate, false, 2, out), err);
    const std::uint64_t rows = deflate ? g_deflate_rows : g_rows;
    if (s.stopped || s.cells != rows * delta_count || s.tiles_computed != s.tiles || s.cells_not_ok != 0) {
      std::cerr << "ftg_bench_h5io: validation run failed: " << ftg::describe_summary(s) << "\n" << err.str();
      return false;
    }
    const std::uint64_t size = file_size_or_zero(out);
    std::cerr << "ftg_bench_h5io: validated " << out.filename().string() << ": " << size << " bytes, "
              << ftg::describe_summary(s) << "\n";
    if (!deflate && (size < g_layout.data_bytes || static_cast<double>(size) > 1.01 * static_cast<double>(g_layout.data_bytes))) {
      std::cerr << "ftg_bench_h5io: file " << size << " bytes, chunks " << g_layout.data_bytes << " bytes: not the same bytes\n";
      return false;
    }
    settle(out);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  g_rows = env_u64("FTG_BENCH_H5IO_ROWS", g_rows);
  g_deflate_rows = env_u64("FTG_BENCH_H5IO_DEFLATE_ROWS", g_deflate_rows);
  const char* dir = std::getenv("FTG_BENCH_H5IO_DIR");
  std::string tmpl = ((dir != nullptr && *dir != '\0') ? fs::path(dir) : fs::temp_directory_path()) / "ftg_bench_h5io.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("ftg_bench_h5io: mkdtemp");
    return 1;
  }
  g_dir = tmpl;
  for (const bool deflate : {false, true}) {
    std::ofstream f(sweep_path(deflate));
    f << sweep_text(deflate ? g_deflate_rows : g_rows, deflate);
  }
  int status = 0;
  try {
    build_layout();
    build_deflate_work();
    const std::uint64_t need = 3 * g_layout.data_bytes;
    if (fs::space(g_dir).available < need) {
      std::cerr << "ftg_bench_h5io: " << g_dir << " has less than " << need << " bytes free\n";
      status = 1;
    } else if (!validate()) {
      status = 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "ftg_bench_h5io: " << e.what() << "\n";
    status = 1;
  }
  if (status == 0) {
    const auto reg = [](const std::string& name, auto fn) {
      return benchmark::RegisterBenchmark(("bm_io/" + name).c_str(), fn)->Unit(benchmark::kMillisecond)->Iterations(1);
    };
    reg("posix_fsync", [](benchmark::State& s) { bm_posix(s, true); })->UseRealTime();
    reg("hdf5_c_fsync", [](benchmark::State& s) { bm_hdf5_c(s, true, true); })->UseRealTime();
    reg("hdf5_dwrite_fsync", [](benchmark::State& s) { bm_hdf5_c(s, true, false); })->UseRealTime();
    reg("ftg_writer_fsync", [](benchmark::State& s) { bm_ftg_writer(s, true); })->UseManualTime();
    reg("ftg_run", [](benchmark::State& s) { bm_run(s, false, false); })->UseRealTime()->ArgName("threads")->Arg(1)->Arg(2);
    reg("ftg_compute", [](benchmark::State& s) { bm_run(s, false, true); })->UseRealTime()->ArgName("threads")->Arg(1)->Arg(2);
    reg("posix_cache", [](benchmark::State& s) { bm_posix(s, false); })->UseRealTime();
    reg("hdf5_c_cache", [](benchmark::State& s) { bm_hdf5_c(s, false, true); })->UseRealTime();
    reg("ftg_writer_cache", [](benchmark::State& s) { bm_ftg_writer(s, false); })->UseManualTime();
    reg("ftg_run_deflate", [](benchmark::State& s) { bm_run(s, true, false); })->UseRealTime()->ArgName("threads")->Arg(1)->Arg(2);
    reg("cpu_deflate", bm_cpu_deflate)->UseRealTime()->ArgName("threads")->Arg(1)->Arg(2);
    benchmark::AddCustomContext("ftg_build_type", FTG_BENCH_BUILD_TYPE);
    benchmark::AddCustomContext("ftg_h5io_rows", std::to_string(g_rows));
    benchmark::AddCustomContext("ftg_h5io_dir", g_dir.string());
    collector rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    print_summary(rep);
  }
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(g_dir, ec);
  return status;
}
