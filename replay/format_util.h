#pragma once

// Number and time formatting shared by the reports (terminal, JSON, HTML). Reports are the only
// place money becomes floating point: every figure is computed in integers first.

#include <cstdint>
#include <string>

namespace cascade::replay {

// 2026-01-29T12:43:10Z (whole seconds), UTC.
[[nodiscard]] std::string FormatUtc(int64_t unix_ns);
// 12:43:10 (UTC time of day).
[[nodiscard]] std::string FormatClock(int64_t unix_ns);
// 1,234,567
[[nodiscard]] std::string WithCommas(uint64_t v);
// $612.3M, $1.25B, $84.2k, $312
[[nodiscard]] std::string FormatUsd(double usd);
// ticks -> USD as a number with the tick's decimals: 84231.5
[[nodiscard]] std::string FormatPrice(int64_t ticks, int64_t tick_size_nanos);
[[nodiscard]] double TicksToUsd(int64_t ticks, int64_t tick_size_nanos);
[[nodiscard]] double AtomsToUsd(int64_t atoms);
// 1.2 us, 35 ns, 4.1 ms
[[nodiscard]] std::string FormatNs(int64_t ns);
// 0.9312 -> "93.1%"
[[nodiscard]] std::string FormatPercent(double fraction, int decimals = 1);

}  // namespace cascade::replay
