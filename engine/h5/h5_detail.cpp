// engine/h5/h5_detail.cpp: checked reads shared by the writer's resume() and the validator.
#include "engine/h5/h5_detail.hpp"

#include "engine/error.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <string>
#include <vector>

namespace ftg::h5::detail {

void publish(const std::string& from, const std::string& to) {
  const auto sync = [](const std::string& p) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd < 0) return;
    static_cast<void>(::fsync(fd));
    static_cast<void>(::close(fd));
  };
  sync(from);
  if (std::rename(from.c_str(), to.c_str()) != 0)
    throw ftg::runtime_error("", from + ": rename to '" + to + "' failed: " + std::strerror(errno));
  const auto dir = std::filesystem::path(to).parent_path();
  sync(dir.empty() ? std::string(".") : dir.string());
}

namespace {

type_class classify(hid_t type) {
  const H5T_class_t cls = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (cls == H5T_FLOAT) {
    if (size == 8) return type_class::f64;
    if (size == 4) return type_class::f32;
  } else if (cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE) {
    if (size == 1) return type_class::u8;
    if (size == 8) return type_class::u64;
  } else if (cls == H5T_STRING) {
    return H5Tis_variable_str(type) > 0 ? type_class::text_variable : type_class::text_fixed;
  }
  return type_class::other;
}

handle open_attribute(hid obj, const std::string& name, const std::string& path) {
  return handle(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), path, "H5Aopen '" + name + "'"),
                H5Aclose);
}

}  // namespace

void hold_metadata_until_flush(hid fapl, const std::string& path) {
  // With evictions off, the metadata cache writes dirty metadata only at H5Fflush and close, so
  // the file on disk is always the last flushed state: a SIGKILL between flushes loses the tiles
  // written since, never the file (chunk allocations are metadata; their raw data lands beyond
  // the flushed end of file and is overwritten on resume). HDF5 requires the automatic resize
  // modes off when evictions are off; the cache then grows as needed between flushes.
  H5AC_cache_config_t config{};
  config.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  check(H5Pget_mdc_config(fapl, &config), path, "H5Pget_mdc_config");
  config.evictions_enabled = false;
  config.incr_mode = H5C_incr__off;
  config.flash_incr_mode = H5C_flash_incr__off;
  config.decr_mode = H5C_decr__off;
  check(H5Pset_mdc_config(fapl, &config), path, "H5Pset_mdc_config");
}

handle open_file(const std::string& path, bool writable) {
  handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), path, "H5Pcreate(file access)"), H5Pclose);
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), path,
        "H5Pset_libver_bounds");
  if (writable) hold_metadata_until_flush(fapl.get(), path);
  return handle(check(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get()),
                      path, writable ? "H5Fopen(read-write)" : "H5Fopen(read-only)"),
                H5Fclose);
}

handle open_dataset(hid file, const std::string& name, const std::string& path) {
  return handle(check(H5Dopen2(file, name.c_str(), H5P_DEFAULT), path, "H5Dopen2 '" + name + "'"),
                H5Dclose);
}

bool has_link(hid loc, const std::string& name, const std::string& path) {
  return check(H5Lexists(loc, name.c_str(), H5P_DEFAULT), path, "H5Lexists '" + name + "'") > 0;
}

bool has_attribute(hid obj, const std::string& name, const std::string& path) {
  return check(H5Aexists(obj, name.c_str()), path, "H5Aexists '" + name + "'") > 0;
}

type_class dataset_type(hid ds, const std::string& path) {
  handle t(check(H5Dget_type(ds), path, "H5Dget_type"), H5Tclose);
  return classify(t.get());
}

type_class attribute_type(hid obj, const std::string& name, const std::string& path) {
  handle a = open_attribute(obj, name, path);
  handle t(check(H5Aget_type(a.get()), path, "H5Aget_type '" + name + "'"), H5Tclose);
  return classify(t.get());
}

std::uint64_t attribute_size(hid obj, const std::string& name, const std::string& path) {
  handle a = open_attribute(obj, name, path);
  handle s(check(H5Aget_space(a.get()), path, "H5Aget_space '" + name + "'"), H5Sclose);
  const hssize_t n = check(H5Sget_simple_extent_npoints(s.get()), path,
                           "H5Sget_simple_extent_npoints '" + name + "'");
  return static_cast<std::uint64_t>(n);
}

std::optional<std::string> read_text_attribute(hid obj, const std::string& name,
                                               const std::string& path) {
  if (!has_attribute(obj, name, path)) return std::nullopt;
  handle a = open_attribute(obj, name, path);
  handle t(check(H5Aget_type(a.get()), path, "H5Aget_type '" + name + "'"), H5Tclose);
  if (H5Tget_class(t.get()) != H5T_STRING) return std::nullopt;
  const std::string op = "H5Aread '" + name + "'";
  if (check(H5Tis_variable_str(t.get()), path, "H5Tis_variable_str") > 0) {
    handle s(check(H5Aget_space(a.get()), path, "H5Aget_space"), H5Sclose);
    if (H5Sget_simple_extent_npoints(s.get()) != 1) return std::nullopt;
    char* value = nullptr;
    check(H5Aread(a.get(), t.get(), &value), path, op);
    std::string out = value != nullptr ? value : "";
    static_cast<void>(H5free_memory(value));
    return out;
  }
  const std::size_t size = H5Tget_size(t.get());
  std::string buffer(size, '\0');
  check(H5Aread(a.get(), t.get(), buffer.data()), path, op);
  // NULLTERM or NULLPAD: the value ends at the first NUL.
  const auto end = buffer.find('\0');
  if (end != std::string::npos) buffer.resize(end);
  return buffer;
}

std::vector<double> read_f64_attribute(hid obj, const std::string& name, const std::string& path) {
  const std::uint64_t n = attribute_size(obj, name, path);
  handle a = open_attribute(obj, name, path);
  std::vector<double> out(n);
  check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, out.data()), path, "H5Aread '" + name + "'");
  return out;
}

std::vector<std::uint64_t> read_u64_attribute(hid obj, const std::string& name,
                                              const std::string& path) {
  const std::uint64_t n = attribute_size(obj, name, path);
  handle a = open_attribute(obj, name, path);
  std::vector<std::uint64_t> out(n);
  check(H5Aread(a.get(), H5T_NATIVE_UINT64, out.data()), path, "H5Aread '" + name + "'");
  return out;
}

std::vector<std::uint64_t> dataset_shape(hid ds, const std::string& path) {
  handle s(check(H5Dget_space(ds), path, "H5Dget_space"), H5Sclose);
  const int rank = check(H5Sget_simple_extent_ndims(s.get()), path, "H5Sget_simple_extent_ndims");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(s.get(), dims.data(), nullptr), path, "H5Sget_simple_extent_dims");
  return {dims.begin(), dims.end()};
}

std::vector<double> read_f64_dataset(hid ds, const std::string& path) {
  std::uint64_t n = 1;
  for (const auto d : dataset_shape(ds, path)) n *= d;
  std::vector<double> out(n);
  if (n > 0) {
    check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path, "H5Dread");
  }
  return out;
}

std::vector<std::uint8_t> read_u8_dataset(hid ds, const std::string& path) {
  std::uint64_t n = 1;
  for (const auto d : dataset_shape(ds, path)) n *= d;
  std::vector<std::uint8_t> out(n);
  if (n > 0) {
    check(H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path, "H5Dread");
  }
  return out;
}

std::vector<std::uint64_t> dataset_chunk(hid ds, const std::string& path) {
  handle dcpl(check(H5Dget_create_plist(ds), path, "H5Dget_create_plist"), H5Pclose);
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return {};
  std::vector<hsize_t> chunk(32);
  const int rank = check(H5Pget_chunk(dcpl.get(), 32, chunk.data()), path, "H5Pget_chunk");
  chunk.resize(static_cast<std::size_t>(rank));
  return {chunk.begin(), chunk.end()};
}

bool dataset_shuffle_deflate(hid ds, const std::string& path) {
  handle dcpl(check(H5Dget_create_plist(ds), path, "H5Dget_create_plist"), H5Pclose);
  const int n = check(H5Pget_nfilters(dcpl.get()), path, "H5Pget_nfilters");
  std::vector<H5Z_filter_t> filters;
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0;
    std::size_t nelmts = 0;
    unsigned config = 0;
    filters.push_back(check(H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &nelmts,
                                           nullptr, 0, nullptr, &config),
                            path, "H5Pget_filter2"));
  }
  return filters == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE};
}

}  // namespace ftg::h5::detail
