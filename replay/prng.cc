#include "replay/prng.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/core/checked_math.h"

namespace cascade::replay {

__extension__ typedef unsigned __int128 uint128;

Rng::Rng(uint64_t seed) noexcept {
  SplitMix64 sm(seed);
  for (uint64_t& s : s_) s = sm.Next();
}

Rng Rng::Stream(uint64_t seed, uint64_t stream) noexcept {
  // Two SplitMix64 rounds keep streams of neighbouring seeds and stream numbers unrelated.
  SplitMix64 mix(seed ^ (0xd1b54a32d192ed03ULL * (stream + 1)));
  mix.Next();
  return Rng(mix.Next());
}

uint64_t Rng::Below(uint64_t n) noexcept {
  if (n == 0) return 0;
  uint128 m = static_cast<uint128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<uint128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::Between(int64_t lo, int64_t hi) noexcept {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + (span == 0 ? Next() : Below(span)));
}

int64_t Rng::Triangular(int64_t half_width) noexcept {
  if (half_width <= 0) return 0;
  return Between(0, half_width) - Between(0, half_width);
}

int64_t Rng::Normalish(int64_t sd) noexcept {
  if (sd <= 0) return 0;
  // Twelve 20-bit uniforms: their sum has mean 6 * 2^20 and variance 2^40 (one unit of 2^20).
  constexpr int64_t kOne = int64_t{1} << 20;
  int64_t sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<int64_t>(Next() >> 44);
  const int64_t z = sum - 6 * kOne;  // N(0, 1) approximately, in units of 2^-20
  const int128 scaled = static_cast<int128>(z) * sd;
  // Round half away from zero, so the distribution stays symmetric.
  const int128 half = kOne / 2;
  return static_cast<int64_t>(scaled >= 0 ? (scaled + half) / kOne : -((-scaled + half) / kOne));
}

absl::StatusOr<PiecewiseLinear> PiecewiseLinear::Create(std::vector<Knot> knots) {
  if (knots.empty()) return absl::InvalidArgumentError("no knots");
  for (size_t i = 1; i < knots.size(); ++i) {
    if (knots[i].x < knots[i - 1].x) {
      return absl::InvalidArgumentError(absl::StrCat("knot ", i, " goes back in x"));
    }
  }
  return PiecewiseLinear(std::move(knots));
}

int64_t PiecewiseLinear::At(int64_t x) const noexcept {
  if (knots_.empty()) return 0;
  if (x <= knots_.front().x) return knots_.front().y;
  if (x >= knots_.back().x) return knots_.back().y;
  // First knot with knot.x > x; its predecessor has knot.x <= x.
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), x,
                                   [](int64_t v, const Knot& k) { return v < k.x; });
  const Knot& b = *it;
  const Knot& a = *(it - 1);
  if (b.x == a.x) return b.y;
  const int128 dy = static_cast<int128>(b.y - a.y) * (x - a.x);
  return a.y + static_cast<int64_t>(dy / (b.x - a.x));
}

absl::StatusOr<QuantileDistribution> QuantileDistribution::Create(std::vector<Knot> knots) {
  if (knots.size() < 2) return absl::InvalidArgumentError("a quantile table needs two knots");
  if (knots.front().x != 0 || knots.back().x != kPpm) {
    return absl::InvalidArgumentError("a quantile table must run from p = 0 to p = 1");
  }
  for (size_t i = 1; i < knots.size(); ++i) {
    if (knots[i].y < knots[i - 1].y) {
      return absl::InvalidArgumentError(absl::StrCat("quantile knot ", i, " decreases"));
    }
  }
  absl::StatusOr<PiecewiseLinear> f = PiecewiseLinear::Create(std::move(knots));
  if (!f.ok()) return f.status();
  return QuantileDistribution(*std::move(f));
}

const QuantileDistribution& UnitExponentialPpm() {
  // -ln(1 - p) * 1e6 at p (ppm); the last knot caps the tail at p = 1 - 1e-6.
  static const QuantileDistribution kTable = [] {
    std::vector<Knot> knots = {
        {0, 0},
        {50000, 51293},
        {100000, 105361},
        {150000, 162519},
        {200000, 223144},
        {250000, 287682},
        {300000, 356675},
        {350000, 430783},
        {400000, 510826},
        {450000, 597837},
        {500000, 693147},
        {550000, 798508},
        {600000, 916291},
        {650000, 1049822},
        {700000, 1203973},
        {750000, 1386294},
        {800000, 1609438},
        {850000, 1897120},
        {900000, 2302585},
        {925000, 2590267},
        {950000, 2995732},
        {970000, 3506558},
        {980000, 3912023},
        {990000, 4605170},
        {995000, 5298317},
        {999000, 6907755},
        {999500, 7600902},
        {999900, 9210340},
        {999990, 11512925},
        {999999, 13815511},
        {1000000, 13815511},
    };
    return *QuantileDistribution::Create(std::move(knots));
  }();
  return kTable;
}

absl::StatusOr<WeightedChoice> WeightedChoice::Create(std::span<const int64_t> weights) {
  if (weights.empty()) return absl::InvalidArgumentError("no choices");
  WeightedChoice c;
  uint64_t total = 0;
  for (int64_t w : weights) {
    if (w < 0) return absl::InvalidArgumentError("negative weight");
    total += static_cast<uint64_t>(w);
    c.cumulative_.push_back(total);
  }
  if (total == 0) return absl::InvalidArgumentError("all weights are zero");
  return c;
}

size_t WeightedChoice::Sample(Rng& rng) const noexcept {
  const uint64_t r = rng.Below(cumulative_.back());
  return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                             cumulative_.begin());
}

uint64_t ISqrt(uint64_t v) noexcept {
  uint64_t lo = 0;
  uint64_t hi = uint64_t{1} << 32;
  while (lo + 1 < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (static_cast<uint128>(mid) * mid <= v) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace cascade::replay
