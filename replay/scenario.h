#pragma once

// A sell-off scenario, loaded from JSON (replay/scenario.fbs) and converted once to the engine's
// integer units. Nothing here is a FlatBuffers type: the schema's generated code stays inside
// scenario.cc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/strong_int.h"
#include "engine/core/symbol_config.h"
#include "replay/prng.h"

namespace cascade::replay {

inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr int64_t kAtomsPerUsd = 1'000'000;

struct LevelSpec {
  std::string name;
  int64_t price = 0;  // ticks
};

struct KeyframeSpec {
  int64_t t_ns = 0;       // from the scenario start
  int64_t price = 0;      // ticks
  int64_t noise_ppm = 0;  // standard deviation of one step, ppm of the price
  int64_t step_ns = 0;
};

enum class IndexSource : uint8_t { kSynthetic, kBinanceOct10 };
enum class DepthSource : uint8_t { kVolatility, kBinanceOct10 };

struct IndexSpec {
  IndexSource source = IndexSource::kSynthetic;
  std::vector<KeyframeSpec> keyframes;  // for kBinanceOct10, filled from the data when loaded
  int64_t reversion_ppm = 0;
  int follow = -1;  // index in Scenario::symbols of the symbol whose noise this one shares
  int64_t follow_ppm = 0;
};

struct DepthSpec {
  DepthSource source = DepthSource::kVolatility;
  // Cumulative notional per side within 0.1%, 1% and 5% of the index (atoms, already scaled).
  int64_t within_0_1pct = 0;
  int64_t within_1pct = 0;
  int64_t within_5pct = 0;
  std::vector<int64_t> ladder_ppm;  // level distances from the index, ppm, ascending
  PiecewiseLinear pressed;          // realized range (ppm) -> remaining fraction (ppm)
  PiecewiseLinear other;
  int64_t vol_window_ns = 0;
  int64_t refill_ns = 0;
  // kBinanceOct10: remaining fraction (ppm) of each side by time from the start (ns), from the
  // real bookDepth snapshots.
  PiecewiseLinear bid_curve;
  PiecewiseLinear ask_curve;
};

struct ClusterSpec {
  int64_t price = 0;  // ticks
  bool is_long = true;
  bool liquidation_anchor = false;
  int64_t weight = 0;
  int64_t spread_ppm = 0;
};

struct WhaleSpec {
  bool is_long = true;
  int64_t notional = 0;     // atoms (not scaled)
  int64_t entry = 0;        // ticks
  int64_t liquidation = 0;  // ticks
};

struct LateEntrySpec {
  int64_t t_ns = 0;  // from the start
  bool is_long = false;
  int64_t buckets = 0;  // scaled
  int64_t spread_ns = 0;
};

struct StopsSpec {
  int64_t share_ppm = 0;
  int64_t round = 0;  // ticks
  int64_t min_distance_ppm = 0;
};

struct SymbolSpec {
  std::string name;
  SymbolConfig config;      // preset, tiers and lambda applied
  double lambda = 0;        // as written (or overridden), engine units
  int64_t start_price = 0;  // ticks: the index at the scenario start
  IndexSpec index;
  std::vector<LevelSpec> levels;
  DepthSpec depth;
  int64_t population_share = 0;  // weights
  int64_t long_share_ppm = 0;
  int64_t clustered_share_ppm = 0;
  std::vector<ClusterSpec> clusters;
  StopsSpec stops;
  std::vector<WhaleSpec> whales;
  std::vector<LateEntrySpec> late_entries;
  int64_t taker_share = 0;  // weights
};

struct PopulationSpec {
  int64_t buckets = 0;
  std::vector<uint32_t> leverage;  // values; drawn by `leverage_choice`
  WeightedChoice leverage_choice;
  // The same distribution restricted to 10x and above, for liquidation-anchored clusters.
  std::vector<uint32_t> anchor_leverage;
  WeightedChoice anchor_leverage_choice;
  QuantileDistribution notional;  // atoms
  int64_t cross_share_ppm = 0;
  int64_t isolated_share_ppm = 0;
  int64_t entry_spread_ppm = 0;
  int64_t min_liquidation_distance_ppm = 0;
};

struct MakersSpec {
  int per_symbol = 0;
  int64_t refresh_ns = 0;
  int64_t refresh_stressed_ns = 0;
  int64_t capital_multiple_ppm = 0;
};

struct TakersSpec {
  int accounts = 0;
  int64_t rate_milli = 0;          // scaled trades per 1000 s in normal times, all symbols
  QuantileDistribution size;       // atoms
  PiecewiseLinear rate_vs_range;   // range ppm -> multiplier ppm
  PiecewiseLinear sell_vs_return;  // return ppm -> probability ppm
  int64_t momentum_ns = 0;
  int64_t aggression_ppm = 0;
};

struct FundingSpec {
  int64_t t_ns = 0;
  int symbol = 0;    // index in Scenario::symbols
  int64_t rate = 0;  // 1e8 scale
};

// A reported figure of the real event; doubles because they are only ever printed.
struct ReportedFigure {
  std::string metric;
  double low = 0;
  double high = 0;
  std::string note;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string origin;    // "built-in" or the file path
  int64_t start_ns = 0;  // Unix ns, UTC
  int64_t duration_ns = 0;
  uint64_t seed = 1;
  RiskPreset preset = RiskPreset::kBinance;
  double scale = 0.1;
  int64_t insurance_fund = 0;  // atoms, scaled
  int64_t episode_gap_ns = 0;
  std::vector<SymbolSpec> symbols;
  PopulationSpec population;
  MakersSpec makers;
  TakersSpec takers;
  std::vector<FundingSpec> funding;
  std::vector<ReportedFigure> reported;
  std::vector<std::string> calibration;
};

// Command-line overrides, applied while loading.
struct ScenarioOverrides {
  std::optional<uint64_t> seed;
  std::optional<RiskPreset> preset;
  std::optional<double> lambda;    // engine units, every symbol
  std::optional<int64_t> buckets;  // population size; the scale follows it
  // Folder of the real market data (CASCADE_DATA_DIR): where binance-btc-2025-10-10/ lives.
  std::string data_dir;
};

// The names of the scenarios built into the binary (replay/scenarios/*.json).
[[nodiscard]] std::vector<std::string> BuiltinScenarioNames();
// The JSON text of a built-in scenario, or nullopt.
[[nodiscard]] std::optional<std::string_view> BuiltinScenarioText(std::string_view name);
// The text of replay/scenario.fbs, which scenario files are read against.
[[nodiscard]] std::string_view ScenarioSchemaText();

// Parses and converts a scenario. Errors name the field or the file. A scenario that needs the
// real data (oct10-2025) fails with NotFound when the data folder is missing, so callers can skip.
[[nodiscard]] absl::StatusOr<Scenario> ParseScenario(std::string_view json, std::string origin,
                                                     const ScenarioOverrides& overrides);
// `name_or_path`: a built-in name, or a path to a .json file.
[[nodiscard]] absl::StatusOr<Scenario> LoadScenario(std::string_view name_or_path,
                                                    const ScenarioOverrides& overrides);

// The default data folder compiled in (CASCADE_DATA_DIR), overridden by the environment variable
// of the same name.
[[nodiscard]] std::string DefaultDataDir();

}  // namespace cascade::replay
