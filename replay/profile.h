#pragma once

// cascade-replay --profile: wall-clock latency of each stage a message goes through on its way
// through an exchange built on the engine (decode, journal write, matching, risk sweep, encode),
// overall and per message type. Timed with the timestamp counter (perf/tsc_timer.h) from outside
// the engine: the engine reports its stage boundaries through Engine::SetStageCallback and reads
// no clock itself. The contract (stage names, .hgrm files) is in docs/replay.md.

#include <array>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <variant>

#include "absl/status/status.h"
#include "engine/core/command.h"
#include "engine/engine.h"
#include "perf/latency_histogram.h"

namespace cascade::replay {

// In pipeline order. kTotal is the sum of the five for one message.
enum class Stage : uint8_t { kDecode, kJournalWrite, kMatching, kRiskSweep, kEncode, kTotal };
inline constexpr int kStageCount = 6;
inline constexpr int kCommandKinds = std::variant_size_v<CommandBody>;

// The .hgrm file name of a stage ("decode", "journal_write", "matching", "risk_sweep", "encode",
// "total"): DIR/<name>.hgrm.
[[nodiscard]] const char* StageName(Stage stage) noexcept;
// "new_order", "cancel_order", ... for a CommandBody alternative index.
[[nodiscard]] const char* CommandKindName(size_t index) noexcept;

class StageProfile {
 public:
  StageProfile();
  ~StageProfile();
  StageProfile(const StageProfile&) = delete;
  StageProfile& operator=(const StageProfile&) = delete;

  // Routes `engine`'s stage boundaries to this profile (until the profile or engine is gone).
  void Attach(Engine& engine) noexcept;

  // One message: the caller timestamps the stage boundaries it owns (TimerNow ticks) and the
  // engine's callback fills in the two inside Apply.
  void SetDecodeTicks(uint64_t ticks) noexcept { decode_ticks_ = ticks; }
  void BeforeApply(uint64_t now) noexcept {
    apply_start_ = now;
    handled_ = 0;
    swept_ = 0;
  }
  // `journal`: ticks spent appending the input frame; `apply_end`: when Apply returned;
  // `encode`: ticks spent encoding its output events.
  void EndMessage(size_t kind, uint64_t journal, uint64_t apply_end, uint64_t encode) noexcept;

  [[nodiscard]] double ns_per_tick() const noexcept { return ns_per_tick_; }
  [[nodiscard]] const LatencyHistogram& stage(Stage s) const noexcept {
    return stages_[static_cast<size_t>(s)];
  }
  // Total (all five stages) of one message type; null when none was seen.
  [[nodiscard]] const LatencyHistogram* by_kind(size_t kind) const noexcept {
    return by_kind_[kind].get();
  }
  // Engine time (matching + risk sweep) of one message type; null when none was seen.
  [[nodiscard]] const LatencyHistogram* engine_by_kind(size_t kind) const noexcept {
    return engine_by_kind_[kind].get();
  }

  // The per-stage and per-type tables (ns): count, p50, p90, p99, p99.9, p99.99, max, mean.
  void Print(std::ostream& out) const;
  // DIR/<stage>.hgrm for each stage and DIR/type.<kind>.hgrm per message type seen (total), in
  // microseconds; creates DIR.
  [[nodiscard]] absl::Status WriteHgrm(const std::string& dir) const;

 private:
  static void OnStage(void* self, ApplyStage stage) noexcept;
  void Record(Stage s, uint64_t ticks) noexcept;

  double ns_per_tick_;
  std::array<LatencyHistogram, kStageCount> stages_;
  std::array<std::unique_ptr<LatencyHistogram>, kCommandKinds> by_kind_;
  std::array<std::unique_ptr<LatencyHistogram>, kCommandKinds> engine_by_kind_;
  uint64_t decode_ticks_ = 0;
  uint64_t apply_start_ = 0;
  uint64_t handled_ = 0;
  uint64_t swept_ = 0;
};

// Prints one percentile row: label, count, p50, p90, p99, p99.9, p99.99, max, mean (ns).
void PrintPercentileRow(std::ostream& out, const std::string& label, const LatencyHistogram& h);
void PrintPercentileHeader(std::ostream& out, const std::string& label);

}  // namespace cascade::replay
