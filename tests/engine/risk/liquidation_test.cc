#include <gtest/gtest.h>

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
constexpr SymbolId kEth{2};
constexpr int64_t kSecond = 1'000'000'000;

SymbolConfig EthConfig() {
  SymbolConfig c = BtcConfig(kEth);
  c.tick_size_nanos = 10'000'000;  // 0.01 USD
  c.lot_size_nanos = 10'000'000;   // 0.01 ETH: K = 100
  return c;
}

class LiquidationTest : public ::testing::Test {
 protected:
  void Configure(SymbolConfig c) { ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone); }
  void Start(SymbolConfig c = BtcConfig()) {
    Configure(c);
    d.Mark(kBtc, 1'000'000);
    maker = d.Deposit(100, 100'000'000 * kUsd);
  }
  BucketId Long(uint32_t account, int64_t deposit, int64_t lots, int64_t price = 1'000'000,
                MarginMode mode = MarginMode::kCross, SymbolId symbol = kBtc) {
    const BucketId b = d.Deposit(account, deposit, mode, symbol);
    d.Fill(b, maker, symbol, price, lots);
    return b;
  }
  void Check() {
    const absl::Status s = checker.Check(d.events);
    ASSERT_TRUE(s.ok()) << s << "\n" << EventsText(d.events);
  }

  Driver d;
  InvariantChecker checker{d.risk};
  BucketId maker;
};

// Generation g's liquidation sells into the book; through the index coupling (lambda) that moves
// the oracle mark below generation g+1's trigger and no further: the depth is known in advance.
TEST(LiquidationCascadeTest, ThroughIndexCouplingReportsKnownDepthAndReplaysIdentically) {
  auto run = [](std::vector<Event>* out) {
    Driver d;
    SymbolConfig c = BtcConfig();
    c.risk.mark_mode = MarkMode::kOracle;
    c.risk.index_impact_lambda = 12'000'000;  // ~12,000 ticks per 1,000 lots sold
    EXPECT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
    d.Begin(0);
    d.risk.OnIndexPrice(kBtc, Price{1'000'000});
    d.End();
    const BucketId maker = d.Deposit(100, 100'000'000 * kUsd);
    const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
    constexpr int kDepth = 5;
    std::vector<BucketId> gens;
    for (int g = 0; g < kDepth; ++g) {
      const int64_t trigger = 990'000 - 10'000 * g;
      // Tier 1 (MMR 0.5%, cum 50 USD): deposit that puts the trigger at `trigger`.
      const int64_t deposit = 100'000'000'000 - 50'000'000 - trigger * 99'500;
      const BucketId b = d.Deposit(10 + static_cast<uint32_t>(g), deposit);
      d.Fill(b, maker, kBtc, 1'000'000, 1'000);
      const int64_t at = d.risk.LiquidationPrice(b, kBtc)->value();
      EXPECT_TRUE(at == trigger || at == trigger - 1) << at;  // MM rounds up
      d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{trigger - 500}, Qty{1'000});
      gens.push_back(b);
    }
    InvariantChecker checker(d.risk);
    d.Begin(kSecond);
    d.risk.OnIndexPrice(kBtc, Price{989'000});
    const SweepResult r = d.End();
    EXPECT_TRUE(checker.Check(d.events).ok()) << checker.Check(d.events);
    EXPECT_EQ(r.depth, static_cast<uint32_t>(kDepth));
    EXPECT_EQ(r.liquidations, static_cast<uint32_t>(kDepth));
    const auto calls = EventsOf<MarginCall>(d.events);
    EXPECT_EQ(calls.size(), static_cast<size_t>(kDepth));
    for (size_t g = 0; g < calls.size(); ++g) {
      EXPECT_EQ(calls[g].bucket, gens[g]);
      EXPECT_EQ(calls[g].round, g);
    }
    EXPECT_LT(d.risk.Mark(kBtc), Price{940'000});
    *out = d.all;
  };
  std::vector<Event> first;
  std::vector<Event> second;
  run(&first);
  run(&second);
  EXPECT_EQ(EventsText(first), EventsText(second));
}

TEST_F(LiquidationTest, EmptyBookGoesStraightToTheFund) {
  Start();
  const BucketId a = Long(1, 10'000 * kUsd, 1'000);
  const BucketId fund = d.Deposit(kSystemAccount.value(), 10'000 * kUsd);
  d.Mark(kBtc, 900'000);
  Check();
  EXPECT_EQ(EventsOf<LiquidationOrder>(d.events).size(), 1u);
  EXPECT_EQ(EventsOf<Takeover>(d.events).size(), 1u);
  EXPECT_EQ(d.risk.GetPosition(fund, kBtc).size, Qty{1'000});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
}

TEST_F(LiquidationTest, OwnRestingOrdersAreCancelledBeforeTheIocAndNeverMatched) {
  Start();
  const BucketId a = Long(1, 10'000 * kUsd, 1'000);
  // A's own bid above the bankruptcy price: matching it would be self-liquidation.
  d.venue.Rest(a, AccountId{1}, kBtc, Side::kBuy, Price{903'000}, Qty{100});
  const BucketId bidder = d.Deposit(200, 10'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{901'000}, Qty{1'000});
  d.Deposit(kSystemAccount.value(), 10'000 * kUsd);
  d.Mark(kBtc, 903'800);
  Check();
  const auto cancels = EventsOf<OrderCancelled>(d.events);
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_EQ(cancels[0].account, AccountId{1});
  EXPECT_EQ(cancels[0].reason, CancelReason::kLiquidation);
  for (const Trade& t : EventsOf<Trade>(d.events)) EXPECT_NE(t.maker_account, AccountId{1});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).open_buy, Atoms{0});
}

TEST_F(LiquidationTest, BucketWithOrdersButNoPositionIsNeverLiquidated) {
  Start();
  const BucketId a = d.Deposit(1, 1'000 * kUsd);
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kBuy, Price{990'000}, Qty{1'000}};
  ASSERT_EQ(d.venue.Submit(o, false), RejectReason::kNone);
  d.Mark(kBtc, 500'000);
  Check();
  EXPECT_TRUE(EventsOf<MarginCall>(d.events).empty());
  EXPECT_EQ(d.venue.Orders(kBtc, Side::kBuy), 1u);
  EXPECT_GT(d.risk.GetPosition(a, kBtc).open_buy, Atoms{0});
}

TEST_F(LiquidationTest, FundingMakesABucketLiquidatableInRoundZero) {
  Start();
  const BucketId a = Long(1, 1'000 * kUsd, 1'000);  // 100k USD on 1,000 USD: MM 450 USD
  d.Deposit(kSystemAccount.value(), 100'000 * kUsd);
  EXPECT_FALSE(d.risk.IsLiquidatable(a));
  d.Begin();
  ASSERT_EQ(d.risk.OnFundingRate(kBtc, 1'000'000), RejectReason::kNone);  // 1%: longs pay 1,000
  const SweepResult r = d.End();
  Check();
  const auto payments = EventsOf<FundingPayment>(d.events);
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].paid_by_payers, Atoms{1'000 * kUsd});
  EXPECT_EQ(payments[0].residual_to_fund, Atoms{0});
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].bucket, a);
  EXPECT_EQ(calls[0].round, 0u);
  EXPECT_EQ(r.depth, 1u);
}

SymbolConfig HyperliquidLike() {
  SymbolConfig c = BtcConfig();
  c.risk.order_policy = LiquidationOrderPolicy::kMarkBand;
  c.risk.mark_band = 5'000'000;  // 5%
  c.risk.liquidation_fee = 0;
  c.risk.size_policy = LiquidationSizePolicy::kPartial;
  c.risk.partial_threshold = Atoms{100'000 * kUsd};
  c.risk.partial_fraction = 20'000'000;
  c.risk.partial_cooldown_ns = 30 * kSecond;
  c.risk.backstop_threshold = 66'666'667;
  c.risk.adl_ranking = AdlRanking::kHyperliquid;
  return c;
}

TEST_F(LiquidationTest, PartialLiquidationWithCooldownAndRefusalsWhileWaiting) {
  Start(HyperliquidLike());
  // 2,000 lots = 200k USD (tier 1) on 2,000 USD: liquidatable below 994,723.
  const BucketId a = Long(1, 2'000 * kUsd, 2'000);
  const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{990'000}, Qty{10'000});
  d.Begin(10 * kSecond);
  d.risk.OnMarkPrice(kBtc, Price{994'000});  // equity 800 USD: above 2/3 of MM (944 USD)
  d.End();
  Check();
  auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].qty, Qty{400});                       // 20%
  EXPECT_EQ(orders[0].limit_price, Price{944'300});         // mark * 95%, rounded up
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{1'600});  // filled at 990,000
  ASSERT_TRUE(d.risk.IsLiquidatable(a));
  EXPECT_TRUE(d.risk.GetBucket(a).in_retry);
  EXPECT_TRUE(d.risk.GetBucket(a).in_liquidation);
  // While it waits: no withdrawal, no new risk, reduce-only IOC still fine.
  d.Begin(11 * kSecond);
  EXPECT_EQ(d.risk.Withdraw(AccountId{1}, MarginMode::kCross, kBtc, Atoms{1}),
            RejectReason::kBucketInLiquidation);
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kBuy, Price{994'000}, Qty{1}};
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kBucketInLiquidation);
  o.side = Side::kSell;
  o.reduce_only = true;
  o.may_rest = false;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kNone);
  o.may_rest = true;
  EXPECT_EQ(d.risk.CheckOrder(o).reason, RejectReason::kBucketInLiquidation);
  d.End();
  // Still in cooldown: no new order, the original generation is kept.
  EXPECT_TRUE(EventsOf<LiquidationOrder>(d.events).empty());
  Check();
  // After 30 s the next 20% of what is left goes to the book.
  d.Begin(41 * kSecond);
  d.End();
  Check();
  orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].qty, Qty{320});
  EXPECT_EQ(orders[0].round, 0u);
}

TEST_F(LiquidationTest, BackstopBelowTwoThirdsOfMaintenance) {
  Start(HyperliquidLike());
  const BucketId a = Long(1, 2'000 * kUsd, 2'000);
  const BucketId fund = d.Deposit(kSystemAccount.value(), 1'000'000 * kUsd);
  d.Mark(kBtc, 990'000);  // equity 0 < 2/3 MM: the vault takes it, no book order sent first
  Check();
  EXPECT_EQ(EventsOf<Takeover>(d.events).size(), 1u);
  EXPECT_EQ(d.risk.GetPosition(fund, kBtc).size, Qty{2'000});
  EXPECT_EQ(d.risk.GetPosition(a, kBtc).size, Qty{0});
}

TEST_F(LiquidationTest, MarkBandFillsBelowBankruptcyAreCoveredByTheFund) {
  SymbolConfig c = HyperliquidLike();
  c.risk.size_policy = LiquidationSizePolicy::kFull;
  Start(c);
  const BucketId a = Long(1, 1'000 * kUsd, 1'000);  // bankruptcy price 990,000
  const BucketId fund = d.Deposit(kSystemAccount.value(), 1'000'000 * kUsd);
  const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{989'000}, Qty{1'000});
  d.Mark(kBtc, 993'000);
  Check();
  const auto fills = EventsOf<LiquidationFill>(d.events);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].bankruptcy_share, Atoms{99'000'000'000});
  EXPECT_EQ(fills[0].fund_paid, Atoms{100'000'000});  // 1,000 lots * 1,000 ticks * 100
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
  EXPECT_EQ(d.risk.GetBucket(fund).quote, Atoms{1'000'000 * kUsd - 100'000'000});
}

TEST_F(LiquidationTest, TierStepDownSendsTheSmallestSizeThatRestoresCompliance) {
  SymbolConfig c = BtcConfig();
  c.risk.size_policy = LiquidationSizePolicy::kTierStepDown;
  c.risk.liquidation_fee = 100'000;  // 0.1%, below tier 2's MMR so that stepping down helps
  Start(c);
  // 5,000 lots = 500k USD (tier 2, MMR 1%): 5,500 USD of equity.
  const BucketId a = Long(1, 5'500 * kUsd, 5'000);
  const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{999'000}, Qty{10'000});
  d.Mark(kBtc, 996'000);  // equity 3,500 USD < MM 3,680 USD
  Check();
  const auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  // 3,500 - 99.6 q USD >= 996 (5,000 - q) - 1,300 USD first holds at q = 201.
  EXPECT_EQ(orders[0].qty, Qty{201});
  EXPECT_EQ(orders[0].limit_price, Price{989'000});
  const Margins after = d.risk.GetMargins(a);
  EXPECT_GE(after.equity, after.maintenance);
  EXPECT_FALSE(d.risk.GetBucket(a).in_liquidation);
}

TEST_F(LiquidationTest, IsolatedLiquidationLeavesTheCrossBucketUntouched) {
  Start();
  const BucketId cross = Long(1, 50'000 * kUsd, 100);
  d.venue.Rest(cross, AccountId{1}, kBtc, Side::kSell, Price{1'100'000}, Qty{50});
  const BucketId iso = Long(1, 1'000 * kUsd, 1'000, 1'000'000, MarginMode::kIsolated);
  ASSERT_NE(cross, iso);
  const Atoms cross_quote = d.risk.GetBucket(cross).quote;
  d.Deposit(kSystemAccount.value(), 100'000 * kUsd);
  d.Mark(kBtc, 994'000);
  Check();
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].bucket, iso);
  EXPECT_EQ(d.risk.GetBucket(cross).quote, cross_quote);
  EXPECT_EQ(d.risk.GetPosition(cross, kBtc).size, Qty{100});
  EXPECT_EQ(d.venue.Orders(kBtc, Side::kSell), 1u);  // the cross bucket's order still rests
  EXPECT_EQ(d.risk.GetPosition(iso, kBtc).size, Qty{0});
}

TEST_F(LiquidationTest, OtherTierVectorsWhaleLongAndShort) {
  Start();
  const BucketId whale = Long(1, 1'500'000 * kUsd, 150'000);  // 15M USD: tier 4
  EXPECT_EQ(d.risk.LiquidationPrice(whale, kBtc), Price{928'680});
  const BucketId b = d.Deposit(2, 100'000 * kUsd);
  d.Fill(b, maker, kBtc, 1'000'000, -20'000);  // 2M USD short: tier 3
  EXPECT_EQ(d.risk.LiquidationPrice(b, kBtc), Price{1'032'342});
  d.Mark(kBtc, 928'681);
  EXPECT_EQ(d.risk.GetMargins(whale).equity, 430'215'000'000);
  EXPECT_EQ(d.risk.GetMargins(whale).maintenance, 430'210'750'000);
  d.Deposit(kSystemAccount.value(), 100'000'000 * kUsd);
  d.Mark(kBtc, 928'680);
  Check();
  auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].equity, Atoms{430'200'000'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{430'210'000'000});
  auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].limit_price, Price{900'000});
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{13'500'000'000'000});
  d.Mark(kBtc, 1'032'341);
  EXPECT_TRUE(EventsOf<MarginCall>(d.events).empty());
  EXPECT_EQ(d.risk.GetMargins(b).equity, 35'318'000'000);
  d.Mark(kBtc, 1'032'342);
  Check();
  calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].bucket, b);
  EXPECT_EQ(calls[0].equity, Atoms{35'316'000'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{35'317'100'000});
  orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].limit_price, Price{1'050'000});
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{-2'100'000'000'000});
}

TEST_F(LiquidationTest, CrossBucketWithTwoSymbolsVectors) {
  Start();
  Configure(EthConfig());
  d.Mark(kEth, 30'000);
  const BucketId c = d.Deposit(1, 20'000 * kUsd);
  d.Fill(c, maker, kBtc, 1'000'000, 1'000);
  d.Fill(c, maker, kEth, 30'000, -10'000);
  EXPECT_EQ(d.risk.GetBucket(c).quote, Atoms{-50'000'000'000});
  EXPECT_EQ(d.risk.LiquidationPrice(c, kBtc), Price{804'723});
  EXPECT_EQ(d.risk.LiquidationPrice(c, kEth), Price{49'353});
  d.Mark(kEth, 31'000);  // the BTC entry is re-keyed by the ETH move
  EXPECT_EQ(d.risk.LiquidationPrice(c, kBtc), Price{814'814});
  const BucketId fund = d.Deposit(kSystemAccount.value(), 1'000'000 * kUsd);
  d.Mark(kBtc, 814'815);
  EXPECT_TRUE(EventsOf<MarginCall>(d.events).empty());
  d.Mark(kBtc, 814'814);
  Check();
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].symbol, kBtc);  // the larger MM_pos
  EXPECT_EQ(calls[0].equity, Atoms{481'400'000});
  EXPECT_EQ(calls[0].maintenance, Atoms{481'407'000});
  const auto orders = EventsOf<LiquidationOrder>(d.events);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].symbol, kBtc);
  EXPECT_EQ(orders[0].bankruptcy_quote, Atoms{81'123'998'197});
  EXPECT_EQ(orders[0].limit_price, Price{811'240});
  // After the BTC takeover Equity/MM is unchanged, so ETH follows (step 8).
  EXPECT_EQ(orders[1].symbol, kEth);
  EXPECT_EQ(orders[1].bankruptcy_quote, Atoms{-31'123'998'197});
  EXPECT_EQ(orders[1].limit_price, Price{31'123});
  const auto takeovers = EventsOf<Takeover>(d.events);
  ASSERT_EQ(takeovers.size(), 2u);
  EXPECT_EQ(d.risk.GetBucket(c).quote, Atoms{0});
  EXPECT_EQ(d.risk.GetPosition(fund, kBtc).size, Qty{1'000});
  EXPECT_EQ(d.risk.GetPosition(fund, kEth).size, Qty{-10'000});
}

TEST_F(LiquidationTest, CrossBucketIsLiquidatedByItsOtherSymbolsMove) {
  Start();
  Configure(EthConfig());
  d.Mark(kEth, 30'000);
  const BucketId c = d.Deposit(1, 20'000 * kUsd);
  d.Fill(c, maker, kBtc, 1'000'000, 1'000);
  d.Fill(c, maker, kEth, 30'000, -10'000);
  d.Deposit(kSystemAccount.value(), 1'000'000 * kUsd);
  d.Mark(kEth, 49'352);  // BTC unchanged: the ETH short alone takes it to the edge
  EXPECT_TRUE(EventsOf<MarginCall>(d.events).empty());
  EXPECT_FALSE(d.risk.IsLiquidatable(c));
  d.Mark(kEth, 49'353);
  Check();
  const auto calls = EventsOf<MarginCall>(d.events);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].bucket, c);
  EXPECT_EQ(calls[0].symbol, kBtc);  // found through ETH, but BTC carries the larger MM
  EXPECT_EQ(d.risk.GetPosition(c, kEth).size, Qty{0});
}

TEST_F(LiquidationTest, NegativeBalanceLeftByOwnClosingTradeIsBadDebt) {
  Start();
  const BucketId a = Long(1, 1'000 * kUsd, 1'000);
  const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{980'000}, Qty{1'000});
  d.Begin();
  OrderIntent o{AccountId{1}, MarginMode::kCross, kBtc, Side::kSell, Price{980'000}, Qty{1'000}};
  o.reduce_only = true;
  ASSERT_EQ(d.venue.Submit(o, true), RejectReason::kNone);  // sells 2% below the mark
  d.End();
  Check();
  const auto debts = EventsOf<BadDebt>(d.events);
  ASSERT_EQ(debts.size(), 1u);
  EXPECT_EQ(debts[0].bucket, a);
  EXPECT_EQ(debts[0].amount, Atoms{1'000 * kUsd});
  EXPECT_EQ(d.risk.GetBucket(a).quote, Atoms{0});
}

TEST_F(LiquidationTest, MakerRecheckCancelsDuringLiquidationAndMatchingContinues) {
  Start();
  Long(1, 10'000 * kUsd, 1'000);
  const BucketId poor = d.Deposit(300, 10 * kUsd);  // cannot afford the 300-lot fill
  d.venue.Rest(poor, AccountId{300}, kBtc, Side::kBuy, Price{903'500}, Qty{300});
  const BucketId bidder = d.Deposit(200, 100'000'000 * kUsd);
  d.venue.Rest(bidder, AccountId{200}, kBtc, Side::kBuy, Price{902'000}, Qty{1'000});
  d.Mark(kBtc, 903'800);
  Check();
  const auto cancels = EventsOf<OrderCancelled>(d.events);
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_EQ(cancels[0].reason, CancelReason::kMarginRecheck);
  const auto fills = EventsOf<LiquidationFill>(d.events);
  ASSERT_FALSE(fills.empty());
  EXPECT_EQ(fills[0].price, Price{902'000});
}

}  // namespace
}  // namespace cascade::risk
