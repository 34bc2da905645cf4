#pragma once

#include "perf/bench_harness.h"

namespace cascade::bench {

// The BM_Book_* workloads. Each is generated once, deterministically (seeded), by driving a
// generator engine so that every command is valid when it is issued (no rejects: an amend never
// names a finished order, a crossing order is placed where it really crosses), and replayed by the
// benchmark. The timed sizes are constants so that benchmarks can register a fixed iteration
// count (one iteration = one command) before generating anything.

inline constexpr size_t kAddOps = 1'000'000;
inline constexpr size_t kCancelOps = 1'000'000;
inline constexpr size_t kAggressiveMatchOps = 300'000;
inline constexpr size_t kAmendOps = 1'000'000;
inline constexpr size_t kExchangeCoreMixOps = 3'000'000;
inline constexpr size_t kDeepBookOps = 1'000'000;
inline constexpr size_t kFlashCrashOps = 60'000;

// Adds 1,000,000 GTC limits into an empty book, ~2,000 levels, never crossing.
[[nodiscard]] Workload AddWorkload();
// Cancels the 1,000,000 orders of AddWorkload's book, in random order.
[[nodiscard]] Workload CancelWorkload();
// 300,000 IOC buys into 400,000 resting asks (10 per tick): every op trades, ~1-2 fills each.
[[nodiscard]] Workload AggressiveMatchWorkload();
// 1,000,000 amends of ~1,000 resting orders: half quantity changes in place, half price moves
// within the order's own side (never crossing).
[[nodiscard]] Workload AmendWorkload();
// exchange-core's benchmark mix: 9% GTC, 3% IOC, 6% cancel, 82% amend/move, ~1,000 live orders
// over ~750 price levels, ~6% of commands trading. 3,000,000 timed commands after 500,000 of
// warm-up.
[[nodiscard]] Workload ExchangeCoreMixWorkload();
// The same mix over a deep book: 100,000 resting orders spread over ~20,000 levels.
[[nodiscard]] Workload DeepBookWorkload();
// A sell-off that walks the price down thousands of ticks: sweeping IOC sells, sellers re-quoting
// just above the falling bid, stale asks pulled, dip buyers, and 1,000 sell stop-markets triggering
// on the way down.
[[nodiscard]] Workload FlashCrashWorkload();

}  // namespace cascade::bench
