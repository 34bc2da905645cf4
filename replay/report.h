#pragma once

// Reports of a replay: a compact terminal table, a JSON document with everything measured, one
// self-contained HTML file with inline SVG charts, and HdrHistogram .hgrm files.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "replay/replayer.h"
#include "replay/scenario.h"

namespace cascade::replay {

// What was run: reports name their inputs.
struct RunInfo {
  std::string source;    // "scenario jan29-2026" or the journal path
  std::string scenario;  // scenario name; empty for a journal
  std::string description;
  std::optional<uint64_t> seed;
  std::string preset;                                   // preset name, or "as recorded"
  std::vector<std::pair<std::string, double>> lambdas;  // per symbol, engine units
  std::string engine_version;
  double scale = 1.0;  // share of the real market modelled (1 for a journal)
  int64_t start_ns = 0;
  int64_t duration_ns = 0;
  uint64_t population_buckets = 0;
  std::vector<ReportedFigure> reported;
  std::vector<std::string> calibration;
};

[[nodiscard]] RunInfo InfoForScenario(const Scenario& scenario);
[[nodiscard]] RunInfo InfoForJournal(const std::string& path, const ReplayOptions& options);

// One reported figure next to what emerged (emergent totals divided by the scale).
struct Comparison {
  std::string metric;
  double emergent = 0;
  double low = 0;
  double high = 0;
  std::string note;
  bool known = false;  // the metric has an emergent counterpart
  [[nodiscard]] bool within() const { return emergent >= low && emergent <= high; }
};
[[nodiscard]] std::vector<Comparison> Compare(const RunInfo& info, const ReplayResult& result);

[[nodiscard]] std::string TerminalReport(const RunInfo& info, const ReplayResult& result);
[[nodiscard]] std::string JsonReport(const RunInfo& info, const ReplayResult& result);
[[nodiscard]] std::string HtmlReport(const RunInfo& info, const ReplayResult& result);
// Runs of one scenario under several presets, side by side.
[[nodiscard]] std::string CompareReport(const std::vector<std::pair<RunInfo, ReplayResult>>& runs);

// PREFIX.per_event.hgrm, PREFIX.per_cascade_event.hgrm, PREFIX.per_liquidation.hgrm,
// PREFIX.per_round.hgrm (microseconds, HdrHistogram's percentile-distribution format).
[[nodiscard]] absl::Status WriteHgrmFiles(const std::string& prefix, const ReplayResult& result);

[[nodiscard]] absl::Status WriteTextFile(const std::string& path, const std::string& text);

// Helpers shared by the report writers.
namespace report_internal {
// Notional closed per generation of every episode combined, in USD.
struct Figures {
  double notional_usd = 0;
  double long_share = 0;
  double book_share = 0;
  double fund_share = 0;
  double adl_share = 0;
};
[[nodiscard]] Figures FiguresOf(const GenerationStats& g);
[[nodiscard]] std::string JsonEscape(const std::string& s);
}  // namespace report_internal

}  // namespace cascade::replay
