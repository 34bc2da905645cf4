#include "perf/bench_harness.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <variant>

namespace cascade::bench {

SymbolConfig BenchSymbolConfig() {
  SymbolConfig c;
  c.symbol = kBenchSymbol;
  std::memcpy(c.name.data(), "BENCH-PERP", 10);
  c.tick_size_nanos = 10'000'000;  // 0.01
  c.lot_size_nanos = 1'000'000'000;
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};
  c.max_order_qty = Qty{1'000'000'000};
  c.max_position_qty = Qty{1'000'000'000'000};
  c.market_protection_ticks = 100;
  return c;
}

std::unique_ptr<Engine> MakeEngine(const Workload& w, uint64_t& next_seq) {
  EngineConfig config = w.config;
  // For experiments: the order capacity sizes the engine's pools and id index, and so its cache
  // footprint. A workload that needs more orders than this fails its trade check and is skipped.
  if (const char* env = std::getenv("CASCADE_BENCH_MAX_ORDERS"); env != nullptr && *env != '\0') {
    config.max_orders = static_cast<uint32_t>(std::strtoul(env, nullptr, 10));
  }
  auto engine = std::make_unique<Engine>(config);
  uint64_t seq = 1;
  Command configure{SeqNo{seq++}, Timestamp{0}, ConfigureSymbol{w.symbol}};
  (void)engine->Apply(configure);
  for (const BookOp& op : w.setup) (void)engine->Apply(ToCommand(op, seq++));
  next_seq = seq;
  return engine;
}

void ReportLatency(benchmark::State& state, const LatencyHistogram& histogram,
                   const std::string& name) {
  const LatencySummary s = histogram.Summary();
  auto counter = [&](const char* key, int64_t value) {
    state.counters[key] = benchmark::Counter(static_cast<double>(value));
  };
  counter("p50_ns", s.p50);
  counter("p90_ns", s.p90);
  counter("p99_ns", s.p99);
  counter("p99.9_ns", s.p999);
  counter("p99.99_ns", s.p9999);
  counter("max_ns", s.max);
  state.counters["timer_ns"] = benchmark::Counter(TimerOverheadNs());
  if (const char* dir = std::getenv("CASCADE_HGRM_DIR"); dir != nullptr && *dir != '\0') {
    std::string file = name;
    std::replace_if(
        file.begin(), file.end(), [](char c) { return c == '/' || c == ':' || c == ' '; }, '_');
    const absl::Status status =
        histogram.WriteHgrmFile(std::string(dir) + "/" + file + ".hgrm", 5, 1000.0);
    if (!status.ok()) std::cerr << "hgrm: " << status << "\n";
  }
}

uint64_t CountTrades(std::span<const Event> events) noexcept {
  uint64_t n = 0;
  for (const Event& e : events) n += std::holds_alternative<Trade>(e.body) ? 1 : 0;
  return n;
}

void RunWorkload(benchmark::State& state, const Workload& w, const std::string& name) {
  uint64_t first_seq = 0;
  auto make_engine = [&] { return MakeEngine(w, first_seq); };
  const BookOp* ops = w.timed.data();
  auto apply = [&](Engine& engine, size_t i, bool count) -> uint64_t {
    const std::span<const Event> events = engine.Apply(ToCommand(ops[i], first_seq + i));
    return count ? CountTrades(events) : events.size();
  };
  RunUnits(state, w.timed.size(), w.timed.size(), make_engine, apply, w.trades, name);
  state.counters["live_orders"] = benchmark::Counter(w.mean_live_orders);
  state.counters["levels"] = benchmark::Counter(w.mean_levels);
  state.counters["trading_cmds_pct"] = benchmark::Counter(
      100.0 * static_cast<double>(w.commands_with_trades) / static_cast<double>(w.timed.size()));
  if (w.price_walk_ticks != 0) {
    state.counters["price_walk_ticks"] =
        benchmark::Counter(static_cast<double>(w.price_walk_ticks));
  }
}

}  // namespace cascade::bench
