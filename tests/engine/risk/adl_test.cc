#include "engine/risk/adl.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/risk/invariants.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;
using testing::Driver;
using testing::EventsOf;
using testing::EventsText;
using testing::kUsd;

constexpr SymbolId kBtc{1};

TEST(AdlScoreTest, PnlTimesLeverageReproducesTheWorkedExample) {
  // S1: short 600 lots from 1,000,000, 2,000 USD deposit, mark 895,000 (risk-model.md 11.6).
  const AdlInputs s1{-600, -600LL * 1'000'000 * 100, 895'000, 100, 8'300'000'000};
  EXPECT_EQ(PnlTimesLeverageScore(s1), 67'933'734);
  const AdlInputs s3{-400, -400LL * 880'000 * 100, 895'000, 100, 4'400'000'000};
  EXPECT_EQ(PnlTimesLeverageScore(s3), -209'498);
}

TEST(AdlScoreTest, HyperliquidIsMarkOverEntryTimesNotionalOverEquity) {
  // Long 10 lots from 100 at mark 120, equity 600: (120/100) * (1,200/600) = 2.4.
  EXPECT_EQ(HyperliquidScore({10, 10 * 100, 120, 1, 600}), 240'000'000);
  // Short 10 lots from 120 at mark 100, equity 500: (120/100) * (1,000/500) = 2.4.
  EXPECT_EQ(HyperliquidScore({-10, -10 * 120, 100, 1, 500}), 240'000'000);
}

TEST(AdlScoreTest, PseudoRandomIsAFixedFunctionOfSeedAndBucket) {
  EXPECT_EQ(PseudoRandomScore(42, 7), PseudoRandomScore(42, 7));
  EXPECT_NE(PseudoRandomScore(42, 7), PseudoRandomScore(42, 8));
  EXPECT_GE(PseudoRandomScore(1, 1), 0);
  // Pinned so that a change of the documented function is noticed.
  EXPECT_EQ(PseudoRandomScore(0, 0), 8'147'104'208'329'303'767);
}

class AdlTest : public ::testing::Test {
 protected:
  void SetUp() override { Configure(BtcConfig()); }
  void Configure(SymbolConfig c) {
    ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
    d.Mark(kBtc, 1'000'000);
    maker = d.Deposit(100, 1'000'000'000 * kUsd);
  }
  // A long that is bankrupt at 895,000 (bankruptcy price 900,000); the book stays empty and the
  // fund holds nothing, so the position goes to ADL.
  BucketId Bankrupt() {
    const BucketId a = d.Deposit(1, 10'000 * kUsd);
    d.Fill(a, maker, kBtc, 1'000'000, 1'000);
    return a;
  }
  // Shorts entered below the current mark would be liquidated at once, so the scenario is built
  // inside the command that moves the mark: everything is applied, then one sweep runs.
  BucketId Short(uint32_t account, int64_t deposit, int64_t lots, int64_t price) {
    EXPECT_EQ(d.risk.Deposit(AccountId{account}, MarginMode::kCross, kBtc, Atoms{deposit}),
              RejectReason::kNone);
    const BucketId b = d.risk.FindBucket(AccountId{account}, MarginMode::kCross, kBtc);
    d.risk.OnOrderRested(maker, kBtc, Side::kBuy, Price{price}, Qty{lots});
    d.risk.OnFill(TradeFill{kBtc, Price{price}, Qty{lots}, Side::kSell, maker, b});
    return b;
  }
  void Crash() {
    d.risk.OnMarkPrice(kBtc, Price{895'000});
    d.End();
    const absl::Status s = checker.Check(d.events);
    ASSERT_TRUE(s.ok()) << s << "\n" << EventsText(d.events);
  }
  Driver d;
  InvariantChecker checker{d.risk};
  BucketId maker;
};

TEST_F(AdlTest, RankedCounterpartiesTakeThePositionAtTheBankruptcyPrice) {
  const BucketId a = Bankrupt();
  d.Begin();
  const BucketId thin = Short(11, 250 * kUsd, 500, 897'000);         // 350 USD, ~128x
  const BucketId thick = Short(12, 100'000 * kUsd, 1'000, 950'000);  // 105,500 USD, ~0.85x
  Crash();
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].counter_bucket, thin);
  EXPECT_EQ(legs[0].qty, Qty{500});
  EXPECT_EQ(legs[0].quote, Atoms{45'000'000'000});  // floor pro rata by lots
  EXPECT_EQ(legs[1].counter_bucket, thick);
  EXPECT_EQ(legs[1].qty, Qty{500});
  EXPECT_EQ(legs[1].quote, Atoms{45'000'000'000});  // the remainder
  EXPECT_GT(legs[0].score, legs[1].score);
  EXPECT_EQ(d.risk.GetMargins(thin).equity, 100'000'000);  // 350 USD - 500 lots * 0.5 USD
  EXPECT_EQ(d.risk.GetPosition(thick, kBtc).size, Qty{-500});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
}

// Many bankrupt buckets in one round share one ranking that must follow every leg: a counterparty
// that takes part of a position is scored again (CASCADE_DCHECK builds compare each ranking with
// one built from scratch; AdlOrderIsExact).
TEST_F(AdlTest, ManyBankruptBucketsInOneRoundFollowTheRankingAsItChanges) {
  std::vector<BucketId> bankrupt;
  for (uint32_t i = 0; i < 20; ++i) {
    const BucketId a = d.Deposit(1'000 + i, (8'000 + 100 * i) * kUsd);
    d.Fill(a, maker, kBtc, 1'000'000, 800 + 10 * i);
    bankrupt.push_back(a);
  }
  d.Begin();
  for (uint32_t i = 0; i < 30; ++i) {
    // From ~1x to ~60x; each can take a few hundred lots before its equity runs out.
    (void)Short(2'000 + i, (2'000 + 3'000 * (i % 7)) * kUsd, 100 + 20 * i, 896'000 + 500 * i);
  }
  Crash();
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_GT(legs.size(), 20u);
  for (size_t i = 1; i < legs.size(); ++i) {
    if (legs[i].bucket == legs[i - 1].bucket) {
      EXPECT_LE(legs[i].score, legs[i - 1].score) << i;  // within one bankrupt bucket: ranked
    }
  }
  std::set<BucketId> deleveraged;
  for (const AdlFill& leg : legs) deleveraged.insert(leg.bucket);
  EXPECT_GT(deleveraged.size(), 10u);
}

TEST_F(AdlTest, ACounterpartyTakesOnlyWhatKeepsItsEquityNonNegative) {
  Bankrupt();
  d.Begin();
  const BucketId poor = Short(11, 1 * kUsd, 1'000, 895'100);  // 11 USD of equity at 895,000
  Crash();
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_FALSE(legs.empty());
  EXPECT_EQ(legs[0].counter_bucket, poor);
  EXPECT_EQ(legs[0].qty, Qty{22});  // each lot at 900,000 costs it 0.5 USD
  EXPECT_EQ(legs[0].quote, Atoms{1'980'000'000});
}

TEST_F(AdlTest, WhenCandidatesRunOutTheFundTakesTheRestAndReportsBadDebt) {
  const BucketId a = Bankrupt();
  d.Begin();
  // S takes the maker's short at 890,000: at 895,000 S is losing and has 100 USD left.
  const BucketId s = Short(11, 600 * kUsd, 1'000, 890'000);
  Crash();
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_FALSE(legs.empty());
  EXPECT_EQ(legs[0].bucket, a);
  EXPECT_EQ(legs[0].counter_bucket, s);
  EXPECT_EQ(legs[0].qty, Qty{200});
  EXPECT_EQ(legs[0].quote, Atoms{18'000'000'000});
  const auto takeovers = EventsOf<Takeover>(d.events);
  ASSERT_FALSE(takeovers.empty());
  EXPECT_EQ(takeovers[0].bucket, a);
  EXPECT_EQ(takeovers[0].qty, Qty{800});
  EXPECT_EQ(takeovers[0].bankruptcy_quote, Atoms{72'000'000'000});
  const auto debts = EventsOf<BadDebt>(d.events);
  ASSERT_FALSE(debts.empty());
  EXPECT_EQ(debts[0].bucket, a);
  EXPECT_EQ(debts[0].amount, Atoms{400'000'000});  // 800 lots * 5,000 ticks * 100
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
  EXPECT_GE(d.risk.GetMargins(s).equity, 0);
}

TEST_F(AdlTest, PnlTimesLeverageRanksAWinnerBeforeALeveragedLoser) {
  Bankrupt();
  d.Begin();
  const BucketId loser = Short(11, 1'145 * kUsd, 500, 890'000);
  const BucketId winner = Short(12, 100'000 * kUsd, 1'000, 950'000);
  Crash();
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_EQ(legs.size(), 1u);  // the winner's 1,000 lots cover it all
  EXPECT_EQ(legs[0].counter_bucket, winner);
  EXPECT_LT(d.risk.AdlRank(loser, kBtc).score, 0);
}

TEST(AdlRankingTest, HyperliquidRanksTheLeveragedLoserFirst) {
  Driver d;
  SymbolConfig c = BtcConfig();
  c.risk.adl_ranking = AdlRanking::kHyperliquid;
  ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
  d.Mark(kBtc, 1'000'000);
  const BucketId maker = d.Deposit(100, 1'000'000'000 * kUsd);
  const BucketId a = d.Deposit(1, 10'000 * kUsd);
  d.Fill(a, maker, kBtc, 1'000'000, 1'000);
  d.Begin();
  auto short_at = [&](uint32_t account, int64_t deposit, int64_t lots, int64_t price) {
    EXPECT_EQ(d.risk.Deposit(AccountId{account}, MarginMode::kCross, kBtc, Atoms{deposit}),
              RejectReason::kNone);
    const BucketId b = d.risk.FindBucket(AccountId{account}, MarginMode::kCross, kBtc);
    d.risk.OnOrderRested(maker, kBtc, Side::kBuy, Price{price}, Qty{lots});
    d.risk.OnFill(TradeFill{kBtc, Price{price}, Qty{lots}, Side::kSell, maker, b});
    return b;
  };
  const BucketId loser = short_at(11, 1'145 * kUsd, 500, 890'000);
  const BucketId winner = short_at(12, 100'000 * kUsd, 1'000, 950'000);
  d.risk.OnMarkPrice(kBtc, Price{895'000});
  d.End();
  InvariantChecker checker(d.risk);
  const absl::Status s = checker.Check(d.events);
  ASSERT_TRUE(s.ok()) << s << "\n" << EventsText(d.events);
  const auto legs = EventsOf<AdlFill>(d.events);
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].counter_bucket, loser);
  // (890,000 / 895,000) x (44,750 / 895) = 0.99441340 x 50 (1e8 fixed point, floored).
  EXPECT_EQ(legs[0].score, 4'972'067'000);
  EXPECT_EQ(legs[1].counter_bucket, winner);
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
}

TEST(AdlRankingTest, PseudoRandomOrderIsReproducible) {
  auto run = [] {
    Driver d;
    SymbolConfig c = BtcConfig();
    c.risk.adl_ranking = AdlRanking::kPseudoRandom;
    EXPECT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
    d.Mark(kBtc, 1'000'000);
    const BucketId maker = d.Deposit(100, 1'000'000'000 * kUsd);
    const BucketId a = d.Deposit(1, 10'000 * kUsd);
    d.Fill(a, maker, kBtc, 1'000'000, 1'000);
    d.Begin();
    for (uint32_t i = 0; i < 10; ++i) {
      EXPECT_EQ(d.risk.Deposit(AccountId{10 + i}, MarginMode::kCross, kBtc, Atoms{10'000 * kUsd}),
                RejectReason::kNone);
      const BucketId b = d.risk.FindBucket(AccountId{10 + i}, MarginMode::kCross, kBtc);
      d.risk.OnOrderRested(maker, kBtc, Side::kBuy, Price{950'000}, Qty{150});
      d.risk.OnFill(TradeFill{kBtc, Price{950'000}, Qty{150}, Side::kSell, maker, b});
    }
    d.risk.OnMarkPrice(kBtc, Price{895'000});
    d.End();
    std::vector<uint32_t> order;
    for (const AdlFill& l : EventsOf<AdlFill>(d.events)) order.push_back(l.counter_bucket.value());
    return order;
  };
  const std::vector<uint32_t> first = run();
  EXPECT_EQ(first.size(), 7u);  // 1,000 lots from 150-lot shorts
  EXPECT_EQ(first, run());
  EXPECT_FALSE(std::is_sorted(first.begin(), first.end()));  // not simply by id
}

}  // namespace
}  // namespace cascade::risk
