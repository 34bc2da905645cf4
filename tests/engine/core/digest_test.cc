#include "engine/core/digest.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

TEST(Digest, MatchesPublishedFnv1aVectors) {
  Digest empty;
  EXPECT_EQ(empty.Hex(), "cbf29ce484222325");
  Digest a;
  a.Update("a", 1);
  EXPECT_EQ(a.value(), 0xaf63dc4c8601ec8cULL);
  Digest foobar;
  foobar.Update("foobar", 6);
  EXPECT_EQ(foobar.value(), 0x85944171f73967e8ULL);
}

TEST(Digest, IntegersAreFedLittleEndianSoDigestsMatchAcrossHosts) {
  Digest by_int;
  by_int.UpdateInt<uint32_t>(0x04030201u);
  Digest by_bytes;
  const unsigned char bytes[] = {1, 2, 3, 4};
  by_bytes.Update(bytes, sizeof(bytes));
  EXPECT_EQ(by_int.value(), by_bytes.value());
}

}  // namespace
}  // namespace cascade
