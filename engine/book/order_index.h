#pragma once

#include <absl/hash/hash.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/book/order.h"

namespace cascade {

// Live orders by (account, order id): an open-addressing table with linear probing. An entry is 8
// bytes: 32 bits of the key's hash and the order's position in the order pool's array. A lookup
// reads one entry and then the order, which holds the key to confirm the match and which every
// caller reads next anyway; a general-purpose set reads a control byte, then a slot, then the
// order: one more dependent cache miss on every cancel and amend. The table is kept at most half
// full and deletes by shifting entries back (no tombstones), so probe runs stay short however many
// orders come and go; an entry's home slot is its stored hash bits, so neither deletion nor growth
// reads an order.
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
    const uint32_t hash = Hash(account, id);
    for (size_t i = hash & Mask();; i = Next(i)) {
      const Entry e = entries_[i];
      if (e.position_plus_one == 0) return nullptr;
      if (e.hash != hash) continue;
      Order& order = orders_[e.position_plus_one - 1];
      if (order.id == id && order.account == account) return &order;
    }
  }
  [[nodiscard]] bool Contains(AccountId account, OrderId id) const noexcept {
    return Find(account, id) != nullptr;
  }
  // The order's (account, id) must not be in the index. Grows (allocates) only when the index
  // holds more orders than it ever has.
  void Insert(Order& order) {
    if (2 * (size_ + 1) > entries_.size()) Rebuild(CapacityFor(size_ + 1));
    Place(Entry{Hash(order.account, order.id), static_cast<uint32_t>(&order - orders_) + 1});
    ++size_;
  }
  // Does nothing when the order is not in the index.
  void Erase(const Order& order) noexcept {
    if (entries_.empty()) return;
    const uint32_t position_plus_one = static_cast<uint32_t>(&order - orders_) + 1;
    size_t hole = Hash(order.account, order.id) & Mask();
    // Every entry is reachable from its home without crossing an empty one.
    for (; entries_[hole].position_plus_one != position_plus_one; hole = Next(hole)) {
      if (entries_[hole].position_plus_one == 0) return;
    }
    // Backward-shift deletion: pull each later entry of the run into the hole unless its home lies
    // after the hole (cyclically), so that every entry stays reachable from its home.
    for (size_t i = Next(hole); entries_[i].position_plus_one != 0; i = Next(i)) {
      const size_t home = entries_[i].hash & Mask();
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
    uint32_t hash = 0;
    uint32_t position_plus_one = 0;  // 0: empty
  };

  static size_t CapacityFor(size_t n) noexcept {
    size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    return capacity;
  }
  static uint32_t Hash(AccountId account, OrderId id) noexcept {
    return static_cast<uint32_t>(absl::HashOf(account.value(), id.value()));
  }
  [[nodiscard]] size_t Mask() const noexcept { return entries_.size() - 1; }
  [[nodiscard]] size_t Next(size_t i) const noexcept { return (i + 1) & Mask(); }
  void Place(const Entry& entry) noexcept {
    size_t i = entry.hash & Mask();
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
