// engine/h5/h5_detail.hpp: reading helpers shared by the writer (resume) and the validator.
//
// 1. What: small checked reads of attributes, shapes, types and layout, in std types only.
// 2. Preconditions: `obj`/`ds` are open identifiers; `path` is the file name used in errors.
// 3. Method: HDF5 C API through check() (engine/h5/h5_handle.hpp).
// 4. Thread-safety: one thread at a time (the writer thread or the validator).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/h5/h5_handle.hpp"

namespace ftg::h5::detail {

enum class type_class : std::uint8_t { f64, f32, u8, u64, text_fixed, text_variable, other };

/// Makes the closed file `from` the file `to` durably: fsync of the file, rename, fsync of the
/// directory (fsync failures are ignored: durability is best effort; a failed rename throws
/// ftg::runtime_error naming `from`). The writer's finish() and the shard merge end with it.
void publish(const std::string& from, const std::string& to);

/// Opens an existing file (read-only or read-write) with the library bounds the writer uses.
/// Sets the file-access property list so that metadata reaches the disk only when flushed.
void hold_metadata_until_flush(hid fapl, const std::string& path);
handle open_file(const std::string& path, bool writable);
handle open_dataset(hid file, const std::string& name, const std::string& path);
bool has_link(hid loc, const std::string& name, const std::string& path);
bool has_attribute(hid obj, const std::string& name, const std::string& path);
type_class dataset_type(hid ds, const std::string& path);
type_class attribute_type(hid obj, const std::string& name, const std::string& path);
/// Number of elements of an attribute's dataspace (1 for a scalar).
std::uint64_t attribute_size(hid obj, const std::string& name, const std::string& path);
/// A text attribute's value (fixed or variable length), nullopt if absent or not text.
std::optional<std::string> read_text_attribute(hid obj, const std::string& name,
                                               const std::string& path);
/// A numeric attribute converted to double / uint64 (all elements).
std::vector<double> read_f64_attribute(hid obj, const std::string& name, const std::string& path);
std::vector<std::uint64_t> read_u64_attribute(hid obj, const std::string& name,
                                              const std::string& path);
std::vector<std::uint64_t> dataset_shape(hid ds, const std::string& path);
std::vector<double> read_f64_dataset(hid ds, const std::string& path);
std::vector<std::uint8_t> read_u8_dataset(hid ds, const std::string& path);
/// Chunk shape, empty when the layout is not chunked.
std::vector<std::uint64_t> dataset_chunk(hid ds, const std::string& path);
/// True if the filter pipeline has shuffle followed by deflate.
bool dataset_shuffle_deflate(hid ds, const std::string& path);

}  // namespace ftg::h5::detail
