// BM_Lobster_Replay: NASDAQ's AMZN book of 2012-06-21 (LOBSTER level 1) replayed through the
// engine as the real-data test does (tests/engine/lobster/lobster_replay.h). One iteration is one
// LOBSTER message (all the commands it became: ~1.3 per message); items_per_second is messages
// per second, and the latency percentiles are per message. The data is read in place from
// CASCADE_DATA_DIR (environment variable, else the build's setting).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "perf/bench_harness.h"
#include "tests/engine/lobster/lobster_replay.h"

namespace cascade::bench {
namespace {

// The sample is replayed this many times per benchmark run, each time on a fresh engine, so that
// the run lasts long enough to time (one pass is ~57,500 messages).
constexpr size_t kPasses = 20;

struct LobsterStream {
  lobster::Plan plan;
  size_t messages = 0;
  uint64_t trades_per_pass = 0;
};

const LobsterStream* Stream() {
  static const std::unique_ptr<LobsterStream> stream = []() -> std::unique_ptr<LobsterStream> {
    const char* env = std::getenv("CASCADE_DATA_DIR");
    const std::string data_dir = env != nullptr && *env != '\0' ? env : CASCADE_DATA_DIR;
    absl::StatusOr<lobster::Sample> sample =
        lobster::LoadAmznSample(lobster::AmznSampleDir(data_dir));
    if (!sample.ok()) return nullptr;
    auto s = std::make_unique<LobsterStream>();
    s->plan = lobster::Translate(*sample);
    s->messages = s->plan.steps.size();
    s->trades_per_pass = s->plan.fills.size();
    return s;
  }();
  return stream.get();
}

std::unique_ptr<Engine> FreshEngine(const lobster::Plan& plan) {
  EngineConfig config;
  config.max_orders = 1 << 16;
  auto engine = std::make_unique<Engine>(config);
  for (uint32_t i = 0; i < plan.setup_commands; ++i) (void)engine->Apply(plan.commands[i]);
  return engine;
}

void BM_Lobster_Replay(benchmark::State& state) {
  const LobsterStream* stream = Stream();
  if (stream == nullptr) {
    state.SkipWithError("LOBSTER sample not found: set CASCADE_DATA_DIR");
    return;
  }
  const lobster::Plan& plan = stream->plan;
  const size_t messages = stream->messages;
  auto make_engine = [&] { return FreshEngine(plan); };
  // Unit i is message i % messages of pass i / messages; each pass has a fresh engine.
  auto apply = [&](Engine& engine, size_t i, bool count) -> uint64_t {
    const lobster::Step& step = plan.steps[i % messages];
    uint64_t n = 0;
    for (uint32_t c = step.first_command; c < step.end_command; ++c) {
      const std::span<const Event> events = engine.Apply(plan.commands[c]);
      n += count ? CountTrades(events) : events.size();
    }
    return n;
  };
  RunUnits(state, messages * kPasses, messages, make_engine, apply,
           stream->trades_per_pass * kPasses, "BM_Lobster_Replay");
  state.counters["commands_per_msg"] =
      benchmark::Counter(static_cast<double>(plan.commands.size() - plan.setup_commands) /
                         static_cast<double>(messages));
}

// 57,514 messages after the first row, replayed kPasses times.
BENCHMARK(BM_Lobster_Replay)->Iterations(57'514 * kPasses);

}  // namespace
}  // namespace cascade::bench
