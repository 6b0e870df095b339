// engine/h5/h5_validate.hpp: the validator accepts the writer's file and reports each injected
// violation of output_schemas/ftg_results_v1.md.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/h5/h5_validate.hpp"

namespace fs = std::filesystem;

namespace ftg::test::h5fx {
// Defined in test_h5_writer.cpp.
fs::path scratch_dir(const std::string& name);
void write_good_file(const std::string& path);
}  // namespace ftg::test::h5fx

namespace {

using ftg::test::h5fx::scratch_dir;

/// Copies the good file, applies `edit` to the copy opened read-write, returns the violations.
std::vector<std::string> violations_after(const fs::path& good, const fs::path& copy,
                                          const std::function<void(hid_t)>& edit) {
  fs::copy_file(good, copy, fs::copy_options::overwrite_existing);
  const hid_t f = H5Fopen(copy.string().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  edit(f);
  REQUIRE(H5Fclose(f) >= 0);
  return ftg::h5::validate_file(copy.string());
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& line : v) out += line + "\n";
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& text) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

void delete_attribute(hid_t f, const char* object, const char* name) {
  const hid_t obj = H5Oopen(f, object, H5P_DEFAULT);
  REQUIRE(obj >= 0);
  REQUIRE(H5Adelete(obj, name) >= 0);
  H5Oclose(obj);
}

void put_text(hid_t obj, const char* name, const char* value, bool variable_length) {
  if (H5Aexists(obj, name) > 0) REQUIRE(H5Adelete(obj, name) >= 0);
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, variable_length ? H5T_VARIABLE : std::string(value).size());
  const hid_t s = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(a >= 0);
  if (variable_length) {
    REQUIRE(H5Awrite(a, t, &value) >= 0);
  } else {
    REQUIRE(H5Awrite(a, t, value) >= 0);
  }
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}

}  // namespace

TEST_CASE("validate_file accepts the writer's output and reports each injected violation") {
  const auto dir = scratch_dir("validate");
  const fs::path good = dir / "good.h5";
  ftg::test::h5fx::write_good_file(good.string());
  CHECK(ftg::h5::validate_file(good.string()).empty());
  const fs::path copy = dir / "bad.h5";

  SUBCASE("a missing root attribute") {
    const auto v = violations_after(good, copy, [](hid_t f) { delete_attribute(f, "/", "title"); });
    INFO(join(v));
    CHECK(v == std::vector<std::string>{"root has no 'title' attribute"});
  }
  SUBCASE("a wrong schema name and a variable-length string attribute") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      put_text(f, "schema", "other", false);
      put_text(f, "source", "ftgames", true);
    });
    INFO(join(v));
    CHECK(v.size() == 2);
    CHECK(has(v, "root attribute 'schema' is 'other'"));
    CHECK(has(v, "root attribute 'source' is a variable-length string"));
  }
  SUBCASE("cells_not_ok as text") {
    const auto v = violations_after(good, copy, [](hid_t f) { put_text(f, "cells_not_ok", "0", false); });
    INFO(join(v));
    CHECK(v == std::vector<std::string>{"root attribute 'cells_not_ok' is not one uint64"});
  }
  SUBCASE("missing units, long_name and _FillValue") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      delete_attribute(f, "u_g", "units");
      delete_attribute(f, "alpha1", "long_name");
      delete_attribute(f, "nash_delta_star", "_FillValue");
      delete_attribute(f, "delta", "units");
    });
    INFO(join(v));
    CHECK(v.size() == 4);
    CHECK(has(v, "variable 'u_g' has no 'units' attribute"));
    CHECK(has(v, "variable 'alpha1' has no 'long_name' attribute"));
    CHECK(has(v, "variable 'nash_delta_star' has no '_FillValue' attribute"));
    CHECK(has(v, "axis 'delta' has no 'units' attribute"));
  }
  SUBCASE("a _FillValue of another type than the variable's") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      const hid_t ds = H5Dopen2(f, "alpha1", H5P_DEFAULT);
      REQUIRE(H5Adelete(ds, "_FillValue") >= 0);
      const double nan = std::numeric_limits<double>::quiet_NaN();
      const hsize_t one = 1;
      const hid_t s = H5Screate_simple(1, &one, nullptr);
      const hid_t a = H5Acreate2(ds, "_FillValue", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT);
      REQUIRE(H5Awrite(a, H5T_NATIVE_DOUBLE, &nan) >= 0);
      H5Aclose(a);
      H5Sclose(s);
      H5Dclose(ds);
    });
    INFO(join(v));
    CHECK(v == std::vector<std::string>{
                   "variable 'alpha1' has a _FillValue that is not one value of the variable's type"});
  }
  SUBCASE("a detached dimension scale") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      const hid_t ds = H5Dopen2(f, "u_g", H5P_DEFAULT);
      const hid_t sc = H5Dopen2(f, "c1", H5P_DEFAULT);
      REQUIRE(H5DSdetach_scale(ds, sc, 1) >= 0);
      H5Dclose(sc);
      H5Dclose(ds);
    });
    INFO(join(v));
    CHECK(v == std::vector<std::string>{"dimension 1 of 'u_g' has no dimension scale attached"});
  }
  SUBCASE("an axis that is no longer a dimension scale") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      // Detach c0 everywhere, then remove its scale marker: it becomes an unknown variable.
      const hid_t sc = H5Dopen2(f, "c0", H5P_DEFAULT);
      for (const char* name : {"u_g", "alpha1", "regime", "nash_delta_star", "nash_status"}) {
        const hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
        REQUIRE(H5DSdetach_scale(ds, sc, 0) >= 0);
        H5Dclose(ds);
      }
      REQUIRE(H5Adelete(sc, "CLASS") >= 0);
      H5Dclose(sc);
    });
    INFO(join(v));
    CHECK(has(v, "variable 'c0' is not in schema"));
    CHECK(has(v, "dimension 0 of 'u_g' has no dimension scale attached"));
    CHECK(v.size() == 6);
  }
  SUBCASE("wrong categories") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      const hid_t ds = H5Dopen2(f, "regime", H5P_DEFAULT);
      put_text(ds, "flag_meanings", "contributor abstainer free_rider", false);
      REQUIRE(H5Adelete(ds, "flag_values") >= 0);
      H5Dclose(ds);
    });
    INFO(join(v));
    CHECK(v.size() == 2);
    CHECK(has(v, "variable 'regime' has no 'flag_values' attribute"));
    CHECK(has(v, "variable 'regime' has flag_meanings 'contributor abstainer free_rider'"));
  }
  SUBCASE("an incomplete tile record") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      const hid_t ds = H5Dopen2(f, "tiles_done", H5P_DEFAULT);
      const std::vector<std::uint8_t> done{1, 1, 0, 1, 0, 1};
      REQUIRE(H5Dwrite(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()) >= 0);
      H5Dclose(ds);
    });
    INFO(join(v));
    CHECK(v == std::vector<std::string>{"incomplete: 2 of 6 tiles are not done"});
  }
  SUBCASE("a variable the schema does not name, a wrong dtype, a group") {
    const auto v = violations_after(good, copy, [](hid_t f) {
      const hsize_t n = 3;
      const hid_t s = H5Screate_simple(1, &n, nullptr);
      const hid_t c0 = H5Dopen2(f, "c0", H5P_DEFAULT);
      for (const char* name : {"utility_0", "status"}) {
        const hid_t ds = H5Dcreate2(f, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        REQUIRE(ds >= 0);
        REQUIRE(H5DSattach_scale(ds, c0, 0) >= 0);
        H5Dclose(ds);
      }
      H5Dclose(c0);
      H5Sclose(s);
      const hid_t g = H5Gcreate2(f, "extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Gclose(g);
    });
    INFO(join(v));
    CHECK(has(v, "variable 'utility_0' is not in schema ftg-results 1.0.0"));
    CHECK(has(v, "variable 'status' is float64, not uint8 (categorical)"));
    CHECK(has(v, "'extra' is not a dataset"));
    CHECK(has(v, "variable 'status' has no '_FillValue' attribute"));
  }
  SUBCASE("a .partial name") {
    const fs::path partial = dir / "x.h5.partial";
    fs::copy_file(good, partial, fs::copy_options::overwrite_existing);
    CHECK(ftg::h5::validate_file(partial.string()) ==
          std::vector<std::string>{"the file name ends in '.partial': the run did not finish"});
  }
  SUBCASE("a file without creation order (a plain h5py/HDF5 default file)") {
    const fs::path plain = dir / "plain.h5";
    const hid_t f = H5Fcreate(plain.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(f >= 0);
    H5Fclose(f);
    const auto v = ftg::h5::validate_file(plain.string());
    INFO(join(v));
    CHECK(has(v, "link creation order is not tracked and indexed"));
    CHECK(has(v, "attribute creation order is not tracked and indexed"));
    CHECK(has(v, "root has no 'Conventions' attribute"));
    CHECK(has(v, "no 'tiles_done' record"));
  }
  fs::remove_all(dir);
}
