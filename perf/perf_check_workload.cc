// One fixed, deterministic workload for tools/perf-check, which runs this under
// `valgrind --tool=callgrind --instr-atstart=no`: generation and setup run uninstrumented, and
// only the measured loop is counted (between the CALLGRIND_*_INSTRUMENTATION requests), so the
// instruction count divided by the messages printed is the cost per message.
//
//   perf_check_workload book [N] exchange-core's mix, the engine alone (a symbol without margin)
//   perf_check_workload full [N] the same commands as frames on a margined symbol: decode, the
//                                engine with its margin checks and sweep, encode (perf/full_path.h)
//   perf_check_workload cascade  the smoke scenario's frames through the same path (a 4-deep
//                                liquidation cascade with ADL)
// Prints "messages N".
//
// tools/perf-stat runs the same workloads under `perf stat --control fd:CTL,ACK -D -1`: with
// CASCADE_PERF_CTL_FD and CASCADE_PERF_ACK_FD set, the counters are enabled around the same loop.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "perf/full_path.h"
#include "replay/pipeline.h"
#include "replay/scenario.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else  // without valgrind's headers the workload still runs; tools/perf-check needs them
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

namespace {

using namespace cascade;         // NOLINT(build/namespaces): a main file
using namespace cascade::bench;  // NOLINT(build/namespaces)

int EnvFd(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : -1;
}

// perf stat's control protocol: a command on the control fd, then wait for its "ack".
void PerfControl(const char* command) {
  static const int ctl = EnvFd("CASCADE_PERF_CTL_FD");
  static const int ack = EnvFd("CASCADE_PERF_ACK_FD");
  if (ctl < 0) return;
  if (write(ctl, command, std::strlen(command)) < 0) return;
  char reply[16];
  if (ack >= 0) (void)!read(ack, reply, sizeof reply);
}

void MeasureStart() {
  PerfControl("enable\n");
  CALLGRIND_START_INSTRUMENTATION;
}
void MeasureStop() {
  CALLGRIND_STOP_INSTRUMENTATION;
  PerfControl("disable\n");
}

// Small enough for callgrind in seconds; the warm-up still brings the book to its ~1,000 orders.
constexpr size_t kMixOps = 20'000;
constexpr size_t kMixWarmup = 20'000;

uint64_t Book(size_t ops) {
  const Workload w = ExchangeCoreMixWorkload(ops, kMixWarmup);
  uint64_t seq = 0;
  std::unique_ptr<Engine> engine = MakeEngine(w, seq);
  uint64_t events = 0;
  MeasureStart();
  for (const BookOp& op : w.timed) events += engine->Apply(ToCommand(op, seq++)).size();
  MeasureStop();
  std::fprintf(stderr, "events %llu\n", static_cast<unsigned long long>(events));
  return w.timed.size();
}

// Frames [from, size) through a pipeline that has applied the frames before them.
uint64_t Frames(const replay::InputFrames& frames, size_t from) {
  replay::Pipeline pipeline(frames.config);
  for (size_t i = 0; i < from; ++i) (void)pipeline.Process(frames.frame(i));
  uint64_t events = 0;
  MeasureStart();
  for (size_t i = from; i < frames.size(); ++i) events += pipeline.Process(frames.frame(i)).size();
  MeasureStop();
  std::fprintf(stderr, "events %llu, decode errors %llu\n", static_cast<unsigned long long>(events),
               static_cast<unsigned long long>(pipeline.decode_errors()));
  return frames.size() - from;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc >= 2 ? argv[1] : "";
  // The mix's length: tools/perf-check's baseline is for the default; perf-stat runs longer.
  const size_t ops = argc >= 3 ? std::strtoull(argv[2], nullptr, 10) : kMixOps;
  uint64_t messages = 0;
  if (which == "book" && ops > 0) {
    messages = Book(ops);
  } else if (which == "full" && ops > 0) {
    const MarginFrames m = MarginWorkloadFrames(ExchangeCoreMixWorkload(ops, kMixWarmup));
    messages = Frames(m.frames, m.setup);
  } else if (which == "cascade") {
    absl::StatusOr<replay::Scenario> s = replay::LoadScenario("smoke", {});
    if (!s.ok()) {
      std::fprintf(stderr, "smoke: %s\n", std::string(s.status().message()).c_str());
      return 1;
    }
    absl::StatusOr<replay::InputFrames> frames = replay::ScenarioFrames(*s, std::nullopt);
    if (!frames.ok()) return 1;
    messages = Frames(*frames, 0);
  } else {
    std::fprintf(stderr, "usage: perf_check_workload book|full|cascade [mix commands]\n");
    return 2;
  }
  std::printf("messages %llu\n", static_cast<unsigned long long>(messages));
  return 0;
}
