// Funding (risk-model.md section 8): zero-sum payments, floor for every account, residual to the
// fund, rate from the input or from the premium.
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
constexpr int64_t kSecond = 1'000'000'000;

TEST(FundingTest, PaymentsFloorForEveryAccountAndTheResidualGoesToTheFund) {
  Driver d;
  ASSERT_EQ(d.risk.OnSymbolConfigured(BtcConfig()), RejectReason::kNone);
  d.Mark(kBtc, 1'000'003);
  const BucketId a = d.Deposit(1, 100'000 * kUsd);
  const BucketId b = d.Deposit(2, 100'000 * kUsd);
  const BucketId c = d.Deposit(3, 100'000 * kUsd);
  d.Fill(a, b, kBtc, 1'000'003, 7);   // a long 7, b short 7
  d.Fill(c, b, kBtc, 1'000'003, -3);  // c short 3, b long 3 -> b short 4
  const Atoms qa = d.risk.GetBucket(a).quote;
  const Atoms qb = d.risk.GetBucket(b).quote;
  const Atoms qc = d.risk.GetBucket(c).quote;
  InvariantChecker checker(d.risk);
  d.Begin();
  ASSERT_EQ(d.risk.OnFundingRate(kBtc, 33), RejectReason::kNone);
  d.End();
  ASSERT_TRUE(checker.Check(d.events).ok()) << checker.Check(d.events);
  // dF = 33 * 1,000,003 * 100 = 3,300,009,900; credit = floor(-size * dF / 1e8).
  EXPECT_EQ(d.risk.GetBucket(a).quote.value() - qa.value(), -232);  // floor(-231.0006930)
  EXPECT_EQ(d.risk.GetBucket(b).quote.value() - qb.value(), 132);   // floor(132.0003960)
  EXPECT_EQ(d.risk.GetBucket(c).quote.value() - qc.value(), 99);    // floor(99.0002970)
  const auto payments = EventsOf<FundingPayment>(d.events);
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].index_delta, 3'300'009'900);
  EXPECT_EQ(payments[0].paid_by_payers, Atoms{232});
  EXPECT_EQ(payments[0].residual_to_fund, Atoms{1});  // 232 - 132 - 99
  EXPECT_EQ(d.risk.GetBucket(d.risk.InsuranceFund(kBtc)).quote, Atoms{1});
}

TEST(FundingTest, RateComesFromThePremiumAtTheIntervalBoundary) {
  Driver d;
  SymbolConfig c = BtcConfig();
  c.risk.mark_mode = MarkMode::kMedian3;
  c.risk.funding_interval_ns = 3600 * kSecond;
  c.risk.funding_interest = 10'000;  // 0.01%
  c.risk.funding_clamp = 50'000;     // 0.05%
  c.risk.funding_price = FundingPriceSource::kIndex;
  ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
  d.Begin(0);
  d.risk.OnIndexPrice(kBtc, Price{1'000'000});
  const BucketId mm = d.Deposit(9, 1'000'000 * kUsd);
  d.venue.Rest(mm, AccountId{9}, kBtc, Side::kBuy, Price{1'000'900}, Qty{1});
  d.venue.Rest(mm, AccountId{9}, kBtc, Side::kSell, Price{1'001'100}, Qty{1});
  d.End();
  const BucketId a = d.Deposit(1, 100'000 * kUsd);
  const BucketId b = d.Deposit(2, 100'000 * kUsd);
  d.Fill(a, b, kBtc, 1'000'000, 100);
  // The book trades 0.1% over the index all hour: premium 100,000; interest - premium is clamped
  // to -50,000, so the rate is 50,000 (0.05%), paid on the index price.
  d.Begin(3600 * kSecond);
  d.End();
  const auto payments = EventsOf<FundingPayment>(d.events);
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].rate, 50'000);
  EXPECT_EQ(payments[0].index_delta, 50'000LL * 1'000'000 * 100);
  EXPECT_EQ(payments[0].paid_by_payers, Atoms{5'000'000});  // 100 lots * 0.05% of 100,000 USD
}

TEST(FundingTest, ReplayedRateIsPaidEvenWithoutComputedFunding) {
  Driver d;
  ASSERT_EQ(d.risk.OnSymbolConfigured(BtcConfig()), RejectReason::kNone);
  d.Begin(0);
  d.End();
  d.Begin(9 * 3600 * kSecond);  // a boundary passes, but funding_clamp = 0: nothing computed
  d.End();
  EXPECT_TRUE(EventsOf<FundingPayment>(d.events).empty());
  d.Begin();
  EXPECT_EQ(d.risk.OnFundingRate(SymbolId{7}, 1), RejectReason::kUnknownSymbol);
  EXPECT_EQ(d.risk.OnFundingRate(kBtc, 100'000'000), RejectReason::kInvalidAmount);
  d.End();
}

}  // namespace
}  // namespace cascade::risk
