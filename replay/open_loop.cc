#include "replay/open_loop.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/journal/reader.h"
#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "perf/tsc_timer.h"
#include "replay/format_util.h"
#include "replay/generator.h"
#include "replay/pipeline.h"
#include "replay/replayer.h"

namespace cascade::replay {

absl::StatusOr<InputFrames> JournalFrames(const std::string& path,
                                          std::optional<uint64_t> stop_at_seq) {
  absl::StatusOr<EngineConfig> config = SizeForJournal(path);
  if (!config.ok()) return config.status();
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  InputFrames in;
  in.config = *config;
  journal::Frame frame;
  Command c;
  while (reader->Next(frame)) {
    if (wire::Read(frame.payload, c) != RejectReason::kNone) continue;
    if (stop_at_seq.has_value() && c.seq.value() > *stop_at_seq) break;
    in.Append(frame.payload);
  }
  return in;
}

absl::StatusOr<InputFrames> ScenarioFrames(const Scenario& scenario,
                                           std::optional<uint64_t> stop_at_seq) {
  ScenarioGenerator generator(scenario);
  InputFrames in;
  in.config = generator.engine_config();
  wire::Encoder encoder;
  Command c;
  while (generator.Next(c)) {
    if (stop_at_seq.has_value() && c.seq.value() > *stop_at_seq) break;
    in.Append(encoder.Encode(c));
  }
  return in;
}

absl::StatusOr<OpenLoopRun> RunOpenLoop(const InputFrames& input, double offered_per_s,
                                        size_t warmup) {
  Pipeline pipeline(input.config);
  if (absl::Status st = pipeline.JournalTo("/dev/null"); !st.ok()) return st;
  warmup = std::min(warmup, input.size());
  for (size_t i = 0; i < warmup; ++i) (void)pipeline.Process(input.frame(i));
  OpenLoopRun run;
  run.offered_per_s = offered_per_s;
  const double ns_per_tick = NsPerTick();
  const double interval_ticks = offered_per_s > 0 ? 1e9 / offered_per_s / ns_per_tick : 0;
  const size_t n = input.size();
  const uint64_t start = TimerStart();
  uint64_t end = start;
  for (size_t i = warmup; i < n; ++i) {
    uint64_t now = TimerNow();
    uint64_t scheduled = now;
    if (interval_ticks > 0) {
      scheduled = start + static_cast<uint64_t>(static_cast<double>(i - warmup) * interval_ticks);
      while (now < scheduled) now = TimerNow();
    }
    (void)pipeline.Process(input.frame(i));
    end = TimerNow();
    run.latency.Record(static_cast<int64_t>(static_cast<double>(end - scheduled) * ns_per_tick));
    ++run.messages;
  }
  if (absl::Status st = pipeline.CloseJournal(); !st.ok()) return st;
  const double seconds = static_cast<double>(end - start) * ns_per_tick / 1e9;
  run.achieved_per_s = seconds > 0 ? static_cast<double>(run.messages) / seconds : 0;
  return run;
}

std::vector<double> DefaultOpenLoopRates(double saturation_per_s) {
  std::vector<double> rates;
  for (double fraction : {0.25, 0.5, 0.75, 0.9, 1.0}) {
    // Round to two significant digits so the table and file names read well.
    const double r = fraction * saturation_per_s;
    const double scale = std::pow(10.0, std::floor(std::log10(std::max(r, 1.0))) - 1);
    rates.push_back(std::max(1.0, std::round(r / scale) * scale));
  }
  return rates;
}

void PrintOpenLoop(std::ostream& out, const std::vector<OpenLoopRun>& runs) {
  out << "open loop: latency from each message's scheduled arrival to its last event encoded "
         "(decode + journal write + engine + encode)\n";
  out << absl::StrFormat("  %-12s %12s %11s %9s %9s %9s %9s %9s %9s\n", "offered/s", "achieved/s",
                         "messages", "p50", "p90", "p99", "p99.9", "p99.99", "max");
  for (const OpenLoopRun& r : runs) {
    const LatencySummary s = r.latency.Summary();
    out << absl::StrFormat(
        "  %-12s %12s %11s %9s %9s %9s %9s %9s %9s\n",
        r.offered_per_s > 0 ? WithCommas(static_cast<uint64_t>(r.offered_per_s)) : "unpaced",
        WithCommas(static_cast<uint64_t>(r.achieved_per_s)), WithCommas(r.messages),
        FormatNs(s.p50), FormatNs(s.p90), FormatNs(s.p99), FormatNs(s.p999), FormatNs(s.p9999),
        FormatNs(s.max));
  }
}

void PrintHiccups(std::ostream& out, const HiccupRun& h) {
  const LatencySummary s = h.gaps.Summary();
  out << absl::StrFormat(
      "machine: a thread doing nothing but read the clock for %.0f s lost %.2f%% of the time in "
      "%s gaps of 1 us or more (%s of 10 us or more, %s/s); gap p50 %s, p99 %s, max %s. Any "
      "offered rate sees about that share of its messages delayed by such a gap.\n",
      h.seconds, 100.0 * h.lost_fraction, WithCommas(static_cast<uint64_t>(s.count)),
      WithCommas(h.gaps_over_10us),
      WithCommas(static_cast<uint64_t>(static_cast<double>(h.gaps_over_10us) / h.seconds)),
      FormatNs(s.p50), FormatNs(s.p99), FormatNs(s.max));
}

absl::Status WriteOpenLoopHgrm(const std::string& dir, const std::vector<OpenLoopRun>& runs) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir));
  for (const OpenLoopRun& r : runs) {
    const std::string rate =
        r.offered_per_s > 0 ? absl::StrCat(static_cast<uint64_t>(r.offered_per_s)) : "unpaced";
    const std::string path = absl::StrCat(dir, "/open_loop.", rate, ".hgrm");
    if (absl::Status st = r.latency.WriteHgrmFile(path, 5, 1000.0); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace cascade::replay
