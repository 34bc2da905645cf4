#pragma once

// How much of the time the machine takes away from a running thread: a loop that does nothing but
// read the timestamp counter sees every interruption (interrupts, the host preempting the
// virtual CPU, page faults) as a gap between two reads. On a quiet dedicated core the gaps are
// rare and short; on a shared VM they set the floor of any open-loop latency tail, because every
// message scheduled during a gap waits for it. Open-loop reports print this next to their tails
// so that a reader can tell the engine's stalls from the machine's (jHiccup's idea).

#include <cstdint>

#include "perf/latency_histogram.h"

namespace cascade {

struct HiccupRun {
  double seconds = 0;
  LatencyHistogram gaps;     // ns, only gaps of at least `min_gap_ns`
  double lost_fraction = 0;  // of the wall time, spent in those gaps
  uint64_t gaps_over_10us = 0;
};

// Spins for `seconds` on the calling thread, recording every gap of at least `min_gap_ns`.
[[nodiscard]] HiccupRun MeasureHiccups(double seconds, int64_t min_gap_ns = 1'000);

}  // namespace cascade
