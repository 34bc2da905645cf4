// Export and import of the engine's state (engine/snapshot.h). Not on the hot path: allocation is
// fine here.
#include <algorithm>
#include <string>

#include "engine/engine_impl.h"

namespace cascade {
namespace {

OrderSnapshot ToSnapshot(const Order& o) {
  return OrderSnapshot{o.account, o.id,   o.bucket, o.price, o.stop_price, o.open,
                       o.side,    o.type, o.tif,    o.stp,   o.margin,     o.reduce_only};
}

std::vector<OrderSnapshot> SideSnapshot(const BookSide& side) {
  std::vector<OrderSnapshot> out;
  for (const PriceLevel& level : side) {
    for (const Order& o : level.orders) out.push_back(ToSnapshot(o));
  }
  return out;
}

}  // namespace

EngineSnapshot EngineImpl::Snapshot() const {
  EngineSnapshot snap;
  snap.started = started_;
  snap.last_seq = last_seq_;
  for (const auto& sym : symbols_) {
    if (!sym) continue;
    SymbolSnapshot& s = snap.symbols.emplace_back();
    s.config = sym->config;
    s.has_last_trade = sym->has_last_trade;
    s.last_trade = sym->last_trade;
    s.published_top = sym->published_top;
    s.bids = SideSnapshot(sym->bids);
    s.asks = SideSnapshot(sym->asks);
    s.buy_stops = SideSnapshot(sym->buy_stops);
    s.sell_stops = SideSnapshot(sym->sell_stops);
  }
  for (const auto& [id, state] : accounts_) {
    if (state->orders.empty()) continue;
    AccountSnapshot& a = snap.accounts.emplace_back();
    a.account = id;
    for (const Order& o : state->orders) a.orders.push_back(o.id);
  }
  // Hash-map order differs between runs; the snapshot must not.
  std::sort(
      snap.accounts.begin(), snap.accounts.end(),
      [](const AccountSnapshot& a, const AccountSnapshot& b) { return a.account < b.account; });
  snap.risk = risk_.Snapshot();
  return snap;
}

absl::Status EngineImpl::RestoreOrder(SymbolState& sym, BookSide& side, const OrderSnapshot& o,
                                      bool pending_stop) {
  if (o.open.value() <= 0) return absl::InvalidArgumentError("snapshot order with no quantity");
  if (order_index_.Contains(o.account, o.id)) {
    return absl::InvalidArgumentError("snapshot holds a duplicate order id " +
                                      std::to_string(o.id.value()));
  }
  Order* order = orders_.Acquire();
  if (order == nullptr) return absl::ResourceExhaustedError("snapshot exceeds max_orders");
  order->id = o.id;
  order->account = o.account;
  order->symbol = sym.config.symbol;
  order->bucket = o.bucket;
  order->price = o.price;
  order->stop_price = o.stop_price;
  order->open = o.open;
  order->side = o.side;
  order->type = o.type;
  order->tif = o.tif;
  order->stp = o.stp;
  order->margin = o.margin;
  order->reduce_only = o.reduce_only;
  order->pending_stop = pending_stop;
  order_index_.Insert(*order);
  if (!side.Append(*order, pending_stop ? o.stop_price : o.price)) {
    return absl::ResourceExhaustedError("snapshot exceeds the level pool");
  }
  return absl::OkStatus();
}

absl::Status EngineImpl::Restore(const EngineSnapshot& snap) {
  if (started_ || !order_index_.empty()) {
    return absl::FailedPreconditionError("restore needs an engine that has applied nothing");
  }
  // Every configured symbol is known to both the book and the risk engine.
  if (snap.risk.symbols.size() != snap.symbols.size()) {
    return absl::InvalidArgumentError("snapshot risk symbols differ from its book symbols");
  }
  for (size_t i = 0; i < snap.symbols.size(); ++i) {
    if (snap.risk.symbols[i].config.symbol != snap.symbols[i].config.symbol) {
      return absl::InvalidArgumentError("snapshot risk symbols differ from its book symbols");
    }
  }
  if (absl::Status st = risk_.Restore(snap.risk); !st.ok()) return st;
  for (const SymbolSnapshot& s : snap.symbols) {
    const SymbolConfig& c = s.config;
    const int64_t k = AtomsPerLotTick(c);
    if (c.symbol.value() >= symbols_.size() || symbols_[c.symbol.value()] || k == 0) {
      return absl::InvalidArgumentError("snapshot symbol " + std::to_string(c.symbol.value()) +
                                        " does not fit this engine");
    }
    auto sym = std::make_unique<SymbolState>(c, k, levels_);
    sym->has_last_trade = s.has_last_trade;
    sym->last_trade = s.last_trade;
    sym->published_top = s.published_top;
    for (const OrderSnapshot& o : s.bids) {
      if (absl::Status st = RestoreOrder(*sym, sym->bids, o, false); !st.ok()) return st;
    }
    for (const OrderSnapshot& o : s.asks) {
      if (absl::Status st = RestoreOrder(*sym, sym->asks, o, false); !st.ok()) return st;
    }
    for (const OrderSnapshot& o : s.buy_stops) {
      if (absl::Status st = RestoreOrder(*sym, sym->buy_stops, o, true); !st.ok()) return st;
    }
    for (const OrderSnapshot& o : s.sell_stops) {
      if (absl::Status st = RestoreOrder(*sym, sym->sell_stops, o, true); !st.ok()) return st;
    }
    symbols_[c.symbol.value()] = std::move(sym);
  }
  size_t linked = 0;
  for (const AccountSnapshot& a : snap.accounts) {
    AccountState* state = GetOrCreateAccount(a.account);
    if (state == nullptr) return absl::ResourceExhaustedError("snapshot exceeds max_accounts");
    for (OrderId id : a.orders) {
      Order* order = order_index_.Find(a.account, id);
      if (order == nullptr || order->account_hook.is_linked()) {
        return absl::InvalidArgumentError("snapshot account list names an unknown order");
      }
      state->orders.push_back(*order);
      ++linked;
    }
  }
  if (linked != order_index_.size()) {
    return absl::InvalidArgumentError("snapshot has orders missing from their account lists");
  }
  started_ = snap.started;
  last_seq_ = snap.last_seq;
  return absl::OkStatus();
}

}  // namespace cascade
