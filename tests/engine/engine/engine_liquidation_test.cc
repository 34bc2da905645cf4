// The risk engine driven through the real order book: risk-model.md section 11's worked example,
// a gap through the bankruptcy price, and a multi-generation cascade, all via Engine::Apply.
#include <gtest/gtest.h>

#include <vector>

#include "engine/core/format.h"
#include "engine/engine.h"
#include "engine/risk/presets.h"

namespace cascade {
namespace {

constexpr int64_t kUsd = 1'000'000;  // atoms per USD
constexpr SymbolId kBtc{1};

SymbolConfig Btc() {
  SymbolConfig c;
  c.symbol = kBtc;
  c.tick_size_nanos = 100'000'000;  // $0.1
  c.lot_size_nanos = 1'000'000;     // 0.001 BTC => K = 100
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};
  c.max_order_qty = Qty{10'000'000};
  c.max_position_qty = Qty{100'000'000};
  c.market_protection_ticks = 1'000'000;
  risk::SetBinanceBtc2021Tiers(c.risk);
  c.risk.mark_mode = MarkMode::kExternal;
  c.risk.liquidation_fee = 500'000;  // 0.5%
  c.risk.order_policy = LiquidationOrderPolicy::kBankruptcy;
  c.risk.size_policy = LiquidationSizePolicy::kFull;
  return c;
}

class EngineLiquidation : public ::testing::Test {
 protected:
  std::vector<Event> Run(const CommandBody& body) {
    const auto events = engine_.Apply(Command{SeqNo(++seq_), Timestamp(seq_ * 1'000'000), body});
    std::vector<Event> out(events.begin(), events.end());
    for (const Event& e : out) log_ += ToText(e) + "\n";
    return out;
  }
  void Ok(const CommandBody& body) {
    for (const Event& e : Run(body)) {
      ASSERT_FALSE(std::holds_alternative<CommandRejected>(e.body)) << ToText(e) << "\n" << log_;
    }
  }
  static NewOrder Limit(uint32_t account, uint64_t id, Side side, int64_t price, int64_t qty,
                        TimeInForce tif = TimeInForce::kGtc) {
    NewOrder o;
    o.symbol = kBtc;
    o.account = AccountId(account);
    o.order_id = OrderId(id);
    o.side = side;
    o.tif = tif;
    o.price = Price(price);
    o.qty = Qty(qty);
    return o;
  }
  risk::Margins MarginsOf(uint32_t account) const {
    const BucketId b = engine_.risk().FindBucket(AccountId(account), MarginMode::kCross, kBtc);
    return engine_.risk().GetMargins(b);
  }
  risk::PositionView PositionOf(uint32_t account) const {
    const BucketId b = engine_.risk().FindBucket(AccountId(account), MarginMode::kCross, kBtc);
    return engine_.risk().GetPosition(b, kBtc);
  }
  template <typename T>
  static std::vector<T> Of(const std::vector<Event>& events) {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* t = std::get_if<T>(&e.body)) out.push_back(*t);
    }
    return out;
  }

  // Section 11 steps 1-2: A (account 1) is long 1,000 lots at 1,000,000 with 10,000 USD; the
  // seller (account 2) is well funded.
  void OpenWorkedExamplePosition() {
    Ok(ConfigureSymbol{Btc()});
    Ok(MarkPrice{kBtc, Price{1'000'000}});
    Ok(Deposit{AccountId(1), MarginMode::kCross, kBtc, Atoms{10'000 * kUsd}});
    Ok(Deposit{AccountId(2), MarginMode::kCross, kBtc, Atoms{1'000'000 * kUsd}});
    Ok(Deposit{AccountId(3), MarginMode::kCross, kBtc, Atoms{1'000'000 * kUsd}});
    Ok(Limit(2, 1, Side::kSell, 1'000'000, 1'000));
    Ok(Limit(1, 1, Side::kBuy, 1'000'000, 1'000, TimeInForce::kIoc));
    ASSERT_EQ(PositionOf(1).size.value(), 1'000);
  }

  Engine engine_;
  uint64_t seq_ = 0;
  std::string log_;
};

TEST_F(EngineLiquidation, WorkedExampleIocStopsWhenCompliantThroughTheRealBook) {
  OpenWorkedExamplePosition();
  // Step 4's bids, from a market maker.
  Ok(Limit(3, 1, Side::kBuy, 903'500, 300));
  Ok(Limit(3, 2, Side::kBuy, 902'000, 200));
  Ok(Limit(3, 3, Side::kBuy, 899'000, 400));
  // Step 2: at 904,021 A is safe; step 3: at 903,800 it is liquidatable.
  EXPECT_TRUE(Of<MarginCall>(Run(MarkPrice{kBtc, Price{904'021}})).empty()) << log_;
  const std::vector<Event> events = Run(MarkPrice{kBtc, Price{903'800}});

  const auto calls = Of<MarginCall>(events);
  ASSERT_EQ(calls.size(), 1u) << log_;
  EXPECT_EQ(calls[0].equity.value(), 380'000'000);
  EXPECT_EQ(calls[0].maintenance.value(), 401'900'000);
  const auto orders = Of<LiquidationOrder>(events);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].side, Side::kSell);
  EXPECT_EQ(orders[0].qty.value(), 1'000);
  EXPECT_EQ(orders[0].limit_price.value(), 900'000);
  EXPECT_EQ(orders[0].bankruptcy_quote.value(), 90'000'000'000);
  EXPECT_EQ(orders[0].round, 0u);

  // Trades print at the makers' prices, flagged as liquidations.
  const auto trades = Of<Trade>(events);
  ASSERT_EQ(trades.size(), 2u) << log_;
  EXPECT_TRUE(trades[0].liquidation);
  EXPECT_EQ(trades[0].price.value(), 903'500);
  EXPECT_EQ(trades[0].qty.value(), 300);
  EXPECT_EQ(trades[1].price.value(), 902'000);
  EXPECT_EQ(trades[1].qty.value(), 200);

  const auto fills = Of<LiquidationFill>(events);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].quote.value(), 27'105'000'000);
  EXPECT_EQ(fills[0].bankruptcy_share.value(), 27'000'000'000);
  EXPECT_EQ(fills[0].fee_to_fund.value(), 105'000'000);
  EXPECT_EQ(fills[1].quote.value(), 18'040'000'000);
  EXPECT_EQ(fills[1].bankruptcy_share.value(), 18'000'000'000);
  EXPECT_EQ(fills[1].fee_to_fund.value(), 40'000'000);

  // Compliant after 500 lots: stop (the 899,000 bid is untouched).
  EXPECT_EQ(PositionOf(1).size.value(), 500);
  const risk::Margins m = MarginsOf(1);
  EXPECT_EQ(static_cast<int64_t>(m.equity), 190'000'000);
  EXPECT_EQ(static_cast<int64_t>(m.maintenance), 180'760'000);
  const BucketId fund = engine_.risk().InsuranceFund(kBtc);
  EXPECT_EQ(engine_.risk().GetBucket(fund).quote.value(), 145'000'000);
  ASSERT_TRUE(engine_.BestBid(kBtc).has_value());
  EXPECT_EQ(engine_.BestBid(kBtc)->price.value(), 899'000);
  EXPECT_EQ(engine_.BestBid(kBtc)->qty.value(), 400);
}

TEST_F(EngineLiquidation, GapThroughBankruptcyFallsToTheInsuranceFund) {
  OpenWorkedExamplePosition();
  // The fund holds 1,000 USD: enough to take A over at 895,000 (step 5).
  Ok(Deposit{AccountId(UINT32_MAX), MarginMode::kCross, kBtc, Atoms{1'000 * kUsd}});
  Ok(Limit(3, 1, Side::kBuy, 899'000, 400));  // below the 900,000 limit: cannot fill
  const std::vector<Event> events = Run(MarkPrice{kBtc, Price{895'000}});
  EXPECT_TRUE(Of<Trade>(events).empty()) << log_;
  const auto takeovers = Of<Takeover>(events);
  ASSERT_EQ(takeovers.size(), 1u) << log_;
  EXPECT_EQ(takeovers[0].qty.value(), 1'000);
  EXPECT_EQ(PositionOf(1).size.value(), 0);
  const BucketId fund = engine_.risk().InsuranceFund(kBtc);
  EXPECT_EQ(engine_.risk().GetPosition(fund, kBtc).size.value(), 1'000);
  // The resting bid is still there: liquidation did not trade through its limit.
  EXPECT_EQ(engine_.BestBid(kBtc)->qty.value(), 400);
}

TEST_F(EngineLiquidation, LiquidatedBucketsRestingOrdersAreCancelledFirst) {
  OpenWorkedExamplePosition();
  Ok(Limit(1, 2, Side::kSell, 1'100'000, 10));  // A's own take-profit, far away
  Ok(Limit(3, 1, Side::kBuy, 903'500, 1'000));
  const std::vector<Event> events = Run(MarkPrice{kBtc, Price{903'800}});
  const auto cancels = Of<OrderCancelled>(events);
  ASSERT_EQ(cancels.size(), 1u) << log_;
  EXPECT_EQ(cancels[0].account.value(), 1u);
  EXPECT_EQ(cancels[0].reason, CancelReason::kLiquidation);
  EXPECT_EQ(engine_.Order(AccountId(1), OrderId(2)).status, OrderStatus::kUnknown);
}

TEST_F(EngineLiquidation, OrdersThatWouldBreachInitialMarginAreRejected) {
  OpenWorkedExamplePosition();
  Ok(Deposit{AccountId(4), MarginMode::kCross, kBtc, Atoms{100 * kUsd}});
  // 100 USD at 125x supports at most ~12,500 USD of notional: 0.2 BTC at 100,000 needs 160 USD.
  const auto events = Run(Limit(4, 1, Side::kBuy, 999'000, 200));
  const auto rejects = Of<CommandRejected>(events);
  ASSERT_EQ(rejects.size(), 1u) << log_;
  EXPECT_EQ(rejects[0].reason, RejectReason::kInsufficientMargin);
  EXPECT_EQ(static_cast<int>(rejects[0].reason) / 100, 2);  // risk band
  Ok(Limit(4, 2, Side::kBuy, 999'000, 100));                // 80 USD of IM: fits
}

}  // namespace
}  // namespace cascade
