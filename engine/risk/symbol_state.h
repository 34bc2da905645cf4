#pragma once

#include <cstdint>
#include <limits>

#include "engine/core/checked_math.h"
#include "engine/core/symbol_config.h"
#include "engine/risk/bucket.h"
#include "engine/risk/margin.h"
#include "engine/risk/mark_bands.h"
#include "engine/risk/mark_price.h"
#include "engine/risk/trigger_index.h"

namespace cascade::risk {

// Everything the risk engine keeps per symbol.
struct SymbolState {
  bool configured = false;
  bool margined = false;  // tier_count > 0; otherwise the symbol is matching-only
  SymbolConfig config{};
  int64_t k = 0;  // atoms per lot-tick
  TierTable tiers{};
  MarkPrice mark_price;
  int64_t mark = 0;          // frozen within a sweep round
  BucketId fund{0};          // the insurance fund of the symbol's fund group
  int128 funding_index = 0;  // cumulative F, atoms * 1e8 per lot
  int64_t last_funding_rate = 0;
  int64_t funding_slot = 0;  // ts / funding_interval_ns at the last boundary seen
  bool funding_slot_known = false;
  // Derived, not state: before this ts AdvanceTime has nothing to do for the symbol (no mark
  // sample and no funding boundary is due); min() when unknown.
  int64_t quiet_until = std::numeric_limits<int64_t>::min();
  TriggerIndex index;
  SymbolPositions holders;  // every position with size != 0, fund included
  MarkBands bands;          // positions of cross buckets with two or more symbols
};

}  // namespace cascade::risk
