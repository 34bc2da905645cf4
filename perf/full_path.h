#pragma once

// Full-path workloads: input frames (what a gateway journals) through verify + decode, the
// engine with its margin checks and risk sweep, and encoding of every event
// (replay/pipeline.h). Used by perf/full_path_benchmark.cc and tools/perf-check.

#include <cstddef>
#include <cstdint>

#include "perf/book_workloads.h"
#include "replay/open_loop.h"

namespace cascade::bench {

// A book workload's commands as frames on a margined symbol: Binance's BTC tiers and fees, an
// external mark and index at the mid, and every account funded far beyond what it trades, so that
// every order goes through the margin check and none is refused or liquidated (the trades are
// the book workload's own, which the benchmark checks).
struct MarginFrames {
  replay::InputFrames frames;
  size_t setup = 0;  // frames applied before timing: configuration, deposits, the workload's setup
};
[[nodiscard]] MarginFrames MarginWorkloadFrames(const Workload& w);

}  // namespace cascade::bench
