// cascade-replay: replays a recorded journal, or generates and runs a sell-off scenario, and
// reports the liquidation cascade and the engine's latency. The command-line contract is in
// docs/replay.md; scripts rely on the last two lines printed being
//   output-digest: HEX
//   state-digest: HEX
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "engine/risk/presets.h"
#include "replay/open_loop.h"
#include "replay/profile.h"
#include "replay/report.h"
#include "replay/scenario.h"

namespace {

using namespace cascade;          // NOLINT(build/namespaces): a main file
using namespace cascade::replay;  // NOLINT(build/namespaces)

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkipped = 77;  // the real data a scenario needs is absent

constexpr const char* kUsage =
    "usage: cascade-replay (JOURNAL | --scenario NAME|FILE) [--seed N] [--preset P] [--lambda X]\n"
    "                      [--json FILE] [--html FILE] [--save-journal FILE] [--events FILE]\n"
    "                      [--compare] [--buckets N] [--hgrm PREFIX] [--stop-at-seq N]\n"
    "                      [--stop-at-time T] [--snapshot-at SEQ FILE] [--from-snapshot FILE]\n"
    "                      [--data-dir DIR] [--profile DIR [--rate R[,R...]] [--open-loop]]\n"
    "                      [--quiet] [--list]\n";

constexpr const char* kHelp =
    "\n"
    "  JOURNAL            replay an input journal through a fresh engine\n"
    "  --scenario NAME    generate and run a sell-off scenario: a built-in name (see --list) or a\n"
    "                     scenario .json file (schema: replay/scenario.fbs)\n"
    "  --seed N           the scenario's random seed (default: the scenario's)\n"
    "  --preset P         venue rules: binance, hyperliquid or dydx (journals: rewrites every\n"
    "                     symbol's configuration)\n"
    "  --lambda X         index-impact coupling for every symbol, in the engine's units\n"
    "                     (risk-model.md section 4); 0 turns it off\n"
    "  --compare          run the scenario under every preset and print the differences\n"
    "  --buckets N        population size (the scale follows it)\n"
    "  --json FILE        the JSON report          --html FILE    the HTML report\n"
    "  --save-journal F   the input as a journal   --events FILE  the output events (a journal,\n"
    "                                              or JSON lines if FILE ends in .json/.jsonl)\n"
    "  --hgrm PREFIX      latency histograms as PREFIX.per_event.hgrm, ... (microseconds)\n"
    "  --stop-at-seq N    stop after input N and print the book and the buckets\n"
    "  --stop-at-time T   stop before the first input after T (Unix ns or RFC 3339)\n"
    "  --snapshot-at SEQ FILE  write an engine snapshot after input SEQ\n"
    "  --from-snapshot FILE    (journals) start from a snapshot; inputs it holds are skipped\n"
    "  --data-dir DIR     folder of the real market data (default: CASCADE_DATA_DIR)\n"
    "  --profile DIR      per-stage latency (decode, journal_write, matching, risk_sweep, encode,\n"
    "                     total) and per message type: a table, and DIR/<stage>.hgrm\n"
    "  --rate R[,R...]    (with --profile) then feed the input open loop at each offered rate\n"
    "                     (msg/s), latency from each message's scheduled time: a table and\n"
    "                     DIR/open_loop.<R>.hgrm\n"
    "  --open-loop        (with --profile) open loop at 25/50/75/90/100% of the unpaced rate\n"
    "  --quiet            no progress line (it is only shown on a terminal anyway)\n"
    "\n"
    "The last two lines printed are `output-digest: HEX` and `state-digest: HEX`.\n"
    "Exit status: 0 done, 1 error, 2 usage, 77 the scenario's real data is absent.\n";

int Usage(const std::string& message) {
  if (!message.empty()) std::cerr << "cascade-replay: " << message << "\n";
  std::cerr << kUsage;
  return kExitUsage;
}

int Fail(const absl::Status& status) {
  std::cerr << "cascade-replay: " << status.message() << "\n";
  return kExitError;
}

struct Args {
  std::string journal;
  std::string scenario;
  std::optional<uint64_t> seed;
  std::optional<RiskPreset> preset;
  std::optional<double> lambda;
  std::optional<int64_t> buckets;
  std::string json_path;
  std::string html_path;
  std::string save_journal;
  std::string events;
  std::string hgrm;
  std::string data_dir;
  std::optional<uint64_t> stop_at_seq;
  std::optional<int64_t> stop_at_ns;
  std::optional<uint64_t> snapshot_at_seq;
  std::string snapshot_path;
  std::string from_snapshot;
  std::string profile_dir;
  std::vector<double> rates;
  bool open_loop = false;
  bool compare = false;
  bool quiet = false;
  bool list = false;
};

std::optional<int> Parse(int argc, char** argv, Args& a) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage << kHelp;
      return 0;
    } else if (arg == "--scenario") {
      if (!value(a.scenario)) return Usage("--scenario needs a name or a file");
    } else if (arg == "--seed") {
      uint64_t seed = 0;
      if (!value(v) || !absl::SimpleAtoi(v, &seed)) return Usage("--seed needs an integer");
      a.seed = seed;
    } else if (arg == "--preset") {
      if (!value(v)) return Usage("--preset needs binance, hyperliquid or dydx");
      absl::StatusOr<RiskPreset> p = risk::ParsePreset(v);
      if (!p.ok()) return Usage(std::string(p.status().message()));
      a.preset = *p;
    } else if (arg == "--lambda") {
      double l = 0;
      if (!value(v) || !absl::SimpleAtod(v, &l) || !(l >= 0) || l > 1e9) {
        return Usage("--lambda needs a number >= 0");
      }
      a.lambda = l;
    } else if (arg == "--buckets") {
      int64_t n = 0;
      if (!value(v) || !absl::SimpleAtoi(v, &n) || n < 1 || n > 100'000'000) {
        return Usage("--buckets needs a count in [1, 100000000]");
      }
      a.buckets = n;
    } else if (arg == "--json") {
      if (!value(a.json_path)) return Usage("--json needs a file");
    } else if (arg == "--html") {
      if (!value(a.html_path)) return Usage("--html needs a file");
    } else if (arg == "--save-journal") {
      if (!value(a.save_journal)) return Usage("--save-journal needs a file");
    } else if (arg == "--events") {
      if (!value(a.events)) return Usage("--events needs a file");
    } else if (arg == "--hgrm") {
      if (!value(a.hgrm)) return Usage("--hgrm needs a path prefix");
    } else if (arg == "--data-dir") {
      if (!value(a.data_dir)) return Usage("--data-dir needs a folder");
    } else if (arg == "--stop-at-seq") {
      uint64_t n = 0;
      if (!value(v) || !absl::SimpleAtoi(v, &n)) return Usage("--stop-at-seq needs a number");
      a.stop_at_seq = n;
    } else if (arg == "--stop-at-time") {
      if (!value(v)) return Usage("--stop-at-time needs a time");
      int64_t ns = 0;
      absl::Time t;
      std::string error;
      if (absl::SimpleAtoi(v, &ns)) {
        a.stop_at_ns = ns;
      } else if (absl::ParseTime(absl::RFC3339_full, v, &t, &error)) {
        a.stop_at_ns = absl::ToUnixNanos(t);
      } else {
        return Usage(absl::StrCat("--stop-at-time: ", error));
      }
    } else if (arg == "--snapshot-at") {
      uint64_t n = 0;
      if (!value(v) || !absl::SimpleAtoi(v, &n) || !value(a.snapshot_path)) {
        return Usage("--snapshot-at needs a sequence number and a file");
      }
      a.snapshot_at_seq = n;
    } else if (arg == "--from-snapshot") {
      if (!value(a.from_snapshot)) return Usage("--from-snapshot needs a file");
    } else if (arg == "--profile") {
      if (!value(a.profile_dir)) return Usage("--profile needs a folder");
    } else if (arg == "--rate") {
      if (!value(v)) return Usage("--rate needs messages per second");
      for (absl::string_view r : absl::StrSplit(v, ',')) {
        double rate = 0;
        if (!absl::SimpleAtod(r, &rate) || !(rate >= 1) || rate > 1e10) {
          return Usage("--rate needs rates in messages per second, comma-separated");
        }
        a.rates.push_back(rate);
      }
    } else if (arg == "--open-loop") {
      a.open_loop = true;
    } else if (arg == "--compare") {
      a.compare = true;
    } else if (arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--list") {
      a.list = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage(absl::StrCat("unknown option ", arg));
    } else if (a.journal.empty()) {
      a.journal = arg;
    } else {
      return Usage("one journal at a time");
    }
  }
  if (a.list) return std::nullopt;
  if (a.journal.empty() == a.scenario.empty()) return Usage("give a JOURNAL or --scenario");
  if (!a.journal.empty() && (a.compare || a.seed.has_value() || a.buckets.has_value())) {
    return Usage("--compare, --seed and --buckets apply to scenarios");
  }
  if (!a.from_snapshot.empty() && a.journal.empty()) {
    return Usage("--from-snapshot continues a journal");
  }
  if ((!a.rates.empty() || a.open_loop) && a.profile_dir.empty()) {
    return Usage("--rate and --open-loop need --profile DIR");
  }
  if (!a.profile_dir.empty() && a.compare) return Usage("--profile runs one engine, not --compare");
  if ((!a.rates.empty() || a.open_loop) && !a.journal.empty() &&
      (a.preset.has_value() || a.lambda.has_value() || !a.from_snapshot.empty())) {
    return Usage(
        "open loop replays a journal's frames as recorded: no --preset, --lambda, "
        "--from-snapshot");
  }
  if (a.compare && (!a.save_journal.empty() || !a.events.empty() || a.snapshot_at_seq)) {
    return Usage("--compare runs several engines: --save-journal and --events need one run");
  }
  return std::nullopt;
}

int WriteReports(const Args& a, const RunInfo& info, const ReplayResult& r) {
  if (!a.json_path.empty()) {
    if (absl::Status st = WriteTextFile(a.json_path, JsonReport(info, r)); !st.ok())
      return Fail(st);
  }
  if (!a.html_path.empty()) {
    if (absl::Status st = WriteTextFile(a.html_path, HtmlReport(info, r)); !st.ok())
      return Fail(st);
  }
  if (!a.hgrm.empty()) {
    if (absl::Status st = WriteHgrmFiles(a.hgrm, r); !st.ok()) return Fail(st);
  }
  return 0;
}

// --profile's table and files, then the open-loop runs when asked for.
int Profile(const Args& a, const StageProfile& profile,
            const std::function<absl::StatusOr<InputFrames>()>& frames) {
  std::cout << "\n";
  profile.Print(std::cout);
  if (absl::Status st = profile.WriteHgrm(a.profile_dir); !st.ok()) return Fail(st);
  if (a.rates.empty() && !a.open_loop) return 0;
  absl::StatusOr<InputFrames> input = frames();
  if (!input.ok()) return Fail(input.status());
  std::vector<OpenLoopRun> runs;
  std::vector<double> rates = a.rates;
  if (a.open_loop) {
    absl::StatusOr<OpenLoopRun> unpaced = RunOpenLoop(*input, 0);
    if (!unpaced.ok()) return Fail(unpaced.status());
    for (double r : DefaultOpenLoopRates(unpaced->achieved_per_s)) rates.push_back(r);
    runs.push_back(*std::move(unpaced));
  }
  std::sort(rates.begin(), rates.end());
  for (double rate : rates) {
    absl::StatusOr<OpenLoopRun> run = RunOpenLoop(*input, rate);
    if (!run.ok()) return Fail(run.status());
    runs.push_back(*std::move(run));
  }
  std::cout << "\n";
  PrintOpenLoop(std::cout, runs);
  PrintHiccups(std::cout, MeasureHiccups(2.0));
  if (absl::Status st = WriteOpenLoopHgrm(a.profile_dir, runs); !st.ok()) return Fail(st);
  return 0;
}

void PrintDigests(const ReplayResult& r) {
  std::cout << absl::StrFormat("output-digest: %016x\nstate-digest: %016x\n", r.output_digest,
                               r.state_digest);
  std::cout.flush();
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (std::optional<int> exit = Parse(argc, argv, a)) return *exit;
  if (a.list) {
    std::cout << absl::StrJoin(BuiltinScenarioNames(), "\n") << "\n";
    return 0;
  }
  ReplayOptions options;
  options.stop_at_seq = a.stop_at_seq;
  options.stop_at_ns = a.stop_at_ns;
  options.events_path = a.events;
  options.save_journal_path = a.save_journal;
  options.progress = !a.quiet && isatty(STDERR_FILENO) == 1;
  options.stop_report = &std::cout;
  options.snapshot_at_seq = a.snapshot_at_seq;
  options.snapshot_path = a.snapshot_path;
  options.from_snapshot_path = a.from_snapshot;
  std::unique_ptr<StageProfile> profile;
  if (!a.profile_dir.empty()) {
    profile = std::make_unique<StageProfile>();
    options.profile = profile.get();
  }

  if (!a.journal.empty()) {
    options.preset = a.preset;
    options.lambda = a.lambda;
    absl::StatusOr<ReplayResult> r = ReplayJournal(a.journal, options);
    if (!r.ok()) return Fail(r.status());
    const RunInfo info = InfoForJournal(a.journal, options);
    std::cout << TerminalReport(info, *r);
    if (int e = WriteReports(a, info, *r); e != 0) return e;
    if (profile != nullptr) {
      if (int e = Profile(a, *profile, [&] { return JournalFrames(a.journal, a.stop_at_seq); });
          e != 0) {
        return e;
      }
    }
    PrintDigests(*r);
    return 0;
  }

  ScenarioOverrides overrides;
  overrides.seed = a.seed;
  overrides.preset = a.preset;
  overrides.lambda = a.lambda;
  overrides.buckets = a.buckets;
  overrides.data_dir = a.data_dir;
  absl::StatusOr<Scenario> scenario = LoadScenario(a.scenario, overrides);
  if (!scenario.ok()) {
    if (absl::IsNotFound(scenario.status()) && BuiltinScenarioText(a.scenario).has_value()) {
      std::cerr << "cascade-replay: skipped: scenario " << a.scenario
                << " needs the real market data, which is absent: " << scenario.status().message()
                << "\n(set CASCADE_DATA_DIR or --data-dir to the folder holding "
                   "binance-btc-2025-10-10/)\n";
      return kExitSkipped;
    }
    return Fail(scenario.status());
  }
  absl::StatusOr<ReplayResult> r = RunScenario(*scenario, options);
  if (!r.ok()) return Fail(r.status());
  const RunInfo info = InfoForScenario(*scenario);
  std::cout << TerminalReport(info, *r);
  if (a.compare) {
    std::vector<std::pair<RunInfo, ReplayResult>> runs;
    runs.emplace_back(info, *r);
    ReplayOptions quiet = options;
    quiet.stop_report = nullptr;
    for (RiskPreset p : {RiskPreset::kBinance, RiskPreset::kHyperliquid, RiskPreset::kDydx}) {
      if (p == scenario->preset) continue;
      ScenarioOverrides o = overrides;
      o.preset = p;
      absl::StatusOr<Scenario> other = LoadScenario(a.scenario, o);
      if (!other.ok()) return Fail(other.status());
      absl::StatusOr<ReplayResult> run = RunScenario(*other, quiet);
      if (!run.ok()) return Fail(run.status());
      runs.emplace_back(InfoForScenario(*other), *std::move(run));
    }
    std::cout << "\n" << CompareReport(runs);
  }
  if (int e = WriteReports(a, info, *r); e != 0) return e;
  if (profile != nullptr) {
    if (int e = Profile(a, *profile, [&] { return ScenarioFrames(*scenario, a.stop_at_seq); });
        e != 0) {
      return e;
    }
  }
  PrintDigests(*r);
  return 0;
}
