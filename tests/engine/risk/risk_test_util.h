#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/risk/presets.h"
#include "engine/risk/risk_engine.h"
#include "engine/risk/testing/fake_venue.h"

namespace cascade::risk::testing {

inline constexpr int64_t kUsd = 1'000'000;  // atoms per USD

// BTC of risk-model.md section 11: lot 0.001, tick 0.1 => K = 100; Binance 2021 tiers; no fees.
inline SymbolConfig BtcConfig(SymbolId id = SymbolId{1}) {
  SymbolConfig c;
  c.symbol = id;
  c.tick_size_nanos = 100'000'000;  // 0.1 USD
  c.lot_size_nanos = 1'000'000;     // 0.001 BTC
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};  // 10M USD
  c.max_order_qty = Qty{10'000'000};
  c.max_position_qty = Qty{100'000'000};
  SetBinanceBtc2021Tiers(c.risk);
  c.risk.mark_mode = MarkMode::kExternal;
  c.risk.liquidation_fee = 500'000;  // 0.5%
  c.risk.order_policy = LiquidationOrderPolicy::kBankruptcy;
  c.risk.size_policy = LiquidationSizePolicy::kFull;
  c.risk.backstop_threshold = 0;
  return c;
}

template <typename T>
std::vector<T> EventsOf(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const Event& e : events) {
    if (const T* t = std::get_if<T>(&e.body)) out.push_back(*t);
  }
  return out;
}

// Portable generator: the test must see the same population on every standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Uniform(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }

 private:
  uint64_t state_;
};

// One line per event, for comparing streams and for failure messages. Covers the events the risk
// engine and the FakeVenue emit.
inline std::string EventText(const Event& e) {
  std::string head = absl::StrCat(e.seq.value(), "@", e.ts.value(), " ");
  return std::visit(
      [&](const auto& b) -> std::string {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, MarginCall>) {
          return absl::StrCat(head, "MarginCall b", b.bucket.value(), " s", b.symbol.value(), " r",
                              b.round, " eq ", b.equity.value(), " mm ", b.maintenance.value());
        } else if constexpr (std::is_same_v<T, LiquidationOrder>) {
          return absl::StrCat(head, "LiquidationOrder b", b.bucket.value(), " s", b.symbol.value(),
                              " r", b.round, " side ", static_cast<int>(b.side), " q ",
                              b.qty.value(), " limit ", b.limit_price.value(), " bp ",
                              b.bankruptcy_quote.value());
        } else if constexpr (std::is_same_v<T, LiquidationFill>) {
          return absl::StrCat(head, "LiquidationFill b", b.bucket.value(), " r", b.round, " ",
                              b.qty.value(), "@", b.price.value(), " quote ", b.quote.value(),
                              " share ", b.bankruptcy_share.value(), " fee ", b.fee_to_fund.value(),
                              " paid ", b.fund_paid.value());
        } else if constexpr (std::is_same_v<T, Takeover>) {
          return absl::StrCat(head, "Takeover b", b.bucket.value(), " s", b.symbol.value(), " r",
                              b.round, " q ", b.qty.value(), " bp ", b.bankruptcy_quote.value());
        } else if constexpr (std::is_same_v<T, AdlFill>) {
          return absl::StrCat(head, "AdlFill b", b.bucket.value(), " r", b.round, " counter b",
                              b.counter_bucket.value(), " q ", b.qty.value(), " quote ",
                              b.quote.value(), " score ", b.score);
        } else if constexpr (std::is_same_v<T, BadDebt>) {
          return absl::StrCat(head, "BadDebt b", b.bucket.value(), " r", b.round, " ",
                              b.amount.value());
        } else if constexpr (std::is_same_v<T, FundingPayment>) {
          return absl::StrCat(head, "FundingPayment s", b.symbol.value(), " rate ", b.rate,
                              " paid ", b.paid_by_payers.value(), " residual ",
                              b.residual_to_fund.value());
        } else if constexpr (std::is_same_v<T, BucketState>) {
          return absl::StrCat(head, "BucketState b", b.bucket.value(), " r", b.round, " quote ",
                              b.quote.value(), " eq ", b.equity.value(), " mm ",
                              b.maintenance.value(), " liq ", b.in_liquidation);
        } else if constexpr (std::is_same_v<T, MarkUpdated>) {
          return absl::StrCat(head, "MarkUpdated s", b.symbol.value(), " ", b.mark.value(),
                              " index ", b.index.value());
        } else if constexpr (std::is_same_v<T, Trade>) {
          return absl::StrCat(head, "Trade s", b.symbol.value(), " ", b.qty.value(), "@",
                              b.price.value(), " maker a", b.maker_account.value(), " taker a",
                              b.taker_account.value(), " liq ", b.liquidation);
        } else if constexpr (std::is_same_v<T, OrderCancelled>) {
          return absl::StrCat(head, "OrderCancelled a", b.account.value(), " o", b.order_id.value(),
                              " reason ", static_cast<int>(b.reason));
        } else if constexpr (std::is_same_v<T, BalanceChanged>) {
          return absl::StrCat(head, "BalanceChanged b", b.bucket.value(), " ", b.amount.value());
        } else {
          return absl::StrCat(head, "event#", e.body.index());
        }
      },
      e.body);
}

inline std::string EventsText(const std::vector<Event>& events) {
  std::string out;
  for (const Event& e : events) absl::StrAppend(&out, EventText(e), "\n");
  return out;
}

// A RiskEngine with a FakeVenue, driven one command at a time like Engine::Apply.
class Driver {
 public:
  explicit Driver(RiskEngineConfig config = Small()) : risk(config), venue(risk, &events) {}

  static RiskEngineConfig Small() {
    RiskEngineConfig c;
    c.max_symbols = 8;
    c.max_buckets = 4096;
    c.max_positions = 8192;
    return c;
  }

  // Starts a command: clears the events and advances time.
  void Begin(int64_t ts_ns = -1) {
    events.clear();
    if (ts_ns >= 0) ts = ts_ns;
    ++seq;
    venue.seq = SeqNo{seq};
    venue.ts = Timestamp{ts};
    risk.BeginCommand(SeqNo{seq}, Timestamp{ts}, &events);
  }
  SweepResult End() {
    last = risk.Sweep(venue);
    if (keep_all) all.insert(all.end(), events.begin(), events.end());
    return last;
  }

  BucketId Deposit(uint32_t account, int64_t atoms, MarginMode mode = MarginMode::kCross,
                   SymbolId symbol = SymbolId{1}) {
    Begin();
    const RejectReason r = risk.Deposit(AccountId{account}, mode, symbol, Atoms{atoms});
    End();
    if (r != RejectReason::kNone) return kNoBucket;
    return account == kSystemAccount.value() ? risk.InsuranceFund(symbol)
                                             : risk.FindBucket(AccountId{account}, mode, symbol);
  }
  void Mark(SymbolId symbol, int64_t price) {
    Begin();
    risk.OnMarkPrice(symbol, Price{price});
    End();
  }
  // A trade between two buckets at `price` (taker buys when qty > 0), outside any book.
  void Fill(BucketId taker, BucketId maker, SymbolId symbol, int64_t price, int64_t qty) {
    Begin();
    const Side maker_side = qty > 0 ? Side::kSell : Side::kBuy;
    const int64_t q = qty > 0 ? qty : -qty;
    risk.OnOrderRested(maker, symbol, maker_side, Price{price}, Qty{q});
    risk.OnFill(
        TradeFill{symbol, Price{price}, Qty{q}, qty > 0 ? Side::kBuy : Side::kSell, maker, taker});
    End();
  }

  RiskEngine risk;
  std::vector<Event> events;  // the current command's
  std::vector<Event> all;     // every command's, in order (when keep_all)
  bool keep_all = true;
  FakeVenue venue;
  SweepResult last{};
  uint64_t seq = 0;
  int64_t ts = 0;
};

}  // namespace cascade::risk::testing
