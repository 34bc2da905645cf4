#include "replay/pipeline.h"

#include <utility>

#include "engine/wire/decode.h"

namespace cascade::replay {

absl::Status Pipeline::JournalTo(const std::string& path) {
  journal::WriterOptions o;
  o.kind = journal::JournalKind::kInput;
  o.sync = journal::SyncPolicy::kNever;
  o.overwrite = true;
  o.created_unix_ns = 0;
  absl::StatusOr<journal::JournalWriter> w = journal::JournalWriter::Create(path, o);
  if (!w.ok()) return w.status();
  journal_.emplace(*std::move(w));
  return absl::OkStatus();
}

absl::Status Pipeline::CloseJournal() {
  if (!journal_.has_value()) return absl::OkStatus();
  absl::Status st = journal_->Close();
  journal_.reset();
  return journal_error_.ok() ? st : journal_error_;
}

std::span<const Event> Pipeline::Process(std::span<const uint8_t> frame) noexcept {
  if (wire::Decode(frame, command_) != RejectReason::kNone) [[unlikely]] {
    ++decode_errors_;
    return {};
  }
  if (journal_.has_value() && journal_error_.ok()) journal_error_ = journal_->Append(frame);
  const std::span<const Event> events = engine_.Apply(command_);
  for (const Event& e : events) encoded_bytes_ += encoder_.Encode(e).size();
  return events;
}

}  // namespace cascade::replay
