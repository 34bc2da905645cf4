#include "replay/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/risk/presets.h"
#include "engine/risk/risk_config.h"
#include "flatbuffers/idl.h"
#include "replay/binance_data.h"
#include "replay/scenario_generated.h"

namespace cascade::replay {
namespace internal {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace internal

namespace {

constexpr std::string_view kSchemaName = "scenario.fbs";
constexpr std::string_view kScenarioPrefix = "scenarios/";
constexpr std::string_view kJsonSuffix = ".json";

// Conversions from the file's doubles to the engine's integers. Each is one correctly rounded
// IEEE operation (multiply or divide, then round half away from zero), the same on every machine;
// nothing random happens in floating point.
int64_t Round(double v) { return static_cast<int64_t>(std::llround(v)); }
int64_t Ppm(double fraction) { return Round(fraction * 1e6); }
int64_t BpToPpm(double bp) { return Round(bp * 100.0); }
int64_t SecondsToNs(double s) { return Round(s * 1e9); }
int64_t UsdToAtoms(double usd) { return Round(usd * 1e6); }

struct Context {
  std::string origin;
  absl::Status error = absl::OkStatus();
  void Fail(const std::string& where, absl::string_view what) {
    if (error.ok()) {
      error = absl::InvalidArgumentError(absl::StrCat(origin, ": ", where, ": ", what));
    }
  }
};

absl::StatusOr<PiecewiseLinear> Curve(const std::vector<std::unique_ptr<fb::PointT>>& points,
                                      double x_unit, double y_unit, std::vector<Knot> fallback) {
  std::vector<Knot> knots;
  for (const auto& p : points) knots.push_back({Round(p->x * x_unit), Round(p->y * y_unit)});
  if (knots.empty()) knots = std::move(fallback);
  return PiecewiseLinear::Create(std::move(knots));
}

absl::StatusOr<QuantileDistribution> Quantiles(
    const std::vector<std::unique_ptr<fb::PointT>>& points, double value_unit,
    std::vector<Knot> fallback) {
  std::vector<Knot> knots;
  for (const auto& p : points) knots.push_back({Ppm(p->x), Round(p->y * value_unit)});
  if (knots.empty()) knots = std::move(fallback);
  return QuantileDistribution::Create(std::move(knots));
}

// Defaults for lists the file leaves out; the README of each default is docs/replay.md.
std::vector<int64_t> DefaultLadderPpm() {
  // 0 means "one tick from the index".
  return {0,    100,  200,  300,   500,   700,   1000,  1500,  2000,  3000,  4000,
          5000, 6500, 8000, 10000, 12500, 15000, 20000, 25000, 30000, 40000, 50000};
}

std::vector<Knot> DefaultPressed() {  // range ppm -> fraction ppm
  return {{2000, 1'000'000}, {6000, 600'000}, {15000, 120'000}, {30000, 50'000}, {60000, 10'000}};
}

std::vector<Knot> DefaultOther() { return {{2000, 1'000'000}, {15000, 450'000}, {60000, 200'000}}; }

int64_t CheckedTicks(Context& ctx, const std::string& where, double price, int64_t tick_nanos) {
  const double ticks = price * 1e9 / static_cast<double>(tick_nanos);
  if (!(ticks >= 1 && ticks < 4e18)) {
    ctx.Fail(where, absl::StrCat("price ", price, " is not a positive price in ticks"));
    return 1;
  }
  return Round(ticks);
}

absl::Status LoadOct10Index(const std::string& data_dir, int64_t start_ns, int64_t duration_ns,
                            int64_t tick_nanos, IndexSpec& index) {
  const std::string path =
      absl::StrCat(data_dir, "/", std::string(kOct10Folder), "/", std::string(kOct10IndexFile));
  absl::StatusOr<std::vector<IndexKline>> klines = ReadIndexKlines(path);
  if (!klines.ok()) return klines.status();
  const int64_t from_ms = start_ns / 1'000'000;
  const int64_t to_ms = (start_ns + duration_ns) / 1'000'000;
  const int64_t noise = index.keyframes.empty() ? 0 : index.keyframes.front().noise_ppm;
  const int64_t step = index.keyframes.empty() ? kNsPerSecond : index.keyframes.front().step_ns;
  std::vector<KeyframeSpec> frames;
  auto ticks = [&](int64_t nanos) {
    return std::max<int64_t>(1, (nanos + tick_nanos / 2) / tick_nanos);
  };
  for (const IndexKline& k : *klines) {
    if (k.open_time_ms < from_ms || k.open_time_ms >= to_ms) continue;
    const int64_t t = k.open_time_ms * 1'000'000 - start_ns;
    // Inside a minute: open, then the extreme on the way (high first in a falling minute), then
    // the other extreme, then the close.
    const bool falling = k.close < k.open;
    const int64_t first = falling ? k.high : k.low;
    const int64_t second = falling ? k.low : k.high;
    frames.push_back({t, ticks(k.open), noise, step});
    frames.push_back({t + 20 * kNsPerSecond, ticks(first), noise, step});
    frames.push_back({t + 40 * kNsPerSecond, ticks(second), noise, step});
    frames.push_back({t + 59 * kNsPerSecond, ticks(k.close), noise, step});
  }
  if (frames.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " has no klines in the scenario's time window"));
  }
  index.keyframes = std::move(frames);
  return absl::OkStatus();
}

absl::Status LoadOct10Depth(const std::string& data_dir, int64_t start_ns, int64_t duration_ns,
                            DepthSpec& depth) {
  const std::string path =
      absl::StrCat(data_dir, "/", std::string(kOct10Folder), "/", std::string(kOct10DepthFile));
  absl::StatusOr<std::vector<DepthSnapshot>> snaps = ReadDepthSnapshots(path);
  if (!snaps.ok()) return snaps.status();
  const int64_t from_s = start_ns / kNsPerSecond - 60;
  const int64_t to_s = (start_ns + duration_ns) / kNsPerSecond + 60;
  // The bid bands hold a frozen ~$2.1M block from 15:30:42 on (SOURCE.txt); band -1 holds only
  // that block, so bids within 5% are band -5 minus band -1.
  auto bids = [](const DepthSnapshot& s) { return std::max<int64_t>(0, s.bid_5pct - s.bid_1pct); };
  const DepthSnapshot* reference = nullptr;
  for (const DepthSnapshot& s : *snaps) {
    if (s.unix_s * kNsPerSecond >= start_ns) {
      reference = &s;
      break;
    }
  }
  if (reference == nullptr || bids(*reference) <= 0 || reference->ask_1pct <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no usable snapshot at the start"));
  }
  std::vector<Knot> bid_knots;
  std::vector<Knot> ask_knots;
  for (const DepthSnapshot& s : *snaps) {
    if (s.unix_s < from_s || s.unix_s > to_s) continue;
    const int64_t t = s.unix_s * kNsPerSecond - start_ns;
    bid_knots.push_back({t, std::min<int64_t>(kPpm, bids(s) * kPpm / bids(*reference))});
    ask_knots.push_back({t, std::min<int64_t>(kPpm, s.ask_1pct * kPpm / reference->ask_1pct)});
  }
  absl::StatusOr<PiecewiseLinear> bid = PiecewiseLinear::Create(std::move(bid_knots));
  absl::StatusOr<PiecewiseLinear> ask = PiecewiseLinear::Create(std::move(ask_knots));
  if (!bid.ok()) return bid.status();
  if (!ask.ok()) return ask.status();
  depth.bid_curve = *std::move(bid);
  depth.ask_curve = *std::move(ask);
  return absl::OkStatus();
}

absl::StatusOr<Scenario> Convert(const fb::ScenarioT& in, std::string origin,
                                 const ScenarioOverrides& ov) {
  Context ctx{origin};
  const std::string data_dir = ov.data_dir.empty() ? DefaultDataDir() : ov.data_dir;
  Scenario s;
  s.name = in.name;
  s.description = in.description;
  s.origin = std::move(origin);
  absl::Time start;
  std::string time_error;
  if (!absl::ParseTime(absl::RFC3339_full, in.start, &start, &time_error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.origin, ": start: '", in.start, "': ", time_error));
  }
  s.start_ns = absl::ToUnixNanos(start);
  s.duration_ns = SecondsToNs(in.duration_s);
  if (s.duration_ns <= 0) ctx.Fail("duration_s", "must be positive");
  s.seed = ov.seed.value_or(in.seed);
  if (ov.preset.has_value()) {
    s.preset = *ov.preset;
  } else if (!in.preset.empty()) {
    absl::StatusOr<RiskPreset> p = risk::ParsePreset(in.preset);
    if (!p.ok())
      return absl::InvalidArgumentError(absl::StrCat(s.origin, ": preset: ", p.status().message()));
    s.preset = *p;
  }
  const double file_buckets = in.population ? in.population->buckets : 1000;
  const double buckets = ov.buckets.has_value() ? static_cast<double>(*ov.buckets) : file_buckets;
  if (!(buckets >= 1)) ctx.Fail("population.buckets", "must be at least 1");
  s.scale = file_buckets > 0 ? in.scale * buckets / file_buckets : in.scale;
  if (!(s.scale > 0 && s.scale <= 100)) ctx.Fail("scale", "must be in (0, 100]");
  s.insurance_fund = UsdToAtoms(in.insurance_fund_usd * s.scale);
  s.episode_gap_ns = SecondsToNs(in.episode_gap_s);
  if (s.episode_gap_ns <= 0) ctx.Fail("episode_gap_s", "must be positive");

  // Symbols.
  for (size_t i = 0; i < in.symbols.size(); ++i) {
    const fb::SymbolT& sym = *in.symbols[i];
    const std::string where = absl::StrCat("symbols[", i, "] (", sym.name, ")");
    SymbolSpec spec;
    spec.name = sym.name;
    SymbolConfig& c = spec.config;
    c.symbol = SymbolId{sym.id};
    if (sym.id == 0) ctx.Fail(where, "id must be positive");
    for (size_t j = 0; j < i; ++j) {
      if (s.symbols[j].config.symbol == c.symbol) ctx.Fail(where, "duplicate id");
      if (s.symbols[j].name == sym.name) ctx.Fail(where, "duplicate name");
    }
    constexpr size_t kNameCapacity = kMaxSymbolName - 1;  // NUL-padded
    if (sym.name.size() > kNameCapacity) ctx.Fail(where, "name too long");
    std::copy_n(sym.name.begin(), std::min(sym.name.size(), kNameCapacity), c.name.begin());
    c.tick_size_nanos = Round(sym.tick * 1e9);
    c.lot_size_nanos = Round(sym.lot * 1e9);
    if (c.tick_size_nanos <= 0 || c.lot_size_nanos <= 0 || AtomsPerLotTick(c) == 0) {
      ctx.Fail(where, "tick * lot must be a positive multiple of 1e-6 USD");
      continue;
    }
    const int64_t k = AtomsPerLotTick(c);
    c.min_price = Price{1};
    c.max_price = Price{CheckedTicks(ctx, where, sym.max_price, c.tick_size_nanos)};
    // The largest size that keeps max_position * max_price * K below 2^62 (risk-model.md 1).
    const int64_t max_lots = static_cast<int64_t>(
        (static_cast<int128>(1) << 62) / (static_cast<int128>(c.max_price.value()) * k) - 1);
    c.max_position_qty = Qty{max_lots};
    c.max_order_qty = Qty{max_lots};
    risk::ApplyPreset(s.preset, c.risk);
    risk::SetPresetBtcTiers(s.preset, c.risk);
    // The file's lambda is for the file's scale: a population of another size moves the index
    // as much per real-market dollar, so lambda per modelled dollar goes with 1 / scale.
    spec.lambda = ov.lambda.value_or(sym.lambda * in.scale / s.scale);
    c.risk.index_impact_lambda = Round(spec.lambda * 1e8);
    if (c.risk.index_impact_lambda < 0) ctx.Fail(where, "lambda must not be negative");

    // Index path.
    const fb::IndexPathT& ip = *sym.index;
    IndexSpec& index = spec.index;
    const int64_t default_noise = BpToPpm(ip.noise_bp);
    const int64_t default_step = int64_t{ip.step_ms} * 1'000'000;
    if (default_step <= 0 || default_step % 100'000'000 != 0) {
      ctx.Fail(where, "index.step_ms must be a positive multiple of 100");
    }
    index.reversion_ppm = Ppm(ip.reversion);
    if (ip.source.empty() || ip.source == "synthetic") {
      index.source = IndexSource::kSynthetic;
      for (size_t j = 0; j < ip.keyframes.size(); ++j) {
        const fb::KeyframeT& kf = *ip.keyframes[j];
        KeyframeSpec f;
        f.t_ns = SecondsToNs(kf.t_s);
        f.price = CheckedTicks(ctx, where, kf.price, c.tick_size_nanos);
        f.noise_ppm = kf.noise_bp < 0 ? default_noise : BpToPpm(kf.noise_bp);
        f.step_ns = kf.step_ms > 0 ? int64_t{kf.step_ms} * 1'000'000 : default_step;
        if (f.step_ns % 100'000'000 != 0)
          ctx.Fail(where, "keyframe step_ms must be a multiple of 100");
        if (!index.keyframes.empty() && f.t_ns < index.keyframes.back().t_ns) {
          ctx.Fail(where, "keyframes must be in time order");
        }
        index.keyframes.push_back(f);
      }
      if (index.keyframes.empty() || index.keyframes.front().t_ns != 0) {
        ctx.Fail(where, "index.keyframes must start at t_s = 0");
      }
    } else if (ip.source == "binance-oct10-2025") {
      index.source = IndexSource::kBinanceOct10;
      index.keyframes.push_back({0, 1, default_noise, default_step});
      if (absl::Status st =
              LoadOct10Index(data_dir, s.start_ns, s.duration_ns, c.tick_size_nanos, index);
          !st.ok()) {
        return st;  // NotFound when the data folder is absent: callers skip on that
      }
    } else {
      ctx.Fail(where, absl::StrCat("unknown index.source '", ip.source, "'"));
    }
    if (!ip.follow.empty()) {
      for (size_t j = 0; j < s.symbols.size(); ++j) {
        if (s.symbols[j].name == ip.follow) index.follow = static_cast<int>(j);
      }
      if (index.follow < 0) ctx.Fail(where, "index.follow must name an earlier symbol");
      index.follow_ppm = Ppm(ip.follow_weight);
      if (index.follow_ppm < 0 || index.follow_ppm > kPpm) {
        ctx.Fail(where, "index.follow_weight must be in [0, 1]");
      }
    }
    spec.start_price = index.keyframes.empty() ? 1 : index.keyframes.front().price;

    for (const auto& level : sym.levels) {
      spec.levels.push_back(
          {level->name, CheckedTicks(ctx, where, level->price, c.tick_size_nanos)});
    }

    // Depth.
    fb::DepthT default_depth;
    const fb::DepthT& d = sym.depth ? *sym.depth : default_depth;
    DepthSpec& depth = spec.depth;
    depth.within_0_1pct = UsdToAtoms(d.within_0_1pct_usd * s.scale);
    depth.within_1pct = UsdToAtoms(d.within_1pct_usd * s.scale);
    depth.within_5pct = UsdToAtoms(d.within_5pct_usd * s.scale);
    if (!(depth.within_0_1pct >= 0 && depth.within_1pct >= depth.within_0_1pct &&
          depth.within_5pct >= depth.within_1pct)) {
      ctx.Fail(where, "depth figures must grow with the distance");
    }
    for (double bp : d.ladder_bp) depth.ladder_ppm.push_back(BpToPpm(bp));
    if (depth.ladder_ppm.empty()) depth.ladder_ppm = DefaultLadderPpm();
    if (!std::is_sorted(depth.ladder_ppm.begin(), depth.ladder_ppm.end())) {
      ctx.Fail(where, "depth.ladder_bp must ascend");
    }
    absl::StatusOr<PiecewiseLinear> pressed = Curve(d.pressed, 100.0, 1e6, DefaultPressed());
    absl::StatusOr<PiecewiseLinear> other = Curve(d.other, 100.0, 1e6, DefaultOther());
    if (!pressed.ok()) ctx.Fail(where, absl::StrCat("depth.pressed: ", pressed.status().message()));
    if (!other.ok()) ctx.Fail(where, absl::StrCat("depth.other: ", other.status().message()));
    if (pressed.ok()) depth.pressed = *std::move(pressed);
    if (other.ok()) depth.other = *std::move(other);
    depth.vol_window_ns = SecondsToNs(d.vol_window_s);
    depth.refill_ns = SecondsToNs(d.refill_s);
    if (depth.vol_window_ns <= 0 || depth.refill_ns <= 0) {
      ctx.Fail(where, "depth.vol_window_s and depth.refill_s must be positive");
    }
    if (d.source.empty() || d.source == "volatility") {
      depth.source = DepthSource::kVolatility;
    } else if (d.source == "binance-oct10-2025") {
      depth.source = DepthSource::kBinanceOct10;
      if (absl::Status st = LoadOct10Depth(data_dir, s.start_ns, s.duration_ns, depth); !st.ok()) {
        return st;
      }
    } else {
      ctx.Fail(where, absl::StrCat("unknown depth.source '", d.source, "'"));
    }

    // Population of this symbol.
    spec.population_share = Ppm(sym.population_share);
    spec.long_share_ppm = Ppm(sym.long_share);
    spec.clustered_share_ppm = Ppm(sym.clustered_share);
    spec.taker_share = Ppm(sym.taker_share);
    if (spec.population_share < 0 || spec.taker_share < 0) ctx.Fail(where, "negative share");
    for (size_t j = 0; j < sym.clusters.size(); ++j) {
      const fb::ClusterT& cl = *sym.clusters[j];
      const std::string cw = absl::StrCat(where, ".clusters[", j, "]");
      ClusterSpec cs;
      if (!cl.level.empty()) {
        bool found = false;
        for (const LevelSpec& l : spec.levels) {
          if (l.name == cl.level) {
            cs.price = l.price;
            found = true;
          }
        }
        if (!found) ctx.Fail(cw, absl::StrCat("unknown level '", cl.level, "'"));
      } else {
        cs.price = CheckedTicks(ctx, cw, cl.price, c.tick_size_nanos);
      }
      if (cl.side != "long" && cl.side != "short") ctx.Fail(cw, "side must be long or short");
      cs.is_long = cl.side == "long";
      if (cl.anchor != "entry" && cl.anchor != "liquidation") {
        ctx.Fail(cw, "anchor must be entry or liquidation");
      }
      cs.liquidation_anchor = cl.anchor == "liquidation";
      cs.weight = Ppm(cl.weight);
      cs.spread_ppm = BpToPpm(cl.spread_bp);
      if (cs.weight < 0 || cs.spread_ppm < 0 || cs.spread_ppm >= kPpm / 2) {
        ctx.Fail(cw, "weight and spread_bp must be sensible");
      }
      spec.clusters.push_back(cs);
    }
    if (sym.stops) {
      spec.stops.share_ppm = Ppm(sym.stops->share);
      spec.stops.round =
          std::max<int64_t>(1, CheckedTicks(ctx, where, sym.stops->round_usd, c.tick_size_nanos));
      spec.stops.min_distance_ppm = BpToPpm(sym.stops->min_distance_bp);
    }
    for (const auto& w : sym.whales) {
      WhaleSpec ws;
      if (w->side != "long" && w->side != "short")
        ctx.Fail(where, "whale side must be long or short");
      ws.is_long = w->side == "long";
      ws.notional = UsdToAtoms(w->notional_usd);
      ws.entry = CheckedTicks(ctx, where, w->entry, c.tick_size_nanos);
      ws.liquidation = CheckedTicks(ctx, where, w->liquidation, c.tick_size_nanos);
      if (ws.is_long ? ws.liquidation >= ws.entry : ws.liquidation <= ws.entry) {
        ctx.Fail(where, "a whale's liquidation price must be on the losing side of its entry");
      }
      spec.whales.push_back(ws);
    }
    for (const auto& late : sym.late_entries) {
      LateEntrySpec ls;
      if (late->side != "long" && late->side != "short") {
        ctx.Fail(where, "late entry side must be long or short");
      }
      ls.is_long = late->side == "long";
      ls.t_ns = SecondsToNs(late->t_s);
      ls.buckets = Round(late->buckets * s.scale);
      ls.spread_ns = std::max<int64_t>(kNsPerSecond / 10, SecondsToNs(late->spread_s));
      if (ls.t_ns < 0 || ls.t_ns > s.duration_ns || ls.buckets < 0) {
        ctx.Fail(where, "late entry outside the scenario or with a negative count");
      }
      spec.late_entries.push_back(ls);
    }
    if (absl::Status v = risk::ValidateSymbolConfig(c); !v.ok()) ctx.Fail(where, v.message());
    s.symbols.push_back(std::move(spec));
  }
  if (s.symbols.empty()) ctx.Fail("symbols", "at least one symbol is needed");

  // Population.
  fb::PopulationT default_population;
  const fb::PopulationT& pop = in.population ? *in.population : default_population;
  s.population.buckets = Round(buckets);
  std::vector<int64_t> weights;
  for (const auto& w : pop.leverage) {
    if (!(w->value >= 1 && w->value <= 1000))
      ctx.Fail("population.leverage", "values in [1, 1000]");
    s.population.leverage.push_back(
        static_cast<uint32_t>(std::clamp<int64_t>(Round(w->value), 1, 1000)));
    weights.push_back(Ppm(w->weight));
  }
  if (weights.empty()) {
    s.population.leverage = {3, 5, 10, 20, 25, 50, 75, 100};
    weights = {15, 15, 20, 20, 10, 10, 5, 5};
  }
  absl::StatusOr<WeightedChoice> leverage = WeightedChoice::Create(weights);
  if (leverage.ok()) {
    s.population.leverage_choice = *std::move(leverage);
  } else {
    ctx.Fail("population.leverage", leverage.status().message());
  }
  std::vector<int64_t> anchor_weights;
  for (size_t i = 0; i < s.population.leverage.size() && i < weights.size(); ++i) {
    if (s.population.leverage[i] >= 10) {
      s.population.anchor_leverage.push_back(s.population.leverage[i]);
      anchor_weights.push_back(weights[i]);
    }
  }
  if (anchor_weights.empty()) {
    s.population.anchor_leverage = {10};
    anchor_weights = {1};
  }
  if (absl::StatusOr<WeightedChoice> a = WeightedChoice::Create(anchor_weights); a.ok()) {
    s.population.anchor_leverage_choice = *std::move(a);
  } else {
    ctx.Fail("population.leverage", "no weight at 10x or above");
  }
  absl::StatusOr<QuantileDistribution> notional =
      Quantiles(pop.notional_usd, 1e6,
                {{0, 100 * kAtomsPerUsd},
                 {500'000, 3'000 * kAtomsPerUsd},
                 {900'000, 20'000 * kAtomsPerUsd},
                 {990'000, 150'000 * kAtomsPerUsd},
                 {999'000, 1'000'000 * kAtomsPerUsd},
                 {1'000'000, 3'000'000 * kAtomsPerUsd}});
  if (notional.ok()) {
    s.population.notional = *std::move(notional);
  } else {
    ctx.Fail("population.notional_usd", notional.status().message());
  }
  s.population.cross_share_ppm = Ppm(pop.cross_share);
  s.population.isolated_share_ppm = Ppm(pop.isolated_share);
  s.population.entry_spread_ppm = BpToPpm(pop.entry_spread_bp);
  s.population.min_liquidation_distance_ppm = BpToPpm(pop.min_liquidation_distance_bp);
  if (s.population.entry_spread_ppm < 0 || s.population.entry_spread_ppm >= kPpm / 2 ||
      s.population.min_liquidation_distance_ppm < 0 ||
      s.population.min_liquidation_distance_ppm >= kPpm / 2) {
    ctx.Fail("population", "entry_spread_bp and min_liquidation_distance_bp in [0, 5000)");
  }
  if (s.population.cross_share_ppm + s.population.isolated_share_ppm > kPpm ||
      s.population.cross_share_ppm < 0 || s.population.isolated_share_ppm < 0) {
    ctx.Fail("population", "cross_share + isolated_share must be in [0, 1]");
  }

  // Makers and takers.
  fb::MakersT default_makers;
  const fb::MakersT& mk = in.makers ? *in.makers : default_makers;
  s.makers.per_symbol = mk.per_symbol;
  s.makers.refresh_ns = SecondsToNs(mk.refresh_s);
  s.makers.refresh_stressed_ns = SecondsToNs(mk.refresh_stressed_s);
  s.makers.capital_multiple_ppm = Ppm(mk.capital_multiple);
  if (mk.per_symbol < 0 || mk.per_symbol > 16 || s.makers.refresh_ns < 100'000'000 ||
      s.makers.refresh_stressed_ns < 100'000'000) {
    ctx.Fail("makers", "per_symbol in [0, 16], refresh intervals of at least 0.1 s");
  }
  fb::TakersT default_takers;
  const fb::TakersT& tk = in.takers ? *in.takers : default_takers;
  s.takers.accounts = tk.accounts;
  if (tk.accounts < 0 || tk.accounts > 100'000) ctx.Fail("takers.accounts", "in [0, 100000]");
  s.takers.rate_milli = Round(tk.rate_per_s * s.scale * 1000.0);
  absl::StatusOr<QuantileDistribution> size = Quantiles(tk.size_usd, 1e6,
                                                        {{0, 20 * kAtomsPerUsd},
                                                         {500'000, 1'400 * kAtomsPerUsd},
                                                         {900'000, 15'000 * kAtomsPerUsd},
                                                         {990'000, 100'000 * kAtomsPerUsd},
                                                         {999'000, 500'000 * kAtomsPerUsd},
                                                         {1'000'000, 2'000'000 * kAtomsPerUsd}});
  if (size.ok()) {
    s.takers.size = *std::move(size);
  } else {
    ctx.Fail("takers.size_usd", size.status().message());
  }
  absl::StatusOr<PiecewiseLinear> rate = Curve(
      tk.rate_vs_range, 100.0, 1e6, {{2000, 1'000'000}, {10000, 5'000'000}, {30000, 20'000'000}});
  if (rate.ok()) {
    s.takers.rate_vs_range = *std::move(rate);
  } else {
    ctx.Fail("takers.rate_vs_range", rate.status().message());
  }
  absl::StatusOr<PiecewiseLinear> sell =
      Curve(tk.sell_vs_return, 100.0, 1e6, {{-20000, 800'000}, {0, 500'000}, {20000, 200'000}});
  if (sell.ok()) {
    s.takers.sell_vs_return = *std::move(sell);
  } else {
    ctx.Fail("takers.sell_vs_return", sell.status().message());
  }
  s.takers.momentum_ns = SecondsToNs(tk.momentum_s);
  s.takers.aggression_ppm = BpToPpm(tk.aggression_bp);
  if (s.takers.momentum_ns <= 0 || s.takers.aggression_ppm < 0) {
    ctx.Fail("takers", "momentum_s must be positive and aggression_bp not negative");
  }

  for (size_t i = 0; i < in.funding.size(); ++i) {
    const fb::FundingT& f = *in.funding[i];
    FundingSpec fs;
    fs.t_ns = SecondsToNs(f.t_s);
    fs.rate = Round(f.rate * 1e8);
    fs.symbol = -1;
    for (size_t j = 0; j < s.symbols.size(); ++j) {
      if (s.symbols[j].name == f.symbol) fs.symbol = static_cast<int>(j);
    }
    if (fs.symbol < 0) ctx.Fail(absl::StrCat("funding[", i, "]"), "unknown symbol");
    if (fs.t_ns < 0 || fs.t_ns > s.duration_ns)
      ctx.Fail(absl::StrCat("funding[", i, "]"), "t_s outside the scenario");
    s.funding.push_back(fs);
  }
  std::stable_sort(s.funding.begin(), s.funding.end(),
                   [](const FundingSpec& a, const FundingSpec& b) { return a.t_ns < b.t_ns; });
  for (const auto& r : in.reported) s.reported.push_back({r->metric, r->low, r->high, r->note});
  s.calibration = in.calibration;
  if (!ctx.error.ok()) return ctx.error;
  return s;
}

std::string_view Embedded(std::string_view name) {
  for (size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    if (internal::kEmbeddedFiles[i].name == name) return internal::kEmbeddedFiles[i].text;
  }
  return {};
}

}  // namespace

std::string_view ScenarioSchemaText() { return Embedded(kSchemaName); }

std::vector<std::string> BuiltinScenarioNames() {
  std::vector<std::string> names;
  for (size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    std::string_view n = internal::kEmbeddedFiles[i].name;
    if (n.starts_with(kScenarioPrefix) && n.ends_with(kJsonSuffix)) {
      n.remove_prefix(kScenarioPrefix.size());
      n.remove_suffix(kJsonSuffix.size());
      names.emplace_back(n);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string_view> BuiltinScenarioText(std::string_view name) {
  const std::string_view text = Embedded(
      absl::StrCat(std::string(kScenarioPrefix), std::string(name), std::string(kJsonSuffix)));
  if (text.empty()) return std::nullopt;
  return text;
}

absl::StatusOr<Scenario> ParseScenario(std::string_view json, std::string origin,
                                       const ScenarioOverrides& overrides) {
  flatbuffers::IDLOptions options;
  options.strict_json = true;
  flatbuffers::Parser parser(options);
  const std::string schema(ScenarioSchemaText());
  if (schema.empty() || !parser.Parse(schema.c_str())) {
    return absl::InternalError(absl::StrCat("embedded scenario.fbs: ", parser.error_));
  }
  const std::string text(json);
  if (!parser.ParseJson(text.c_str())) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", parser.error_));
  }
  flatbuffers::Verifier verifier(parser.builder_.GetBufferPointer(), parser.builder_.GetSize());
  if (!fb::VerifyScenarioBuffer(verifier)) {
    return absl::InternalError(absl::StrCat(origin, ": parsed scenario does not verify"));
  }
  std::unique_ptr<fb::ScenarioT> scenario(
      fb::GetScenario(parser.builder_.GetBufferPointer())->UnPack());
  for (const auto& sym : scenario->symbols) {
    if (!sym->index) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": symbol ", sym->name, " has no index"));
    }
  }
  return Convert(*scenario, std::move(origin), overrides);
}

absl::StatusOr<Scenario> LoadScenario(std::string_view name_or_path,
                                      const ScenarioOverrides& overrides) {
  if (std::optional<std::string_view> text = BuiltinScenarioText(name_or_path)) {
    return ParseScenario(*text, absl::StrCat("built-in scenario ", std::string(name_or_path)),
                         overrides);
  }
  const std::string path(name_or_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string names;
    for (const std::string& n : BuiltinScenarioNames()) absl::StrAppend(&names, " ", n);
    return absl::NotFoundError(
        absl::StrCat("no built-in scenario or file named '", path, "' (built-in:", names, ")"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseScenario(text.str(), path, overrides);
}

std::string DefaultDataDir() {
  if (const char* env = std::getenv("CASCADE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef CASCADE_DATA_DIR
  return CASCADE_DATA_DIR;
#else
  return "../shared/data";
#endif
}

}  // namespace cascade::replay
