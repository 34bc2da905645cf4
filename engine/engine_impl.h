#pragma once

#include <absl/container/flat_hash_map.h>

#include <memory>
#include <vector>

#include "engine/book/book_side.h"
#include "engine/book/order_index.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/object_pool.h"
#include "engine/engine.h"
#include "engine/risk/liquidation_venue.h"
#include "engine/risk/risk_engine.h"

namespace cascade {

// Per-account state the book needs: the account's live orders in acceptance order.
struct AccountState {
  AccountOrderList orders;
  AccountState() = default;
  AccountState(const AccountState&) = delete;
  AccountState& operator=(const AccountState&) = delete;
  AccountState& operator=(AccountState&&) noexcept { return *this; }
};

struct SymbolState {
  SymbolState(const SymbolConfig& cfg, int64_t k, ObjectPool<PriceLevel>& levels)
      : config(cfg),
        atoms_per_lot_tick(k),
        bids(/*descending=*/true, levels),
        asks(/*descending=*/false, levels),
        buy_stops(/*descending=*/false, levels),
        sell_stops(/*descending=*/true, levels) {}

  BookSide& Side(cascade::Side s) noexcept { return s == Side::kBuy ? bids : asks; }
  BookSide& Stops(cascade::Side s) noexcept { return s == Side::kBuy ? buy_stops : sell_stops; }

  SymbolConfig config;
  int64_t atoms_per_lot_tick;
  BookSide bids;
  BookSide asks;
  BookSide buy_stops;   // lowest stop price triggers first
  BookSide sell_stops;  // highest stop price triggers first
  bool has_last_trade = false;
  Price last_trade{0};
  TopOfBook published_top{};  // the last TopOfBook emitted
  bool touched = false;       // book changed during the current command
  // A trade printed since the stops were last checked: only a new last-trade price can trigger
  // a stop (one that would trigger at once is rejected when placed).
  bool traded_since_stop_check = false;
  // Orders of a symbol without margin tiers have no bucket and skip every risk hook.
  bool margined = config.risk.tier_count > 0;
};

// True when a resting level at `level_price` is acceptable to a taker on `taker_side` limited at
// `limit`.
inline bool Crosses(Side taker_side, Price level_price, Price limit) noexcept {
  return taker_side == Side::kBuy ? level_price <= limit : level_price >= limit;
}

class EngineImpl;

// How the risk sweep reaches the book: cancels a bucket's orders and sends liquidation IOCs. Kept
// apart from EngineImpl so the engine itself has no virtual functions; `final` lets the compiler
// call it directly where it can.
class EngineVenue final : public risk::LiquidationVenue {
 public:
  explicit EngineVenue(EngineImpl& engine) noexcept : engine_(engine) {}
  void CancelAllOrders(BucketId bucket) noexcept override;
  Qty SubmitLiquidationIoc(const risk::LiquidationIoc& order) noexcept override;
  [[nodiscard]] risk::BookTop Top(SymbolId symbol) const noexcept override;

 private:
  EngineImpl& engine_;
};

// The engine's state and command handlers. engine.cc holds validation and dispatch; matching.cc
// holds the matching loop, stop triggering and resting.
class EngineImpl {
 public:
  explicit EngineImpl(const EngineConfig& config);
  ~EngineImpl();

  std::span<const Event> Apply(const Command& command) noexcept;
  void SetStageCallback(StageCallback callback, void* context) noexcept {
    stage_callback_ = callback;
    stage_context_ = context;
  }

  [[nodiscard]] const SymbolState* FindSymbol(SymbolId id) const noexcept {
    return id.value() < symbols_.size() ? symbols_[id.value()].get() : nullptr;
  }
  [[nodiscard]] const Order* FindOrder(AccountId account, OrderId id) const noexcept {
    return order_index_.Find(account, id);
  }
  [[nodiscard]] SymbolState* FindSymbol(SymbolId id) noexcept {
    return id.value() < symbols_.size() ? symbols_[id.value()].get() : nullptr;
  }
  [[nodiscard]] SeqNo last_seq() const noexcept { return last_seq_; }
  [[nodiscard]] size_t live_orders() const noexcept { return order_index_.size(); }
  [[nodiscard]] uint64_t StateDigest() const noexcept;
  [[nodiscard]] const risk::RiskEngine& risk() const noexcept { return risk_; }
  [[nodiscard]] EngineSnapshot Snapshot() const;
  [[nodiscard]] absl::Status Restore(const EngineSnapshot& snapshot);

 private:
  friend class EngineVenue;
  [[nodiscard]] absl::Status RestoreOrder(SymbolState& sym, BookSide& side, const OrderSnapshot& o,
                                          bool pending_stop);
  // Command handlers (engine.cc).
  void Handle(const NewOrder& cmd) noexcept;
  void Handle(const CancelOrder& cmd) noexcept;
  void Handle(const AmendOrder& cmd) noexcept;
  void Handle(const MassCancel& cmd) noexcept;
  void Handle(const ConfigureSymbol& cmd) noexcept;
  void Handle(const Deposit& cmd) noexcept;
  void Handle(const Withdraw& cmd) noexcept;
  void Handle(const SetLeverage& cmd) noexcept;
  void Handle(const IndexPrice& cmd) noexcept;
  void Handle(const MarkPrice& cmd) noexcept;
  void Handle(const FundingRate& cmd) noexcept;
  void Handle(const Timer& cmd) noexcept;
  void Handle(const Logon& cmd) noexcept;
  // Margin check of an order about to enter the book (new, amended or triggered); the price is
  // its limit, or for a market order the worst price its protection band allows.
  [[nodiscard]] risk::OrderDecision CheckMargin(SymbolState& sym, const Order& order, Price price,
                                                Qty qty) const noexcept;
  [[nodiscard]] Price MarketLimit(SymbolState& sym, Side side) const noexcept;

  [[nodiscard]] RejectReason ValidateNewOrder(const SymbolState& sym,
                                              const NewOrder& cmd) const noexcept;
  [[nodiscard]] bool PriceInLimits(const SymbolState& sym, Price p) const noexcept {
    return p >= sym.config.min_price && p <= sym.config.max_price;
  }
  AccountState* GetOrCreateAccount(AccountId id) noexcept;

  // Matching (matching.cc).
  void Execute(SymbolState& sym, Order& taker) noexcept;
  Qty Liquidate(const risk::LiquidationIoc& ioc) noexcept;
  void CancelBucketOrders(BucketId bucket) noexcept;
  // Returns false when self-trade prevention cancelled the taker.
  bool Match(SymbolState& sym, Order& taker, Price limit) noexcept;
  [[nodiscard]] Qty FillableQty(SymbolState& sym, const Order& taker, Price limit) noexcept;
  [[nodiscard]] static bool WouldCross(SymbolState& sym, Side side, Price price) noexcept {
    const PriceLevel* best = sym.Side(Opposite(side)).Best();
    return best != nullptr && Crosses(side, best->price, price);
  }
  void Rest(SymbolState& sym, Order& order) noexcept;
  // The margin an order resting in the book ties up (Rest, and an amend that moves one).
  void NoteRested(const SymbolState& sym, const Order& order) noexcept {
    if (sym.margined) {
      risk_.OnOrderRested(order.bucket, order.symbol, order.side, order.price, order.open);
    }
  }
  void TriggerStops(SymbolState& sym) noexcept {
    if (sym.traded_since_stop_check) TriggerStopsToFixpoint(sym);
  }
  void TriggerStopsToFixpoint(SymbolState& sym) noexcept;
  // `top_may_change`: false only where the caller knows the cancel leaves the top as it was (a user
  // cancel behind the best price); see TouchIfTopMayChange.
  void CancelLive(SymbolState& sym, Order& order, CancelReason reason,
                  bool top_may_change = true) noexcept;
  void Expire(Order& order, ExpireReason reason) noexcept;
  void Release(Order& order) noexcept;
  void Touch(SymbolState& sym) noexcept {
    if (sym.touched) return;
    sym.touched = true;
    touched_.push_back(&sym);
  }
  // Touching orders a command's TopOfBook events by first touch. Only the risk sweep changes
  // several symbols in one command, and only margined ones: so an unmargined symbol whose top
  // cannot have changed (an amend or cancel behind the best price, most of them) needs no touch,
  // and no top is computed for it. A margined symbol is touched regardless, where it always was.
  void TouchIfTopMayChange(SymbolState& sym, bool top_may_change) noexcept {
    if (top_may_change || sym.margined) Touch(sym);
  }
  void PublishTopOfBook() noexcept;

  template <typename Body>
  void Emit(const Body& body) noexcept {
    AppendEvent(events_, seq_, ts_, body);
  }
  void Reject(RejectReason reason, SymbolId symbol = SymbolId{0}, AccountId account = AccountId{0},
              OrderId order = OrderId{0}) noexcept;

  EngineConfig config_;
  risk::RiskEngine risk_;
  EngineVenue venue_{*this};
  Order liquidation_taker_;  // the one in-flight liquidation IOC; never in the pool or index
  ObjectPool<Order> orders_;
  ObjectPool<PriceLevel> levels_;
  ObjectPool<AccountState> account_pool_;
  std::vector<std::unique_ptr<SymbolState>> symbols_;  // indexed by symbol id
  OrderIndex order_index_{orders_.data()};
  absl::flat_hash_map<AccountId, AccountState*> accounts_;
  std::vector<SymbolState*> touched_;
  std::vector<Event> events_;

  // Envelope of the command being applied.
  SeqNo seq_{0};
  Timestamp ts_{0};
  uint8_t command_kind_ = 0;
  SeqNo last_seq_{0};
  bool started_ = false;
  StageCallback stage_callback_ = nullptr;
  void* stage_context_ = nullptr;
};

}  // namespace cascade
