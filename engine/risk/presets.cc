#include "engine/risk/presets.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cascade::risk {
namespace {

constexpr int64_t kUsd = 1'000'000;             // atoms per USD
constexpr int64_t kPercent = kRateScale / 100;  // 1% in 1e8 scale
constexpr int64_t kSecond = 1'000'000'000;

void SetTier(RiskParams& p, int i, int64_t floor_usd, int64_t mmr, int64_t imr) {
  p.tiers[i] = MarginTier{Atoms{floor_usd * kUsd}, mmr, imr};
}

}  // namespace

void SetBinanceBtc2021Tiers(RiskParams& p) noexcept {
  // floor (USD), MMR, IMR in 1e8 scale; cum is derived, never configured.
  SetTier(p, 0, 0, 400'000, 800'000);
  SetTier(p, 1, 50'000, 500'000, 1'000'000);
  SetTier(p, 2, 250'000, 1'000'000, 2'000'000);
  SetTier(p, 3, 1'000'000, 2'500'000, 5'000'000);
  SetTier(p, 4, 10'000'000, 5'000'000, 10'000'000);
  SetTier(p, 5, 20'000'000, 10'000'000, 20'000'000);
  SetTier(p, 6, 50'000'000, 12'500'000, 25'000'000);
  SetTier(p, 7, 100'000'000, 15'000'000, 33'300'000);
  SetTier(p, 8, 200'000'000, 25'000'000, 50'000'000);
  SetTier(p, 9, 300'000'000, 50'000'000, 100'000'000);
  p.tier_count = 10;
}

void SetPresetBtcTiers(RiskPreset preset, RiskParams& p) noexcept {
  switch (preset) {
    case RiskPreset::kHyperliquid:  // 40x; MMR is half the IMR at maximum leverage
      SetTier(p, 0, 0, 125 * kPercent / 100, 250 * kPercent / 100);
      p.tier_count = 1;
      return;
    case RiskPreset::kDydx:  // v4 mainnet BTC-USD: IMF 5%, MMF 3%
      SetTier(p, 0, 0, 3 * kPercent, 5 * kPercent);
      p.tier_count = 1;
      return;
    case RiskPreset::kBinance:
    case RiskPreset::kCustom:
      SetBinanceBtc2021Tiers(p);
      return;
  }
}

void ApplyPreset(RiskPreset preset, RiskParams& p) noexcept {
  p.preset = preset;
  switch (preset) {
    case RiskPreset::kCustom:
      return;
    case RiskPreset::kBinance:
      p.maker_fee = 20'000;  // 0.02%
      p.taker_fee = 40'000;  // 0.04%
      p.liquidation_fee = 500'000;
      p.mark_mode = MarkMode::kMedian3;
      p.mark_sample_interval_ns = kSecond;
      p.mark_ma_samples = 300;  // 5-minute basis average, sampled each second
      p.order_policy = LiquidationOrderPolicy::kBankruptcy;
      p.size_policy = LiquidationSizePolicy::kTierStepDown;
      p.backstop_threshold = 0;  // the fund takes over at once
      p.adl_ranking = AdlRanking::kPnlTimesLeverage;
      p.funding_price = FundingPriceSource::kMark;
      p.funding_interval_ns = 8 * 3600 * kSecond;
      p.funding_interest = 10'000;  // 0.01% per 8 h
      p.funding_clamp = 50'000;     // 0.05%
      return;
    case RiskPreset::kHyperliquid:
      p.maker_fee = 15'000;
      p.taker_fee = 45'000;
      p.liquidation_fee = 0;  // the surplus over bankruptcy stays with the user
      p.mark_mode = MarkMode::kMedian3;
      p.mark_sample_interval_ns = kSecond;
      p.mark_ma_samples = 150;
      p.order_policy = LiquidationOrderPolicy::kMarkBand;
      p.mark_band = 5 * kPercent;
      p.size_policy = LiquidationSizePolicy::kPartial;
      p.partial_threshold = Atoms{100'000 * kUsd};
      p.partial_fraction = 20 * kPercent;
      p.partial_cooldown_ns = 30 * kSecond;
      p.backstop_threshold = 66'666'667;  // the vault steps in below 2/3 of MM
      p.adl_ranking = AdlRanking::kHyperliquid;
      p.funding_price = FundingPriceSource::kIndex;
      p.funding_interval_ns = 3600 * kSecond;
      p.funding_interest = 1'250;      // 0.01% per 8 h, paid hourly
      p.funding_clamp = 4 * kPercent;  // 4% per hour
      return;
    case RiskPreset::kDydx:
      p.maker_fee = 10'000;
      p.taker_fee = 50'000;
      p.liquidation_fee = 150 * kPercent / 100;  // fee <= 1.5% to the fund
      p.mark_mode = MarkMode::kOracle;
      p.order_policy = LiquidationOrderPolicy::kMarkBand;
      p.mark_band = 1 * kPercent;
      p.size_policy = LiquidationSizePolicy::kPartial;  // per-window cap
      p.partial_threshold = Atoms{100'000 * kUsd};
      p.partial_fraction = 10 * kPercent;
      p.partial_cooldown_ns = kSecond;  // one block
      p.backstop_threshold = 1;         // keep using the book while equity is positive
      p.adl_ranking = AdlRanking::kPseudoRandom;
      p.funding_price = FundingPriceSource::kIndex;
      p.funding_interval_ns = 3600 * kSecond;
      p.funding_interest = 0;
      p.funding_clamp = 1 * kPercent;
      return;
  }
}

absl::StatusOr<RiskPreset> ParsePreset(std::string_view name) {
  if (name == "binance") return RiskPreset::kBinance;
  if (name == "hyperliquid") return RiskPreset::kHyperliquid;
  if (name == "dydx") return RiskPreset::kDydx;
  if (name == "custom") return RiskPreset::kCustom;
  return absl::InvalidArgumentError(absl::StrCat("unknown risk preset '", std::string(name),
                                                 "' (binance, hyperliquid, dydx, custom)"));
}

std::string_view PresetName(RiskPreset preset) noexcept {
  switch (preset) {
    case RiskPreset::kBinance:
      return "binance";
    case RiskPreset::kHyperliquid:
      return "hyperliquid";
    case RiskPreset::kDydx:
      return "dydx";
    case RiskPreset::kCustom:
      return "custom";
  }
  return "custom";
}

}  // namespace cascade::risk
