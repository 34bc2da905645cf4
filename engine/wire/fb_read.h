#pragma once

// Internal to cascade_wire: FlatBuffers tables -> plain structs. Reading checks only what the C++
// types can hold (ids that fit, strings and tier lists that fit their arrays); whether the values
// make sense is Validate()'s job, so that tools can still read and show a recorded bad command.

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/wire/messages_generated.h"
#include "engine/wire/schema.h"

namespace cascade::wire::internal {

// FlatBuffers reads scalars in place (some of them without the unaligned-safe path), so a buffer
// must start at a multiple of its largest scalar, 8. Journal payloads always do; frames taken from
// a stream at any offset are copied to the stack first (a cold path). Frames too large to copy are
// passed on as they are: verification refuses them on their size before reading anything.
[[nodiscard]] inline bool IsAligned(std::span<const uint8_t> frame) noexcept {
  return reinterpret_cast<uintptr_t>(frame.data()) % 8 == 0 || frame.size() > kMaxMessageBytes;
}

template <typename F>
[[gnu::noinline, gnu::cold]] auto WithAlignedCopy(std::span<const uint8_t> frame, F&& f) {
  alignas(8) std::array<uint8_t, kMaxMessageBytes> copy;
  std::memcpy(copy.data(), frame.data(), frame.size());
  return f(std::span<const uint8_t>(copy.data(), frame.size()));
}

// Verifies a size-prefixed input ("CSCI") or output ("CSCO") frame with bounded depth, table count
// and size; nullptr if it does not verify. The frame must be IsAligned().
[[nodiscard]] const fb::Input* VerifyInput(std::span<const uint8_t> frame) noexcept;
[[nodiscard]] const fb::Output* VerifyOutput(std::span<const uint8_t> frame) noexcept;

// On failure `out` keeps what was read, enough to address a rejection.
[[nodiscard]] RejectReason ReadInput(const fb::Input& input, Command& out) noexcept;
[[nodiscard]] bool ReadOutput(const fb::Output& output, Event& out) noexcept;
[[nodiscard]] RejectReason ReadConfigureSymbol(const fb::ConfigureSymbol& message,
                                               SymbolConfig& out) noexcept;
[[nodiscard]] RejectReason ReadSymbolConfig(const fb::SymbolConfig& config,
                                            SymbolConfig& out) noexcept;

}  // namespace cascade::wire::internal
