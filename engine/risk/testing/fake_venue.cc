#include "engine/risk/testing/fake_venue.h"

#include <algorithm>

namespace cascade::risk::testing {

FakeVenue::FakeVenue(RiskEngine& risk, std::vector<Event>* events, uint32_t max_symbols)
    : risk_(risk), events_(events), books_(max_symbols) {}

void FakeVenue::CountResting(BucketId bucket, int delta) {
  if (bucket == kNoBucket) return;
  if (resting_by_bucket_.size() <= bucket.value()) resting_by_bucket_.resize(bucket.value() + 1);
  resting_by_bucket_[bucket.value()] += static_cast<uint32_t>(delta);
}

void FakeVenue::Emit(EventBody body) {
  if (events_ != nullptr) events_->push_back(Event{seq, ts, std::move(body)});
}

uint64_t FakeVenue::Rest(BucketId bucket, AccountId account, SymbolId symbol, Side side,
                         Price price, Qty qty, bool reduce_only) {
  Book& book = books_[symbol.value()];
  const Order o{next_id_++, bucket, account, side, price.value(), qty.value(), reduce_only};
  if (side == Side::kBuy) {
    auto it = std::lower_bound(book.bids.begin(), book.bids.end(), o.price,
                               [](const Order& a, int64_t p) { return a.price < p; });
    book.bids.insert(it, o);
  } else {
    auto it = std::lower_bound(book.asks.begin(), book.asks.end(), o.price,
                               [](const Order& a, int64_t p) { return a.price > p; });
    book.asks.insert(it, o);
  }
  risk_.OnOrderRested(bucket, symbol, side, price, qty);
  CountResting(bucket, 1);
  return o.id;
}

RejectReason FakeVenue::Submit(const OrderIntent& order, bool ioc) {
  OrderIntent checked = order;
  checked.may_rest = !ioc;
  const OrderDecision d = risk_.CheckOrder(checked);
  if (d.reason != RejectReason::kNone) return d.reason;
  const int64_t filled = Match(order.symbol, order.side, order.qty.value(), order.price.value(),
                               d.bucket, order.account, false);
  const int64_t left = order.qty.value() - filled;
  if (left > 0 && !ioc) {
    Rest(d.bucket, order.account, order.symbol, order.side, order.price, Qty{left},
         order.reduce_only);
  }
  return RejectReason::kNone;
}

int64_t FakeVenue::Match(SymbolId symbol, Side side, int64_t qty, int64_t limit, BucketId taker,
                         AccountId account, bool liquidation) {
  Book& book = books_[symbol.value()];
  std::vector<Order>& makers = side == Side::kBuy ? book.asks : book.bids;
  int64_t filled = 0;
  while (filled < qty && !makers.empty()) {
    Order& m = makers.back();
    if (side == Side::kBuy ? m.price > limit : m.price < limit) break;
    const int64_t q = std::min(qty - filled, m.qty);
    const RejectReason recheck =
        risk_.MakerRecheck(m.bucket, symbol, m.side, Price{m.price}, Qty{q}, m.reduce_only);
    if (recheck != RejectReason::kNone) {
      const Order gone = m;
      makers.pop_back();
      CountResting(gone.bucket, -1);
      Emit(OrderCancelled{symbol, gone.account, OrderId{gone.id}, Qty{gone.qty},
                          recheck == RejectReason::kReduceOnlyWouldIncrease
                              ? CancelReason::kReduceOnly
                              : CancelReason::kMarginRecheck});
      risk_.OnOrderRemoved(gone.bucket, symbol, gone.side, Price{gone.price}, Qty{gone.qty});
      continue;
    }
    const Order maker = m;
    m.qty -= q;
    filled += q;
    if (m.qty == 0) {
      makers.pop_back();
      CountResting(maker.bucket, -1);
    }
    book.last = maker.price;
    Emit(Trade{symbol, Price{maker.price}, Qty{q}, side, maker.account, OrderId{maker.id}, account,
               OrderId{0}, Qty{maker.qty - q}, Qty{qty - filled}, liquidation});
    if (liquidation) {
      ++liquidation_fills_;
      risk_.OnLiquidationFill(maker.bucket, Price{maker.price}, Qty{q});
    } else {
      risk_.OnFill(TradeFill{symbol, Price{maker.price}, Qty{q}, side, maker.bucket, taker});
    }
  }
  return filled;
}

void FakeVenue::Remove(SymbolId symbol, const Order& o, CancelReason reason) {
  CountResting(o.bucket, -1);
  Emit(OrderCancelled{symbol, o.account, OrderId{o.id}, Qty{o.qty}, reason});
  risk_.OnOrderRemoved(o.bucket, symbol, o.side, Price{o.price}, Qty{o.qty});
}

bool FakeVenue::Cancel(uint64_t id) {
  for (uint32_t s = 0; s < books_.size(); ++s) {
    for (std::vector<Order>* side : {&books_[s].bids, &books_[s].asks}) {
      auto it =
          std::find_if(side->begin(), side->end(), [&](const Order& o) { return o.id == id; });
      if (it == side->end()) continue;
      const Order o = *it;
      side->erase(it);
      Remove(SymbolId{s}, o, CancelReason::kUser);
      return true;
    }
  }
  return false;
}

void FakeVenue::ClearSide(SymbolId symbol, Side side) {
  std::vector<Order>& orders =
      side == Side::kBuy ? books_[symbol.value()].bids : books_[symbol.value()].asks;
  std::vector<Order> gone;
  gone.swap(orders);
  for (auto it = gone.rbegin(); it != gone.rend(); ++it) Remove(symbol, *it, CancelReason::kUser);
}

void FakeVenue::CancelAllOrders(BucketId bucket) noexcept {
  if (bucket.value() >= resting_by_bucket_.size() || resting_by_bucket_[bucket.value()] == 0) {
    return;
  }
  for (uint32_t s = 0; s < books_.size(); ++s) {
    for (std::vector<Order>* side : {&books_[s].bids, &books_[s].asks}) {
      // Back to front is best price first; any deterministic order would do.
      for (size_t i = side->size(); i > 0; --i) {
        if ((*side)[i - 1].bucket != bucket) continue;
        const Order o = (*side)[i - 1];
        side->erase(side->begin() + static_cast<std::ptrdiff_t>(i - 1));
        Remove(SymbolId{s}, o, CancelReason::kLiquidation);
      }
    }
  }
}

Qty FakeVenue::SubmitLiquidationIoc(const LiquidationIoc& order) noexcept {
  return Qty{Match(order.symbol, order.side, order.qty.value(), order.limit.value(), order.bucket,
                   order.account, true)};
}

BookTop FakeVenue::Top(SymbolId symbol) const noexcept {
  const Book& book = books_[symbol.value()];
  BookTop top;
  if (!book.bids.empty()) top.bid = book.bids.back().price;
  if (!book.asks.empty()) top.ask = book.asks.back().price;
  top.last = book.last;
  return top;
}

Qty FakeVenue::Depth(SymbolId symbol, Side side) const noexcept {
  const std::vector<Order>& orders =
      side == Side::kBuy ? books_[symbol.value()].bids : books_[symbol.value()].asks;
  int64_t total = 0;
  for (const Order& o : orders) total += o.qty;
  return Qty{total};
}

size_t FakeVenue::Orders(SymbolId symbol, Side side) const noexcept {
  return side == Side::kBuy ? books_[symbol.value()].bids.size()
                            : books_[symbol.value()].asks.size();
}

}  // namespace cascade::risk::testing
