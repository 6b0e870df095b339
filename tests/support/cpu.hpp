// tests/support/cpu.hpp: what the CPU running the tests can do, for tests of code that takes a
// faster path on some CPUs (the AVX-512 batches of kernels/bargaining.hpp) and must say which.
#pragma once

namespace ftg::test {

/// The CPU has the AVX-512 subsets the batch solvers use (F and DQ).
inline bool has_avx512() {
#if defined(__x86_64__) && defined(__GNUC__)
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
#else
  return false;
#endif
}

}  // namespace ftg::test
