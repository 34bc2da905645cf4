#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstddef>

#include "engine/book/order.h"

namespace cascade {

// Live orders by (account, order id). The table holds only order pointers, 8 bytes a slot instead
// of 24 for a key/value map, and compares keys on the orders themselves, which every caller reads
// next anyway: a third of the memory, so more of it stays in cache.
class OrderIndex {
 public:
  void reserve(size_t n) { set_.reserve(n); }
  [[nodiscard]] size_t size() const noexcept { return set_.size(); }
  [[nodiscard]] bool empty() const noexcept { return set_.empty(); }

  [[nodiscard]] Order* Find(AccountId account, OrderId id) const noexcept {
    auto it = set_.find(Key{account, id});
    return it == set_.end() ? nullptr : *it;
  }
  [[nodiscard]] bool Contains(AccountId account, OrderId id) const noexcept {
    return set_.contains(Key{account, id});
  }
  // The order's (account, id) must not be in the index.
  void Insert(Order& order) noexcept { set_.insert(&order); }
  void Erase(const Order& order) noexcept { set_.erase(Key{order.account, order.id}); }

  // In hash order, which differs between runs: never let it reach output.
  template <typename F>
  void ForEachUnordered(F&& f) const {
    for (Order* order : set_) f(*order);
  }

 private:
  struct Key {
    AccountId account;
    OrderId id;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(const Key& k) const noexcept {
      return absl::HashOf(k.account.value(), k.id.value());
    }
    size_t operator()(const Order* o) const noexcept { return (*this)(Key{o->account, o->id}); }
  };
  struct Eq {
    using is_transparent = void;
    static Key KeyOf(const Key& k) noexcept { return k; }
    static Key KeyOf(const Order* o) noexcept { return Key{o->account, o->id}; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      const Key x = KeyOf(a);
      const Key y = KeyOf(b);
      return x.account == y.account && x.id == y.id;
    }
  };

  absl::flat_hash_set<Order*, Hash, Eq> set_;
};

}  // namespace cascade
