#pragma once

// The journal file format, version 1. All integers little-endian.
//
//   header (64 bytes):
//     0  magic "CSCDJRNL"            8  u16 format version      10 u16 kind (1 input, 2 output)
//     12 u32 header size (64)        16 u64 schema hash         24 i64 creation time, Unix ns
//     32 char[24] engine version     56 u32 reserved (0)        60 u32 CRC-32C of bytes 0..59
//   frames, each starting at a multiple of 8:
//     u32 payload length, u32 CRC-32C of (the 4 length bytes, then the payload), the payload
//     (a size-prefixed FlatBuffers envelope), zero padding up to the next multiple of 8.
//
// The padding keeps every payload 8-byte aligned in a reader's buffer (FlatBuffers reads scalars in
// place) and lets a reader that meets a damaged frame look for the next whole one at aligned
// offsets only. The checksum is CRC-32C (Castagnoli, as in iSCSI, ext4 and LevelDB): x86's SSE4.2
// computes it in hardware, several times faster than a table-driven CRC-32, which is what lets a
// reader check more than 5M frames/s; elsewhere Boost.CRC computes the same value.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"

namespace cascade::journal {

enum class JournalKind : uint16_t {
  kInput = 1,   // commands: wire input envelopes
  kOutput = 2,  // events: wire output envelopes
};

inline constexpr std::array<char, 8> kMagic = {'C', 'S', 'C', 'D', 'J', 'R', 'N', 'L'};
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr size_t kHeaderBytes = 64;
inline constexpr size_t kFrameHeaderBytes = 8;
inline constexpr size_t kFrameAlignment = 8;
// Far above any wire message (see wire::kMaxMessageBytes), low enough that a damaged length
// cannot make a reader allocate or scan gigabytes.
inline constexpr uint32_t kMaxFrameBytes = 1u << 20;
inline constexpr size_t kEngineVersionBytes = 24;

struct Header {
  JournalKind kind = JournalKind::kInput;
  uint16_t format_version = kFormatVersion;
  uint64_t schema_hash = 0;
  int64_t created_unix_ns = 0;
  std::array<char, kEngineVersionBytes> engine_version{};  // NUL-padded, e.g. "0.1.0"

  [[nodiscard]] std::string EngineVersion() const;
};

// The version of this build, as written into new journals.
[[nodiscard]] std::string_view BuildVersion() noexcept;

[[nodiscard]] std::string_view KindName(JournalKind kind) noexcept;

void EncodeHeader(const Header& header, std::span<uint8_t, kHeaderBytes> out) noexcept;
// Checks magic, format version, size and CRC.
[[nodiscard]] absl::StatusOr<Header> DecodeHeader(std::span<const uint8_t> bytes);

// Bytes a frame with this payload occupies in the file, padding included.
[[nodiscard]] constexpr uint64_t FrameBytes(uint64_t payload_bytes) noexcept {
  return (kFrameHeaderBytes + payload_bytes + kFrameAlignment - 1) & ~(kFrameAlignment - 1);
}

// CRC-32C of a frame: the little-endian length, then the payload.
[[nodiscard]] uint32_t FrameCrc(std::span<const uint8_t> payload) noexcept;

// CRC-32C (initial value and final xor 0xffffffff), continuing from `crc` (0 to start). The
// portable version is the reference the hardware path is tested against.
[[nodiscard]] uint32_t Crc32c(std::span<const uint8_t> bytes, uint32_t crc = 0) noexcept;
[[nodiscard]] uint32_t Crc32cPortable(std::span<const uint8_t> bytes, uint32_t crc = 0) noexcept;

[[nodiscard]] inline uint32_t LoadU32(const uint8_t* p) noexcept {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

inline void StoreU32(uint8_t* p, uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace cascade::journal
