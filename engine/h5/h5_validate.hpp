// engine/h5/h5_validate.hpp: checks a file against output_schemas/ftg_results_v1.md.
//
// 1. What: validate_file() returns one line per violation of "ftg-results" 1.x: a missing or
//    wrong root attribute, creation order not tracked and indexed, a variable the schema does
//    not name, a wrong dtype, a missing or wrong _FillValue / units / long_name / flag_values /
//    flag_meanings, a dimension without exactly one attached dimension scale, a variable-length
//    string attribute, a group, an incomplete run (a tile not done, or a ".partial" name).
//    An empty result means the file is valid.
// 2. Preconditions: none. A file that is missing or that HDF5 cannot open throws
//    ftg::runtime_error with one line naming the file.
// 3. Method: reads the same constexpr tables as the writer (output_schemas/ftg_results_v1.hpp).
// 4. Thread-safety: call from one thread at a time (HDF5's global lock).
#pragma once

#include <string>
#include <vector>

namespace ftg::h5 {

std::vector<std::string> validate_file(const std::string& path);

}  // namespace ftg::h5
