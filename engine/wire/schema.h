#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cascade::wire {

// Every frame is a size-prefixed FlatBuffer: a little-endian u32 byte count, then the buffer,
// whose identifier says which envelope it holds.
inline constexpr std::string_view kInputIdentifier = "CSCI";
inline constexpr std::string_view kOutputIdentifier = "CSCO";

// The largest frame (prefix included) the decoder accepts. The biggest legitimate message, a
// symbol config with every tier, is about 1.5 KiB; the bound keeps verification cheap on hostile
// input.
inline constexpr size_t kMaxMessageBytes = 16 * 1024;

// The text of messages.fbs this build was generated from.
[[nodiscard]] std::string_view SchemaText() noexcept;

// cascade::Digest of SchemaText(): journals record it so that a reader can tell which schema
// revision wrote them.
[[nodiscard]] uint64_t SchemaHash() noexcept;

// Names of the union members: CommandName(index) for the index of cascade::CommandBody, and
// EventName(index) for cascade::EventBody. "?" for an index out of range.
[[nodiscard]] std::string_view CommandName(size_t index) noexcept;
[[nodiscard]] std::string_view EventName(size_t index) noexcept;

}  // namespace cascade::wire
