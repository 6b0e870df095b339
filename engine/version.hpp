// engine/version.hpp: the version of ftg, PROJECT_VERSION of the root CMakeLists.txt.
//
// 1. What: the string printed by `ftg --version` and stored in JSON output ("ftg_version").
// 2. Preconditions: none.
// 3. Method: the compile definition FTG_VERSION set in engine/CMakeLists.txt.
// 4. Pure, reentrant, no allocation.
#pragma once

#include <string_view>

namespace ftg {

std::string_view version() noexcept;

}  // namespace ftg
