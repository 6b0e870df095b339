#include "engine/version.hpp"

#ifndef FTG_VERSION
#error "FTG_VERSION must be defined by the build (engine/CMakeLists.txt)"
#endif

namespace ftg {

std::string_view version() noexcept { return FTG_VERSION; }

}  // namespace ftg
