// BM_Risk_*: the risk engine on its own (no order book), driven like Engine::Apply drives it.
//
//   BM_Risk_MarkMove/<n>/<k>  one mark move over n leveraged buckets of which k cross: detection,
//                             liquidation (an IOC that fills at its limit) and the sweep's
//                             bookkeeping. items_per_second = mark moves per second. The k buckets
//                             are restored outside the timed region.
//   BM_Risk_OrderEntry/<n>    pre-trade margin check of a risk-increasing order, plus the
//   open-order
//                             accounting of it resting and leaving.
//   BM_Risk_Fill/<n>          one fill: two bucket updates, fees, two re-keys in the trigger index.
//   BM_Risk_Funding/<n>       one funding payment over n holders: n credits and n re-keys.
//   BM_Risk_Cascade           100,000 leveraged longs, a thinning bid ladder, an oracle mark
//   coupled
//                             to liquidation flow (lambda): one index drop sets off the cascade,
//                             timed to quiescence.
//
// Every case reports allocations per operation in the timed region ("allocs/op").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/risk/presets.h"
#include "engine/risk/risk_engine.h"
#include "engine/risk/testing/fake_venue.h"
#include "perf/alloc_counter.h"

namespace cascade::risk {
namespace {

constexpr SymbolId kBtc{1};
constexpr int64_t kUsd = 1'000'000;
constexpr int64_t kLots = 1'000;         // every leveraged bucket: long 1,000 lots (100k USD)
constexpr int64_t kEntry = 1'000'000;    // at 100,000.0 USD
constexpr uint32_t kHouse = 0xfffffff0;  // the counterparty of every position

SymbolConfig Btc(MarkMode mode, int64_t lambda) {
  SymbolConfig c;
  c.symbol = kBtc;
  c.tick_size_nanos = 100'000'000;
  c.lot_size_nanos = 1'000'000;  // K = 100
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};
  c.max_order_qty = Qty{10'000'000};
  c.max_position_qty = Qty{100'000'000};
  SetBinanceBtc2021Tiers(c.risk);
  c.risk.maker_fee = 20'000;
  c.risk.taker_fee = 40'000;
  c.risk.liquidation_fee = 500'000;
  c.risk.mark_mode = mode;
  c.risk.index_impact_lambda = lambda;
  c.risk.order_policy = LiquidationOrderPolicy::kBankruptcy;
  c.risk.size_policy = LiquidationSizePolicy::kFull;
  return c;
}

// Deposit that puts a 1,000-lot long from 1,000,000 (tier 1: MMR 0.5%, cum 50 USD) at `trigger`.
int64_t DepositFor(int64_t trigger) { return 100'000'000'000 - 50'000'000 - trigger * 99'500; }

// Fills every liquidation IOC whole at its limit against one deep bid (the absorber), so that the
// liquidated bucket ends flat with no cash and can be restored exactly.
class AbsorbingVenue : public LiquidationVenue {
 public:
  AbsorbingVenue(RiskEngine& risk, BucketId maker) : risk_(risk), maker_(maker) {}
  void CancelAllOrders(BucketId) noexcept override {}
  Qty SubmitLiquidationIoc(const LiquidationIoc& o) noexcept override {
    risk_.OnOrderRested(maker_, o.symbol, Opposite(o.side), o.limit, o.qty);
    risk_.OnLiquidationFill(maker_, o.limit, o.qty);
    return o.qty;
  }
  BookTop Top(SymbolId) const noexcept override { return {}; }

 private:
  RiskEngine& risk_;
  BucketId maker_;
};

// n leveraged longs against one house bucket, triggers spread over [lowest, highest].
struct Population {
  Population(int64_t n, int64_t lowest, int64_t highest, MarkMode mode, int64_t lambda) {
    RiskEngineConfig config;
    config.max_symbols = 4;
    config.max_buckets = static_cast<uint32_t>(n + 16);
    config.max_positions = static_cast<uint32_t>(n + 64);
    risk = std::make_unique<RiskEngine>(config);
    (void)risk->OnSymbolConfigured(Btc(mode, lambda));
    Begin(nullptr);
    risk->OnMarkPrice(kBtc, Price{kEntry});
    risk->OnIndexPrice(kBtc, Price{kEntry});
    (void)risk->Deposit(AccountId{kHouse}, MarginMode::kCross, kBtc, Atoms{int64_t{1} << 61});
    (void)risk->Deposit(kSystemAccount, MarginMode::kCross, kBtc, Atoms{int64_t{1} << 60});
    house = risk->FindBucket(AccountId{kHouse}, MarginMode::kCross, kBtc);
    (void)risk->Deposit(AccountId{kHouse + 1}, MarginMode::kCross, kBtc, Atoms{int64_t{1} << 61});
    absorber = risk->FindBucket(AccountId{kHouse + 1}, MarginMode::kCross, kBtc);
    testing::FakeVenue empty(*risk, nullptr, 4);
    (void)risk->Sweep(empty);
    triggers.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      // A fixed permutation of the range, so that creation order and trigger order differ.
      const int64_t span = highest - lowest + 1;
      const int64_t trigger = highest - (i * 7'919) % span;
      const uint32_t account = static_cast<uint32_t>(i + 1);
      (void)risk->Deposit(AccountId{account}, MarginMode::kCross, kBtc, Atoms{DepositFor(trigger)});
      const BucketId b = risk->FindBucket(AccountId{account}, MarginMode::kCross, kBtc);
      Open(b);
      ids.push_back(b);
      if (deposits.size() <= b.value()) deposits.resize(b.value() + 1, 0);
      deposits[b.value()] = DepositFor(trigger);
      triggers.push_back({risk->LiquidationPrice(b, kBtc)->value(), b.value()});
    }
    std::sort(triggers.begin(), triggers.end(), std::greater<>());
    events.reserve(1 << 20);
  }
  void Begin(std::vector<Event>* out) { risk->BeginCommand(SeqNo{++seq}, Timestamp{++ts}, out); }
  void Open(BucketId b) { Open(b, house); }
  void Open(BucketId b, BucketId seller) {
    risk->OnOrderRested(seller, kBtc, Side::kSell, Price{kEntry}, Qty{kLots});
    risk->OnFill(TradeFill{kBtc, Price{kEntry}, Qty{kLots}, Side::kBuy, seller, b});
  }

  std::unique_ptr<RiskEngine> risk;
  std::vector<Event> events;
  BucketId house{0};
  BucketId absorber{0};  // a well-capitalized bid that takes liquidation IOCs (MarkMove)
  std::vector<BucketId> ids;
  std::vector<int64_t> deposits;                       // by bucket id
  std::vector<std::pair<int64_t, uint32_t>> triggers;  // descending
  uint64_t seq = 0;
  int64_t ts = 0;
};

// Populations are expensive at n = 1M: keep the last one for the next k.
Population& MarkMovePopulation(int64_t n) {
  static std::unique_ptr<Population> cached;
  static int64_t cached_n = -1;
  if (cached_n != n) {
    cached.reset();
    cached = std::make_unique<Population>(n, 900'000, 990'000, MarkMode::kExternal, 0);
    cached_n = n;
  }
  return *cached;
}

void BM_Risk_MarkMove(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int64_t k = state.range(1);
  Population& pop = MarkMovePopulation(n);
  AbsorbingVenue venue(*pop.risk, pop.absorber);
  // The mark that crosses the k highest triggers (ties included), or none.
  const int64_t low_mark = k == 0 ? 995'000 : pop.triggers[static_cast<size_t>(k - 1)].first;
  size_t crossing = 0;
  while (crossing < pop.triggers.size() && pop.triggers[crossing].first >= low_mark) ++crossing;
  if (k == 0) crossing = 0;
  uint64_t allocations = 0;
  uint64_t liquidations = 0;
  int64_t flip = 0;
  for (auto _ : state) {
    pop.events.clear();
    const uint64_t before = alloc_counter::Allocations();
    pop.Begin(&pop.events);
    pop.risk->OnMarkPrice(kBtc, Price{low_mark + (k == 0 ? (flip ^= 1) : 0)});
    const SweepResult r = pop.risk->Sweep(venue);
    allocations += alloc_counter::Allocations() - before;
    liquidations += r.liquidations;
    if (k == 0) continue;
    state.PauseTiming();
    // Restore: each liquidated bucket is flat with no cash; deposit and buy back its position.
    pop.Begin(nullptr);
    for (size_t i = 0; i < crossing; ++i) {
      const BucketId b{pop.triggers[i].second};
      const BucketView v = pop.risk->GetBucket(b);
      (void)pop.risk->Deposit(v.account, MarginMode::kCross, kBtc,
                              Atoms{pop.deposits[b.value()] - v.quote.value()});
      pop.Open(b, pop.absorber);  // the absorber goes back to flat
    }
    pop.risk->OnMarkPrice(kBtc, Price{kEntry});
    (void)pop.risk->Sweep(venue);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["crossing"] = static_cast<double>(crossing);
  state.counters["liquidations/move"] =
      static_cast<double>(liquidations) / static_cast<double>(state.iterations());
  state.counters["allocs/op"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

// Order entry: CheckOrder for a bucket holding a position, then the order rests and leaves.
void BM_Risk_OrderEntry(benchmark::State& state) {
  static std::unique_ptr<Population> pop;
  pop = std::make_unique<Population>(state.range(0), 900'000, 990'000, MarkMode::kExternal, 0);
  testing::FakeVenue venue(*pop->risk, nullptr, 4);
  pop->Begin(&pop->events);
  size_t i = 0;
  uint64_t rejected = 0;
  const uint64_t before = alloc_counter::Allocations();
  for (auto _ : state) {
    const BucketId b = pop->ids[i];
    if (++i == pop->ids.size()) i = 0;
    const BucketView v = pop->risk->GetBucket(b);
    const OrderIntent o{v.account, MarginMode::kCross, kBtc, Side::kBuy, Price{999'000}, Qty{10}};
    const OrderDecision d = pop->risk->CheckOrder(o);
    if (d.reason == RejectReason::kNone) {
      pop->risk->OnOrderRested(b, kBtc, Side::kBuy, o.price, o.qty);
      pop->risk->OnOrderRemoved(b, kBtc, Side::kBuy, o.price, o.qty);
    } else {
      ++rejected;
    }
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["rejected"] = static_cast<double>(rejected);
  state.counters["allocs/op"] = static_cast<double>(alloc_counter::Allocations() - before) /
                                static_cast<double>(state.iterations());
  pop.reset();
}

// A fill between two leveraged buckets: cash, size, cost and fees of both, two re-keys.
void BM_Risk_Fill(benchmark::State& state) {
  static std::unique_ptr<Population> pop;
  pop = std::make_unique<Population>(state.range(0), 900'000, 990'000, MarkMode::kExternal, 0);
  pop->Begin(&pop->events);
  const size_t n = pop->ids.size();
  size_t i = 0;
  int64_t sign = 1;
  const uint64_t before = alloc_counter::Allocations();
  for (auto _ : state) {
    // Pairs far apart in id and trigger; every second pass undoes the first, so sizes stay put.
    const BucketId taker = pop->ids[i];
    const BucketId maker = pop->ids[(i + n / 2) % n];
    if (++i == n) {
      i = 0;
      sign = -sign;
    }
    const Side taker_side = sign > 0 ? Side::kBuy : Side::kSell;
    pop->risk->OnOrderRested(maker, kBtc, Opposite(taker_side), Price{kEntry}, Qty{5});
    pop->risk->OnFill(TradeFill{kBtc, Price{kEntry}, Qty{5}, taker_side, maker, taker});
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs/op"] = static_cast<double>(alloc_counter::Allocations() - before) /
                                static_cast<double>(state.iterations());
  pop.reset();
}

// One FundingRate over n holders: every holder is credited or debited and re-keyed. The rate
// alternates in sign so that balances stay put.
void BM_Risk_Funding(benchmark::State& state) {
  Population& pop = MarkMovePopulation(state.range(0));
  int64_t rate = 10'000;  // 0.01%
  uint64_t allocations = 0;
  for (auto _ : state) {
    pop.events.clear();
    const uint64_t before = alloc_counter::Allocations();
    pop.Begin(&pop.events);
    (void)pop.risk->OnFundingRate(kBtc, rate);
    allocations += alloc_counter::Allocations() - before;
    rate = -rate;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["holders"] = static_cast<double>(pop.ids.size() + 2);
  state.counters["allocs/op"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

// 100,000 longs with triggers from 990,000 down to 700,000; bids every 100 ticks below the mark,
// thinner the further down (~700 lots near the top, ~300 at 600,000); lambda moves the oracle
// index ~260 ticks per 1,000 lots sold on the book. What the book cannot take the fund takes over.
void BM_Risk_Cascade(benchmark::State& state) {
  constexpr int64_t kBuckets = 100'000;
  uint64_t liquidations = 0;
  uint64_t takeovers = 0;
  uint64_t adl = 0;
  uint32_t depth = 0;
  uint64_t allocations = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto pop = std::make_unique<Population>(kBuckets, 700'000, 990'000, MarkMode::kOracle, 260'000);
    testing::FakeVenue venue(*pop->risk, &pop->events, 4);
    pop->Begin(nullptr);
    const AccountId bidder{kHouse - 1};
    (void)pop->risk->Deposit(bidder, MarginMode::kCross, kBtc, Atoms{int64_t{1} << 61});
    const BucketId bid_bucket = pop->risk->FindBucket(bidder, MarginMode::kCross, kBtc);
    for (int64_t p = 989'900; p >= 600'000; p -= 100) {
      venue.Rest(bid_bucket, bidder, kBtc, Side::kBuy, Price{p}, Qty{300 + (p - 600'000) / 1'000});
    }
    (void)pop->risk->Sweep(venue);
    pop->events.clear();
    pop->events.reserve(1 << 23);
    pop->Begin(&pop->events);
    pop->risk->OnIndexPrice(kBtc, Price{989'000});
    const uint64_t before = alloc_counter::Allocations();
    state.ResumeTiming();
    const SweepResult r = pop->risk->Sweep(venue);
    state.PauseTiming();
    allocations += alloc_counter::Allocations() - before;
    liquidations += r.liquidations;
    takeovers += r.takeovers;
    adl += r.adl_legs;
    depth = r.depth;
    pop.reset();
    state.ResumeTiming();
  }
  const double iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(liquidations));
  state.counters["liquidations"] = static_cast<double>(liquidations) / iterations;
  state.counters["takeovers"] = static_cast<double>(takeovers) / iterations;
  state.counters["adl_legs"] = static_cast<double>(adl) / iterations;
  state.counters["depth"] = depth;
  state.counters["allocs/op"] = static_cast<double>(allocations) / iterations;
}

const bool kRegistered = [] {
  for (int64_t n : {10'000, 100'000, 1'000'000}) {
    for (int64_t k : {0, 10, 1'000, 100'000}) {
      if (k > n) continue;
      auto* b = benchmark::RegisterBenchmark("BM_Risk_MarkMove", BM_Risk_MarkMove)->Args({n, k});
      // The k liquidated buckets are restored outside the timed region; bound the wall time.
      if (k == 10) b->Iterations(2'000);
      if (k == 1'000) b->Iterations(40);
      if (k == 100'000) b->Iterations(3);
    }
  }
  for (int64_t n : {100'000, 1'000'000}) {
    benchmark::RegisterBenchmark("BM_Risk_Funding", BM_Risk_Funding)
        ->Arg(n)
        ->Iterations(n > 100'000 ? 4 : 20)
        ->Unit(benchmark::kMillisecond);
  }
  for (int64_t n : {10'000, 1'000'000}) {
    benchmark::RegisterBenchmark("BM_Risk_OrderEntry", BM_Risk_OrderEntry)->Arg(n);
    benchmark::RegisterBenchmark("BM_Risk_Fill", BM_Risk_Fill)->Arg(n);
  }
  benchmark::RegisterBenchmark("BM_Risk_Cascade", BM_Risk_Cascade)
      ->Iterations(3)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace cascade::risk
