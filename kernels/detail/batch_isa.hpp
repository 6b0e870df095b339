// kernels/detail/batch_isa.hpp: which vector instruction set the batch solvers run their lanes on
// (not public; kernels/bargaining_closed_form_batch.cpp, kernels/bargaining_batch.cpp; the heatmap
// row kernel's clones, kernels/spe_row.cpp). The public batch functions take the best
// the CPU has; the _on variants take one explicitly, so that tests compare every instruction set
// the CPU has against the scalar code. Pure: the CPU model is read from libgcc's, filled before
// main.
#pragma once

#include <cstddef>
#include <span>

#include "kernels/bargaining.hpp"
#include "kernels/spe.hpp"

namespace ftg::detail {

enum class batch_isa : int { scalar = 0, avx2 = 1, avx512 = 2 };

/// Whether this CPU runs `isa` (avx2 needs AVX2 and FMA; avx512 needs AVX-512 F and DQ).
inline bool batch_isa_supported(batch_isa isa) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  switch (isa) {
    case batch_isa::avx512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    case batch_isa::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case batch_isa::scalar: return true;
  }
  return false;
#else
  return isa == batch_isa::scalar;
#endif
}

/// The widest instruction set this CPU runs.
inline batch_isa best_batch_isa() noexcept {
  if (batch_isa_supported(batch_isa::avx512)) return batch_isa::avx512;
  if (batch_isa_supported(batch_isa::avx2)) return batch_isa::avx2;
  return batch_isa::scalar;
}

/// The batch functions of kernels/bargaining.hpp on `isa` (the scalar code for every game when the
/// CPU lacks it, or for isa scalar).
std::size_t solve_game_closed_form_batch_on(batch_isa isa, std::span<const game_params> games, double beta,
                                            std::span<game_solution> out) noexcept;
std::size_t solve_game_numeric_batch_on(batch_isa isa, std::span<const game_params> games, double beta,
                                        std::span<game_solution> out, const solver_options& opts = {}) noexcept;
std::size_t bargain_numeric_batch_on(batch_isa isa, solution s, std::span<const game_params> games, double beta,
                                     std::span<bargain_result> out, const solver_options& opts = {}) noexcept;

/// spe_rows (kernels/spe.hpp) with the row loop's clone for `clone` (scalar: the baseline x86-64
/// build), so that tests compare the clones a CPU has bit for bit; false (nothing written) when
/// this CPU does not run that clone. kernels/spe_row.cpp.
bool spe_rows_on(batch_isa clone, std::span<const game_params> games, std::span<const double> deltas,
                 std::span<const spe_row_out> outs, std::span<spe_row_summary> sums,
                 const spe_row_basis* basis = nullptr) noexcept;

}  // namespace ftg::detail
