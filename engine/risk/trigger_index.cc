#include "engine/risk/trigger_index.h"

#include <algorithm>
#include <iterator>

#include "engine/core/assert.h"

namespace cascade::risk {

void TriggerIndex::Insert(Position& p) noexcept {
  CASCADE_ASSERT(p.indexed != TriggerSide::kNone);
  const bool inserted =
      p.indexed == TriggerSide::kLong ? longs_.insert(p).second : shorts_.insert(p).second;
  CASCADE_ASSERT(inserted);
  ++count_;
}

void TriggerIndex::Erase(Position& p) noexcept {
  switch (p.indexed) {
    case TriggerSide::kNone:
      return;
    case TriggerSide::kLong:
      longs_.erase(longs_.iterator_to(p));
      break;
    case TriggerSide::kShort:
      shorts_.erase(shorts_.iterator_to(p));
      break;
  }
  p.indexed = TriggerSide::kNone;
  --count_;
}

template <typename Order, typename Set>
bool TriggerIndex::FitsInPlace(Set& set, Position& p, int64_t trigger) noexcept {
  auto it = set.iterator_to(p);
  if (it != set.begin()) {
    auto prev = std::prev(it);
    if (!Order::Before(prev->trigger, prev->bucket, trigger, p.bucket)) return false;
  }
  auto next = std::next(it);
  return next == set.end() || Order::Before(trigger, p.bucket, next->trigger, next->bucket);
}

void TriggerIndex::Rebuild(std::vector<Key>& keys) noexcept {
  // Longs first by descending trigger, then shorts by ascending trigger; ties by bucket id.
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.side != b.side) return a.side == TriggerSide::kLong;
    if (a.side == TriggerSide::kLong)
      return LongFirst::Before(a.trigger, a.bucket, b.trigger, b.bucket);
    return ShortFirst::Before(a.trigger, a.bucket, b.trigger, b.bucket);
  });
  longs_.clear();  // normal-link hooks: O(1), the nodes are relinked below
  shorts_.clear();
  for (const Key& k : keys) {
    CASCADE_ASSERT(k.position->indexed == k.side && k.position->trigger == k.trigger);
    if (k.side == TriggerSide::kLong) {
      longs_.push_back(*k.position);
    } else {
      shorts_.push_back(*k.position);
    }
  }
  count_ = keys.size();
}

void TriggerIndex::Rekey(Position& p, TriggerSide side, int64_t trigger) noexcept {
  if (p.indexed == side && p.trigger == trigger) return;
  // Most re-keys move a trigger by a little: changing the key in place keeps the order and saves
  // the erase, the insert and both rebalancings.
  if (p.indexed == side && side != TriggerSide::kNone &&
      (side == TriggerSide::kLong ? FitsInPlace<LongFirst>(longs_, p, trigger)
                                  : FitsInPlace<ShortFirst>(shorts_, p, trigger))) {
    p.trigger = trigger;
    return;
  }
  Erase(p);
  p.trigger = trigger;
  p.indexed = side;
  if (side != TriggerSide::kNone) Insert(p);
}

}  // namespace cascade::risk
