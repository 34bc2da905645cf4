// risk-model.md section 11, every number exact.
#include <gtest/gtest.h>

#include "engine/risk/invariants.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;
using testing::Driver;
using testing::EventsOf;
using testing::kUsd;

constexpr SymbolId kBtc{1};

class WorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(d.risk.OnSymbolConfigured(BtcConfig()), RejectReason::kNone);
    d.Mark(kBtc, 1'000'000);
    maker = d.Deposit(100, 10'000'000 * kUsd);
  }
  // Step 1: A deposits 10,000 USD and buys 1,000 lots at 1,000,000.
  BucketId OpenA() {
    const BucketId a = d.Deposit(1, 10'000 * kUsd);
    d.Fill(a, maker, kBtc, 1'000'000, 1'000);
    return a;
  }
  void Check() {
    const absl::Status s = checker.Check(d.events);
    EXPECT_TRUE(s.ok()) << s;
  }

  Driver d;
  InvariantChecker checker{d.risk};
  BucketId maker;
};

TEST_F(WorkedExampleTest, Step1QuoteAndSize) {
  const BucketId a = OpenA();
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{-90'000'000'000});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{1'000});
}

TEST_F(WorkedExampleTest, Step2LongTriggerTick) {
  const BucketId a = OpenA();
  EXPECT_EQ(d.risk.LiquidationPrice(a, kBtc), Price{904'020});
  d.Mark(kBtc, 904'021);
  EXPECT_EQ(d.last.liquidations, 0u);
  EXPECT_EQ(d.risk.GetMargins(a).equity, 402'100'000);
  EXPECT_EQ(d.risk.GetMargins(a).maintenance, 402'010'500);
  d.Mark(kBtc, 904'020);
  ASSERT_EQ(d.last.liquidations, 1u);
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].bucket, a);
  EXPECT_EQ(calls[0].equity, Atoms{402'000'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{402'010'000});
}

TEST_F(WorkedExampleTest, Steps3And4IocAtBankruptcyStopsWhenCompliant) {
  const BucketId a = OpenA();
  const BucketId fund = d.risk.InsuranceFund(kBtc);
  const BucketId bidder = d.Deposit(200, 10'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{903'500}, Qty{300});
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{902'000}, Qty{200});
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{899'000}, Qty{400});
  d.Mark(kBtc, 903'800);
  Check();
  EXPECT_EQ(d.last.depth, 1u);
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].equity, Atoms{380'000'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{401'900'000});
  const auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].side, Side::kSell);
  EXPECT_EQ(orders[0].qty, Qty{1'000});
  EXPECT_EQ(orders[0].limit_price, Price{900'000});
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{90'000'000'000});
  const auto fills = EventsOf<LiquidationFill>(d.events);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].price, Price{903'500});
  EXPECT_EQ(fills[0].qty, Qty{300});
  EXPECT_EQ(fills[0].quote, Atoms{27'105'000'000});
  EXPECT_EQ(fills[0].bankruptcy_share, Atoms{27'000'000'000});
  EXPECT_EQ(fills[0].fee_to_fund, Atoms{105'000'000});
  EXPECT_EQ(fills[0].fund_paid, Atoms{0});
  EXPECT_EQ(fills[1].price, Price{902'000});
  EXPECT_EQ(fills[1].qty, Qty{200});
  EXPECT_EQ(fills[1].quote, Atoms{18'040'000'000});
  EXPECT_EQ(fills[1].bankruptcy_share, Atoms{18'000'000'000});
  EXPECT_EQ(fills[1].fee_to_fund, Atoms{40'000'000});
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{-45'000'000'000});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{500});
  EXPECT_EQ(d.risk.GetMargins(a).equity, 190'000'000);
  EXPECT_EQ(d.risk.GetMargins(a).maintenance, 180'760'000);
  EXPECT_FALSE(d.risk.GetBucket(a).in_liquidation);
  EXPECT_EQ(d.risk.GetBucket(fund).quote, Atoms{145'000'000});
  EXPECT_EQ(d.venue.Depth(kBtc, Side::kBuy), Qty{400});  // 899,000 is below the limit
  EXPECT_TRUE(EventsOf<Takeover>(d.events).empty());
}

TEST_F(WorkedExampleTest, Step5GapThroughBankruptcyFundTakesOver) {
  const BucketId a = OpenA();
  const BucketId fund = d.Deposit(kSystemAccount.value(), 1'000 * kUsd);
  const BucketId bidder = d.Deposit(200, 10'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{899'000}, Qty{400});
  d.Mark(kBtc, 895'000);
  Check();
  EXPECT_EQ(d.risk.GetMargins(fund).equity, 500'000'000);
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].equity, Atoms{-500'000'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{397'500'000});
  const auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].limit_price, Price{900'000});
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{90'000'000'000});
  EXPECT_TRUE(EventsOf<LiquidationFill>(d.events).empty());
  const auto takeovers = EventsOf<Takeover>(d.events);
  ASSERT_EQ(takeovers.size(), 1u);
  EXPECT_EQ(takeovers[0].qty, Qty{1'000});
  EXPECT_EQ(takeovers[0].bankruptcy_quote, Atoms{90'000'000'000});
  EXPECT_EQ(takeovers[0].fund_bucket, fund);
  EXPECT_EQ(d.risk.GetPosition(fund, kBtc).size, Qty{1'000});
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
  EXPECT_EQ(d.venue.Depth(kBtc, Side::kBuy), Qty{400});
}

TEST_F(WorkedExampleTest, Step5FundAfterTakeoverIsMaintenanceCompliant) {
  OpenA();
  const BucketId fund = d.Deposit(kSystemAccount.value(), 1'000 * kUsd);
  d.Mark(kBtc, 895'000);
  const Margins m = d.risk.GetMargins(fund);
  EXPECT_EQ(m.equity, 500'000'000);
  EXPECT_EQ(m.maintenance, 397'500'000);
}

// Step 6: the fund holds only 600 USD, so the position is auto-deleveraged against the shorts.
TEST_F(WorkedExampleTest, Step6AdlSplitAndScores) {
  const BucketId a = OpenA();
  const BucketId fund = d.Deposit(kSystemAccount.value(), 600 * kUsd);
  const BucketId longs = d.Deposit(300, 10'000'000 * kUsd);
  const BucketId s1 = d.Deposit(11, 2'000 * kUsd);
  const BucketId s2 = d.Deposit(12, 20'000 * kUsd);
  const BucketId s3 = d.Deposit(13, 5'000 * kUsd);
  d.Fill(s1, longs, kBtc, 1'000'000, -600);
  d.Fill(s2, longs, kBtc, 950'000, -1'000);
  d.Fill(s3, longs, kBtc, 880'000, -400);
  d.Mark(kBtc, 895'000);
  Check();
  EXPECT_TRUE(EventsOf<Takeover>(d.events).empty());
  EXPECT_TRUE(EventsOf<BadDebt>(d.events).empty());
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].bucket, a);
  EXPECT_EQ(legs[0].counter_bucket, s1);
  EXPECT_EQ(legs[0].qty, Qty{600});
  EXPECT_EQ(legs[0].quote, Atoms{54'000'000'000});
  EXPECT_EQ(legs[0].score, 67'933'734);
  EXPECT_EQ(legs[0].price, Price{900'000});
  EXPECT_EQ(legs[1].counter_bucket, s2);
  EXPECT_EQ(legs[1].qty, Qty{400});
  EXPECT_EQ(legs[1].quote, Atoms{36'000'000'000});
  EXPECT_EQ(legs[1].score, 20'319'915);
  EXPECT_EQ(legs[0].quote.value() + legs[1].quote.value(), 90'000'000'000);
  EXPECT_EQ(d.risk.GetMargins(s1).equity, 8'000'000'000);
  EXPECT_EQ(d.risk.GetMargins(s2).equity, 25'300'000'000);
  EXPECT_EQ(d.risk.GetMargins(s3).equity, 4'400'000'000);
  EXPECT_EQ(d.risk.AdlRank(s3, kBtc).score, -209'498);
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
  EXPECT_EQ(d.risk.GetBucket(fund).quote, Atoms{600 * kUsd});
}

TEST_F(WorkedExampleTest, Step6ScoresBeforeAdl) {
  OpenA();
  const BucketId longs = d.Deposit(300, 10'000'000 * kUsd);
  const BucketId s1 = d.Deposit(11, 2'000 * kUsd);
  const BucketId s2 = d.Deposit(12, 20'000 * kUsd);
  const BucketId s3 = d.Deposit(13, 5'000 * kUsd);
  d.Fill(s1, longs, kBtc, 1'000'000, -600);
  d.Fill(s2, longs, kBtc, 950'000, -1'000);
  d.Fill(s3, longs, kBtc, 880'000, -400);
  // Scores at 895,000 without liquidating anyone: an external mark moves only the inputs.
  d.Begin();
  d.risk.OnMarkPrice(kBtc, Price{895'000});
  d.risk.RecomputeMarks(d.venue);
  EXPECT_EQ(d.risk.GetMargins(s1).equity, 8'300'000'000);
  EXPECT_EQ(d.risk.GetMargins(s2).equity, 25'500'000'000);
  EXPECT_EQ(d.risk.AdlRank(s1, kBtc).score, 67'933'734);
  EXPECT_EQ(d.risk.AdlRank(s2, kBtc).score, 20'319'915);
  EXPECT_EQ(d.risk.AdlRank(s3, kBtc).score, -209'498);
  EXPECT_EQ(d.risk.AdlRank(s1, kBtc).rank, 1u);
  EXPECT_EQ(d.risk.AdlRank(s2, kBtc).rank, 2u);
}

TEST_F(WorkedExampleTest, Step7ShortTriggerAndBuyLimit) {
  const BucketId b = d.Deposit(2, 5'000 * kUsd);
  d.Fill(b, maker, kBtc, 1'000'000, -500);
  EXPECT_EQ(d.risk.GetBucket(b).quote, Atoms{55'000'000'000});
  EXPECT_EQ(d.risk.LiquidationPrice(b, kBtc), Price{1'095'523});
  d.Mark(kBtc, 1'095'522);
  EXPECT_EQ(d.last.liquidations, 0u);
  EXPECT_EQ(d.risk.GetMargins(b).equity, 223'900'000);
  EXPECT_EQ(d.risk.GetMargins(b).maintenance, 223'880'500);
  d.Deposit(kSystemAccount.value(), 1'000'000 * kUsd);
  d.Mark(kBtc, 1'095'523);
  Check();
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].equity, Atoms{223'850'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{223'880'750});
  const auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].side, Side::kBuy);
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{-55'000'000'000});
  EXPECT_EQ(orders[0].limit_price, Price{1'100'000});
}

}  // namespace
}  // namespace cascade::risk
