#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "engine/core/symbol_config.h"

namespace cascade::risk {

// Presets of risk-model.md section 10. ApplyPreset sets the policy, fee, mark and funding fields
// and leaves the tiers alone (tiers are per symbol); SetPresetBtcTiers fills a venue's BTC tiers
// for tests and scenarios. Where a venue's mechanism has no exact field, docs/risk.md says how
// the preset approximates it.
void ApplyPreset(RiskPreset preset, RiskParams& params) noexcept;
void SetPresetBtcTiers(RiskPreset preset, RiskParams& params) noexcept;

// Binance BTCUSDT 2021 brackets (risk-model.md section 10), in atoms.
void SetBinanceBtc2021Tiers(RiskParams& params) noexcept;

// "binance", "hyperliquid", "dydx" (and "custom").
[[nodiscard]] absl::StatusOr<RiskPreset> ParsePreset(std::string_view name);
[[nodiscard]] std::string_view PresetName(RiskPreset preset) noexcept;

}  // namespace cascade::risk
