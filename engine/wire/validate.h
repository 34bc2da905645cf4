#pragma once

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/symbol_config.h"

namespace cascade::wire {

// The checks a command passes before it reaches the engine: every enum in range, sizes and prices
// positive, a symbol config that defines a market. They need no engine state, so the answer is the
// same at the gateway, in a replay and in a tool. Checks that need state (unknown symbol, price
// limits, margin) stay in the engine. Returns kNone or a 1xx reason.
[[nodiscard]] RejectReason Validate(const Command& command) noexcept;

[[nodiscard]] RejectReason ValidateSymbolConfig(const SymbolConfig& config) noexcept;

}  // namespace cascade::wire
