#include "engine/risk/risk_engine.h"

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

class RiskEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SymbolConfig c = BtcConfig();
    c.risk.maker_fee = -10'000;  // -0.01% rebate
    c.risk.taker_fee = 40'000;   // 0.04%
    ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
    d.Mark(kBtc, 1'000'000);
  }
  Driver d;
};

TEST_F(RiskEngineTest, BucketIdsFollowFirstAppearance) {
  EXPECT_EQ(d.risk.FeePool(), BucketId{0});
  EXPECT_EQ(d.risk.InsuranceFund(kBtc), BucketId{1});
  EXPECT_EQ(d.Deposit(7, 10 * kUsd), BucketId{2});
  EXPECT_EQ(d.Deposit(3, 10 * kUsd, MarginMode::kIsolated, kBtc), BucketId{3});
  EXPECT_EQ(d.Deposit(3, 10 * kUsd), BucketId{4});
  EXPECT_EQ(d.Deposit(7, 5 * kUsd), BucketId{2});
  EXPECT_EQ(d.risk.GetBucket(BucketId{2}).quote, Atoms{15 * kUsd});
  EXPECT_EQ(d.risk.GetBucket(BucketId{3}).mode, MarginMode::kIsolated);
  EXPECT_EQ(d.risk.GetBucket(BucketId{1}).kind, BucketKind::kInsuranceFund);
}

TEST_F(RiskEngineTest, DepositEmitsBalanceChangedAndRejectsBadAmounts) {
  d.Begin();
  EXPECT_EQ(d.risk.Deposit(AccountId{1}, MarginMode::kCross, kBtc, Atoms{0}),
            RejectReason::kInvalidAmount);
  EXPECT_EQ(d.risk.Deposit(AccountId{1}, MarginMode::kIsolated, SymbolId{5}, Atoms{1}),
            RejectReason::kUnknownSymbol);
  EXPECT_EQ(d.risk.Deposit(AccountId{1}, MarginMode::kCross, kBtc, Atoms{42}), RejectReason::kNone);
  const auto changes = EventsOf<BalanceChanged>(d.events);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].amount, Atoms{42});
  EXPECT_EQ(changes[0].quote_after, Atoms{42});
}

TEST_F(RiskEngineTest, FillMovesCashSizeAndFeesAndConservesMoney) {
  const BucketId taker = d.Deposit(1, 10'000 * kUsd);
  const BucketId maker = d.Deposit(2, 10'000 * kUsd);
  d.Fill(taker, maker, kBtc, 1'000'000, 100);            // taker buys 0.1 BTC at 100,000
  const int64_t quote = int64_t{100} * 1'000'000 * 100;  // 1e10 atoms
  const int64_t taker_fee = quote * 40'000 / 100'000'000;
  const int64_t rebate = quote * 10'000 / 100'000'000;
  EXPECT_EQ(d.risk.GetPosition(taker, kBtc).size, Qty{100});
  EXPECT_EQ(d.risk.GetPosition(maker, kBtc).size, Qty{-100});
  EXPECT_EQ(d.risk.GetBucket(taker).quote, Atoms{10'000 * kUsd - quote - taker_fee});
  EXPECT_EQ(d.risk.GetBucket(maker).quote, Atoms{10'000 * kUsd + quote + rebate});
  EXPECT_EQ(d.risk.GetBucket(d.risk.FeePool()).quote, Atoms{taker_fee - rebate});
  EXPECT_EQ(d.risk.GetPosition(taker, kBtc).cost, Atoms{quote});
  InvariantChecker checker(d.risk);
  EXPECT_TRUE(checker.Check(d.events).ok()) << checker.Check(d.events);
}

TEST_F(RiskEngineTest, FeesRoundUpAndRebatesRoundDown) {
  const BucketId taker = d.Deposit(1, 10'000 * kUsd);
  const BucketId maker = d.Deposit(2, 10'000 * kUsd);
  d.Fill(taker, maker, kBtc, 333, 1);  // quote 33,300 atoms: fee 13.32 -> 14, rebate 3.33 -> 3
  EXPECT_EQ(d.risk.GetBucket(d.risk.FeePool()).quote, Atoms{14 - 3});
}

TEST_F(RiskEngineTest, CostIsReducedProportionallyAndResetOnFlip) {
  const BucketId a = d.Deposit(1, 100'000 * kUsd);
  const BucketId b = d.Deposit(2, 100'000 * kUsd);
  d.Fill(a, b, kBtc, 1'000'000, 100);
  d.Fill(a, b, kBtc, 1'100'000, 100);  // entry 1,050,000
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).cost, Atoms{200LL * 1'050'000 * 100});
  d.Fill(a, b, kBtc, 900'000, -50);  // sell a quarter: cost keeps the entry price
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).cost, Atoms{150LL * 1'050'000 * 100});
  d.Fill(a, b, kBtc, 950'000, -200);  // flip to short 50 at 950,000
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{-50});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).cost, Atoms{-50LL * 950'000 * 100});
}

TEST_F(RiskEngineTest, WithdrawalBelowInitialMarginIsRejected) {
  const BucketId a = d.Deposit(1, 10'000 * kUsd);
  const BucketId m = d.Deposit(2, 1'000'000 * kUsd);
  d.Fill(a, m, kBtc, 1'000'000, 1'000);  // 100k USD notional: tier 1, IM 1% = 1,000 USD
  const Margins margins = d.risk.GetMargins(a);
  EXPECT_EQ(margins.initial, 1'000 * kUsd);
  const int64_t equity = static_cast<int64_t>(margins.equity);
  d.Begin();
  EXPECT_EQ(d.risk.Withdraw(AccountId{1}, MarginMode::kCross, kBtc, Atoms{equity + 1}),
            RejectReason::kInsufficientCash);
  EXPECT_EQ(
      d.risk.Withdraw(AccountId{1}, MarginMode::kCross, kBtc, Atoms{equity - 1'000 * kUsd + 1}),
      RejectReason::kWithdrawalBelowInitialMargin);
  EXPECT_EQ(d.risk.Withdraw(AccountId{1}, MarginMode::kCross, kBtc, Atoms{equity - 1'000 * kUsd}),
            RejectReason::kNone);
  EXPECT_EQ(d.risk.Withdraw(AccountId{9}, MarginMode::kCross, kBtc, Atoms{1}),
            RejectReason::kUnknownBucket);
  d.End();
  InvariantChecker checker(d.risk);
  EXPECT_TRUE(checker.Check(d.events).ok()) << checker.Check(d.events);
}

TEST_F(RiskEngineTest, LeverageRaisesInitialMarginAndIsRefusedWhenUnaffordable) {
  const BucketId a = d.Deposit(1, 10'000 * kUsd);
  const BucketId m = d.Deposit(2, 1'000'000 * kUsd);
  d.Fill(a, m, kBtc, 1'000'000, 1'000);
  d.Begin();
  EXPECT_EQ(d.risk.SetLeverage(AccountId{1}, MarginMode::kCross, kBtc, 126),
            RejectReason::kLeverageTooHighForPosition);
  EXPECT_EQ(d.risk.SetLeverage(AccountId{1}, MarginMode::kCross, kBtc, 20), RejectReason::kNone);
  EXPECT_EQ(d.risk.GetMargins(a).initial, 5'000 * kUsd);
  EXPECT_EQ(d.risk.SetLeverage(AccountId{1}, MarginMode::kCross, kBtc, 5),
            RejectReason::kInsufficientMargin);  // 20,000 USD IM on 10,000 USD
  EXPECT_EQ(d.risk.GetBucket(a).leverage, 20u);
  EXPECT_EQ(EventsOf<LeverageSet>(d.events).size(), 1u);
  d.End();
}

TEST_F(RiskEngineTest, OrderCheckCountsOpenOrdersAndReduceOnly) {
  const BucketId a = d.Deposit(1, 1'000 * kUsd);
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kBuy, Price{1'000'000}, Qty{500}};
  // 50,000 USD at 0.8% = 400 USD IM, plus 20 USD taker fee: fits in 1,000 USD.
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kNone);
  EXPECT_EQ(d.risk.CheckOrder(o).bucket, a);
  d.risk.OnOrderRested(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500});
  // A second one doubles the buy side: 100,000 USD in tier 1 at 1% = 1,000 USD.
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kInsufficientMargin);
  // A sell of the same size does not raise max(buy, sell): not risk-increasing.
  o.side = Side::kSell;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kNone);
  o.reduce_only = true;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kReduceOnlyWouldIncrease);
  o.account = AccountId{99};
  o.reduce_only = false;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kInsufficientMargin);
  d.risk.OnOrderRemoved(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).open_buy, Atoms{0});
}

TEST_F(RiskEngineTest, ReduceOnlyPassesWithoutMarginAndNeverFlips) {
  const BucketId a = d.Deposit(1, 1'000 * kUsd);
  const BucketId m = d.Deposit(2, 1'000'000 * kUsd);
  d.Fill(a, m, kBtc, 1'000'000, 100);
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kSell, Price{1'000'000}, Qty{100}};
  o.reduce_only = true;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kNone);
  o.qty = Qty{101};
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kReduceOnlyWouldIncrease);
  o.side = Side::kBuy;
  o.qty = Qty{1};
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kReduceOnlyWouldIncrease);
}

TEST_F(RiskEngineTest, MakerRecheckCancelsAMakerThatCanNoLongerAffordItsFill) {
  const BucketId a = d.Deposit(1, 500 * kUsd);
  // 500 lots at 1,000,000 = 50,000 USD: 400 USD IM, accepted at entry.
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kBuy, Price{1'000'000}, Qty{500}};
  ASSERT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kNone);
  d.risk.OnOrderRested(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500});
  d.Mark(kBtc, 999'000);  // buying at 1,000,000 now costs 50 USD of equity: 450 >= 400
  EXPECT_EQ(d.risk.MakerRecheck(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500}, false),
            RejectReason::kNone);
  d.Mark(kBtc, 990'000);  // now 500 USD: the fill would leave it below IM
  EXPECT_EQ(d.risk.MakerRecheck(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500}, false),
            RejectReason::kInsufficientMargin);
  EXPECT_EQ(d.risk.MakerRecheck(a, kBtc, Side::kBuy, Price{1'000'000}, Qty{500}, true),
            RejectReason::kReduceOnlyWouldIncrease);
}

TEST_F(RiskEngineTest, OverflowGuardsAtMaximumPositionAndPrice) {
  const BucketId a = d.Deposit(1, 1'000'000'000 * kUsd);
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc,
                Side::kBuy,   Price{100'000'000}, Qty{100'000'001}};
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kPositionLimit);
  o.qty = Qty{100'000'000};
  EXPECT_EQ(d.risk.CheckOrder(o).bucket, a);
  EXPECT_NE(d.risk.CheckOrder(o).reason, RejectReason::kNone);  // 1e18 atoms: no margin for it
}

TEST_F(RiskEngineTest, NoOverflowAtMaximumPositionAndPriceThroughLiquidation) {
  // 1e8 lots at 1e8 ticks, K = 100: 1e18 atoms, the largest notional the config admits.
  const int64_t max_lots = 100'000'000;
  const int64_t max_price = 100'000'000;
  d.Mark(kBtc, max_price);
  const BucketId whale = d.Deposit(1, 600'000'000'000'000'000);  // 6e17 atoms
  const BucketId other = d.Deposit(2, 2'000'000'000'000'000'000);
  d.Deposit(kSystemAccount.value(), 4'000'000'000'000'000'000);
  d.Fill(whale, other, kBtc, max_price, max_lots);
  EXPECT_EQ(d.risk.GetPosition(whale, kBtc).size, Qty{max_lots});
  const auto trigger = d.risk.LiquidationPrice(whale, kBtc);
  ASSERT_TRUE(trigger.has_value());
  EXPECT_GT(trigger->value(), 0);
  EXPECT_LT(trigger->value(), max_price);
  EXPECT_GT(d.risk.LiquidationPrice(other, kBtc)->value(), max_price);  // out of reach
  InvariantChecker checker(d.risk);
  d.Mark(kBtc, trigger->value());
  const absl::Status s = checker.Check(d.events);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(d.last.liquidations, 1u);
  EXPECT_EQ(d.risk.GetPosition(whale, kBtc).size, Qty{0});
  d.Mark(kBtc, 1);  // the other side at the minimum price
  EXPECT_TRUE(checker.Check(d.events).ok()) << checker.Check(d.events);
}

}  // namespace
}  // namespace cascade::risk
