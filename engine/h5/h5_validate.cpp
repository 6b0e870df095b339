// engine/h5/h5_validate.cpp: every rule of output_schemas/ftg_results_v1.md that a file can break.
#include "engine/h5/h5_validate.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/h5/h5_detail.hpp"
#include "engine/h5/h5_handle.hpp"
#include "output_schemas/ftg_results_v1.hpp"

namespace ftg::h5 {

namespace sv1 = ftg::schema::v1;
using detail::type_class;

namespace {

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

struct scale_visit {
  std::string name;
  std::uint64_t length = 0;
  bool back_reference = false;
};

herr_t visit_scale(hid_t dset, unsigned dim, hid_t scale, void* data) {
  auto* out = static_cast<scale_visit*>(data);
  char buffer[1024] = {};
  if (H5Iget_name(scale, buffer, sizeof buffer) > 0) {
    out->name = buffer[0] == '/' ? buffer + 1 : buffer;
  }
  hid_t space = H5Dget_space(scale);
  if (space >= 0) {
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space) == 1) H5Sget_simple_extent_dims(space, &n, nullptr);
    out->length = n;
    H5Sclose(space);
  }
  out->back_reference = H5DSis_attached(dset, scale, dim) > 0;
  return 1;  // the first scale is enough: the caller requires exactly one
}

std::string_view class_name(type_class t) {
  switch (t) {
    case type_class::f64: return "float64";
    case type_class::f32: return "float32";
    case type_class::u8: return "uint8";
    case type_class::u64: return "uint64";
    case type_class::text_fixed: return "fixed-length string";
    case type_class::text_variable: return "variable-length string";
    case type_class::other: return "another type";
  }
  return "?";
}

class checker {
 public:
  explicit checker(std::string path) : path_(std::move(path)) {}

  std::vector<std::string> run() {
    if (path_.size() >= sv1::partial_suffix.size() &&
        path_.compare(path_.size() - sv1::partial_suffix.size(), std::string::npos,
                      sv1::partial_suffix) == 0) {
      add("the file name ends in '.partial': the run did not finish");
    }
    file_ = detail::open_file(path_, false);
    check_creation_order();
    check_root_attributes();
    check_objects();
    return std::move(violations_);
  }

 private:
  void add(std::string v) { violations_.push_back(std::move(v)); }

  void check_creation_order() {
    // The root group's creation properties carry the file's creation-order flags.
    handle root(check(H5Gopen2(file_.get(), "/", H5P_DEFAULT), path_, "H5Gopen2 '/'"), H5Gclose);
    handle fcpl(check(H5Gget_create_plist(root.get()), path_, "H5Gget_create_plist '/'"), H5Pclose);
    unsigned links = 0, attrs = 0;
    check(H5Pget_link_creation_order(fcpl.get(), &links), path_, "H5Pget_link_creation_order");
    check(H5Pget_attr_creation_order(fcpl.get(), &attrs), path_, "H5Pget_attr_creation_order");
    constexpr unsigned both = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if ((links & both) != both) add("link creation order is not tracked and indexed");
    if ((attrs & both) != both) add("attribute creation order is not tracked and indexed");
    crt_order_ = (links & H5P_CRT_ORDER_INDEXED) != 0;
  }

  /// Every string attribute of `obj` must be fixed-length (netCDF NC_CHAR).
  void check_string_attributes(hid_t obj, const std::string& where) {
    std::vector<std::string> names;
    hsize_t idx = 0;
    check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attribute, &names), path_,
          "H5Aiterate2 " + where);
    for (const auto& n : names) {
      if (detail::attribute_type(obj, n, path_) == type_class::text_variable) {
        add(where + " attribute '" + n + "' is a variable-length string (must be fixed-length)");
      }
    }
  }

  std::optional<std::string> text(hid_t obj, const std::string& name, const std::string& where) {
    if (!detail::has_attribute(obj, name, path_)) {
      add(where + " has no '" + name + "' attribute");
      return std::nullopt;
    }
    const auto t = detail::attribute_type(obj, name, path_);
    if (t != type_class::text_fixed && t != type_class::text_variable) {
      add(where + " attribute '" + name + "' is not a string");
      return std::nullopt;
    }
    return detail::read_text_attribute(obj, name, path_);
  }

  void check_root_attributes() {
    const hid_t f = file_.get();
    for (const auto& a : sv1::root_attributes) {
      const std::string name(a.name);
      if (a.type == sv1::attr_type::uint64) {
        if (!detail::has_attribute(f, name, path_)) {
          add("root has no '" + name + "' attribute");
        } else if (detail::attribute_type(f, name, path_) != type_class::u64 ||
                   detail::attribute_size(f, name, path_) != 1) {
          add("root attribute '" + name + "' is not one uint64");
        }
        continue;
      }
      const auto value = text(f, name, "root");
      if (!value) continue;
      if (name == "Conventions" && *value != sv1::conventions) {
        add("root attribute 'Conventions' is '" + *value + "', not '" + std::string(sv1::conventions) + "'");
      } else if (name == "schema" && *value != sv1::name) {
        add("root attribute 'schema' is '" + *value + "', not '" + std::string(sv1::name) + "'");
      } else if (name == "schema_version" &&
                 value->substr(0, value->find('.')) != std::to_string(sv1::version_major)) {
        add("root attribute 'schema_version' is '" + *value + "'; this validator reads " +
            std::to_string(sv1::version_major) + ".x");
      } else if (name == "date_end" && *value == sv1::date_end_pending) {
        add("root attribute 'date_end' is still pending (" + *value + "): the run did not finish");
      }
    }
    check_string_attributes(f, "root");
  }

  void check_objects() {
    const hid_t f = file_.get();
    std::vector<std::string> names;
    hsize_t idx = 0;
    check(H5Literate(f, crt_order_ ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, H5_ITER_INC, &idx,
                     collect_link, &names),
          path_, "H5Literate '/'");
    bool have_tile = false, have_done = false;
    for (const auto& n : names) {
      handle obj(check(H5Oopen(f, n.c_str(), H5P_DEFAULT), path_, "H5Oopen '" + n + "'"), H5Oclose);
      if (H5Iget_type(obj.get()) != H5I_DATASET) {
        add("'" + n + "' is not a dataset (v1 is flat: no groups or named types)");
        continue;
      }
      const hid_t ds = obj.get();
      const std::string where = "'" + n + "'";
      check_string_attributes(ds, where);
      if (check(H5DSis_scale(ds), path_, "H5DSis_scale " + where) > 0) {
        check_axis(ds, n);
        have_tile = have_tile || n == sv1::tile_axis;
      } else if (n == sv1::tiles_done) {
        have_done = true;
        check_tiles_done(ds);
      } else {
        check_variable(ds, n);
      }
    }
    if (!have_tile) add("no '" + std::string(sv1::tile_axis) + "' dimension scale");
    if (!have_done) add("no '" + std::string(sv1::tiles_done) + "' record: completeness unknown");
  }

  void check_axis(hid_t ds, const std::string& n) {
    const std::string where = "axis '" + n + "'";
    const auto shape = detail::dataset_shape(ds, path_);
    if (shape.size() != 1) add(where + " is not one-dimensional");
    const auto t = detail::dataset_type(ds, path_);
    const auto want = n == sv1::tile_axis ? type_class::u64 : type_class::f64;
    if (t != want) add(where + " is " + std::string(class_name(t)) + ", not " + std::string(class_name(want)));
    char buffer[1024] = {};
    const auto len = H5DSget_scale_name(ds, buffer, sizeof buffer);
    if (len < 0 || std::string(buffer) != n) {
      add(where + " has dimension scale NAME '" + std::string(buffer) + "' (must be its dataset name)");
    }
    if (const auto ln = text(ds, "long_name", where); ln && ln->empty()) add(where + " has an empty long_name");
    static_cast<void>(text(ds, "units", where));
  }

  void check_tiles_done(hid_t ds) {
    // (built with append: GCC 12 at -O3 reports a false -Wrestrict on "'" + std::string(...))
    const std::string where = std::string("'").append(sv1::tiles_done).append("'");
    if (detail::dataset_type(ds, path_) != type_class::u8 || detail::dataset_shape(ds, path_).size() != 1) {
      add(where + " is not a one-dimensional uint8 dataset");
      return;
    }
    check_dimensions(ds, std::string(sv1::tiles_done));
    const auto done = detail::read_u8_dataset(ds, path_);
    // A shard file (docs/cluster.md) is complete when the tiles of its own range are done.
    std::size_t first = 0, last = done.size();
    const auto f = detail::read_text_attribute(file_.get(), "shard_tile_first", path_);
    const auto l = detail::read_text_attribute(file_.get(), "shard_tile_last", path_);
    if (f || l) {
      char* end = nullptr;
      const unsigned long long a = f ? std::strtoull(f->c_str(), &end, 10) : 0;
      const bool a_ok = f && !f->empty() && *end == '\0';
      const unsigned long long b = l ? std::strtoull(l->c_str(), &end, 10) : 0;
      const bool b_ok = l && !l->empty() && *end == '\0';
      if (!a_ok || !b_ok || a > b || b > done.size()) {
        add("shard attributes shard_tile_first/shard_tile_last are not a tile range within 0.." +
            std::to_string(done.size()));
      } else {
        first = static_cast<std::size_t>(a);
        last = static_cast<std::size_t>(b);
      }
    }
    const auto pending = std::count_if(done.begin() + static_cast<std::ptrdiff_t>(first),
                                       done.begin() + static_cast<std::ptrdiff_t>(last),
                                       [](std::uint8_t x) { return x != 1; });
    if (pending != 0) {
      add("incomplete: " + std::to_string(pending) + " of " + std::to_string(last - first) +
          " tiles are not done");
    }
  }

  void check_dimensions(hid_t ds, const std::string& n) {
    const auto shape = detail::dataset_shape(ds, path_);
    for (std::size_t d = 0; d < shape.size(); ++d) {
      const unsigned dim = static_cast<unsigned>(d);
      const std::string where = "dimension " + std::to_string(d) + " of '" + n + "'";
      const int count = check(H5DSget_num_scales(ds, dim), path_, "H5DSget_num_scales '" + n + "'");
      if (count == 0) {
        add(where + " has no dimension scale attached");
        continue;
      }
      if (count > 1) add(where + " has " + std::to_string(count) + " dimension scales (must be one)");
      scale_visit visit;
      check(H5DSiterate_scales(ds, dim, nullptr, visit_scale, &visit), path_,
            "H5DSiterate_scales '" + n + "'");
      if (visit.length != shape[d]) {
        add(where + " has length " + std::to_string(shape[d]) + " but its scale '" + visit.name +
            "' has " + std::to_string(visit.length));
      }
      if (!visit.back_reference) add(where + ": scale '" + visit.name + "' does not list it (REFERENCE_LIST)");
    }
  }

  /// A virtual dataset (`ftg merge --virtual`) reads missing sources as fill values without an
  /// error (HDFGroup/hdf5#5088): every source file must exist (relative names resolve against
  /// this file's directory) and hold the source dataset.
  void check_virtual_sources(hid_t ds, const std::string& where) {
    handle dcpl(check(H5Dget_create_plist(ds), path_, "H5Dget_create_plist " + where), H5Pclose);
    if (H5Pget_layout(dcpl.get()) != H5D_VIRTUAL) return;
    std::size_t count = 0;
    check(H5Pget_virtual_count(dcpl.get(), &count), path_, "H5Pget_virtual_count " + where);
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const auto get = [&](auto fn) {
        const ssize_t n = fn(dcpl.get(), i, nullptr, 0);
        std::string v(n > 0 ? static_cast<std::size_t>(n) + 1 : 1, '\0');
        if (n > 0) fn(dcpl.get(), i, v.data(), v.size());
        return std::string(v.c_str());
      };
      const std::string file = get(H5Pget_virtual_filename);
      const std::string dset = get(H5Pget_virtual_dsetname);
      if (!seen.insert({file, dset}).second) continue;
      std::filesystem::path src(file);
      if (file != "." && src.is_relative()) src = std::filesystem::path(path_).parent_path() / src;
      if (file != "." && !std::filesystem::exists(src)) {
        add(where + " is a virtual dataset whose source file '" + file + "' is missing");
        continue;
      }
      try {
        handle f = detail::open_file(file == "." ? path_ : src.string(), false);
        if (!detail::has_link(f.get(), dset.substr(dset.starts_with("/") ? 1 : 0), src.string()))
          add(where + " is a virtual dataset whose source '" + file + ":" + dset + "' is missing");
      } catch (const ftg::error&) {
        add(where + " is a virtual dataset whose source file '" + file + "' cannot be opened");
      }
    }
  }

  void check_variable(hid_t ds, const std::string& n) {
    const std::string where = "variable '" + n + "'";
    check_virtual_sources(ds, where);
    const auto info = sv1::find_variable(n);
    if (!info) {
      add(where + " is not in schema ftg-results " + std::string(sv1::version));
      return;
    }
    const auto t = detail::dataset_type(ds, path_);
    const bool categorical = info->cls == sv1::value_class::categorical;
    if (categorical ? t != type_class::u8 : (t != type_class::f64 && t != type_class::f32)) {
      add(where + " is " + std::string(class_name(t)) + ", not " +
          (categorical ? "uint8 (categorical)" : "float64 or float32"));
    }
    check_dimensions(ds, n);
    if (const auto ln = text(ds, "long_name", where); ln && ln->empty()) add(where + " has an empty long_name");
    if (!categorical) {
      if (const auto u = text(ds, "units", where); u && *u != info->units) {
        add(where + " has units '" + *u + "', not '" + info->units + "'");
      }
    }
    if (!detail::has_attribute(ds, "_FillValue", path_)) {
      add(where + " has no '_FillValue' attribute");
    } else if (detail::attribute_type(ds, "_FillValue", path_) != t ||
               detail::attribute_size(ds, "_FillValue", path_) != 1) {
      add(where + " has a _FillValue that is not one value of the variable's type");
    } else if (categorical) {
      const auto fill = detail::read_u64_attribute(ds, "_FillValue", path_);
      if (fill[0] != sv1::category_fill) add(where + " has _FillValue " + std::to_string(fill[0]) + ", not 255");
    } else if (!std::isnan(detail::read_f64_attribute(ds, "_FillValue", path_)[0])) {
      add(where + " has a _FillValue that is not NaN");
    }
    if (categorical) {
      std::vector<std::uint64_t> want(info->cat->count);
      std::iota(want.begin(), want.end(), std::uint64_t{0});
      if (!detail::has_attribute(ds, "flag_values", path_)) {
        add(where + " has no 'flag_values' attribute");
      } else if (detail::attribute_type(ds, "flag_values", path_) != type_class::u8 ||
                 detail::read_u64_attribute(ds, "flag_values", path_) != want) {
        add(where + " has flag_values other than uint8 0.." + std::to_string(info->cat->count - 1));
      }
      if (const auto m = text(ds, "flag_meanings", where); m && *m != info->cat->flag_meanings) {
        add(where + " has flag_meanings '" + *m + "', not '" + std::string(info->cat->flag_meanings) + "'");
      }
    }
  }

  std::string path_;
  handle file_;
  bool crt_order_ = false;
  std::vector<std::string> violations_;
};

}  // namespace

std::vector<std::string> validate_file(const std::string& path) {
  silence_error_printing();
  if (!std::filesystem::exists(path)) {
    throw ftg::runtime_error("", path + ": cannot validate: no such file");
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw ftg::runtime_error("", path + ": cannot validate: not an HDF5 file (corrupt or truncated)");
  }
  return checker(path).run();
}

}  // namespace ftg::h5
