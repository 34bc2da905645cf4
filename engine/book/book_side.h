#pragma once

#include <cstddef>
#include <memory>

#include "engine/book/level_bitmap.h"
#include "engine/book/price_level.h"
#include "engine/core/object_pool.h"

namespace cascade {

// One ordered side of a book: price levels best first, each a FIFO of orders. Used for the bid and
// ask sides and for the two sides of the stop book (buy stops trigger lowest stop first, sell stops
// highest first). Levels come from a shared pool and are returned as soon as they empty.
//
// Levels near the touch live in a window of 4,096 ticks indexed by price, with a bitmap that finds
// the next best price in two count-trailing-zeros; levels worse than the window live in an ordered
// tree. The window always holds the best level (when the side is not empty) and follows the market:
// a price better than the window moves it (levels pushed off its far end go to the tree), and when
// the window empties it moves to the best level of the tree. The best level is cached, so Best()
// is a load and never stale.
class BookSide {
 public:
  static constexpr size_t kWindow = LevelBitmap::kSlots;
  // When the window moves, the new best price lands this many ticks from its better end, so a
  // market that keeps improving moves it once per kHeadroom ticks rather than on every new price.
  static constexpr int64_t kHeadroom = kWindow / 4;

  BookSide(bool descending, ObjectPool<PriceLevel>& pool);
  BookSide(const BookSide&) = delete;
  BookSide& operator=(const BookSide&) = delete;
  ~BookSide() { Clear(); }

  [[nodiscard]] PriceLevel* Best() noexcept { return best_; }
  [[nodiscard]] const PriceLevel* Best() const noexcept { return best_; }
  [[nodiscard]] bool empty() const noexcept { return best_ == nullptr; }
  [[nodiscard]] size_t level_count() const noexcept { return window_levels_ + far_.size(); }

  // True when `price` is at least as good as `other` on this side.
  [[nodiscard]] bool AtLeastAsGood(Price price, Price other) const noexcept {
    return descending_ ? price >= other : price <= other;
  }

  // Appends to the back of the order's price level (time priority). Returns false only when no
  // level could be taken from the pool; the caller sizes the pool so that cannot happen.
  [[nodiscard]] bool Append(Order& order, Price price) noexcept;
  // Unlinks the order from its level, returning the level to the pool if it empties.
  void Remove(Order& order) noexcept;
  // Remove, then Append at `price` with `open` as the order's new open quantity (an amend that
  // loses time priority), in one call. `top_changed` tells whether the best level or its total
  // quantity may have changed (false when the order moved between levels behind the best).
  [[nodiscard]] bool Move(Order& order, Price price, Qty open, bool& top_changed) noexcept;
  // Lowers the order's open quantity in place (keeps its place in the queue).
  void Reduce(Order& order, Qty by) noexcept {
    order.open -= by;
    order.level->total -= by;
  }

  // Levels best first: the window's, then the tree's.
  class Iterator {
   public:
    const PriceLevel& operator*() const noexcept {
      return slot_ != LevelBitmap::kNone ? *side_->slots_[slot_] : *far_;
    }
    const PriceLevel* operator->() const noexcept { return &**this; }
    Iterator& operator++() noexcept;
    friend bool operator==(const Iterator& a, const Iterator& b) noexcept {
      return a.slot_ == b.slot_ && a.far_ == b.far_;
    }

   private:
    friend class BookSide;
    Iterator(const BookSide* side, size_t slot, LevelTree::const_iterator far) noexcept
        : side_(side), slot_(slot), far_(far) {}
    const BookSide* side_;
    size_t slot_;                    // kNone once past the window
    LevelTree::const_iterator far_;  // the tree's begin() while in the window
  };
  [[nodiscard]] Iterator begin() const noexcept {
    return Iterator(this, occupied_.First(), far_.begin());
  }
  [[nodiscard]] Iterator end() const noexcept {
    return Iterator(this, LevelBitmap::kNone, far_.end());
  }

  // Returns every level to the pool; orders must already be released by their owner.
  void Clear() noexcept;

 private:
  [[nodiscard]] int64_t KeyOf(Price price) const noexcept {
    return descending_ ? -price.value() : price.value();
  }
  // The window slot of `key`, or kWindow and beyond when the key is outside the window.
  [[nodiscard]] size_t SlotOf(int64_t key) const noexcept {
    return static_cast<size_t>(static_cast<uint64_t>(key) - static_cast<uint64_t>(base_));
  }
  // Takes a level from the pool and makes it the best when it is.
  [[nodiscard]] PriceLevel* NewLevel(int64_t key, Price price) noexcept;
  // Append for a price outside the window: the tree's level (taken from the pool if new), or
  // nullptr once the window has been placed over the price (the caller then fills its slot).
  [[nodiscard]] PriceLevel* AppendSlow(int64_t key, Price price) noexcept;
  void PutInWindow(PriceLevel& level) noexcept;
  // The bodies of Append and Remove.
  [[nodiscard]] bool Link(Order& order, Price price) noexcept;
  void Unlink(Order& order) noexcept;
  // Places the window's first slot at `base` (no better than the best level): levels that fall off
  // its far end go to the tree, tree levels that now fall inside it come in.
  void MoveWindow(int64_t base) noexcept;

  bool descending_;
  ObjectPool<PriceLevel>* pool_;
  PriceLevel* best_ = nullptr;
  int64_t base_ = 0;  // key of slot 0; keys order levels best first (-price on descending sides)
  size_t window_levels_ = 0;
  LevelBitmap occupied_;
  std::unique_ptr<PriceLevel*[]> slots_;
  LevelTree far_;  // levels worse than the window, best first
};

}  // namespace cascade
