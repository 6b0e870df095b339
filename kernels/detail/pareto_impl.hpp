// kernels/detail/pareto_impl.hpp: the Pareto set from an existing scan (shared with bargaining).
#pragma once

#include <cstdint>

#include "kernels/detail/scan.hpp"
#include "kernels/pareto.hpp"

namespace ftg::detail {

/// pareto_numeric() on a scan already built; adds the Boost.Math iterations used to *iterations.
pareto_set pareto_from_scan(const game_scan& s, const solver_options& opts,
                            std::uint32_t* iterations) noexcept;

}  // namespace ftg::detail
