#include "perf/book_workloads.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/format.h"

namespace cascade::bench {
namespace {

constexpr int64_t kMid = kWorkloadMid;

// SplitMix64: small, portable and seeded, so every machine generates the same streams.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }  // the modulo bias is irrelevant here
  int64_t Range(int64_t lo, int64_t hi) {            // inclusive
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  Side AnySide() { return Below(2) == 0 ? Side::kBuy : Side::kSell; }

 private:
  uint64_t state_;
};

struct LiveOrder {
  uint32_t account = 0;
  uint64_t id = 0;
  int64_t price = 0;
  int64_t qty = 0;
};

// Drives a generator engine with each command as it is generated, so generators can ask what the
// book looks like (best prices, which orders are still live) before choosing the next command.
class StreamBuilder {
 public:
  StreamBuilder(Workload& w, uint64_t seed) : w_(w), engine_(w.config), rng_(seed) {
    (void)engine_.Apply(Command{SeqNo{seq_++}, Timestamp{0}, ConfigureSymbol{w.symbol}});
    depth_.resize(1 << 16);
  }

  Rng& rng() { return rng_; }
  uint64_t NextId() { return next_id_++; }
  void StartTimed() { timed_ = true; }
  [[nodiscard]] size_t timed_ops() const { return w_.timed.size(); }

  [[nodiscard]] std::optional<int64_t> Best(Side side) const {
    const auto level =
        side == Side::kBuy ? engine_.BestBid(kBenchSymbol) : engine_.BestAsk(kBenchSymbol);
    if (!level) return std::nullopt;
    return level->price.value();
  }
  [[nodiscard]] size_t live_count() const { return live_[0].size() + live_[1].size(); }
  [[nodiscard]] const std::vector<LiveOrder>& live(Side side) const {
    return live_[static_cast<int>(side)];
  }
  // A uniformly random live order, or nullptr when the book is empty.
  [[nodiscard]] const LiveOrder* RandomLive(Side* side) {
    const size_t n = live_count();
    if (n == 0) return nullptr;
    size_t i = rng_.Below(n);
    *side = i < live_[0].size() ? Side::kBuy : Side::kSell;
    if (*side == Side::kSell) i -= live_[0].size();
    return &live(*side)[i];
  }

  void New(Side side, TimeInForce tif, int64_t price, int64_t qty, uint32_t account,
           OrderType type = OrderType::kLimit, int64_t stop_price = 0) {
    Push(BookOp{.kind = BookOp::Kind::kNew,
                .side = side,
                .type = type,
                .tif = tif,
                .account = account,
                .order_id = NextId(),
                .price = price,
                .stop_price = stop_price,
                .qty = qty});
  }
  void Cancel(const LiveOrder& o) {
    Push(BookOp{.kind = BookOp::Kind::kCancel, .account = o.account, .order_id = o.id});
  }
  void Amend(const LiveOrder& o, int64_t price, int64_t qty) {
    Push(BookOp{.kind = BookOp::Kind::kAmend,
                .account = o.account,
                .order_id = o.id,
                .price = price,
                .qty = qty});
  }

  void Push(const BookOp& op) {
    const Command command = ToCommand(op, seq_++);
    const std::span<const Event> events = engine_.Apply(command);
    uint64_t trades = 0;
    touched_.clear();
    touched_.emplace_back(op.account, op.order_id);
    for (const Event& e : events) {
      if (const auto* t = std::get_if<Trade>(&e.body)) {
        ++trades;
        touched_.emplace_back(t->maker_account.value(), t->maker_order.value());
      } else if (std::holds_alternative<CommandRejected>(e.body)) {
        // A generator bug, not an engine result worth measuring.
        std::fprintf(stderr, "workload generator: %s rejected: %s\n", ToText(command).c_str(),
                     ToText(e).c_str());
        std::abort();
      } else if (const auto* c = std::get_if<OrderCancelled>(&e.body)) {
        touched_.emplace_back(c->account.value(), c->order_id.value());
      } else if (const auto* x = std::get_if<OrderExpired>(&e.body)) {
        touched_.emplace_back(x->account.value(), x->order_id.value());
      } else if (const auto* g = std::get_if<OrderTriggered>(&e.body)) {
        touched_.emplace_back(g->account.value(), g->order_id.value());
      }
    }
    for (const auto& [account, id] : touched_) Sync(account, id);
    if (!timed_) {
      w_.setup.push_back(op);
      return;
    }
    w_.timed.push_back(op);
    w_.trades += trades;
    w_.commands_with_trades += trades > 0 ? 1 : 0;
    if (w_.timed.size() % 1024 == 0) {
      live_sum_ += static_cast<double>(live_count());
      levels_sum_ += static_cast<double>(engine_.Depth(kBenchSymbol, Side::kBuy, depth_) +
                                         engine_.Depth(kBenchSymbol, Side::kSell, depth_));
      ++samples_;
    }
  }

  void Finish() {
    if (samples_ > 0) {
      w_.mean_live_orders = live_sum_ / samples_;
      w_.mean_levels = levels_sum_ / samples_;
    }
  }

 private:
  // Brings the live-order lists in line with the engine's view of one order.
  void Sync(uint32_t account, uint64_t id) {
    const OrderView v = engine_.Order(AccountId{account}, OrderId{id});
    const auto key = std::make_pair(account, id);
    auto it = index_.find(key);
    if (it != index_.end() &&
        (v.status != OrderStatus::kResting || it->second.first != static_cast<int>(v.side))) {
      auto& list = live_[it->second.first];
      const size_t i = it->second.second;
      if (i + 1 != list.size()) {
        list[i] = list.back();
        index_[std::make_pair(list[i].account, list[i].id)].second = i;
      }
      list.pop_back();
      index_.erase(it);
      it = index_.end();
    }
    if (v.status != OrderStatus::kResting) return;
    const int side = static_cast<int>(v.side);
    if (it == index_.end()) {
      index_.emplace(key, std::make_pair(side, live_[side].size()));
      live_[side].push_back(LiveOrder{account, id, v.price.value(), v.open.value()});
    } else {
      LiveOrder& o = live_[side][it->second.second];
      o.price = v.price.value();
      o.qty = v.open.value();
    }
  }

  Workload& w_;
  Engine engine_;
  Rng rng_;
  uint64_t seq_ = 1;
  uint64_t next_id_ = 1;
  bool timed_ = false;
  std::vector<LiveOrder> live_[2];
  absl::flat_hash_map<std::pair<uint32_t, uint64_t>, std::pair<int, size_t>> index_;
  std::vector<std::pair<uint32_t, uint64_t>> touched_;
  std::vector<LevelView> depth_;
  double live_sum_ = 0;
  double levels_sum_ = 0;
  double samples_ = 0;
};

Workload NewWorkload() {
  Workload w;
  w.symbol = BenchSymbolConfig();
  return w;
}

uint32_t AnyAccount(Rng& rng) { return static_cast<uint32_t>(rng.Range(1, 1000)); }

// A price `band` ticks deep on the order's own side of the mid that never crosses the book.
int64_t PassivePrice(StreamBuilder& b, Side side, int64_t band) {
  Rng& rng = b.rng();
  if (side == Side::kBuy) {
    int64_t p = kMid - 1 - rng.Range(0, band - 1);
    if (const auto ask = b.Best(Side::kSell); ask && p >= *ask) p = *ask - 1 - rng.Range(0, 9);
    return std::max<int64_t>(p, 1);
  }
  int64_t p = kMid + rng.Range(0, band - 1);
  if (const auto bid = b.Best(Side::kBuy); bid && p <= *bid) p = *bid + 1 + rng.Range(0, 9);
  return p;
}

// A price at or just through the opposite best; the caller checks the opposite side is not empty.
int64_t CrossingPrice(StreamBuilder& b, Side side) {
  const int64_t best = *b.Best(Opposite(side));
  const int64_t through = b.rng().Range(0, 2);
  return side == Side::kBuy ? best + through : best - through;
}

// Fills the book with `count` passive GTC orders.
void Populate(StreamBuilder& b, size_t count, int64_t band) {
  Rng& rng = b.rng();
  for (size_t i = 0; i < count; ++i) {
    const Side side = rng.AnySide();
    b.New(side, TimeInForce::kGtc, PassivePrice(b, side, band), rng.Range(1, 100), AnyAccount(rng));
  }
}

// One command of exchange-core's mix: 9% GTC (a tenth of them crossing), 3% IOC (always
// crossing, sized to take part of an order), 6% cancel, 82% amend (a fifth change quantity at the
// same price, the rest move the price; moves cross with a probability that rises with the live
// count above `target`, which is what keeps the book near its target size).
void MixOp(StreamBuilder& b, int64_t band, size_t target) {
  Rng& rng = b.rng();
  const uint64_t r = rng.Below(100);
  Side side = rng.AnySide();
  if (r >= 9 && r < 12 && !b.Best(Opposite(side))) side = Opposite(side);
  const bool can_cross = b.Best(Opposite(side)).has_value();
  if (r < 9 || (r < 12 && !can_cross) || b.live_count() == 0) {
    const bool cross = can_cross && rng.Chance(0.10);
    b.New(side, TimeInForce::kGtc, cross ? CrossingPrice(b, side) : PassivePrice(b, side, band),
          rng.Range(1, 100), AnyAccount(rng));
    return;
  }
  if (r < 12) {
    // Smaller than resting orders on average, so that an IOC mostly takes part of one order.
    b.New(side, TimeInForce::kIoc, CrossingPrice(b, side), rng.Range(1, 30), AnyAccount(rng));
    return;
  }
  const LiveOrder o = *b.RandomLive(&side);
  if (r < 18) {
    b.Cancel(o);
    return;
  }
  if (rng.Chance(0.2)) {
    const int64_t qty = o.qty > 1 ? rng.Range(1, o.qty - 1) : o.qty + rng.Range(1, 50);
    b.Amend(o, o.price, qty);
    return;
  }
  const double excess = (static_cast<double>(b.live_count()) - static_cast<double>(target)) /
                        static_cast<double>(target);
  const double p_cross = std::clamp(0.02 + excess, 0.0, 0.2);
  int64_t price = b.Best(Opposite(side)) && rng.Chance(p_cross) ? CrossingPrice(b, side)
                                                                : PassivePrice(b, side, band);
  if (price == o.price) price += side == Side::kBuy ? -1 : 1;  // away from the spread
  b.Amend(o, std::max<int64_t>(price, 1), o.qty);
}

}  // namespace

Workload AddWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 1);
  b.StartTimed();
  Populate(b, ops, 1000);
  b.Finish();
  return w;
}

Workload CancelWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 1);
  Populate(b, ops, 1000);
  std::vector<LiveOrder> orders = b.live(Side::kBuy);
  orders.insert(orders.end(), b.live(Side::kSell).begin(), b.live(Side::kSell).end());
  for (size_t i = orders.size(); i > 1; --i) std::swap(orders[i - 1], orders[b.rng().Below(i)]);
  b.StartTimed();
  for (const LiveOrder& o : orders) b.Cancel(o);
  b.Finish();
  return w;
}

Workload AggressiveMatchWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 2);
  Rng& rng = b.rng();
  for (int64_t level = 0; level < 40'000; ++level) {
    for (int i = 0; i < 10; ++i) {
      b.New(Side::kSell, TimeInForce::kGtc, kMid + level, rng.Range(1, 100), AnyAccount(rng));
    }
  }
  b.StartTimed();
  for (size_t i = 0; i < ops; ++i) {
    b.New(Side::kBuy, TimeInForce::kIoc, *b.Best(Side::kSell) + 10, rng.Range(1, 100),
          1000 + AnyAccount(rng));
  }
  b.Finish();
  return w;
}

Workload AmendWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 3);
  Rng& rng = b.rng();
  Populate(b, 1000, 750);
  b.StartTimed();
  for (size_t i = 0; i < ops; ++i) {
    Side side;
    const LiveOrder o = *b.RandomLive(&side);
    if (rng.Below(2) == 0) {
      const int64_t qty = o.qty > 1 ? rng.Range(1, o.qty - 1) : o.qty + rng.Range(1, 50);
      b.Amend(o, o.price, qty);
    } else {
      int64_t price = PassivePrice(b, side, 750);
      if (price == o.price) price += side == Side::kBuy ? -1 : 1;
      b.Amend(o, price, o.qty);
    }
  }
  b.Finish();
  return w;
}

Workload ExchangeCoreMixWorkload(size_t ops, size_t warmup) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 4);
  Populate(b, 1000, 750);
  for (size_t i = 0; i < warmup; ++i) MixOp(b, 750, 1000);
  b.StartTimed();
  for (size_t i = 0; i < ops; ++i) MixOp(b, 750, 1000);
  b.Finish();
  return w;
}

Workload DeepBookWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 5);
  Populate(b, 100'000, 10'000);
  for (int i = 0; i < 200'000; ++i) MixOp(b, 10'000, 100'000);
  b.StartTimed();
  for (size_t i = 0; i < ops; ++i) MixOp(b, 10'000, 100'000);
  b.Finish();
  return w;
}

Workload FlashCrashWorkload(size_t ops) {
  Workload w = NewWorkload();
  StreamBuilder b(w, 6);
  Rng& rng = b.rng();
  constexpr int64_t kDepthTicks = 30'000;
  for (int64_t level = 0; level < kDepthTicks; ++level) {
    for (int i = 0; i < 2; ++i) {
      b.New(Side::kBuy, TimeInForce::kGtc, kMid - 1 - level, rng.Range(1, 100), AnyAccount(rng));
    }
  }
  for (int i = 0; i < 1000; ++i) {
    b.New(Side::kSell, TimeInForce::kGtc, kMid + rng.Range(0, 499), rng.Range(1, 100),
          AnyAccount(rng));
  }
  for (int i = 0; i < 1000; ++i) {
    b.New(Side::kSell, TimeInForce::kGtc, 0, rng.Range(50, 500), 2000 + AnyAccount(rng),
          OrderType::kStopMarket, kMid - 1 - rng.Range(0, kDepthTicks - 1));
  }
  b.StartTimed();
  while (b.timed_ops() < ops) {
    // Once the bids are nearly gone the sellers keep hitting whatever the dip buyers leave.
    const int64_t bid = b.Best(Side::kBuy).value_or(kMid - kDepthTicks);
    const uint64_t r = rng.Below(100);
    if (r < 40 || (r >= 65 && r < 85 && b.live(Side::kSell).empty())) {
      b.New(Side::kSell, TimeInForce::kIoc, std::max<int64_t>(bid - 20, 1), rng.Range(20, 300),
            1000 + AnyAccount(rng));
    } else if (r < 65) {
      b.New(Side::kSell, TimeInForce::kGtc, bid + 1 + rng.Range(0, 4), rng.Range(1, 100),
            AnyAccount(rng));
    } else if (r < 85) {
      const auto& asks = b.live(Side::kSell);
      b.Cancel(asks[rng.Below(asks.size())]);
    } else {
      b.New(Side::kBuy, TimeInForce::kGtc, std::max<int64_t>(bid - rng.Range(0, 19), 1),
            rng.Range(1, 100), AnyAccount(rng));
    }
  }
  w.price_walk_ticks = kMid - 1 - b.Best(Side::kBuy).value_or(kMid - kDepthTicks);
  b.Finish();
  return w;
}

}  // namespace cascade::bench
