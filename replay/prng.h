#pragma once

// The scenario generator's randomness: a seeded, portable PRNG and hand-written integer
// distributions. std:: engines are portable but std:: distributions are not (libstdc++ and libc++
// draw differently), and floating-point transcendental functions may differ in the last bit
// between libm builds; a scenario must give the same journal bytes on every machine and build, so
// every draw here is integer arithmetic.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"

namespace cascade::replay {

// SplitMix64 (Steele, Lea, Flood): turns one 64-bit seed into well-mixed words. Used to seed
// xoshiro and to derive independent streams.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) noexcept : state_(seed) {}
  uint64_t Next() noexcept {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// xoshiro256** 1.0 (Blackman and Vigna), seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept;

  // An independent generator for one part of a scenario (the index path of a symbol, the
  // population, the takers, ...), so that changing how many numbers one part draws never shifts
  // what another part draws.
  [[nodiscard]] static Rng Stream(uint64_t seed, uint64_t stream) noexcept;

  uint64_t Next() noexcept {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) without bias (Lemire's multiply-and-reject); 0 when n == 0.
  uint64_t Below(uint64_t n) noexcept;
  // Uniform in [lo, hi], inclusive.
  int64_t Between(int64_t lo, int64_t hi) noexcept;
  // True with probability ppm / 1e6.
  bool Chance(int64_t ppm) noexcept { return static_cast<int64_t>(Below(1'000'000)) < ppm; }
  // Symmetric triangular on [-half_width, half_width]: the sum of two uniforms.
  int64_t Triangular(int64_t half_width) noexcept;
  // Approximately normal with mean 0 and standard deviation `sd` (Irwin-Hall: the sum of 12
  // uniforms on [0, 1) minus 6, in fixed point), bounded by 6 sd.
  int64_t Normalish(int64_t sd) noexcept;

 private:
  static uint64_t Rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// A point of a piecewise-linear function: at x, y. Used for quantile functions (x = cumulative
// probability in parts per million) and for response curves (volatility -> depth fraction).
struct Knot {
  int64_t x = 0;
  int64_t y = 0;
};

// A piecewise-linear function through knots with ascending x; flat outside the first and last.
class PiecewiseLinear {
 public:
  PiecewiseLinear() = default;
  // Refuses an empty list or x that decreases.
  [[nodiscard]] static absl::StatusOr<PiecewiseLinear> Create(std::vector<Knot> knots);
  [[nodiscard]] int64_t At(int64_t x) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return knots_.empty(); }
  [[nodiscard]] std::span<const Knot> knots() const noexcept { return knots_; }

 private:
  explicit PiecewiseLinear(std::vector<Knot> knots) : knots_(std::move(knots)) {}
  std::vector<Knot> knots_;
};

inline constexpr int64_t kPpm = 1'000'000;

// A distribution given by its quantile function (inverse CDF) through knots (p in ppm, value),
// interpolated linearly: a draw is the value at a uniform p. Knots must start at p = 0 and end at
// p = 1e6. This is how calibration figures such as "median 0.016 BTC, p99 1.15 BTC" become a
// distribution without exp/log.
class QuantileDistribution {
 public:
  QuantileDistribution() = default;
  [[nodiscard]] static absl::StatusOr<QuantileDistribution> Create(std::vector<Knot> knots);
  [[nodiscard]] int64_t Sample(Rng& rng) const noexcept {
    return f_.At(static_cast<int64_t>(rng.Below(kPpm + 1)));
  }
  [[nodiscard]] int64_t Quantile(int64_t p_ppm) const noexcept { return f_.At(p_ppm); }
  [[nodiscard]] bool empty() const noexcept { return f_.empty(); }

 private:
  explicit QuantileDistribution(PiecewiseLinear f) : f_(std::move(f)) {}
  PiecewiseLinear f_;
};

// The unit exponential distribution (mean 1) in ppm, as a quantile table of -ln(1 - p) at fixed
// knots (computed once offline; the linear interpolation puts its mean at 1.0045). Inter-arrival
// times of Poisson flow.
[[nodiscard]] const QuantileDistribution& UnitExponentialPpm();

// A discrete choice among indices with integer weights.
class WeightedChoice {
 public:
  WeightedChoice() = default;
  // Refuses an empty list, negative weights and an all-zero total.
  [[nodiscard]] static absl::StatusOr<WeightedChoice> Create(std::span<const int64_t> weights);
  [[nodiscard]] size_t Sample(Rng& rng) const noexcept;
  [[nodiscard]] size_t size() const noexcept { return cumulative_.size(); }

 private:
  std::vector<uint64_t> cumulative_;
};

// floor(sqrt(v)) for v >= 0, exactly, in integers.
[[nodiscard]] uint64_t ISqrt(uint64_t v) noexcept;

}  // namespace cascade::replay
