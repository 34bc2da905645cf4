#include "engine/book/book_side.h"

#include <algorithm>

#include "engine/core/assert.h"

namespace cascade {

BookSide::BookSide(bool descending, ObjectPool<PriceLevel>& pool)
    : descending_(descending), pool_(&pool), slots_(new PriceLevel*[kWindow]()) {}

bool BookSide::Append(Order& order, Price price) noexcept { return Link(order, price); }

// Append's body, inlined into Move as well.
[[gnu::always_inline]] inline bool BookSide::Link(Order& order, Price price) noexcept {
  const int64_t key = KeyOf(price);
  const size_t slot = SlotOf(key);
  PriceLevel* level = slot < kWindow ? slots_[slot] : AppendSlow(key, price);
  if (level == nullptr) {
    level = NewLevel(key, price);
    if (level == nullptr) return false;
    PutInWindow(*level);
  }
  level->orders.push_back(order);
  level->total += order.open;
  ++level->count;
  order.level = level;
  return true;
}

PriceLevel* BookSide::NewLevel(int64_t key, Price price) noexcept {
  PriceLevel* level = pool_->Acquire();
  if (level == nullptr) return nullptr;
  level->key = key;
  level->price = price;
  if (best_ == nullptr || key < best_->key) best_ = level;
  return level;
}

PriceLevel* BookSide::AppendSlow(int64_t key, Price price) noexcept {
  if (best_ == nullptr) {
    base_ = key - kHeadroom;  // an empty side: the window and the tree are empty too
    return nullptr;
  }
  if (key < base_) {
    MoveWindow(key - kHeadroom);
    return nullptr;
  }
  // Worse than the window: the level lives in the tree.
  LevelTree::insert_commit_data commit;
  auto [it, inserted] = far_.insert_unique_check(key, commit);
  if (!inserted) return &*it;
  PriceLevel* level = NewLevel(key, price);
  if (level != nullptr) far_.insert_unique_commit(*level, commit);
  return level;
}

// Remove's body, inlined into Move as well.
[[gnu::always_inline]] inline void BookSide::Unlink(Order& order) noexcept {
  PriceLevel* level = order.level;
  CASCADE_ASSERT(level != nullptr);
  level->orders.erase(level->orders.iterator_to(order));
  level->total -= order.open;
  --level->count;
  order.level = nullptr;
  if (level->count != 0) return;
  const size_t slot = SlotOf(level->key);
  if (slot < kWindow) {
    slots_[slot] = nullptr;
    occupied_.Clear(slot);
    --window_levels_;
  } else {
    far_.erase(far_.iterator_to(*level));
  }
  if (level == best_) {
    // The best level was in the window, so nothing better is left: scan on from its slot. When
    // the window is empty the window moves to the tree's best.
    size_t next = occupied_.FirstAtOrAfter(slot);
    if (next == LevelBitmap::kNone && !far_.empty()) {
      MoveWindow(far_.begin()->key - kHeadroom);
      next = occupied_.First();
    }
    best_ = next == LevelBitmap::kNone ? nullptr : slots_[next];
  }
  pool_->Release(level);
}

void BookSide::Remove(Order& order) noexcept { Unlink(order); }

bool BookSide::Move(Order& order, Price price, Qty open, bool& top_changed) noexcept {
  const PriceLevel* best_before = best_;
  const PriceLevel* left = order.level;
  Unlink(order);
  order.open = open;
  if (!Link(order, price)) return false;
  // The top is the best level's price and total: it stays unless the order left the best level
  // or joined the one that is best now.
  top_changed = left == best_before || order.level == best_;
  return true;
}

void BookSide::PutInWindow(PriceLevel& level) noexcept {
  const size_t slot = SlotOf(level.key);
  slots_[slot] = &level;
  occupied_.Set(slot);
  ++window_levels_;
}

void BookSide::MoveWindow(int64_t base) noexcept {
  // Slot s holds the key base_ + s; after the move that key sits in slot s + shift. The window
  // moves towards worse prices only when it is empty, so no level can fall off its better end.
  const int64_t shift = base_ - base;
  CASCADE_ASSERT(shift > 0 || window_levels_ == 0);
  for (size_t s = occupied_.First(); s != LevelBitmap::kNone; s = occupied_.FirstAtOrAfter(s + 1)) {
    const int64_t moved = static_cast<int64_t>(s) + shift;
    CASCADE_ASSERT(moved >= 0);  // the window only moves past levels worse than its best
    if (moved >= static_cast<int64_t>(kWindow)) {
      far_.insert_unique(*slots_[s]);
      slots_[s] = nullptr;
      --window_levels_;
    }
  }
  // Levels that stayed shift up; every slot they leave was emptied above.
  occupied_.ClearAll();
  if (window_levels_ > 0) {
    PriceLevel** first = slots_.get();
    PriceLevel** last = first + kWindow;
    std::move_backward(first, last - shift, last);
    std::fill(first, first + shift, nullptr);
    for (size_t s = static_cast<size_t>(shift); s < kWindow; ++s) {
      if (slots_[s] != nullptr) occupied_.Set(s);
    }
  }
  base_ = base;
  while (!far_.empty() && SlotOf(far_.begin()->key) < kWindow) {
    PriceLevel& level = *far_.begin();
    far_.erase(far_.begin());
    PutInWindow(level);
  }
}

BookSide::Iterator& BookSide::Iterator::operator++() noexcept {
  if (slot_ != LevelBitmap::kNone) {
    slot_ = side_->occupied_.FirstAtOrAfter(slot_ + 1);
  } else {
    ++far_;
  }
  return *this;
}

void BookSide::Clear() noexcept {
  for (size_t s = occupied_.First(); s != LevelBitmap::kNone; s = occupied_.FirstAtOrAfter(s + 1)) {
    slots_[s]->orders.clear();
    pool_->Release(slots_[s]);
    slots_[s] = nullptr;
  }
  occupied_.ClearAll();
  window_levels_ = 0;
  far_.clear_and_dispose([this](PriceLevel* level) {
    level->orders.clear();
    pool_->Release(level);
  });
  best_ = nullptr;
}

}  // namespace cascade
