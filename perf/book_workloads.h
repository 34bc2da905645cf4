#pragma once

#include "perf/bench_harness.h"

namespace cascade::bench {

// The BM_Book_* workloads. Each is generated once, deterministically (seeded), by driving a
// generator engine so that every command is valid when it is issued (no rejects: an amend never
// names a finished order, a crossing order is placed where it really crosses), and replayed by the
// benchmark. The timed sizes are constants so that benchmarks can register a fixed iteration
// count (one iteration = one command) before generating anything; `ops` overrides them for
// experiments (a short stream under callgrind, say).

// Every workload trades around this price (ticks: 10,000.00 at the 0.01 tick).
inline constexpr int64_t kWorkloadMid = 1'000'000;

inline constexpr size_t kAddOps = 1'000'000;
inline constexpr size_t kCancelOps = 1'000'000;
inline constexpr size_t kAggressiveMatchOps = 300'000;
inline constexpr size_t kAmendOps = 1'000'000;
inline constexpr size_t kExchangeCoreMixOps = 3'000'000;
inline constexpr size_t kDeepBookOps = 1'000'000;
inline constexpr size_t kFlashCrashOps = 40'000;

// Adds 1,000,000 GTC limits into an empty book, ~2,000 levels, never crossing.
[[nodiscard]] Workload AddWorkload(size_t ops = kAddOps);
// Cancels the 1,000,000 orders of AddWorkload's book, in random order.
[[nodiscard]] Workload CancelWorkload(size_t ops = kCancelOps);
// 300,000 IOC buys into 400,000 resting asks (10 per tick): every op trades, ~1-2 fills each.
[[nodiscard]] Workload AggressiveMatchWorkload(size_t ops = kAggressiveMatchOps);
// 1,000,000 amends of ~1,000 resting orders: half quantity changes in place, half price moves
// within the order's own side (never crossing).
[[nodiscard]] Workload AmendWorkload(size_t ops = kAmendOps);
// exchange-core's benchmark mix: 9% GTC, 3% IOC, 6% cancel, 82% amend/move, ~1,000 live orders
// over ~750 price levels, ~6% of commands trading. 3,000,000 timed commands after 500,000 of
// warm-up (fewer for tools/perf-check, which runs under callgrind).
inline constexpr size_t kExchangeCoreMixWarmup = 500'000;
[[nodiscard]] Workload ExchangeCoreMixWorkload(size_t ops = kExchangeCoreMixOps,
                                               size_t warmup = kExchangeCoreMixWarmup);
// The same mix over a deep book: 100,000 resting orders spread over ~20,000 levels.
[[nodiscard]] Workload DeepBookWorkload(size_t ops = kDeepBookOps);
// A sell-off through 60,000 bids on 30,000 ticks that walks the best bid down ~25,000 ticks in
// 40,000 commands: sweeping IOC sells, sellers re-quoting just above the falling bid, stale asks
// pulled, dip buyers, and 1,000 sell stop-markets triggering (market orders) on the way down.
[[nodiscard]] Workload FlashCrashWorkload(size_t ops = kFlashCrashOps);

}  // namespace cascade::bench
