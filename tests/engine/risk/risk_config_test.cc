#include "engine/risk/risk_config.h"

#include <gtest/gtest.h>

#include "engine/risk/presets.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;

TEST(ValidateSymbolConfigTest, AcceptsTheBtcExampleAndEveryPreset) {
  EXPECT_TRUE(ValidateSymbolConfig(BtcConfig()).ok()) << ValidateSymbolConfig(BtcConfig());
  for (RiskPreset preset : {RiskPreset::kBinance, RiskPreset::kHyperliquid, RiskPreset::kDydx}) {
    SymbolConfig c = BtcConfig();
    ApplyPreset(preset, c.risk);
    SetPresetBtcTiers(preset, c.risk);
    EXPECT_TRUE(ValidateSymbolConfig(c).ok())
        << PresetName(preset) << ": " << ValidateSymbolConfig(c);
  }
}

TEST(ValidateSymbolConfigTest, RefusesANonIntegerK) {
  SymbolConfig c = BtcConfig();
  c.lot_size_nanos = 3;  // 0.1 * 3e-9 / 1e-6 is not an integer
  const absl::Status s = ValidateSymbolConfig(c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("K = lot_size * tick_size"), std::string::npos) << s;
}

TEST(ValidateSymbolConfigTest, RefusesTiersThatDoNotIncrease) {
  SymbolConfig c = BtcConfig();
  c.risk.tiers[3].notional_floor = c.risk.tiers[2].notional_floor;
  const absl::Status s = ValidateSymbolConfig(c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("tier 3 floor"), std::string::npos) << s;
}

TEST(ValidateSymbolConfigTest, RefusesMmrNotBelowImr) {
  SymbolConfig c = BtcConfig();
  c.risk.tiers[1].mmr = c.risk.tiers[1].imr;
  const absl::Status s = ValidateSymbolConfig(c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("0 < MMR < IMR"), std::string::npos) << s;
}

TEST(ValidateSymbolConfigTest, RefusesNotionalsThatCouldOverflow) {
  SymbolConfig c = BtcConfig();
  c.max_position_qty = Qty{int64_t{1} << 40};
  EXPECT_FALSE(ValidateSymbolConfig(c).ok());
}

TEST(ValidateSymbolConfigTest, RefusesAFirstTierAboveZero) {
  SymbolConfig c = BtcConfig();
  c.risk.tiers[0].notional_floor = Atoms{1};
  EXPECT_FALSE(ValidateSymbolConfig(c).ok());
}

TEST(ValidateSymbolConfigTest, RiskEngineRefusesAnInvalidConfig) {
  testing::Driver d;
  SymbolConfig c = BtcConfig();
  c.risk.tiers[0].mmr = 0;
  EXPECT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kInvalidSymbolConfig);
  EXPECT_EQ(d.risk.OnSymbolConfigured(BtcConfig()), RejectReason::kNone);
  EXPECT_EQ(d.risk.OnSymbolConfigured(BtcConfig()), RejectReason::kSymbolExists);
}

}  // namespace
}  // namespace cascade::risk
