#pragma once

// Internal to cascade_wire: the decoder's fast path for the commands of nearly every frame.

#include <cstdint>
#include <span>

#include "engine/core/command.h"
#include "engine/core/enums.h"

namespace cascade::wire::internal {

// Reads an aligned input frame whose body is a NewOrder, CancelOrder or AmendOrder: the checks of
// VerifyFrame() and flatbuffers::Verifier fused with ReadInput()'s reading, so that each field's
// vtable entry is looked up once instead of twice. True, with `out` set exactly as the general
// path sets it, only for a frame the general path accepts; false for anything else (another
// command, a frame that does not verify, an id the engine cannot hold), leaving `out` untouched:
// the caller then takes the general path, which has the answer for every frame.
[[nodiscard]] bool TryReadOrderCommand(std::span<const uint8_t> frame, Command& out) noexcept;

// Read() without the fast path: verification, then ReadInput() (fb_read.h). It defines decoding;
// tests compare the fast path with it.
[[nodiscard]] RejectReason ReadGeneral(std::span<const uint8_t> frame, Command& out) noexcept;

}  // namespace cascade::wire::internal
