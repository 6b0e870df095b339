// The engine links oneTBB and HDF5 (with its high-level library) as the sweep engine needs.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <oneapi/tbb/version.h>

TEST_CASE("the engine's dependencies are the versions ECOSYSTEM.md verified (HDF5 1.10, oneTBB 2021)") {
  unsigned major = 0, minor = 0, release = 0;
  REQUIRE(H5get_libversion(&major, &minor, &release) >= 0);
  CHECK(major == 1);
  CHECK(minor >= 10);
  CHECK(TBB_runtime_interface_version() >= 12000);
}
