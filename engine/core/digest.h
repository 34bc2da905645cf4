#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace cascade {

// A stable 64-bit digest (FNV-1a) of a byte stream or of integers fed in little-endian order. It is
// the same on every machine and every build, unlike absl::Hash, so replays can compare digests
// printed elsewhere.
class Digest {
 public:
  void Update(std::span<const std::byte> bytes) noexcept {
    for (std::byte b : bytes) Mix(static_cast<uint8_t>(b));
  }
  void Update(const void* data, size_t size) noexcept {
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < size; ++i) Mix(p[i]);
  }
  // Integers are fed byte by byte, least significant first, so the result does not depend on the
  // host's endianness.
  template <typename Int>
  void UpdateInt(Int v) noexcept {
    auto u = static_cast<uint64_t>(v);
    for (size_t i = 0; i < sizeof(Int); ++i) Mix(static_cast<uint8_t>(u >> (8 * i)));
  }

  [[nodiscard]] uint64_t value() const noexcept { return state_; }
  [[nodiscard]] std::string Hex() const;

 private:
  void Mix(uint8_t b) noexcept {
    state_ ^= b;
    state_ *= 0x100000001b3ULL;
  }
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

inline std::string Digest::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i)
    out[static_cast<size_t>(15 - i)] = kDigits[(state_ >> (4 * i)) & 0xf];
  return out;
}

}  // namespace cascade
