// scripts/check_output.py on the writer's output: xarray (h5netcdf) gives named dims and coords,
// h5py reads it, ncdump -h prints it. Skipped (MESSAGE) without /usr/bin/python3 or h5netcdf.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace ftg::test::h5fx {
// Defined in test_h5_writer.cpp.
fs::path scratch_dir(const std::string& name);
void write_good_file(const std::string& path);
}  // namespace ftg::test::h5fx

namespace {

struct run_result {
  int status = -1;
  std::string output;
};

run_result run(const std::string& command) {
  run_result r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) r.output += buffer;
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

}  // namespace

TEST_CASE("scripts/check_output.py: xarray, h5py and ncdump read the writer's file") {
  // Debian's python, not pyenv's python3 on PATH (ECOSYSTEM.md section 1).
  const char* python = "/usr/bin/python3";
  const char* source = std::getenv("FTG_SOURCE_DIR");
  if (source == nullptr || !fs::exists(python)) {
    MESSAGE("skipped: FTG_SOURCE_DIR unset or no /usr/bin/python3");
    return;
  }
  if (run(std::string(python) + " -c 'import h5netcdf, h5py, xarray' 2>&1").status != 0) {
    MESSAGE("skipped: /usr/bin/python3 lacks h5netcdf, h5py or xarray (scripts/setup.sh installs them)");
    return;
  }
  const auto dir = ftg::test::h5fx::scratch_dir("xarray");
  const std::string path = (dir / "out.h5").string();
  ftg::test::h5fx::write_good_file(path);
  const auto r = run(std::string(python) + " '" + source + "/scripts/check_output.py' '" + path + "' 2>&1");
  INFO(r.output);
  if (r.status == 77) {
    MESSAGE("skipped: " << r.output);
  } else {
    CHECK(r.status == 0);
    CHECK(r.output.find("ok: 4 coordinates, 6 variables") != std::string::npos);
  }
  fs::remove_all(dir);
}
