#include "tests/engine/book/reference_book.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <variant>

namespace cascade::test {
namespace {

constexpr uint8_t kNewOrderKind = 0;
constexpr uint8_t kCancelKind = 1;
constexpr uint8_t kAmendKind = 2;
constexpr uint8_t kMassCancelKind = 3;
constexpr uint8_t kConfigureKind = 4;

static_assert(std::is_same_v<std::variant_alternative_t<kNewOrderKind, CommandBody>, NewOrder>);
static_assert(std::is_same_v<std::variant_alternative_t<kCancelKind, CommandBody>, CancelOrder>);
static_assert(std::is_same_v<std::variant_alternative_t<kAmendKind, CommandBody>, AmendOrder>);
static_assert(std::is_same_v<std::variant_alternative_t<kMassCancelKind, CommandBody>, MassCancel>);
static_assert(
    std::is_same_v<std::variant_alternative_t<kConfigureKind, CommandBody>, ConfigureSymbol>);

// The (symbol, account, order id) a reject of this command names.
std::tuple<SymbolId, AccountId, OrderId> Names(const CommandBody& body) {
  if (const auto* o = std::get_if<NewOrder>(&body)) return {o->symbol, o->account, o->order_id};
  if (const auto* c = std::get_if<CancelOrder>(&body)) return {c->symbol, c->account, c->order_id};
  if (const auto* a = std::get_if<AmendOrder>(&body)) return {a->symbol, a->account, a->order_id};
  if (const auto* m = std::get_if<MassCancel>(&body)) {
    return {m->all_symbols ? SymbolId{0} : m->symbol, m->account, OrderId{0}};
  }
  if (const auto* c = std::get_if<ConfigureSymbol>(&body)) {
    return {c->config.symbol, AccountId{0}, OrderId{0}};
  }
  return {SymbolId{0}, AccountId{0}, OrderId{0}};
}

bool IsMarket(OrderType t) { return t == OrderType::kMarket || t == OrderType::kStopMarket; }
bool IsStop(OrderType t) { return t == OrderType::kStopLimit || t == OrderType::kStopMarket; }

}  // namespace

ReferenceBook::ReferenceBook(size_t max_orders) : max_orders_(max_orders) {}

std::vector<Event> ReferenceBook::Apply(const Command& command) {
  command_ = command;
  out_.clear();
  touched_.clear();
  // The first command may carry any sequence number (there is no previous one to exceed).
  if (started_ && command.seq <= last_seq_) {
    // A stale command is refused before it is looked at: the reject names only its kind.
    Emit(CommandRejected{.command = static_cast<CommandKind>(command.body.index()),
                         .reason = RejectReason::kStaleSequence});
    return std::move(out_);
  }
  started_ = true;
  last_seq_ = command.seq;

  if (const auto* o = std::get_if<NewOrder>(&command.body)) {
    OnNewOrder(*o);
  } else if (const auto* c = std::get_if<CancelOrder>(&command.body)) {
    OnCancel(*c);
  } else if (const auto* a = std::get_if<AmendOrder>(&command.body)) {
    OnAmend(*a);
  } else if (const auto* m = std::get_if<MassCancel>(&command.body)) {
    OnMassCancel(*m);
  } else if (const auto* cfg = std::get_if<ConfigureSymbol>(&command.body)) {
    OnConfigure(*cfg);
  } else {
    Reject(RejectReason::kUnsupportedCommand);
  }

  for (const auto& [symbol, before] : touched_) {
    const Top now = TopOf(symbol);
    if (now == before) continue;
    Emit(TopOfBook{.symbol = symbol,
                   .bid_price = now.bid_price,
                   .bid_qty = now.bid_qty,
                   .ask_price = now.ask_price,
                   .ask_qty = now.ask_qty});
  }
  return std::move(out_);
}

void ReferenceBook::OnNewOrder(const NewOrder& o) {
  auto sit = symbols_.find(o.symbol);
  if (sit == symbols_.end()) return Reject(RejectReason::kUnknownSymbol);
  SymbolState& s = sit->second;
  const SymbolConfig& c = s.config;

  if (o.qty <= Qty{0}) return Reject(RejectReason::kInvalidQuantity);
  if (o.qty > c.max_order_qty) return Reject(RejectReason::kQuantityTooLarge);
  if (o.type == OrderType::kLimit || o.type == OrderType::kStopLimit) {
    if (o.price <= Price{0}) return Reject(RejectReason::kInvalidPrice);
    if (o.price < c.min_price || o.price > c.max_price) {
      return Reject(RejectReason::kPriceOutOfBounds);
    }
  }
  if (IsStop(o.type)) {
    // Reading: "price <= 0 -> kInvalidPrice" holds for the stop price too.
    if (o.stop_price <= Price{0}) return Reject(RejectReason::kInvalidPrice);
    if (o.stop_price < c.min_price || o.stop_price > c.max_price) {
      return Reject(RejectReason::kPriceOutOfBounds);
    }
  }
  if (o.tif == TimeInForce::kPostOnly && o.type != OrderType::kLimit) {
    return Reject(RejectReason::kInvalidOrderType);
  }
  const Key key{o.account.value(), o.order_id.value()};
  if (index_.contains(key)) return Reject(RejectReason::kDuplicateOrderId);
  if (index_.size() >= max_orders_) return Reject(RejectReason::kOrderPoolExhausted);
  if (o.tif == TimeInForce::kPostOnly) {
    const std::optional<Price> best = BestPrice(s, Opposite(o.side));
    if (best && Crosses(o.side, *best, o.price)) return Reject(RejectReason::kPostOnlyWouldTake);
  }
  if (IsStop(o.type) && s.last) {
    const bool holds = o.side == Side::kBuy ? *s.last >= o.stop_price : *s.last <= o.stop_price;
    if (holds) return Reject(RejectReason::kStopWouldTriggerImmediately);
  }

  Emit(OrderAccepted{.symbol = o.symbol,
                     .account = o.account,
                     .order_id = o.order_id,
                     .side = o.side,
                     .type = o.type,
                     .tif = o.tif,
                     .price = o.price,
                     .stop_price = o.stop_price,
                     .qty = o.qty});
  const RefOrder order{.symbol = o.symbol,
                       .account = o.account,
                       .id = o.order_id,
                       .side = o.side,
                       .type = o.type,
                       .tif = o.tif,
                       .stp = o.stp,
                       .reduce_only = o.reduce_only,
                       .price = o.price,
                       .stop_price = o.stop_price,
                       .open = o.qty,
                       .arrival = next_arrival_++};
  if (IsStop(o.type)) {
    s.stops.push_back(order);
    index_[key] = Location{.symbol = o.symbol, .stop = true, .side = o.side, .price = o.price};
    return;
  }
  Execute(s, order);
  RunStops(s);
}

void ReferenceBook::Execute(SymbolState& s, RefOrder taker) {
  Touch(s.config.symbol);
  const SymbolId symbol = s.config.symbol;
  const Side maker_side = Opposite(taker.side);
  auto expire = [&](ExpireReason reason) {
    Emit(OrderExpired{.symbol = symbol,
                      .account = taker.account,
                      .order_id = taker.id,
                      .remaining = taker.open,
                      .reason = reason});
  };
  auto cancel = [&](const RefOrder& o) {
    Emit(OrderCancelled{.symbol = symbol,
                        .account = o.account,
                        .order_id = o.id,
                        .remaining = o.open,
                        .reason = CancelReason::kSelfTrade});
  };

  Price limit = taker.price;
  if (IsMarket(taker.type)) {
    const std::optional<Price> best = BestPrice(s, maker_side);
    if (!best) return expire(ExpireReason::kMarketProtection);
    const Price band{s.config.market_protection_ticks};
    limit = taker.side == Side::kBuy ? std::min(*best + band, s.config.max_price)
                                     : std::max(*best - band, s.config.min_price);
  }
  if (taker.tif == TimeInForce::kFok && FillableQty(s, taker, limit) < taker.open) {
    return expire(ExpireReason::kFok);
  }

  Ladder& book = BookSide(s, maker_side);
  while (taker.open > Qty{0} && !book.empty()) {
    auto level = maker_side == Side::kSell ? book.begin() : std::prev(book.end());
    if (!Crosses(taker.side, level->first, limit)) break;
    RefOrder& maker = level->second.front();
    const Key maker_key{maker.account.value(), maker.id.value()};
    if (maker.account == taker.account && taker.stp != StpMode::kNone) {
      if (taker.stp == StpMode::kCancelTaker) return cancel(taker);
      cancel(maker);
      index_.erase(maker_key);
      level->second.pop_front();
      if (level->second.empty()) book.erase(level);
      if (taker.stp == StpMode::kCancelBoth) return cancel(taker);
      continue;
    }
    const Qty fill = std::min(maker.open, taker.open);
    maker.open -= fill;
    taker.open -= fill;
    s.last = level->first;
    Emit(Trade{.symbol = symbol,
               .price = level->first,
               .qty = fill,
               .aggressor = taker.side,
               .maker_account = maker.account,
               .maker_order = maker.id,
               .taker_account = taker.account,
               .taker_order = taker.id,
               .maker_remaining = maker.open,
               .taker_remaining = taker.open,
               .liquidation = false});
    if (maker.open == Qty{0}) {
      index_.erase(maker_key);
      level->second.pop_front();
      if (level->second.empty()) book.erase(level);
    }
  }

  if (taker.open == Qty{0}) return;
  if (IsMarket(taker.type)) return expire(ExpireReason::kMarketProtection);
  if (taker.tif == TimeInForce::kIoc) return expire(ExpireReason::kIoc);
  if (taker.tif == TimeInForce::kFok) return expire(ExpireReason::kFok);  // unreachable: walked
  Rest(s, taker);
}

Qty ReferenceBook::FillableQty(const SymbolState& s, const RefOrder& taker, Price limit) {
  Qty total{0};
  // Walks one level; false once the walk must stop.
  auto walk = [&](const std::pair<const Price, Level>& level) {
    if (!Crosses(taker.side, level.first, limit)) return false;
    for (const RefOrder& maker : level.second) {
      if (maker.account == taker.account && taker.stp != StpMode::kNone) {
        if (taker.stp == StpMode::kCancelMaker) continue;
        return false;
      }
      total += maker.open;
    }
    return true;
  };
  const Ladder& book = BookSide(s, Opposite(taker.side));
  if (taker.side == Side::kBuy) {
    for (auto it = book.begin(); it != book.end() && walk(*it); ++it) {
    }
  } else {
    for (auto it = book.rbegin(); it != book.rend() && walk(*it); ++it) {
    }
  }
  return total;
}

void ReferenceBook::RunStops(SymbolState& s) {
  while (s.last) {
    const Price last = *s.last;
    auto pick = s.stops.end();
    // The list is in arrival order, so strict comparisons keep the earliest among equals.
    for (auto it = s.stops.begin(); it != s.stops.end(); ++it) {
      if (it->side == Side::kBuy && last >= it->stop_price &&
          (pick == s.stops.end() || it->stop_price < pick->stop_price)) {
        pick = it;
      }
    }
    if (pick == s.stops.end()) {
      for (auto it = s.stops.begin(); it != s.stops.end(); ++it) {
        if (it->side == Side::kSell && last <= it->stop_price &&
            (pick == s.stops.end() || it->stop_price > pick->stop_price)) {
          pick = it;
        }
      }
    }
    if (pick == s.stops.end()) return;

    RefOrder order = *pick;
    s.stops.erase(pick);
    index_.erase(Key{order.account.value(), order.id.value()});
    order.triggered = true;
    Touch(s.config.symbol);
    Emit(OrderTriggered{.symbol = order.symbol,
                        .account = order.account,
                        .order_id = order.id,
                        .last_price = last});
    Execute(s, order);
  }
}

void ReferenceBook::OnCancel(const CancelOrder& c) {
  if (!symbols_.contains(c.symbol)) return Reject(RejectReason::kUnknownSymbol);
  const Key key{c.account.value(), c.order_id.value()};
  auto it = index_.find(key);
  if (it == index_.end() || it->second.symbol != c.symbol) {
    return Reject(RejectReason::kUnknownOrder);
  }
  if (!it->second.stop) Touch(c.symbol);
  const RefOrder order = Remove(key);
  Emit(OrderCancelled{.symbol = c.symbol,
                      .account = c.account,
                      .order_id = c.order_id,
                      .remaining = order.open,
                      .reason = CancelReason::kUser});
}

void ReferenceBook::OnAmend(const AmendOrder& a) {
  auto sit = symbols_.find(a.symbol);
  if (sit == symbols_.end()) return Reject(RejectReason::kUnknownSymbol);
  SymbolState& s = sit->second;
  const SymbolConfig& c = s.config;
  const Key key{a.account.value(), a.order_id.value()};
  auto it = index_.find(key);
  if (it == index_.end() || it->second.symbol != a.symbol) {
    return Reject(RejectReason::kUnknownOrder);
  }
  if (it->second.stop) return Reject(RejectReason::kNotAmendable);
  if (a.new_qty <= Qty{0}) return Reject(RejectReason::kInvalidQuantity);
  if (a.new_qty > c.max_order_qty) return Reject(RejectReason::kQuantityTooLarge);
  if (a.new_price <= Price{0}) return Reject(RejectReason::kInvalidPrice);
  if (a.new_price < c.min_price || a.new_price > c.max_price) {
    return Reject(RejectReason::kPriceOutOfBounds);
  }
  const RefOrder& current = *Find(key);
  if (a.new_price == current.price && a.new_qty == current.open) {
    return Reject(RejectReason::kAmendNoChange);
  }
  if (current.tif == TimeInForce::kPostOnly) {
    const std::optional<Price> best = BestPrice(s, Opposite(current.side));
    if (best && Crosses(current.side, *best, a.new_price)) {
      return Reject(RejectReason::kPostOnlyWouldTake);
    }
  }

  Touch(a.symbol);
  if (a.new_price == current.price && a.new_qty < current.open) {
    for (RefOrder& o : BookSide(s, current.side).at(current.price)) {
      if (o.account == a.account && o.id == a.order_id) o.open = a.new_qty;
    }
    Emit(OrderAmended{.symbol = a.symbol,
                      .account = a.account,
                      .order_id = a.order_id,
                      .price = a.new_price,
                      .qty = a.new_qty,
                      .priority_kept = true});
    return;
  }
  RefOrder order = Remove(key);
  Emit(OrderAmended{.symbol = a.symbol,
                    .account = a.account,
                    .order_id = a.order_id,
                    .price = a.new_price,
                    .qty = a.new_qty,
                    .priority_kept = false});
  order.price = a.new_price;
  order.open = a.new_qty;
  Execute(s, order);
  RunStops(s);
}

void ReferenceBook::OnMassCancel(const MassCancel& m) {
  // Reading: an unknown symbol simply has nothing to cancel ("not an error").
  std::vector<std::pair<uint64_t, Key>> victims;  // (arrival, key)
  for (const auto& [key, location] : index_) {
    if (key.first != m.account.value()) continue;
    if (!m.all_symbols && location.symbol != m.symbol) continue;
    victims.emplace_back(Find(key)->arrival, key);
  }
  std::sort(victims.begin(), victims.end());
  for (const auto& [arrival, key] : victims) {
    const SymbolId symbol = index_.at(key).symbol;
    // Reading: a symbol is touched when its book changes; a pending stop is not in the book.
    if (!index_.at(key).stop) Touch(symbol);
    const RefOrder order = Remove(key);
    Emit(OrderCancelled{.symbol = symbol,
                        .account = order.account,
                        .order_id = order.id,
                        .remaining = order.open,
                        .reason = CancelReason::kMassCancel});
  }
}

void ReferenceBook::OnConfigure(const ConfigureSymbol& cmd) {
  const SymbolConfig& c = cmd.config;
  if (symbols_.contains(c.symbol)) return Reject(RejectReason::kSymbolExists);
  if (AtomsPerLotTick(c) == 0 || c.min_price < Price{1} || c.max_price < c.min_price ||
      c.max_order_qty <= Qty{0} || c.market_protection_ticks < 0) {
    return Reject(RejectReason::kInvalidSymbolConfig);
  }
  symbols_[c.symbol].config = c;
  Emit(SymbolConfigured{.symbol = c.symbol, .atoms_per_lot_tick = AtomsPerLotTick(c)});
}

void ReferenceBook::Rest(SymbolState& s, const RefOrder& order) {
  BookSide(s, order.side)[order.price].push_back(order);
  index_[Key{order.account.value(), order.id.value()}] =
      Location{.symbol = order.symbol, .stop = false, .side = order.side, .price = order.price};
}

ReferenceBook::RefOrder ReferenceBook::Remove(const Key& key) {
  const Location loc = index_.at(key);
  index_.erase(key);
  SymbolState& s = symbols_.at(loc.symbol);
  auto same = [&](const RefOrder& o) {
    return o.account.value() == key.first && o.id.value() == key.second;
  };
  if (loc.stop) {
    auto it = std::find_if(s.stops.begin(), s.stops.end(), same);
    RefOrder order = *it;
    s.stops.erase(it);
    return order;
  }
  Ladder& book = BookSide(s, loc.side);
  Level& level = book.at(loc.price);
  auto it = std::find_if(level.begin(), level.end(), same);
  RefOrder order = *it;
  level.erase(it);
  if (level.empty()) book.erase(loc.price);
  return order;
}

const ReferenceBook::RefOrder* ReferenceBook::Find(const Key& key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  const Location& loc = it->second;
  const SymbolState& s = symbols_.at(loc.symbol);
  auto same = [&](const RefOrder& o) {
    return o.account.value() == key.first && o.id.value() == key.second;
  };
  if (loc.stop) {
    auto o = std::find_if(s.stops.begin(), s.stops.end(), same);
    return o == s.stops.end() ? nullptr : &*o;
  }
  const Level& level = BookSide(s, loc.side).at(loc.price);
  auto o = std::find_if(level.begin(), level.end(), same);
  return o == level.end() ? nullptr : &*o;
}

void ReferenceBook::Reject(RejectReason reason) {
  const auto [symbol, account, order_id] = Names(command_.body);
  Emit(CommandRejected{.command = static_cast<CommandKind>(command_.body.index()),
                       .symbol = symbol,
                       .account = account,
                       .order_id = order_id,
                       .reason = reason});
}

void ReferenceBook::Emit(EventBody body) {
  out_.push_back(Event{.seq = command_.seq, .ts = command_.ts, .body = body});
}

void ReferenceBook::Touch(SymbolId symbol) {
  for (const auto& [touched, top] : touched_) {
    if (touched == symbol) return;
  }
  touched_.emplace_back(symbol, TopOf(symbol));
}

ReferenceBook::Top ReferenceBook::TopOf(SymbolId symbol) const {
  Top top;
  if (const auto bid = BestBid(symbol)) {
    top.bid_price = bid->price;
    top.bid_qty = bid->qty;
  }
  if (const auto ask = BestAsk(symbol)) {
    top.ask_price = ask->price;
    top.ask_qty = ask->qty;
  }
  return top;
}

std::optional<Price> ReferenceBook::BestPrice(const SymbolState& s, Side side) {
  const Ladder& book = BookSide(s, side);
  if (book.empty()) return std::nullopt;
  return side == Side::kBuy ? book.rbegin()->first : book.begin()->first;
}

std::vector<LevelView> ReferenceBook::Levels(const SymbolState& s, Side side, size_t max_levels) {
  std::vector<LevelView> out;
  auto add = [&](const std::pair<const Price, Level>& level) {
    LevelView view{.price = level.first, .qty = Qty{0}, .orders = 0};
    for (const RefOrder& o : level.second) {
      view.qty += o.open;
      ++view.orders;
    }
    out.push_back(view);
  };
  const Ladder& book = BookSide(s, side);
  if (side == Side::kBuy) {
    for (auto it = book.rbegin(); it != book.rend() && out.size() < max_levels; ++it) add(*it);
  } else {
    for (auto it = book.begin(); it != book.end() && out.size() < max_levels; ++it) add(*it);
  }
  return out;
}

std::optional<LevelView> ReferenceBook::BestBid(SymbolId symbol) const {
  const std::vector<LevelView> levels = Depth(symbol, Side::kBuy, 1);
  if (levels.empty()) return std::nullopt;
  return levels.front();
}

std::optional<LevelView> ReferenceBook::BestAsk(SymbolId symbol) const {
  const std::vector<LevelView> levels = Depth(symbol, Side::kSell, 1);
  if (levels.empty()) return std::nullopt;
  return levels.front();
}

std::vector<LevelView> ReferenceBook::Depth(SymbolId symbol, Side side, size_t max_levels) const {
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) return {};
  return Levels(it->second, side, max_levels);
}

OrderView ReferenceBook::Order(AccountId account, OrderId order_id) const {
  const Key key{account.value(), order_id.value()};
  const RefOrder* o = Find(key);
  if (o == nullptr) return OrderView{};
  return OrderView{
      .status = index_.at(key).stop ? OrderStatus::kPendingStop : OrderStatus::kResting,
      .symbol = o->symbol,
      .side = o->side,
      .type = o->type,
      .tif = o->tif,
      .price = o->price,
      .stop_price = o->stop_price,
      .open = o->open};
}

std::optional<Price> ReferenceBook::LastTradePrice(SymbolId symbol) const {
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) return std::nullopt;
  return it->second.last;
}

bool ReferenceBook::WasTriggered(AccountId account, OrderId order_id) const {
  const RefOrder* o = Find(Key{account.value(), order_id.value()});
  return o != nullptr && o->triggered;
}

}  // namespace cascade::test
