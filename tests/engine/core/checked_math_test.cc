#include "engine/core/checked_math.h"

#include <gtest/gtest.h>

#include <limits>

namespace cascade {
namespace {

TEST(CheckedMath, FloorAndCeilDivisionRoundTheRightWayForEverySign) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(7, -2), -4);
  EXPECT_EQ(FloorDiv(-7, -2), 3);
  EXPECT_EQ(FloorDiv(-6, 2), -3);
  EXPECT_EQ(CeilDiv(7, 2), 4);
  EXPECT_EQ(CeilDiv(-7, 2), -3);
  EXPECT_EQ(CeilDiv(7, -2), -3);
  EXPECT_EQ(CeilDiv(-7, -2), 4);
  EXPECT_EQ(CeilDiv(6, 2), 3);
}

TEST(CheckedMath, NarrowingRefusesWhatDoesNotFitInt64) {
  const int128 max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(NarrowToInt64(max), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(NarrowToInt64(max + 1).has_value());
  EXPECT_FALSE(NarrowToInt64(-max - 2).has_value());
  // A BTC notional at a $1M price and 10,000 BTC (1e7 lots * 1e7 ticks * K=100) fits.
  EXPECT_TRUE(NarrowToInt64(int128{10'000'000} * 10'000'000 * 100).has_value());
}

}  // namespace
}  // namespace cascade
