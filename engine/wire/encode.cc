#include "engine/wire/encode.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/wire/fb_write.h"
#include "engine/wire/frame_writer.h"
#include "engine/wire/messages_generated.h"
#include "engine/wire/schema.h"

namespace cascade::wire {
namespace {

template <typename T, typename Variant>
struct IndexOf;
template <typename T, typename... Ts>
struct IndexOf<T, std::variant<Ts...>> {
  static constexpr size_t Find() {
    constexpr bool kMatches[] = {std::is_same_v<T, Ts>...};
    for (size_t i = 0; i < sizeof...(Ts); ++i) {
      if (kMatches[i]) return i;
    }
    return sizeof...(Ts);
  }
  static constexpr size_t value = Find();
};

// Union tags are the C++ variant index + 1 (0 is NONE); JSON, journals and CommandRejected's
// command kind all rely on it.
template <typename T, typename Tag>
constexpr bool TagMatches(Tag tag) {
  using Variant = std::conditional_t<std::is_same_v<Tag, fb::CommandBody>, CommandBody, EventBody>;
  return static_cast<size_t>(tag) == IndexOf<T, Variant>::value + 1;
}
static_assert(TagMatches<NewOrder>(fb::CommandBody::NewOrder));
static_assert(TagMatches<CancelOrder>(fb::CommandBody::CancelOrder));
static_assert(TagMatches<AmendOrder>(fb::CommandBody::AmendOrder));
static_assert(TagMatches<MassCancel>(fb::CommandBody::MassCancel));
static_assert(TagMatches<ConfigureSymbol>(fb::CommandBody::ConfigureSymbol));
static_assert(TagMatches<Deposit>(fb::CommandBody::Deposit));
static_assert(TagMatches<Withdraw>(fb::CommandBody::Withdraw));
static_assert(TagMatches<SetLeverage>(fb::CommandBody::SetLeverage));
static_assert(TagMatches<IndexPrice>(fb::CommandBody::IndexPrice));
static_assert(TagMatches<MarkPrice>(fb::CommandBody::MarkPrice));
static_assert(TagMatches<FundingRate>(fb::CommandBody::FundingRate));
static_assert(TagMatches<Timer>(fb::CommandBody::Timer));
static_assert(TagMatches<Logon>(fb::CommandBody::Logon));
static_assert(static_cast<size_t>(fb::CommandBody::MAX) == std::variant_size_v<CommandBody>);
static_assert(TagMatches<OrderAccepted>(fb::EventBody::OrderAccepted));
static_assert(TagMatches<CommandRejected>(fb::EventBody::CommandRejected));
static_assert(TagMatches<OrderTriggered>(fb::EventBody::OrderTriggered));
static_assert(TagMatches<OrderAmended>(fb::EventBody::OrderAmended));
static_assert(TagMatches<Trade>(fb::EventBody::Trade));
static_assert(TagMatches<OrderCancelled>(fb::EventBody::OrderCancelled));
static_assert(TagMatches<OrderExpired>(fb::EventBody::OrderExpired));
static_assert(TagMatches<TopOfBook>(fb::EventBody::TopOfBook));
static_assert(TagMatches<SymbolConfigured>(fb::EventBody::SymbolConfigured));
static_assert(TagMatches<BalanceChanged>(fb::EventBody::BalanceChanged));
static_assert(TagMatches<LeverageSet>(fb::EventBody::LeverageSet));
static_assert(TagMatches<MarkUpdated>(fb::EventBody::MarkUpdated));
static_assert(TagMatches<MarginCall>(fb::EventBody::MarginCall));
static_assert(TagMatches<LiquidationOrder>(fb::EventBody::LiquidationOrder));
static_assert(TagMatches<LiquidationFill>(fb::EventBody::LiquidationFill));
static_assert(TagMatches<Takeover>(fb::EventBody::Takeover));
static_assert(TagMatches<AdlFill>(fb::EventBody::AdlFill));
static_assert(TagMatches<BadDebt>(fb::EventBody::BadDebt));
static_assert(TagMatches<FundingPayment>(fb::EventBody::FundingPayment));
static_assert(TagMatches<BucketState>(fb::EventBody::BucketState));
static_assert(TagMatches<SessionAccepted>(fb::EventBody::SessionAccepted));
static_assert(static_cast<size_t>(fb::EventBody::MAX) == std::variant_size_v<EventBody>);

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using internal::Enum;

template <size_t N>
Offset<flatbuffers::String> WriteString(FlatBufferBuilder& fbb, const std::array<char, N>& text) {
  const auto* end = std::find(text.begin(), text.end(), '\0');
  return fbb.CreateString(text.data(), static_cast<size_t>(end - text.begin()));
}

}  // namespace

namespace internal {

flatbuffers::Offset<fb::SymbolConfig> WriteSymbolConfig(flatbuffers::FlatBufferBuilder& fbb,
                                                        const SymbolConfig& c) {
  const RiskParams& r = c.risk;
  const size_t tier_count = std::min<size_t>(r.tier_count, r.tiers.size());
  Offset<flatbuffers::Vector<Offset<fb::MarginTier>>> tiers;
  if (tier_count > 0) {
    std::array<Offset<fb::MarginTier>, kMaxTiers> tier_offsets;
    for (size_t i = 0; i < tier_count; ++i) {
      tier_offsets[i] = fb::CreateMarginTier(fbb, r.tiers[i].notional_floor.value(), r.tiers[i].mmr,
                                             r.tiers[i].imr);
    }
    tiers = fbb.CreateVector(tier_offsets.data(), tier_count);
  }
  fb::RiskParamsBuilder risk(fbb);
  risk.add_tiers(tiers);
  risk.add_maker_fee(r.maker_fee);
  risk.add_taker_fee(r.taker_fee);
  risk.add_liquidation_fee(r.liquidation_fee);
  risk.add_mark_sample_interval_ns(r.mark_sample_interval_ns);
  risk.add_index_impact_lambda(r.index_impact_lambda);
  risk.add_index_impact_window_ns(r.index_impact_window_ns);
  risk.add_mark_band(r.mark_band);
  risk.add_partial_threshold(r.partial_threshold.value());
  risk.add_partial_fraction(r.partial_fraction);
  risk.add_partial_cooldown_ns(r.partial_cooldown_ns);
  risk.add_backstop_threshold(r.backstop_threshold);
  risk.add_funding_interval_ns(r.funding_interval_ns);
  risk.add_funding_interest(r.funding_interest);
  risk.add_funding_clamp(r.funding_clamp);
  risk.add_mark_ma_samples(r.mark_ma_samples);
  risk.add_fund_group(r.fund_group);
  risk.add_mark_mode(Enum<fb::MarkMode>(r.mark_mode));
  risk.add_order_policy(Enum<fb::LiquidationOrderPolicy>(r.order_policy));
  risk.add_size_policy(Enum<fb::LiquidationSizePolicy>(r.size_policy));
  risk.add_adl_ranking(Enum<fb::AdlRanking>(r.adl_ranking));
  risk.add_funding_price(Enum<fb::FundingPriceSource>(r.funding_price));
  risk.add_preset(Enum<fb::RiskPreset>(r.preset));
  const Offset<fb::RiskParams> risk_offset = risk.Finish();

  const Offset<flatbuffers::String> name = WriteString(fbb, c.name);
  fb::SymbolConfigBuilder config(fbb);
  config.add_symbol(c.symbol.value());
  config.add_tick_size_nanos(c.tick_size_nanos);
  config.add_lot_size_nanos(c.lot_size_nanos);
  config.add_min_price(c.min_price.value());
  config.add_max_price(c.max_price.value());
  config.add_max_order_qty(c.max_order_qty.value());
  config.add_max_position_qty(c.max_position_qty.value());
  config.add_market_protection_ticks(c.market_protection_ticks);
  config.add_name(name);
  config.add_risk(risk_offset);
  return config.Finish();
}

}  // namespace internal

namespace {

using internal::WriteSymbolConfig;

// Each writer builds one union member; 8-byte fields go first so the tables pack without padding.
struct CommandWriter {
  using Result = std::pair<fb::CommandBody, Offset<void>>;
  FlatBufferBuilder& fbb;

  Result operator()(const NewOrder& o) const {
    fb::NewOrderBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_price(o.price.value());
    b.add_stop_price(o.stop_price.value());
    b.add_qty(o.qty.value());
    b.add_side(Enum<fb::Side>(o.side));
    b.add_type(Enum<fb::OrderType>(o.type));
    b.add_tif(Enum<fb::TimeInForce>(o.tif));
    b.add_stp(Enum<fb::StpMode>(o.stp));
    b.add_margin(Enum<fb::MarginMode>(o.margin));
    b.add_reduce_only(o.reduce_only);
    return {fb::CommandBody::NewOrder, b.Finish().Union()};
  }
  Result operator()(const CancelOrder& o) const {
    fb::CancelOrderBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    return {fb::CommandBody::CancelOrder, b.Finish().Union()};
  }
  Result operator()(const AmendOrder& o) const {
    fb::AmendOrderBuilder b(fbb);
    b.add_symbol(o.symbol.value());
    b.add_account(o.account.value());
    b.add_order_id(o.order_id.value());
    b.add_new_price(o.new_price.value());
    b.add_new_qty(o.new_qty.value());
    return {fb::CommandBody::AmendOrder, b.Finish().Union()};
  }
  Result operator()(const MassCancel& o) const {
    fb::MassCancelBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_symbol(o.symbol.value());
    b.add_all_symbols(o.all_symbols);
    return {fb::CommandBody::MassCancel, b.Finish().Union()};
  }
  Result operator()(const ConfigureSymbol& o) const {
    const Offset<fb::SymbolConfig> config = WriteSymbolConfig(fbb, o.config);
    return {fb::CommandBody::ConfigureSymbol, fb::CreateConfigureSymbol(fbb, config).Union()};
  }
  Result operator()(const Deposit& o) const {
    fb::DepositBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_symbol(o.symbol.value());
    b.add_amount(o.amount.value());
    b.add_margin(Enum<fb::MarginMode>(o.margin));
    return {fb::CommandBody::Deposit, b.Finish().Union()};
  }
  Result operator()(const Withdraw& o) const {
    fb::WithdrawBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_symbol(o.symbol.value());
    b.add_amount(o.amount.value());
    b.add_margin(Enum<fb::MarginMode>(o.margin));
    return {fb::CommandBody::Withdraw, b.Finish().Union()};
  }
  Result operator()(const SetLeverage& o) const {
    fb::SetLeverageBuilder b(fbb);
    b.add_account(o.account.value());
    b.add_symbol(o.symbol.value());
    b.add_leverage(o.leverage);
    b.add_margin(Enum<fb::MarginMode>(o.margin));
    return {fb::CommandBody::SetLeverage, b.Finish().Union()};
  }
  Result operator()(const IndexPrice& o) const {
    return {fb::CommandBody::IndexPrice,
            fb::CreateIndexPrice(fbb, o.symbol.value(), o.price.value()).Union()};
  }
  Result operator()(const MarkPrice& o) const {
    return {fb::CommandBody::MarkPrice,
            fb::CreateMarkPrice(fbb, o.symbol.value(), o.price.value()).Union()};
  }
  Result operator()(const FundingRate& o) const {
    return {fb::CommandBody::FundingRate,
            fb::CreateFundingRate(fbb, o.symbol.value(), o.rate).Union()};
  }
  Result operator()(const Timer&) const {
    return {fb::CommandBody::Timer, fb::CreateTimer(fbb).Union()};
  }
  Result operator()(const Logon& o) const {
    const Offset<flatbuffers::String> token = WriteString(fbb, o.token);
    return {fb::CommandBody::Logon, fb::CreateLogon(fbb, token).Union()};
  }
};

// Event bodies written by internal::FrameWriter: the fields of each table in the order the
// reference encoder (encode_reference.cc, FlatBufferBuilder) adds them, with the schema's
// defaults, so the same bytes (tests/engine/wire/event_frame_test.cc and the fuzzer compare the
// two on every event type).
using internal::F;

struct FastEventWriter {
  using Result = std::pair<fb::EventBody, uint32_t>;
  internal::FrameWriter& w;

  template <typename E>
  static uint8_t Byte(E value) noexcept {
    return static_cast<uint8_t>(value);
  }

  Result operator()(const OrderAccepted& o) const {
    using T = fb::OrderAccepted;
    return {fb::EventBody::OrderAccepted,
            internal::WriteFirstTable<9>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_PRICE>(int64_t{o.price.value()}),
                                         F<T::VT_STOP_PRICE>(int64_t{o.stop_price.value()}),
                                         F<T::VT_QTY>(int64_t{o.qty.value()}),
                                         F<T::VT_SIDE>(Byte(o.side)), F<T::VT_TYPE>(Byte(o.type)),
                                         F<T::VT_TIF>(Byte(o.tif)))};
  }
  Result operator()(const CommandRejected& o) const {
    using T = fb::CommandRejected;
    return {fb::EventBody::CommandRejected,
            internal::WriteFirstTable<5>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_REASON>(static_cast<uint16_t>(o.reason)),
                                         F<T::VT_COMMAND>(uint8_t{o.command}))};
  }
  Result operator()(const OrderTriggered& o) const {
    using T = fb::OrderTriggered;
    return {fb::EventBody::OrderTriggered,
            internal::WriteFirstTable<4>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_LAST_PRICE>(int64_t{o.last_price.value()}))};
  }
  Result operator()(const OrderAmended& o) const {
    using T = fb::OrderAmended;
    return {fb::EventBody::OrderAmended,
            internal::WriteFirstTable<6>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_PRICE>(int64_t{o.price.value()}),
                                         F<T::VT_QTY>(int64_t{o.qty.value()}),
                                         F<T::VT_PRIORITY_KEPT>(Byte(o.priority_kept)))};
  }
  Result operator()(const Trade& o) const {
    using T = fb::Trade;
    return {fb::EventBody::Trade,
            internal::WriteFirstTable<11>(
                w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                F<T::VT_PRICE>(int64_t{o.price.value()}), F<T::VT_QTY>(int64_t{o.qty.value()}),
                F<T::VT_MAKER_ACCOUNT>(uint64_t{o.maker_account.value()}),
                F<T::VT_MAKER_ORDER>(uint64_t{o.maker_order.value()}),
                F<T::VT_TAKER_ACCOUNT>(uint64_t{o.taker_account.value()}),
                F<T::VT_TAKER_ORDER>(uint64_t{o.taker_order.value()}),
                F<T::VT_MAKER_REMAINING>(int64_t{o.maker_remaining.value()}),
                F<T::VT_TAKER_REMAINING>(int64_t{o.taker_remaining.value()}),
                F<T::VT_AGGRESSOR>(Byte(o.aggressor)), F<T::VT_LIQUIDATION>(Byte(o.liquidation)))};
  }
  Result operator()(const OrderCancelled& o) const {
    using T = fb::OrderCancelled;
    return {fb::EventBody::OrderCancelled,
            internal::WriteFirstTable<5>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_REMAINING>(int64_t{o.remaining.value()}),
                                         F<T::VT_REASON>(Byte(o.reason)))};
  }
  Result operator()(const OrderExpired& o) const {
    using T = fb::OrderExpired;
    return {fb::EventBody::OrderExpired,
            internal::WriteFirstTable<5>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ORDER_ID>(uint64_t{o.order_id.value()}),
                                         F<T::VT_REMAINING>(int64_t{o.remaining.value()}),
                                         F<T::VT_REASON>(Byte(o.reason)))};
  }
  Result operator()(const TopOfBook& o) const {
    using T = fb::TopOfBook;
    return {fb::EventBody::TopOfBook,
            internal::WriteFirstTable<5>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_BID_PRICE>(int64_t{o.bid_price.value()}),
                                         F<T::VT_BID_QTY>(int64_t{o.bid_qty.value()}),
                                         F<T::VT_ASK_PRICE>(int64_t{o.ask_price.value()}),
                                         F<T::VT_ASK_QTY>(int64_t{o.ask_qty.value()}))};
  }
  Result operator()(const SymbolConfigured& o) const {
    // CreateSymbolConfigured's order: the generated Create functions add fields last id first.
    using T = fb::SymbolConfigured;
    return {
        fb::EventBody::SymbolConfigured,
        internal::WriteFirstTable<2>(w, F<T::VT_ATOMS_PER_LOT_TICK>(int64_t{o.atoms_per_lot_tick}),
                                     F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}))};
  }
  Result operator()(const BalanceChanged& o) const {
    using T = fb::BalanceChanged;
    return {fb::EventBody::BalanceChanged,
            internal::WriteFirstTable<4>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                         F<T::VT_AMOUNT>(int64_t{o.amount.value()}),
                                         F<T::VT_QUOTE_AFTER>(int64_t{o.quote_after.value()}))};
  }
  Result operator()(const LeverageSet& o) const {
    using T = fb::LeverageSet;
    return {fb::EventBody::LeverageSet,
            internal::WriteFirstTable<3>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                         F<T::VT_LEVERAGE>(uint32_t{o.leverage}, uint32_t{1}))};
  }
  Result operator()(const MarkUpdated& o) const {
    using T = fb::MarkUpdated;
    return {fb::EventBody::MarkUpdated,
            internal::WriteFirstTable<3>(w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_MARK>(int64_t{o.mark.value()}),
                                         F<T::VT_INDEX>(int64_t{o.index.value()}))};
  }
  Result operator()(const MarginCall& o) const {
    using T = fb::MarginCall;
    return {fb::EventBody::MarginCall,
            internal::WriteFirstTable<6>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                         F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_EQUITY>(int64_t{o.equity.value()}),
                                         F<T::VT_MAINTENANCE>(int64_t{o.maintenance.value()}),
                                         F<T::VT_ROUND>(uint32_t{o.round}))};
  }
  Result operator()(const LiquidationOrder& o) const {
    using T = fb::LiquidationOrder;
    return {
        fb::EventBody::LiquidationOrder,
        internal::WriteFirstTable<8>(
            w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
            F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
            F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}), F<T::VT_QTY>(int64_t{o.qty.value()}),
            F<T::VT_LIMIT_PRICE>(int64_t{o.limit_price.value()}),
            F<T::VT_BANKRUPTCY_QUOTE>(int64_t{o.bankruptcy_quote.value()}),
            F<T::VT_ROUND>(uint32_t{o.round}), F<T::VT_SIDE>(Byte(o.side), Byte(fb::Side::Sell)))};
  }
  Result operator()(const LiquidationFill& o) const {
    using T = fb::LiquidationFill;
    return {
        fb::EventBody::LiquidationFill,
        internal::WriteFirstTable<10>(
            w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
            F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
            F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}), F<T::VT_PRICE>(int64_t{o.price.value()}),
            F<T::VT_QTY>(int64_t{o.qty.value()}), F<T::VT_QUOTE>(int64_t{o.quote.value()}),
            F<T::VT_BANKRUPTCY_SHARE>(int64_t{o.bankruptcy_share.value()}),
            F<T::VT_FEE_TO_FUND>(int64_t{o.fee_to_fund.value()}),
            F<T::VT_FUND_PAID>(int64_t{o.fund_paid.value()}), F<T::VT_ROUND>(uint32_t{o.round}))};
  }
  Result operator()(const Takeover& o) const {
    using T = fb::Takeover;
    return {
        fb::EventBody::Takeover,
        internal::WriteFirstTable<7>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                     F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                     F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                     F<T::VT_FUND_BUCKET>(uint64_t{o.fund_bucket.value()}),
                                     F<T::VT_QTY>(int64_t{o.qty.value()}),
                                     F<T::VT_BANKRUPTCY_QUOTE>(int64_t{o.bankruptcy_quote.value()}),
                                     F<T::VT_ROUND>(uint32_t{o.round}))};
  }
  Result operator()(const AdlFill& o) const {
    using T = fb::AdlFill;
    return {fb::EventBody::AdlFill,
            internal::WriteFirstTable<10>(
                w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                F<T::VT_COUNTER_ACCOUNT>(uint64_t{o.counter_account.value()}),
                F<T::VT_COUNTER_BUCKET>(uint64_t{o.counter_bucket.value()}),
                F<T::VT_QTY>(int64_t{o.qty.value()}), F<T::VT_PRICE>(int64_t{o.price.value()}),
                F<T::VT_QUOTE>(int64_t{o.quote.value()}), F<T::VT_SCORE>(int64_t{o.score}),
                F<T::VT_ROUND>(uint32_t{o.round}))};
  }
  Result operator()(const BadDebt& o) const {
    using T = fb::BadDebt;
    return {fb::EventBody::BadDebt,
            internal::WriteFirstTable<5>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                         F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}),
                                         F<T::VT_AMOUNT>(int64_t{o.amount.value()}),
                                         F<T::VT_ROUND>(uint32_t{o.round}))};
  }
  Result operator()(const FundingPayment& o) const {
    using T = fb::FundingPayment;
    return {fb::EventBody::FundingPayment,
            internal::WriteFirstTable<5>(
                w, F<T::VT_SYMBOL>(uint64_t{o.symbol.value()}), F<T::VT_RATE>(int64_t{o.rate}),
                F<T::VT_INDEX_DELTA>(int64_t{o.index_delta}),
                F<T::VT_PAID_BY_PAYERS>(int64_t{o.paid_by_payers.value()}),
                F<T::VT_RESIDUAL_TO_FUND>(int64_t{o.residual_to_fund.value()}))};
  }
  Result operator()(const BucketState& o) const {
    using T = fb::BucketState;
    return {fb::EventBody::BucketState,
            internal::WriteFirstTable<8>(w, F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_BUCKET>(uint64_t{o.bucket.value()}),
                                         F<T::VT_QUOTE>(int64_t{o.quote.value()}),
                                         F<T::VT_EQUITY>(int64_t{o.equity.value()}),
                                         F<T::VT_MAINTENANCE>(int64_t{o.maintenance.value()}),
                                         F<T::VT_INITIAL>(int64_t{o.initial.value()}),
                                         F<T::VT_ROUND>(uint32_t{o.round}),
                                         F<T::VT_IN_LIQUIDATION>(Byte(o.in_liquidation)))};
  }
  Result operator()(const SessionAccepted& o) const {
    using T = fb::SessionAccepted;
    return {fb::EventBody::SessionAccepted,
            internal::WriteFirstTable<4>(w, F<T::VT_SESSION>(uint64_t{o.session}),
                                         F<T::VT_ACCOUNT>(uint64_t{o.account.value()}),
                                         F<T::VT_ACCOUNTS>(uint32_t{o.accounts}),
                                         F<T::VT_ADMIN>(Byte(o.admin)))};
  }
};

// A chain of index tests that GCC turns into one jump table, every body inlined (see Encode()).
template <size_t kIndex = 0>
FastEventWriter::Result WriteEventBody(const FastEventWriter& writer, const EventBody& body) {
  if constexpr (kIndex < std::variant_size_v<EventBody>) {
    if (body.index() == kIndex) return writer(*std::get_if<kIndex>(&body));
    return WriteEventBody<kIndex + 1>(writer, body);
  } else {
    return {};  // valueless: never produced by the engine
  }
}

std::span<const uint8_t> Finished(const FlatBufferBuilder& fbb) noexcept {
  return {fbb.GetBufferPointer(), fbb.GetSize()};
}

}  // namespace

struct Encoder::Impl {
  explicit Impl(size_t initial_bytes) : fbb(initial_bytes) {}
  FlatBufferBuilder fbb;  // commands: tables with strings and vectors
  alignas(8) internal::FrameWriter::Buffer events{};
};

Encoder::Encoder(size_t initial_bytes) : impl_(std::make_unique<Impl>(initial_bytes)) {}
Encoder::~Encoder() = default;
Encoder::Encoder(Encoder&&) noexcept = default;
Encoder& Encoder::operator=(Encoder&&) noexcept = default;

std::span<const uint8_t> Encoder::Encode(const Command& command) noexcept {
  FlatBufferBuilder& fbb = impl_->fbb;
  fbb.Clear();
  const auto [tag, body] = std::visit(CommandWriter{fbb}, command.body);
  fb::InputBuilder input(fbb);
  input.add_seq(command.seq.value());
  input.add_ts_ns(command.ts.value());
  input.add_body(body);
  input.add_body_type(tag);
  fb::FinishSizePrefixedInputBuffer(fbb, input.Finish());
  return Finished(fbb);
}

// flatten, and a switch rather than std::visit: the writer's state must not escape into a call,
// or every store into the buffer (through uint8_t*, which may alias it) reloads it from memory.
[[gnu::flatten]] std::span<const uint8_t> Encoder::Encode(const Event& event) noexcept {
  internal::FrameWriter w(impl_->events);
  const FastEventWriter writer{w};
  const FastEventWriter::Result body = WriteEventBody(writer, event.body);
  // As fb::OutputBuilder in EncodeEventWithBuilder().
  static_assert(fb::Output::VT_SEQ == 4 && fb::Output::VT_TS_NS == 6 &&
                fb::Output::VT_BODY_TYPE == 8 && fb::Output::VT_BODY == 10);
  return internal::FinishWithEnvelope(w, event.seq.value(), event.ts.value(), body.second,
                                      static_cast<uint8_t>(body.first), kOutputIdentifier);
}

}  // namespace cascade::wire
