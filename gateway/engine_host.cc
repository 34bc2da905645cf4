#include "gateway/engine_host.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/journal/reader.h"
#include "engine/journal/recovery.h"
#include "engine/wire/decode.h"
#include "gateway/snapshots.h"

namespace cascade::gateway {
namespace {

journal::WriterOptions JournalOptions(FsyncPolicy policy) {
  journal::WriterOptions options;
  options.kind = journal::JournalKind::kInput;
  switch (policy) {
    case FsyncPolicy::kNever:
      options.sync = journal::SyncPolicy::kNever;
      break;
    case FsyncPolicy::kBatch:
      // The gateway syncs once per batch of inputs itself (Commit), never in between.
      options.sync = journal::SyncPolicy::kEveryBatch;
      options.batch_frames = std::numeric_limits<uint32_t>::max();
      break;
    case FsyncPolicy::kAlways:
      options.sync = journal::SyncPolicy::kEveryFrame;
      break;
  }
  return options;
}

}  // namespace

EngineHost::EngineHost(const GatewayConfig& config, Clock clock)
    : config_(config), clock_(std::move(clock)), engine_(std::make_unique<Engine>(config.engine)) {}

EngineHost::~EngineHost() = default;

std::string EngineHost::journal_path() const {
  return (std::filesystem::path(config_.data_dir) / "inputs.journal").string();
}

absl::StatusOr<RecoveryInfo> EngineHost::Recover() {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(config_.data_dir, ": ", ec.message()));
  RecoveryInfo info;
  if (absl::Status s = RestoreNewestSnapshot(info); !s.ok()) return s;
  if (absl::Status s = ReplayJournal(info); !s.ok()) return s;
  if (absl::Status s = OpenJournal(); !s.ok()) return s;
  last_snapshot_ns_ = clock_();

  for (const SymbolConfig& symbol : config_.symbols) {
    if (engine_->Symbol(symbol.symbol) != nullptr) continue;
    absl::StatusOr<std::span<const Event>> events = Submit(ConfigureSymbol{symbol});
    if (!events.ok()) return events.status();
    for (const Event& e : *events) {
      if (const auto* rejected = std::get_if<CommandRejected>(&e.body)) {
        return absl::InvalidArgumentError(absl::StrCat("symbol ", symbol.symbol.value(),
                                                       ": refused by the engine, reason ",
                                                       std::string(ToString(rejected->reason))));
      }
    }
  }
  if (absl::Status s = ApplyOpeningDeposits(); !s.ok()) return s;
  if (absl::Status s = Commit(); !s.ok()) return s;
  info.last_seq = last_seq_;
  info.state_digest = engine_->StateDigest();
  return info;
}

// Only accounts that have no cross bucket yet are credited, so a restart never deposits twice.
absl::Status EngineHost::ApplyOpeningDeposits() {
  constexpr int64_t kAtomsPerUsd = 1'000'000;
  for (const TokenConfig& token : config_.tokens) {
    if (token.opening_deposit_usd == 0) continue;
    for (AccountId account : token.accounts) {
      if (engine_->risk().FindBucket(account, MarginMode::kCross, SymbolId{0}) != risk::kNoBucket) {
        continue;
      }
      const Deposit deposit{account, MarginMode::kCross, SymbolId{0},
                            Atoms{static_cast<int64_t>(token.opening_deposit_usd) * kAtomsPerUsd}};
      absl::StatusOr<std::span<const Event>> events = Submit(deposit);
      if (!events.ok()) return events.status();
      for (const Event& e : *events) {
        if (const auto* rejected = std::get_if<CommandRejected>(&e.body)) {
          return absl::InvalidArgumentError(
              absl::StrCat("opening deposit for account ", account.value(),
                           " refused: ", std::string(ToString(rejected->reason))));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status EngineHost::RestoreNewestSnapshot(RecoveryInfo& info) {
  for (const auto& [seq, path] : ListSnapshots(config_.data_dir)) {
    absl::StatusOr<EngineSnapshot> snapshot = ReadSnapshot(path);
    if (snapshot.ok()) {
      if (absl::Status s = engine_->Restore(*snapshot); s.ok()) {
        info.snapshot_seq = engine_->last_seq();
        last_seq_ = engine_->last_seq();
        return absl::OkStatus();
      }
      // A failed Restore leaves the engine unusable: start over with a fresh one.
      engine_ = std::make_unique<Engine>(config_.engine);
    }
    // An unreadable snapshot (say, cut short by a crash of the machine) is only a missed
    // shortcut: the next older one, or the journal alone, gives the same state.
  }
  return absl::OkStatus();
}

absl::Status EngineHost::ReplayJournal(RecoveryInfo& info) {
  const std::string path = journal_path();
  if (!std::filesystem::exists(path)) return absl::OkStatus();
  absl::StatusOr<journal::RepairResult> repair = journal::RepairJournal(path);
  if (!repair.ok()) return repair.status();
  if (repair->repaired.has_value()) info.repaired = repair->repaired->ToString();
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  journal::Frame frame;
  while (reader->Next(frame)) {
    Command command;
    if (wire::Read(frame.payload, command) != RejectReason::kNone) {
      return absl::DataLossError(
          absl::StrCat(path, ": frame at offset ", frame.offset, " holds no readable input"));
    }
    ++info.journal_inputs;
    last_ts_ = std::max(last_ts_, command.ts);
    if (command.seq <= last_seq_) continue;  // already in the snapshot
    (void)engine_->Apply(command);
    last_seq_ = command.seq;
    ++info.replayed;
  }
  if (reader->problem().has_value()) {
    return absl::DataLossError(absl::StrCat(path, ": ", reader->problem()->ToString()));
  }
  return absl::OkStatus();
}

absl::Status EngineHost::OpenJournal() {
  const std::string path = journal_path();
  const journal::WriterOptions options = JournalOptions(config_.fsync);
  absl::StatusOr<journal::JournalWriter> writer =
      std::filesystem::exists(path)
          ? journal::JournalWriter::OpenForAppend(path, options, /*repair_tail=*/true)
          : journal::JournalWriter::Create(path, options);
  if (!writer.ok()) return writer.status();
  journal_.emplace(*std::move(writer));
  return SyncDirectory(config_.data_dir);
}

absl::StatusOr<std::span<const Event>> EngineHost::Submit(const CommandBody& body) {
  if (!error_.ok()) return error_;
  // Time never runs backwards in the engine, even if the wall clock does.
  last_ts_ = std::max(last_ts_, Timestamp(clock_()));
  const Command command{SeqNo(last_seq_.value() + 1), last_ts_, body};
  if (absl::Status s = journal_->Append(encoder_.Encode(command)); !s.ok()) {
    error_ = s;
    return s;
  }
  last_seq_ = command.seq;
  dirty_ = true;
  ++inputs_since_snapshot_;
  return engine_->Apply(command);
}

absl::Status EngineHost::Commit() {
  if (!error_.ok()) return error_;
  if (!dirty_) return absl::OkStatus();
  absl::Status s = config_.fsync == FsyncPolicy::kBatch ? journal_->Sync() : journal_->Flush();
  if (!s.ok()) {
    error_ = s;
    return s;
  }
  dirty_ = false;
  return absl::OkStatus();
}

bool EngineHost::SnapshotDue(int64_t now_ns) const noexcept {
  if (inputs_since_snapshot_ == 0) return false;
  if (config_.snapshot_every_inputs > 0 &&
      inputs_since_snapshot_ >= config_.snapshot_every_inputs) {
    return true;
  }
  return config_.snapshot_every_ms > 0 &&
         now_ns - last_snapshot_ns_ >= static_cast<int64_t>(config_.snapshot_every_ms) * 1'000'000;
}

absl::Status EngineHost::WriteSnapshot() {
  // The journal must hold every input the snapshot includes, or a recovery from the snapshot
  // would differ from a replay of the journal.
  if (absl::Status s = Commit(); !s.ok()) return s;
  if (absl::Status s = WriteSnapshotAtomically(config_.data_dir, engine_->Snapshot()); !s.ok()) {
    if (!absl::IsUnimplemented(s)) return s;  // TEMPORARY: until snapshot files land
  }
  PruneSnapshots(config_.data_dir, config_.snapshots_kept);
  inputs_since_snapshot_ = 0;
  last_snapshot_ns_ = clock_();
  return absl::OkStatus();
}

absl::Status EngineHost::Close() {
  if (!journal_.has_value()) return absl::OkStatus();
  absl::Status s = Commit();
  absl::Status closed = journal_->Close();
  journal_.reset();
  return s.ok() ? closed : s;
}

}  // namespace cascade::gateway
