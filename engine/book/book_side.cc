#include "engine/book/book_side.h"

namespace cascade {

bool BookSide::Append(Order& order, Price price) noexcept {
  const int64_t key = KeyOf(price);
  LevelTree::insert_commit_data commit;
  auto [it, inserted] = tree_.insert_unique_check(key, commit);
  PriceLevel* level;
  if (inserted) {
    level = pool_->Acquire();
    if (level == nullptr) return false;
    level->key = key;
    level->price = price;
    tree_.insert_unique_commit(*level, commit);
  } else {
    level = &*it;
  }
  level->orders.push_back(order);
  level->total += order.open;
  ++level->count;
  order.level = level;
  return true;
}

void BookSide::Remove(Order& order) noexcept {
  PriceLevel* level = order.level;
  CASCADE_ASSERT(level != nullptr);
  level->orders.erase(level->orders.iterator_to(order));
  level->total -= order.open;
  --level->count;
  order.level = nullptr;
  if (level->count == 0) {
    tree_.erase(tree_.iterator_to(*level));
    pool_->Release(level);
  }
}

void BookSide::Clear() noexcept {
  tree_.clear_and_dispose([this](PriceLevel* level) {
    level->orders.clear();
    pool_->Release(level);
  });
}

}  // namespace cascade
