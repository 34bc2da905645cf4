#include "engine/risk/margin.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cascade::risk {

absl::StatusOr<TierTable> BuildTierTable(const RiskParams& params) {
  if (params.tier_count > kMaxTiers) {
    return absl::InvalidArgumentError(
        absl::StrCat("tier_count ", params.tier_count, " exceeds the maximum of ", kMaxTiers));
  }
  TierTable table;
  table.count = params.tier_count;
  int128 cum = 0;
  for (int t = 0; t < table.count; ++t) {
    const MarginTier& tier = params.tiers[t];
    const int64_t floor = tier.notional_floor.value();
    if (t == 0 && floor != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("tier 0 must start at notional 0, got ", floor));
    }
    if (t > 0 && floor <= table.floor[t - 1]) {
      return absl::InvalidArgumentError(absl::StrCat("tier ", t, " floor ", floor,
                                                     " is not above tier ", t - 1, " floor ",
                                                     table.floor[t - 1]));
    }
    if (tier.mmr <= 0 || tier.mmr >= tier.imr || tier.imr > kRateScale) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tier ", t, " needs 0 < MMR < IMR <= 1e8, got MMR ", tier.mmr, " IMR ", tier.imr));
    }
    if (t > 0 && (tier.mmr < table.mmr[t - 1] || tier.imr < table.imr[t - 1])) {
      return absl::InvalidArgumentError(absl::StrCat("tier ", t, " rates must not decrease: MMR ",
                                                     tier.mmr, " IMR ", tier.imr, " after MMR ",
                                                     table.mmr[t - 1], " IMR ", table.imr[t - 1]));
    }
    if (t > 0) {
      // cum_n = cum_{n-1} + floor_n * (mmr_n - mmr_{n-1}) / 1e8 keeps MM continuous at the floor.
      cum += FloorDiv(static_cast<int128>(floor) * (tier.mmr - table.mmr[t - 1]), kRateScale);
    }
    const auto narrowed = NarrowToInt64(cum);
    if (!narrowed) {
      return absl::InvalidArgumentError(absl::StrCat("tier ", t, " maintenance amount overflows"));
    }
    table.floor[t] = floor;
    table.mmr[t] = tier.mmr;
    table.imr[t] = tier.imr;
    table.cum[t] = *narrowed;
  }
  if (table.count > 0) table.short_skip = -(int128{1} << 126);  // below any q_eff * 1e8
  for (int t = 0; t + 1 < table.count; ++t) {
    const int128 skip = static_cast<int128>(table.floor[t + 1]) * (kRateScale + table.mmr[t]) -
                        static_cast<int128>(table.cum[t]) * kRateScale;
    table.short_skip = std::max(table.short_skip, skip);
  }
  return table;
}

}  // namespace cascade::risk
