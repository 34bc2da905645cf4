#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "engine/core/symbol_config.h"

namespace cascade::risk {

inline constexpr uint32_t kMaxFundGroups = 16;
inline constexpr uint32_t kMaxMaSamples = 4096;
// Keeps every position notional (lots * ticks * K) and every sum of a few of them inside int64.
inline constexpr int64_t kMaxNotional = int64_t{1} << 62;

// Checks a symbol's configuration against risk-model.md: K a positive integer, price and size
// limits that keep notionals below 2^62, tiers starting at 0 with increasing floors and
// 0 < MMR < IMR <= 1e8, and policy parameters inside their ranges. The message names the
// offending field so that a config file can be fixed from it.
[[nodiscard]] absl::Status ValidateSymbolConfig(const SymbolConfig& config);

}  // namespace cascade::risk
