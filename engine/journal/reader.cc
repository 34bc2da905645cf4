#include "engine/journal/reader.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cascade::journal {
namespace {

// Whether bytes[0, size) start with a whole valid frame that fits in them.
bool IsWholeFrame(const uint8_t* bytes, uint64_t size, uint32_t max_frame_bytes) noexcept {
  if (size < kFrameHeaderBytes) return false;
  const uint32_t length = LoadU32(bytes);
  if (length == 0 || length > max_frame_bytes) return false;
  const uint64_t frame_bytes = FrameBytes(length);
  if (frame_bytes > size) return false;
  const uint8_t* payload = bytes + kFrameHeaderBytes;
  if (FrameCrc({payload, length}) != LoadU32(bytes + 4)) return false;
  return std::all_of(payload + length, bytes + frame_bytes, [](uint8_t b) { return b == 0; });
}

// The first whole, valid frame at an aligned offset in [from, file_size). Tells a damaged tail
// from damage in the middle, and is where reading resumes after the latter.
absl::StatusOr<std::optional<uint64_t>> FindNextFrame(const internal::File& file, uint64_t from,
                                                      uint64_t file_size,
                                                      uint32_t max_frame_bytes) {
  constexpr uint64_t kChunk = 1 << 20;
  // A frame starting anywhere in a chunk fits in the window read for it.
  std::vector<uint8_t> window(kChunk + FrameBytes(max_frame_bytes));
  for (uint64_t base = from; base + kFrameHeaderBytes <= file_size; base += kChunk) {
    const size_t wanted = static_cast<size_t>(std::min<uint64_t>(window.size(), file_size - base));
    absl::StatusOr<size_t> got = file.ReadAt(base, {window.data(), wanted});
    if (!got.ok()) return got.status();
    for (uint64_t at = 0; at < kChunk && at + kFrameHeaderBytes <= *got; at += kFrameAlignment) {
      if (IsWholeFrame(window.data() + at, *got - at, max_frame_bytes)) return base + at;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view ProblemName(ProblemKind kind) noexcept {
  switch (kind) {
    case ProblemKind::kTornTail:
      return "torn tail";
    case ProblemKind::kCorruptTail:
      return "corrupt tail";
    case ProblemKind::kCorruptFrame:
      return "corrupt frame";
    case ProblemKind::kIoError:
      return "I/O error";
  }
  return "?";
}

std::string Problem::ToString() const {
  std::string text =
      absl::StrCat(std::string(ProblemName(kind)), " at offset ", offset, ": ", detail);
  if (kind == ProblemKind::kCorruptFrame) {
    absl::StrAppend(&text, " (whole frames resume at offset ", resume_at, ")");
  }
  return text;
}

absl::StatusOr<JournalReader> JournalReader::Open(const std::string& path,
                                                  const ReaderOptions& options) {
  absl::StatusOr<internal::File> file = internal::File::Open(path, internal::File::Mode::kRead);
  if (!file.ok()) return file.status();
  absl::StatusOr<uint64_t> size = file->Size();
  if (!size.ok()) return size.status();
  std::array<uint8_t, kHeaderBytes> bytes{};
  absl::StatusOr<size_t> got = file->Read(bytes);
  if (!got.ok()) return got.status();
  absl::StatusOr<Header> header = DecodeHeader({bytes.data(), *got});
  if (!header.ok()) {
    return absl::Status(header.status().code(),
                        absl::StrCat(path, ": ", header.status().message()));
  }
  return JournalReader(std::move(*file), *header, *size, options);
}

JournalReader::JournalReader(internal::File file, Header header, uint64_t file_size,
                             const ReaderOptions& options)
    : file_(std::move(file)),
      header_(header),
      file_size_(file_size),
      options_(options),
      position_(kHeaderBytes),
      read_to_(kHeaderBytes),
      valid_end_(kHeaderBytes) {
  options_.max_frame_bytes = std::clamp<uint32_t>(options_.max_frame_bytes, 1, kMaxFrameBytes);
  const size_t wanted = std::max<size_t>(options_.buffer_bytes, FrameBytes(kMaxFrameBytes));
  capacity_ = (wanted + sizeof(uint64_t) - 1) / sizeof(uint64_t) * sizeof(uint64_t);
  buffer_ = std::make_unique<uint64_t[]>(capacity_ / sizeof(uint64_t));
}

JournalReader::JournalReader(JournalReader&&) noexcept = default;
JournalReader& JournalReader::operator=(JournalReader&&) noexcept = default;
JournalReader::~JournalReader() = default;

bool JournalReader::Fill(size_t bytes) {
  if (end_ - begin_ >= bytes) return true;
  auto* data = reinterpret_cast<uint8_t*>(buffer_.get());
  // begin_ is always a multiple of 8, so moving the rest to the front keeps payloads aligned.
  std::memmove(data, data + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  while (end_ < bytes && read_to_ < file_size_) {
    const size_t room =
        static_cast<size_t>(std::min<uint64_t>(capacity_ - end_, file_size_ - read_to_));
    absl::StatusOr<size_t> got = file_.Read({data + end_, room});
    if (!got.ok()) {
      problem_ = Problem{ProblemKind::kIoError, position_, 0, std::string(got.status().message())};
      return false;
    }
    if (*got == 0) break;  // the file shrank under us; what is missing reads as a torn tail
    end_ += *got;
    read_to_ += *got;
  }
  return end_ >= bytes;
}

bool JournalReader::Stop(Problem problem) {
  problem_ = std::move(problem);
  return false;
}

bool JournalReader::Damaged(std::string detail, bool truncated) {
  absl::StatusOr<std::optional<uint64_t>> next =
      FindNextFrame(file_, position_ + kFrameAlignment, file_size_, options_.max_frame_bytes);
  if (!next.ok()) {
    return Stop(Problem{ProblemKind::kIoError, position_, 0, std::string(next.status().message())});
  }
  if (!next->has_value()) {
    const ProblemKind kind = truncated ? ProblemKind::kTornTail : ProblemKind::kCorruptTail;
    return Stop(Problem{kind, position_, 0, std::move(detail)});
  }
  Problem problem{ProblemKind::kCorruptFrame, position_, **next, std::move(detail)};
  if (!options_.skip_corrupt) return Stop(std::move(problem));
  skipped_.push_back(std::move(problem));
  // Drop the buffer and continue from the next whole frame.
  begin_ = end_ = 0;
  position_ = read_to_ = **next;
  if (absl::Status seek = file_.Seek(position_); !seek.ok()) {
    return Stop(Problem{ProblemKind::kIoError, position_, 0, std::string(seek.message())});
  }
  return true;
}

bool JournalReader::Next(Frame& frame) {
  while (!problem_.has_value() && position_ < file_size_) {
    if (!Fill(kFrameHeaderBytes)) {
      if (problem_.has_value()) return false;
      if (!Damaged(absl::StrCat("file ends ", file_size_ - position_, " bytes into a frame header"),
                   true)) {
        return false;
      }
      continue;
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(buffer_.get()) + begin_;
    const uint32_t length = LoadU32(bytes);
    if (length == 0 || length > options_.max_frame_bytes) {
      if (!Damaged(absl::StrCat("impossible frame length ", length), false)) return false;
      continue;
    }
    const uint64_t frame_bytes = FrameBytes(length);
    if (position_ + frame_bytes > file_size_) {
      if (!Damaged(absl::StrCat("frame of ", frame_bytes, " bytes, but only ",
                                file_size_ - position_, " bytes left in the file"),
                   true)) {
        return false;
      }
      continue;
    }
    if (!Fill(frame_bytes)) {
      if (problem_.has_value()) return false;
      if (!Damaged("file shrank while reading", true)) return false;
      continue;
    }
    bytes = reinterpret_cast<const uint8_t*>(buffer_.get()) + begin_;
    if (!IsWholeFrame(bytes, frame_bytes, options_.max_frame_bytes)) {
      if (!Damaged("CRC mismatch or non-zero padding", false)) return false;
      continue;
    }
    frame.offset = position_;
    frame.index = frames_read_++;
    frame.payload = {bytes + kFrameHeaderBytes, length};
    begin_ += frame_bytes;
    position_ += frame_bytes;
    valid_end_ = position_;
    return true;
  }
  return false;
}

}  // namespace cascade::journal
