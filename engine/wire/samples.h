#pragma once

#include <vector>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"

namespace cascade::wire {

// A BTC perpetual (tick $0.1, lot 0.001 BTC, K = 100) margined with Binance's 2021 BTCUSDT bracket
// table (risk-model.md section 10).
[[nodiscard]] SymbolConfig BinanceBtcPerp();

// One command of every kind, in CommandBody order, with seq 1.. and every field away from its
// default, so a field lost or swapped anywhere on the way shows up in a comparison. What
// `cascade-journal sample` writes, and the seed set of tests, fuzzers and benchmarks.
[[nodiscard]] std::vector<Command> SampleCommands();

// One event of every kind, in EventBody order, likewise.
[[nodiscard]] std::vector<Event> SampleEvents();

}  // namespace cascade::wire
