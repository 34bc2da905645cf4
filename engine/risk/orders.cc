// Order-entry margin checks, open-order notional, and fills (ordinary and liquidation).
#include <algorithm>

#include "engine/core/assert.h"
#include "engine/risk/fast_div.h"
#include "engine/risk/risk_config.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {
namespace {

int128 Abs(int128 v) noexcept { return v < 0 ? -v : v; }

// IM of one symbol of a bucket: the position plus the larger side of its open orders.
int128 SymbolInitial(const SymbolState& s, int64_t size, int128 open_buy, int128 open_sell,
                     uint32_t leverage) noexcept {
  const int128 notional = Abs(static_cast<int128>(size) * s.mark * s.k);
  int128 im = InitialMargin(s.tiers, notional, leverage);
  const int128 orders = std::max(open_buy, open_sell);
  if (orders > 0) {
    im += InitialMarginAtRate(s.tiers.imr[s.tiers.TierOf(notional + orders)], leverage, orders);
  }
  return im;
}

int128 TradingFee(int128 quote, int64_t rate) noexcept {
  if (rate >= 0) return CeilDivFast(quote * rate, kRateScale);
  return -FloorDivFast(quote * -static_cast<int128>(rate), kRateScale);
}

// value - |value| of a position is twice its value when short, else zero.
int128 ShortValue(const SymbolState& s, int64_t size) noexcept {
  return size < 0 ? static_cast<int128>(size) * s.mark * s.k : 0;
}

// An upper bound of TradingFee(quote, rate) without a division: ceil(x / 1e8) <= floor(x / 2^26)
// + 1, and a rebate is never a cost. Only for quote >= 0 (a negative quote has no meaning here).
int128 FeeBound(int128 quote, int64_t rate) noexcept {
  CASCADE_DCHECK(quote >= 0);
  return rate > 0 ? ((quote * rate) >> 26) + 1 : 0;
}

bool Reduces(int64_t size, int64_t delta) noexcept {
  return size != 0 && (size > 0) != (delta > 0) && Abs(delta) <= Abs(size);
}

}  // namespace

OrderDecision RiskEngine::CheckOrder(const OrderIntent& o) const noexcept {
  const SymbolState* s = Margined(o.symbol);
  if (s == nullptr) return {RejectReason::kNone, kNoBucket};
  const BucketId id = FindBucket(o.account, o.margin, o.symbol);
  if (id == kNoBucket) {
    return {
        o.reduce_only ? RejectReason::kReduceOnlyWouldIncrease : RejectReason::kInsufficientMargin,
        kNoBucket};
  }
  const Bucket& b = B(id.value());
  const Position* p = FindPosition(b, o.symbol.value());
  const int64_t size = p != nullptr ? p->size : 0;
  const int64_t qty = o.qty.value();
  const int64_t delta = o.side == Side::kBuy ? qty : -qty;
  if (o.reduce_only) {
    if (!Reduces(size, delta)) return {RejectReason::kReduceOnlyWouldIncrease, id};
    // A resting order of a bucket in liquidation would be matched against its own liquidation.
    if (b.in_liquidation && o.may_rest) return {RejectReason::kBucketInLiquidation, id};
    return {RejectReason::kNone, id};
  }
  if (b.in_liquidation) return {RejectReason::kBucketInLiquidation, id};
  if (Abs(static_cast<int128>(size) + delta) > s->config.max_position_qty.value() &&
      Abs(static_cast<int128>(size) + delta) > Abs(size)) {
    return {RejectReason::kPositionLimit, id};
  }
  const int128 notional = static_cast<int128>(qty) * o.price.value() * s->k;
  const int128 open_buy = p != nullptr ? p->open_buy : 0;
  const int128 open_sell = p != nullptr ? p->open_sell : 0;
  const int128 buy_after = open_buy + (o.side == Side::kBuy ? notional : 0);
  const int128 sell_after = open_sell + (o.side == Side::kSell ? notional : 0);
  if (std::max(buy_after, sell_after) >= kMaxNotional) return {RejectReason::kPositionLimit, id};
  if (p == nullptr && FreePositions() <= margined_symbols_) {
    return {RejectReason::kPositionLimit, id};  // the last nodes are kept for fund takeovers
  }
  // Filling at a price worse than the mark loses equity at once; the taker fee comes on top.
  const int128 open_loss =
      s->mark > 0
          ? std::max<int128>(0, static_cast<int128>(delta) * (o.price.value() - s->mark) * s->k)
          : 0;
  const int64_t fee_rate = std::max(s->config.risk.taker_fee, s->config.risk.maker_fee);
  if (notional >= 0 && SurelyAffordable(b, *s, size, std::max(buy_after, sell_after),
                                        open_loss + FeeBound(notional, fee_rate))) {
    return {RejectReason::kNone, id};
  }
  const Margins m = Compute(b, true);
  const int128 im_sym_before = SymbolInitial(*s, size, open_buy, open_sell, b.leverage);
  const int128 im_after =
      m.initial - im_sym_before + SymbolInitial(*s, size, buy_after, sell_after, b.leverage);
  if (im_after <= m.initial) return {RejectReason::kNone, id};  // not risk-increasing
  const int128 fee = TradingFee(notional, fee_rate);
  if (m.equity - open_loss - fee - im_after < 0) return {RejectReason::kInsufficientMargin, id};
  return {RejectReason::kNone, id};
}

bool RiskEngine::SurelyAffordable(const Bucket& b, const SymbolState& s, int64_t size_after,
                                  int128 orders_after, int128 costs) const noexcept {
  // Every IM rate is at most 1e8 (tiers are validated so) and leverage is 0 or >= 1, so the IM of
  // a position is at most its notional and that of open orders at most theirs: Equity - IM is at
  // least quote + sum(value - |value|) - sum(open orders). When even that covers the costs, the
  // exact check (tier lookups, divisions) passes too.
  const uint32_t symbol = s.config.symbol.value();
  int128 low = b.quote - orders_after - costs + 2 * ShortValue(s, size_after);
  for (const Position& p : b.positions) {
    if (p.symbol == symbol) continue;
    low += 2 * ShortValue(S(p.symbol), p.size) - std::max(p.open_buy, p.open_sell);
  }
  return low >= 0;
}

RejectReason RiskEngine::MakerRecheck(BucketId maker, SymbolId symbol, Side maker_side, Price price,
                                      Qty qty, bool reduce_only) const noexcept {
  const SymbolState* s = Margined(symbol);
  if (s == nullptr || maker == kNoBucket) return RejectReason::kNone;
  const Bucket& b = B(maker.value());
  const Position* p = FindPosition(b, symbol.value());
  const int64_t size = p != nullptr ? p->size : 0;
  const int64_t delta = maker_side == Side::kBuy ? qty.value() : -qty.value();
  if (Reduces(size, delta)) return RejectReason::kNone;
  if (reduce_only) return RejectReason::kReduceOnlyWouldIncrease;
  const int128 notional = static_cast<int128>(qty.value()) * price.value() * s->k;
  const int128 open_buy = p != nullptr ? p->open_buy : 0;
  const int128 open_sell = p != nullptr ? p->open_sell : 0;
  const int128 buy_after =
      std::max<int128>(0, open_buy - (maker_side == Side::kBuy ? notional : 0));
  const int128 sell_after =
      std::max<int128>(0, open_sell - (maker_side == Side::kSell ? notional : 0));
  if (notional >= 0 && SurelyAffordable(b, *s, size + delta, std::max(buy_after, sell_after),
                                        static_cast<int128>(delta) * price.value() * s->k +
                                            FeeBound(notional, s->config.risk.maker_fee))) {
    return RejectReason::kNone;
  }
  const Margins m = Compute(b, true);
  const int128 im_after = m.initial - SymbolInitial(*s, size, open_buy, open_sell, b.leverage) +
                          SymbolInitial(*s, size + delta, buy_after, sell_after, b.leverage);
  const int128 equity_after = m.equity +
                              static_cast<int128>(delta) * (s->mark - price.value()) * s->k -
                              TradingFee(notional, s->config.risk.maker_fee);
  return equity_after - im_after < 0 ? RejectReason::kInsufficientMargin : RejectReason::kNone;
}

void RiskEngine::OnOrderRested(BucketId bucket, SymbolId symbol, Side side, Price price,
                               Qty qty) noexcept {
  SymbolState* s = const_cast<SymbolState*>(Margined(symbol));
  if (s == nullptr || bucket == kNoBucket) return;
  Position& p = GetOrCreatePosition(B(bucket.value()), symbol.value());
  int64_t& open = side == Side::kBuy ? p.open_buy : p.open_sell;
  const auto after = NarrowToInt64(open + static_cast<int128>(qty.value()) * price.value() * s->k);
  CASCADE_ASSERT(after.has_value() && *after < kMaxNotional);
  open = *after;
}

void RiskEngine::OnOrderRemoved(BucketId bucket, SymbolId symbol, Side side, Price price,
                                Qty qty) noexcept {
  const SymbolState* s = Margined(symbol);
  if (s == nullptr || bucket == kNoBucket) return;
  Bucket& b = B(bucket.value());
  Position* p = FindPosition(b, symbol.value());
  CASCADE_ASSERT(p != nullptr);
  int64_t& open = side == Side::kBuy ? p->open_buy : p->open_sell;
  open -= static_cast<int64_t>(static_cast<int128>(qty.value()) * price.value() * s->k);
  CASCADE_ASSERT(open >= 0);
  MaybeRelease(b, *p);
}

void RiskEngine::OnFill(const TradeFill& f) noexcept {
  SymbolState* s = const_cast<SymbolState*>(Margined(f.symbol));
  if (s == nullptr || f.maker == kNoBucket || f.taker == kNoBucket) return;
  Bucket& maker = B(f.maker.value());
  Bucket& taker = B(f.taker.value());
  const uint32_t symbol = f.symbol.value();
  const int64_t delta = f.taker_side == Side::kBuy ? f.qty.value() : -f.qty.value();
  const int128 notional = static_cast<int128>(f.qty.value()) * f.price.value() * s->k;
  Position& mp = GetOrCreatePosition(maker, symbol);
  int64_t& open = f.taker_side == Side::kBuy ? mp.open_sell : mp.open_buy;
  open -= static_cast<int64_t>(notional);
  CASCADE_ASSERT(open >= 0);
  Trade(taker, *s, delta, f.price.value());
  Trade(maker, *s, -delta, f.price.value());
  ChargeFee(taker, notional, s->config.risk.taker_fee);
  ChargeFee(maker, notional, s->config.risk.maker_fee);
  s->mark_price.SetLast(f.price.value());
  if (s->mark == 0) {  // no mark input yet: value at the first trade
    s->mark = f.price.value();
    ++ranking_epoch_;
  }
  Rekey(taker);
  Rekey(maker);
  if (Position* tp = FindPosition(taker, symbol)) MaybeRelease(taker, *tp);
  if (Position* p = FindPosition(maker, symbol)) MaybeRelease(maker, *p);
  NoteNegative(taker, symbol);
  NoteNegative(maker, symbol);
}

void RiskEngine::OnLiquidationFill(BucketId maker_id, Price price, Qty qty) noexcept {
  CASCADE_ASSERT(ctx_.active);
  SymbolState& s = S(ctx_.symbol);
  Bucket& b = B(ctx_.bucket);
  const int64_t q = qty.value();
  CASCADE_ASSERT(q > 0 && ctx_.filled + q <= ctx_.position_lots);
  const bool sell = ctx_.side == Side::kSell;
  if (sell ? price.value() < ctx_.limit : price.value() > ctx_.limit) {
    ++audit_.liquidation_fills_beyond_limit;
  }
  const int128 notional = static_cast<int128>(q) * price.value() * s.k;
  const int128 cash = sell ? notional : -notional;  // what the liquidated bucket receives
  ctx_.filled += q;
  // Shares of the bankruptcy quote round up (in the account's favour); the fill that closes the
  // position takes the exact remainder, so the shares sum to the quote.
  const int128 share = ctx_.filled == ctx_.position_lots
                           ? ctx_.bp_quote - ctx_.assigned
                           : CeilDivFast(ctx_.bp_quote * q, ctx_.position_lots);
  ctx_.assigned += share;
  const int128 surplus = cash - share;
  int128 fee = 0;
  int128 fund_paid = 0;
  if (surplus >= 0) {
    fee = std::min(surplus, CeilDivFast(notional * s.config.risk.liquidation_fee, kRateScale));
  } else {
    fund_paid = -surplus;
    if (s.config.risk.order_policy == LiquidationOrderPolicy::kBankruptcy) {
      ++audit_.fund_paid_under_bankruptcy_policy;
    }
  }
  const int64_t delta = sell ? -q : q;
  Trade(b, s, delta, price.value());
  Bucket& fund = B(s.fund.value());
  AddCash(b, fund_paid - fee);
  AddCash(fund, fee - fund_paid);
  if (maker_id != kNoBucket) {
    Bucket& maker = B(maker_id.value());
    Position& mp = GetOrCreatePosition(maker, ctx_.symbol);
    int64_t& open = sell ? mp.open_buy : mp.open_sell;
    open -= static_cast<int64_t>(notional);
    CASCADE_ASSERT(open >= 0);
    Trade(maker, s, -delta, price.value());
    ChargeFee(maker, notional, s.config.risk.maker_fee);
    Rekey(maker);
    MaybeRelease(maker, mp);
    NoteNegative(maker, ctx_.symbol);
  }
  s.mark_price.SetLast(price.value());
  s.mark_price.AddLiquidationFlow(static_cast<int64_t>(delta > 0 ? notional : -notional));
  Emit(LiquidationFill{b.account, b.id, SymbolId{ctx_.symbol}, ctx_.round, price, qty,
                       Atoms{static_cast<int64_t>(notional)}, Atoms{static_cast<int64_t>(share)},
                       Atoms{static_cast<int64_t>(fee)}, Atoms{static_cast<int64_t>(fund_paid)}});
  if (fund_paid > 0) {
    const int128 fund_equity = Compute(fund, false).equity;
    if (fund_equity < 0) {
      Emit(BadDebt{b.account, b.id, SymbolId{ctx_.symbol}, ctx_.round,
                   Atoms{static_cast<int64_t>(std::min(fund_paid, -fund_equity))}});
    }
  }
}

}  // namespace cascade::risk
