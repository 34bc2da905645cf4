#pragma once

// cascade-replay --rate / --open-loop: the input fed at a fixed offered rate, each message's
// latency measured from the time it was scheduled to arrive, not from when the loop got to it, so
// that a stall delays every message queued behind it as it would on a real exchange (no
// coordinated omission; exchange-core's method). Each message goes through the gateway's path:
// decode, journal write (buffered, to /dev/null), Engine::Apply, encode its events.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "perf/hiccups.h"
#include "perf/latency_histogram.h"
#include "replay/scenario.h"

namespace cascade::replay {

// An input stream held in memory as encoded frames, so that reading or generating it costs
// nothing during the timed runs.
struct InputFrames {
  EngineConfig config;
  std::vector<uint8_t> bytes;
  std::vector<size_t> offsets;  // frame i is bytes[offsets[i], offsets[i + 1])

  void Append(std::span<const uint8_t> frame) {
    if (offsets.empty()) offsets.push_back(0);
    bytes.insert(bytes.end(), frame.begin(), frame.end());
    offsets.push_back(bytes.size());
  }
  [[nodiscard]] size_t size() const noexcept { return offsets.empty() ? 0 : offsets.size() - 1; }
  [[nodiscard]] std::span<const uint8_t> frame(size_t i) const noexcept {
    return {bytes.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
};

// The frames of an input journal, or of a generated scenario, up to and including `stop_at_seq`.
[[nodiscard]] absl::StatusOr<InputFrames> JournalFrames(const std::string& path,
                                                        std::optional<uint64_t> stop_at_seq);
[[nodiscard]] absl::StatusOr<InputFrames> ScenarioFrames(const Scenario& scenario,
                                                         std::optional<uint64_t> stop_at_seq);

struct OpenLoopRun {
  double offered_per_s = 0;  // 0: unpaced (each message scheduled when the previous one ends)
  double achieved_per_s = 0;
  uint64_t messages = 0;
  LatencyHistogram latency;  // ns from the scheduled arrival to the last event encoded
};

// One run through a fresh engine at `offered_per_s` messages per second (0: as fast as it goes,
// which measures saturation). The first `warmup` frames (a benchmark's setup) are applied before
// the clock starts and are not measured.
[[nodiscard]] absl::StatusOr<OpenLoopRun> RunOpenLoop(const InputFrames& input,
                                                      double offered_per_s, size_t warmup = 0);

// The rates --open-loop runs: fractions of the unpaced run's achieved rate, up to saturation.
[[nodiscard]] std::vector<double> DefaultOpenLoopRates(double saturation_per_s);

// The table (one row per run) and DIR/open_loop.<rate>.hgrm per run (microseconds).
void PrintOpenLoop(std::ostream& out, const std::vector<OpenLoopRun>& runs);
// What the machine itself took from a spinning thread (perf/hiccups.h), measured just after the
// runs: the floor under their tails.
void PrintHiccups(std::ostream& out, const HiccupRun& hiccups);
[[nodiscard]] absl::Status WriteOpenLoopHgrm(const std::string& dir,
                                             const std::vector<OpenLoopRun>& runs);

}  // namespace cascade::replay
