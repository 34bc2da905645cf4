// AllocationTest: once warm, Engine::Apply makes no heap allocation, whatever the command: adds,
// cancels, amends, IOC/FOK/market orders, stops and their triggers, matches, rejects. This binary
// replaces the global operator new to count every allocation.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/format.h"
#include "engine/engine.h"
#include "engine/wire/samples.h"

namespace {
std::atomic<uint64_t> g_allocations{0};

void* CountedAlloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return CountedAlloc(size); }
void* operator new[](std::size_t size) { return CountedAlloc(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// Over-aligned allocations keep the library's operator new(size_t, align_val_t); the engine has no
// over-aligned types, and a count of zero above would miss them, so they are counted too.
void* operator new(std::size_t size, std::align_val_t al) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(al);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace cascade {
namespace {

constexpr SymbolId kSymbol{1};
constexpr int64_t kMid = 10'000;

// SplitMix64: seeded and portable.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  uint64_t state_;
};

SymbolConfig Config() {
  SymbolConfig c;
  c.symbol = kSymbol;
  std::memcpy(c.name.data(), "ALLOC-PERP", 10);
  c.tick_size_nanos = 10'000'000;
  c.lot_size_nanos = 1'000'000'000;
  c.min_price = Price{1};
  c.max_price = Price{1'000'000};
  c.max_order_qty = Qty{1'000'000};
  c.max_position_qty = Qty{1'000'000'000};
  c.market_protection_ticks = 15;
  return c;
}

// A random mixed stream, generated before anything is counted. It does not track the book:
// cancels and amends name recently issued ids, some of them finished (rejected, which must not
// allocate either). Prices sit in a narrow band so that orders cross and stops trigger often.
// Stop-limit orders keep the random limit price they were given.
struct StreamShape {
  int64_t mid = kMid;
  uint64_t first_seq = 2;
  int64_t ts_step_ns = 1;
  // Every `index_every` commands (0: never), an index price that random-walks around the mid, so
  // that a margined symbol's mark moves, buckets are re-valued and some get liquidated.
  int64_t index_every = 0;
};

std::vector<Command> MixedStream(size_t n, uint64_t seed, const StreamShape& shape = {}) {
  const int64_t mid = shape.mid;
  int64_t index = shape.mid;
  Rng rng(seed);
  std::vector<Command> out;
  out.reserve(n);
  std::vector<NewOrder> issued;
  // One of the last 200 orders issued: many are still live, some finished.
  auto recent = [&]() -> const NewOrder& {
    const auto back = static_cast<size_t>(
        rng.Range(0, std::min<int64_t>(static_cast<int64_t>(issued.size()) - 1, 200)));
    return issued[issued.size() - 1 - back];
  };
  uint64_t next_id = 1;
  for (size_t i = 0; i < n; ++i) {
    Command c{SeqNo{shape.first_seq + i},
              Timestamp{static_cast<int64_t>(shape.first_seq + i) * shape.ts_step_ns}, Timer{}};
    if (shape.index_every > 0 && static_cast<int64_t>(i) % shape.index_every == 0) {
      index = std::clamp<int64_t>(index + rng.Range(-20, 20), mid - 200, mid + 200);
      c.body = IndexPrice{kSymbol, Price{index}};
      out.push_back(c);
      continue;
    }
    const int64_t r = rng.Range(0, 99);
    const AccountId account{static_cast<uint32_t>(rng.Range(1, 20))};
    if (r < 60 || issued.empty()) {
      NewOrder o{.symbol = kSymbol, .account = account, .order_id = OrderId{next_id++}};
      o.side = rng.Range(0, 1) == 0 ? Side::kBuy : Side::kSell;
      o.stp = static_cast<StpMode>(rng.Range(0, 3));
      o.qty = Qty{rng.Range(1, 50)};
      // Resting orders spread over 60 ticks; takers reach a few ticks through the mid.
      const int64_t away = rng.Range(-5, 30);
      o.price = Price{o.side == Side::kBuy ? mid - away : mid + away};
      const int64_t kind = rng.Range(0, 99);
      if (kind < 50) {
        o.tif = TimeInForce::kGtc;
      } else if (kind < 60) {
        o.tif = TimeInForce::kIoc;
      } else if (kind < 68) {
        o.tif = TimeInForce::kFok;
        o.qty = Qty{rng.Range(1, 200)};
      } else if (kind < 76) {
        o.tif = TimeInForce::kPostOnly;
      } else if (kind < 84) {
        o.type = OrderType::kMarket;  // large enough to reach the protection band at times
        o.tif = rng.Range(0, 1) == 0 ? TimeInForce::kIoc : TimeInForce::kFok;
        o.qty = Qty{rng.Range(20, 400)};
      } else {
        o.type = rng.Range(0, 1) == 0 ? OrderType::kStopLimit : OrderType::kStopMarket;
        o.stop_price = Price{mid + rng.Range(-25, 25)};
      }
      issued.push_back(o);
      c.body = o;
    } else if (r < 76) {
      const NewOrder& o = recent();
      c.body = CancelOrder{kSymbol, o.account, o.order_id};
    } else if (r < 98) {
      const NewOrder& o = recent();
      if (rng.Range(0, 1) == 0) {  // same price, less: keeps priority while the order is live
        c.body = AmendOrder{kSymbol, o.account, o.order_id, o.price,
                            Qty{std::max<int64_t>(1, o.qty.value() / 3)}};
      } else {  // moves, possibly across the book
        const int64_t away = rng.Range(-5, 30);
        c.body = AmendOrder{kSymbol, o.account, o.order_id,
                            Price{o.side == Side::kBuy ? mid - away : mid + away},
                            Qty{rng.Range(1, 50)}};
      }
    } else {
      c.body = MassCancel{account, rng.Range(0, 1) == 0, kSymbol};
    }
    out.push_back(c);
  }
  return out;
}

struct Coverage {
  uint64_t trades = 0, triggered = 0, amended_kept = 0, amended_moved = 0, cancelled = 0,
           expired_ioc = 0, expired_fok = 0, expired_market = 0, rejected = 0, accepted = 0,
           marks = 0, margin_calls = 0, liquidation_orders = 0, funding = 0;
};

void Tally(std::span<const Event> events, Coverage& c) {
  for (const Event& e : events) {
    if (std::holds_alternative<Trade>(e.body)) ++c.trades;
    if (std::holds_alternative<OrderTriggered>(e.body)) ++c.triggered;
    if (std::holds_alternative<OrderCancelled>(e.body)) ++c.cancelled;
    if (std::holds_alternative<CommandRejected>(e.body)) ++c.rejected;
    if (std::holds_alternative<OrderAccepted>(e.body)) ++c.accepted;
    if (std::holds_alternative<MarkUpdated>(e.body)) ++c.marks;
    if (std::holds_alternative<MarginCall>(e.body)) ++c.margin_calls;
    if (std::holds_alternative<LiquidationOrder>(e.body)) ++c.liquidation_orders;
    if (std::holds_alternative<FundingPayment>(e.body)) ++c.funding;
    if (const auto* a = std::get_if<OrderAmended>(&e.body)) {
      ++(a->priority_kept ? c.amended_kept : c.amended_moved);
    }
    if (const auto* x = std::get_if<OrderExpired>(&e.body)) {
      ++(x->reason == ExpireReason::kIoc   ? c.expired_ioc
         : x->reason == ExpireReason::kFok ? c.expired_fok
                                           : c.expired_market);
    }
  }
}

struct CountedRun {
  uint64_t allocations = 0;
  size_t allocating_commands = 0;
  std::string first_allocating;
  Coverage coverage;
};

// Applies stream[0, warm) untouched, then counts the heap allocations of every later command.
CountedRun RunCounted(Engine& engine, const std::vector<Command>& stream, size_t warm) {
  CountedRun run;
  Coverage warm_coverage;
  for (size_t i = 0; i < warm; ++i) Tally(engine.Apply(stream[i]), warm_coverage);
  size_t first = 0;
  for (size_t i = warm; i < stream.size(); ++i) {
    const uint64_t before = g_allocations.load(std::memory_order_relaxed);
    const std::span<const Event> events = engine.Apply(stream[i]);
    const uint64_t made = g_allocations.load(std::memory_order_relaxed) - before;
    if (made != 0 && run.allocating_commands++ == 0) first = i;
    run.allocations += made;
    Tally(events, run.coverage);
  }
  if (run.allocating_commands > 0) run.first_allocating = ToText(stream[first]);
  return run;
}

void Print(const char* name, size_t counted, const CountedRun& run, const Engine& engine) {
  const Coverage& c = run.coverage;
  std::cout << name << ": " << counted << " counted commands: accepted " << c.accepted
            << ", trades " << c.trades << ", stops triggered " << c.triggered
            << ", amends kept/moved " << c.amended_kept << "/" << c.amended_moved << ", cancelled "
            << c.cancelled << ", expired IOC/FOK/market " << c.expired_ioc << "/" << c.expired_fok
            << "/" << c.expired_market << ", rejected " << c.rejected << ", marks " << c.marks
            << ", margin calls " << c.margin_calls << ", liquidation orders "
            << c.liquidation_orders << ", funding " << c.funding << "; live orders at the end "
            << engine.live_orders() << "; heap allocations " << run.allocations << "\n";
}

constexpr size_t kWarm = 200'000;
constexpr size_t kCounted = 200'000;

EngineConfig SmallEngine() {
  EngineConfig config;
  config.max_orders = 4096;
  config.max_accounts = 64;
  config.event_buffer_reserve = 4096;
  return config;
}

TEST(AllocationTest, ZeroAllocationsPerCommandOnceWarm) {
  const std::vector<Command> stream = MixedStream(kWarm + kCounted, 7);
  Engine engine(SmallEngine());
  (void)engine.Apply(Command{SeqNo{1}, Timestamp{1}, ConfigureSymbol{Config()}});
  const CountedRun run = RunCounted(engine, stream, kWarm);
  EXPECT_EQ(run.allocations, 0u) << run.allocating_commands
                                 << " commands allocated; the first: " << run.first_allocating;

  // The counted stream exercised what it claims to.
  const Coverage& c = run.coverage;
  EXPECT_GT(c.accepted, 10'000u);
  EXPECT_GT(c.trades, 10'000u);
  EXPECT_GT(c.triggered, 100u);
  EXPECT_GT(c.amended_kept, 100u);
  EXPECT_GT(c.amended_moved, 100u);
  EXPECT_GT(c.cancelled, 1'000u);
  EXPECT_GT(c.expired_ioc, 100u);
  EXPECT_GT(c.expired_fok, 100u);
  EXPECT_GT(c.expired_market, 100u);
  EXPECT_GT(c.rejected, 1'000u);
  Print("AllocationTest", kCounted, run, engine);
}

// The same mix on a margined symbol (Binance-style BTC tiers): every order passes the margin
// check, fills settle buckets, index prices move the mark, time crosses funding boundaries.
TEST(AllocationTest, ZeroAllocationsPerCommandOnceWarmWithMargin) {
  SymbolConfig config = wire::BinanceBtcPerp();
  config.symbol = kSymbol;
  constexpr int64_t kBtcMid = 1'168'480;  // $116,848.0 in $0.1 ticks
  constexpr int64_t kUsdt = 1'000'000;    // atoms
  Engine engine(SmallEngine());
  uint64_t seq = 1;
  auto setup = [&](CommandBody body) {
    const std::span<const Event> events =
        engine.Apply(Command{SeqNo{seq}, Timestamp{static_cast<int64_t>(seq)}, body});
    ++seq;
    for (const Event& e : events) {
      ASSERT_FALSE(std::holds_alternative<CommandRejected>(e.body)) << ToText(e);
    }
  };
  setup(ConfigureSymbol{config});
  for (uint32_t a = 1; a <= 20; ++a) {
    // Two thin accounts run out of margin now and then; the others never do.
    const int64_t cash = a <= 2 ? 2'000 : 10'000'000;
    setup(Deposit{AccountId{a}, MarginMode::kCross, kSymbol, Atoms{cash * kUsdt}});
  }
  setup(IndexPrice{kSymbol, Price{kBtcMid}});
  const StreamShape shape{.mid = kBtcMid,
                          .first_seq = seq,
                          .ts_step_ns = 100'000'000,  // 0.1 s: 40,000 s in all, funding included
                          .index_every = 50};
  const std::vector<Command> stream = MixedStream(kWarm + kCounted, 11, shape);
  const CountedRun run = RunCounted(engine, stream, kWarm);
  EXPECT_EQ(run.allocations, 0u) << run.allocating_commands
                                 << " commands allocated; the first: " << run.first_allocating;
  const Coverage& c = run.coverage;
  EXPECT_GT(c.accepted, 10'000u);
  EXPECT_GT(c.trades, 10'000u);
  EXPECT_GT(c.triggered, 100u);
  EXPECT_GT(c.marks, 100u);
  Print("AllocationTest (margined)", kCounted, run, engine);
}

TEST(AllocationTest, CounterSeesAllocations) {
  // Guards the test itself: the replaced operator new is the one in use.
  const uint64_t before = g_allocations.load();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(g_allocations.load() - before, 1u);
}

}  // namespace
}  // namespace cascade
