#include "engine/journal/format.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string_view>
#include <vector>

namespace cascade::journal {
namespace {

Header Sample() {
  Header h;
  h.kind = JournalKind::kOutput;
  h.schema_hash = 0x0123456789abcdefULL;
  h.created_unix_ns = -42;
  std::memcpy(h.engine_version.data(), "9.8.7", 5);
  return h;
}

TEST(FormatTest, HeaderRoundTrips) {
  std::array<uint8_t, kHeaderBytes> bytes;
  EncodeHeader(Sample(), bytes);
  EXPECT_EQ(std::memcmp(bytes.data(), "CSCDJRNL", 8), 0);
  absl::StatusOr<Header> back = DecodeHeader(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->kind, JournalKind::kOutput);
  EXPECT_EQ(back->format_version, kFormatVersion);
  EXPECT_EQ(back->schema_hash, 0x0123456789abcdefULL);
  EXPECT_EQ(back->created_unix_ns, -42);
  EXPECT_EQ(back->EngineVersion(), "9.8.7");
}

TEST(FormatTest, HeaderDamageIsRefused) {
  std::array<uint8_t, kHeaderBytes> good;
  EncodeHeader(Sample(), good);
  EXPECT_EQ(DecodeHeader(std::span<const uint8_t>(good).first(63)).status().code(),
            absl::StatusCode::kDataLoss);
  for (size_t byte = 0; byte < kHeaderBytes; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::array<uint8_t, kHeaderBytes> bad = good;
      bad[byte] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(DecodeHeader(bad).ok()) << byte << ":" << bit;
    }
  }
  std::array<uint8_t, kHeaderBytes> newer = good;
  newer[8] = 2;
  EXPECT_EQ(DecodeHeader(newer).status().code(), absl::StatusCode::kUnimplemented);
}

TEST(FormatTest, FramesArePaddedToEightBytes) {
  EXPECT_EQ(FrameBytes(1), 16u);
  EXPECT_EQ(FrameBytes(8), 16u);
  EXPECT_EQ(FrameBytes(9), 24u);
  EXPECT_EQ(FrameBytes(144), 152u);
}

TEST(FormatTest, FrameCrcIsCrc32cOfLengthThenPayload) {
  // crc32c(b"\x03\x00\x00\x00abc"), computed bit by bit in make_v0_journal.py's way
  const uint8_t payload[] = {'a', 'b', 'c'};
  EXPECT_EQ(FrameCrc(payload), 0x551483f8u);
}

TEST(FormatTest, Crc32cMatchesTheStandardCheckValue) {
  const std::string_view check = "123456789";
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(check.data()),
                                       check.size());
  EXPECT_EQ(Crc32c(bytes), 0xe3069283u);
  EXPECT_EQ(Crc32cPortable(bytes), 0xe3069283u);
}

// The hardware path (where the CPU has one) and Boost.CRC agree on every length and alignment,
// and both continue a checksum across pieces.
TEST(FormatTest, HardwareAndPortableCrc32cAgree) {
  std::vector<uint8_t> data(300);
  uint32_t x = 1;
  for (uint8_t& b : data) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 24);
  }
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; start + n <= data.size(); n += 7) {
      const std::span<const uint8_t> piece(data.data() + start, n);
      ASSERT_EQ(Crc32c(piece), Crc32cPortable(piece)) << start << "+" << n;
    }
  }
  const std::span<const uint8_t> all(data);
  EXPECT_EQ(Crc32c(all.subspan(100), Crc32c(all.first(100))), Crc32c(all));
  EXPECT_EQ(Crc32cPortable(all.subspan(37), Crc32cPortable(all.first(37))), Crc32cPortable(all));
}

}  // namespace
}  // namespace cascade::journal
