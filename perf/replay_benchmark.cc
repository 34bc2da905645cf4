// BM_Replay_*: cascade-replay's throughput in input messages per second (replay/replayer.h), the
// whole loop timed: decoding (journals), Engine::Apply with its risk sweeps, encoding and digesting
// every output event, the cascade metrics. The engine's own share is reported as
// engine_msgs_per_s (the sum of the steady-clock time around each Engine::Apply).
//
//   BM_Replay_Journal       a recorded journal: the jan29-2026 scenario (120,000 buckets, BTC and
//                           ETH) saved once, replayed from the file
//   BM_Replay_Oct10_1M      the oct10-2025 scenario with 1,000,000 buckets, generated and run
//                           (needs the real data: CASCADE_DATA_DIR)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "replay/replayer.h"
#include "replay/scenario.h"

namespace cascade::replay {
namespace {

void Report(benchmark::State& state, const ReplayResult& r, double wall, double engine) {
  state.SetItemsProcessed(static_cast<int64_t>(r.commands) * state.iterations());
  state.counters["msgs_per_s"] = benchmark::Counter(static_cast<double>(r.commands) / wall);
  state.counters["engine_msgs_per_s"] =
      benchmark::Counter(static_cast<double>(r.commands) / engine);
  state.counters["commands"] = benchmark::Counter(static_cast<double>(r.commands));
  state.counters["liquidations"] =
      benchmark::Counter(static_cast<double>(r.cascade.total.liquidations));
  state.counters["max_depth"] = benchmark::Counter(r.cascade.max_depth);
  state.counters["p99_apply_ns"] =
      benchmark::Counter(static_cast<double>(r.latency->apply.Summary().p99));
}

std::string DataDir() {
  const char* env = std::getenv("CASCADE_DATA_DIR");
  return env != nullptr && *env != '\0' ? env : DefaultDataDir();
}

// The recorded journal (~200 MB), removed again when the process ends.
struct TempJournal {
  TempJournal() = default;
  TempJournal(const TempJournal&) = delete;
  TempJournal& operator=(const TempJournal&) = delete;
  std::string path;
  bool ok = false;
  ~TempJournal() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

const std::string* RecordedJournal() {
  static TempJournal journal;  // filled in place: a copy's destructor would remove the file
  static const bool recorded = [] {
    journal.path = (std::filesystem::temp_directory_path() /
                    ("cascade_replay_benchmark_" + std::to_string(getpid()) + ".journal"))
                       .string();
    absl::StatusOr<Scenario> s = LoadScenario("jan29-2026", {});
    if (!s.ok()) return false;
    ReplayOptions record;
    record.save_journal_path = journal.path;
    journal.ok = RunScenario(*s, record).ok();
    return journal.ok;
  }();
  return recorded ? &journal.path : nullptr;
}

void BM_Replay_Journal(benchmark::State& state) {
  const std::string* path = RecordedJournal();
  if (path == nullptr) {
    state.SkipWithError("could not record the jan29-2026 journal");
    return;
  }
  ReplayResult last;
  double wall = 0;
  double engine = 0;
  for (auto _ : state) {
    absl::StatusOr<ReplayResult> r = ReplayJournal(*path, {});
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    wall += r->wall_seconds;
    engine += r->engine_seconds;
    last = *std::move(r);
  }
  Report(state, last, wall / static_cast<double>(state.iterations()),
         engine / static_cast<double>(state.iterations()));
  state.counters["journal_mb"] =
      benchmark::Counter(static_cast<double>(std::filesystem::file_size(*path)) / 1e6);
}
BENCHMARK(BM_Replay_Journal)->Unit(benchmark::kSecond)->Iterations(3);

void BM_Replay_Oct10_1M(benchmark::State& state) {
  ScenarioOverrides o;
  o.data_dir = DataDir();
  o.buckets = 1'000'000;
  absl::StatusOr<Scenario> s = LoadScenario("oct10-2025", o);
  if (!s.ok()) {
    state.SkipWithError(
        ("oct10-2025 needs the real data: " + std::string(s.status().message())).c_str());
    return;
  }
  ReplayResult last;
  double wall = 0;
  double engine = 0;
  for (auto _ : state) {
    absl::StatusOr<ReplayResult> r = RunScenario(*s, {});
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    wall += r->wall_seconds;
    engine += r->engine_seconds;
    last = *std::move(r);
  }
  Report(state, last, wall / static_cast<double>(state.iterations()),
         engine / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_Replay_Oct10_1M)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace cascade::replay

BENCHMARK_MAIN();
