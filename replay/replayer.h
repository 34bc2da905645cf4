#pragma once

// Runs an input command stream (a recorded journal or a generated scenario) through a fresh
// engine, deterministically: output digest (cascade::Digest over every encoded output event, in
// order), state digest (Engine::StateDigest), cascade metrics, wall-clock latency measured
// outside the engine with std::chrono::steady_clock, optional outputs (the input journal, the
// output events), an optional stop point, and a progress line on a terminal.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/digest.h"
#include "engine/engine.h"
#include "perf/latency_histogram.h"
#include "replay/metrics.h"
#include "replay/profile.h"
#include "replay/scenario.h"

namespace cascade::replay {

struct ReplayOptions {
  // Stop after the command with this sequence number, or the last one at or before this time.
  std::optional<uint64_t> stop_at_seq;
  std::optional<int64_t> stop_at_ns;
  // Output events: a journal, or JSON lines when the path ends in .json or .jsonl.
  std::string events_path;
  // The input commands as a journal (for scenarios: the generated journal).
  std::string save_journal_path;
  // Creation time written into a saved journal's header; pinned so that the same scenario and
  // seed give the same bytes.
  int64_t journal_created_ns = 0;
  // Write an engine snapshot (engine/journal/snapshot_file.h) to `snapshot_path` right after the
  // command with this sequence number.
  std::optional<uint64_t> snapshot_at_seq;
  std::string snapshot_path;
  // For journals: start from this snapshot file instead of an empty engine; journal frames up to
  // the snapshot's sequence number are skipped. Metrics then cover what follows the snapshot.
  std::string from_snapshot_path;
  // For journals: rewrite every ConfigureSymbol with this preset and/or lambda.
  std::optional<RiskPreset> preset;
  std::optional<double> lambda;
  bool progress = false;
  // Where to print the book and the buckets when the stop point is reached (null: nowhere).
  std::ostream* stop_report = nullptr;
  // Called after every command with the events it produced (tests, embedders); outside the
  // timed section.
  std::function<void(const Command&, std::span<const Event>)> on_events;
  MeterOptions meter;
  // --profile: per-stage timing into this profile (not owned). Scenario commands are then encoded
  // and decoded like a journal's, and the input is appended to a journal (save_journal_path, or
  // /dev/null), so that every stage of replay/profile.h is measured.
  StageProfile* profile = nullptr;
};

// Wall-clock latency of each stage, nanoseconds.
struct Latencies {
  LatencyHistogram decode;       // wire::Decode of an input frame (journal replays)
  LatencyHistogram apply;        // Engine::Apply of one input event: matching + risk sweep
  LatencyHistogram output;       // encoding, digest and metrics of its output events
  LatencyHistogram cascade;      // Engine::Apply of input events that liquidated something
  LatencyHistogram liquidation;  // Apply time / liquidations, per liquidation (amortized)
  LatencyHistogram round;        // Apply time / cascade depth, per sweep round (amortized)
};

struct ReplayResult {
  uint64_t commands = 0;
  uint64_t events = 0;
  uint64_t decode_errors = 0;
  uint64_t input_digest = 0;   // cascade::Digest over the encoded input frames
  uint64_t output_digest = 0;  // ... over the encoded output events
  uint64_t state_digest = 0;   // Engine::StateDigest at the end
  double wall_seconds = 0;     // the whole loop, I/O and metrics included
  double engine_seconds = 0;   // sum of Engine::Apply
  uint64_t last_seq = 0;
  int64_t last_ts = 0;
  bool stopped = false;       // the stop point was reached
  uint64_t restored_seq = 0;  // the snapshot the run started from (0: an empty engine)
  uint64_t snapshot_seq = 0;  // the sequence number a snapshot was written at (0: none)
  CascadeSummary cascade;
  std::shared_ptr<Latencies> latency;
};

// The pools a journal needs, from one pass over it (accounts, deposits, orders).
[[nodiscard]] absl::StatusOr<EngineConfig> SizeForJournal(const std::string& path);

class Replayer {
 public:
  Replayer(const EngineConfig& config, ReplayOptions options);
  ~Replayer();
  Replayer(const Replayer&) = delete;
  Replayer& operator=(const Replayer&) = delete;

  // Opens the output files.
  [[nodiscard]] absl::Status Open();
  // Loads a snapshot into the engine, before anything is fed; returns its sequence number.
  [[nodiscard]] absl::StatusOr<uint64_t> RestoreFrom(const EngineSnapshot& snapshot);
  // Applies one command. `frame` is its encoded input frame when the caller has it (a journal);
  // otherwise it is encoded here (for the input digest and the saved journal). Returns false
  // once the stop point is reached: the caller stops feeding.
  [[nodiscard]] bool Feed(const Command& command, std::span<const uint8_t> frame = {});
  // Counts an input frame that did not decode (it is not applied).
  void CountDecodeError() noexcept { ++result_.decode_errors; }
  void RecordDecode(int64_t ns) noexcept { latency_->decode.Record(ns); }
  // Closes the outputs and fills the result.
  [[nodiscard]] absl::StatusOr<ReplayResult> Finish();

  [[nodiscard]] const Engine& engine() const noexcept { return *engine_; }
  [[nodiscard]] const CascadeMeter& meter() const noexcept { return meter_; }
  // Whether `command` is past the stop point (checked before applying it).
  [[nodiscard]] bool PastStop(const Command& command) const noexcept;

 private:
  struct Outputs;
  void Progress(bool final);
  // Journal the input, apply it, encode its events, observe them: untimed stages, the Apply
  // timed with steady_clock (ApplyTimed), or every stage timed for the profile (ApplyProfiled).
  std::span<const Event> ApplyTimed(const Command& command, std::span<const uint8_t> frame,
                                    int64_t& apply_ns, int64_t& output_ns);
  std::span<const Event> ApplyProfiled(const Command& command, std::span<const uint8_t> frame,
                                       int64_t& apply_ns, int64_t& output_ns);
  void WriteOutput(std::span<const uint8_t> bytes);

  ReplayOptions options_;
  std::unique_ptr<Engine> engine_;
  CascadeMeter meter_;
  std::shared_ptr<Latencies> latency_;
  std::unique_ptr<Outputs> out_;
  ReplayResult result_;
  Digest input_digest_;
  Digest output_digest_;
  int64_t started_ns_ = 0;
  int64_t last_progress_ns_ = 0;
};

// Replays a journal file (input kind) through a fresh engine sized for it.
[[nodiscard]] absl::StatusOr<ReplayResult> ReplayJournal(const std::string& path,
                                                         const ReplayOptions& options);

// Generates a scenario's input and runs it through a fresh engine sized for it.
[[nodiscard]] absl::StatusOr<ReplayResult> RunScenario(const Scenario& scenario,
                                                       const ReplayOptions& options);

// Prints the book (best levels of every symbol) and the buckets most at risk, for a stop point.
void PrintState(const Engine& engine, const CascadeSummary& summary, std::ostream& out);

}  // namespace cascade::replay
