#include "engine/risk/risk_config.h"

#include "absl/strings/str_cat.h"
#include "engine/core/checked_math.h"
#include "engine/risk/margin.h"

namespace cascade::risk {
namespace {

absl::Status Invalid(const char* field, const char* rule, int64_t value) {
  return absl::InvalidArgumentError(absl::StrCat(field, " ", rule, ", got ", value));
}

absl::Status ValidatePolicies(const RiskParams& r) {
  if (r.maker_fee <= -kRateScale || r.maker_fee >= kRateScale) {
    return Invalid("maker_fee", "must lie in (-1e8, 1e8)", r.maker_fee);
  }
  if (r.taker_fee < 0 || r.taker_fee >= kRateScale) {
    return Invalid("taker_fee", "must lie in [0, 1e8)", r.taker_fee);
  }
  if (r.liquidation_fee < 0 || r.liquidation_fee > kRateScale) {
    return Invalid("liquidation_fee", "must lie in [0, 1e8]", r.liquidation_fee);
  }
  if (r.mark_sample_interval_ns <= 0) {
    return Invalid("mark_sample_interval_ns", "must be positive", r.mark_sample_interval_ns);
  }
  if (r.mark_ma_samples == 0 || r.mark_ma_samples > kMaxMaSamples) {
    return Invalid("mark_ma_samples", "must lie in [1, 4096]", r.mark_ma_samples);
  }
  if (r.index_impact_lambda < 0) {
    return Invalid("index_impact_lambda", "must not be negative", r.index_impact_lambda);
  }
  if (r.index_impact_window_ns <= 0 ||
      r.index_impact_window_ns / r.mark_sample_interval_ns > kMaxMaSamples) {
    return Invalid("index_impact_window_ns", "must be positive and at most 4096 sample intervals",
                   r.index_impact_window_ns);
  }
  if (r.order_policy == LiquidationOrderPolicy::kMarkBand &&
      (r.mark_band <= 0 || r.mark_band >= kRateScale)) {
    return Invalid("mark_band", "must lie in (0, 1e8) under policy mark_band", r.mark_band);
  }
  if (r.size_policy == LiquidationSizePolicy::kPartial) {
    if (r.partial_fraction <= 0 || r.partial_fraction > kRateScale) {
      return Invalid("partial_fraction", "must lie in (0, 1e8] under policy partial",
                     r.partial_fraction);
    }
    if (r.partial_threshold.value() < 0) {
      return Invalid("partial_threshold", "must not be negative", r.partial_threshold.value());
    }
    if (r.partial_cooldown_ns < 0) {
      return Invalid("partial_cooldown_ns", "must not be negative", r.partial_cooldown_ns);
    }
  }
  if (r.backstop_threshold < 0 || r.backstop_threshold > kRateScale) {
    return Invalid("backstop_threshold", "must lie in [0, 1e8]", r.backstop_threshold);
  }
  if (r.funding_interval_ns <= 0) {
    return Invalid("funding_interval_ns", "must be positive", r.funding_interval_ns);
  }
  if (r.funding_clamp < 0 || r.funding_clamp >= kRateScale) {
    return Invalid("funding_clamp", "must lie in [0, 1e8)", r.funding_clamp);
  }
  if (r.funding_interest <= -kRateScale || r.funding_interest >= kRateScale) {
    return Invalid("funding_interest", "must lie in (-1e8, 1e8)", r.funding_interest);
  }
  if (r.fund_group >= kMaxFundGroups) {
    return Invalid("fund_group", "must be below 16", r.fund_group);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSymbolConfig(const SymbolConfig& c) {
  const int64_t k = AtomsPerLotTick(c);
  if (k == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("K = lot_size * tick_size / 1e-6 must be a positive integer (lot ",
                     c.lot_size_nanos, "e-9, tick ", c.tick_size_nanos, "e-9)"));
  }
  if (c.min_price.value() < 1) return Invalid("min_price", "must be >= 1", c.min_price.value());
  if (c.max_price < c.min_price) {
    return Invalid("max_price", "must be >= min_price", c.max_price.value());
  }
  if (c.max_order_qty.value() <= 0) {
    return Invalid("max_order_qty", "must be positive", c.max_order_qty.value());
  }
  if (c.risk.tier_count == 0) return absl::OkStatus();  // matching only: no margin
  if (c.max_position_qty.value() <= 0) {
    return Invalid("max_position_qty", "must be positive for a margined symbol",
                   c.max_position_qty.value());
  }
  const int128 worst = static_cast<int128>(c.max_position_qty.value()) * c.max_price.value() * k;
  const int128 worst_order = static_cast<int128>(c.max_order_qty.value()) * c.max_price.value() * k;
  if (worst >= kMaxNotional || worst_order >= kMaxNotional) {
    return absl::InvalidArgumentError(
        "max_position_qty * max_price * K (and max_order_qty * max_price * K) must stay below "
        "2^62");
  }
  if (const auto tiers = BuildTierTable(c.risk); !tiers.ok()) return tiers.status();
  return ValidatePolicies(c.risk);
}

}  // namespace cascade::risk
