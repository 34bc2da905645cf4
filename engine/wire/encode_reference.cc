#include "engine/wire/encode_reference.h"

#include <utility>
#include <variant>

#include "engine/wire/fb_write.h"
#include "engine/wire/messages_generated.h"
#include "engine/wire/schema.h"

namespace cascade::wire::internal {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

// Each event body through the generated builders: the definition of an event's bytes, which
// Encoder::Encode(const Event&) writes without a builder (encode.cc).
struct EventWriter {
  using Result = std::pair<fb::EventBody, Offset<void>>;
  FlatBufferBuilder& fbb;

  Result operator()(const OrderAccepted& o) const {
    fb::OrderAcceptedBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_price(o.price.value());
    b.add_stop_price(o.stop_price.value());
    b.add_qty(o.qty.value());
    b.add_side(Enum<fb::Side>(o.side));
    b.add_type(Enum<fb::OrderType>(o.type));
    b.add_tif(Enum<fb::TimeInForce>(o.tif));
    return {fb::EventBody::OrderAccepted, b.Finish().Union()};
  }
  Result operator()(const CommandRejected& o) const {
    fb::CommandRejectedBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_reason(Enum<fb::RejectReason>(o.reason));
    b.add_command(o.command);
    return {fb::EventBody::CommandRejected, b.Finish().Union()};
  }
  Result operator()(const OrderTriggered& o) const {
    fb::OrderTriggeredBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_last_price(o.last_price.value());
    return {fb::EventBody::OrderTriggered, b.Finish().Union()};
  }
  Result operator()(const OrderAmended& o) const {
    fb::OrderAmendedBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_price(o.price.value());
    b.add_qty(o.qty.value());
    b.add_priority_kept(o.priority_kept);
    return {fb::EventBody::OrderAmended, b.Finish().Union()};
  }
  Result operator()(const Trade& o) const {
    fb::TradeBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_price(o.price.value());
    b.add_qty(o.qty.value());
    b.add_maker_account(o.maker_account.value());
    b.add_maker_order(o.maker_order.value());
    b.add_taker_account(o.taker_account.value());
    b.add_taker_order(o.taker_order.value());
    b.add_maker_remaining(o.maker_remaining.value());
    b.add_taker_remaining(o.taker_remaining.value());
    b.add_aggressor(Enum<fb::Side>(o.aggressor));
    b.add_liquidation(o.liquidation);
    return {fb::EventBody::Trade, b.Finish().Union()};
  }
  Result operator()(const OrderCancelled& o) const {
    fb::OrderCancelledBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_remaining(o.remaining.value());
    b.add_reason(Enum<fb::CancelReason>(o.reason));
    return {fb::EventBody::OrderCancelled, b.Finish().Union()};
  }
  Result operator()(const OrderExpired& o) const {
    fb::OrderExpiredBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_remaining(o.remaining.value());
    b.add_reason(Enum<fb::ExpireReason>(o.reason));
    return {fb::EventBody::OrderExpired, b.Finish().Union()};
  }
  Result operator()(const TopOfBook& o) const {
    fb::TopOfBookBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_bid_price(o.bid_price.value());
    b.add_bid_qty(o.bid_qty.value());
    b.add_ask_price(o.ask_price.value());
    b.add_ask_qty(o.ask_qty.value());
    return {fb::EventBody::TopOfBook, b.Finish().Union()};
  }
  Result operator()(const SymbolConfigured& o) const {
    return {fb::EventBody::SymbolConfigured,
            fb::CreateSymbolConfigured(fbb, o.symbol.value(), o.atoms_per_lot_tick).Union()};
  }
  Result operator()(const BalanceChanged& o) const {
    fb::BalanceChangedBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_amount(o.amount.value());
    b.add_quote_after(o.quote_after.value());
    return {fb::EventBody::BalanceChanged, b.Finish().Union()};
  }
  Result operator()(const LeverageSet& o) const {
    fb::LeverageSetBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_leverage(o.leverage);
    return {fb::EventBody::LeverageSet, b.Finish().Union()};
  }
  Result operator()(const MarkUpdated& o) const {
    fb::MarkUpdatedBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_mark(o.mark.value());
    b.add_index(o.index.value());
    return {fb::EventBody::MarkUpdated, b.Finish().Union()};
  }
  Result operator()(const MarginCall& o) const {
    fb::MarginCallBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_equity(o.equity.value());
    b.add_maintenance(o.maintenance.value());
    b.add_round(o.round);
    return {fb::EventBody::MarginCall, b.Finish().Union()};
  }
  Result operator()(const LiquidationOrder& o) const {
    fb::LiquidationOrderBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_qty(o.qty.value());
    b.add_limit_price(o.limit_price.value());
    b.add_bankruptcy_quote(o.bankruptcy_quote.value());
    b.add_round(o.round);
    b.add_side(Enum<fb::Side>(o.side));
    return {fb::EventBody::LiquidationOrder, b.Finish().Union()};
  }
  Result operator()(const LiquidationFill& o) const {
    fb::LiquidationFillBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_price(o.price.value());
    b.add_qty(o.qty.value());
    b.add_quote(o.quote.value());
    b.add_bankruptcy_share(o.bankruptcy_share.value());
    b.add_fee_to_fund(o.fee_to_fund.value());
    b.add_fund_paid(o.fund_paid.value());
    b.add_round(o.round);
    return {fb::EventBody::LiquidationFill, b.Finish().Union()};
  }
  Result operator()(const Takeover& o) const {
    fb::TakeoverBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_fund_bucket(o.fund_bucket.value());
    b.add_qty(o.qty.value());
    b.add_bankruptcy_quote(o.bankruptcy_quote.value());
    b.add_round(o.round);
    return {fb::EventBody::Takeover, b.Finish().Union()};
  }
  Result operator()(const AdlFill& o) const {
    fb::AdlFillBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_counter_account(o.counter_account.value());
    b.add_counter_bucket(o.counter_bucket.value());
    b.add_qty(o.qty.value());
    b.add_price(o.price.value());
    b.add_quote(o.quote.value());
    b.add_score(o.score);
    b.add_round(o.round);
    return {fb::EventBody::AdlFill, b.Finish().Union()};
  }
  Result operator()(const BadDebt& o) const {
    fb::BadDebtBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_symbol(o.symbol.value());
    b.add_amount(o.amount.value());
    b.add_round(o.round);
    return {fb::EventBody::BadDebt, b.Finish().Union()};
  }
  Result operator()(const FundingPayment& o) const {
    fb::FundingPaymentBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_rate(o.rate);
    b.add_index_delta(o.index_delta);
    b.add_paid_by_payers(o.paid_by_payers.value());
    b.add_residual_to_fund(o.residual_to_fund.value());
    return {fb::EventBody::FundingPayment, b.Finish().Union()};
  }
  Result operator()(const BucketState& o) const {
    fb::BucketStateBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_quote(o.quote.value());
    b.add_equity(o.equity.value());
    b.add_maintenance(o.maintenance.value());
    b.add_initial(o.initial.value());
    b.add_round(o.round);
    b.add_in_liquidation(o.in_liquidation);
    return {fb::EventBody::BucketState, b.Finish().Union()};
  }
  Result operator()(const SessionAccepted& o) const {
    fb::SessionAcceptedBuilder b(fbb);
    b.add_session(o.session);
    b.add_account(o.account.value());
    b.add_accounts(o.accounts);
    b.add_admin(o.admin);
    return {fb::EventBody::SessionAccepted, b.Finish().Union()};
  }
};

}  // namespace

std::vector<uint8_t> EncodeEventWithBuilder(const Event& event) {
  FlatBufferBuilder fbb(1024);
  const auto [tag, body] = std::visit(EventWriter{fbb}, event.body);
  fb::OutputBuilder output(fbb);
  output.add_seq(event.seq.value());
  output.add_ts_ns(event.ts.value());
  output.add_body(body);
  output.add_body_type(tag);
  fbb.FinishSizePrefixed(output.Finish(), kOutputIdentifier.data());
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

}  // namespace cascade::wire::internal
