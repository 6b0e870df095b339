// kernels/detail/pareto_impl.hpp: the Pareto set from an existing scan (shared with bargaining).
#pragma once

#include <cstdint>

#include "kernels/detail/scan.hpp"
#include "kernels/pareto.hpp"

namespace ftg::detail {

/// pareto_numeric() on a scan already built; adds the Boost.Math iterations used to *iterations.
/// crit_g and crit_d, when given, are the roots of UG' and UD' already found by scan_roots on the
/// same scan with the same options (bargaining.cpp shares them instead of finding them twice).
pareto_set pareto_from_scan(const game_scan& s, const solver_options& opts, std::uint32_t* iterations,
                            const delta_list* crit_g = nullptr,
                            const delta_list* crit_d = nullptr) noexcept;

}  // namespace ftg::detail
