#include "engine/journal/writer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/journal/recovery.h"
#include "engine/wire/schema.h"

namespace cascade::journal {
namespace {

Header MakeHeader(const WriterOptions& options) {
  Header header;
  header.kind = options.kind;
  header.schema_hash = options.schema_hash.value_or(wire::SchemaHash());
  // The one clock read in the journal: the header's informational creation time.
  header.created_unix_ns =
      options.created_unix_ns.value_or(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  const std::string_view version = BuildVersion();
  std::memcpy(header.engine_version.data(), version.data(),
              std::min(version.size(), kEngineVersionBytes - 1));
  return header;
}

}  // namespace

JournalWriter::JournalWriter(internal::File file, Header header, const WriterOptions& options,
                             uint64_t frames, uint64_t size)
    : file_(std::move(file)),
      header_(header),
      sync_(options.sync),
      batch_frames_(std::max<uint32_t>(options.batch_frames, 1)),
      // Always room for the largest frame, so Append() never needs a second buffer.
      buffer_capacity_(std::max<size_t>(options.buffer_bytes, FrameBytes(kMaxFrameBytes))),
      frames_(frames),
      size_(size) {
  buffer_ = std::make_unique<uint8_t[]>(buffer_capacity_);
}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : file_(std::move(other.file_)),
      header_(other.header_),
      sync_(other.sync_),
      batch_frames_(other.batch_frames_),
      buffer_(std::move(other.buffer_)),
      buffer_capacity_(std::exchange(other.buffer_capacity_, 0)),
      buffered_(std::exchange(other.buffered_, 0)),
      unsynced_frames_(std::exchange(other.unsynced_frames_, 0)),
      frames_(other.frames_),
      size_(other.size_),
      error_(std::move(other.error_)) {}

JournalWriter& JournalWriter::operator=(JournalWriter&& other) noexcept {
  if (this != &other) {
    (void)Close();
    file_ = std::move(other.file_);
    header_ = other.header_;
    sync_ = other.sync_;
    batch_frames_ = other.batch_frames_;
    buffer_ = std::move(other.buffer_);
    buffer_capacity_ = std::exchange(other.buffer_capacity_, 0);
    buffered_ = std::exchange(other.buffered_, 0);
    unsynced_frames_ = std::exchange(other.unsynced_frames_, 0);
    frames_ = other.frames_;
    size_ = other.size_;
    error_ = std::move(other.error_);
  }
  return *this;
}

JournalWriter::~JournalWriter() { (void)Close(); }

absl::StatusOr<JournalWriter> JournalWriter::Create(const std::string& path,
                                                    const WriterOptions& options) {
  using Mode = internal::File::Mode;
  absl::StatusOr<internal::File> file =
      internal::File::Open(path, options.overwrite ? Mode::kCreateOrTruncate : Mode::kCreate);
  if (!file.ok()) return file.status();
  const Header header = MakeHeader(options);
  std::array<uint8_t, kHeaderBytes> bytes;
  EncodeHeader(header, bytes);
  if (absl::Status written = file->WriteAll(bytes); !written.ok()) return written;
  if (options.sync != SyncPolicy::kNever) {
    if (absl::Status synced = file->Sync(); !synced.ok()) return synced;
    if (absl::Status synced = file->SyncDirectory(); !synced.ok()) return synced;
  }
  return JournalWriter(std::move(*file), header, options, 0, kHeaderBytes);
}

absl::StatusOr<JournalWriter> JournalWriter::OpenForAppend(const std::string& path,
                                                           const WriterOptions& options,
                                                           bool repair_tail) {
  absl::StatusOr<ScanResult> scan = ScanJournal(path);
  if (!scan.ok()) return scan.status();
  if (scan->header.kind != options.kind) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": is an ", std::string(KindName(scan->header.kind)),
                     " journal, not an ", std::string(KindName(options.kind)), " journal"));
  }
  if (scan->problem.has_value()) {
    if (!repair_tail || !scan->problem->is_tail()) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": cannot append: ", scan->problem->ToString()));
    }
    absl::StatusOr<RepairResult> repaired = RepairJournal(path);
    if (!repaired.ok()) return repaired.status();
  }
  absl::StatusOr<internal::File> file =
      internal::File::Open(path, internal::File::Mode::kReadWrite);
  if (!file.ok()) return file.status();
  if (absl::Status seek = file->Seek(scan->valid_end); !seek.ok()) return seek;
  return JournalWriter(std::move(*file), scan->header, options, scan->frames, scan->valid_end);
}

absl::Status JournalWriter::Fail(absl::Status status) {
  if (error_.ok()) error_ = status;
  return status;
}

absl::Status JournalWriter::Append(std::span<const uint8_t> payload) {
  if (!error_.ok()) return error_;
  if (!file_.is_open()) return absl::FailedPreconditionError("journal writer is closed");
  if (payload.empty() || payload.size() > kMaxFrameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("frame payload of ", payload.size(), " bytes (1..", kMaxFrameBytes, ")"));
  }
  const size_t frame_bytes = FrameBytes(payload.size());
  if (buffered_ + frame_bytes > buffer_capacity_) {
    if (absl::Status flushed = Flush(); !flushed.ok()) return flushed;
  }
  uint8_t* out = buffer_.get() + buffered_;
  StoreU32(out, static_cast<uint32_t>(payload.size()));
  StoreU32(out + 4, FrameCrc(payload));
  std::memcpy(out + kFrameHeaderBytes, payload.data(), payload.size());
  std::memset(out + kFrameHeaderBytes + payload.size(), 0,
              frame_bytes - kFrameHeaderBytes - payload.size());
  buffered_ += frame_bytes;
  size_ += frame_bytes;
  ++frames_;
  ++unsynced_frames_;
  switch (sync_) {
    case SyncPolicy::kEveryFrame:
      return Sync();
    case SyncPolicy::kEveryBatch:
      return unsynced_frames_ >= batch_frames_ ? Sync() : absl::OkStatus();
    case SyncPolicy::kNever:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status JournalWriter::Flush() {
  if (!error_.ok()) return error_;
  if (buffered_ == 0) return absl::OkStatus();
  const size_t bytes = std::exchange(buffered_, 0);
  if (absl::Status written = file_.WriteAll({buffer_.get(), bytes}); !written.ok()) {
    return Fail(written);
  }
  return absl::OkStatus();
}

absl::Status JournalWriter::Sync() {
  if (absl::Status flushed = Flush(); !flushed.ok()) return flushed;
  if (absl::Status synced = file_.Sync(); !synced.ok()) return Fail(synced);
  unsynced_frames_ = 0;
  return absl::OkStatus();
}

absl::Status JournalWriter::Close() {
  if (!file_.is_open()) return error_;
  absl::Status status = sync_ == SyncPolicy::kNever ? Flush() : Sync();
  if (absl::Status closed = file_.Close(); status.ok() && !closed.ok()) status = closed;
  return status;
}

}  // namespace cascade::journal
