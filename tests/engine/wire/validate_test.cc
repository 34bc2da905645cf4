#include "engine/wire/validate.h"

#include <gtest/gtest.h>

#include "engine/wire/samples.h"

namespace cascade::wire {
namespace {

Command With(CommandBody body) { return Command{SeqNo(1), Timestamp(0), body}; }

NewOrder Order(OrderType type, int64_t price, int64_t stop, int64_t qty) {
  NewOrder o;
  o.type = type;
  o.price = Price(price);
  o.stop_price = Price(stop);
  o.qty = Qty(qty);
  return o;
}

TEST(ValidateTest, SamplesAreValid) {
  for (const Command& c : SampleCommands()) EXPECT_EQ(Validate(c), RejectReason::kNone);
}

TEST(ValidateTest, NewOrderSizesAndPrices) {
  EXPECT_EQ(Validate(With(Order(OrderType::kLimit, 1, 0, 1))), RejectReason::kNone);
  EXPECT_EQ(Validate(With(Order(OrderType::kLimit, 1, 0, 0))), RejectReason::kInvalidQuantity);
  EXPECT_EQ(Validate(With(Order(OrderType::kLimit, 1, 0, -4))), RejectReason::kInvalidQuantity);
  EXPECT_EQ(Validate(With(Order(OrderType::kLimit, 0, 0, 1))), RejectReason::kInvalidPrice);
  // A market order needs no price, but not a negative one.
  EXPECT_EQ(Validate(With(Order(OrderType::kMarket, 0, 0, 1))), RejectReason::kNone);
  EXPECT_EQ(Validate(With(Order(OrderType::kMarket, -1, 0, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(Order(OrderType::kStopMarket, 0, 0, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(Order(OrderType::kStopMarket, 0, 5, 1))), RejectReason::kNone);
  EXPECT_EQ(Validate(With(Order(OrderType::kStopLimit, 0, 5, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(Order(OrderType::kStopLimit, 4, 5, 1))), RejectReason::kNone);
  EXPECT_EQ(Validate(With(Order(OrderType::kLimit, 4, -5, 1))), RejectReason::kInvalidPrice);
}

TEST(ValidateTest, NewOrderEnums) {
  NewOrder o = Order(OrderType::kLimit, 1, 0, 1);
  o.type = static_cast<OrderType>(4);
  EXPECT_EQ(Validate(With(o)), RejectReason::kInvalidOrderType);
  o = Order(OrderType::kLimit, 1, 0, 1);
  o.tif = static_cast<TimeInForce>(4);
  EXPECT_EQ(Validate(With(o)), RejectReason::kInvalidOrderType);
  o = Order(OrderType::kLimit, 1, 0, 1);
  o.side = static_cast<Side>(2);
  EXPECT_EQ(Validate(With(o)), RejectReason::kMalformed);
  o = Order(OrderType::kLimit, 1, 0, 1);
  o.stp = static_cast<StpMode>(4);
  EXPECT_EQ(Validate(With(o)), RejectReason::kMalformed);
  o = Order(OrderType::kLimit, 1, 0, 1);
  o.margin = static_cast<MarginMode>(2);
  EXPECT_EQ(Validate(With(o)), RejectReason::kMalformed);
}

TEST(ValidateTest, OtherCommands) {
  EXPECT_EQ(Validate(With(AmendOrder{SymbolId(1), AccountId(1), OrderId(1), Price(1), Qty(0)})),
            RejectReason::kInvalidQuantity);
  EXPECT_EQ(Validate(With(AmendOrder{SymbolId(1), AccountId(1), OrderId(1), Price(0), Qty(1)})),
            RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(Withdraw{AccountId(1), MarginMode::kCross, SymbolId(0), Atoms(-1)})),
            RejectReason::kInvalidAmount);
  EXPECT_EQ(Validate(With(Deposit{AccountId(1), MarginMode::kCross, SymbolId(0), Atoms(1)})),
            RejectReason::kNone);
  EXPECT_EQ(Validate(With(SetLeverage{AccountId(1), MarginMode::kCross, SymbolId(0), 0})),
            RejectReason::kInvalidLeverage);
  EXPECT_EQ(Validate(With(IndexPrice{SymbolId(1), Price(0)})), RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(MarkPrice{SymbolId(1), Price(-3)})), RejectReason::kInvalidPrice);
  EXPECT_EQ(Validate(With(FundingRate{SymbolId(1), -5})), RejectReason::kNone);
  Command late = With(Timer{});
  late.ts = Timestamp(-1);
  EXPECT_EQ(Validate(late), RejectReason::kMalformed);
}

TEST(ValidateSymbolConfigTest, BinancePresetIsValid) {
  EXPECT_EQ(ValidateSymbolConfig(BinanceBtcPerp()), RejectReason::kNone);
}

TEST(ValidateSymbolConfigTest, MarketWithoutMarginIsValid) {
  SymbolConfig c = BinanceBtcPerp();
  c.risk = RiskParams{};
  c.max_position_qty = Qty(0);
  EXPECT_EQ(ValidateSymbolConfig(c), RejectReason::kNone);
}

TEST(ValidateSymbolConfigTest, RejectsImpossibleMarkets) {
  auto rejects = [](auto mutate) {
    SymbolConfig c = BinanceBtcPerp();
    mutate(c);
    return ValidateSymbolConfig(c) == RejectReason::kInvalidSymbolConfig;
  };
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.tick_size_nanos = 0; }));
  // K = lot * tick / 1e-6 must be a whole number of atoms.
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.tick_size_nanos = 1; }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.min_price = Price(0); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_price = Price(0); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_order_qty = Qty(0); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_position_qty = Qty(-1); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.market_protection_ticks = -1; }));
  // max_position * max_price * K must stay below 2^62 (risk-model.md section 1).
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_position_qty = Qty(int64_t{1} << 40); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_order_qty = Qty(INT64_MAX); }));
  EXPECT_TRUE(rejects([](SymbolConfig& c) { c.max_price = Price(INT64_MAX); }));
}

TEST(ValidateSymbolConfigTest, RejectsBadRiskParameters) {
  auto rejects = [](auto mutate) {
    SymbolConfig c = BinanceBtcPerp();
    mutate(c.risk);
    return ValidateSymbolConfig(c) == RejectReason::kInvalidSymbolConfig;
  };
  EXPECT_FALSE(rejects([](RiskParams&) {}));
  EXPECT_TRUE(
      rejects([](RiskParams& r) { r.tiers[3].notional_floor = r.tiers[2].notional_floor; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.tiers[0].notional_floor = Atoms(-1); }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.tiers[1].imr = r.tiers[1].mmr - 1; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.tiers[9].imr = kRateScale + 1; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.tier_count = kMaxTiers + 1; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.taker_fee = kRateScale + 1; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.liquidation_fee = -1; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.mark_mode = static_cast<MarkMode>(3); }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.preset = static_cast<RiskPreset>(4); }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.mark_sample_interval_ns = 0; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.funding_interval_ns = 0; }));
  EXPECT_TRUE(rejects([](RiskParams& r) { r.backstop_threshold = -1; }));
  // Policy parameters unused by the chosen policy are the risk engine's business.
  EXPECT_FALSE(rejects([](RiskParams& r) { r.partial_fraction = kRateScale + 1; }));
  // A maker rebate is a negative fee, and fine.
  EXPECT_FALSE(rejects([](RiskParams& r) { r.maker_fee = -1'000; }));
}

}  // namespace
}  // namespace cascade::wire
