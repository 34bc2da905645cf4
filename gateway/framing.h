#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cascade::gateway {

// Cuts a TCP byte stream into frames: a little-endian u32 byte count, then that many bytes (the
// size-prefixed FlatBuffer the wire codec decodes, prefix included). The buffer is allocated once,
// so a client can never make the gateway hold more than one maximum frame plus one read.
class FrameReader {
 public:
  enum class Result : uint8_t {
    kFrame,     // `frame` holds a whole frame (prefix included), valid until the next call
    kNeedMore,  // read more bytes
    kTooLarge,  // the announced size exceeds the limit: the stream cannot be trusted further
    kEmpty,     // a zero-length frame: nothing a well-behaved client sends
  };

  FrameReader(size_t max_frame_bytes, size_t read_chunk_bytes);

  // Where the next read should land; never empty.
  [[nodiscard]] std::span<uint8_t> WritableSpace() noexcept;
  void CommitWritten(size_t bytes) noexcept { end_ += bytes; }

  [[nodiscard]] Result Next(std::span<const uint8_t>& frame) noexcept;

  [[nodiscard]] size_t buffered() const noexcept { return end_ - begin_; }
  [[nodiscard]] size_t max_frame_bytes() const noexcept { return max_frame_bytes_; }

 private:
  size_t max_frame_bytes_;
  std::vector<uint8_t> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

inline constexpr size_t kFramePrefixBytes = 4;

// Appends `payload_size` as the u32 prefix; for writers that build frames by hand.
void AppendFramePrefix(std::vector<uint8_t>& out, uint32_t payload_size);

}  // namespace cascade::gateway
