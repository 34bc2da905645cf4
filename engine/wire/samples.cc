#include "engine/wire/samples.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace cascade::wire {
namespace {

constexpr int64_t kUsdt = 1'000'000;  // atoms per USDT

template <size_t N>
void CopyText(std::array<char, N>& out, std::string_view text) {
  out.fill('\0');
  std::memcpy(out.data(), text.data(), std::min(text.size(), N));
}

}  // namespace

SymbolConfig BinanceBtcPerp() {
  SymbolConfig c;
  c.symbol = SymbolId(1);
  CopyText(c.name, "BTC-PERP");
  c.tick_size_nanos = 100'000'000;  // $0.1
  c.lot_size_nanos = 1'000'000;     // 0.001 BTC
  c.min_price = Price(1);
  c.max_price = Price(10'000'000);  // $1,000,000.0
  c.max_order_qty = Qty(1'000'000);
  c.max_position_qty = Qty(10'000'000);
  c.market_protection_ticks = 5'000;

  // notional floor (USDT), MMR, IMR; rates at 1e8 scale (0.40% = 400,000).
  struct Bracket {
    int64_t floor_usdt;
    int64_t mmr;
    int64_t imr;
  };
  constexpr Bracket kBrackets[] = {
      {0, 400'000, 800'000},
      {50'000, 500'000, 1'000'000},
      {250'000, 1'000'000, 2'000'000},
      {1'000'000, 2'500'000, 5'000'000},
      {10'000'000, 5'000'000, 10'000'000},
      {20'000'000, 10'000'000, 20'000'000},
      {50'000'000, 12'500'000, 25'000'000},
      {100'000'000, 15'000'000, 33'300'000},
      {200'000'000, 25'000'000, 50'000'000},
      {300'000'000, 50'000'000, 100'000'000},
  };
  RiskParams& r = c.risk;
  for (const Bracket& b : kBrackets) {
    r.tiers[r.tier_count++] = MarginTier{Atoms(b.floor_usdt * kUsdt), b.mmr, b.imr};
  }
  r.maker_fee = 2'000;            // 0.02%
  r.taker_fee = 5'000;            // 0.05%
  r.liquidation_fee = 1'250'000;  // 1.25% clearance fee cap
  r.mark_mode = MarkMode::kMedian3;
  r.mark_sample_interval_ns = 1'000'000'000;
  r.mark_ma_samples = 300;
  r.index_impact_lambda = 0;
  r.index_impact_window_ns = 60'000'000'000;
  r.order_policy = LiquidationOrderPolicy::kBankruptcy;
  r.size_policy = LiquidationSizePolicy::kTierStepDown;
  r.backstop_threshold = 0;
  r.adl_ranking = AdlRanking::kPnlTimesLeverage;
  r.funding_price = FundingPriceSource::kMark;
  r.funding_interval_ns = 8LL * 3600 * 1'000'000'000;
  r.funding_interest = 10'000;  // 0.01% per interval
  r.funding_clamp = 750'000;    // 0.75%
  r.fund_group = 1;
  r.preset = RiskPreset::kBinance;
  return c;
}

std::vector<Command> SampleCommands() {
  std::vector<Command> out;
  int64_t ts = 1'760'129'400'000'000'000;  // 2025-10-10 20:50 UTC
  auto add = [&](CommandBody body) {
    out.push_back(Command{SeqNo(out.size() + 1), Timestamp(ts), body});
    ts += 1'000'000;
  };

  NewOrder order;
  order.symbol = SymbolId(1);
  order.account = AccountId(7);
  order.order_id = OrderId(900'000'000'001);
  order.side = Side::kSell;
  order.type = OrderType::kStopLimit;
  order.tif = TimeInForce::kIoc;
  order.stp = StpMode::kCancelBoth;
  order.margin = MarginMode::kIsolated;
  order.reduce_only = true;
  order.price = Price(1'024'970);
  order.stop_price = Price(1'025'000);
  order.qty = Qty(1'500);
  add(order);
  add(CancelOrder{SymbolId(1), AccountId(7), OrderId(900'000'000'001)});
  add(AmendOrder{SymbolId(1), AccountId(8), OrderId(42), Price(1'168'480), Qty(250)});
  add(MassCancel{AccountId(9), false, SymbolId(1)});
  add(ConfigureSymbol{BinanceBtcPerp()});
  add(Deposit{AccountId(7), MarginMode::kIsolated, SymbolId(1), Atoms(1'000'000 * kUsdt)});
  add(Withdraw{AccountId(7), MarginMode::kIsolated, SymbolId(1), Atoms(2'500 * kUsdt)});
  add(SetLeverage{AccountId(7), MarginMode::kIsolated, SymbolId(1), 25});
  add(IndexPrice{SymbolId(1), Price(1'168'480)});
  add(MarkPrice{SymbolId(1), Price(1'168'512)});
  add(FundingRate{SymbolId(1), -12'345});
  add(Timer{});
  Logon logon;
  CopyText(logon.token, "token:account-7");
  add(logon);
  return out;
}

std::vector<Event> SampleEvents() {
  std::vector<Event> out;
  auto add = [&](EventBody body) {
    out.push_back(Event{SeqNo(100 + out.size()), Timestamp(1'760'129'400'000'000'000), body});
  };
  add(OrderAccepted{SymbolId(1), AccountId(7), OrderId(11), Side::kSell, OrderType::kStopMarket,
                    TimeInForce::kFok, Price(1'024'970), Price(1'025'000), Qty(1'500)});
  add(CommandRejected{7, SymbolId(2), AccountId(8), OrderId(12),
                      RejectReason::kWithdrawalBelowInitialMargin});
  add(OrderTriggered{SymbolId(1), AccountId(7), OrderId(13), Price(1'024'990)});
  add(OrderAmended{SymbolId(1), AccountId(7), OrderId(14), Price(1'168'400), Qty(77), true});
  add(Trade{SymbolId(1), Price(1'168'480), Qty(3), Side::kSell, AccountId(21), OrderId(15),
            AccountId(22), OrderId(16), Qty(4), Qty(5), true});
  add(OrderCancelled{SymbolId(1), AccountId(7), OrderId(17), Qty(6), CancelReason::kLiquidation});
  add(OrderExpired{SymbolId(1), AccountId(7), OrderId(18), Qty(8),
                   ExpireReason::kMarketProtection});
  add(TopOfBook{SymbolId(1), Price(1'168'470), Qty(9), Price(1'168'490), Qty(10)});
  add(SymbolConfigured{SymbolId(3), 100});
  add(BalanceChanged{AccountId(7), BucketId(30), Atoms(-2'500 * kUsdt), Atoms(997'500 * kUsdt)});
  add(LeverageSet{AccountId(7), BucketId(31), 50});
  add(MarkUpdated{SymbolId(1), Price(1'168'512), Price(1'168'480)});
  add(MarginCall{AccountId(7), BucketId(32), SymbolId(1), 2, Atoms(-11), Atoms(12)});
  add(LiquidationOrder{AccountId(7), BucketId(33), SymbolId(1), 3, Side::kBuy, Qty(-13),
                       Price(1'168'000), Atoms(14)});
  add(LiquidationFill{AccountId(7), BucketId(34), SymbolId(1), 4, Price(1'167'990), Qty(15),
                      Atoms(16), Atoms(17), Atoms(18), Atoms(19)});
  add(Takeover{AccountId(7), BucketId(35), SymbolId(1), 5, BucketId(1'000), Qty(-20), Atoms(21)});
  add(AdlFill{AccountId(7), BucketId(36), SymbolId(1), 6, AccountId(23), BucketId(37), Qty(24),
              Price(1'167'000), Atoms(25), 123'456'789});
  add(BadDebt{AccountId(7), BucketId(38), SymbolId(1), 7, Atoms(26)});
  add(FundingPayment{SymbolId(1), -12'345, 27, Atoms(28), Atoms(29)});
  add(BucketState{AccountId(7), BucketId(39), 8, Atoms(30), Atoms(-31), Atoms(32), Atoms(33),
                  true});
  add(SessionAccepted{40, AccountId(7), 2, false});
  return out;
}

}  // namespace cascade::wire
