#pragma once

#include <absl/hash/hash.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/book/order.h"

namespace cascade {

// Live orders by (account, order id): an open-addressing table with Robin Hood linear probing. An
// entry is 8 bytes: 32 bits of the key's hash and the order's position in the order pool's array.
// A lookup reads one entry and then the order, which holds the key to confirm the match and which
// every caller reads next anyway; a general-purpose set reads a control byte, then a slot, then
// the order: one more dependent cache miss on every cancel and amend.
//
// Robin Hood keeps every entry's distance from its home short and lets a lookup stop as soon as it
// passes where its key would have been placed, so the table can fill to 7/8 (about absl's size for
// as many orders) with probe runs that still fit in a cache line or two. Deletion shifts entries
// back (no tombstones). An entry's home slot is its stored hash bits, so neither deletion nor
// growth reads an order.
class OrderIndex {
 public:
  // `orders` is the array every indexed order lives in; it must outlive the index.
  explicit OrderIndex(Order* orders) noexcept : orders_(orders) {}

  // Room for `n` orders without growing.
  void reserve(size_t n) {
    if (!Fits(n, entries_.size())) Rebuild(CapacityFor(n));
  }
  [[nodiscard]] size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  [[nodiscard]] Order* Find(AccountId account, OrderId id) const noexcept {
    if (entries_.empty()) return nullptr;
    const uint32_t hash = Hash(account, id);
    for (size_t i = hash & Mask(), distance = 0;; i = Next(i), ++distance) {
      const Entry e = entries_[i];
      // An empty slot, or an entry nearer its home than the key would be here: the key is absent.
      if (e.position_plus_one == 0 || DistanceFromHome(e, i) < distance) return nullptr;
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
    if (!Fits(size_ + 1, entries_.size())) Rebuild(CapacityFor(size_ + 1));
    Place(Entry{Hash(order.account, order.id), static_cast<uint32_t>(&order - orders_) + 1});
    ++size_;
  }
  // Does nothing when the order is not in the index. Its probe is Find's, matching the position
  // instead of the key; one probe helper shared by both cost 3% more instructions per command
  // (tools/perf-check, book), so each keeps its own loop.
  void Erase(const Order& order) noexcept {
    if (entries_.empty()) return;
    const uint32_t position_plus_one = static_cast<uint32_t>(&order - orders_) + 1;
    size_t hole = Hash(order.account, order.id) & Mask();
    for (size_t distance = 0; entries_[hole].position_plus_one != position_plus_one;
         hole = Next(hole), ++distance) {
      const Entry& e = entries_[hole];
      if (e.position_plus_one == 0 || DistanceFromHome(e, hole) < distance) return;
    }
    // Backward shift: the entries after the hole that are away from their home move one step
    // nearer it; the first empty slot or entry at its home ends the run.
    for (size_t i = Next(hole);
         entries_[i].position_plus_one != 0 && DistanceFromHome(entries_[i], i) != 0; i = Next(i)) {
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

  // At most 7/8 full.
  static bool Fits(size_t n, size_t capacity) noexcept { return 8 * n <= 7 * capacity; }
  static size_t CapacityFor(size_t n) noexcept {
    size_t capacity = 16;
    while (!Fits(n, capacity)) capacity *= 2;
    return capacity;
  }
  static uint32_t Hash(AccountId account, OrderId id) noexcept {
    return static_cast<uint32_t>(absl::HashOf(account.value(), id.value()));
  }
  [[nodiscard]] size_t Mask() const noexcept { return entries_.size() - 1; }
  [[nodiscard]] size_t Next(size_t i) const noexcept { return (i + 1) & Mask(); }
  [[nodiscard]] size_t DistanceFromHome(const Entry& e, size_t slot) const noexcept {
    return (slot - (e.hash & Mask())) & Mask();
  }
  // Robin Hood insertion: an entry that has come further from its home than the one in the slot
  // takes the slot, and the one it displaces moves on.
  void Place(Entry entry) noexcept {
    for (size_t i = entry.hash & Mask(), distance = 0;; i = Next(i), ++distance) {
      Entry& resident = entries_[i];
      if (resident.position_plus_one == 0) {
        resident = entry;
        return;
      }
      const size_t resident_distance = DistanceFromHome(resident, i);
      if (resident_distance < distance) {
        std::swap(resident, entry);
        distance = resident_distance;
      }
    }
  }
  void Rebuild(size_t capacity) {
    std::vector<Entry> old(capacity);
    old.swap(entries_);
    for (const Entry& e : old) {
      if (e.position_plus_one != 0) Place(e);
    }
  }

  Order* orders_;
  std::vector<Entry> entries_;  // a power of two in size, at most 7/8 full
  size_t size_ = 0;
};

}  // namespace cascade
