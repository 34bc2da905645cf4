#include "perf/tsc_timer.h"

#include <chrono>

#include "perf/latency_histogram.h"

namespace cascade {

double NsPerTick() {
  static const double ns_per_tick = [] {
    using Clock = std::chrono::steady_clock;
    const auto wall_start = Clock::now();
    const uint64_t ticks_start = TimerStart();
    while (Clock::now() - wall_start < std::chrono::milliseconds(50)) {
    }
    const uint64_t ticks = TimerStop() - ticks_start;
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - wall_start).count();
    return ticks == 0 ? 1.0 : static_cast<double>(ns) / static_cast<double>(ticks);
  }();
  return ns_per_tick;
}

double TimerOverheadNs() {
  static const double overhead = [] {
    LatencyHistogram h;
    const double ns_per_tick = NsPerTick();
    for (int i = 0; i < 100'000; ++i) {
      const uint64_t start = TimerStart();
      const uint64_t stop = TimerStop();
      h.Record(static_cast<int64_t>(static_cast<double>(stop - start) * ns_per_tick));
    }
    return static_cast<double>(h.ValueAtPercentile(50.0));
  }();
  return overhead;
}

}  // namespace cascade
