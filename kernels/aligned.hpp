#pragma once
// ftg::cache_line_allocator: storage on 64-byte boundaries (one cache line).
//
// The row kernels (spe_row, spe_rows; kernels/spe.hpp) start their vector stores where the first
// output field of a row is 64-byte aligned, so the other fields store aligned too exactly when
// their addresses agree with it modulo 64. Arrays that each begin on a cache line (this allocator,
// std::aligned_alloc(64, ...)) and hold rows of the same length give that; arrays from plain
// malloc or std::vector<double> start 16 bytes into a line or anywhere in the heap, and a k = 2
// heatmap materialised in RAM then ran about 1.3x slower (docs/performance.md, sixth session).
// Header only; allocation is the caller's, never the kernels'.

#include <cstddef>
#include <new>
#include <vector>

namespace ftg {

template <class T>
struct cache_line_allocator {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};
  cache_line_allocator() noexcept = default;
  template <class U>
  cache_line_allocator(const cache_line_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }
  template <class U>
  bool operator==(const cache_line_allocator<U>&) const noexcept { return true; }
};

/// A vector whose elements start on a cache line.
template <class T>
using cache_line_vector = std::vector<T, cache_line_allocator<T>>;

}  // namespace ftg
