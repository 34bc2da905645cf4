#pragma once

#include <cstdint>

#include "engine/core/checked_math.h"
#include "engine/core/symbol_config.h"

namespace cascade::risk {

// What an ADL ranking looks at for one position (risk-model.md section 7.7).
struct AdlInputs {
  int64_t size = 0;   // lots, signed
  int64_t cost = 0;   // signed open notional, atoms
  int64_t mark = 0;   // ticks
  int64_t k = 0;      // atoms per lot-tick
  int128 equity = 0;  // the bucket's equity (> 0 for a candidate)
};

// BitMEX/Binance: pnl% * effective leverage for a profitable position, pnl% / leverage for a
// losing one (both 1e8 fixed point, floored), so profitable positions rank first.
[[nodiscard]] int64_t PnlTimesLeverageScore(const AdlInputs& in) noexcept;
// Hyperliquid: (mark / entry) * (notional / equity) for a long, (entry / mark) * (notional /
// equity) for a short, 1e8 fixed point, floored.
[[nodiscard]] int64_t HyperliquidScore(const AdlInputs& in) noexcept;
// dYdX deleverages in a pseudo-random order; here the order is a documented deterministic hash of
// (seed, bucket id) so that replays are byte-identical. Non-negative.
[[nodiscard]] int64_t PseudoRandomScore(uint64_t seed, uint32_t bucket) noexcept;

[[nodiscard]] int64_t AdlScore(AdlRanking ranking, const AdlInputs& in, uint64_t seed,
                               uint32_t bucket) noexcept;

}  // namespace cascade::risk
