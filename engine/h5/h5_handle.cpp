// engine/h5/h5_handle.cpp: the failure path of check() and the error-printing switch.
#include "engine/h5/h5_handle.hpp"

#include <hdf5.h>

#include <type_traits>

#include "engine/error.hpp"

namespace ftg::h5 {

static_assert(std::is_same_v<hid, hid_t>, "ftg::h5::hid must be HDF5's hid_t");
static_assert(std::is_same_v<int, herr_t>, "handle::closer must match H5*close");

namespace {

struct innermost {
  std::string text;
};

herr_t take_innermost(unsigned n, const H5E_error2_t* err, void* data) {
  // H5E_WALK_UPWARD starts at the function that detected the error: its message is the cause.
  if (n == 0 && err != nullptr) {
    auto* out = static_cast<innermost*>(data);
    if (err->desc != nullptr) out->text = err->desc;
    if (err->func_name != nullptr) {
      out->text += " (";
      out->text += err->func_name;
      out->text += ")";
    }
  }
  return 0;
}

}  // namespace

void fail(const std::string& path, std::string_view op) {
  innermost cause;
  static_cast<void>(H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &cause));
  static_cast<void>(H5Eclear2(H5E_DEFAULT));
  std::string detail = path;
  detail += ": ";
  detail += op;
  detail += " failed";
  if (!cause.text.empty()) {
    detail += ": ";
    detail += cause.text;
  }
  throw ftg::runtime_error("", detail);
}

void silence_error_printing() noexcept {
  static_cast<void>(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr));
}

}  // namespace ftg::h5
