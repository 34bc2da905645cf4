// BM_FullPath_*: input frames (the bytes a gateway journals) through the whole path an exchange
// built on the engine runs per message: FlatBuffers verification and decoding, the margin check,
// matching, the risk sweep, and encoding of every output event (replay/pipeline.h). Throughput
// and per-message latency percentiles as the book benchmarks report them (perf/bench_harness.h).
//
//   BM_FullPath_ExchangeCoreMixMargin  BM_Book_ExchangeCoreMix's 3,000,000 commands on a margined
//                                      symbol with every account funded (perf/full_path.h)
//   BM_FullPath_ExchangeCoreMixMargin_OpenLoop/R  the same, offered open loop at R msg/s; with
//                                      machine_lost_pct and machine_gaps_10us_per_s, what the
//                                      machine took from a spinning thread for 1 s after the run
//                                      (perf/hiccups.h): the floor under the tail percentiles
//   BM_FullPath_Oct10                  the oct10-2025 scenario (200,000 buckets, 1.29M messages),
//                                      generated before timing (needs the real data:
//                                      CASCADE_DATA_DIR)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "perf/bench_harness.h"
#include "perf/full_path.h"
#include "perf/hiccups.h"
#include "replay/pipeline.h"
#include "replay/scenario.h"

namespace cascade::bench {
namespace {

// Runs frames [setup, size) of `frames`, each a unit, on pipelines that have applied the first
// `setup` frames outside the timing.
void RunFrames(benchmark::State& state, const replay::InputFrames& frames, size_t setup,
               uint64_t expected_trades, const std::string& name) {
  auto make_pipeline = [&] {
    auto p = std::make_unique<replay::Pipeline>(frames.config);
    for (size_t i = 0; i < setup; ++i) (void)p->Process(frames.frame(i));
    return p;
  };
  auto apply = [&](replay::Pipeline& p, size_t i, bool count) -> uint64_t {
    const std::span<const Event> events = p.Process(frames.frame(setup + i));
    return count ? CountTrades(events) : events.size();
  };
  const size_t units = frames.size() - setup;
  RunUnits(state, units, units, make_pipeline, apply, expected_trades, name);
  state.counters["frame_bytes"] = benchmark::Counter(static_cast<double>(frames.bytes.size()) /
                                                     static_cast<double>(frames.size()));
}

const Workload& MixWorkload() {
  static const Workload w = ExchangeCoreMixWorkload();
  return w;
}
const MarginFrames& MixFrames() {
  static const MarginFrames m = MarginWorkloadFrames(MixWorkload());
  return m;
}

void BM_FullPath_ExchangeCoreMixMargin(benchmark::State& state) {
  RunFrames(state, MixFrames().frames, MixFrames().setup, MixWorkload().trades,
            "BM_FullPath_ExchangeCoreMixMargin");
}

// The same 3,000,000 frames offered open loop at state.range(0) messages per second (0: unpaced,
// which measures saturation), journal write (to /dev/null) included: latency from each message's
// scheduled time, so that a stall delays the messages behind it (replay/open_loop.h;
// exchange-core's latency method).
void BM_FullPath_ExchangeCoreMixMargin_OpenLoop(benchmark::State& state) {
  const double rate = static_cast<double>(state.range(0));
  absl::StatusOr<replay::OpenLoopRun> run;
  for (auto _ : state) run = replay::RunOpenLoop(MixFrames().frames, rate, MixFrames().setup);
  if (!run.ok()) {
    state.SkipWithError(std::string(run.status().message()).c_str());
    return;
  }
  state.counters["offered_per_s"] = benchmark::Counter(rate);
  state.counters["achieved_per_s"] = benchmark::Counter(run->achieved_per_s);
  ReportLatency(state, run->latency,
                "BM_FullPath_ExchangeCoreMixMargin_OpenLoop_" + std::to_string(state.range(0)));
  const HiccupRun machine = MeasureHiccups(1.0);
  state.counters["machine_lost_pct"] = benchmark::Counter(100.0 * machine.lost_fraction);
  state.counters["machine_gaps_10us_per_s"] =
      benchmark::Counter(static_cast<double>(machine.gaps_over_10us) / machine.seconds);
}

// oct10-2025's frames and the trades they make, or nullopt (with the reason) without its data.
struct Oct10 {
  replay::InputFrames frames;
  uint64_t trades = 0;
};
const Oct10* LoadOct10(std::string& error) {
  static std::string load_error;
  static const std::unique_ptr<Oct10> oct10 = []() -> std::unique_ptr<Oct10> {
    replay::ScenarioOverrides o;
    if (const char* env = std::getenv("CASCADE_DATA_DIR"); env != nullptr && *env != '\0') {
      o.data_dir = env;
    }
    absl::StatusOr<replay::Scenario> s = replay::LoadScenario("oct10-2025", o);
    if (!s.ok()) {
      load_error = "oct10-2025 needs the real data: " + std::string(s.status().message());
      return nullptr;
    }
    absl::StatusOr<replay::InputFrames> frames = replay::ScenarioFrames(*s, std::nullopt);
    if (!frames.ok()) {
      load_error = std::string(frames.status().message());
      return nullptr;
    }
    auto out = std::make_unique<Oct10>();
    out->frames = *std::move(frames);
    // The trade count the latency pass checks, from one untimed pass.
    replay::Pipeline p(out->frames.config);
    for (size_t i = 0; i < out->frames.size(); ++i) {
      out->trades += CountTrades(p.Process(out->frames.frame(i)));
    }
    return out;
  }();
  error = load_error;
  return oct10.get();
}

void BM_FullPath_Oct10(benchmark::State& state) {
  std::string error;
  const Oct10* oct10 = LoadOct10(error);
  if (oct10 == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  RunFrames(state, oct10->frames, 0, oct10->trades, "BM_FullPath_Oct10");
}

}  // namespace
}  // namespace cascade::bench

// The iteration counts are the streams' lengths: the mix's is a constant; oct10's is known once
// it is generated, so it is registered here, and only when the filter can select it.
int main(int argc, char** argv) {
  using namespace cascade::bench;  // NOLINT(build/namespaces): a main file
  benchmark::Initialize(&argc, argv);
  benchmark::RegisterBenchmark("BM_FullPath_ExchangeCoreMixMargin",
                               BM_FullPath_ExchangeCoreMixMargin)
      ->Iterations(static_cast<int64_t>(kExchangeCoreMixOps))
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("BM_FullPath_ExchangeCoreMixMargin_OpenLoop",
                               BM_FullPath_ExchangeCoreMixMargin_OpenLoop)
      ->Arg(0)  // unpaced: each message scheduled when the previous one ends (saturation)
      ->Arg(250'000)
      ->Arg(500'000)
      ->Arg(1'000'000)
      ->Arg(2'000'000)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
  // Generating oct10 takes seconds: only when the filter can select it.
  const std::string filter = benchmark::GetBenchmarkFilter();
  const bool wanted =
      filter.empty() || filter == "all" ||
      (filter[0] != '-' && std::regex_search("BM_FullPath_Oct10", std::regex(filter)));
  std::string error;
  const auto* oct10 = wanted ? LoadOct10(error) : nullptr;
  if (wanted)
    benchmark::RegisterBenchmark("BM_FullPath_Oct10", BM_FullPath_Oct10)
        ->Iterations(oct10 != nullptr ? static_cast<int64_t>(oct10->frames.size()) : 1)
        ->Unit(benchmark::kNanosecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
