// engine/h5/h5_handle.hpp: RAII ownership of HDF5 identifiers and the one checked-call rule.
//
// 1. What: `handle` owns one HDF5 identifier (file, dataset, dataspace, datatype, property list,
//    attribute) and closes it exactly once. `check(result, path, op)` is wrapped around every
//    HDF5 C call in engine/h5/*.cpp: a negative result throws ftg::runtime_error whose one-line
//    message names the file, the operation and HDF5's innermost error message.
// 2. Preconditions: identifiers come from the serial HDF5 1.10 library, whose hid_t is a 64-bit
//    signed integer (checked by static_assert in h5_handle.cpp). This header does not include
//    <hdf5.h>: the rest of the engine never sees HDF5.
// 3. Method: HighFive's bits/h5*_wrapper.hpp pattern in a few lines.
// 4. Thread-safety: HDF5 is touched by one writer thread only (STYLE.md 2.4); a handle is not
//    shared between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace ftg::h5 {

using hid = std::int64_t;

/// Throws ftg::runtime_error "ftg: <path>: <op> failed: <HDF5's innermost message>".
[[noreturn]] void fail(const std::string& path, std::string_view op);

/// Returns `result` unless it is negative (HDF5's failure convention), in which case fail().
template <class R>
R check(R result, const std::string& path, std::string_view op) {
  if (result < 0) fail(path, op);
  return result;
}

/// Turns off HDF5's automatic printing of its error stack (we report through exceptions).
void silence_error_printing() noexcept;

class handle {
 public:
  using closer = int (*)(hid);

  handle() noexcept = default;
  handle(hid id, closer closer_fn) noexcept : id_(id), close_(closer_fn) {}
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  handle(handle&& other) noexcept
      : id_(std::exchange(other.id_, -1)), close_(std::exchange(other.close_, nullptr)) {}
  handle& operator=(handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      close_ = std::exchange(other.close_, nullptr);
    }
    return *this;
  }
  ~handle() { reset(); }

  [[nodiscard]] hid get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }

  /// Closes now and throws (with path) if HDF5 reports a failure, e.g. a failed final flush.
  void close(const std::string& path, std::string_view op) {
    if (id_ < 0) return;
    const hid id = std::exchange(id_, -1);
    check(close_(id), path, op);
  }

  /// Closes, ignoring errors: destructors must not throw.
  void reset() noexcept {
    if (id_ >= 0 && close_ != nullptr) static_cast<void>(close_(id_));
    id_ = -1;
  }

 private:
  hid id_ = -1;
  closer close_ = nullptr;
};

}  // namespace ftg::h5
