// engine/run.hpp end to end: a sweep file becomes a valid file whose data are bit-identical for
// any thread count and tile size; a run killed with SIGKILL at random points, or stopped with
// SIGTERM, resumes to the same data as an uninterrupted run; bad input leaves nothing behind.
#include <doctest/doctest.h>

#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/error.hpp"
#include "engine/h5/h5_validate.hpp"
#include "engine/run.hpp"
#include "engine/signals.hpp"

namespace fs = std::filesystem;
using namespace ftg;

namespace {

fs::path scratch_dir(const std::string& test) {
  fs::path d = fs::temp_directory_path() / ("ftg_test_run_" + std::to_string(getpid()) + "_" + test);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A per-delta sweep with many small tiles: 40 x 3 games, 201 deltas, k1 including k < 2 (numeric
// Pareto sets), tiles of one delta row each.
std::string write_sweep(const fs::path& dir, const std::string& name, const std::string& extra = "") {
  const fs::path p = dir / (name + ".ini");
  std::ofstream(p) << "[sweep]\nname = " << name
                   << "\nmodel = two_player\nfields = alpha0, alpha1, u_g, u_d, in_pareto\n"
                      "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 40)\nk0 = 2\nk1 = 1.5, 2, 3\n"
                      "delta = linspace(0, 1, 201)\n[run]\ntile_cells = 201\n"
                   << extra;
  return p.string();
}

// Every dataset of the file (numbers and codes as doubles), read with the HDF5 C API.
std::map<std::string, std::vector<double>> read_all(const std::string& path) {
  std::map<std::string, std::vector<double>> out;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  for (const char* name : {"alpha0", "alpha1", "u_g", "u_d", "in_pareto", "status"}) {
    const hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    REQUIRE(d >= 0);
    const hid_t sp = H5Dget_space(d);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(sp));
    std::vector<double> v(n);
    REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
    out[name] = std::move(v);
    H5Sclose(sp);
    H5Dclose(d);
  }
  H5Fclose(f);
  return out;
}

run_options options(const std::string& sweep, const std::string& output, int threads) {
  run_options o;
  o.sweep_path = sweep;
  o.output = output;
  o.threads = threads;
  o.progress = progress_mode::none;
  o.command_line = "test";
  return o;
}

bool same(const std::map<std::string, std::vector<double>>& a, const std::map<std::string, std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    const auto it = b.find(k);
    if (it == b.end() || it->second.size() != v.size()) return false;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!(v[i] == it->second[i] || (v[i] != v[i] && it->second[i] != it->second[i]))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("ftg run: a valid file, bit-identical data for 1 and 2 threads and for any tile size") {
  const fs::path dir = scratch_dir("determinism");
  std::ostringstream err;
  const std::string sweep = write_sweep(dir, "determinism");
  const run_summary a = run_sweep(options(sweep, (dir / "a.h5").string(), 1), err);
  const run_summary b = run_sweep(options(sweep, (dir / "b.h5").string(), 2), err);
  run_options big = options(sweep, (dir / "c.h5").string(), 2);
  big.overrides = {"run.tile_cells=2000"};
  const run_summary c = run_sweep(big, err);
  CHECK_FALSE(a.stopped);
  CHECK(a.cells == 40 * 3 * 201);
  CHECK(a.tiles == 120);
  CHECK(c.tiles < a.tiles);
  CHECK(a.cells_not_ok == 0);
  for (const char* f : {"a.h5", "b.h5", "c.h5"}) {
    CAPTURE(f);
    CHECK(fs::exists(dir / f));
    CHECK_FALSE(fs::exists(dir / (std::string(f) + ".partial")));
    CHECK(h5::validate_file((dir / f).string()).empty());
  }
  const auto da = read_all((dir / "a.h5").string());
  CHECK(same(da, read_all((dir / "b.h5").string())));
  CHECK(same(da, read_all((dir / "c.h5").string())));
  // An existing output is not overwritten without --force.
  CHECK_THROWS_AS(run_sweep(options(sweep, (dir / "a.h5").string(), 1), err), usage_error);
  fs::remove_all(dir);
}

TEST_CASE("ftg run: killed with SIGKILL at random points, --resume gives the uninterrupted run's data") {
  const fs::path dir = scratch_dir("sigkill");
  std::ostringstream err;
  // 1,200 tiles of one delta row, flushed every 2 ms, so that kills land between flushes.
  const std::string sweep = write_sweep(dir, "killed");
  // c0 = 1e-4 with k0 = 1.01 overflows alpha0 = (delta / (k0 c0))^100 for delta > 0.01: cells
  // with status not_finite, whose count the resumed file must report as the uninterrupted one does.
  const std::vector<std::string> bigger{"grid.c1=logspace(-1, 1, 200)", "grid.c0=0.0001, 1", "grid.k0=1.01"};
  const std::string ref = (dir / "ref.h5").string();
  run_options first = options(sweep, ref, 2);
  first.overrides = bigger;
  const auto t_start = std::chrono::steady_clock::now();
  const run_summary whole = run_sweep(first, err);
  const double t_ref = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  REQUIRE(whole.cells_not_ok > 0);
  const auto reference = read_all(ref);
  std::mt19937 rng(12345);
  int resumed_with_work_left = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const std::string out = (dir / ("k" + std::to_string(trial) + ".h5")).string();
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // The child runs slowly (one thread) so the kill lands mid-run.
      std::ostringstream child_err;
      run_options slow = options(sweep, out, 1);
      slow.overrides = bigger;
      slow.flush_interval = std::chrono::milliseconds(2);
      try {
        run_sweep(slow, child_err);
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
    // Kill at a random fraction of the run, timed from the moment its file exists, scaled by the
    // reference run's duration (this build's speed, sanitizers included; the child is slower,
    // with one thread, so every fraction below 1 lands mid-run).
    for (int i = 0; i < 20000 && !fs::exists(out + ".partial") && !fs::exists(out); ++i)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    const double fraction = std::uniform_real_distribution<double>(0.1, 0.9)(rng);
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * t_ref));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (fs::exists(out)) continue;  // finished before the kill: nothing to resume
    if (!fs::exists(out + ".partial")) continue;  // killed before the file was created
    run_options again = options(sweep, out, 2);
    again.overrides = bigger;
    again.resume = true;
    const run_summary s = run_sweep(again, err);
    resumed_with_work_left += s.tiles_computed < s.tiles;
    CHECK(s.cells_not_ok == whole.cells_not_ok);  // the earlier run's failed cells are counted too
    CHECK_FALSE(s.stopped);
    CHECK(fs::exists(out));
    CHECK(h5::validate_file(out).empty());
    const auto got = read_all(out);
    CHECK(same(got, reference));
  }
  MESSAGE("kills after at least one recorded tile, resumed: " << resumed_with_work_left << " of 6");
  CHECK(resumed_with_work_left >= 1);  // the test really exercised a mid-run kill
  fs::remove_all(dir);
}

TEST_CASE("ftg run: SIGTERM stops after the tiles in flight with a resumable file; --resume finishes it") {
  const fs::path dir = scratch_dir("sigterm");
  std::ostringstream err;
  const std::string sweep = write_sweep(dir, "terminated");
  const std::string ref = (dir / "ref.h5").string(), out = (dir / "t.h5").string();
  run_sweep(options(sweep, ref, 2), err);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::ostringstream child_err;
    try {
      const run_summary s = run_sweep(options(sweep, out, 1), child_err);
      _exit(s.stopped ? exit_resumable : 0);
    } catch (...) {
      _exit(1);
    }
  }
  // Wait for the file to exist, then ask it to stop.
  for (int i = 0; i < 2000 && !fs::exists(out + ".partial") && !fs::exists(out); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  CHECK((code == exit_resumable || code == 0));
  if (code == exit_resumable) {
    CHECK(fs::exists(out + ".partial"));
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(h5::validate_file(out + ".partial").empty());  // incomplete: the validator says so
    run_options again = options(sweep, out, 2);
    again.resume = true;
    run_sweep(again, err);
  }
  CHECK(same(read_all(out), read_all(ref)));
  fs::remove_all(dir);
}

TEST_CASE("ftg run: a bad sweep file is a usage error and creates no output") {
  const fs::path dir = scratch_dir("bad");
  std::ostringstream err;
  const std::string sweep = write_sweep(dir, "bad", "bogus = 1\n");
  const std::string out = (dir / "bad.h5").string();
  CHECK_THROWS_AS(run_sweep(options(sweep, out, 1), err), usage_error);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
  run_options resume = options(write_sweep(dir, "good"), out, 1);
  resume.resume = true;  // nothing to resume
  CHECK_THROWS_AS(run_sweep(resume, err), usage_error);
  fs::remove_all(dir);
}

TEST_CASE("ftg run: deflate compression (chunks shuffled and deflated in the worker threads) and f32 "
          "precision store the same values as the plain file; edge tiles included") {
  const fs::path dir = scratch_dir("compression");
  std::ostringstream err;
  const std::string sweep = write_sweep(dir, "compressed");
  // 40 x 3 rows in tiles of 7 rows: the last tile along c1 is an edge tile.
  const std::vector<std::string> base{"run.tile_cells=1407"};
  auto run = [&](const std::string& out, std::vector<std::string> extra) {
    run_options o = options(sweep, (dir / out).string(), 2);
    o.overrides = base;
    o.overrides.insert(o.overrides.end(), extra.begin(), extra.end());
    run_sweep(o, err);
    CHECK(h5::validate_file((dir / out).string()).empty());
    return read_all((dir / out).string());
  };
  const auto plain = run("plain.h5", {});
  CHECK(same(plain, run("deflate.h5", {"sweep.compression=deflate"})));
  const auto f32 = run("f32.h5", {"sweep.precision=f32"});
  CHECK(same(f32, run("f32_deflate.h5", {"sweep.precision=f32", "sweep.compression=deflate"})));
  // f32 holds the f64 values rounded to float.
  bool rounded = true;
  for (std::size_t i = 0; i < plain.at("u_g").size(); ++i) {
    const double a = plain.at("u_g")[i], b = f32.at("u_g")[i];
    rounded = rounded && (a != a ? b != b : b == static_cast<double>(static_cast<float>(a)));
  }
  CHECK(rounded);
  CHECK(fs::file_size(dir / "deflate.h5") < fs::file_size(dir / "plain.h5"));
  fs::remove_all(dir);
}

namespace {

herr_t collect_dataset(hid_t g, const char* name, const H5L_info_t*, void* data) {
  H5O_info_t info{};
  if (H5Oget_info_by_name2(g, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET)
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

// Every dataset of the file, whatever its rank (axes, extra dims and bookkeeping included).
std::map<std::string, std::vector<double>> read_every(const std::string& path) {
  std::map<std::string, std::vector<double>> out;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  std::vector<std::string> names;
  H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_dataset, &names);
  for (const std::string& name : names) {
    const hid_t d = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
    const hid_t sp = H5Dget_space(d);
    std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(sp)));
    REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
    out[name] = std::move(v);
    H5Sclose(sp);
    H5Dclose(d);
  }
  H5Fclose(f);
  return out;
}

}  // namespace

TEST_CASE("ftg run, model multi: per-class fields (specialist dim) and Pareto intervals (interval "
          "dim) are bit-identical for any thread count, tile size and compression, and resume") {
  const fs::path dir = scratch_dir("multi");
  std::ostringstream err;
  const fs::path delta_sweep = dir / "multi_delta.ini";
  std::ofstream(delta_sweep) << "[sweep]\nname = multi_delta\nmodel = multi\n"
                                "fields = alpha0, u_g, alpha_i, u_i, regime, table2, participants, in_pareto\n"
                                "[grid]\nc0 = 1\nscale_c1 = logspace(-1, 1, 13)\nn = 1, 2, 3\ndelta = linspace(0, 1, 41)\n"
                                "[population]\nc1 = 1, 4\nf = 0, 0.01\n[run]\ntile_cells = 41\n";
  const fs::path point_sweep = dir / "multi_point.ini";
  std::ofstream(point_sweep) << "[sweep]\nname = multi_point\nmodel = multi\nsolutions = all, pareto\n"
                                "[grid]\nc0 = 1\nc1 = logspace(-1, 1, 7)\nn = 1, 4\n[population]\nf = 0.001\n"
                                "[run]\ntile_cells = 3\n";
  for (const fs::path& sweep : {delta_sweep, point_sweep}) {
    CAPTURE(sweep);
    auto run = [&](const std::string& out, int threads, std::vector<std::string> overrides) {
      run_options o = options(sweep.string(), (dir / out).string(), threads);
      o.overrides = std::move(overrides);
      const run_summary s = run_sweep(o, err);
      CHECK(s.cells_not_ok == 0);
      CHECK(h5::validate_file((dir / out).string()).empty());
      auto data = read_every((dir / out).string());
      data.erase("tile");  // the tile numbering depends on the tile size
      data.erase("tiles_done");
      return data;
    };
    const auto ref = run("ref.h5", 1, {});
    CHECK(ref.count("u_i") + ref.count("pareto_lo") == 1);
    CHECK(same(ref, run("two.h5", 2, {})));
    CHECK(same(ref, run("big_tiles.h5", 2, {"run.tile_cells=100000"})));
    CHECK(same(ref, run("deflate.h5", 2, {"sweep.compression=deflate"})));
    for (const char* f : {"ref.h5", "two.h5", "big_tiles.h5", "deflate.h5"}) fs::remove(dir / f);
  }
  // Resume: a run stopped by SIGTERM (as a scheduler would) finishes to the same data.
  const std::string ref = (dir / "r.h5").string(), out = (dir / "t.h5").string();
  run_sweep(options(delta_sweep.string(), ref, 2), err);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::ostringstream child_err;
    try {
      run_options slow = options(delta_sweep.string(), out, 1);
      slow.flush_interval = std::chrono::milliseconds(1);
      _exit(run_sweep(slow, child_err).stopped ? exit_resumable : 0);
    } catch (...) {
      _exit(1);
    }
  }
  for (int i = 0; i < 2000 && !fs::exists(out + ".partial") && !fs::exists(out); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == exit_resumable) {
    run_options again = options(delta_sweep.string(), out, 2);
    again.resume = true;
    CHECK_FALSE(run_sweep(again, err).stopped);
  }
  CHECK(same(read_every(out), read_every(ref)));
  fs::remove_all(dir);
}
