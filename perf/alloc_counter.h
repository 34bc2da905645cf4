#pragma once

#include <cstdint>

// Counts heap allocations in the binary that links cascade::alloc_counter, which replaces the
// global operator new and delete (every form) with counting wrappers around malloc and free.
// Benchmarks read the counter around their timed loop to report allocations per operation.
namespace cascade::alloc_counter {

// Calls of any operator new (and of operator delete) since the process started, all threads.
[[nodiscard]] uint64_t Allocations() noexcept;
[[nodiscard]] uint64_t Deallocations() noexcept;
[[nodiscard]] uint64_t BytesAllocated() noexcept;

// Allocations made since construction.
class Scope {
 public:
  Scope() noexcept : start_(Allocations()) {}
  [[nodiscard]] uint64_t allocations() const noexcept { return Allocations() - start_; }

 private:
  uint64_t start_;
};

}  // namespace cascade::alloc_counter
