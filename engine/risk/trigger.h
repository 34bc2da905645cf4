#pragma once

#include <cstdint>
#include <limits>

#include "engine/core/checked_math.h"
#include "engine/risk/margin.h"

namespace cascade::risk {

// The trigger price of one position (risk-model.md section 5): with the bucket's other symbols
// held at their marks and folded into q_eff = quote + sum_{j != s}(size_j * mark_j * K_j - MM_j),
// a long is liquidatable exactly at the ticks <= LongTrigger and a short exactly at the ticks
// >= ShortTrigger. Both are the extreme liquidatable tick over all tiers, so the index has no
// false negatives; in the rare case where rounding of cum makes MM dip at a tier floor (only for
// positions of a few atoms per tick), a popped entry may be a false positive, which is why the
// sweep confirms with Liquidatable().
inline constexpr int64_t kLongNever = 0;  // marks are >= 1 tick
inline constexpr int64_t kShortNever = std::numeric_limits<int64_t>::max();

[[nodiscard]] int64_t LongTrigger(const TierTable& tiers, int128 q_eff, int64_t lots,
                                  int64_t k) noexcept;
[[nodiscard]] int64_t ShortTrigger(const TierTable& tiers, int128 q_eff, int64_t lots,
                                   int64_t k) noexcept;

// The section 3 predicate for one symbol with the rest folded into q_eff: Equity < MM at `price`.
[[nodiscard]] inline bool LiquidatableAt(const TierTable& tiers, int128 q_eff, int64_t size,
                                         int64_t k, int64_t price) noexcept {
  const int128 value = static_cast<int128>(size) * price * k;
  const int128 mm = MaintenanceMargin(tiers, value < 0 ? -value : value);
  return q_eff + value < mm;
}

}  // namespace cascade::risk
