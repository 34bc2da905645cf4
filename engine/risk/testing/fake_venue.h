#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/event.h"
#include "engine/risk/liquidation_venue.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk::testing {

// A deliberately simple order book (sorted vectors, price-time priority) that implements
// LiquidationVenue the way the Engine does: maker re-check, fills reported to the RiskEngine,
// Trade and OrderCancelled events appended to the same event vector. For tests and benchmarks.
class FakeVenue : public LiquidationVenue {
 public:
  FakeVenue(RiskEngine& risk, std::vector<Event>* events, uint32_t max_symbols = 64);

  // Rests an order without margin checks (liquidity providers in tests); returns its id.
  uint64_t Rest(BucketId bucket, AccountId account, SymbolId symbol, Side side, Price price,
                Qty qty, bool reduce_only = false);
  // A user order: CheckOrder, match (maker re-check, OnFill), rest the remainder unless ioc.
  RejectReason Submit(const OrderIntent& order, bool ioc);
  bool Cancel(uint64_t id);
  // Removes every resting order of a symbol (a book that empties in a crash).
  void ClearSide(SymbolId symbol, Side side);

  void CancelAllOrders(BucketId bucket) noexcept override;
  Qty SubmitLiquidationIoc(const LiquidationIoc& order) noexcept override;
  [[nodiscard]] BookTop Top(SymbolId symbol) const noexcept override;

  [[nodiscard]] Qty Depth(SymbolId symbol, Side side) const noexcept;
  [[nodiscard]] size_t Orders(SymbolId symbol, Side side) const noexcept;
  [[nodiscard]] uint64_t liquidation_fills() const noexcept { return liquidation_fills_; }

  // Envelope of the events the venue appends (the Engine would use the command's).
  SeqNo seq{0};
  Timestamp ts{0};

 private:
  struct Order {
    uint64_t id;
    BucketId bucket;
    AccountId account;
    Side side;
    int64_t price;
    int64_t qty;
    bool reduce_only;
  };
  struct Book {
    // Best price at the back, so that matching pops from the back.
    std::vector<Order> bids;  // ascending price, newer first within a price
    std::vector<Order> asks;  // descending price, newer first within a price
    int64_t last = 0;
  };
  // Matches a taker; for a liquidation, ctx fills go to OnLiquidationFill. Returns filled qty.
  int64_t Match(SymbolId symbol, Side side, int64_t qty, int64_t limit, BucketId taker,
                AccountId account, bool liquidation);
  void Remove(SymbolId symbol, const Order& o, CancelReason reason);
  void CountResting(BucketId bucket, int delta);
  void Emit(EventBody body);

  RiskEngine& risk_;
  std::vector<Event>* events_;
  std::vector<Book> books_;
  std::vector<uint32_t> resting_by_bucket_;  // skips the scan for buckets without orders
  uint64_t next_id_ = 1;
  uint64_t liquidation_fills_ = 0;
};

}  // namespace cascade::risk::testing
