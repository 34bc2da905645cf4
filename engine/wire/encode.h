#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "engine/core/command.h"
#include "engine/core/event.h"

namespace cascade::wire {

// Encodes commands and events into size-prefixed frames. One Encoder per thread of output: it
// reuses one FlatBuffers builder, so once its buffer has grown to the largest message seen there
// is no allocation per message. The encoding is canonical: the same value always gives the same
// bytes, which is what lets a JSON round trip reproduce a journal's digest.
class Encoder {
 public:
  explicit Encoder(size_t initial_bytes = 1024);
  ~Encoder();
  Encoder(Encoder&&) noexcept;
  Encoder& operator=(Encoder&&) noexcept;

  // The returned bytes stay valid until the next call on this encoder.
  [[nodiscard]] std::span<const uint8_t> Encode(const Command& command) noexcept;
  [[nodiscard]] std::span<const uint8_t> Encode(const Event& event) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cascade::wire
