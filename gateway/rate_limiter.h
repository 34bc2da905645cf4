#pragma once

#include <algorithm>
#include <cstdint>

namespace cascade::gateway {

// A token bucket in integer nanoseconds: `rate` tokens per second, at most `burst` saved up.
// Integer so that the same sequence of times always gives the same answers.
class RateLimiter {
 public:
  RateLimiter(uint32_t per_second, uint32_t burst, int64_t now_ns) noexcept
      : per_second_(per_second),
        capacity_(static_cast<int64_t>(burst) * kScale),
        level_(capacity_),
        last_ns_(now_ns) {}

  // True and one token spent, or false: the caller refuses the message.
  [[nodiscard]] bool TryTake(int64_t now_ns) noexcept {
    if (per_second_ == 0) return true;  // unlimited
    if (now_ns > last_ns_) {
      // Clamp to the time that fills the bucket, so that the product cannot overflow.
      const int64_t elapsed = std::min(now_ns - last_ns_, capacity_ / per_second_ + 1);
      level_ = std::min(capacity_, level_ + elapsed * per_second_);
      last_ns_ = now_ns;
    }
    if (level_ < kScale) return false;
    level_ -= kScale;
    return true;
  }

 private:
  static constexpr int64_t kScale = 1'000'000'000;  // one token = 1e9 units (ns * tokens/s)
  int64_t per_second_;
  int64_t capacity_;
  int64_t level_;
  int64_t last_ns_;
};

}  // namespace cascade::gateway
