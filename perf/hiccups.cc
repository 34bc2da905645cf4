#include "perf/hiccups.h"

#include "perf/tsc_timer.h"

namespace cascade {

HiccupRun MeasureHiccups(double seconds, int64_t min_gap_ns) {
  HiccupRun run;
  run.seconds = seconds;
  const double ns_per_tick = NsPerTick();
  const auto min_gap_ticks = static_cast<uint64_t>(static_cast<double>(min_gap_ns) / ns_per_tick);
  const uint64_t start = TimerNow();
  const uint64_t end = start + static_cast<uint64_t>(seconds * 1e9 / ns_per_tick);
  uint64_t lost_ticks = 0;
  for (uint64_t previous = start, now = start; now < end; previous = now) {
    now = TimerNow();
    const uint64_t gap = now - previous;
    if (gap < min_gap_ticks) continue;
    lost_ticks += gap;
    const auto gap_ns = static_cast<int64_t>(static_cast<double>(gap) * ns_per_tick);
    run.gaps.Record(gap_ns);
    if (gap_ns >= 10'000) ++run.gaps_over_10us;
  }
  run.lost_fraction = static_cast<double>(lost_ticks) / static_cast<double>(end - start);
  return run;
}

}  // namespace cascade
