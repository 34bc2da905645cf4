#include "perf/latency_histogram.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace cascade {
namespace {

// The largest value with unit resolution is 2 * 10^digits; the sub-bucket count is the power of
// two at or above it (2048 for three digits).
int SubBucketCountMagnitude(int significant_digits) {
  int64_t largest_with_unit_resolution = 2;
  for (int i = 0; i < significant_digits; ++i) largest_with_unit_resolution *= 10;
  int magnitude = 0;
  while ((int64_t{1} << magnitude) < largest_with_unit_resolution) ++magnitude;
  return std::max(magnitude, 1);
}

int BucketsNeededToCover(int64_t value, int64_t sub_bucket_count) {
  int64_t smallest_untrackable = sub_bucket_count;
  int buckets = 1;
  while (smallest_untrackable <= value) {
    if (smallest_untrackable > std::numeric_limits<int64_t>::max() / 2) return buckets + 1;
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}

// Java's Formatter prints "%.Nf" from the shortest decimal that round-trips the double (the
// digits of Double.toString), rounded half-up, where printf rounds the exact binary value; the two
// differ on the last digit now and then. Doing it Java's way keeps .hgrm files byte-identical to
// HdrHistogram's.
std::string JavaFixed(double value, int precision) {
  if (!std::isfinite(value)) return value != value ? "NaN" : (value > 0 ? "Infinity" : "-Infinity");
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(result.ptr - buf));  // "-d.ddde+XX"
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  int point = exponent + 1;  // digits before the decimal point
  const int keep = point + precision;
  if (keep < 0) {
    digits.assign(1, '0');
    point = 1;
  } else if (static_cast<size_t>(keep) < digits.size()) {
    const bool round_up = digits[static_cast<size_t>(keep)] >= '5';
    digits.resize(static_cast<size_t>(keep));
    if (round_up) {
      int i = keep - 1;
      while (i >= 0 && digits[static_cast<size_t>(i)] == '9')
        digits[static_cast<size_t>(i--)] = '0';
      if (i >= 0) {
        ++digits[static_cast<size_t>(i)];
      } else {  // all nines: 99.96 -> 100.0
        digits.assign(1, '1');
        digits.append(static_cast<size_t>(keep), '0');
        ++point;
      }
    }
    if (digits.empty()) {
      digits.assign(1, '0');
      point = 1;
    }
  }
  // `digits` with the decimal point after `point` digits (negative: zeros come first) is the
  // rounded value; lay it out digit by digit.
  auto digit_at = [&](int i) {
    return i >= 0 && static_cast<size_t>(i) < digits.size() ? digits[static_cast<size_t>(i)] : '0';
  };
  if (point <= 0) out.push_back('0');
  for (int i = 0; i < point; ++i) out.push_back(digit_at(i));
  if (precision > 0) out.push_back('.');
  for (int i = 0; i < precision; ++i) out.push_back(digit_at(point + i));
  return out;
}

// Right-aligns in `width` columns, as "%<width>..." does.
void Field(std::ostream& out, std::string_view text, int width) {
  for (int i = static_cast<int>(text.size()); i < width; ++i) out.put(' ');
  out << text;
}

}  // namespace

LatencyHistogram::LatencyHistogram(int64_t highest_trackable, int significant_digits)
    : highest_trackable_(std::max<int64_t>(highest_trackable, 2)),
      significant_digits_(std::clamp(significant_digits, 1, 5)),
      min_(std::numeric_limits<int64_t>::max()) {
  const int sub_bucket_count_magnitude = SubBucketCountMagnitude(significant_digits_);
  sub_bucket_half_count_magnitude_ = sub_bucket_count_magnitude - 1;
  sub_bucket_count_ = 1 << sub_bucket_count_magnitude;
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = static_cast<uint64_t>(sub_bucket_count_ - 1);
  leading_zero_count_base_ = 64 - sub_bucket_half_count_magnitude_ - 1;
  bucket_count_ = BucketsNeededToCover(highest_trackable_, sub_bucket_count_);
  counts_.assign(
      static_cast<size_t>(bucket_count_ + 1) * static_cast<size_t>(sub_bucket_half_count_), 0);
}

int64_t LatencyHistogram::ValueFromIndex(size_t index) const noexcept {
  int bucket = static_cast<int>(index >> sub_bucket_half_count_magnitude_) - 1;
  int64_t sub_bucket =
      static_cast<int64_t>(index & static_cast<size_t>(sub_bucket_half_count_ - 1)) +
      sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

int64_t LatencyHistogram::LowestEquivalentValue(int64_t value) const noexcept {
  const int bucket = BucketIndex(value);
  return (value >> bucket) << bucket;
}

int64_t LatencyHistogram::HighestEquivalentValue(int64_t value) const noexcept {
  return LowestEquivalentValue(value) + SizeOfEquivalentRange(value) - 1;
}

int64_t LatencyHistogram::MedianEquivalentValue(int64_t value) const noexcept {
  return LowestEquivalentValue(value) + (SizeOfEquivalentRange(value) >> 1);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) noexcept {
  if (other.total_count_ == 0) return;
  if (SameLayout(other)) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_count_ += other.total_count_;
    saturated_count_ += other.saturated_count_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    return;
  }
  for (size_t i = 0; i < other.counts_.size(); ++i) {
    if (other.counts_[i] != 0) RecordN(other.ValueFromIndex(i), other.counts_[i]);
  }
  // Re-recording at bucket starts would understate the extremes; keep the exact ones.
  if (other.max_ <= highest_trackable_) max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

void LatencyHistogram::Reset() noexcept {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_count_ = 0;
  saturated_count_ = 0;
  min_ = std::numeric_limits<int64_t>::max();
  max_ = 0;
}

int64_t LatencyHistogram::Min() const noexcept {
  return total_count_ == 0 ? 0 : LowestEquivalentValue(min_);
}

int64_t LatencyHistogram::Max() const noexcept {
  return max_ == 0 ? 0 : HighestEquivalentValue(max_);
}

double LatencyHistogram::Mean() const noexcept {
  if (total_count_ == 0) return 0.0;
  double total = 0.0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) {
      total += static_cast<double>(MedianEquivalentValue(ValueFromIndex(i))) *
               static_cast<double>(counts_[i]);
    }
  }
  return total / static_cast<double>(total_count_);
}

double LatencyHistogram::StdDeviation() const noexcept {
  if (total_count_ == 0) return 0.0;
  const double mean = Mean();
  double total = 0.0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) {
      const double deviation = static_cast<double>(MedianEquivalentValue(ValueFromIndex(i))) - mean;
      total += deviation * deviation * static_cast<double>(counts_[i]);
    }
  }
  return std::sqrt(total / static_cast<double>(total_count_));
}

int64_t LatencyHistogram::ValueAtPercentile(double percentile) const noexcept {
  if (total_count_ == 0) return 0;
  // One ulp below the request keeps 99.9% of 1000 values from rounding up to the 1000th.
  const double requested =
      std::clamp(std::nextafter(percentile, -std::numeric_limits<double>::infinity()), 0.0, 100.0);
  const auto count_at_percentile = std::max<int64_t>(
      static_cast<int64_t>(std::ceil(requested / 100.0 * static_cast<double>(total_count_))), 1);
  int64_t cumulative = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i];
    if (cumulative >= count_at_percentile) {
      const int64_t value = ValueFromIndex(i);
      return percentile == 0.0 ? LowestEquivalentValue(value) : HighestEquivalentValue(value);
    }
  }
  return 0;
}

int64_t LatencyHistogram::CountAtValue(int64_t value) const noexcept {
  value = std::clamp<int64_t>(value, 0, highest_trackable_);
  return counts_[CountsIndex(value)];
}

LatencySummary LatencyHistogram::Summary() const noexcept {
  LatencySummary s;
  s.count = total_count_;
  s.min = Min();
  s.p50 = ValueAtPercentile(50.0);
  s.p90 = ValueAtPercentile(90.0);
  s.p99 = ValueAtPercentile(99.0);
  s.p999 = ValueAtPercentile(99.9);
  s.p9999 = ValueAtPercentile(99.99);
  s.max = Max();
  s.mean = Mean();
  return s;
}

void LatencyHistogram::WritePercentileDistribution(std::ostream& out, int ticks_per_half_distance,
                                                   double value_unit_scaling) const {
  ticks_per_half_distance = std::max(ticks_per_half_distance, 1);
  if (!(value_unit_scaling > 0.0)) value_unit_scaling = 1.0;
  const int digits = significant_digits_;
  out << "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";

  // HdrHistogram's PercentileIterator: walk the buckets in value order; a bucket with counts is
  // reported once for every percentile level its cumulative count reaches, and the level steps
  // halve their distance to 100% every `ticks_per_half_distance` ticks. When the last count is
  // reached, one final line reports 100%.
  if (total_count_ > 0) {
    const double total = static_cast<double>(total_count_);
    double level = 0.0;
    bool reported_last = false;
    size_t index = 0;
    int64_t cumulative = 0;
    bool fresh = true;  // counts_[index] not yet added to `cumulative`
    while (true) {
      if (cumulative >= total_count_) {
        if (reported_last) break;
        level = 100.0;
        reported_last = true;
      }
      while (true) {
        if (index >= counts_.size()) return;  // unreachable while the counts add up
        if (fresh) {
          cumulative += counts_[index];
          fresh = false;
        }
        if (counts_[index] != 0 && 100.0 * static_cast<double>(cumulative) / total >= level) break;
        ++index;
        fresh = true;
      }
      const double value =
          static_cast<double>(HighestEquivalentValue(ValueFromIndex(index))) / value_unit_scaling;
      // "%12.<digits>f %2.12f %10d %14.2f"; the 100% line has no last column.
      Field(out, JavaFixed(value, digits), 12);
      out << ' ';
      Field(out, JavaFixed(level / 100.0, 12), 2);
      out << ' ';
      Field(out, std::to_string(cumulative), 10);
      if (level != 100.0) {
        out << ' ';
        Field(out, JavaFixed(1.0 / (1.0 - level / 100.0), 2), 14);
        // Java's expression, truncation included, so that the ticks fall where HdrHistogram's do.
        const double halvings =
            std::min(std::trunc(std::log(100.0 / (100.0 - level)) / std::log(2.0)), 60.0);
        level += 100.0 / (ticks_per_half_distance * std::exp2(halvings + 1.0));
      }
      out << '\n';
    }
  }

  out << "#[Mean    = ";
  Field(out, JavaFixed(Mean() / value_unit_scaling, digits), 12);
  out << ", StdDeviation   = ";
  Field(out, JavaFixed(StdDeviation() / value_unit_scaling, digits), 12);
  out << "]\n#[Max     = ";
  Field(out, JavaFixed(static_cast<double>(Max()) / value_unit_scaling, digits), 12);
  out << ", Total count    = ";
  Field(out, std::to_string(total_count_), 12);
  out << "]\n#[Buckets = ";
  Field(out, std::to_string(bucket_count_), 12);
  out << ", SubBuckets     = ";
  Field(out, std::to_string(sub_bucket_count_), 12);
  out << "]\n";
}

std::string LatencyHistogram::PercentileDistribution(int ticks_per_half_distance,
                                                     double value_unit_scaling) const {
  std::ostringstream out;
  WritePercentileDistribution(out, ticks_per_half_distance, value_unit_scaling);
  return std::move(out).str();
}

absl::Status LatencyHistogram::WriteHgrmFile(const std::string& path, int ticks_per_half_distance,
                                             double value_unit_scaling) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError("cannot open " + path + " for writing");
  WritePercentileDistribution(out, ticks_per_half_distance, value_unit_scaling);
  out.flush();
  if (!out) return absl::DataLossError("failed writing " + path);
  return absl::OkStatus();
}

}  // namespace cascade
