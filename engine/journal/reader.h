#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/journal/file.h"
#include "engine/journal/format.h"

namespace cascade::journal {

enum class ProblemKind : uint8_t {
  // The file ends inside a frame: a write that did not finish. Repair() removes it.
  kTornTail,
  // The last frame is whole but damaged (CRC, length or padding) and nothing valid follows it:
  // most likely also an unfinished write. Repair() removes it.
  kCorruptTail,
  // A damaged frame with whole frames after it: real corruption. Reading stops there unless
  // ReaderOptions::skip_corrupt, and Repair() refuses to cut.
  kCorruptFrame,
  // The file could not be read.
  kIoError,
};

[[nodiscard]] std::string_view ProblemName(ProblemKind kind) noexcept;

struct Problem {
  ProblemKind kind = ProblemKind::kTornTail;
  uint64_t offset = 0;     // where the damaged frame starts
  uint64_t resume_at = 0;  // kCorruptFrame: where the next whole frame starts
  std::string detail;      // what is wrong, for people

  [[nodiscard]] bool is_tail() const noexcept {
    return kind == ProblemKind::kTornTail || kind == ProblemKind::kCorruptTail;
  }
  [[nodiscard]] std::string ToString() const;
};

struct Frame {
  uint64_t offset = 0;               // of the frame's length field in the file
  uint64_t index = 0;                // 0-based among the frames read
  std::span<const uint8_t> payload;  // 8-byte aligned; valid until the next Next()
};

struct ReaderOptions {
  // Skip damaged frames in the middle (each is recorded in skipped()) instead of stopping.
  bool skip_corrupt = false;
  size_t buffer_bytes = 1 << 20;
  uint32_t max_frame_bytes = kMaxFrameBytes;
};

// Reads a journal's frames in order, checking every length, CRC and padding. Reads the file as it
// was when opened (its size is taken once), with large sequential reads into one buffer. Not
// thread-safe.
class JournalReader {
 public:
  // Fails when the file cannot be opened or its header is missing or invalid.
  [[nodiscard]] static absl::StatusOr<JournalReader> Open(const std::string& path,
                                                          const ReaderOptions& options = {});

  JournalReader(JournalReader&&) noexcept;
  JournalReader& operator=(JournalReader&&) noexcept;
  ~JournalReader();

  // The next whole frame, or false at the end of the file or at a problem that stops reading.
  [[nodiscard]] bool Next(Frame& frame);

  // Why reading stopped, if not at a clean end.
  [[nodiscard]] const std::optional<Problem>& problem() const noexcept { return problem_; }
  // Damaged frames passed over with skip_corrupt.
  [[nodiscard]] const std::vector<Problem>& skipped() const noexcept { return skipped_; }
  [[nodiscard]] const Header& header() const noexcept { return header_; }
  [[nodiscard]] uint64_t file_size() const noexcept { return file_size_; }
  // Just past the last whole frame returned: where a repaired file would end.
  [[nodiscard]] uint64_t valid_end() const noexcept { return valid_end_; }
  [[nodiscard]] uint64_t frames_read() const noexcept { return frames_read_; }

 private:
  JournalReader(internal::File file, Header header, uint64_t file_size,
                const ReaderOptions& options);
  // Makes `bytes` bytes from the current position available; false if the file ends first.
  [[nodiscard]] bool Fill(size_t bytes);
  // Classifies the damaged frame at the current position and either stops or skips it.
  [[nodiscard]] bool Damaged(std::string detail, bool truncated);
  [[nodiscard]] bool Stop(Problem problem);

  internal::File file_;
  Header header_;
  uint64_t file_size_ = 0;
  ReaderOptions options_;
  std::unique_ptr<uint64_t[]> buffer_;  // uint64_t: 8-byte alignment for payloads
  size_t capacity_ = 0;
  size_t begin_ = 0;       // current position in the buffer
  size_t end_ = 0;         // end of valid bytes in the buffer
  uint64_t position_ = 0;  // file offset of buffer byte begin_
  uint64_t read_to_ = 0;   // file offset of buffer byte end_
  uint64_t valid_end_ = 0;
  uint64_t frames_read_ = 0;
  std::optional<Problem> problem_;
  std::vector<Problem> skipped_;
};

}  // namespace cascade::journal
