#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/event.h"

namespace cascade::wire {

// Decodes one size-prefixed input frame: FlatBuffers verification with bounded depth, table count
// and size, then Validate(). Any bytes are safe to pass. Returns kNone and the command in `out`, or
// a 1xx reason; on a reason `out` holds whatever could be read (the sequence number, and the body's
// kind and ids when the frame got that far), enough to address a CommandRejected, and must not be
// applied. No allocation.
[[nodiscard]] RejectReason Decode(std::span<const uint8_t> frame, Command& out) noexcept;

// The structural half of Decode(): verification and reading, without Validate(). For tools that
// show or convert recorded commands whether or not the engine would accept them.
[[nodiscard]] RejectReason Read(std::span<const uint8_t> frame, Command& out) noexcept;

// Decodes one size-prefixed output frame. Events are produced by the engine, so there is no
// semantic check, but the frame is still verified: false for anything that is not a whole event
// this build knows.
[[nodiscard]] bool DecodeEvent(std::span<const uint8_t> frame, Event& out) noexcept;

// The kind of a frame's body without reading it: the index in cascade::CommandBody (input frames)
// or cascade::EventBody (output frames), or beyond the variant for a tag from a newer schema;
// nullopt when the frame does not verify or has no body. For listings and statistics.
[[nodiscard]] std::optional<size_t> InputKind(std::span<const uint8_t> frame) noexcept;
[[nodiscard]] std::optional<size_t> OutputKind(std::span<const uint8_t> frame) noexcept;

// The event that answers a rejected command, addressed from the command's ids.
[[nodiscard]] CommandRejected RejectionOf(const Command& command, RejectReason reason) noexcept;

}  // namespace cascade::wire
