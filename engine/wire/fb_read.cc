#include "engine/wire/fb_read.h"

#include <cstring>
#include <limits>

#include "engine/wire/enum_cast.h"
#include "engine/wire/schema.h"

namespace cascade::wire::internal {
namespace {

// An input envelope nests at most Input > ConfigureSymbol > SymbolConfig > RiskParams > tier; a
// full config is 20 tables. The bounds leave room to grow while keeping hostile frames cheap.
constexpr flatbuffers::Verifier::Options MakeVerifierOptions() {
  flatbuffers::Verifier::Options options;
  options.max_depth = 8;
  options.max_tables = 64;
  options.check_alignment = true;
  options.check_nested_flatbuffers = false;
  return options;
}
constexpr flatbuffers::Verifier::Options kVerifierOptions = MakeVerifierOptions();

// The identifier sits after the size prefix and the root offset.
constexpr size_t kIdentifierAt = 2 * sizeof(flatbuffers::uoffset_t);
constexpr size_t kIdentifierSize = 4;

template <typename Table>
const Table* VerifyFrame(std::span<const uint8_t> frame, std::string_view identifier) noexcept {
  if (frame.size() < kIdentifierAt + kIdentifierSize || frame.size() > kMaxMessageBytes) {
    return nullptr;
  }
  // Checked here with a 4-byte compare: the verifier's own check is a strncmp call.
  if (std::memcmp(frame.data() + kIdentifierAt, identifier.data(), kIdentifierSize) != 0) {
    return nullptr;
  }
  flatbuffers::Verifier verifier(frame.data(), frame.size(), kVerifierOptions);
  if (!verifier.VerifySizePrefixedBuffer<Table>(nullptr)) return nullptr;
  return flatbuffers::GetSizePrefixedRoot<Table>(frame.data());
}

// Ids are 64-bit on the wire and narrower in the engine.
template <typename Id>
[[nodiscard]] bool ReadId(uint64_t wire, Id& out) noexcept {
  using Rep = typename Id::rep;
  if (wire > std::numeric_limits<Rep>::max()) return false;
  out = Id(static_cast<Rep>(wire));
  return true;
}

template <size_t N>
[[nodiscard]] bool ReadString(const flatbuffers::String* text, std::array<char, N>& out) noexcept {
  out.fill('\0');
  if (text == nullptr) return true;
  // The arrays are NUL-padded, so a NUL inside the text could not come back out.
  if (text->size() > N || std::memchr(text->data(), '\0', text->size()) != nullptr) return false;
  std::memcpy(out.data(), text->data(), text->size());
  return true;
}

// ------------------------------------------------------------------------------ commands

RejectReason Read(const fb::NewOrder& m, NewOrder& o) noexcept {
  if (!ReadId(m.symbol(), o.symbol) || !ReadId(m.account(), o.account)) {
    return RejectReason::kMalformed;
  }
  o.order_id = OrderId(m.order_id());
  o.side = Enum<Side>(m.side());
  o.type = Enum<OrderType>(m.type());
  o.tif = Enum<TimeInForce>(m.tif());
  o.stp = Enum<StpMode>(m.stp());
  o.margin = Enum<MarginMode>(m.margin());
  o.reduce_only = m.reduce_only();
  o.price = Price(m.price());
  o.stop_price = Price(m.stop_price());
  o.qty = Qty(m.qty());
  return RejectReason::kNone;
}

RejectReason Read(const fb::CancelOrder& m, CancelOrder& o) noexcept {
  if (!ReadId(m.symbol(), o.symbol) || !ReadId(m.account(), o.account)) {
    return RejectReason::kMalformed;
  }
  o.order_id = OrderId(m.order_id());
  return RejectReason::kNone;
}

RejectReason Read(const fb::AmendOrder& m, AmendOrder& o) noexcept {
  if (!ReadId(m.symbol(), o.symbol) || !ReadId(m.account(), o.account)) {
    return RejectReason::kMalformed;
  }
  o.order_id = OrderId(m.order_id());
  o.new_price = Price(m.new_price());
  o.new_qty = Qty(m.new_qty());
  return RejectReason::kNone;
}

RejectReason Read(const fb::MassCancel& m, MassCancel& o) noexcept {
  if (!ReadId(m.account(), o.account) || !ReadId(m.symbol(), o.symbol)) {
    return RejectReason::kMalformed;
  }
  o.all_symbols = m.all_symbols();
  return RejectReason::kNone;
}

RejectReason Read(const fb::ConfigureSymbol& m, ConfigureSymbol& o) noexcept {
  return ReadConfigureSymbol(m, o.config);
}

template <typename Message, typename Balance>
RejectReason ReadBalance(const Message& m, Balance& o) noexcept {
  if (!ReadId(m.account(), o.account) || !ReadId(m.symbol(), o.symbol)) {
    return RejectReason::kMalformed;
  }
  o.margin = Enum<MarginMode>(m.margin());
  o.amount = Atoms(m.amount());
  return RejectReason::kNone;
}

RejectReason Read(const fb::Deposit& m, Deposit& o) noexcept { return ReadBalance(m, o); }
RejectReason Read(const fb::Withdraw& m, Withdraw& o) noexcept { return ReadBalance(m, o); }

RejectReason Read(const fb::SetLeverage& m, SetLeverage& o) noexcept {
  if (!ReadId(m.account(), o.account) || !ReadId(m.symbol(), o.symbol)) {
    return RejectReason::kMalformed;
  }
  o.margin = Enum<MarginMode>(m.margin());
  o.leverage = m.leverage();
  return RejectReason::kNone;
}

template <typename Message, typename PriceCommand>
RejectReason ReadPrice(const Message& m, PriceCommand& o) noexcept {
  if (!ReadId(m.symbol(), o.symbol)) return RejectReason::kMalformed;
  o.price = Price(m.price());
  return RejectReason::kNone;
}

RejectReason Read(const fb::IndexPrice& m, IndexPrice& o) noexcept { return ReadPrice(m, o); }
RejectReason Read(const fb::MarkPrice& m, MarkPrice& o) noexcept { return ReadPrice(m, o); }

RejectReason Read(const fb::FundingRate& m, FundingRate& o) noexcept {
  if (!ReadId(m.symbol(), o.symbol)) return RejectReason::kMalformed;
  o.rate = m.rate();
  return RejectReason::kNone;
}

RejectReason Read(const fb::Timer&, Timer&) noexcept { return RejectReason::kNone; }

RejectReason Read(const fb::Logon& m, Logon& o) noexcept {
  return ReadString(m.token(), o.token) ? RejectReason::kNone : RejectReason::kMalformed;
}

template <typename Body, typename Table>
RejectReason ReadCommandBody(const void* table, Command& out) noexcept {
  Body& body = out.body.emplace<Body>();
  if (table == nullptr) return RejectReason::kMalformed;
  return Read(*static_cast<const Table*>(table), body);
}

// -------------------------------------------------------------------------------- events

bool Read(const fb::OrderAccepted& m, OrderAccepted& o) noexcept {
  o.order_id = OrderId(m.order_id());
  o.side = Enum<Side>(m.side());
  o.type = Enum<OrderType>(m.type());
  o.tif = Enum<TimeInForce>(m.tif());
  o.price = Price(m.price());
  o.stop_price = Price(m.stop_price());
  o.qty = Qty(m.qty());
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::CommandRejected& m, CommandRejected& o) noexcept {
  o.command = m.command();
  o.order_id = OrderId(m.order_id());
  o.reason = Enum<RejectReason>(m.reason());
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::OrderTriggered& m, OrderTriggered& o) noexcept {
  o.order_id = OrderId(m.order_id());
  o.last_price = Price(m.last_price());
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::OrderAmended& m, OrderAmended& o) noexcept {
  o.order_id = OrderId(m.order_id());
  o.price = Price(m.price());
  o.qty = Qty(m.qty());
  o.priority_kept = m.priority_kept();
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::Trade& m, Trade& o) noexcept {
  o.price = Price(m.price());
  o.qty = Qty(m.qty());
  o.aggressor = Enum<Side>(m.aggressor());
  o.maker_order = OrderId(m.maker_order());
  o.taker_order = OrderId(m.taker_order());
  o.maker_remaining = Qty(m.maker_remaining());
  o.taker_remaining = Qty(m.taker_remaining());
  o.liquidation = m.liquidation();
  return ReadId(m.symbol(), o.symbol) && ReadId(m.maker_account(), o.maker_account) &&
         ReadId(m.taker_account(), o.taker_account);
}

bool Read(const fb::OrderCancelled& m, OrderCancelled& o) noexcept {
  o.order_id = OrderId(m.order_id());
  o.remaining = Qty(m.remaining());
  o.reason = Enum<CancelReason>(m.reason());
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::OrderExpired& m, OrderExpired& o) noexcept {
  o.order_id = OrderId(m.order_id());
  o.remaining = Qty(m.remaining());
  o.reason = Enum<ExpireReason>(m.reason());
  return ReadId(m.symbol(), o.symbol) && ReadId(m.account(), o.account);
}

bool Read(const fb::TopOfBook& m, TopOfBook& o) noexcept {
  o.bid_price = Price(m.bid_price());
  o.bid_qty = Qty(m.bid_qty());
  o.ask_price = Price(m.ask_price());
  o.ask_qty = Qty(m.ask_qty());
  return ReadId(m.symbol(), o.symbol);
}

bool Read(const fb::SymbolConfigured& m, SymbolConfigured& o) noexcept {
  o.atoms_per_lot_tick = m.atoms_per_lot_tick();
  return ReadId(m.symbol(), o.symbol);
}

bool Read(const fb::BalanceChanged& m, BalanceChanged& o) noexcept {
  o.amount = Atoms(m.amount());
  o.quote_after = Atoms(m.quote_after());
  return ReadId(m.account(), o.account) && ReadId(m.bucket(), o.bucket);
}

bool Read(const fb::LeverageSet& m, LeverageSet& o) noexcept {
  o.leverage = m.leverage();
  return ReadId(m.account(), o.account) && ReadId(m.bucket(), o.bucket);
}

bool Read(const fb::MarkUpdated& m, MarkUpdated& o) noexcept {
  o.mark = Price(m.mark());
  o.index = Price(m.index());
  return ReadId(m.symbol(), o.symbol);
}

// Risk events all start with account, bucket, symbol and round.
template <typename Message, typename RiskEvent>
bool ReadRiskHead(const Message& m, RiskEvent& o) noexcept {
  o.round = m.round();
  return ReadId(m.account(), o.account) && ReadId(m.bucket(), o.bucket) &&
         ReadId(m.symbol(), o.symbol);
}

bool Read(const fb::MarginCall& m, MarginCall& o) noexcept {
  o.equity = Atoms(m.equity());
  o.maintenance = Atoms(m.maintenance());
  return ReadRiskHead(m, o);
}

bool Read(const fb::LiquidationOrder& m, LiquidationOrder& o) noexcept {
  o.side = Enum<Side>(m.side());
  o.qty = Qty(m.qty());
  o.limit_price = Price(m.limit_price());
  o.bankruptcy_quote = Atoms(m.bankruptcy_quote());
  return ReadRiskHead(m, o);
}

bool Read(const fb::LiquidationFill& m, LiquidationFill& o) noexcept {
  o.price = Price(m.price());
  o.qty = Qty(m.qty());
  o.quote = Atoms(m.quote());
  o.bankruptcy_share = Atoms(m.bankruptcy_share());
  o.fee_to_fund = Atoms(m.fee_to_fund());
  o.fund_paid = Atoms(m.fund_paid());
  return ReadRiskHead(m, o);
}

bool Read(const fb::Takeover& m, Takeover& o) noexcept {
  o.qty = Qty(m.qty());
  o.bankruptcy_quote = Atoms(m.bankruptcy_quote());
  return ReadRiskHead(m, o) && ReadId(m.fund_bucket(), o.fund_bucket);
}

bool Read(const fb::AdlFill& m, AdlFill& o) noexcept {
  o.qty = Qty(m.qty());
  o.price = Price(m.price());
  o.quote = Atoms(m.quote());
  o.score = m.score();
  return ReadRiskHead(m, o) && ReadId(m.counter_account(), o.counter_account) &&
         ReadId(m.counter_bucket(), o.counter_bucket);
}

bool Read(const fb::BadDebt& m, BadDebt& o) noexcept {
  o.amount = Atoms(m.amount());
  return ReadRiskHead(m, o);
}

bool Read(const fb::FundingPayment& m, FundingPayment& o) noexcept {
  o.rate = m.rate();
  o.index_delta = m.index_delta();
  o.paid_by_payers = Atoms(m.paid_by_payers());
  o.residual_to_fund = Atoms(m.residual_to_fund());
  return ReadId(m.symbol(), o.symbol);
}

bool Read(const fb::BucketState& m, BucketState& o) noexcept {
  o.round = m.round();
  o.quote = Atoms(m.quote());
  o.equity = Atoms(m.equity());
  o.maintenance = Atoms(m.maintenance());
  o.initial = Atoms(m.initial());
  o.in_liquidation = m.in_liquidation();
  return ReadId(m.account(), o.account) && ReadId(m.bucket(), o.bucket);
}

bool Read(const fb::SessionAccepted& m, SessionAccepted& o) noexcept {
  o.session = m.session();
  o.accounts = m.accounts();
  o.admin = m.admin();
  return ReadId(m.account(), o.account);
}

template <typename Body, typename Table>
bool ReadEventBody(const void* table, Event& out) noexcept {
  Body& body = out.body.emplace<Body>();
  return table != nullptr && Read(*static_cast<const Table*>(table), body);
}

// ------------------------------------------------------------------------- symbol config

RejectReason ReadRiskParams(const fb::RiskParams& m, RiskParams& o) noexcept {
  if (const auto* tiers = m.tiers(); tiers != nullptr) {
    if (tiers->size() > o.tiers.size()) return RejectReason::kInvalidSymbolConfig;
    for (flatbuffers::uoffset_t i = 0; i < tiers->size(); ++i) {
      const fb::MarginTier* tier = tiers->Get(i);
      if (tier == nullptr) return RejectReason::kInvalidSymbolConfig;
      o.tiers[i] = MarginTier{Atoms(tier->notional_floor()), tier->mmr(), tier->imr()};
    }
    o.tier_count = static_cast<uint8_t>(tiers->size());
  }
  o.maker_fee = m.maker_fee();
  o.taker_fee = m.taker_fee();
  o.liquidation_fee = m.liquidation_fee();
  o.mark_mode = Enum<MarkMode>(m.mark_mode());
  o.mark_sample_interval_ns = m.mark_sample_interval_ns();
  o.mark_ma_samples = m.mark_ma_samples();
  o.index_impact_lambda = m.index_impact_lambda();
  o.index_impact_window_ns = m.index_impact_window_ns();
  o.order_policy = Enum<LiquidationOrderPolicy>(m.order_policy());
  o.mark_band = m.mark_band();
  o.size_policy = Enum<LiquidationSizePolicy>(m.size_policy());
  o.partial_threshold = Atoms(m.partial_threshold());
  o.partial_fraction = m.partial_fraction();
  o.partial_cooldown_ns = m.partial_cooldown_ns();
  o.backstop_threshold = m.backstop_threshold();
  o.adl_ranking = Enum<AdlRanking>(m.adl_ranking());
  o.funding_price = Enum<FundingPriceSource>(m.funding_price());
  o.funding_interval_ns = m.funding_interval_ns();
  o.funding_interest = m.funding_interest();
  o.funding_clamp = m.funding_clamp();
  o.fund_group = m.fund_group();
  o.preset = Enum<RiskPreset>(m.preset());
  return RejectReason::kNone;
}

}  // namespace

// flatten: GCC leaves FlatBuffers' per-field verification calls out of line otherwise, and they
// are most of the cost of a small message.
[[gnu::flatten]] const fb::Input* VerifyInput(std::span<const uint8_t> frame) noexcept {
  return VerifyFrame<fb::Input>(frame, kInputIdentifier);
}

[[gnu::flatten]] const fb::Output* VerifyOutput(std::span<const uint8_t> frame) noexcept {
  return VerifyFrame<fb::Output>(frame, kOutputIdentifier);
}

RejectReason ReadConfigureSymbol(const fb::ConfigureSymbol& message, SymbolConfig& o) noexcept {
  o = SymbolConfig{};
  const fb::SymbolConfig* m = message.config();
  if (m == nullptr) return RejectReason::kMalformed;
  return ReadSymbolConfig(*m, o);
}

RejectReason ReadSymbolConfig(const fb::SymbolConfig& config, SymbolConfig& o) noexcept {
  o = SymbolConfig{};
  const fb::SymbolConfig* m = &config;
  if (!ReadId(m->symbol(), o.symbol)) return RejectReason::kMalformed;
  if (!ReadString(m->name(), o.name)) return RejectReason::kInvalidSymbolConfig;
  o.tick_size_nanos = m->tick_size_nanos();
  o.lot_size_nanos = m->lot_size_nanos();
  o.min_price = Price(m->min_price());
  o.max_price = Price(m->max_price());
  o.max_order_qty = Qty(m->max_order_qty());
  o.max_position_qty = Qty(m->max_position_qty());
  o.market_protection_ticks = m->market_protection_ticks();
  if (const fb::RiskParams* risk = m->risk(); risk != nullptr) {
    return ReadRiskParams(*risk, o.risk);
  }
  return RejectReason::kNone;
}

[[gnu::flatten]] RejectReason ReadInput(const fb::Input& input, Command& out) noexcept {
  out.seq = SeqNo(input.seq());
  out.ts = Timestamp(input.ts_ns());
  const void* body = input.body();
  switch (input.body_type()) {
    case fb::CommandBody::NONE:
      return RejectReason::kMalformed;
    case fb::CommandBody::NewOrder:
      return ReadCommandBody<NewOrder, fb::NewOrder>(body, out);
    case fb::CommandBody::CancelOrder:
      return ReadCommandBody<CancelOrder, fb::CancelOrder>(body, out);
    case fb::CommandBody::AmendOrder:
      return ReadCommandBody<AmendOrder, fb::AmendOrder>(body, out);
    case fb::CommandBody::MassCancel:
      return ReadCommandBody<MassCancel, fb::MassCancel>(body, out);
    case fb::CommandBody::ConfigureSymbol:
      return ReadCommandBody<ConfigureSymbol, fb::ConfigureSymbol>(body, out);
    case fb::CommandBody::Deposit:
      return ReadCommandBody<Deposit, fb::Deposit>(body, out);
    case fb::CommandBody::Withdraw:
      return ReadCommandBody<Withdraw, fb::Withdraw>(body, out);
    case fb::CommandBody::SetLeverage:
      return ReadCommandBody<SetLeverage, fb::SetLeverage>(body, out);
    case fb::CommandBody::IndexPrice:
      return ReadCommandBody<IndexPrice, fb::IndexPrice>(body, out);
    case fb::CommandBody::MarkPrice:
      return ReadCommandBody<MarkPrice, fb::MarkPrice>(body, out);
    case fb::CommandBody::FundingRate:
      return ReadCommandBody<FundingRate, fb::FundingRate>(body, out);
    case fb::CommandBody::Timer:
      return ReadCommandBody<Timer, fb::Timer>(body, out);
    case fb::CommandBody::Logon:
      return ReadCommandBody<Logon, fb::Logon>(body, out);
  }
  // A tag from a newer schema: the frame is well formed, this build just does not know it.
  return RejectReason::kUnsupportedCommand;
}

[[gnu::flatten]] bool ReadOutput(const fb::Output& output, Event& out) noexcept {
  out.seq = SeqNo(output.seq());
  out.ts = Timestamp(output.ts_ns());
  const void* body = output.body();
  switch (output.body_type()) {
    case fb::EventBody::NONE:
      return false;
    case fb::EventBody::OrderAccepted:
      return ReadEventBody<OrderAccepted, fb::OrderAccepted>(body, out);
    case fb::EventBody::CommandRejected:
      return ReadEventBody<CommandRejected, fb::CommandRejected>(body, out);
    case fb::EventBody::OrderTriggered:
      return ReadEventBody<OrderTriggered, fb::OrderTriggered>(body, out);
    case fb::EventBody::OrderAmended:
      return ReadEventBody<OrderAmended, fb::OrderAmended>(body, out);
    case fb::EventBody::Trade:
      return ReadEventBody<Trade, fb::Trade>(body, out);
    case fb::EventBody::OrderCancelled:
      return ReadEventBody<OrderCancelled, fb::OrderCancelled>(body, out);
    case fb::EventBody::OrderExpired:
      return ReadEventBody<OrderExpired, fb::OrderExpired>(body, out);
    case fb::EventBody::TopOfBook:
      return ReadEventBody<TopOfBook, fb::TopOfBook>(body, out);
    case fb::EventBody::SymbolConfigured:
      return ReadEventBody<SymbolConfigured, fb::SymbolConfigured>(body, out);
    case fb::EventBody::BalanceChanged:
      return ReadEventBody<BalanceChanged, fb::BalanceChanged>(body, out);
    case fb::EventBody::LeverageSet:
      return ReadEventBody<LeverageSet, fb::LeverageSet>(body, out);
    case fb::EventBody::MarkUpdated:
      return ReadEventBody<MarkUpdated, fb::MarkUpdated>(body, out);
    case fb::EventBody::MarginCall:
      return ReadEventBody<MarginCall, fb::MarginCall>(body, out);
    case fb::EventBody::LiquidationOrder:
      return ReadEventBody<LiquidationOrder, fb::LiquidationOrder>(body, out);
    case fb::EventBody::LiquidationFill:
      return ReadEventBody<LiquidationFill, fb::LiquidationFill>(body, out);
    case fb::EventBody::Takeover:
      return ReadEventBody<Takeover, fb::Takeover>(body, out);
    case fb::EventBody::AdlFill:
      return ReadEventBody<AdlFill, fb::AdlFill>(body, out);
    case fb::EventBody::BadDebt:
      return ReadEventBody<BadDebt, fb::BadDebt>(body, out);
    case fb::EventBody::FundingPayment:
      return ReadEventBody<FundingPayment, fb::FundingPayment>(body, out);
    case fb::EventBody::BucketState:
      return ReadEventBody<BucketState, fb::BucketState>(body, out);
    case fb::EventBody::SessionAccepted:
      return ReadEventBody<SessionAccepted, fb::SessionAccepted>(body, out);
  }
  return false;
}

}  // namespace cascade::wire::internal
