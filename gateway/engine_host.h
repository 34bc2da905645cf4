#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/engine.h"
#include "engine/journal/writer.h"
#include "engine/wire/encode.h"
#include "gateway/config.h"

namespace cascade::gateway {

struct RecoveryInfo {
  uint64_t journal_inputs = 0;  // whole inputs found in the journal
  uint64_t replayed = 0;        // of those, applied on top of the snapshot
  SeqNo snapshot_seq{0};        // 0: no snapshot was used
  SeqNo last_seq{0};
  uint64_t state_digest = 0;
  std::string repaired;  // what a torn journal tail repair removed, if anything
};

// Owns the engine and its write-ahead journal: sequences inputs (the gateway, not the client,
// assigns sequence numbers and timestamps), journals each one before applying it, and writes
// snapshots. Knows nothing of sockets. Single-threaded.
class EngineHost {
 public:
  using Clock = std::function<int64_t()>;  // nanoseconds since the Unix epoch

  EngineHost(const GatewayConfig& config, Clock clock);
  ~EngineHost();
  EngineHost(const EngineHost&) = delete;
  EngineHost& operator=(const EngineHost&) = delete;

  // Restores the newest readable snapshot, replays the journal tail after it (cutting a torn tail
  // off first), opens the journal for appending and configures the config's symbols the engine
  // does not have yet (as journaled inputs). Call once, before anything else.
  [[nodiscard]] absl::StatusOr<RecoveryInfo> Recover();

  // Sequences, journals and applies one input. The events are valid until the next call. An
  // error means the journal can no longer be written: nothing more may be accepted.
  [[nodiscard]] absl::StatusOr<std::span<const Event>> Submit(const CommandBody& body);

  // Makes every input submitted so far durable per the fsync policy (at least handed to the
  // kernel, so that it survives the process). Acknowledgements wait for this.
  [[nodiscard]] absl::Status Commit();

  [[nodiscard]] bool SnapshotDue(int64_t now_ns) const noexcept;
  [[nodiscard]] bool has_unsnapshotted_inputs() const noexcept {
    return inputs_since_snapshot_ > 0;
  }
  // Commits, then writes a snapshot of the current state and prunes old ones.
  [[nodiscard]] absl::Status WriteSnapshot();
  // Commits, syncs and closes the journal.
  [[nodiscard]] absl::Status Close();

  [[nodiscard]] const Engine& engine() const noexcept { return *engine_; }
  [[nodiscard]] SeqNo last_seq() const noexcept { return last_seq_; }
  [[nodiscard]] bool failed() const noexcept { return !error_.ok(); }
  [[nodiscard]] std::string journal_path() const;

 private:
  [[nodiscard]] absl::Status RestoreNewestSnapshot(RecoveryInfo& info);
  [[nodiscard]] absl::Status ApplyOpeningDeposits();
  [[nodiscard]] absl::Status ReplayJournal(RecoveryInfo& info);
  [[nodiscard]] absl::Status OpenJournal();

  GatewayConfig config_;
  Clock clock_;
  std::unique_ptr<Engine> engine_;
  std::optional<journal::JournalWriter> journal_;
  wire::Encoder encoder_;
  SeqNo last_seq_{0};
  Timestamp last_ts_{0};
  bool dirty_ = false;
  uint64_t inputs_since_snapshot_ = 0;
  int64_t last_snapshot_ns_ = 0;
  absl::Status error_;
};

}  // namespace cascade::gateway
