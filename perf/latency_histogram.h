#pragma once

#include <bit>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace cascade {

// The percentiles every latency report quotes.
struct LatencySummary {
  int64_t count = 0;
  int64_t min = 0;
  int64_t p50 = 0;
  int64_t p90 = 0;
  int64_t p99 = 0;
  int64_t p999 = 0;
  int64_t p9999 = 0;
  int64_t max = 0;
  double mean = 0.0;
};

// A log-linear histogram of non-negative integer values (nanoseconds, usually) with the bucket
// layout of HdrHistogram: each power-of-two range is split into the same number of linear
// sub-buckets, so every recorded value keeps `significant_digits` decimal digits of precision.
// Values 0..2*10^digits are exact. The counts array is sized once, in the constructor; Record
// never allocates and costs a count-leading-zeros and an increment, so it can sit on a hot path.
//
// Percentiles, the mean and the text output follow HdrHistogram's definitions (a percentile is the
// highest value equivalent to the bucket where the cumulative count reaches it), so figures agree
// with tools that read `.hgrm` files.
class LatencyHistogram {
 public:
  static constexpr int64_t kDefaultHighestTrackable = 3'600'000'000'000;  // one hour in ns
  static constexpr int kDefaultSignificantDigits = 3;

  // `highest_trackable` >= 2; `significant_digits` in [1, 5] (clamped). Values above
  // `highest_trackable` are recorded as `highest_trackable` and counted in saturated_count().
  explicit LatencyHistogram(int64_t highest_trackable = kDefaultHighestTrackable,
                            int significant_digits = kDefaultSignificantDigits);

  void Record(int64_t value) noexcept { RecordN(value, 1); }
  void RecordN(int64_t value, int64_t count) noexcept {
    if (value < 0) value = 0;
    if (value > highest_trackable_) [[unlikely]] {
      value = highest_trackable_;
      saturated_count_ += count;
    }
    counts_[CountsIndex(value)] += count;
    total_count_ += count;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }

  // Adds every count of `other`. Histograms of the same layout add bucket by bucket; otherwise
  // each of other's buckets is re-recorded at its lowest equivalent value (as HdrHistogram does).
  void Merge(const LatencyHistogram& other) noexcept;
  void Reset() noexcept;

  [[nodiscard]] int64_t total_count() const noexcept { return total_count_; }
  [[nodiscard]] int64_t saturated_count() const noexcept { return saturated_count_; }
  [[nodiscard]] int64_t highest_trackable() const noexcept { return highest_trackable_; }
  [[nodiscard]] int significant_digits() const noexcept { return significant_digits_; }
  [[nodiscard]] int bucket_count() const noexcept { return bucket_count_; }
  [[nodiscard]] int sub_bucket_count() const noexcept { return sub_bucket_count_; }
  // Memory held by the counts array, fixed at construction.
  [[nodiscard]] size_t footprint_bytes() const noexcept { return counts_.size() * sizeof(int64_t); }

  // 0 when empty. Min and max are reported at bucket resolution, as HdrHistogram does.
  [[nodiscard]] int64_t Min() const noexcept;
  [[nodiscard]] int64_t Max() const noexcept;
  [[nodiscard]] double Mean() const noexcept;
  [[nodiscard]] double StdDeviation() const noexcept;
  // `percentile` in [0, 100]. The smallest bucket whose cumulative count reaches
  // ceil(percentile/100 * total) answers, with its highest equivalent value (lowest for 0).
  [[nodiscard]] int64_t ValueAtPercentile(double percentile) const noexcept;
  [[nodiscard]] int64_t CountAtValue(int64_t value) const noexcept;
  [[nodiscard]] LatencySummary Summary() const noexcept;

  // Values that fall in the same bucket as `value` are equivalent: [lowest, highest].
  [[nodiscard]] int64_t LowestEquivalentValue(int64_t value) const noexcept;
  [[nodiscard]] int64_t HighestEquivalentValue(int64_t value) const noexcept;
  [[nodiscard]] int64_t MedianEquivalentValue(int64_t value) const noexcept;
  [[nodiscard]] bool ValuesAreEquivalent(int64_t a, int64_t b) const noexcept {
    return LowestEquivalentValue(a) == LowestEquivalentValue(b);
  }

  // Writes the percentile distribution exactly as HdrHistogram's
  // AbstractHistogram.outputPercentileDistribution prints it (the `.hgrm` text format):
  // a header, one line per percentile tick (`ticks_per_half_distance` ticks per halving of the
  // distance to 100%), and the Mean/Max/Buckets footer. Values are divided by
  // `value_unit_scaling` (1000.0 prints nanoseconds as microseconds).
  void WritePercentileDistribution(std::ostream& out, int ticks_per_half_distance = 5,
                                   double value_unit_scaling = 1.0) const;
  [[nodiscard]] std::string PercentileDistribution(int ticks_per_half_distance = 5,
                                                   double value_unit_scaling = 1.0) const;
  [[nodiscard]] absl::Status WriteHgrmFile(const std::string& path, int ticks_per_half_distance = 5,
                                           double value_unit_scaling = 1.0) const;

 private:
  [[nodiscard]] int BucketIndex(int64_t value) const noexcept {
    // The highest set bit of (value | mask) picks the power-of-two range; values below the
    // first range share bucket 0.
    return leading_zero_count_base_ -
           std::countl_zero(static_cast<uint64_t>(value) | sub_bucket_mask_);
  }
  [[nodiscard]] size_t CountsIndex(int64_t value) const noexcept {
    const int bucket = BucketIndex(value);
    const int64_t sub_bucket = value >> bucket;
    return (static_cast<size_t>(bucket + 1) << sub_bucket_half_count_magnitude_) +
           static_cast<size_t>(sub_bucket - sub_bucket_half_count_);
  }
  [[nodiscard]] int64_t ValueFromIndex(size_t index) const noexcept;
  [[nodiscard]] int64_t SizeOfEquivalentRange(int64_t value) const noexcept {
    return int64_t{1} << BucketIndex(value);
  }
  [[nodiscard]] bool SameLayout(const LatencyHistogram& other) const noexcept {
    return highest_trackable_ == other.highest_trackable_ &&
           significant_digits_ == other.significant_digits_;
  }

  int64_t highest_trackable_;
  int significant_digits_;
  int sub_bucket_half_count_magnitude_;
  int64_t sub_bucket_half_count_;
  int sub_bucket_count_;
  uint64_t sub_bucket_mask_;
  int leading_zero_count_base_;
  int bucket_count_;
  std::vector<int64_t> counts_;
  int64_t total_count_ = 0;
  int64_t saturated_count_ = 0;
  int64_t min_;
  int64_t max_ = 0;
};

}  // namespace cascade
