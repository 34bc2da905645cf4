#include "engine/risk/presets.h"

#include <gtest/gtest.h>

#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::kUsd;

TEST(PresetTest, ParsesNamesAndFillsPolicies) {
  EXPECT_EQ(*ParsePreset("binance"), RiskPreset::kBinance);
  EXPECT_EQ(*ParsePreset("hyperliquid"), RiskPreset::kHyperliquid);
  EXPECT_EQ(*ParsePreset("dydx"), RiskPreset::kDydx);
  EXPECT_FALSE(ParsePreset("bitmex").ok());
  RiskParams p;
  ApplyPreset(RiskPreset::kHyperliquid, p);
  EXPECT_EQ(p.mark_mode, MarkMode::kMedian3);
  EXPECT_EQ(p.order_policy, LiquidationOrderPolicy::kMarkBand);
  EXPECT_EQ(p.size_policy, LiquidationSizePolicy::kPartial);
  EXPECT_EQ(p.partial_threshold, Atoms{100'000 * kUsd});
  EXPECT_EQ(p.partial_fraction, 20'000'000);
  EXPECT_EQ(p.partial_cooldown_ns, 30'000'000'000);
  EXPECT_EQ(p.backstop_threshold, 66'666'667);
  EXPECT_EQ(p.adl_ranking, AdlRanking::kHyperliquid);
  ApplyPreset(RiskPreset::kBinance, p);
  EXPECT_EQ(p.order_policy, LiquidationOrderPolicy::kBankruptcy);
  EXPECT_EQ(p.size_policy, LiquidationSizePolicy::kTierStepDown);
  EXPECT_EQ(p.backstop_threshold, 0);
  ApplyPreset(RiskPreset::kDydx, p);
  EXPECT_EQ(p.mark_mode, MarkMode::kOracle);
  EXPECT_EQ(p.adl_ranking, AdlRanking::kPseudoRandom);
}

}  // namespace
}  // namespace cascade::risk
