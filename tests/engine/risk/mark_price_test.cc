#include "engine/risk/mark_price.h"

#include <gtest/gtest.h>

#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;
using testing::Driver;
using testing::EventsOf;
using testing::kUsd;

constexpr int64_t kSecond = 1'000'000'000;

RiskParams Params(MarkMode mode) {
  RiskParams p;
  p.mark_mode = mode;
  p.mark_sample_interval_ns = kSecond;
  p.mark_ma_samples = 4;
  p.funding_interval_ns = 8 * 3600 * kSecond;
  return p;
}

TEST(MarkPriceTest, ExternalModeUsesTheInputMarkAndFallsBackToTheLastTrade) {
  MarkPrice m;
  m.Configure(Params(MarkMode::kExternal));
  EXPECT_EQ(m.Compute(0), 0);
  m.SetLast(990);
  EXPECT_EQ(m.Compute(0), 990);
  m.SetExternal(1'000);
  m.SetIndex(5'000);
  EXPECT_EQ(m.Compute(0), 1'000);
}

TEST(MarkPriceTest, OracleModeUsesTheIndex) {
  MarkPrice m;
  m.Configure(Params(MarkMode::kOracle));
  m.SetTop({990, 1'010, 1'000});
  EXPECT_EQ(m.Compute(0), 1'000);  // no index yet: last trade
  m.SetIndex(1'234);
  EXPECT_EQ(m.Compute(0), 1'234);
}

TEST(MarkPriceTest, Median3OfBasisIndexBookAndFundingBasis) {
  MarkPrice m;
  m.Configure(Params(MarkMode::kMedian3));
  m.SetIndex(100'000);
  m.SetTop({100'900, 101'100, 101'500});  // mid 101,000, book median 101,100
  m.AdvanceTo(0);
  EXPECT_EQ(m.Compute(0), 100'000);                   // median(100,000 + 0, 101,100, 100,000)
  m.AdvanceTo(2 * kSecond);                           // two samples of basis 1,000
  EXPECT_EQ(m.Compute(0), 101'000);                   // median(101,000, 101,100, 100,000)
  m.SetPredictedFundingRate(2'000'000);               // 2% per interval
  EXPECT_EQ(m.Compute(4 * 3600 * kSecond), 101'000);  // index * (1 + 1%) = 101,000
  EXPECT_EQ(m.Compute(8 * 3600 * kSecond), 101'100);  // 102,000: the book median is in between
}

TEST(MarkPriceTest, MovingAverageIsIntegerOnAFixedGrid) {
  MarkPrice m;
  m.Configure(Params(MarkMode::kMedian3));
  m.SetIndex(100'000);
  m.AdvanceTo(0);
  m.SetTop({100'001, 100'003, 0});  // basis 2 (mid 100,002)
  m.AdvanceTo(kSecond);             // one sample: 2
  m.SetTop({100'000, 100'002, 0});  // basis 1
  m.AdvanceTo(kSecond + 1);         // same slot: no sample
  m.AdvanceTo(3 * kSecond);         // two samples: 1, 1
  // MA = floor((2 + 1 + 1) / 3) = 1; with a huge funding basis and book median the MA leg is
  // the median: median(100,001, 100,002, 200,000).
  m.SetTop({100'000, 100'004, 100'002});
  m.SetPredictedFundingRate(100'000'000 - 1);
  EXPECT_EQ(m.Compute(8 * 3600 * kSecond), 100'002);
  m.SetTop({100'500, 100'600, 100'550});
  EXPECT_EQ(m.Compute(8 * 3600 * kSecond), 100'550);
  m.SetTop({99'000, 99'100, 99'050});  // now the MA leg is the median
  EXPECT_EQ(m.Compute(8 * 3600 * kSecond), 100'001);
}

TEST(MarkPriceTest, IndexImpactMovesTheIndexAndExpiresWithTheWindow) {
  RiskParams p = Params(MarkMode::kOracle);
  p.index_impact_lambda = 100'000'000;  // 1: ticks = net notional / index
  p.index_impact_window_ns = 10 * kSecond;
  MarkPrice m;
  m.Configure(p);
  m.SetIndex(1'000);
  m.AdvanceTo(0);
  m.AddLiquidationFlow(-50'000);  // 50,000 atoms sold at index 1,000: 50 ticks down
  EXPECT_EQ(m.EffectiveIndex(), 950);
  EXPECT_EQ(m.Compute(0), 950);
  m.AdvanceTo(5 * kSecond);
  m.AddLiquidationFlow(20'000);
  EXPECT_EQ(m.EffectiveIndex(), 970);
  m.AdvanceTo(10 * kSecond);  // the first flow leaves the window
  EXPECT_EQ(m.EffectiveIndex(), 1'020);
  m.AdvanceTo(100 * kSecond);
  EXPECT_EQ(m.EffectiveIndex(), 1'000);
}

TEST(MarkPriceTest, EngineEmitsMarkUpdatedOnlyWhenTheMarkChanges) {
  Driver d;
  SymbolConfig c = BtcConfig();
  c.risk.mark_mode = MarkMode::kOracle;
  ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
  d.Begin(0);
  d.risk.OnIndexPrice(SymbolId{1}, Price{1'000'000});
  d.End();
  auto marks = EventsOf<MarkUpdated>(d.events);
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].mark, Price{1'000'000});
  d.Begin(kSecond);
  d.risk.OnIndexPrice(SymbolId{1}, Price{1'000'000});
  d.End();
  EXPECT_TRUE(EventsOf<MarkUpdated>(d.events).empty());
  EXPECT_EQ(d.risk.Mark(SymbolId{1}), Price{1'000'000});
}

}  // namespace
}  // namespace cascade::risk
