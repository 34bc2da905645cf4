// Scenario files: the built-in ones load, mistakes are reported by field, overrides apply, and
// the real-data readers read Binance's decimals exactly.
#include "replay/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/risk/presets.h"
#include "replay/binance_data.h"

namespace cascade::replay {
namespace {

ScenarioOverrides WithData() {
  ScenarioOverrides o;
  o.data_dir = DefaultDataDir();
  return o;
}

bool HaveOct10Data() {
  return std::filesystem::exists(DefaultDataDir() + "/" + std::string(kOct10Folder) + "/" +
                                 std::string(kOct10IndexFile));
}

TEST(Scenario, BuiltinScenariosAreEmbedded) {
  const std::vector<std::string> names = BuiltinScenarioNames();
  EXPECT_EQ(names, (std::vector<std::string>{"jan29-2026", "jan31-2026", "oct10-2025", "smoke"}));
  EXPECT_NE(ScenarioSchemaText().find("root_type Scenario"), std::string_view::npos);
}

TEST(Scenario, SyntheticBuiltinsLoad) {
  for (const char* name : {"smoke", "jan29-2026", "jan31-2026"}) {
    absl::StatusOr<Scenario> s = LoadScenario(name, WithData());
    ASSERT_TRUE(s.ok()) << name << ": " << s.status();
    EXPECT_EQ(s->name, name);
    EXPECT_FALSE(s->symbols.empty());
    EXPECT_GT(s->population.buckets, 0);
    for (const SymbolSpec& sym : s->symbols) {
      EXPECT_GT(sym.start_price, 0) << name;
      EXPECT_GT(sym.depth.within_1pct, 0) << name;
    }
  }
}

TEST(Scenario, Oct10LoadsTheRealIndexPathAndDepthCurve) {
  if (!HaveOct10Data()) GTEST_SKIP() << "real data absent from " << DefaultDataDir();
  absl::StatusOr<Scenario> s = LoadScenario("oct10-2025", WithData());
  ASSERT_TRUE(s.ok()) << s.status();
  const SymbolSpec& btc = s->symbols.front();
  // 20:30 UTC opened at 117,037.6 (SOURCE.txt: 116,848 at 20:50, low 102,497.5 at 21:20).
  EXPECT_EQ(btc.start_price, 1'170'376);
  int64_t low = btc.start_price;
  for (const KeyframeSpec& k : btc.index.keyframes) low = std::min(low, k.price);
  EXPECT_EQ(low, 1'024'975);
  // Bids within 5% fell to a few percent of their 20:30 level at 21:22-21:24.
  const int64_t at_2123 = btc.depth.bid_curve.At(53 * 60 * kNsPerSecond);
  EXPECT_LT(at_2123, 100'000) << "ppm";
  EXPECT_GT(btc.depth.bid_curve.At(0), 900'000);
}

TEST(Scenario, Oct10WithoutTheDataIsNotFound) {
  ScenarioOverrides o;
  o.data_dir = "/nonexistent/cascade-data";
  absl::StatusOr<Scenario> s = LoadScenario("oct10-2025", o);
  EXPECT_TRUE(absl::IsNotFound(s.status())) << s.status();
}

TEST(Scenario, OverridesApply) {
  ScenarioOverrides o = WithData();
  o.seed = 77;
  o.preset = RiskPreset::kHyperliquid;
  o.buckets = 300;
  absl::StatusOr<Scenario> s = LoadScenario("smoke", o);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->seed, 77u);
  EXPECT_EQ(s->preset, RiskPreset::kHyperliquid);
  EXPECT_EQ(s->population.buckets, 300);
  EXPECT_DOUBLE_EQ(s->scale, 0.001);  // half the buckets, half the market
  // Lambda per modelled dollar doubles so that a real-market dollar moves the index as much.
  EXPECT_DOUBLE_EQ(s->symbols[0].lambda, 0.04);
  EXPECT_EQ(s->symbols[0].config.risk.index_impact_lambda, 4'000'000);
  EXPECT_EQ(s->symbols[0].config.risk.order_policy, LiquidationOrderPolicy::kMarkBand);
  o.lambda = 0.0;
  absl::StatusOr<Scenario> no_coupling = LoadScenario("smoke", o);
  ASSERT_TRUE(no_coupling.ok());
  EXPECT_EQ(no_coupling->symbols[0].config.risk.index_impact_lambda, 0);
}

std::string Minimal(const std::string& extra_symbol_fields, const std::string& extra_top = "") {
  return R"({"name": "t", "start": "2026-01-01T00:00:00Z", "symbols": [{"name": "BTC-PERP",
    "id": 1, "tick": 0.1, "lot": 0.001, "max_price": 1000000,
    "index": {"keyframes": [{"t_s": 0, "price": 50000}]})" +
         extra_symbol_fields + "}]" + extra_top + "}";
}

TEST(Scenario, MinimalFileLoadsWithDefaults) {
  absl::StatusOr<Scenario> s = ParseScenario(Minimal(""), "minimal.json", {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->symbols[0].start_price, 500'000);
  EXPECT_EQ(s->preset, RiskPreset::kBinance);
  EXPECT_EQ(s->symbols[0].config.risk.tier_count, 10);
  EXPECT_EQ(s->population.buckets, 1000);
  EXPECT_EQ(s->start_ns, 1'767'225'600'000'000'000);
}

TEST(Scenario, MistakesAreReportedWithTheirPlace) {
  auto error = [](const std::string& json) {
    absl::StatusOr<Scenario> s = ParseScenario(json, "bad.json", {});
    EXPECT_FALSE(s.ok());
    return std::string(s.status().message());
  };
  // Unknown fields are refused by the schema.
  EXPECT_NE(error(Minimal(R"(, "tick_size": 1)")).find("tick_size"), std::string::npos);
  EXPECT_NE(
      error(Minimal(R"(, "clusters": [{"level": "nowhere", "side": "long", "anchor": "entry"}])"))
          .find("unknown level 'nowhere'"),
      std::string::npos);
  EXPECT_NE(error(Minimal(R"(, "clusters": [{"price": 1, "side": "up", "anchor": "entry"}])"))
                .find("side must be long or short"),
            std::string::npos);
  EXPECT_NE(error(Minimal("", R"(, "preset": "nasdaq")")).find("preset"), std::string::npos);
  EXPECT_NE(error(Minimal("", R"(, "start": "yesterday")")).find("start"), std::string::npos);
  EXPECT_NE(error(R"({"name": "t", "start": "2026-01-01T00:00:00Z", "symbols": [{"name": "X",
    "id": 1, "tick": 0.1, "lot": 0.0000001, "max_price": 100, "index": {"keyframes":
    [{"t_s": 0, "price": 50}]}}]})")
                .find("multiple of 1e-6"),
            std::string::npos);
  EXPECT_NE(error("{ not json").find("bad.json"), std::string::npos);
}

TEST(Scenario, FilesLoadByPath) {
  const std::string path = ::testing::TempDir() + "/scenario_test_smoke.json";
  {
    std::ofstream out(path);
    out << *BuiltinScenarioText("smoke");
  }
  absl::StatusOr<Scenario> s = LoadScenario(path, WithData());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "smoke");
  EXPECT_EQ(s->origin, path);
  EXPECT_TRUE(absl::IsNotFound(LoadScenario("/nonexistent.json", {}).status()));
}

TEST(BinanceData, DecimalsAreReadExactly) {
  EXPECT_EQ(*ParseDecimalNanos("121737.53736410"), 121'737'537'364'100);
  EXPECT_EQ(*ParseDecimalNanos("0.000000001"), 1);
  EXPECT_EQ(*ParseDecimalNanos("-2.5"), -2'500'000'000);
  EXPECT_EQ(*ParseDecimalNanos("7"), 7'000'000'000);
  EXPECT_FALSE(ParseDecimalNanos("1.2.3").ok());
  EXPECT_FALSE(ParseDecimalNanos("12a").ok());
  EXPECT_FALSE(ParseDecimalNanos("").ok());
}

}  // namespace
}  // namespace cascade::replay
