// The scenario generator's PRNG and distributions: the sequence is the published algorithm's (so
// any machine and build reproduces a scenario), and the hand-written distributions have the
// shape their calibration figures say.
#include "replay/prng.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace cascade::replay {
namespace {

TEST(Rng, MatchesAnIndependentXoshiro256StarStarSeededBySplitMix64) {
  // Reference values from a separate Python implementation of SplitMix64 and xoshiro256** 1.0.
  Rng one(1);
  EXPECT_EQ(one.Next(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(one.Next(), 0x853b559647364ceaULL);
  EXPECT_EQ(one.Next(), 0x92f89756082a4514ULL);
  EXPECT_EQ(one.Next(), 0x642e1c7bc266a3a7ULL);
  Rng zero(0);
  EXPECT_EQ(zero.Next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero.Next(), 0xbf6e1f784956452aULL);
  Rng stream = Rng::Stream(7, 3);
  EXPECT_EQ(stream.Next(), 0x930a60a658c47521ULL);
  EXPECT_EQ(stream.Next(), 0xdad8355cc958d3e8ULL);
}

TEST(Rng, StreamsOfOneSeedDiffer) {
  Rng a = Rng::Stream(42, 1);
  Rng b = Rng::Stream(42, 2);
  int same = 0;
  for (int i = 0; i < 64; ++i) same += a.Next() == b.Next() ? 1 : 0;
  EXPECT_EQ(same, 0);
}

TEST(Rng, BelowIsInRangeAndUniform) {
  Rng rng(5);
  std::vector<int> counts(10, 0);
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t v = rng.Below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, kDraws / 10, kDraws / 100);  // within 10% of 20,000
  EXPECT_EQ(rng.Below(0), 0u);
  EXPECT_EQ(rng.Below(1), 0u);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.Between(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
  }
}

TEST(Rng, NormalishHasTheRequestedSpread) {
  Rng rng(11);
  constexpr int kDraws = 100'000;
  double sum = 0;
  double sum_sq = 0;
  int64_t max_abs = 0;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = rng.Normalish(1000);
    sum += static_cast<double>(v);
    sum_sq += static_cast<double>(v) * static_cast<double>(v);
    max_abs = std::max<int64_t>(max_abs, v < 0 ? -v : v);
  }
  const double mean = sum / kDraws;
  const double sd = std::sqrt(sum_sq / kDraws - mean * mean);
  EXPECT_NEAR(mean, 0.0, 15.0);
  EXPECT_NEAR(sd, 1000.0, 15.0);
  EXPECT_LE(max_abs, 6000);  // Irwin-Hall is bounded at 6 sd
}

TEST(QuantileDistribution, HitsItsKnotsAndInterpolatesBetweenThem) {
  // Taker trade size in scenarios.md terms: median 0.016 BTC, p99 1.15 BTC (in 1e-3 BTC).
  auto d =
      QuantileDistribution::Create({{0, 1}, {500'000, 16}, {990'000, 1150}, {1'000'000, 5000}});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->Quantile(0), 1);
  EXPECT_EQ(d->Quantile(500'000), 16);
  EXPECT_EQ(d->Quantile(990'000), 1150);
  EXPECT_EQ(d->Quantile(250'000), 8);  // halfway between 1 and 16, floored
  Rng rng(3);
  int below_median = 0;
  int above_p99 = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = d->Sample(rng);
    below_median += v < 16 ? 1 : 0;
    above_p99 += v > 1150 ? 1 : 0;
  }
  EXPECT_NEAR(below_median, kDraws / 2, kDraws / 100);
  EXPECT_NEAR(above_p99, kDraws / 100, kDraws / 500);
}

TEST(QuantileDistribution, RefusesTablesThatAreNotQuantileFunctions) {
  EXPECT_FALSE(QuantileDistribution::Create({{0, 1}}).ok());
  EXPECT_FALSE(QuantileDistribution::Create({{100, 1}, {1'000'000, 2}}).ok());  // no p = 0
  EXPECT_FALSE(QuantileDistribution::Create({{0, 5}, {1'000'000, 2}}).ok());    // decreasing
  EXPECT_FALSE(PiecewiseLinear::Create({{10, 0}, {5, 1}}).ok());                // x goes back
}

TEST(UnitExponential, HasMeanOne) {
  Rng rng(9);
  constexpr int kDraws = 200'000;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) sum += static_cast<double>(UnitExponentialPpm().Sample(rng));
  EXPECT_NEAR(sum / kDraws / 1e6, 1.0045, 0.01);  // the table's own mean, see prng.h
}

TEST(WeightedChoice, FollowsItsWeights) {
  const int64_t weights[] = {1, 0, 3};
  auto c = WeightedChoice::Create(weights);
  ASSERT_TRUE(c.ok());
  Rng rng(4);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 40'000; ++i) ++counts[c->Sample(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0], 10'000, 400);
  EXPECT_NEAR(counts[2], 30'000, 400);
  const int64_t none[] = {0, 0};
  EXPECT_FALSE(WeightedChoice::Create(none).ok());
}

TEST(ISqrt, IsExact) {
  EXPECT_EQ(ISqrt(0), 0u);
  EXPECT_EQ(ISqrt(15), 3u);
  EXPECT_EQ(ISqrt(16), 4u);
  EXPECT_EQ(ISqrt(1'000'000'000'000ULL - 1), 999'999u);
  EXPECT_EQ(ISqrt(UINT64_MAX), 4'294'967'295u);
}

}  // namespace
}  // namespace cascade::replay
