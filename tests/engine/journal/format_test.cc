#include "engine/journal/format.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

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

TEST(FormatTest, FrameCrcIsCrc32OfLengthThenPayload) {
  // zlib.crc32(b"\x03\x00\x00\x00abc") == 0x66e15d33
  const uint8_t payload[] = {'a', 'b', 'c'};
  EXPECT_EQ(FrameCrc(payload), 0x66e15d33u);
}

}  // namespace
}  // namespace cascade::journal
