#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/core/assert.h"

namespace cascade {

// A fixed-capacity pool of default-constructed objects, sized once at start-up. Acquire returns
// nullptr when the pool is exhausted so the caller can reject instead of allocating.
template <typename T>
class ObjectPool {
 public:
  explicit ObjectPool(size_t capacity) : storage_(new T[capacity]), capacity_(capacity) {
    free_.reserve(capacity);
    for (size_t i = capacity; i > 0; --i) free_.push_back(&storage_[i - 1]);
  }
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  [[nodiscard]] T* Acquire() noexcept {
    if (free_.empty()) return nullptr;
    T* obj = free_.back();
    free_.pop_back();
    return obj;
  }
  void Release(T* obj) noexcept {
    CASCADE_DCHECK(obj >= storage_.get() && obj < storage_.get() + capacity_);
    *obj = T{};
    free_.push_back(obj);
  }

  // The array every object lives in: an object's position in it is a stable 32-bit handle.
  [[nodiscard]] T* data() noexcept { return storage_.get(); }
  [[nodiscard]] size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] size_t in_use() const noexcept { return capacity_ - free_.size(); }
  [[nodiscard]] size_t available() const noexcept { return free_.size(); }

 private:
  std::unique_ptr<T[]> storage_;
  size_t capacity_;
  std::vector<T*> free_;
};

}  // namespace cascade
