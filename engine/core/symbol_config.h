#pragma once

#include <array>
#include <cstdint>

#include "engine/core/checked_math.h"
#include "engine/core/strong_int.h"

namespace cascade {

// Rates are dimensionless integers scaled by 1e8 (0.4% = 400'000).
inline constexpr int64_t kRateScale = 100'000'000;
inline constexpr int kMaxTiers = 16;
inline constexpr int kMaxSymbolName = 16;

struct MarginTier {
  Atoms notional_floor{0};  // the tier applies to notional strictly above this floor
  int64_t mmr = 0;          // maintenance margin rate, 1e8 scale
  int64_t imr = 0;          // initial margin rate, 1e8 scale
};

enum class MarkMode : uint8_t { kExternal = 0, kOracle = 1, kMedian3 = 2 };
enum class LiquidationOrderPolicy : uint8_t { kBankruptcy = 0, kMarkBand = 1 };
enum class LiquidationSizePolicy : uint8_t { kFull = 0, kPartial = 1, kTierStepDown = 2 };
enum class AdlRanking : uint8_t { kPnlTimesLeverage = 0, kHyperliquid = 1, kPseudoRandom = 2 };
enum class FundingPriceSource : uint8_t { kMark = 0, kIndex = 1 };
enum class RiskPreset : uint8_t { kCustom = 0, kBinance = 1, kHyperliquid = 2, kDydx = 3 };

// Everything risk-model.md lets a symbol choose. Presets (section 10) fill these fields; the
// engine only ever reads the fields, never the preset name.
struct RiskParams {
  std::array<MarginTier, kMaxTiers> tiers{};
  uint8_t tier_count = 0;  // 0: the symbol trades without margin (matching only)
  int64_t maker_fee = 0;   // 1e8 scale; negative is a rebate
  int64_t taker_fee = 0;
  int64_t liquidation_fee = 0;  // clearance fee cap, 1e8 scale of the fill quote
  MarkMode mark_mode = MarkMode::kExternal;
  int64_t mark_sample_interval_ns = 1'000'000'000;  // moving-average grid
  uint32_t mark_ma_samples = 60;                    // samples in the basis moving average
  int64_t index_impact_lambda = 0;  // 1e8 scale: index += lambda * net liquidation notional / price
  int64_t index_impact_window_ns = 60'000'000'000;
  LiquidationOrderPolicy order_policy = LiquidationOrderPolicy::kBankruptcy;
  int64_t mark_band = 0;  // 1e8 scale, for kMarkBand
  LiquidationSizePolicy size_policy = LiquidationSizePolicy::kFull;
  Atoms partial_threshold{0};
  int64_t partial_fraction = 0;  // 1e8 scale
  int64_t partial_cooldown_ns = 0;
  int64_t backstop_threshold = 0;  // 1e8 scale of MM: retry on the book while Equity >= this * MM
  AdlRanking adl_ranking = AdlRanking::kPnlTimesLeverage;
  FundingPriceSource funding_price = FundingPriceSource::kMark;
  int64_t funding_interval_ns = 8LL * 3600 * 1'000'000'000;
  int64_t funding_interest = 0;             // per interval, 1e8 scale
  int64_t funding_clamp = 0;                // 1e8 scale
  uint32_t fund_group = 0;                  // symbols in one group share an insurance fund
  RiskPreset preset = RiskPreset::kCustom;  // informational: which preset filled these fields
};

struct SymbolConfig {
  SymbolId symbol{0};
  std::array<char, kMaxSymbolName> name{};  // NUL-padded, e.g. "BTC-PERP"
  int64_t tick_size_nanos = 0;              // tick size in 1e-9 quote units
  int64_t lot_size_nanos = 0;               // lot size in 1e-9 base units
  Price min_price{1};
  Price max_price{0};
  Qty max_order_qty{0};
  Qty max_position_qty{0};
  int64_t market_protection_ticks =
      0;  // market orders never fill further than this from entry best
  RiskParams risk{};
};

// Atoms per (lot * tick): K = lot_size * tick_size / 1e-6. Returns 0 if K is not a positive
// integer.
[[nodiscard]] constexpr int64_t AtomsPerLotTick(const SymbolConfig& c) noexcept {
  if (c.tick_size_nanos <= 0 || c.lot_size_nanos <= 0) return 0;
  const int128 product = static_cast<int128>(c.tick_size_nanos) * c.lot_size_nanos;
  constexpr int128 kNanoSquaredPerAtom = 1'000'000'000'000;  // 1e-18 per 1e-6
  if (product % kNanoSquaredPerAtom != 0) return 0;
  const int128 k = product / kNanoSquaredPerAtom;
  return k > 0 && k < (static_cast<int128>(1) << 40) ? static_cast<int64_t>(k) : 0;
}

}  // namespace cascade
