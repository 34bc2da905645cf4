#include "engine/risk/mark_bands.h"

#include "engine/core/assert.h"

namespace cascade::risk {

void MarkBands::Insert(Band& band) noexcept {
  const bool lo_new = by_lo_.insert(band).second;
  const bool hi_new = by_hi_.insert(band).second;
  CASCADE_ASSERT(lo_new && hi_new);
  ++count_;
}

void MarkBands::Erase(Band& band) noexcept {
  by_lo_.erase(by_lo_.iterator_to(band));
  by_hi_.erase(by_hi_.iterator_to(band));
  --count_;
}

Band* MarkBands::FirstOutside(int64_t mark) noexcept {
  if (!by_lo_.empty() && by_lo_.begin()->lo > mark) return &*by_lo_.begin();
  if (!by_hi_.empty() && by_hi_.begin()->hi < mark) return &*by_hi_.begin();
  return nullptr;
}

void MarkBands::clear() noexcept {
  by_lo_.clear();
  by_hi_.clear();
  count_ = 0;
}

}  // namespace cascade::risk
