#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/journal/file.h"
#include "engine/journal/format.h"

namespace cascade::journal {

// When the writer makes appended frames durable (fdatasync). The trade-off is latency and
// throughput against what a power cut can take:
//   kEveryFrame  Append() returns once the frame is on disk: nothing acknowledged is ever lost,
//                at one write and one fdatasync per frame (tens of microseconds or more each).
//   kEveryBatch  frames are buffered and synced every `batch_frames` frames (and by Sync()):
//                a crash loses at most the last unsynced batch, and recovery truncates the
//                partial frame it may leave.
//   kNever       frames are buffered and handed to the OS when the buffer fills and on
//                Flush()/Close(); the OS decides when they reach the disk. Survives a process
//                crash once flushed, not a power cut. For replays, tests and tools.
enum class SyncPolicy : uint8_t { kEveryFrame, kEveryBatch, kNever };

struct WriterOptions {
  JournalKind kind = JournalKind::kInput;
  SyncPolicy sync = SyncPolicy::kEveryBatch;
  uint32_t batch_frames = 256;
  size_t buffer_bytes = 1 << 20;
  // Recorded in the header; the current wall clock when not given (tests pin it).
  std::optional<int64_t> created_unix_ns;
  // Recorded in the header; the running build's wire::SchemaHash() when not given.
  std::optional<uint64_t> schema_hash;
  bool overwrite = false;  // Create(): replace an existing file instead of failing
};

// Appends frames to a journal file through a buffer. Not thread-safe. Errors are sticky: after a
// failed write the writer refuses further appends, because the file may now end in a partial
// frame (which a reader reports as a torn tail and Repair() removes).
class JournalWriter {
 public:
  // Creates a new journal and writes its header.
  [[nodiscard]] static absl::StatusOr<JournalWriter> Create(const std::string& path,
                                                            const WriterOptions& options = {});
  // Opens an existing journal to append to it. Its kind must match options.kind and it must end
  // with a whole frame; with repair_tail a torn or corrupt tail is first cut off (Repair()).
  [[nodiscard]] static absl::StatusOr<JournalWriter> OpenForAppend(const std::string& path,
                                                                   const WriterOptions& options,
                                                                   bool repair_tail = false);

  JournalWriter(JournalWriter&&) noexcept;
  JournalWriter& operator=(JournalWriter&&) noexcept;
  ~JournalWriter();  // Close(), errors ignored: call Close() to see them

  // Appends one frame (payload: a size-prefixed wire envelope, at most kMaxFrameBytes).
  [[nodiscard]] absl::Status Append(std::span<const uint8_t> payload);
  // Hands buffered frames to the OS.
  [[nodiscard]] absl::Status Flush();
  // Flush() and fdatasync, whatever the policy.
  [[nodiscard]] absl::Status Sync();
  // Flush(), a final sync unless the policy is kNever, then close.
  [[nodiscard]] absl::Status Close();

  [[nodiscard]] uint64_t frames() const noexcept { return frames_; }
  // File size once everything buffered is written.
  [[nodiscard]] uint64_t size() const noexcept { return size_; }
  [[nodiscard]] const Header& header() const noexcept { return header_; }

 private:
  JournalWriter(internal::File file, Header header, const WriterOptions& options, uint64_t frames,
                uint64_t size);
  [[nodiscard]] absl::Status Fail(absl::Status status);

  internal::File file_;
  Header header_;
  SyncPolicy sync_;
  uint32_t batch_frames_;
  std::unique_ptr<uint8_t[]> buffer_;
  size_t buffer_capacity_;
  size_t buffered_ = 0;
  uint32_t unsynced_frames_ = 0;
  uint64_t frames_ = 0;
  uint64_t size_ = 0;
  absl::Status error_;
};

}  // namespace cascade::journal
