#pragma once

// Internal to cascade_wire: FlatBuffers tables -> plain structs. Reading checks only what the C++
// types can hold (ids that fit, strings and tier lists that fit their arrays); whether the values
// make sense is Validate()'s job, so that tools can still read and show a recorded bad command.

#include <cstdint>
#include <span>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/wire/messages_generated.h"

namespace cascade::wire::internal {

// Verifies a size-prefixed input ("CSCI") or output ("CSCO") frame with bounded depth, table count
// and size; nullptr if it does not verify.
[[nodiscard]] const fb::Input* VerifyInput(std::span<const uint8_t> frame) noexcept;
[[nodiscard]] const fb::Output* VerifyOutput(std::span<const uint8_t> frame) noexcept;

// On failure `out` keeps what was read, enough to address a rejection.
[[nodiscard]] RejectReason ReadInput(const fb::Input& input, Command& out) noexcept;
[[nodiscard]] bool ReadOutput(const fb::Output& output, Event& out) noexcept;
[[nodiscard]] RejectReason ReadConfigureSymbol(const fb::ConfigureSymbol& message,
                                               SymbolConfig& out) noexcept;

}  // namespace cascade::wire::internal
