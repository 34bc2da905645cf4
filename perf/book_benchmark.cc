// BM_Book_*: the order book under single-purpose streams (add, cancel, aggressive match, amend),
// exchange-core's mix, a deep book and a flash crash. One iteration is one command; each benchmark
// reports items_per_second (commands per second), per-command latency percentiles in ns, and heap
// allocations per command. The streams are generated before timing (book_workloads.h).
#include <benchmark/benchmark.h>

#include <memory>

#include "perf/bench_harness.h"
#include "perf/book_workloads.h"

namespace cascade::bench {
namespace {

// Generating a workload takes longer than replaying it; keep the last one for repetitions.
const Workload& Cached(Workload (*generate)()) {
  static Workload (*cached_generator)() = nullptr;
  static std::unique_ptr<Workload> cached;
  if (cached_generator != generate) {
    cached.reset();  // free the previous workload first: they are hundreds of MB
    cached = std::make_unique<Workload>(generate());
    cached_generator = generate;
  }
  return *cached;
}

void BM_Book_Add(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return AddWorkload(); }), "BM_Book_Add");
}
void BM_Book_Cancel(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return CancelWorkload(); }), "BM_Book_Cancel");
}
void BM_Book_AggressiveMatch(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return AggressiveMatchWorkload(); }), "BM_Book_AggressiveMatch");
}
void BM_Book_Amend(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return AmendWorkload(); }), "BM_Book_Amend");
}
void BM_Book_ExchangeCoreMix(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return ExchangeCoreMixWorkload(); }), "BM_Book_ExchangeCoreMix");
}
void BM_Book_DeepBook(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return DeepBookWorkload(); }), "BM_Book_DeepBook");
}
void BM_Book_FlashCrash(benchmark::State& state) {
  RunWorkload(state, Cached(+[] { return FlashCrashWorkload(); }), "BM_Book_FlashCrash");
}

BENCHMARK(BM_Book_Add)->Iterations(kAddOps);
BENCHMARK(BM_Book_Cancel)->Iterations(kCancelOps);
BENCHMARK(BM_Book_AggressiveMatch)->Iterations(kAggressiveMatchOps);
BENCHMARK(BM_Book_Amend)->Iterations(kAmendOps);
BENCHMARK(BM_Book_ExchangeCoreMix)->Iterations(kExchangeCoreMixOps);
BENCHMARK(BM_Book_DeepBook)->Iterations(kDeepBookOps);
BENCHMARK(BM_Book_FlashCrash)->Iterations(kFlashCrashOps);

}  // namespace
}  // namespace cascade::bench
