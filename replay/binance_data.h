#pragma once

// Readers for the real Binance data of 10 October 2025 (../shared/data/binance-btc-2025-10-10/,
// see its SOURCE.txt). Decimal fields are read as exact decimals into integers, never through
// floating point, so the scenario built from them is the same on every machine.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cascade::replay {

inline constexpr std::string_view kOct10Folder = "binance-btc-2025-10-10";
inline constexpr std::string_view kOct10IndexFile = "BTCUSD_PERP-index-1m-2025-10-10.csv";
inline constexpr std::string_view kOct10DepthFile = "BTCUSDT-bookDepth-2025-10-10.csv";

// One 1-minute kline of the index, prices in nano-USD.
struct IndexKline {
  int64_t open_time_ms = 0;
  int64_t open = 0;
  int64_t high = 0;
  int64_t low = 0;
  int64_t close = 0;
};

// One bookDepth snapshot: cumulative notional (USD) per band.
struct DepthSnapshot {
  int64_t unix_s = 0;
  int64_t bid_1pct = 0;  // band -1 (holds only the frozen block after 15:30:42, see SOURCE.txt)
  int64_t bid_5pct = 0;  // band -5
  int64_t ask_1pct = 0;  // band +1
  int64_t ask_5pct = 0;  // band +5
};

// "121737.53736410" -> 121737537364100 (nano units, truncated beyond 9 decimals).
[[nodiscard]] absl::StatusOr<int64_t> ParseDecimalNanos(std::string_view text);

[[nodiscard]] absl::StatusOr<std::vector<IndexKline>> ReadIndexKlines(const std::string& path);
[[nodiscard]] absl::StatusOr<std::vector<DepthSnapshot>> ReadDepthSnapshots(
    const std::string& path);

}  // namespace cascade::replay
