#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace cascade::risk {

// Storage for up to `capacity` objects, allocated at start-up but constructed one by one on first
// use: an engine sized for a million buckets starts in microseconds and touches only the pages it
// uses. The owner constructs and destroys; this class only hands out slots.
template <typename T>
class SlotArray {
 public:
  explicit SlotArray(uint32_t capacity) : slots_(new Slot[capacity]) {}

  T& operator[](uint32_t i) noexcept {
    return *std::launder(reinterpret_cast<T*>(slots_[i].bytes));
  }
  const T& operator[](uint32_t i) const noexcept {
    return *std::launder(reinterpret_cast<const T*>(slots_[i].bytes));
  }
  T& Construct(uint32_t i) { return *::new (static_cast<void*>(slots_[i].bytes)) T(); }
  void Destroy(uint32_t i) noexcept { (*this)[i].~T(); }
  [[nodiscard]] uint32_t IndexOf(const T& t) const noexcept {
    return static_cast<uint32_t>(reinterpret_cast<const Slot*>(&t) - slots_.get());
  }

 private:
  struct Slot {
    alignas(T) std::byte bytes[sizeof(T)];
  };
  std::unique_ptr<Slot[]> slots_;  // default-initialized: no page is touched before use
};

}  // namespace cascade::risk
