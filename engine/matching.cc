// The matching loop: price-time priority, self-trade prevention, fill-or-kill, market protection,
// resting, and stop triggering to a fixpoint. The contract is docs/matching.md.
#include <algorithm>

#include "engine/engine_impl.h"

namespace cascade {

void EngineImpl::Execute(SymbolState& sym, Order& taker) noexcept {
  Touch(sym);
  const bool is_market = taker.type == OrderType::kMarket || taker.type == OrderType::kStopMarket;
  Price limit = taker.price;
  if (is_market) {
    limit = MarketLimit(sym, taker.side);
    if (limit.value() == 0) {  // nothing to fill against
      Expire(taker, ExpireReason::kMarketProtection);
      return Release(taker);
    }
  }
  if (!is_market && (taker.tif == TimeInForce::kGtc || taker.tif == TimeInForce::kPostOnly) &&
      !WouldCross(sym, taker.side, limit)) {
    return Rest(sym, taker);  // a passive limit order: what Match and the checks below come to
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
    // The maker committed margin when it rested; the market may have moved since.
    if (RejectReason r = sym.margined ? risk_.MakerRecheck(maker.bucket, maker.symbol, maker.side,
                                                           price, qty, maker.reduce_only)
                                      : RejectReason::kNone;
        r != RejectReason::kNone) [[unlikely]] {
      CancelLive(sym, maker,
                 r == RejectReason::kReduceOnlyWouldIncrease ? CancelReason::kReduceOnly
                                                             : CancelReason::kMarginRecheck);
      continue;
    }
    book.Reduce(maker, qty);
    taker.open -= qty;
    sym.has_last_trade = true;
    sym.traded_since_stop_check = true;
    sym.last_trade = price;
    Emit(Trade{taker.symbol, price, qty, taker.side, maker.account, maker.id, taker.account,
               taker.id, maker.open, taker.open, taker.liquidation});
    if (taker.liquidation) [[unlikely]] {
      risk_.OnLiquidationFill(maker.bucket, price, qty);
    } else if (sym.margined) {
      risk_.OnFill(
          risk::TradeFill{taker.symbol, price, qty, taker.side, maker.bucket, taker.bucket});
    }
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
  NoteRested(sym, order);
}

void EngineImpl::TriggerStopsToFixpoint(SymbolState& sym) noexcept {
  while (true) {
    Order* next = nullptr;
    if (PriceLevel* buy = sym.buy_stops.Best(); buy != nullptr && sym.last_trade >= buy->price) {
      next = &buy->orders.front();
    } else if (PriceLevel* sell = sym.sell_stops.Best();
               sell != nullptr && sym.last_trade <= sell->price) {
      next = &sell->orders.front();
    }
    if (next == nullptr) {
      sym.traded_since_stop_check = false;  // every stop is checked against the last trade
      return;
    }
    sym.Stops(next->side).Remove(*next);
    next->pending_stop = false;
    next->type = next->type == OrderType::kStopLimit ? OrderType::kLimit : OrderType::kMarket;
    Emit(OrderTriggered{next->symbol, next->account, next->id, sym.last_trade});
    // Margin was checked when the stop was placed; the account may have changed since.
    if (RejectReason r = CheckMargin(sym, *next, next->price, next->open).reason;
        r != RejectReason::kNone) {
      Emit(OrderCancelled{next->symbol, next->account, next->id, next->open,
                          r == RejectReason::kReduceOnlyWouldIncrease
                              ? CancelReason::kReduceOnly
                              : CancelReason::kMarginRecheck});
      Release(*next);
      continue;
    }
    Execute(sym, *next);
  }
}

void EngineImpl::CancelLive(SymbolState& sym, Order& order, CancelReason reason,
                            bool top_may_change) noexcept {
  Emit(OrderCancelled{order.symbol, order.account, order.id, order.open, reason});
  if (order.pending_stop) {
    sym.Stops(order.side).Remove(order);
  } else {
    if (sym.margined) {
      risk_.OnOrderRemoved(order.bucket, order.symbol, order.side, order.price, order.open);
    }
    sym.Side(order.side).Remove(order);
    TouchIfTopMayChange(sym, top_may_change);
  }
  Release(order);
}

// --- liquidation: how the risk sweep reaches the book ---------------------------------------

void EngineImpl::CancelBucketOrders(BucketId bucket) noexcept {
  const AccountId account = risk_.GetBucket(bucket).account;
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return;
  AccountOrderList& list = it->second->orders;
  for (auto next = list.begin(); next != list.end();) {
    Order& order = *next++;  // advance first: cancelling unlinks the order
    if (order.bucket == bucket) {
      CancelLive(*FindSymbol(order.symbol), order, CancelReason::kLiquidation);
    }
  }
}

Qty EngineImpl::Liquidate(const risk::LiquidationIoc& ioc) noexcept {
  SymbolState* sym = FindSymbol(ioc.symbol);
  CASCADE_ASSERT(sym != nullptr);
  Order& taker = liquidation_taker_;
  taker = Order{};
  taker.account = ioc.account;
  taker.symbol = ioc.symbol;
  taker.bucket = ioc.bucket;
  taker.side = ioc.side;
  taker.tif = TimeInForce::kIoc;
  taker.price = ioc.limit;
  taker.open = ioc.qty;
  // Never against the owner's own resting orders (another bucket of the same account).
  taker.stp = StpMode::kCancelMaker;
  taker.liquidation = true;
  Touch(*sym);
  Match(*sym, taker, ioc.limit);
  const Qty filled = ioc.qty - taker.open;
  TriggerStops(*sym);  // liquidation prints can set off stops, within the same sweep round
  return filled;
}

void EngineVenue::CancelAllOrders(BucketId bucket) noexcept { engine_.CancelBucketOrders(bucket); }

Qty EngineVenue::SubmitLiquidationIoc(const risk::LiquidationIoc& order) noexcept {
  return engine_.Liquidate(order);
}

risk::BookTop EngineVenue::Top(SymbolId symbol) const noexcept {
  const SymbolState* sym = engine_.FindSymbol(symbol);
  if (sym == nullptr) return {};
  risk::BookTop top;
  if (const PriceLevel* bid = sym->bids.Best()) top.bid = bid->price.value();
  if (const PriceLevel* ask = sym->asks.Best()) top.ask = ask->price.value();
  if (sym->has_last_trade) top.last = sym->last_trade.value();
  return top;
}

void EngineImpl::Expire(Order& order, ExpireReason reason) noexcept {
  Emit(OrderExpired{order.symbol, order.account, order.id, order.open, reason});
}

void EngineImpl::Release(Order& order) noexcept {
  order_index_.Erase(order);
  order.account_hook.unlink();
  orders_.Release(&order);
}

}  // namespace cascade
