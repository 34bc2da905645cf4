#include "replay/profile.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "perf/tsc_timer.h"
#include "replay/format_util.h"

namespace cascade::replay {
namespace {

constexpr std::array<const char*, kStageCount> kStageNames = {
    "decode", "journal_write", "matching", "risk_sweep", "encode", "total"};
constexpr std::array<const char*, kCommandKinds> kKindNames = {
    "new_order",    "cancel_order", "amend_order",  "mass_cancel", "configure_symbol",
    "deposit",      "withdraw",     "set_leverage", "index_price", "mark_price",
    "funding_rate", "timer",        "logon"};

}  // namespace

const char* StageName(Stage stage) noexcept { return kStageNames[static_cast<size_t>(stage)]; }
const char* CommandKindName(size_t index) noexcept {
  return index < kKindNames.size() ? kKindNames[index] : "unknown";
}

StageProfile::StageProfile() : ns_per_tick_(NsPerTick()) {}
StageProfile::~StageProfile() = default;

void StageProfile::Attach(Engine& engine) noexcept { engine.SetStageCallback(&OnStage, this); }

void StageProfile::OnStage(void* self, ApplyStage stage) noexcept {
  auto* p = static_cast<StageProfile*>(self);
  (stage == ApplyStage::kCommandHandled ? p->handled_ : p->swept_) = TimerNow();
}

void StageProfile::Record(Stage s, uint64_t ticks) noexcept {
  stages_[static_cast<size_t>(s)].Record(
      static_cast<int64_t>(static_cast<double>(ticks) * ns_per_tick_));
}

void StageProfile::EndMessage(size_t kind, uint64_t journal, uint64_t apply_end,
                              uint64_t encode) noexcept {
  // A command rejected before its handler (a stale sequence number) reports no stage: its whole
  // Apply counts as matching.
  const uint64_t handled = handled_ != 0 ? handled_ : apply_end;
  const uint64_t swept = swept_ != 0 ? swept_ : apply_end;
  const uint64_t matching = handled - apply_start_;
  const uint64_t sweep = swept - handled;
  Record(Stage::kDecode, decode_ticks_);
  Record(Stage::kJournalWrite, journal);
  Record(Stage::kMatching, matching);
  Record(Stage::kRiskSweep, sweep);
  Record(Stage::kEncode, encode);
  const uint64_t total = decode_ticks_ + journal + matching + sweep + encode;
  Record(Stage::kTotal, total);
  if (kind >= by_kind_.size()) return;
  if (by_kind_[kind] == nullptr) {
    by_kind_[kind] = std::make_unique<LatencyHistogram>();
    engine_by_kind_[kind] = std::make_unique<LatencyHistogram>();
  }
  by_kind_[kind]->Record(static_cast<int64_t>(static_cast<double>(total) * ns_per_tick_));
  engine_by_kind_[kind]->Record(
      static_cast<int64_t>(static_cast<double>(matching + sweep) * ns_per_tick_));
  decode_ticks_ = 0;
}

void PrintPercentileHeader(std::ostream& out, const std::string& label) {
  out << absl::StrFormat("  %-22s %11s %9s %9s %9s %9s %9s %9s %9s\n", label, "count", "p50", "p90",
                         "p99", "p99.9", "p99.99", "max", "mean");
}

void PrintPercentileRow(std::ostream& out, const std::string& label, const LatencyHistogram& h) {
  const LatencySummary s = h.Summary();
  out << absl::StrFormat("  %-22s %11s %9s %9s %9s %9s %9s %9s %9s\n", label,
                         WithCommas(static_cast<uint64_t>(s.count)), FormatNs(s.p50),
                         FormatNs(s.p90), FormatNs(s.p99), FormatNs(s.p999), FormatNs(s.p9999),
                         FormatNs(s.max), FormatNs(static_cast<int64_t>(s.mean)));
}

void StageProfile::Print(std::ostream& out) const {
  out << "profile: wall-clock latency per stage, per input message (timestamp counter, "
      << absl::StrFormat("%.3f", ns_per_tick_) << " ns/tick; each sample includes ~"
      << static_cast<int64_t>(TimerOverheadNs()) << " ns of timer)\n";
  PrintPercentileHeader(out, "stage");
  for (int s = 0; s < kStageCount; ++s) {
    PrintPercentileRow(out, kStageNames[static_cast<size_t>(s)], stages_[static_cast<size_t>(s)]);
  }
  out << "\nprofile: per message type, engine (matching + risk sweep)\n";
  PrintPercentileHeader(out, "type");
  for (size_t k = 0; k < by_kind_.size(); ++k) {
    if (engine_by_kind_[k] != nullptr) PrintPercentileRow(out, kKindNames[k], *engine_by_kind_[k]);
  }
  out << "\nprofile: per message type, total (all five stages)\n";
  PrintPercentileHeader(out, "type");
  for (size_t k = 0; k < by_kind_.size(); ++k) {
    if (by_kind_[k] != nullptr) PrintPercentileRow(out, kKindNames[k], *by_kind_[k]);
  }
}

absl::Status StageProfile::WriteHgrm(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  for (int s = 0; s < kStageCount; ++s) {
    const std::string path = absl::StrCat(dir, "/", kStageNames[static_cast<size_t>(s)], ".hgrm");
    // Microseconds, as HdrHistogram's plotter expects by default.
    if (absl::Status st = stages_[static_cast<size_t>(s)].WriteHgrmFile(path, 5, 1000.0);
        !st.ok()) {
      return st;
    }
  }
  for (size_t k = 0; k < by_kind_.size(); ++k) {
    if (by_kind_[k] == nullptr) continue;
    const std::string path = absl::StrCat(dir, "/type.", kKindNames[k], ".hgrm");
    if (absl::Status st = by_kind_[k]->WriteHgrmFile(path, 5, 1000.0); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace cascade::replay
