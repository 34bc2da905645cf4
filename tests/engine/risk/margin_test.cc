#include "engine/risk/margin.h"

#include <gtest/gtest.h>

#include "engine/risk/presets.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::kUsd;

TEST(TierTableTest, DerivesBinanceMaintenanceAmounts) {
  RiskParams p;
  SetBinanceBtc2021Tiers(p);
  const auto table = BuildTierTable(p);
  ASSERT_TRUE(table.ok()) << table.status();
  const int64_t expected_usd[] = {0,         50,        1'300,     16'300,     266'300,
                                  1'266'300, 2'516'300, 5'016'300, 25'016'300, 100'016'300};
  ASSERT_EQ(table->count, 10);
  for (int t = 0; t < 10; ++t) EXPECT_EQ(table->cum[t], expected_usd[t] * kUsd) << "tier " << t;
}

TEST(TierTableTest, TierIsTheLastFloorStrictlyBelow) {
  RiskParams p;
  SetBinanceBtc2021Tiers(p);
  const TierTable t = *BuildTierTable(p);
  EXPECT_EQ(t.TierOf(0), 0);
  EXPECT_EQ(t.TierOf(50'000 * kUsd), 0);
  EXPECT_EQ(t.TierOf(50'000 * kUsd + 1), 1);
  EXPECT_EQ(t.TierOf(int128{400'000'000} * kUsd), 9);
}

TEST(MarginTest, WorkedExampleMaintenanceAtTheTrigger) {
  RiskParams p;
  SetBinanceBtc2021Tiers(p);
  const TierTable t = *BuildTierTable(p);
  const int64_t k = 100;
  const int128 quote = -90'000'000'000;
  auto equity = [&](int64_t mark) { return quote + int128{1000} * mark * k; };
  auto mm = [&](int64_t mark) { return MaintenanceMargin(t, int128{1000} * mark * k); };
  EXPECT_EQ(equity(904'020), 402'000'000);
  EXPECT_EQ(mm(904'020), 402'010'000);
  EXPECT_EQ(equity(904'021), 402'100'000);
  EXPECT_EQ(mm(904'021), 402'010'500);
  EXPECT_EQ(equity(903'800), 380'000'000);
  EXPECT_EQ(mm(903'800), 401'900'000);
  EXPECT_EQ(MaintenanceMargin(t, int128{500} * 903'800 * k), 180'760'000);
  EXPECT_EQ(mm(895'000), 397'500'000);
}

TEST(MarginTest, MaintenanceIsContinuousAtTierFloors) {
  RiskParams p;
  SetBinanceBtc2021Tiers(p);
  const TierTable t = *BuildTierTable(p);
  for (int i = 1; i < t.count; ++i) {
    const int128 at = MaintenanceMargin(t, t.floor[i]);
    const int128 above = MaintenanceMargin(t, t.floor[i] + 1);
    EXPECT_GE(above, at) << "tier " << i;
    EXPECT_LE(above - at, 2) << "tier " << i;
  }
}

TEST(MarginTest, InitialMarginUsesTheLargerOfTierRateAndLeverage) {
  RiskParams p;
  SetBinanceBtc2021Tiers(p);
  const TierTable t = *BuildTierTable(p);
  const int128 n = 100'000 * kUsd;  // tier 1: IMR 1%
  EXPECT_EQ(InitialMargin(t, n, 0), 1'000 * kUsd);
  EXPECT_EQ(InitialMargin(t, n, 125), 1'000 * kUsd);  // 0.8% < 1%: the tier wins
  EXPECT_EQ(InitialMargin(t, n, 20), 5'000 * kUsd);
  EXPECT_EQ(InitialMargin(t, 10, 3), 4);  // ceil(10 / 3)
  EXPECT_EQ(InitialMargin(t, 0, 3), 0);
}

}  // namespace
}  // namespace cascade::risk
