#include "engine/core/symbol_config.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

SymbolConfig WithSizes(int64_t tick_nanos, int64_t lot_nanos) {
  SymbolConfig c;
  c.tick_size_nanos = tick_nanos;
  c.lot_size_nanos = lot_nanos;
  return c;
}

TEST(SymbolConfig, AtomsPerLotTickMatchesRiskModelExample) {
  // risk-model.md section 1: lot 0.001 BTC, tick $0.1 => K = 100.
  EXPECT_EQ(AtomsPerLotTick(WithSizes(100'000'000, 1'000'000)), 100);
  // LOBSTER equities: tick $0.0001, lot 1 share => K = 100.
  EXPECT_EQ(AtomsPerLotTick(WithSizes(100'000, 1'000'000'000)), 100);
}

TEST(SymbolConfig, NonIntegerOrNonPositiveKIsRefused) {
  EXPECT_EQ(AtomsPerLotTick(WithSizes(1'000, 1'000)), 0);  // 1e-12 atoms
  EXPECT_EQ(AtomsPerLotTick(WithSizes(0, 1'000'000)), 0);
  EXPECT_EQ(AtomsPerLotTick(WithSizes(100'000'000, -1)), 0);
}

}  // namespace
}  // namespace cascade
