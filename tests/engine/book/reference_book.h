#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/engine.h"

namespace cascade::test {

// A deliberately naive implementation of docs/matching.md, written independently of the engine so
// that the differential test can compare the two event for event. It favours the obvious over the
// fast: std::map of std::list per side, linear scans, copies. It knows nothing of risk: commands
// other than ConfigureSymbol, NewOrder, CancelOrder, AmendOrder and MassCancel are rejected as
// unsupported.
//
// Where the contract is silent or ambiguous, this book reads it as follows:
// - The first command may carry any sequence number. A stale command's reject names only the
//   command kind (symbol, account and order id are 0). Any other command, rejected or not,
//   advances the last sequence number.
// - A stop price <= 0 is kInvalidPrice, like a limit price; otherwise outside the limits it is
//   kPriceOutOfBounds.
// - Cancel, amend and new orders on an unknown symbol are kUnknownSymbol; a mass cancel of one
//   unknown symbol has nothing to cancel and emits nothing.
// - Capacity counts live orders (resting and pending stops); every new order needs a free slot,
//   even one that will never rest.
// - Market orders with no opposite liquidity expire with kMarketProtection, FOK ones included.
// - "Arrival order" for a mass cancel is acceptance order: amends and triggers do not change it.
// - A symbol is "touched" (for the order of TopOfBook events) when its order book changes or a
//   taker enters it; cancelling a pending stop does not touch it.
// - A taker "finishes matching" once its remainder has rested or expired; eligible stops trigger
//   after that.
// - ConfigureSymbol (not in the contract): an existing symbol is kSymbolExists; a config with no
//   whole atoms per lot-tick, min_price < 1, max_price < min_price, max_order_qty <= 0 or a
//   negative protection band is kInvalidSymbolConfig; otherwise SymbolConfigured.
class ReferenceBook {
 public:
  explicit ReferenceBook(size_t max_orders = EngineConfig{}.max_orders);

  std::vector<Event> Apply(const Command& command);

  // The same queries as cascade::Engine.
  [[nodiscard]] std::optional<LevelView> BestBid(SymbolId symbol) const;
  [[nodiscard]] std::optional<LevelView> BestAsk(SymbolId symbol) const;
  [[nodiscard]] std::vector<LevelView> Depth(SymbolId symbol, Side side, size_t max_levels) const;
  [[nodiscard]] OrderView Order(AccountId account, OrderId order_id) const;
  [[nodiscard]] std::optional<Price> LastTradePrice(SymbolId symbol) const;
  [[nodiscard]] SeqNo last_seq() const { return last_seq_; }
  [[nodiscard]] size_t live_orders() const { return index_.size(); }
  [[nodiscard]] const SymbolConfig* Symbol(SymbolId symbol) const {
    auto it = symbols_.find(symbol);
    return it == symbols_.end() ? nullptr : &it->second.config;
  }
  // True once a pending stop has been triggered (its OrderView type is then a matter of taste).
  [[nodiscard]] bool WasTriggered(AccountId account, OrderId order_id) const;

 private:
  struct RefOrder {
    SymbolId symbol{0};
    AccountId account{0};
    OrderId id{0};
    Side side = Side::kBuy;
    OrderType type = OrderType::kLimit;
    TimeInForce tif = TimeInForce::kGtc;
    StpMode stp = StpMode::kNone;
    bool reduce_only = false;
    Price price{0};
    Price stop_price{0};
    Qty open{0};
    uint64_t arrival = 0;  // order of acceptance; never changes (amends and triggers keep it)
    bool triggered = false;
  };
  using Level = std::list<RefOrder>;
  using Ladder = std::map<Price, Level>;  // bids are read from the back, asks from the front

  struct SymbolState {
    SymbolConfig config{};
    Ladder bids;
    Ladder asks;
    std::list<RefOrder> stops;  // pending stops in arrival order
    std::optional<Price> last;
  };

  struct Top {
    Price bid_price{0};
    Qty bid_qty{0};
    Price ask_price{0};
    Qty ask_qty{0};
    friend bool operator==(const Top&, const Top&) = default;
  };

  // Where a live order is: enough to find it again by scanning one level or the stop list.
  struct Location {
    SymbolId symbol{0};
    bool stop = false;
    Side side = Side::kBuy;
    Price price{0};
  };
  using Key = std::pair<uint32_t, uint64_t>;  // (account, order id)

  void OnNewOrder(const NewOrder& o);
  void OnCancel(const CancelOrder& c);
  void OnAmend(const AmendOrder& a);
  void OnMassCancel(const MassCancel& m);
  void OnConfigure(const ConfigureSymbol& c);

  // Matches `taker` (a limit or market order, already accepted or triggered) against the book,
  // then rests or expires its remainder.
  void Execute(SymbolState& s, RefOrder taker);
  // Triggers eligible stops one at a time until none is eligible.
  void RunStops(SymbolState& s);
  [[nodiscard]] static Qty FillableQty(const SymbolState& s, const RefOrder& taker, Price limit);
  [[nodiscard]] static std::optional<Price> BestPrice(const SymbolState& s, Side side);

  void Rest(SymbolState& s, const RefOrder& order);
  // Removes a live order from wherever it is and returns it.
  RefOrder Remove(const Key& key);
  [[nodiscard]] const RefOrder* Find(const Key& key) const;

  // Rejects the current command; the event names the command's symbol, account and order id.
  void Reject(RejectReason reason);
  void Emit(EventBody body);
  void Touch(SymbolId symbol);
  [[nodiscard]] Top TopOf(SymbolId symbol) const;

  static Ladder& BookSide(SymbolState& s, Side side) {
    return side == Side::kBuy ? s.bids : s.asks;
  }
  static const Ladder& BookSide(const SymbolState& s, Side side) {
    return side == Side::kBuy ? s.bids : s.asks;
  }
  // Levels of one side from the best price outward.
  [[nodiscard]] static std::vector<LevelView> Levels(const SymbolState& s, Side side,
                                                     size_t max_levels);
  [[nodiscard]] static bool Crosses(Side taker_side, Price level, Price limit) {
    return taker_side == Side::kBuy ? level <= limit : level >= limit;
  }

  size_t max_orders_;
  bool started_ = false;
  SeqNo last_seq_{0};
  uint64_t next_arrival_ = 1;
  std::map<SymbolId, SymbolState> symbols_;
  std::map<Key, Location> index_;  // live orders: resting and pending stops

  // Per command.
  Command command_{};
  std::vector<Event> out_;
  std::vector<std::pair<SymbolId, Top>> touched_;  // symbols in first-touch order, top before
};

}  // namespace cascade::test
