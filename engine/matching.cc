// The matching loop: price-time priority, self-trade prevention, fill-or-kill, market protection,
// resting, and stop triggering to a fixpoint. The contract is docs/matching.md.
#include <algorithm>

#include "engine/engine_impl.h"

namespace cascade {

namespace {

// True when a resting level at `level_price` is acceptable to a taker on `taker_side` limited at
// `limit`.
bool Crosses(Side taker_side, Price level_price, Price limit) noexcept {
  return taker_side == Side::kBuy ? level_price <= limit : level_price >= limit;
}

}  // namespace

bool EngineImpl::WouldCross(SymbolState& sym, Side side, Price price) noexcept {
  const PriceLevel* best = sym.Side(Opposite(side)).Best();
  return best != nullptr && Crosses(side, best->price, price);
}

void EngineImpl::Execute(SymbolState& sym, Order& taker) noexcept {
  Touch(sym);
  const bool is_market = taker.type == OrderType::kMarket || taker.type == OrderType::kStopMarket;
  Price limit = taker.price;
  if (is_market) {
    const PriceLevel* best = sym.Side(Opposite(taker.side)).Best();
    if (best == nullptr) {
      Expire(taker, ExpireReason::kMarketProtection);
      return Release(taker);
    }
    const int64_t band = sym.config.market_protection_ticks;
    limit = taker.side == Side::kBuy
                ? std::min(Price(best->price.value() + band), sym.config.max_price)
                : std::max(Price(best->price.value() - band), sym.config.min_price);
  }
  if (taker.tif == TimeInForce::kFok && FillableQty(sym, taker, limit) < taker.open) {
    Expire(taker, ExpireReason::kFok);
    return Release(taker);
  }
  if (!Match(sym, taker, limit)) return Release(taker);  // self-trade prevention cancelled it
  if (taker.open.value() == 0) return Release(taker);
  if (is_market) {
    Expire(taker, ExpireReason::kMarketProtection);
    return Release(taker);
  }
  if (taker.tif == TimeInForce::kIoc || taker.tif == TimeInForce::kFok) {
    Expire(taker, taker.tif == TimeInForce::kIoc ? ExpireReason::kIoc : ExpireReason::kFok);
    return Release(taker);
  }
  Rest(sym, taker);
}

bool EngineImpl::Match(SymbolState& sym, Order& taker, Price limit) noexcept {
  BookSide& book = sym.Side(Opposite(taker.side));
  while (taker.open.value() > 0) {
    PriceLevel* level = book.Best();
    if (level == nullptr || !Crosses(taker.side, level->price, limit)) break;
    Order& maker = level->orders.front();
    if (maker.account == taker.account && taker.stp != StpMode::kNone) {
      if (taker.stp != StpMode::kCancelTaker) CancelLive(sym, maker, CancelReason::kSelfTrade);
      if (taker.stp == StpMode::kCancelMaker) continue;
      Emit(OrderCancelled{taker.symbol, taker.account, taker.id, taker.open,
                          CancelReason::kSelfTrade});
      return false;
    }
    const Qty qty = std::min(taker.open, maker.open);
    const Price price = level->price;  // trades print at the maker's price
    book.Reduce(maker, qty);
    taker.open -= qty;
    sym.has_last_trade = true;
    sym.last_trade = price;
    Emit(Trade{taker.symbol, price, qty, taker.side, maker.account, maker.id, taker.account,
               taker.id, maker.open, taker.open, false});
    if (maker.open.value() == 0) {
      book.Remove(maker);
      Release(maker);
    }
  }
  return true;
}

Qty EngineImpl::FillableQty(SymbolState& sym, const Order& taker, Price limit) noexcept {
  const BookSide& book = sym.Side(Opposite(taker.side));
  Qty fillable{0};
  for (const PriceLevel& level : book) {
    if (!Crosses(taker.side, level.price, limit)) break;
    for (const Order& maker : level.orders) {
      if (maker.account == taker.account && taker.stp != StpMode::kNone) {
        if (taker.stp == StpMode::kCancelMaker) continue;
        return fillable;  // matching would stop here
      }
      fillable += maker.open;
      if (fillable >= taker.open) return fillable;
    }
  }
  return fillable;
}

void EngineImpl::Rest(SymbolState& sym, Order& order) noexcept {
  const bool ok = sym.Side(order.side).Append(order, order.price);
  CASCADE_ASSERT(ok);  // the level pool is larger than the order pool
}

void EngineImpl::TriggerStops(SymbolState& sym) noexcept {
  while (sym.has_last_trade) {
    Order* next = nullptr;
    if (PriceLevel* buy = sym.buy_stops.Best(); buy != nullptr && sym.last_trade >= buy->price) {
      next = &buy->orders.front();
    } else if (PriceLevel* sell = sym.sell_stops.Best();
               sell != nullptr && sym.last_trade <= sell->price) {
      next = &sell->orders.front();
    }
    if (next == nullptr) return;
    sym.Stops(next->side).Remove(*next);
    next->pending_stop = false;
    next->type = next->type == OrderType::kStopLimit ? OrderType::kLimit : OrderType::kMarket;
    Emit(OrderTriggered{next->symbol, next->account, next->id, sym.last_trade});
    Execute(sym, *next);
  }
}

void EngineImpl::CancelLive(SymbolState& sym, Order& order, CancelReason reason) noexcept {
  Emit(OrderCancelled{order.symbol, order.account, order.id, order.open, reason});
  if (order.pending_stop) {
    sym.Stops(order.side).Remove(order);
  } else {
    sym.Side(order.side).Remove(order);
    Touch(sym);
  }
  Release(order);
}

void EngineImpl::Expire(Order& order, ExpireReason reason) noexcept {
  Emit(OrderExpired{order.symbol, order.account, order.id, order.open, reason});
}

void EngineImpl::Release(Order& order) noexcept {
  order_index_.erase(OrderKey{order.account, order.id});
  order.account_hook.unlink();
  orders_.Release(&order);
}

}  // namespace cascade
