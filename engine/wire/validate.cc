#include "engine/wire/validate.h"

#include <variant>

#include "engine/core/checked_math.h"

namespace cascade::wire {
namespace {

constexpr RejectReason kOk = RejectReason::kNone;

template <typename E>
[[nodiscard]] constexpr bool AtMost(E value, E last) noexcept {
  return static_cast<std::underlying_type_t<E>>(value) <=
         static_cast<std::underlying_type_t<E>>(last);
}

[[nodiscard]] constexpr bool IsRate(int64_t rate) noexcept {
  return rate >= 0 && rate <= kRateScale;
}

// Positions and orders are bounded so that lots * ticks * K always fits in int64 with headroom
// (risk-model.md section 1).
[[nodiscard]] bool NotionalFits(Qty lots, Price max_price, int64_t k) noexcept {
  constexpr int128 kLimit = static_cast<int128>(1) << 62;
  // Two steps: three int64 factors could overflow even int128, and k >= 1.
  const int128 lots_ticks = static_cast<int128>(lots.value()) * max_price.value();
  return lots_ticks < kLimit && lots_ticks * k < kLimit;
}

RejectReason ValidateRisk(const RiskParams& r) noexcept {
  if (r.tier_count > kMaxTiers) return RejectReason::kInvalidSymbolConfig;
  for (int i = 0; i < r.tier_count; ++i) {
    const MarginTier& tier = r.tiers[static_cast<size_t>(i)];
    const bool ascending =
        i == 0 ? tier.notional_floor.value() >= 0
               : tier.notional_floor > r.tiers[static_cast<size_t>(i - 1)].notional_floor;
    if (!ascending || !IsRate(tier.mmr) || !IsRate(tier.imr) || tier.imr < tier.mmr) {
      return RejectReason::kInvalidSymbolConfig;
    }
  }
  const bool fees_ok = r.maker_fee >= -kRateScale && r.maker_fee <= kRateScale &&
                       r.taker_fee >= -kRateScale && r.taker_fee <= kRateScale &&
                       IsRate(r.liquidation_fee);
  const bool enums_ok = AtMost(r.mark_mode, MarkMode::kMedian3) &&
                        AtMost(r.order_policy, LiquidationOrderPolicy::kMarkBand) &&
                        AtMost(r.size_policy, LiquidationSizePolicy::kTierStepDown) &&
                        AtMost(r.adl_ranking, AdlRanking::kPseudoRandom) &&
                        AtMost(r.funding_price, FundingPriceSource::kIndex) &&
                        AtMost(r.preset, RiskPreset::kDydx);
  // Parameters that only matter under one policy (mark band, partial liquidation) are left to the
  // risk engine's own config check, which knows the policy: the decoder must never refuse a config
  // the engine would take.
  const bool times_ok =
      r.mark_sample_interval_ns > 0 && r.index_impact_window_ns >= 0 && r.funding_interval_ns > 0;
  const bool fractions_ok = r.backstop_threshold >= 0 && r.index_impact_lambda >= 0 &&
                            IsRate(r.funding_clamp) && r.funding_interest >= -kRateScale &&
                            r.funding_interest <= kRateScale;
  return fees_ok && enums_ok && times_ok && fractions_ok ? kOk : RejectReason::kInvalidSymbolConfig;
}

RejectReason Check(const NewOrder& o) noexcept {
  if (!AtMost(o.side, Side::kSell) || !AtMost(o.stp, StpMode::kCancelBoth) ||
      !AtMost(o.margin, MarginMode::kIsolated)) {
    return RejectReason::kMalformed;
  }
  if (!AtMost(o.type, OrderType::kStopMarket) || !AtMost(o.tif, TimeInForce::kPostOnly)) {
    return RejectReason::kInvalidOrderType;
  }
  if (o.qty.value() <= 0) return RejectReason::kInvalidQuantity;
  const bool has_limit = o.type == OrderType::kLimit || o.type == OrderType::kStopLimit;
  const bool is_stop = o.type == OrderType::kStopLimit || o.type == OrderType::kStopMarket;
  // A market order's price is ignored, but a negative one is garbage, not a choice.
  if (has_limit ? o.price.value() <= 0 : o.price.value() < 0) return RejectReason::kInvalidPrice;
  if (is_stop ? o.stop_price.value() <= 0 : o.stop_price.value() < 0) {
    return RejectReason::kInvalidPrice;
  }
  return kOk;
}

RejectReason Check(const CancelOrder&) noexcept { return kOk; }

RejectReason Check(const AmendOrder& o) noexcept {
  if (o.new_qty.value() <= 0) return RejectReason::kInvalidQuantity;
  if (o.new_price.value() <= 0) return RejectReason::kInvalidPrice;
  return kOk;
}

RejectReason Check(const MassCancel&) noexcept { return kOk; }

RejectReason Check(const ConfigureSymbol& o) noexcept { return ValidateSymbolConfig(o.config); }

template <typename Balance>
RejectReason CheckBalance(const Balance& o) noexcept {
  if (!AtMost(o.margin, MarginMode::kIsolated)) return RejectReason::kMalformed;
  return o.amount.value() > 0 ? kOk : RejectReason::kInvalidAmount;
}

RejectReason Check(const Deposit& o) noexcept { return CheckBalance(o); }
RejectReason Check(const Withdraw& o) noexcept { return CheckBalance(o); }

RejectReason Check(const SetLeverage& o) noexcept {
  if (!AtMost(o.margin, MarginMode::kIsolated)) return RejectReason::kMalformed;
  return o.leverage > 0 ? kOk : RejectReason::kInvalidLeverage;
}

RejectReason Check(const IndexPrice& o) noexcept {
  return o.price.value() > 0 ? kOk : RejectReason::kInvalidPrice;
}

RejectReason Check(const MarkPrice& o) noexcept {
  return o.price.value() > 0 ? kOk : RejectReason::kInvalidPrice;
}

RejectReason Check(const FundingRate&) noexcept { return kOk; }
RejectReason Check(const Timer&) noexcept { return kOk; }
RejectReason Check(const Logon&) noexcept { return kOk; }

}  // namespace

RejectReason ValidateSymbolConfig(const SymbolConfig& c) noexcept {
  const int64_t k = AtomsPerLotTick(c);
  if (k == 0 || c.min_price.value() <= 0 || c.max_price < c.min_price ||
      c.max_order_qty.value() <= 0 || c.max_position_qty.value() < 0 ||
      c.market_protection_ticks < 0) {
    return RejectReason::kInvalidSymbolConfig;
  }
  if (!NotionalFits(c.max_order_qty, c.max_price, k) ||
      !NotionalFits(c.max_position_qty, c.max_price, k)) {
    return RejectReason::kInvalidSymbolConfig;
  }
  return ValidateRisk(c.risk);
}

RejectReason Validate(const Command& command) noexcept {
  // Time is carried by the input and only ever moves forward from the epoch.
  if (command.ts.value() < 0) return RejectReason::kMalformed;
  return std::visit([](const auto& body) { return Check(body); }, command.body);
}

}  // namespace cascade::wire
