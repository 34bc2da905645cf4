// Differential test: seeded random command streams go through cascade::Engine and through the
// naive ReferenceBook (tests/engine/book/reference_book.h); the two event streams must be
// identical, event for event, and so must the book queries, checked periodically.
//
// CASCADE_DIFF_COMMANDS sets the total number of commands over all streams (default 1,000,000;
// 200,000 in sanitizer builds, where it is ten times slower).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/engine.h"
#include "tests/engine/book/event_text.h"
#include "tests/engine/book/reference_book.h"

namespace cascade {
namespace {

#ifdef CASCADE_DIFF_DEFAULT_COMMANDS
constexpr uint64_t kDefaultTotalCommands = CASCADE_DIFF_DEFAULT_COMMANDS;  // sanitizer builds
#else
constexpr uint64_t kDefaultTotalCommands = 1'000'000;
#endif

uint64_t TotalCommands() {
  const char* env = std::getenv("CASCADE_DIFF_COMMANDS");
  if (env == nullptr || *env == '\0') return kDefaultTotalCommands;
  const uint64_t n = std::strtoull(env, nullptr, 10);
  return n == 0 ? kDefaultTotalCommands : n;
}

// SplitMix64: tiny, portable, and the same sequence on every platform. Distributions are written
// by hand for the same reason (std:: distributions differ between standard libraries).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is irrelevant here.
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool PerMille(uint64_t p) { return Below(1000) < p; }
  // Index drawn with the given weights.
  template <size_t N>
  size_t Pick(const std::array<uint32_t, N>& weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t r = Below(total);
    for (size_t i = 0; i < N; ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return N - 1;
  }

 private:
  uint64_t state_;
};

// What a stream looks like. Weights are relative.
struct Profile {
  std::string_view name;
  uint64_t seed = 0;
  uint32_t accounts = 5;
  std::array<uint32_t, 4> commands{};  // new order, cancel, amend, mass cancel
  std::array<uint32_t, 4> types{};     // limit, market, stop-limit, stop-market
  uint32_t sweep_permille = 0;         // new orders that cross deep with a large quantity
  size_t soft_cap = 600;               // above this many live orders, new orders become cancels
};

const Profile kProfiles[] = {
    {.name = "Balanced",
     .seed = 0x5eed'0001,
     .accounts = 5,
     .commands = {620, 160, 200, 6},
     .types = {660, 80, 130, 130},
     .sweep_permille = 15,
     .soft_cap = 600},
    {.name = "StopHeavy",
     .seed = 0x5eed'0002,
     .accounts = 5,
     .commands = {660, 130, 180, 6},
     .types = {450, 90, 230, 230},
     .sweep_permille = 20,
     .soft_cap = 500},
    {.name = "ThinBook",
     .seed = 0x5eed'0003,
     .accounts = 4,
     .commands = {560, 260, 160, 20},
     .types = {620, 160, 110, 110},
     .sweep_permille = 40,
     .soft_cap = 60},
    {.name = "DeepBook",
     .seed = 0x5eed'0004,
     .accounts = 6,
     .commands = {640, 100, 250, 2},
     .types = {800, 50, 75, 75},
     .sweep_permille = 5,
     .soft_cap = 2'500},
    {.name = "SelfTrade",
     .seed = 0x5eed'0005,
     .accounts = 2,
     .commands = {620, 160, 200, 8},
     .types = {660, 80, 130, 130},
     .sweep_permille = 15,
     .soft_cap = 400},
};

struct SymbolPlan {
  SymbolId id{0};
  Price min_price{1};
  Price max_price{0};
  Qty max_qty{0};
  int64_t protection_ticks = 0;
  Price base{0};  // where prices start; they follow the last trade but stay near this
  int64_t wander = 300;      // how far from `base` the last trade may take the action
  int64_t far_offset = 200;  // the occasional far order lands up to this many ticks away
};

constexpr std::array<SymbolPlan, 3> kSymbols = {{
    {SymbolId{1}, Price{1}, Price{5'000}, Qty{100}, 5, Price{1'000}},
    {SymbolId{2}, Price{900}, Price{1'100}, Qty{50}, 20, Price{1'000}},
    // Configured a third of the way into the stream: orders for it are rejected before that.
    // Far orders and a wandering price: the book's tick window (4,096 ticks) keeps moving.
    {SymbolId{3}, Price{1}, Price{100'000}, Qty{1'000}, 0, Price{40'000}, 30'000, 12'000},
}};
constexpr SymbolId kNeverConfigured{77};

SymbolConfig ConfigOf(const SymbolPlan& plan) {
  SymbolConfig c;
  c.symbol = plan.id;
  c.name = {'S', static_cast<char>('0' + plan.id.value())};
  c.tick_size_nanos = 10'000'000;  // 0.01
  c.lot_size_nanos = 100'000'000;  // 0.1: 1,000 atoms per lot * tick
  c.min_price = plan.min_price;
  c.max_price = plan.max_price;
  c.max_order_qty = plan.max_qty;
  c.max_position_qty = Qty{1'000'000};
  c.market_protection_ticks = plan.protection_ticks;
  return c;
}

// Builds commands from the profile, looking at the reference book to aim cancels, amends and
// stops at things that exist (and, on purpose, sometimes at things that do not).
class Generator {
 public:
  Generator(const Profile& profile, uint64_t commands, const test::ReferenceBook& ref)
      : profile_(profile),
        rng_(profile.seed),
        ref_(ref),
        configure_third_at_(commands / 3),
        next_id_(profile.accounts + 1, 1) {}

  Command Next() {
    ++count_;
    Command c;
    // A stale sequence number now and then: at or below the last accepted one.
    if (rng_.PerMille(4) && last_seq_ > 0) {
      c.seq = SeqNo{last_seq_ - std::min<uint64_t>(last_seq_, rng_.Below(3))};
    } else {
      c.seq =
          SeqNo{last_seq_ + (rng_.PerMille(900) ? 1 : static_cast<uint64_t>(rng_.Between(2, 9)))};
    }
    ts_ += rng_.Between(0, 1'000);
    c.ts = Timestamp{ts_};
    c.body = Body();
    return c;
  }

  // Feeds back what happened, so later commands can refer to accepted orders.
  void Observe(const Command& c, const std::vector<Event>& events) {
    if (events.size() != 1 || !std::holds_alternative<CommandRejected>(events[0].body) ||
        std::get<CommandRejected>(events[0].body).reason != RejectReason::kStaleSequence) {
      last_seq_ = std::max(last_seq_, c.seq.value());
    }
    for (const Event& e : events) {
      if (const auto* a = std::get_if<OrderAccepted>(&e.body)) {
        Remember(a->symbol, a->account, a->order_id);
      }
    }
  }

 private:
  struct Ref {
    SymbolId symbol{0};
    AccountId account{0};
    OrderId id{0};
  };

  CommandBody Body() {
    if (count_ == 1 || count_ == 2) return ConfigureSymbol{ConfigOf(kSymbols[count_ - 1])};
    if (count_ == configure_third_at_ + 3) return ConfigureSymbol{ConfigOf(kSymbols[2])};
    std::array<uint32_t, 4> weights = profile_.commands;
    if (ref_.live_orders() > profile_.soft_cap) weights[1] += weights[0];
    switch (rng_.Pick(weights)) {
      case 0:
        return MakeNewOrder();
      case 1:
        return MakeCancel();
      case 2:
        return MakeAmend();
      default:
        return MakeMassCancel();
    }
  }

  AccountId RandomAccount() {
    return AccountId{static_cast<uint32_t>(rng_.Between(1, profile_.accounts))};
  }

  const SymbolPlan& RandomPlan() {
    const bool third = ref_.Symbol(kSymbols[2].id) != nullptr;
    const uint64_t r = rng_.Below(1000);
    if (r < (third ? 430u : 490u)) return kSymbols[0];
    if (r < (third ? 860u : 980u)) return kSymbols[1];
    return kSymbols[2];  // before it is configured: unknown symbol
  }

  SymbolId RandomSymbol() {
    if (rng_.PerMille(3)) return kNeverConfigured;
    return RandomPlan().id;
  }

  // Where the action is: the last trade, kept within reach of the symbol's base price.
  Price Mid(const SymbolPlan& plan) const {
    const std::optional<Price> last = ref_.LastTradePrice(plan.id);
    const int64_t base = plan.base.value();
    const int64_t span =
        std::min<int64_t>(plan.wander, (plan.max_price - plan.min_price).value() / 2 - 20);
    const int64_t mid = last ? last->value() : base;
    return Price{std::clamp(mid, base - span, base + span)};
  }

  Qty RandomQty(const SymbolPlan& plan) {
    const uint64_t r = rng_.Below(1000);
    if (r < 8) return Qty{-rng_.Between(0, 3)};                 // invalid
    if (r < 14) return plan.max_qty + Qty{rng_.Between(1, 5)};  // too large
    if (r < 600) return Qty{rng_.Between(1, 5)};
    if (r < 920) return Qty{rng_.Between(1, 20)};
    return Qty{rng_.Between(1, plan.max_qty.value())};
  }

  // A price rarely valid for nobody: zero, negative, or just outside the limits.
  Price InvalidPrice(const SymbolPlan& plan) {
    switch (rng_.Below(4)) {
      case 0:
        return Price{0};
      case 1:
        return Price{-rng_.Between(1, 10)};
      case 2:
        return plan.min_price - Price{rng_.Between(1, 3)};  // 0 or below for a min of 1
      default:
        return plan.max_price + Price{rng_.Between(1, 3)};
    }
  }

  // Concentrated near the mid: a buy at mid - offset, most offsets small, some crossing.
  Price LimitPrice(const SymbolPlan& plan, Side side) {
    if (rng_.PerMille(12)) return InvalidPrice(plan);
    int64_t offset = rng_.Between(0, 6) + rng_.Between(0, 6) - 3;
    // A few far orders rest deep in the book; a few of those cross deep and move the price.
    if (rng_.PerMille(30)) offset = rng_.Between(-plan.far_offset / 8, plan.far_offset);
    const int64_t p = Mid(plan).value() + (side == Side::kBuy ? -offset : offset);
    return Price{std::clamp(p, plan.min_price.value(), plan.max_price.value())};
  }

  OrderId PickOrderId(AccountId account) {
    uint64_t& next = next_id_[account.value()];
    const uint64_t r = rng_.Below(1000);
    if (r < 30 && !recent_.empty()) {  // an id seen before: a duplicate if it is still live
      const Ref& ref = recent_[rng_.Below(recent_.size())];
      if (ref.account == account) return ref.id;
    }
    if (r < 40 && next > 1) return OrderId{static_cast<uint64_t>(rng_.Between(1, next - 1))};
    return OrderId{next++};
  }

  NewOrder MakeNewOrder() {
    const SymbolId symbol = RandomSymbol();
    const SymbolPlan& plan = symbol == kNeverConfigured ? kSymbols[0] : PlanOf(symbol);
    NewOrder o;
    o.symbol = symbol;
    o.account = RandomAccount();
    o.order_id = PickOrderId(o.account);
    o.side = rng_.Below(2) == 0 ? Side::kBuy : Side::kSell;
    o.stp = static_cast<StpMode>(rng_.Pick(std::array<uint32_t, 4>{40, 20, 20, 20}));
    o.reduce_only = rng_.PerMille(50);
    o.qty = RandomQty(plan);
    const int64_t mid = Mid(plan).value();
    const int64_t dir = o.side == Side::kBuy ? 1 : -1;

    if (rng_.PerMille(profile_.sweep_permille)) {  // cross deep with size: empties levels
      o.type = OrderType::kLimit;
      o.tif = static_cast<TimeInForce>(rng_.Below(3));  // GTC, IOC or FOK
      o.price = Price{std::clamp(mid + dir * rng_.Between(5, 40), plan.min_price.value(),
                                 plan.max_price.value())};
      o.qty = Qty{rng_.Between(20, plan.max_qty.value())};
      return o;
    }

    o.type = static_cast<OrderType>(rng_.Pick(profile_.types));
    switch (o.type) {
      case OrderType::kLimit:
        o.tif = static_cast<TimeInForce>(rng_.Pick(std::array<uint32_t, 4>{55, 15, 12, 18}));
        o.price = LimitPrice(plan, o.side);
        break;
      case OrderType::kMarket:
        o.tif = static_cast<TimeInForce>(rng_.Pick(std::array<uint32_t, 4>{30, 40, 25, 5}));
        break;
      case OrderType::kStopLimit:
      case OrderType::kStopMarket: {
        o.tif = static_cast<TimeInForce>(rng_.Pick(std::array<uint32_t, 4>{50, 25, 20, 5}));
        // Just beyond the last trade, so that moves trigger them and chains form; an offset
        // of 0 (or less) is a stop that would trigger at once.
        const int64_t offset = rng_.Between(-1, 8);
        o.stop_price = Price{mid + dir * offset};
        if (rng_.PerMille(15)) o.stop_price = InvalidPrice(plan);
        if (o.type == OrderType::kStopLimit) {
          o.price = Price{std::clamp(o.stop_price.value() + dir * rng_.Between(-2, 6),
                                     plan.min_price.value(), plan.max_price.value())};
          if (rng_.PerMille(10)) o.price = InvalidPrice(plan);
        }
        break;
      }
    }
    return o;
  }

  const SymbolPlan& PlanOf(SymbolId id) const {
    for (const SymbolPlan& p : kSymbols) {
      if (p.id == id) return p;
    }
    return kSymbols[0];
  }

  // An order to aim at: mostly a live one, sometimes one that has finished (filled, cancelled,
  // expired), sometimes one never seen, sometimes on the wrong symbol.
  Ref Target() {
    if (recent_.empty() || rng_.PerMille(60)) {
      const AccountId account = RandomAccount();
      return {RandomSymbol(), account, OrderId{next_id_[account.value()] + 1'000}};
    }
    auto pick = [this]() -> const Ref& {
      if (rng_.PerMille(500)) {  // the newest orders are the likeliest to be live
        return recent_[recent_.size() - 1 - rng_.Below(std::min<uint64_t>(64, recent_.size()))];
      }
      return recent_[rng_.Below(recent_.size())];
    };
    Ref ref = pick();
    const bool want_live = rng_.PerMille(700) || ref_.live_orders() > profile_.soft_cap;
    for (int i = 0; want_live && i < 8; ++i) {
      if (ref_.Order(ref.account, ref.id).status != OrderStatus::kUnknown) break;
      ref = pick();
    }
    if (rng_.PerMille(30)) ref.symbol = RandomSymbol();
    return ref;
  }

  CancelOrder MakeCancel() {
    const Ref ref = Target();
    return CancelOrder{.symbol = ref.symbol, .account = ref.account, .order_id = ref.id};
  }

  AmendOrder MakeAmend() {
    const Ref ref = Target();
    AmendOrder a{.symbol = ref.symbol, .account = ref.account, .order_id = ref.id};
    const OrderView o = ref_.Order(ref.account, ref.id);
    const SymbolPlan& plan = PlanOf(o.status == OrderStatus::kUnknown ? ref.symbol : o.symbol);
    if (o.status != OrderStatus::kResting) {
      a.new_price = LimitPrice(plan, rng_.Below(2) == 0 ? Side::kBuy : Side::kSell);
      a.new_qty = RandomQty(plan);
      return a;
    }
    const int64_t dir = o.side == Side::kBuy ? 1 : -1;
    a.new_price = o.price;
    a.new_qty = o.open;
    const int64_t open = o.open.value();
    switch (rng_.Pick(std::array<uint32_t, 7>{25, 15, 20, 10, 15, 5, 10})) {
      case 0:  // quantity down: keeps priority
        a.new_qty = Qty{rng_.Between(std::min<int64_t>(1, open), std::max<int64_t>(1, open - 1))};
        break;
      case 1:  // quantity up: loses priority
        a.new_qty = Qty{std::min(plan.max_qty.value(), open + rng_.Between(1, 10))};
        break;
      case 2:  // price away or toward
        a.new_price = Price{std::clamp(o.price.value() + rng_.Between(-5, 5),
                                       plan.min_price.value(), plan.max_price.value())};
        break;
      case 3:  // both
        a.new_price = Price{std::clamp(o.price.value() + rng_.Between(-5, 5),
                                       plan.min_price.value(), plan.max_price.value())};
        a.new_qty = Qty{rng_.Between(1, 30)};
        break;
      case 4: {  // through the opposite best: a crossing amend
        const std::optional<LevelView> best =
            o.side == Side::kBuy ? ref_.BestAsk(o.symbol) : ref_.BestBid(o.symbol);
        if (best) {
          a.new_price = Price{std::clamp(best->price.value() + dir * rng_.Between(0, 4),
                                         plan.min_price.value(), plan.max_price.value())};
        }
        if (rng_.PerMille(500)) a.new_qty = Qty{rng_.Between(1, 40)};
        break;
      }
      case 5:  // no change
        break;
      default:  // invalid
        if (rng_.Below(2) == 0) {
          a.new_price = InvalidPrice(plan);
        } else {
          a.new_qty = rng_.Below(2) == 0 ? Qty{-rng_.Between(0, 2)}
                                         : plan.max_qty + Qty{rng_.Between(1, 3)};
        }
        break;
    }
    return a;
  }

  MassCancel MakeMassCancel() {
    MassCancel m{.account = RandomAccount()};
    if (rng_.PerMille(400)) {
      m.all_symbols = false;
      m.symbol = RandomPlan().id;
    }
    return m;
  }

  void Remember(SymbolId symbol, AccountId account, OrderId id) {
    recent_.push_back({symbol, account, id});
    if (recent_.size() > 512) recent_.pop_front();
  }

  const Profile& profile_;
  Rng rng_;
  const test::ReferenceBook& ref_;
  uint64_t configure_third_at_;
  uint64_t count_ = 0;
  uint64_t last_seq_ = 0;
  int64_t ts_ = 1'000'000;
  std::vector<uint64_t> next_id_;  // per account
  std::deque<Ref> recent_;
};

// Counts of what a stream exercised, so that a generator that stopped producing (say) chained
// triggers fails the test instead of passing vacuously.
struct Coverage {
  std::map<std::string, uint64_t> counts;
  std::map<uint32_t, TopOfBook> tops;  // the last TopOfBook per symbol
  std::set<std::tuple<OrderType, TimeInForce, StpMode>> combinations;  // accepted new orders
  void Add(const std::string& what, uint64_t n = 1) { counts[what] += n; }
  uint64_t operator[](const std::string& what) const {
    auto it = counts.find(what);
    return it == counts.end() ? 0 : it->second;
  }
  void Record(const Command& c, const std::vector<Event>& events) {
    uint64_t triggered = 0;
    uint64_t mass = 0;
    bool amended_unkept = false;
    for (size_t i = 0; i < events.size(); ++i) {
      const EventBody& b = events[i].body;
      Add(std::string(EventName(events[i].body)));
      if (const auto* r = std::get_if<CommandRejected>(&b)) {
        Add("reject:" + std::string(ToString(r->reason)));
      } else if (const auto* x = std::get_if<OrderCancelled>(&b)) {
        if (x->reason == CancelReason::kSelfTrade) Add("cancel:self-trade");
        if (x->reason == CancelReason::kMassCancel) ++mass;
      } else if (const auto* e = std::get_if<OrderExpired>(&b)) {
        Add("expire:" + std::to_string(static_cast<int>(e->reason)));
      } else if (std::holds_alternative<OrderTriggered>(b)) {
        ++triggered;
      } else if (const auto* a = std::get_if<OrderAmended>(&b)) {
        Add(a->priority_kept ? "amend:kept" : "amend:moved");
        amended_unkept = !a->priority_kept;
      } else if (const auto* t = std::get_if<Trade>(&b)) {
        if (amended_unkept) Add("amend:crossing-trade");
        if (t->maker_account == t->taker_account) Add("trade:self");
      } else if (const auto* top = std::get_if<TopOfBook>(&b)) {
        TopOfBook& before = tops[top->symbol.value()];
        if (before.bid_qty > Qty{0} && top->bid_qty == Qty{0}) Add("top:side-emptied");
        if (before.ask_qty > Qty{0} && top->ask_qty == Qty{0}) Add("top:side-emptied");
        before = *top;
      }
    }
    if (triggered >= 2) Add("chain:2+");
    if (triggered >= 3) Add("chain:3+");
    if (mass >= 2) Add("mass-cancel:2+");
    if (const auto* o = std::get_if<NewOrder>(&c.body)) {
      if (!events.empty() && std::holds_alternative<OrderAccepted>(events[0].body)) {
        combinations.insert({o->type, o->tif, o->stp});
      }
    }
  }
  std::string Summary() const {
    std::ostringstream os;
    size_t column = 0;
    for (const auto& [k, v] : counts) {
      const std::string item = k + "=" + std::to_string(v);
      if (column + item.size() > 96) {
        os << "\n";
        column = 0;
      }
      os << "  " << item;
      column += item.size() + 2;
    }
    os << "\n  accepted (type, tif, stp) combinations: " << combinations.size() << "\n";
    return os.str();
  }
};

// The first difference between two event lists, rendered for a human, or "" if none.
std::string DiffEvents(uint64_t index, const Command& command, std::span<const Event> expected,
                       std::span<const Event> actual, const std::deque<std::string>& history) {
  size_t first = 0;
  while (first < expected.size() && first < actual.size() &&
         expected[first] == actual[first]) {
    ++first;
  }
  if (first == expected.size() && first == actual.size()) return "";
  std::ostringstream os;
  os << "event streams differ at command #" << index << " (seq " << command.seq.value()
     << "), event " << first << ":\n";
  os << "  command:   " << ToString(command) << "\n";
  os << "  reference: "
     << (first < expected.size() ? ToString(expected[first]) : std::string("<no event>")) << "\n";
  os << "  engine:    "
     << (first < actual.size() ? ToString(actual[first]) : std::string("<no event>")) << "\n";
  os << "all reference events of the command:\n";
  for (size_t i = 0; i < expected.size(); ++i) {
    os << (i == first ? "  > " : "    ") << i << " " << ToString(expected[i]) << "\n";
  }
  os << "all engine events of the command:\n";
  for (size_t i = 0; i < actual.size(); ++i) {
    os << (i == first ? "  > " : "    ") << i << " " << ToString(actual[i]) << "\n";
  }
  os << "preceding commands (oldest first):\n";
  for (const std::string& h : history) os << "    " << h << "\n";
  return os.str();
}

// Compares every query the engine answers, for the symbols of the stream; "" if all agree.
std::string DiffQueries(const Engine& engine, const test::ReferenceBook& ref, size_t levels,
                        const std::deque<std::pair<AccountId, OrderId>>& orders) {
  std::ostringstream os;
  std::vector<LevelView> buffer(levels);
  for (SymbolId symbol : {kSymbols[0].id, kSymbols[1].id, kSymbols[2].id, kNeverConfigured}) {
    const std::string where = "symbol " + std::to_string(symbol.value()) + " ";
    auto level_text = [](const std::optional<LevelView>& l) {
      return l ? ToString(*l) : std::string("<none>");
    };
    auto same = [](const std::optional<LevelView>& a, const std::optional<LevelView>& b) {
      return a.has_value() == b.has_value() && (!a || *a == *b);
    };
    if (!same(ref.BestBid(symbol), engine.BestBid(symbol))) {
      os << where << "BestBid: reference " << level_text(ref.BestBid(symbol)) << ", engine "
         << level_text(engine.BestBid(symbol)) << "\n";
    }
    if (!same(ref.BestAsk(symbol), engine.BestAsk(symbol))) {
      os << where << "BestAsk: reference " << level_text(ref.BestAsk(symbol)) << ", engine "
         << level_text(engine.BestAsk(symbol)) << "\n";
    }
    for (Side side : {Side::kBuy, Side::kSell}) {
      const std::vector<LevelView> want = ref.Depth(symbol, side, levels);
      const size_t n = engine.Depth(symbol, side, buffer);
      bool equal = n == want.size();
      for (size_t i = 0; equal && i < n; ++i) equal = want[i] == buffer[i];
      if (!equal) {
        os << where << "Depth(" << ToString(side) << ", " << levels << "):\n  reference:";
        for (const LevelView& l : want) os << " [" << ToString(l) << "]";
        os << "\n  engine:   ";
        for (size_t i = 0; i < n; ++i) os << " [" << ToString(buffer[i]) << "]";
        os << "\n";
      }
    }
    if (ref.LastTradePrice(symbol) != engine.LastTradePrice(symbol)) {
      os << where << "LastTradePrice: reference "
         << (ref.LastTradePrice(symbol) ? std::to_string(ref.LastTradePrice(symbol)->value())
                                        : "<none>")
         << ", engine "
         << (engine.LastTradePrice(symbol) ? std::to_string(engine.LastTradePrice(symbol)->value())
                                           : "<none>")
         << "\n";
    }
  }
  if (ref.live_orders() != engine.live_orders()) {
    os << "live_orders: reference " << ref.live_orders() << ", engine " << engine.live_orders()
       << "\n";
  }
  if (ref.last_seq() != engine.last_seq()) {
    os << "last_seq: reference " << ref.last_seq().value() << ", engine "
       << engine.last_seq().value() << "\n";
  }
  for (const auto& [account, id] : orders) {
    const OrderView want = ref.Order(account, id);
    const OrderView got = engine.Order(account, id);
    bool equal = want.status == got.status;
    if (equal && want.status != OrderStatus::kUnknown) {
      equal = want.symbol == got.symbol && want.side == got.side && want.tif == got.tif &&
              want.price == got.price && want.open == got.open &&
              // What a triggered stop-limit calls itself is not part of the contract.
              (ref.WasTriggered(account, id) || want.type == got.type) &&
              (want.status != OrderStatus::kPendingStop || want.stop_price == got.stop_price);
    }
    if (!equal) {
      os << "Order(account " << account.value() << ", id " << id.value() << "): reference "
         << ToString(want) << ", engine " << ToString(got) << "\n";
    }
  }
  return os.str();
}

void PrintTo(const Profile& profile, std::ostream* os) { *os << profile.name; }

std::string PrintProfileName(const ::testing::TestParamInfo<Profile>& info) {
  return std::string(info.param.name);
}

class EngineDifferentialTest : public ::testing::TestWithParam<Profile> {};

TEST_P(EngineDifferentialTest, MatchesReferenceBookEventForEvent) {
  const Profile& profile = GetParam();
  const uint64_t commands = std::max<uint64_t>(TotalCommands() / std::size(kProfiles), 100);

  Engine engine;
  test::ReferenceBook ref;
  Generator generator(profile, commands, ref);
  Coverage coverage;
  std::deque<std::string> history;  // the last few commands, for the failure message
  std::deque<std::pair<AccountId, OrderId>> watched;  // orders whose state is compared
  uint64_t live_sum = 0;
  uint64_t live_samples = 0;
  size_t live_max = 0;

  for (uint64_t i = 0; i < commands; ++i) {
    const Command command = generator.Next();
    const std::vector<Event> expected = ref.Apply(command);
    const std::span<const Event> actual = engine.Apply(command);
    const std::string diff = DiffEvents(i, command, expected, actual, history);
    ASSERT_TRUE(diff.empty()) << "profile " << profile.name << "\n" << diff;

    generator.Observe(command, expected);
    coverage.Record(command, expected);
    history.push_back(ToString(command));
    if (history.size() > 8) history.pop_front();
    for (const Event& e : expected) {
      if (const auto* a = std::get_if<OrderAccepted>(&e.body)) {
        watched.emplace_back(a->account, a->order_id);
        if (watched.size() > 16) watched.pop_front();
      }
    }

    if (i % 61 == 0) {
      live_sum += ref.live_orders();
      live_max = std::max(live_max, ref.live_orders());
      ++live_samples;
    }
    const bool full = i % 4096 == 4095 || i + 1 == commands;
    if (full || i % 61 == 0) {
      const std::string query_diff = DiffQueries(engine, ref, full ? 100'000 : 8, watched);
      ASSERT_TRUE(query_diff.empty())
          << "profile " << profile.name << ": queries differ after command #" << i << " "
          << ToString(command) << "\n"
          << query_diff;
    }
  }

  std::cout << "[ " << profile.name << " ] " << commands << " commands; live orders: mean "
            << live_sum / std::max<uint64_t>(1, live_samples) << ", max " << live_max
            << "; coverage:\n"
            << coverage.Summary();
  // The stream must have exercised what it is meant to. Below 10,000 commands a stream is too
  // short for these counts to be meaningful.
  if (commands < 10'000) return;
  const uint64_t scale = std::max<uint64_t>(1, commands / 10'000);
  EXPECT_GE(coverage["Trade"], 100 * scale);
  EXPECT_GE(coverage["OrderTriggered"], scale);
  EXPECT_GE(coverage["chain:2+"], 1u);
  EXPECT_GE(coverage["cancel:self-trade"], scale);
  EXPECT_GE(coverage["trade:self"], 1u);
  EXPECT_GE(coverage["amend:kept"], scale);
  EXPECT_GE(coverage["amend:moved"], scale);
  EXPECT_GE(coverage["amend:crossing-trade"], 1u);
  EXPECT_GE(coverage["mass-cancel:2+"], 1u);
  EXPECT_GE(coverage["top:side-emptied"], 1u);
  // Every valid (type, time in force, self-trade mode) combination was accepted: 4 limit time in
  // forces and 3 for each of the other types, times 4 modes.
  EXPECT_EQ(coverage.combinations.size(), (4u + 3u * 3u) * 4u);
  EXPECT_GE(coverage["expire:0"], scale);  // IOC
  EXPECT_GE(coverage["expire:1"], scale);  // FOK
  EXPECT_GE(coverage["expire:2"], scale);  // market protection
  for (RejectReason r : {RejectReason::kUnknownSymbol, RejectReason::kInvalidQuantity,
                         RejectReason::kQuantityTooLarge, RejectReason::kInvalidPrice,
                         RejectReason::kPriceOutOfBounds, RejectReason::kInvalidOrderType,
                         RejectReason::kStaleSequence, RejectReason::kPostOnlyWouldTake,
                         RejectReason::kDuplicateOrderId, RejectReason::kUnknownOrder,
                         RejectReason::kStopWouldTriggerImmediately, RejectReason::kNotAmendable,
                         RejectReason::kAmendNoChange}) {
    EXPECT_GE(coverage["reject:" + std::string(ToString(r))], 1u) << ToString(r);
  }
}

INSTANTIATE_TEST_SUITE_P(Streams, EngineDifferentialTest, ::testing::ValuesIn(kProfiles),
                         PrintProfileName);

}  // namespace
}  // namespace cascade
