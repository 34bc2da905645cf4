#include "engine/engine.h"

#include <algorithm>

#include "engine/core/digest.h"
#include "engine/engine_impl.h"

namespace cascade {

EngineImpl::EngineImpl(const EngineConfig& config)
    : config_(config),
      risk_(risk::RiskEngineConfig{config.max_symbols, config.max_buckets, config.max_positions}),
      orders_(config.max_orders),
      // Every live order sits in at most one level, so the level pool can never run out first.
      levels_(static_cast<size_t>(config.max_orders) + 1),
      account_pool_(config.max_accounts) {
  symbols_.resize(config.max_symbols);
  order_index_.reserve(std::min(config.max_orders, config.order_index_reserve));
  accounts_.reserve(config.max_accounts);
  touched_.reserve(config.max_symbols);
  events_.reserve(config.event_buffer_reserve);
}

EngineImpl::~EngineImpl() {
  // Unlink every order before the pools go away (intrusive hooks are in normal_link mode).
  order_index_.ForEachUnordered([](Order& order) { order.account_hook.unlink(); });
  for (auto& sym : symbols_) {
    if (!sym) continue;
    sym->bids.Clear();
    sym->asks.Clear();
    sym->buy_stops.Clear();
    sym->sell_stops.Clear();
  }
}

std::span<const Event> EngineImpl::Apply(const Command& command) noexcept {
  events_.clear();
  seq_ = command.seq;
  ts_ = command.ts;
  command_kind_ = static_cast<uint8_t>(command.body.index());
  if (started_ && command.seq <= last_seq_) {
    Reject(RejectReason::kStaleSequence);
    return events_;
  }
  started_ = true;
  last_seq_ = command.seq;
  risk_.BeginCommand(command.seq, command.ts, &events_);
  // The book's three commands are dispatched by hand so their handlers can be inlined here;
  // std::visit calls every alternative through a table.
  if (const auto* amend = std::get_if<AmendOrder>(&command.body)) {
    Handle(*amend);
  } else if (const auto* order = std::get_if<NewOrder>(&command.body)) {
    Handle(*order);
  } else if (const auto* cancel = std::get_if<CancelOrder>(&command.body)) {
    Handle(*cancel);
  } else {
    std::visit([this](const auto& body) { Handle(body); }, command.body);
  }
  if (stage_callback_ != nullptr) [[unlikely]]
    stage_callback_(stage_context_, ApplyStage::kCommandHandled);
  // To quiescence: the liquidations this command set off, generation by generation.
  risk_.Sweep(venue_);
  if (!touched_.empty()) PublishTopOfBook();
  if (stage_callback_ != nullptr) [[unlikely]]
    stage_callback_(stage_context_, ApplyStage::kSweepDone);
  return events_;
}

void EngineImpl::Reject(RejectReason reason, SymbolId symbol, AccountId account,
                        OrderId order) noexcept {
  Emit(CommandRejected{command_kind_, symbol, account, order, reason});
}

void EngineImpl::Handle(const Logon&) noexcept {
  Reject(RejectReason::kUnsupportedCommand);  // sessions belong to the gateway
}

void EngineImpl::Handle(const Timer&) noexcept {}  // time advanced in Apply; the sweep follows

void EngineImpl::Handle(const Deposit& cmd) noexcept {
  if (RejectReason r = risk_.Deposit(cmd.account, cmd.margin, cmd.symbol, cmd.amount);
      r != RejectReason::kNone) {
    Reject(r, cmd.symbol, cmd.account);
  }
}

void EngineImpl::Handle(const Withdraw& cmd) noexcept {
  if (RejectReason r = risk_.Withdraw(cmd.account, cmd.margin, cmd.symbol, cmd.amount);
      r != RejectReason::kNone) {
    Reject(r, cmd.symbol, cmd.account);
  }
}

void EngineImpl::Handle(const SetLeverage& cmd) noexcept {
  if (RejectReason r = risk_.SetLeverage(cmd.account, cmd.margin, cmd.symbol, cmd.leverage);
      r != RejectReason::kNone) {
    Reject(r, cmd.symbol, cmd.account);
  }
}

void EngineImpl::Handle(const IndexPrice& cmd) noexcept {
  const SymbolState* sym = FindSymbol(cmd.symbol);
  if (sym == nullptr) return Reject(RejectReason::kUnknownSymbol, cmd.symbol);
  if (cmd.price.value() <= 0) return Reject(RejectReason::kInvalidPrice, cmd.symbol);
  risk_.OnIndexPrice(cmd.symbol, cmd.price);
}

void EngineImpl::Handle(const MarkPrice& cmd) noexcept {
  const SymbolState* sym = FindSymbol(cmd.symbol);
  if (sym == nullptr) return Reject(RejectReason::kUnknownSymbol, cmd.symbol);
  if (cmd.price.value() <= 0) return Reject(RejectReason::kInvalidPrice, cmd.symbol);
  risk_.OnMarkPrice(cmd.symbol, cmd.price);
}

void EngineImpl::Handle(const FundingRate& cmd) noexcept {
  if (FindSymbol(cmd.symbol) == nullptr) return Reject(RejectReason::kUnknownSymbol, cmd.symbol);
  if (RejectReason r = risk_.OnFundingRate(cmd.symbol, cmd.rate); r != RejectReason::kNone) {
    Reject(r, cmd.symbol);
  }
}

Price EngineImpl::MarketLimit(SymbolState& sym, Side side) const noexcept {
  const PriceLevel* best = sym.Side(Opposite(side)).Best();
  if (best == nullptr) return Price{0};
  const int64_t band = sym.config.market_protection_ticks;
  return side == Side::kBuy ? std::min(Price(best->price.value() + band), sym.config.max_price)
                            : std::max(Price(best->price.value() - band), sym.config.min_price);
}

risk::OrderDecision EngineImpl::CheckMargin(SymbolState& sym, const Order& order, Price price,
                                            Qty qty) const noexcept {
  if (!sym.margined) return {RejectReason::kNone, risk::kNoBucket};
  risk::OrderIntent intent;
  intent.account = order.account;
  intent.margin = order.margin;
  intent.symbol = order.symbol;
  intent.side = order.side;
  intent.price = price;
  intent.qty = qty;
  intent.reduce_only = order.reduce_only;
  intent.may_rest = order.tif == TimeInForce::kGtc || order.tif == TimeInForce::kPostOnly;
  if (order.type == OrderType::kMarket || order.type == OrderType::kStopMarket) {
    intent.may_rest = false;
    // A market order is checked at the worst price its band allows; with an empty book it
    // cannot fill, so the stop price (or nothing) stands in.
    const Price limit = MarketLimit(sym, order.side);
    intent.price = limit.value() > 0 ? limit : order.stop_price;
  }
  return risk_.CheckOrder(intent);
}

AccountState* EngineImpl::GetOrCreateAccount(AccountId id) noexcept {
  auto it = accounts_.find(id);
  if (it != accounts_.end()) return it->second;
  AccountState* state = account_pool_.Acquire();
  if (state == nullptr) return nullptr;
  accounts_.emplace(id, state);
  return state;
}

RejectReason EngineImpl::ValidateNewOrder(const SymbolState& sym,
                                          const NewOrder& cmd) const noexcept {
  if (cmd.qty.value() <= 0) return RejectReason::kInvalidQuantity;
  if (cmd.qty > sym.config.max_order_qty) return RejectReason::kQuantityTooLarge;
  const bool has_limit = cmd.type == OrderType::kLimit || cmd.type == OrderType::kStopLimit;
  const bool is_stop = cmd.type == OrderType::kStopLimit || cmd.type == OrderType::kStopMarket;
  if (has_limit) {
    if (cmd.price.value() <= 0) return RejectReason::kInvalidPrice;
    if (!PriceInLimits(sym, cmd.price)) return RejectReason::kPriceOutOfBounds;
  }
  if (is_stop) {
    if (cmd.stop_price.value() <= 0) return RejectReason::kInvalidPrice;
    if (!PriceInLimits(sym, cmd.stop_price)) return RejectReason::kPriceOutOfBounds;
  }
  if (static_cast<uint8_t>(cmd.type) > static_cast<uint8_t>(OrderType::kStopMarket) ||
      static_cast<uint8_t>(cmd.tif) > static_cast<uint8_t>(TimeInForce::kPostOnly) ||
      static_cast<uint8_t>(cmd.stp) > static_cast<uint8_t>(StpMode::kCancelBoth) ||
      static_cast<uint8_t>(cmd.side) > static_cast<uint8_t>(Side::kSell)) {
    return RejectReason::kInvalidOrderType;
  }
  if (cmd.tif == TimeInForce::kPostOnly && cmd.type != OrderType::kLimit) {
    return RejectReason::kInvalidOrderType;
  }
  return RejectReason::kNone;
}

void EngineImpl::Handle(const NewOrder& cmd) noexcept {
  SymbolState* sym = FindSymbol(cmd.symbol);
  auto reject = [&](RejectReason r) { Reject(r, cmd.symbol, cmd.account, cmd.order_id); };
  if (sym == nullptr) return reject(RejectReason::kUnknownSymbol);
  if (RejectReason r = ValidateNewOrder(*sym, cmd); r != RejectReason::kNone) return reject(r);
  if (order_index_.Contains(cmd.account, cmd.order_id)) {
    return reject(RejectReason::kDuplicateOrderId);
  }
  if (orders_.available() == 0) return reject(RejectReason::kOrderPoolExhausted);
  if (cmd.tif == TimeInForce::kPostOnly && WouldCross(*sym, cmd.side, cmd.price)) {
    return reject(RejectReason::kPostOnlyWouldTake);
  }
  const bool is_stop = cmd.type == OrderType::kStopLimit || cmd.type == OrderType::kStopMarket;
  if (is_stop && sym->has_last_trade &&
      (cmd.side == Side::kBuy ? sym->last_trade >= cmd.stop_price
                              : sym->last_trade <= cmd.stop_price)) {
    return reject(RejectReason::kStopWouldTriggerImmediately);
  }
  AccountState* account = GetOrCreateAccount(cmd.account);
  if (account == nullptr) return reject(RejectReason::kOrderPoolExhausted);

  Order& order = *orders_.Acquire();
  order.id = cmd.order_id;
  order.account = cmd.account;
  order.symbol = cmd.symbol;
  order.price = cmd.price;
  order.stop_price = cmd.stop_price;
  order.open = cmd.qty;
  order.side = cmd.side;
  order.type = cmd.type;
  order.tif = cmd.tif;
  order.stp = cmd.stp;
  order.margin = cmd.margin;
  order.reduce_only = cmd.reduce_only;
  const risk::OrderDecision margin = CheckMargin(
      *sym, order, is_stop && cmd.type == OrderType::kStopMarket ? cmd.stop_price : cmd.price,
      cmd.qty);
  if (margin.reason != RejectReason::kNone) {
    orders_.Release(&order);
    return reject(margin.reason);
  }
  order.bucket = margin.bucket;
  order_index_.Insert(order);
  account->orders.push_back(order);
  Emit(OrderAccepted{cmd.symbol, cmd.account, cmd.order_id, cmd.side, cmd.type, cmd.tif, cmd.price,
                     cmd.stop_price, cmd.qty});

  if (is_stop) {
    order.pending_stop = true;
    const bool ok = sym->Stops(order.side).Append(order, order.stop_price);
    CASCADE_ASSERT(ok);
    return;
  }
  Execute(*sym, order);
  TriggerStops(*sym);
}

void EngineImpl::Handle(const CancelOrder& cmd) noexcept {
  SymbolState* sym = FindSymbol(cmd.symbol);
  if (sym == nullptr) {
    return Reject(RejectReason::kUnknownSymbol, cmd.symbol, cmd.account, cmd.order_id);
  }
  Order* order = order_index_.Find(cmd.account, cmd.order_id);
  if (order == nullptr || order->symbol != cmd.symbol) {
    return Reject(RejectReason::kUnknownOrder, cmd.symbol, cmd.account, cmd.order_id);
  }
  CancelLive(*sym, *order, CancelReason::kUser, order->level == sym->Side(order->side).Best());
}

// Inlined into Apply: four commands in five of the book's are amends.
[[gnu::always_inline]] inline void EngineImpl::Handle(const AmendOrder& cmd) noexcept {
  SymbolState* sym = FindSymbol(cmd.symbol);
  auto reject = [&](RejectReason r) { Reject(r, cmd.symbol, cmd.account, cmd.order_id); };
  if (sym == nullptr) return reject(RejectReason::kUnknownSymbol);
  Order* found = order_index_.Find(cmd.account, cmd.order_id);
  if (found == nullptr || found->symbol != cmd.symbol) return reject(RejectReason::kUnknownOrder);
  Order& order = *found;
  if (order.pending_stop) return reject(RejectReason::kNotAmendable);
  if (cmd.new_qty.value() <= 0) return reject(RejectReason::kInvalidQuantity);
  if (cmd.new_qty > sym->config.max_order_qty) return reject(RejectReason::kQuantityTooLarge);
  if (cmd.new_price.value() <= 0) return reject(RejectReason::kInvalidPrice);
  if (!PriceInLimits(*sym, cmd.new_price)) return reject(RejectReason::kPriceOutOfBounds);
  if (cmd.new_price == order.price && cmd.new_qty == order.open) {
    return reject(RejectReason::kAmendNoChange);
  }
  BookSide& side = sym->Side(order.side);
  // A margined symbol is touched before the risk check can refuse the amend, as it always was
  // (TouchIfTopMayChange).
  if (sym->margined) Touch(*sym);
  if (cmd.new_price == order.price && cmd.new_qty < order.open) {
    // Only the best level's total is published.
    TouchIfTopMayChange(*sym, order.level == side.Best());
    if (sym->margined) {
      risk_.OnOrderRemoved(order.bucket, order.symbol, order.side, order.price,
                           order.open - cmd.new_qty);
    }
    side.Reduce(order, order.open - cmd.new_qty);
    Emit(OrderAmended{cmd.symbol, cmd.account, cmd.order_id, order.price, order.open, true});
    return;
  }
  if (order.tif == TimeInForce::kPostOnly && WouldCross(*sym, order.side, cmd.new_price)) {
    return reject(RejectReason::kPostOnlyWouldTake);
  }
  // The amended order is a new commitment: check its margin without the open notional it replaces.
  if (sym->margined) {
    risk_.OnOrderRemoved(order.bucket, order.symbol, order.side, order.price, order.open);
    if (RejectReason r = CheckMargin(*sym, order, cmd.new_price, cmd.new_qty).reason;
        r != RejectReason::kNone) {
      risk_.OnOrderRested(order.bucket, order.symbol, order.side, order.price, order.open);
      return reject(r);
    }
  }
  Emit(OrderAmended{cmd.symbol, cmd.account, cmd.order_id, cmd.new_price, cmd.new_qty, false});
  if (WouldCross(*sym, order.side, cmd.new_price)) [[unlikely]] {
    side.Remove(order);
    order.price = cmd.new_price;
    order.open = cmd.new_qty;
    Execute(*sym, order);
    TriggerStops(*sym);
    return;
  }
  // Most amends cross nothing: the order goes straight to the back of its new level, which is all
  // Execute would do with a resting (GTC or post-only limit) order that crosses nothing. Nothing
  // trades, so no stop can trigger.
  bool top_changed = false;
  const bool ok = side.Move(order, cmd.new_price, cmd.new_qty, top_changed);
  CASCADE_ASSERT(ok);  // the level pool is larger than the order pool
  TouchIfTopMayChange(*sym, top_changed);
  order.price = cmd.new_price;
  NoteRested(*sym, order);
}

void EngineImpl::Handle(const MassCancel& cmd) noexcept {
  auto it = accounts_.find(cmd.account);
  if (it == accounts_.end()) return;
  AccountOrderList& list = it->second->orders;
  for (auto next = list.begin(); next != list.end();) {
    Order& order = *next++;  // advance first: cancelling unlinks the order
    if (!cmd.all_symbols && order.symbol != cmd.symbol) continue;
    CancelLive(*FindSymbol(order.symbol), order, CancelReason::kMassCancel);
  }
}

void EngineImpl::Handle(const ConfigureSymbol& cmd) noexcept {
  const SymbolConfig& c = cmd.config;
  auto reject = [&](RejectReason r) { Reject(r, c.symbol); };
  if (c.symbol.value() >= symbols_.size()) return reject(RejectReason::kInvalidSymbolConfig);
  if (symbols_[c.symbol.value()]) return reject(RejectReason::kSymbolExists);
  const int64_t k = AtomsPerLotTick(c);
  if (k == 0 || c.min_price.value() < 1 || c.max_price < c.min_price ||
      c.max_order_qty.value() <= 0 || c.market_protection_ticks < 0) {
    return reject(RejectReason::kInvalidSymbolConfig);
  }
  if (RejectReason r = risk_.OnSymbolConfigured(c); r != RejectReason::kNone) return reject(r);
  symbols_[c.symbol.value()] = std::make_unique<SymbolState>(c, k, levels_);
  Emit(SymbolConfigured{c.symbol, k});
}

// Inlined into Apply, its one caller: the call and its register saves cost as much as its body.
[[gnu::always_inline]] inline void EngineImpl::PublishTopOfBook() noexcept {
  for (SymbolState* sym : touched_) {
    sym->touched = false;
    const PriceLevel* bid = sym->bids.Best();
    const PriceLevel* ask = sym->asks.Best();
    const Price bid_price = bid != nullptr ? bid->price : Price{0};
    const Qty bid_qty = bid != nullptr ? bid->total : Qty{0};
    const Price ask_price = ask != nullptr ? ask->price : Price{0};
    const Qty ask_qty = ask != nullptr ? ask->total : Qty{0};
    TopOfBook& top = sym->published_top;
    // Most commands leave the top alone (an amend or cancel behind the best price).
    if (bid_price == top.bid_price && bid_qty == top.bid_qty && ask_price == top.ask_price &&
        ask_qty == top.ask_qty) {
      continue;
    }
    top = TopOfBook{sym->config.symbol, bid_price, bid_qty, ask_price, ask_qty};
    Emit(top);
  }
  touched_.clear();
}

namespace {

void DigestSide(Digest& d, const BookSide& side) noexcept {
  d.UpdateInt(side.level_count());
  for (const PriceLevel& level : side) {
    d.UpdateInt(level.price.value());
    d.UpdateInt(level.count);
    for (const Order& o : level.orders) {
      d.UpdateInt(o.account.value());
      d.UpdateInt(o.id.value());
      d.UpdateInt(o.price.value());
      d.UpdateInt(o.stop_price.value());
      d.UpdateInt(o.open.value());
      d.UpdateInt(static_cast<uint8_t>(o.side));
      d.UpdateInt(static_cast<uint8_t>(o.type));
      d.UpdateInt(static_cast<uint8_t>(o.tif));
      d.UpdateInt(static_cast<uint8_t>(o.stp));
      d.UpdateInt(static_cast<uint8_t>(o.margin));
      d.UpdateInt(static_cast<uint8_t>(o.reduce_only));
    }
  }
}

}  // namespace

// Walks state in a canonical order (symbol id, then price, then time priority); never in hash-map
// order, which differs between runs.
uint64_t EngineImpl::StateDigest() const noexcept {
  Digest d;
  d.UpdateInt(last_seq_.value());
  for (const auto& sym : symbols_) {
    if (!sym) continue;
    d.UpdateInt(sym->config.symbol.value());
    d.UpdateInt(sym->atoms_per_lot_tick);
    d.UpdateInt(static_cast<uint8_t>(sym->has_last_trade));
    d.UpdateInt(sym->last_trade.value());
    DigestSide(d, sym->bids);
    DigestSide(d, sym->asks);
    DigestSide(d, sym->buy_stops);
    DigestSide(d, sym->sell_stops);
  }
  risk_.DigestInto(d);
  return d.value();
}

// --- Engine: the public face -------------------------------------------------------------------

Engine::Engine(const EngineConfig& config) : impl_(std::make_unique<EngineImpl>(config)) {}
Engine::~Engine() = default;

std::span<const Event> Engine::Apply(const Command& command) noexcept {
  return impl_->Apply(command);
}

void Engine::SetStageCallback(StageCallback callback, void* context) noexcept {
  impl_->SetStageCallback(callback, context);
}

const SymbolConfig* Engine::Symbol(SymbolId symbol) const noexcept {
  const SymbolState* sym = impl_->FindSymbol(symbol);
  return sym ? &sym->config : nullptr;
}

static std::optional<LevelView> ViewOf(const PriceLevel* level) noexcept {
  if (level == nullptr) return std::nullopt;
  return LevelView{level->price, level->total, level->count};
}

std::optional<LevelView> Engine::BestBid(SymbolId symbol) const noexcept {
  const SymbolState* sym = impl_->FindSymbol(symbol);
  return sym ? ViewOf(sym->bids.Best()) : std::nullopt;
}

std::optional<LevelView> Engine::BestAsk(SymbolId symbol) const noexcept {
  const SymbolState* sym = impl_->FindSymbol(symbol);
  return sym ? ViewOf(sym->asks.Best()) : std::nullopt;
}

size_t Engine::Depth(SymbolId symbol, Side side, std::span<LevelView> out) const noexcept {
  const SymbolState* sym = impl_->FindSymbol(symbol);
  if (sym == nullptr) return 0;
  const BookSide& book = side == Side::kBuy ? sym->bids : sym->asks;
  size_t n = 0;
  for (auto it = book.begin(); it != book.end() && n < out.size(); ++it, ++n) {
    out[n] = LevelView{it->price, it->total, it->count};
  }
  return n;
}

OrderView Engine::Order(AccountId account, OrderId order_id) const noexcept {
  const cascade::Order* order = impl_->FindOrder(account, order_id);
  if (order == nullptr) return {};
  return OrderView{order->pending_stop ? OrderStatus::kPendingStop : OrderStatus::kResting,
                   order->symbol,
                   order->side,
                   order->type,
                   order->tif,
                   order->price,
                   order->stop_price,
                   order->open};
}

std::optional<Price> Engine::LastTradePrice(SymbolId symbol) const noexcept {
  const SymbolState* sym = impl_->FindSymbol(symbol);
  if (sym == nullptr || !sym->has_last_trade) return std::nullopt;
  return sym->last_trade;
}

SeqNo Engine::last_seq() const noexcept { return impl_->last_seq(); }
uint64_t Engine::StateDigest() const noexcept { return impl_->StateDigest(); }
EngineSnapshot Engine::Snapshot() const { return impl_->Snapshot(); }
absl::Status Engine::Restore(const EngineSnapshot& snapshot) { return impl_->Restore(snapshot); }
size_t Engine::live_orders() const noexcept { return impl_->live_orders(); }
const risk::RiskEngine& Engine::risk() const noexcept { return impl_->risk(); }

}  // namespace cascade
