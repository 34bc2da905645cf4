#include "perf/latency_histogram.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "perf/alloc_counter.h"

namespace cascade {
namespace {

TEST(LatencyHistogramTest, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.ValueAtPercentile(50.0), 0);
  EXPECT_EQ(h.Mean(), 0.0);
  const LatencySummary s = h.Summary();
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.p99, 0);
}

TEST(LatencyHistogramTest, LayoutMatchesHdrHistogram) {
  // HdrHistogram(1, 3600 s in ns, 3 digits): 2048 sub-buckets, 32 buckets.
  LatencyHistogram h;
  EXPECT_EQ(h.sub_bucket_count(), 2048);
  EXPECT_EQ(h.bucket_count(), 32);
  EXPECT_EQ(h.footprint_bytes(), 33u * 1024u * sizeof(int64_t));
  LatencyHistogram two_digits(1'000'000, 2);
  EXPECT_EQ(two_digits.sub_bucket_count(), 256);
}

TEST(LatencyHistogramTest, ValuesBelowTwiceTenToTheDigitsAreExact) {
  LatencyHistogram h;
  for (int64_t v = 0; v < 2048; ++v) {
    EXPECT_EQ(h.LowestEquivalentValue(v), v);
    EXPECT_EQ(h.HighestEquivalentValue(v), v);
  }
  EXPECT_EQ(h.LowestEquivalentValue(2049), 2048);
  EXPECT_EQ(h.HighestEquivalentValue(2048), 2049);
  EXPECT_EQ(h.LowestEquivalentValue(10'007), 10'000);
  EXPECT_EQ(h.HighestEquivalentValue(10'000), 10'007);
}

TEST(LatencyHistogramTest, KeepsThreeSignificantDigitsAcrossTheRange) {
  LatencyHistogram h;
  for (int64_t v = 1; v < int64_t{1} << 40; v = v * 3 + 7) {
    const int64_t lo = h.LowestEquivalentValue(v);
    const int64_t hi = h.HighestEquivalentValue(v);
    ASSERT_LE(lo, v);
    ASSERT_GE(hi, v);
    // The bucket is at most 1/1000 of the value wide (2048 sub-buckets: 1/1024 at worst).
    ASSERT_LE(static_cast<double>(hi - lo), static_cast<double>(v) / 1000.0) << v;
  }
}

TEST(LatencyHistogramTest, PercentilesOfOneToTenThousand) {
  LatencyHistogram h;
  for (int64_t v = 1; v <= 10'000; ++v) h.Record(v);
  EXPECT_EQ(h.total_count(), 10'000);
  EXPECT_EQ(h.Min(), 1);
  // Values above 2047 land in 2-, 4- and 8-wide buckets: the answer is the bucket's top.
  EXPECT_EQ(h.ValueAtPercentile(50.0), 5'003);  // 5000 is in [5000, 5003]
  EXPECT_EQ(h.ValueAtPercentile(90.0), 9'007);
  EXPECT_EQ(h.ValueAtPercentile(99.0), 9'903);
  EXPECT_EQ(h.ValueAtPercentile(99.9), 9'991);
  EXPECT_EQ(h.ValueAtPercentile(99.99), 9'999);
  EXPECT_EQ(h.ValueAtPercentile(100.0), 10'007);
  EXPECT_EQ(h.ValueAtPercentile(0.0), 1);
  EXPECT_EQ(h.Max(), 10'007);
  EXPECT_NEAR(h.Mean(), 5000.5, 5.0);
  const LatencySummary s = h.Summary();
  EXPECT_EQ(s.p50, 5'003);
  EXPECT_EQ(s.p90, 9'007);
  EXPECT_EQ(s.p99, 9'903);
  EXPECT_EQ(s.p999, 9'991);
  EXPECT_EQ(s.p9999, 9'999);
  EXPECT_EQ(s.max, 10'007);
}

TEST(LatencyHistogramTest, PercentileNeedsTheCeilingOfTheCount) {
  // 99.9% of 1000 samples is the 999th: one slow sample out of 1000 does not move p99.9.
  LatencyHistogram h;
  h.RecordN(100, 999);
  h.Record(1'000'000);
  EXPECT_EQ(h.ValueAtPercentile(99.9), 100);
  EXPECT_EQ(h.ValueAtPercentile(99.99), h.HighestEquivalentValue(1'000'000));
}

TEST(LatencyHistogramTest, SaturatesAboveTheHighestTrackableValue) {
  LatencyHistogram h(1'000'000, 3);
  h.Record(5'000'000);
  h.Record(-5);
  EXPECT_EQ(h.total_count(), 2);
  EXPECT_EQ(h.saturated_count(), 1);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_TRUE(h.ValuesAreEquivalent(h.Max(), 1'000'000));
}

TEST(LatencyHistogramTest, RecordNeverAllocates) {
  LatencyHistogram h;
  const alloc_counter::Scope scope;
  for (int64_t v = 0; v < 1'000'000; ++v) h.Record(v * 7919 % 100'000'000);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(h.total_count(), 1'000'000);
}

TEST(LatencyHistogramTest, MergeOfSameLayoutAddsCounts) {
  LatencyHistogram a;
  LatencyHistogram b;
  LatencyHistogram both;
  for (int64_t v = 1; v <= 5000; ++v) {
    a.Record(v * 3);
    both.Record(v * 3);
  }
  for (int64_t v = 1; v <= 3000; ++v) {
    b.Record(v * 101);
    both.Record(v * 101);
  }
  a.Merge(b);
  EXPECT_EQ(a.total_count(), both.total_count());
  EXPECT_EQ(a.Min(), both.Min());
  EXPECT_EQ(a.Max(), both.Max());
  EXPECT_EQ(a.PercentileDistribution(), both.PercentileDistribution());
}

TEST(LatencyHistogramTest, MergeOfOtherLayoutReRecordsBuckets) {
  LatencyHistogram a(1'000'000'000, 3);
  LatencyHistogram b(10'000'000, 2);
  for (int64_t v = 1; v <= 1000; ++v) b.Record(v * 1000);
  a.Merge(b);
  EXPECT_EQ(a.total_count(), 1000);
  // b's buckets are ~1% wide; a re-records each at its start, so percentiles agree to b's
  // precision.
  EXPECT_NEAR(static_cast<double>(a.ValueAtPercentile(50.0)),
              static_cast<double>(b.ValueAtPercentile(50.0)), 0.01 * 500'000);
  EXPECT_TRUE(b.ValuesAreEquivalent(a.Max(), 1'000'000));
}

TEST(LatencyHistogramTest, ResetEmpties) {
  LatencyHistogram h;
  h.Record(42);
  h.Reset();
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.ValueAtPercentile(99.0), 0);
}

// Expected text: HdrHistogram's outputPercentileDistribution(out, 5, 1000.0) for the values
// 1000, 2000, ..., 100000 in a Histogram(1, 3600000000000, 3), as printed by hdr-histogram-js
// 3.0.1 (a port of HdrHistogram). The Max footer is Java's getMaxValue(), the highest value
// equivalent to the recorded maximum (100031 ns); the JS port prints the raw maximum there.
constexpr char kExpectedHgrm[] =
    "       Value     Percentile TotalCount 1/(1-Percentile)\n"
    "\n"
    "       1.000 0.000000000000          1           1.00\n"
    "      10.007 0.100000000000         10           1.11\n"
    "      20.015 0.200000000000         20           1.25\n"
    "      30.015 0.300000000000         30           1.43\n"
    "      40.031 0.400000000000         40           1.67\n"
    "      50.015 0.500000000000         50           2.00\n"
    "      55.007 0.550000000000         55           2.22\n"
    "      60.031 0.600000000000         60           2.50\n"
    "      65.023 0.650000000000         65           2.86\n"
    "      70.015 0.700000000000         70           3.33\n"
    "      75.007 0.750000000000         75           4.00\n"
    "      78.015 0.775000000000         78           4.44\n"
    "      80.063 0.800000000000         80           5.00\n"
    "      83.007 0.825000000000         83           5.71\n"
    "      85.055 0.850000000000         85           6.67\n"
    "      88.063 0.875000000000         88           8.00\n"
    "      89.023 0.887500000000         89           8.89\n"
    "      90.047 0.900000000000         90          10.00\n"
    "      92.031 0.912500000000         92          11.43\n"
    "      93.055 0.925000000000         93          13.33\n"
    "      94.015 0.937500000000         94          16.00\n"
    "      95.039 0.943750000000         95          17.78\n"
    "      95.039 0.950000000000         95          20.00\n"
    "      96.063 0.956250000000         96          22.86\n"
    "      97.023 0.962500000000         97          26.67\n"
    "      97.023 0.968750000000         97          32.00\n"
    "      98.047 0.971875000000         98          35.56\n"
    "      98.047 0.975000000000         98          40.00\n"
    "      98.047 0.978125000000         98          45.71\n"
    "      99.007 0.981250000000         99          53.33\n"
    "      99.007 0.984375000000         99          64.00\n"
    "      99.007 0.985937500000         99          71.11\n"
    "      99.007 0.987500000000         99          80.00\n"
    "      99.007 0.989062500000         99          91.43\n"
    "     100.031 0.990625000000        100         106.67\n"
    "     100.031 1.000000000000        100\n"
    "#[Mean    =       50.504, StdDeviation   =       28.866]\n"
    "#[Max     =      100.031, Total count    =          100]\n"
    "#[Buckets =           32, SubBuckets     =         2048]\n";

TEST(LatencyHistogramTest, PercentileDistributionIsHdrHistogramsText) {
  LatencyHistogram h;
  for (int64_t v = 1000; v <= 100'000; v += 1000) h.Record(v);
  EXPECT_EQ(h.PercentileDistribution(5, 1000.0), kExpectedHgrm);
}

TEST(LatencyHistogramTest, PercentileDistributionOfHugeAndZeroValues) {
  // Same source as above, two ticks per half distance, unscaled.
  LatencyHistogram h;
  for (int64_t v : {0, 0, 1, 2, 3, 2047, 2048, 2049, 4095, 4096, 123456, 999999, 1000000}) {
    h.Record(v);
  }
  h.Record(5'000'000'000);
  const std::string text = h.PercentileDistribution(2, 1.0);
  EXPECT_NE(text.find("       0.000 0.000000000000          2           1.00\n"),
            std::string::npos);
  EXPECT_NE(text.find("    2049.000 0.500000000000          8           2.00\n"),
            std::string::npos);
  EXPECT_NE(text.find("5003804671.000 1.000000000000         14\n"), std::string::npos);
  EXPECT_NE(text.find("#[Mean    = 357417552.571, StdDeviation   = 1288094324.277]\n"),
            std::string::npos);
}

TEST(LatencyHistogramTest, EmptyDistributionHasHeaderAndFooterOnly) {
  LatencyHistogram h;
  EXPECT_EQ(h.PercentileDistribution(),
            "       Value     Percentile TotalCount 1/(1-Percentile)\n\n"
            "#[Mean    =        0.000, StdDeviation   =        0.000]\n"
            "#[Max     =        0.000, Total count    =            0]\n"
            "#[Buckets =           32, SubBuckets     =         2048]\n");
}

TEST(LatencyHistogramTest, WritesHgrmFile) {
  LatencyHistogram h;
  for (int64_t v = 1000; v <= 100'000; v += 1000) h.Record(v);
  const std::string path =
      (std::filesystem::temp_directory_path() / "latency_histogram_test.hgrm").string();
  ASSERT_TRUE(h.WriteHgrmFile(path, 5, 1000.0).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), kExpectedHgrm);
  std::remove(path.c_str());
  EXPECT_FALSE(h.WriteHgrmFile("/nonexistent-dir/x.hgrm").ok());
}

}  // namespace
}  // namespace cascade
