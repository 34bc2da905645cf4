#include "gateway/framing.h"

#include <cstring>

namespace cascade::gateway {

FrameReader::FrameReader(size_t max_frame_bytes, size_t read_chunk_bytes)
    : max_frame_bytes_(max_frame_bytes), buffer_(max_frame_bytes + read_chunk_bytes) {}

std::span<uint8_t> FrameReader::WritableSpace() noexcept {
  // Compact only when the tail is short: a memmove per read would cost more than it saves.
  if (buffer_.size() - end_ < max_frame_bytes_ && begin_ > 0) {
    const size_t live = end_ - begin_;
    std::memmove(buffer_.data(), buffer_.data() + begin_, live);
    begin_ = 0;
    end_ = live;
  }
  return {buffer_.data() + end_, buffer_.size() - end_};
}

FrameReader::Result FrameReader::Next(std::span<const uint8_t>& frame) noexcept {
  const size_t available = end_ - begin_;
  if (available < kFramePrefixBytes) return Result::kNeedMore;
  const uint8_t* p = buffer_.data() + begin_;
  const uint32_t payload = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
  if (payload == 0) return Result::kEmpty;
  if (static_cast<size_t>(payload) > max_frame_bytes_ - kFramePrefixBytes) {
    return Result::kTooLarge;
  }
  const size_t total = kFramePrefixBytes + payload;
  if (available < total) return Result::kNeedMore;
  frame = {p, total};
  begin_ += total;
  if (begin_ == end_) begin_ = end_ = 0;
  return Result::kFrame;
}

void AppendFramePrefix(std::vector<uint8_t>& out, uint32_t payload_size) {
  for (int shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<uint8_t>(payload_size >> shift));
  }
}

}  // namespace cascade::gateway
