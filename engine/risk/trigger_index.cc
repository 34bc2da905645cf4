#include "engine/risk/trigger_index.h"

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

void TriggerIndex::Rekey(Position& p, TriggerSide side, int64_t trigger) noexcept {
  if (p.indexed == side && p.trigger == trigger) return;
  Erase(p);
  p.trigger = trigger;
  p.indexed = side;
  if (side != TriggerSide::kNone) Insert(p);
}

}  // namespace cascade::risk
