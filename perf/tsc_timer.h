#pragma once

// Timestamp-counter reads for measuring short spans (tens of nanoseconds) from outside the engine:
// benchmarks, cascade-replay --profile. The engine itself reads no clock.

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#else
#include <chrono>
#endif

namespace cascade {

// On x86 the fences keep the measured work inside the two reads; elsewhere both fall back to
// steady_clock (NsPerTick() is then 1).
#if defined(__x86_64__) || defined(__i386__)
inline uint64_t TimerStart() noexcept {
  _mm_lfence();
  const uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
}
inline uint64_t TimerStop() noexcept {
  unsigned aux;
  const uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}
// An unfenced read, for stage boundaries inside a timed span: cheaper, and the fences of the
// span's own TimerStart/TimerStop bound the whole.
inline uint64_t TimerNow() noexcept { return __rdtsc(); }
#else
inline uint64_t TimerStart() noexcept {
  return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}
inline uint64_t TimerStop() noexcept { return TimerStart(); }
inline uint64_t TimerNow() noexcept { return TimerStart(); }
#endif

// Nanoseconds per timer tick, calibrated once (50 ms) against steady_clock.
[[nodiscard]] double NsPerTick();
// Median cost of an empty TimerStart/TimerStop pair in ns: included in every latency sample.
[[nodiscard]] double TimerOverheadNs();

}  // namespace cascade
