// Replays the timed stream of one BM_Book_* workload once, and nothing else, so that a profiler
// sees only the engine: generation and set-up run first, then ReplayTimed() applies the stream.
//
//   book_replay <add|cancel|aggressive|amend|mix|deep|crash> [commands]
//   valgrind --tool=callgrind --toggle-collect='*ReplayTimed*' perf/book_replay mix 100000
//   perf record -g perf/book_replay mix
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "perf/book_workloads.h"

namespace {

using cascade::bench::Workload;

// Kept out of line so that callgrind can collect just this function (--toggle-collect).
[[gnu::noinline]] size_t ReplayTimed(cascade::Engine& engine, const Workload& w,
                                     uint64_t first_seq) {
  size_t events = 0;
  for (size_t i = 0; i < w.timed.size(); ++i) {
    events += engine.Apply(cascade::bench::ToCommand(w.timed[i], first_seq + i)).size();
  }
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cascade::bench;
  const std::string which = argc > 1 ? argv[1] : "";
  const size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 0;
  auto size = [&](size_t fallback) { return n > 0 ? n : fallback; };
  Workload w;
  if (which == "add") {
    w = AddWorkload(size(kAddOps));
  } else if (which == "cancel") {
    w = CancelWorkload(size(kCancelOps));
  } else if (which == "aggressive") {
    w = AggressiveMatchWorkload(size(kAggressiveMatchOps));
  } else if (which == "amend") {
    w = AmendWorkload(size(kAmendOps));
  } else if (which == "mix") {
    w = ExchangeCoreMixWorkload(size(kExchangeCoreMixOps));
  } else if (which == "deep") {
    w = DeepBookWorkload(size(kDeepBookOps));
  } else if (which == "crash") {
    w = FlashCrashWorkload(size(kFlashCrashOps));
  } else {
    std::fprintf(stderr, "usage: %s <add|cancel|aggressive|amend|mix|deep|crash> [commands]\n",
                 argv[0]);
    return 2;
  }
  uint64_t first_seq = 0;
  auto engine = MakeEngine(w, first_seq);
  const auto start = std::chrono::steady_clock::now();
  const size_t events = ReplayTimed(*engine, w, first_seq);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %zu commands, %zu events, %.1f ns/command (wall clock), %zu live orders\n",
              which.c_str(), w.timed.size(), events,
              seconds * 1e9 / static_cast<double>(w.timed.size()), engine->live_orders());
  return 0;
}
