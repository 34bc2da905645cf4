#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/command.h"
#include "engine/engine.h"
#include "perf/alloc_counter.h"
#include "perf/latency_histogram.h"
#include "perf/tsc_timer.h"

namespace cascade::bench {

// A compact command for pre-generated streams: a Command is sized by its largest alternative
// (ConfigureSymbol, hundreds of bytes), and millions of those would measure memory bandwidth
// instead of the engine. Expanding one into a Command costs a few stores, like a decoder would.
struct BookOp {
  enum class Kind : uint8_t { kNew = 0, kCancel = 1, kAmend = 2 };
  Kind kind = Kind::kNew;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  uint32_t account = 0;
  uint64_t order_id = 0;
  int64_t price = 0;  // limit price (new) or new price (amend)
  int64_t stop_price = 0;
  int64_t qty = 0;  // quantity (new) or new open quantity (amend)
};
static_assert(sizeof(BookOp) == 40);

inline constexpr SymbolId kBenchSymbol{1};

[[nodiscard]] inline Command ToCommand(const BookOp& op, uint64_t seq) noexcept {
  // Each case builds its alternative in place: a default Command would first clear the storage of
  // the largest alternative (ConfigureSymbol, hundreds of bytes).
  const SeqNo s{seq};
  const Timestamp ts{static_cast<int64_t>(seq)};
  switch (op.kind) {
    case BookOp::Kind::kCancel:
      return Command{s, ts, CancelOrder{kBenchSymbol, AccountId{op.account}, OrderId{op.order_id}}};
    case BookOp::Kind::kAmend:
      return Command{s, ts,
                     AmendOrder{kBenchSymbol, AccountId{op.account}, OrderId{op.order_id},
                                Price{op.price}, Qty{op.qty}}};
    case BookOp::Kind::kNew:
      break;
  }
  return Command{s, ts,
                 NewOrder{.symbol = kBenchSymbol,
                          .account = AccountId{op.account},
                          .order_id = OrderId{op.order_id},
                          .side = op.side,
                          .type = op.type,
                          .tif = op.tif,
                          .stp = StpMode::kNone,
                          .margin = MarginMode::kCross,
                          .reduce_only = false,
                          .price = Price{op.price},
                          .stop_price = Price{op.stop_price},
                          .qty = Qty{op.qty}}};
}

// Everything one book benchmark needs, generated once outside any timing and replayed on fresh
// engines: the same commands in the same order give the same book, so both replays (throughput
// and latency) see exactly what generation saw.
struct Workload {
  EngineConfig config;
  SymbolConfig symbol;
  std::vector<BookOp> setup;  // pre-populated book and warm-up: applied before timing
  std::vector<BookOp> timed;
  // Observed while generating the timed part; the latency replay checks it sees the same.
  uint64_t trades = 0;
  uint64_t rejects = 0;
  uint64_t commands_with_trades = 0;
  double mean_live_orders = 0;  // sampled over the timed part
  double mean_levels = 0;
  int64_t price_walk_ticks = 0;  // how far the best bid fell (the flash crash)
};

// The symbol every book benchmark trades: tick 0.01, lot 1, matching only (no margin tiers).
[[nodiscard]] SymbolConfig BenchSymbolConfig();
// A fresh engine with the workload's symbol configured and its setup applied. `next_seq` receives
// the sequence number the timed part starts at.
[[nodiscard]] std::unique_ptr<Engine> MakeEngine(const Workload& w, uint64_t& next_seq);

// TimerStart, TimerStop, NsPerTick and TimerOverheadNs: perf/tsc_timer.h.

// Publishes a latency histogram as benchmark counters (p50/p90/p99/p99.9/p99.99/max in ns, and
// timer_ns, the timer's own median overhead) and, when the environment variable CASCADE_HGRM_DIR
// is set, writes it to $CASCADE_HGRM_DIR/<name>.hgrm in microseconds.
void ReportLatency(benchmark::State& state, const LatencyHistogram& histogram,
                   const std::string& name);

[[nodiscard]] uint64_t CountTrades(std::span<const Event> events) noexcept;

// Runs `units` operations twice: first inside the benchmark loop with nothing else timed
// (throughput; allocations per op), then each op between two timer reads (latency percentiles).
// Each pass starts on a fresh engine from `make_engine()` (a unique_ptr to an Engine, or to
// anything else `apply` drives, such as a replay::Pipeline), and takes another one every
// `units_per_engine` units (a stream replayed several times); engines are built outside the
// timing. Allocations are counted by cascade::alloc_counter, which every cascade_add_benchmark
// binary links. `apply(engine, i, count)` performs unit i and, when `count` is true, returns how
// many trades it made: the latency pass checks the total against `expected_trades`, so that a
// stream that drifted from its generation is reported instead of measured.
// Register the benchmark with ->Iterations(units).
template <typename MakeEngine, typename Apply>
void RunUnits(benchmark::State& state, size_t units, size_t units_per_engine,
              MakeEngine make_engine, Apply apply, uint64_t expected_trades,
              const std::string& name) {
  if (static_cast<size_t>(state.max_iterations) != units || units_per_engine == 0) {
    state.SkipWithError("register with ->Iterations(units)");
    return;
  }
  {
    auto engine = make_engine();
    uint64_t allocations = 0;
    uint64_t allocations_start = alloc_counter::Allocations();
    size_t i = 0;
    for (auto _ : state) {
      if (i % units_per_engine == 0 && i != 0) {
        state.PauseTiming();
        allocations += alloc_counter::Allocations() - allocations_start;
        engine.reset();
        engine = make_engine();
        allocations_start = alloc_counter::Allocations();
        state.ResumeTiming();
      }
      benchmark::DoNotOptimize(apply(*engine, i, false));
      ++i;
    }
    allocations += alloc_counter::Allocations() - allocations_start;
    state.SetItemsProcessed(static_cast<int64_t>(i));
    state.counters["allocs_per_op"] =
        benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(i));
  }
  decltype(make_engine()) engine;
  LatencyHistogram histogram;
  const double ns_per_tick = NsPerTick();
  uint64_t trades = 0;
  for (size_t i = 0; i < units; ++i) {
    if (i % units_per_engine == 0) {
      engine.reset();
      engine = make_engine();
    }
    const uint64_t start = TimerStart();
    const uint64_t n = apply(*engine, i, true);
    const uint64_t stop = TimerStop();
    histogram.Record(static_cast<int64_t>(static_cast<double>(stop - start) * ns_per_tick));
    trades += n;
  }
  if (trades != expected_trades) {
    state.SkipWithError("the replay's trades differ from the generated stream's");
    return;
  }
  state.counters["trades_per_op"] =
      benchmark::Counter(static_cast<double>(trades) / static_cast<double>(units));
  ReportLatency(state, histogram, name);
}

// RunUnits for a Workload: one unit is one BookOp. `name` names the .hgrm file.
void RunWorkload(benchmark::State& state, const Workload& w, const std::string& name);

}  // namespace cascade::bench
