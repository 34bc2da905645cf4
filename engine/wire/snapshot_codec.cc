#include "engine/wire/snapshot_codec.h"

#include <cstring>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/wire/fb_read.h"
#include "engine/wire/fb_write.h"
#include "engine/wire/snapshot_generated.h"

namespace cascade::wire {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::Vector;
using internal::Enum;

fb::SnapInt128 ToWire(int128 v) noexcept {
  return fb::SnapInt128(static_cast<uint64_t>(v), static_cast<int64_t>(v >> 64));
}

int128 FromWire(const fb::SnapInt128* v) noexcept {
  if (v == nullptr) return 0;
  return static_cast<int128>(static_cast<uint64_t>(v->hi())) << 64 | v->lo();
}

// --------------------------------------------------------------------------------- encode

Offset<Vector<Offset<fb::SnapOrder>>> WriteOrders(FlatBufferBuilder& fbb,
                                                  const std::vector<OrderSnapshot>& orders) {
  std::vector<Offset<fb::SnapOrder>> out;
  out.reserve(orders.size());
  for (const OrderSnapshot& o : orders) {
    fb::SnapOrderBuilder b(fbb);
    b.add_id(o.id.value());
    b.add_price(o.price.value());
    b.add_stop_price(o.stop_price.value());
    b.add_open(o.open.value());
    b.add_account(o.account.value());
    b.add_bucket(o.bucket.value());
    b.add_side(Enum<fb::Side>(o.side));
    b.add_type(Enum<fb::OrderType>(o.type));
    b.add_tif(Enum<fb::TimeInForce>(o.tif));
    b.add_stp(Enum<fb::StpMode>(o.stp));
    b.add_margin(Enum<fb::MarginMode>(o.margin));
    b.add_reduce_only(o.reduce_only);
    out.push_back(b.Finish());
  }
  return fbb.CreateVector(out);
}

Offset<fb::SnapSymbol> WriteSymbol(FlatBufferBuilder& fbb, const SymbolSnapshot& s) {
  const auto config = internal::WriteSymbolConfig(fbb, s.config);
  const auto bids = WriteOrders(fbb, s.bids);
  const auto asks = WriteOrders(fbb, s.asks);
  const auto buy_stops = WriteOrders(fbb, s.buy_stops);
  const auto sell_stops = WriteOrders(fbb, s.sell_stops);
  fb::SnapSymbolBuilder b(fbb);
  b.add_last_trade(s.last_trade.value());
  b.add_top_bid_price(s.published_top.bid_price.value());
  b.add_top_bid_qty(s.published_top.bid_qty.value());
  b.add_top_ask_price(s.published_top.ask_price.value());
  b.add_top_ask_qty(s.published_top.ask_qty.value());
  b.add_config(config);
  b.add_bids(bids);
  b.add_asks(asks);
  b.add_buy_stops(buy_stops);
  b.add_sell_stops(sell_stops);
  b.add_has_last_trade(s.has_last_trade);
  return b.Finish();
}

Offset<fb::SnapMarkPrice> WriteMarkPrice(FlatBufferBuilder& fbb, const risk::MarkPriceSnapshot& m) {
  const auto basis = fbb.CreateVector(m.basis);
  std::vector<fb::SnapInt128> impact_values;
  impact_values.reserve(m.impact.size());
  for (int128 v : m.impact) impact_values.push_back(ToWire(v));
  const auto impact = fbb.CreateVectorOfStructs(impact_values);
  const fb::SnapInt128 basis_sum = ToWire(m.basis_sum);
  const fb::SnapInt128 premium_sum = ToWire(m.premium_sum);
  const fb::SnapInt128 impact_net = ToWire(m.impact_net);
  fb::SnapMarkPriceBuilder b(fbb);
  b.add_index(m.index);
  b.add_external(m.external);
  b.add_predicted_rate(m.predicted_rate);
  b.add_top_bid(m.top_bid);
  b.add_top_ask(m.top_ask);
  b.add_top_last(m.top_last);
  b.add_slot(m.slot);
  b.add_premium_count(m.premium_count);
  b.add_basis_sum(&basis_sum);
  b.add_premium_sum(&premium_sum);
  b.add_impact_net(&impact_net);
  b.add_basis(basis);
  b.add_impact(impact);
  b.add_basis_count(m.basis_count);
  b.add_basis_head(m.basis_head);
  return b.Finish();
}

Offset<fb::SnapRiskSymbol> WriteRiskSymbol(FlatBufferBuilder& fbb,
                                           const risk::RiskSymbolSnapshot& s) {
  const auto mark_price = WriteMarkPrice(fbb, s.mark_price);
  const auto holders = fbb.CreateVector(s.holders);
  const fb::SnapInt128 funding_index = ToWire(s.funding_index);
  fb::SnapRiskSymbolBuilder b(fbb);
  b.add_mark(s.mark);
  b.add_last_funding_rate(s.last_funding_rate);
  b.add_funding_slot(s.funding_slot);
  b.add_funding_index(&funding_index);
  b.add_mark_price(mark_price);
  b.add_holders(holders);
  b.add_symbol(s.config.symbol.value());
  b.add_funding_slot_known(s.funding_slot_known);
  return b.Finish();
}

Offset<fb::SnapBucket> WriteBucket(FlatBufferBuilder& fbb, const risk::BucketSnapshot& s) {
  std::vector<Offset<fb::SnapPosition>> positions;
  positions.reserve(s.positions.size());
  for (const risk::PositionSnapshot& p : s.positions) {
    fb::SnapPositionBuilder pb(fbb);
    pb.add_size(p.size);
    pb.add_cost(p.cost);
    pb.add_open_buy(p.open_buy);
    pb.add_open_sell(p.open_sell);
    pb.add_symbol(p.symbol);
    positions.push_back(pb.Finish());
  }
  const auto positions_offset = fbb.CreateVector(positions);
  fb::SnapBucketBuilder b(fbb);
  b.add_quote(s.quote);
  b.add_cooldown_until(s.cooldown_until);
  b.add_liquidated_in_sweep(s.liquidated_in_sweep);
  b.add_collected_in(s.collected_in);
  b.add_positions(positions_offset);
  b.add_id(s.id.value());
  b.add_account(s.account.value());
  b.add_symbol(s.symbol.value());
  b.add_leverage(s.leverage);
  b.add_origin_round(s.origin_round);
  b.add_mode(Enum<fb::MarginMode>(s.mode));
  b.add_kind(Enum<fb::SnapBucketKind>(s.kind));
  b.add_in_liquidation(s.in_liquidation);
  b.add_parked(s.parked);
  b.add_in_retry(s.in_retry);
  return b.Finish();
}

Offset<fb::SnapRisk> WriteRisk(FlatBufferBuilder& fbb, const risk::RiskSnapshot& r) {
  std::vector<Offset<fb::SnapRiskSymbol>> symbols;
  symbols.reserve(r.symbols.size());
  for (const risk::RiskSymbolSnapshot& s : r.symbols) symbols.push_back(WriteRiskSymbol(fbb, s));
  const auto symbols_offset = fbb.CreateVector(symbols);
  std::vector<Offset<fb::SnapBucket>> buckets;
  buckets.reserve(r.buckets.size());
  for (const risk::BucketSnapshot& b : r.buckets) buckets.push_back(WriteBucket(fbb, b));
  const auto buckets_offset = fbb.CreateVector(buckets);
  const auto funds = fbb.CreateVector(r.funds.data(), r.funds.size());
  const auto retry = fbb.CreateVector(r.retry);
  const fb::SnapInt128 deposits = ToWire(r.audit.deposits);
  const fb::SnapInt128 withdrawals = ToWire(r.audit.withdrawals);
  fb::SnapAuditBuilder ab(fbb);
  ab.add_deposits(&deposits);
  ab.add_withdrawals(&withdrawals);
  ab.add_liquidation_fills_beyond_limit(r.audit.liquidation_fills_beyond_limit);
  ab.add_fund_paid_under_bankruptcy_policy(r.audit.fund_paid_under_bankruptcy_policy);
  ab.add_adl_legs_not_summing(r.audit.adl_legs_not_summing);
  ab.add_adl_counterparty_negative(r.audit.adl_counterparty_negative);
  ab.add_funding_not_zero_sum(r.audit.funding_not_zero_sum);
  const auto audit = ab.Finish();
  fb::SnapRiskBuilder b(fbb);
  b.add_seq(r.seq.value());
  b.add_now(r.now);
  b.add_sweep(r.sweep);
  b.add_collect(r.collect);
  b.add_symbols(symbols_offset);
  b.add_buckets(buckets_offset);
  b.add_funds(funds);
  b.add_retry(retry);
  b.add_audit(audit);
  b.add_time_known(r.time_known);
  return b.Finish();
}

// --------------------------------------------------------------------------------- decode

absl::Status Malformed(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("snapshot: ", what));
}

template <typename T>
[[nodiscard]] bool InRange(T value) noexcept {
  using U = std::underlying_type_t<T>;
  return static_cast<U>(value) >= static_cast<U>(T::MIN) &&
         static_cast<U>(value) <= static_cast<U>(T::MAX);
}

absl::Status ReadOrders(const Vector<Offset<fb::SnapOrder>>* in, std::vector<OrderSnapshot>& out) {
  if (in == nullptr) return absl::OkStatus();
  out.reserve(in->size());
  for (const fb::SnapOrder* o : *in) {
    if (!InRange(o->side()) || !InRange(o->type()) || !InRange(o->tif()) || !InRange(o->stp()) ||
        !InRange(o->margin())) {
      return Malformed("order enum out of range");
    }
    OrderSnapshot& s = out.emplace_back();
    s.account = AccountId(o->account());
    s.id = OrderId(o->id());
    s.bucket = BucketId(o->bucket());
    s.price = Price(o->price());
    s.stop_price = Price(o->stop_price());
    s.open = Qty(o->open());
    s.side = Enum<Side>(o->side());
    s.type = Enum<OrderType>(o->type());
    s.tif = Enum<TimeInForce>(o->tif());
    s.stp = Enum<StpMode>(o->stp());
    s.margin = Enum<MarginMode>(o->margin());
    s.reduce_only = o->reduce_only();
  }
  return absl::OkStatus();
}

absl::Status ReadSymbol(const fb::SnapSymbol& in, SymbolSnapshot& out) {
  if (in.config() == nullptr) return Malformed("symbol without config");
  if (internal::ReadSymbolConfig(*in.config(), out.config) != RejectReason::kNone) {
    return Malformed("unreadable symbol config");
  }
  out.has_last_trade = in.has_last_trade();
  out.last_trade = Price(in.last_trade());
  out.published_top = TopOfBook{out.config.symbol, Price(in.top_bid_price()), Qty(in.top_bid_qty()),
                                Price(in.top_ask_price()), Qty(in.top_ask_qty())};
  if (absl::Status s = ReadOrders(in.bids(), out.bids); !s.ok()) return s;
  if (absl::Status s = ReadOrders(in.asks(), out.asks); !s.ok()) return s;
  if (absl::Status s = ReadOrders(in.buy_stops(), out.buy_stops); !s.ok()) return s;
  return ReadOrders(in.sell_stops(), out.sell_stops);
}

void ReadMarkPrice(const fb::SnapMarkPrice* in, risk::MarkPriceSnapshot& out) {
  if (in == nullptr) return;
  out.index = in->index();
  out.external = in->external();
  out.predicted_rate = in->predicted_rate();
  out.top_bid = in->top_bid();
  out.top_ask = in->top_ask();
  out.top_last = in->top_last();
  out.slot = in->slot();
  if (in->basis() != nullptr) out.basis.assign(in->basis()->begin(), in->basis()->end());
  out.basis_count = in->basis_count();
  out.basis_head = in->basis_head();
  out.basis_sum = FromWire(in->basis_sum());
  out.premium_sum = FromWire(in->premium_sum());
  out.premium_count = in->premium_count();
  if (in->impact() != nullptr) {
    out.impact.reserve(in->impact()->size());
    for (const fb::SnapInt128* v : *in->impact()) out.impact.push_back(FromWire(v));
  }
  out.impact_net = FromWire(in->impact_net());
}

absl::Status ReadRisk(const fb::SnapRisk& in, const std::vector<SymbolSnapshot>& book,
                      risk::RiskSnapshot& out) {
  out.seq = SeqNo(in.seq());
  out.now = in.now();
  out.time_known = in.time_known();
  out.sweep = in.sweep();
  out.collect = in.collect();
  // Every configured symbol has risk state; its config is stored once, with the book.
  const size_t symbols = in.symbols() == nullptr ? 0 : in.symbols()->size();
  if (symbols != book.size()) return Malformed("risk symbols differ from book symbols");
  for (size_t i = 0; i < symbols; ++i) {
    const fb::SnapRiskSymbol& s = *in.symbols()->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (s.symbol() != book[i].config.symbol.value()) {
      return Malformed("risk symbols differ from book symbols");
    }
    risk::RiskSymbolSnapshot& rs = out.symbols.emplace_back();
    rs.config = book[i].config;
    rs.mark = s.mark();
    rs.funding_index = FromWire(s.funding_index());
    rs.last_funding_rate = s.last_funding_rate();
    rs.funding_slot = s.funding_slot();
    rs.funding_slot_known = s.funding_slot_known();
    ReadMarkPrice(s.mark_price(), rs.mark_price);
    if (s.holders() != nullptr) rs.holders.assign(s.holders()->begin(), s.holders()->end());
  }
  if (in.buckets() != nullptr) {
    out.buckets.reserve(in.buckets()->size());
    for (const fb::SnapBucket* b : *in.buckets()) {
      if (!InRange(b->mode()) || !InRange(b->kind())) return Malformed("bucket enum out of range");
      risk::BucketSnapshot& bs = out.buckets.emplace_back();
      bs.id = BucketId(b->id());
      bs.account = AccountId(b->account());
      bs.symbol = SymbolId(b->symbol());
      bs.mode = Enum<MarginMode>(b->mode());
      bs.kind = Enum<risk::BucketKind>(b->kind());
      bs.in_liquidation = b->in_liquidation();
      bs.parked = b->parked();
      bs.in_retry = b->in_retry();
      bs.leverage = b->leverage();
      bs.origin_round = b->origin_round();
      bs.quote = b->quote();
      bs.cooldown_until = b->cooldown_until();
      bs.liquidated_in_sweep = b->liquidated_in_sweep();
      bs.collected_in = b->collected_in();
      if (b->positions() == nullptr) continue;
      bs.positions.reserve(b->positions()->size());
      for (const fb::SnapPosition* p : *b->positions()) {
        bs.positions.push_back({p->symbol(), p->size(), p->cost(), p->open_buy(), p->open_sell()});
      }
    }
  }
  if (in.funds() != nullptr) {
    if (in.funds()->size() != out.funds.size()) return Malformed("wrong number of fund groups");
    for (size_t i = 0; i < out.funds.size(); ++i) {
      out.funds[i] = in.funds()->Get(static_cast<flatbuffers::uoffset_t>(i));
    }
  }
  if (in.retry() != nullptr) out.retry.assign(in.retry()->begin(), in.retry()->end());
  if (const fb::SnapAudit* a = in.audit(); a != nullptr) {
    out.audit.deposits = FromWire(a->deposits());
    out.audit.withdrawals = FromWire(a->withdrawals());
    out.audit.liquidation_fills_beyond_limit = a->liquidation_fills_beyond_limit();
    out.audit.fund_paid_under_bankruptcy_policy = a->fund_paid_under_bankruptcy_policy();
    out.audit.adl_legs_not_summing = a->adl_legs_not_summing();
    out.audit.adl_counterparty_negative = a->adl_counterparty_negative();
    out.audit.funding_not_zero_sum = a->funding_not_zero_sum();
  }
  return absl::OkStatus();
}

absl::StatusOr<EngineSnapshot> DecodeAligned(std::span<const uint8_t> bytes) {
  flatbuffers::Verifier::Options options;
  // Snapshot > SnapRisk > buckets > SnapBucket > positions > SnapPosition is the deepest path.
  options.max_depth = 16;
  // Every table takes at least 4 bytes: this bounds the work by the size, nothing more.
  options.max_tables = static_cast<flatbuffers::uoffset_t>(bytes.size() / 4 + 1);
  options.check_alignment = true;
  options.check_nested_flatbuffers = false;
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(), options);
  if (!verifier.VerifyBuffer<fb::Snapshot>(fb::SnapshotIdentifier())) {
    return Malformed("buffer does not verify as a cascade snapshot");
  }
  const fb::Snapshot& root = *fb::GetSnapshot(bytes.data());
  EngineSnapshot out;
  out.started = root.started();
  out.last_seq = SeqNo(root.last_seq());
  if (root.symbols() != nullptr) {
    out.symbols.reserve(root.symbols()->size());
    for (const fb::SnapSymbol* s : *root.symbols()) {
      if (absl::Status st = ReadSymbol(*s, out.symbols.emplace_back()); !st.ok()) return st;
    }
  }
  if (root.accounts() != nullptr) {
    out.accounts.reserve(root.accounts()->size());
    for (const fb::SnapAccount* a : *root.accounts()) {
      AccountSnapshot& as = out.accounts.emplace_back();
      as.account = AccountId(a->account());
      if (a->orders() == nullptr) continue;
      as.orders.reserve(a->orders()->size());
      for (uint64_t id : *a->orders()) as.orders.push_back(OrderId(id));
    }
  }
  if (root.risk() == nullptr) return Malformed("no risk state");
  if (absl::Status st = ReadRisk(*root.risk(), out.symbols, out.risk); !st.ok()) return st;
  return out;
}

}  // namespace

std::vector<uint8_t> EncodeSnapshot(const EngineSnapshot& snapshot) {
  FlatBufferBuilder fbb(1 << 16);
  fbb.ForceDefaults(false);
  std::vector<Offset<fb::SnapSymbol>> symbols;
  symbols.reserve(snapshot.symbols.size());
  for (const SymbolSnapshot& s : snapshot.symbols) symbols.push_back(WriteSymbol(fbb, s));
  const auto symbols_offset = fbb.CreateVector(symbols);
  std::vector<Offset<fb::SnapAccount>> accounts;
  accounts.reserve(snapshot.accounts.size());
  for (const AccountSnapshot& a : snapshot.accounts) {
    std::vector<uint64_t> ids;
    ids.reserve(a.orders.size());
    for (OrderId id : a.orders) ids.push_back(id.value());
    accounts.push_back(fb::CreateSnapAccount(fbb, a.account.value(), fbb.CreateVector(ids)));
  }
  const auto accounts_offset = fbb.CreateVector(accounts);
  const auto risk = WriteRisk(fbb, snapshot.risk);
  fb::SnapshotBuilder b(fbb);
  b.add_last_seq(snapshot.last_seq.value());
  b.add_symbols(symbols_offset);
  b.add_accounts(accounts_offset);
  b.add_risk(risk);
  b.add_started(snapshot.started);
  fb::FinishSnapshotBuffer(fbb, b.Finish());
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

absl::StatusOr<EngineSnapshot> DecodeSnapshot(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8 || bytes.size() > kMaxSnapshotBytes) {
    return Malformed(absl::StrCat("size ", bytes.size(), " out of bounds"));
  }
  // FlatBuffers reads scalars in place: misaligned input is copied first.
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) {
    std::vector<uint64_t> aligned((bytes.size() + 7) / 8);
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    return DecodeAligned(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(aligned.data()), bytes.size()));
  }
  return DecodeAligned(bytes);
}

}  // namespace cascade::wire
