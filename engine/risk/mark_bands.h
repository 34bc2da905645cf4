#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/core/checked_math.h"
#include "engine/risk/bucket.h"
#include "engine/risk/margin.h"

namespace cascade::risk {

// One position of a cross bucket that holds two or more symbols: the keys of the bucket's other
// positions in the trigger index are valid for every mark of this position's symbol in [lo, hi]
// (docs/risk.md, "Cross buckets"). floor_value is the least that size * mark * K - MM can be there.
struct Band {
  TriggerHook lo_hook;
  TriggerHook hi_hook;
  int64_t lo = 0;
  int64_t hi = 0;
  int128 floor_value = 0;
  uint32_t bucket = 0;
};

// size * mark * K - MM of one position at `mark`: what it adds to its bucket's Equity - MM.
[[nodiscard]] inline int128 PositionSlack(const TierTable& tiers, int64_t size, int64_t k,
                                          int64_t mark) noexcept {
  const int128 value = static_cast<int128>(size) * mark * k;
  return value - MaintenanceMargin(tiers, value < 0 ? -value : value);
}

// A lower bound of PositionSlack over the marks in [lo, hi]. It is monotone in the mark (rising
// for a long, falling for a short) except that rounding of cum can cost up to 2 atoms at each tier
// floor (trigger.h); the bound subtracts that allowance unless the band is a single tick.
[[nodiscard]] inline int128 BandFloor(const TierTable& tiers, int64_t size, int64_t k, int64_t lo,
                                      int64_t hi) noexcept {
  const int128 at_lo = PositionSlack(tiers, size, k, lo);
  if (lo == hi) return at_lo;
  const int128 at_hi = PositionSlack(tiers, size, k, hi);
  return (at_lo < at_hi ? at_lo : at_hi) - 4 * tiers.count;
}

// Per symbol, the bands of its positions in multi-symbol cross buckets, ordered by lo (descending)
// and by hi (ascending): after a mark move the bands it left are at the front, found in O(1) each.
class MarkBands {
 public:
  void Insert(Band& band) noexcept;
  void Erase(Band& band) noexcept;
  // A band that does not contain `mark`, or nullptr when every band does.
  [[nodiscard]] Band* FirstOutside(int64_t mark) noexcept;
  [[nodiscard]] size_t size() const noexcept { return count_; }
  void clear() noexcept;

 private:
  struct LoFirst {  // highest lo first: those are left first as the mark falls
    bool operator()(const Band& a, const Band& b) const noexcept {
      return a.lo != b.lo ? a.lo > b.lo : a.bucket < b.bucket;
    }
  };
  struct HiFirst {  // lowest hi first: those are left first as the mark rises
    bool operator()(const Band& a, const Band& b) const noexcept {
      return a.hi != b.hi ? a.hi < b.hi : a.bucket < b.bucket;
    }
  };
  using LoHook = bi::member_hook<Band, TriggerHook, &Band::lo_hook>;
  using HiHook = bi::member_hook<Band, TriggerHook, &Band::hi_hook>;
  bi::set<Band, LoHook, bi::compare<LoFirst>, bi::constant_time_size<false>> by_lo_;
  bi::set<Band, HiHook, bi::compare<HiFirst>, bi::constant_time_size<false>> by_hi_;
  size_t count_ = 0;
};

}  // namespace cascade::risk
