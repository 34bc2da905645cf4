#include "engine/c_api/convert.h"

#include <cstring>
#include <type_traits>
#include <variant>

namespace cascade::c_api {
namespace {

// The event struct's size is ABI (callers allocate it): an event too big for the reserved union
// needs a new major version.
static_assert(sizeof(cascade_event::u) == 128);
static_assert(sizeof(cascade_event) == 152);

// The C value of a C++ field: a strong integer's representation, an enum's underlying value, a
// bool as 0/1. The assignment to the C field then checks the width (-Wconversion is an error).
template <typename T>
constexpr auto V(T x) noexcept {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(x);
  } else if constexpr (std::is_same_v<T, bool>) {
    return static_cast<uint8_t>(x ? 1 : 0);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return x;
  } else {
    return x.value();
  }
}

void Fill(const OrderAccepted& e, cascade_event& out) noexcept {
  auto& o = out.u.order_accepted;
  o = {V(e.symbol), V(e.account), V(e.order_id),   V(e.side), V(e.type),
       V(e.tif),    V(e.price),   V(e.stop_price), V(e.qty)};
}
void Fill(const CommandRejected& e, cascade_event& out) noexcept {
  out.u.command_rejected = {V(e.command), V(e.symbol), V(e.account), V(e.order_id), V(e.reason)};
}
void Fill(const OrderTriggered& e, cascade_event& out) noexcept {
  out.u.order_triggered = {V(e.symbol), V(e.account), V(e.order_id), V(e.last_price)};
}
void Fill(const OrderAmended& e, cascade_event& out) noexcept {
  out.u.order_amended = {V(e.symbol), V(e.account), V(e.order_id),
                         V(e.price),  V(e.qty),     V(e.priority_kept)};
}
void Fill(const Trade& e, cascade_event& out) noexcept {
  out.u.trade = {V(e.symbol),          V(e.price),           V(e.qty),           V(e.aggressor),
                 V(e.maker_account),   V(e.maker_order),     V(e.taker_account), V(e.taker_order),
                 V(e.maker_remaining), V(e.taker_remaining), V(e.liquidation)};
}
void Fill(const OrderCancelled& e, cascade_event& out) noexcept {
  out.u.order_cancelled = {V(e.symbol), V(e.account), V(e.order_id), V(e.remaining), V(e.reason)};
}
void Fill(const OrderExpired& e, cascade_event& out) noexcept {
  out.u.order_expired = {V(e.symbol), V(e.account), V(e.order_id), V(e.remaining), V(e.reason)};
}
void Fill(const TopOfBook& e, cascade_event& out) noexcept {
  out.u.top_of_book = {V(e.symbol), V(e.bid_price), V(e.bid_qty), V(e.ask_price), V(e.ask_qty)};
}
void Fill(const SymbolConfigured& e, cascade_event& out) noexcept {
  out.u.symbol_configured = {V(e.symbol), V(e.atoms_per_lot_tick)};
}
void Fill(const BalanceChanged& e, cascade_event& out) noexcept {
  out.u.balance_changed = {V(e.account), V(e.bucket), V(e.amount), V(e.quote_after)};
}
void Fill(const LeverageSet& e, cascade_event& out) noexcept {
  out.u.leverage_set = {V(e.account), V(e.bucket), V(e.leverage)};
}
void Fill(const MarkUpdated& e, cascade_event& out) noexcept {
  out.u.mark_updated = {V(e.symbol), V(e.mark), V(e.index)};
}
void Fill(const MarginCall& e, cascade_event& out) noexcept {
  out.u.margin_call = {V(e.account), V(e.bucket), V(e.symbol),
                       V(e.round),   V(e.equity), V(e.maintenance)};
}
void Fill(const LiquidationOrder& e, cascade_event& out) noexcept {
  out.u.liquidation_order = {V(e.account), V(e.bucket), V(e.symbol),      V(e.round),
                             V(e.side),    V(e.qty),    V(e.limit_price), V(e.bankruptcy_quote)};
}
void Fill(const LiquidationFill& e, cascade_event& out) noexcept {
  out.u.liquidation_fill = {V(e.account),     V(e.bucket),   V(e.symbol), V(e.round),
                            V(e.price),       V(e.qty),      V(e.quote),  V(e.bankruptcy_share),
                            V(e.fee_to_fund), V(e.fund_paid)};
}
void Fill(const Takeover& e, cascade_event& out) noexcept {
  out.u.takeover = {V(e.account),     V(e.bucket), V(e.symbol),          V(e.round),
                    V(e.fund_bucket), V(e.qty),    V(e.bankruptcy_quote)};
}
void Fill(const AdlFill& e, cascade_event& out) noexcept {
  out.u.adl_fill = {V(e.account),        V(e.bucket), V(e.symbol), V(e.round), V(e.counter_account),
                    V(e.counter_bucket), V(e.qty),    V(e.price),  V(e.quote), V(e.score)};
}
void Fill(const BadDebt& e, cascade_event& out) noexcept {
  out.u.bad_debt = {V(e.account), V(e.bucket), V(e.symbol), V(e.round), V(e.amount)};
}
void Fill(const FundingPayment& e, cascade_event& out) noexcept {
  out.u.funding_payment = {V(e.symbol), V(e.rate), V(e.index_delta), V(e.paid_by_payers),
                           V(e.residual_to_fund)};
}
void Fill(const BucketState& e, cascade_event& out) noexcept {
  out.u.bucket_state = {V(e.account), V(e.bucket),      V(e.round),   V(e.quote),
                        V(e.equity),  V(e.maintenance), V(e.initial), V(e.in_liquidation)};
}
void Fill(const SessionAccepted& e, cascade_event& out) noexcept {
  out.u.session_accepted = {e.session, V(e.account), e.accounts, V(e.admin)};
}

}  // namespace

Command ToCommand(const cascade_new_order& in) noexcept {
  NewOrder order;
  order.symbol = SymbolId(in.symbol);
  order.account = AccountId(in.account);
  order.order_id = OrderId(in.order_id);
  order.side = static_cast<Side>(in.side);
  order.type = static_cast<OrderType>(in.type);
  order.tif = static_cast<TimeInForce>(in.tif);
  order.stp = static_cast<StpMode>(in.stp);
  order.margin = static_cast<MarginMode>(in.margin);
  order.reduce_only = in.reduce_only != 0;
  order.price = Price(in.price);
  order.stop_price = Price(in.stop_price);
  order.qty = Qty(in.qty);
  return {SeqNo(in.seq), Timestamp(in.ts_ns), order};
}

Command ToCommand(const cascade_cancel_order& in) noexcept {
  return {SeqNo(in.seq), Timestamp(in.ts_ns),
          CancelOrder{SymbolId(in.symbol), AccountId(in.account), OrderId(in.order_id)}};
}

Command ToCommand(const cascade_amend_order& in) noexcept {
  return {SeqNo(in.seq), Timestamp(in.ts_ns),
          AmendOrder{SymbolId(in.symbol), AccountId(in.account), OrderId(in.order_id),
                     Price(in.new_price), Qty(in.new_qty)}};
}

void ToC(const Event& in, cascade_event& out) noexcept {
  // Zeroed first so that padding and the union's unused bytes never carry stale data.
  std::memset(&out, 0, sizeof(out));
  out.type = static_cast<uint32_t>(in.body.index());
  out.seq = in.seq.value();
  out.ts_ns = in.ts.value();
  std::visit([&out](const auto& body) { Fill(body, out); }, in.body);
}

}  // namespace cascade::c_api
