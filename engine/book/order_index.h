#pragma once

#include <absl/hash/hash.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/book/order.h"

namespace cascade {

// Live orders by (account, order id): an open-addressing table with linear probing whose entries
// hold the key itself and the order's position in the order pool's array. A lookup reads one
// entry (one cache line) and then the order; a general-purpose set reads a control byte, then a
// slot, then the order to compare the key: one more dependent cache miss on every cancel and
// amend. The table is kept at most half full and deletes by shifting back (no tombstones), so
// probe runs stay short however many orders come and go.
class OrderIndex {
 public:
  // `orders` is the array every indexed order lives in; it must outlive the index.
  explicit OrderIndex(Order* orders) noexcept : orders_(orders) {}

  // Room for `n` orders without growing.
  void reserve(size_t n) {
    if (2 * n > entries_.size()) Rebuild(CapacityFor(n));
  }
  [[nodiscard]] size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  [[nodiscard]] Order* Find(AccountId account, OrderId id) const noexcept {
    if (entries_.empty()) return nullptr;
    for (size_t i = Home(account, id);; i = Next(i)) {
      const Entry& e = entries_[i];
      if (e.position_plus_one == 0) return nullptr;
      if (e.id == id.value() && e.account == account.value()) {
        return &orders_[e.position_plus_one - 1];
      }
    }
  }
  [[nodiscard]] bool Contains(AccountId account, OrderId id) const noexcept {
    return Find(account, id) != nullptr;
  }
  // The order's (account, id) must not be in the index. Grows (allocates) only when the index
  // holds more orders than it ever has.
  void Insert(Order& order) {
    if (2 * (size_ + 1) > entries_.size()) Rebuild(CapacityFor(size_ + 1));
    Place(Entry{order.id.value(), order.account.value(),
                static_cast<uint32_t>(&order - orders_) + 1});
    ++size_;
  }
  // The order must be in the index.
  void Erase(const Order& order) noexcept {
    size_t hole = Home(order.account, order.id);
    while (entries_[hole].id != order.id.value() ||
           entries_[hole].account != order.account.value()) {
      hole = Next(hole);
    }
    // Backward-shift deletion: pull later entries of the run into the hole when their home is not
    // between the hole and themselves, so that every entry stays reachable from its home.
    for (size_t i = Next(hole); entries_[i].position_plus_one != 0; i = Next(i)) {
      const size_t home = Home(AccountId{entries_[i].account}, OrderId{entries_[i].id});
      const bool home_after_hole =
          hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
      if (home_after_hole) continue;
      entries_[hole] = entries_[i];
      hole = i;
    }
    entries_[hole] = Entry{};
    --size_;
  }

  // In table order, which depends on the hash seed: never let it reach output.
  template <typename F>
  void ForEachUnordered(F&& f) const {
    for (const Entry& e : entries_) {
      if (e.position_plus_one != 0) f(orders_[e.position_plus_one - 1]);
    }
  }

 private:
  struct Entry {
    uint64_t id = 0;
    uint32_t account = 0;
    uint32_t position_plus_one = 0;  // 0: empty
  };
  static_assert(sizeof(Entry) == 16);

  static size_t CapacityFor(size_t n) noexcept {
    size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    return capacity;
  }
  [[nodiscard]] size_t Home(AccountId account, OrderId id) const noexcept {
    return absl::HashOf(account.value(), id.value()) & (entries_.size() - 1);
  }
  [[nodiscard]] size_t Next(size_t i) const noexcept { return (i + 1) & (entries_.size() - 1); }
  void Place(const Entry& entry) noexcept {
    size_t i = Home(AccountId{entry.account}, OrderId{entry.id});
    while (entries_[i].position_plus_one != 0) i = Next(i);
    entries_[i] = entry;
  }
  void Rebuild(size_t capacity) {
    std::vector<Entry> old(capacity);
    old.swap(entries_);
    for (const Entry& e : old) {
      if (e.position_plus_one != 0) Place(e);
    }
  }

  Order* orders_;
  std::vector<Entry> entries_;  // a power of two in size, at most half full
  size_t size_ = 0;
};

}  // namespace cascade
