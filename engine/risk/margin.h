#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "absl/status/statusor.h"
#include "engine/core/checked_math.h"
#include "engine/core/symbol_config.h"

namespace cascade::risk {

// A symbol's margin tiers with the maintenance amounts derived (risk-model.md section 3). `cum` is
// never configured: deriving it keeps MM continuous across tier floors.
struct TierTable {
  int count = 0;
  std::array<int64_t, kMaxTiers> floor{};  // atoms; the tier applies strictly above its floor
  std::array<int64_t, kMaxTiers> mmr{};
  std::array<int64_t, kMaxTiers> imr{};
  std::array<int64_t, kMaxTiers> cum{};  // atoms
  // ShortTrigger's shortcut: with q_eff * 1e8 >= short_skip, no tier below the top one holds a
  // liquidatable tick of a short (the largest floor_{t+1} * (1e8 + mmr_t) - cum_t * 1e8 over
  // t < count - 1). Without tiers it never applies.
  int128 short_skip = int128{1} << 126;

  // Last tier whose floor is strictly below `notional`; tier 0 for notional <= 0.
  [[nodiscard]] int TierOf(int128 notional) const noexcept {
    int t = 0;
    while (t + 1 < count && floor[t + 1] < notional) ++t;
    return t;
  }
};

// Builds the table, refusing tiers that break the rules (see ValidateSymbolConfig).
[[nodiscard]] absl::StatusOr<TierTable> BuildTierTable(const RiskParams& params);

// ceil(x / 1e8) for x >= 0; most products fit 64 bits, where the division by a constant is a
// multiplication instead of a call to the 128-bit division routine.
[[nodiscard]] inline int128 CeilDivRateScale(int128 x) noexcept {
  if (x >= 0 && x <= static_cast<int128>(std::numeric_limits<uint64_t>::max())) {
    const uint64_t u = static_cast<uint64_t>(x);
    constexpr uint64_t kScale = kRateScale;
    return static_cast<int128>(u / kScale + (u % kScale != 0 ? 1 : 0));
  }
  return CeilDiv(x, kRateScale);
}

// MM_pos = ceil(N * mmr_t / 1e8) - cum_t; zero for a flat position.
[[nodiscard]] inline int128 MaintenanceMargin(const TierTable& tiers, int128 notional) noexcept {
  if (notional <= 0) return 0;
  const int t = tiers.TierOf(notional);
  return CeilDivRateScale(notional * tiers.mmr[t]) - tiers.cum[t];
}

// IM rate = max(imr_t, 1e8 / leverage), compared exactly; leverage 0 means "the tier's own imr".
[[nodiscard]] inline int128 InitialMarginAtRate(int64_t imr, uint32_t leverage,
                                                int128 notional) noexcept {
  if (notional <= 0) return 0;
  if (leverage == 0 || static_cast<int128>(imr) * leverage >= kRateScale) {
    return CeilDivRateScale(notional * imr);
  }
  return CeilDiv(notional, leverage);
}

// IM_pos = ceil(N * max(imr_t, 1e8 / leverage) / 1e8).
[[nodiscard]] inline int128 InitialMargin(const TierTable& tiers, int128 notional,
                                          uint32_t leverage) noexcept {
  return InitialMarginAtRate(tiers.imr[tiers.TierOf(notional)], leverage, notional);
}

}  // namespace cascade::risk
