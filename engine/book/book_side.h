#pragma once

#include "engine/book/price_level.h"
#include "engine/core/object_pool.h"

namespace cascade {

// One ordered side of a book: price levels best first, each a FIFO of orders. Used for the bid and
// ask sides and for the two sides of the stop book (buy stops trigger lowest stop first, sell stops
// highest first). Levels come from a shared pool; a level is returned as soon as it empties, so
// the best level is always begin() and never stale.
class BookSide {
 public:
  BookSide(bool descending, ObjectPool<PriceLevel>& pool) noexcept
      : descending_(descending), pool_(&pool) {}
  BookSide(const BookSide&) = delete;
  BookSide& operator=(const BookSide&) = delete;
  ~BookSide() { Clear(); }

  [[nodiscard]] PriceLevel* Best() noexcept { return tree_.empty() ? nullptr : &*tree_.begin(); }
  [[nodiscard]] const PriceLevel* Best() const noexcept {
    return tree_.empty() ? nullptr : &*tree_.begin();
  }
  [[nodiscard]] bool empty() const noexcept { return tree_.empty(); }
  [[nodiscard]] size_t level_count() const noexcept { return tree_.size(); }

  // True when `price` is at least as good as `other` on this side.
  [[nodiscard]] bool AtLeastAsGood(Price price, Price other) const noexcept {
    return descending_ ? price >= other : price <= other;
  }

  // Appends to the back of the order's price level (time priority). Returns false only when no
  // level could be taken from the pool; the caller sizes the pool so that cannot happen.
  [[nodiscard]] bool Append(Order& order, Price price) noexcept;
  // Unlinks the order from its level, returning the level to the pool if it empties.
  void Remove(Order& order) noexcept;
  // Lowers the order's open quantity in place (keeps its place in the queue).
  void Reduce(Order& order, Qty by) noexcept {
    order.open -= by;
    order.level->total -= by;
  }

  LevelTree::const_iterator begin() const noexcept { return tree_.begin(); }
  LevelTree::const_iterator end() const noexcept { return tree_.end(); }

  // Returns every level to the pool; orders must already be released by their owner.
  void Clear() noexcept;

 private:
  [[nodiscard]] int64_t KeyOf(Price price) const noexcept {
    return descending_ ? -price.value() : price.value();
  }

  bool descending_;
  ObjectPool<PriceLevel>* pool_;
  LevelTree tree_;
};

}  // namespace cascade
