#pragma once

// Internal to cascade_wire: plain structs -> FlatBuffers tables shared by more than one encoder
// (commands in encode.cc, snapshots in snapshot_codec.cc).

#include <type_traits>

#include "engine/core/symbol_config.h"
#include "engine/wire/messages_generated.h"

namespace cascade::wire::internal {

// A cascade enum as the schema's enum of the same values.
template <typename To, typename From>
[[nodiscard]] To Enum(From value) noexcept {
  return static_cast<To>(static_cast<std::underlying_type_t<From>>(value));
}

[[nodiscard]] flatbuffers::Offset<fb::SymbolConfig> WriteSymbolConfig(
    flatbuffers::FlatBufferBuilder& fbb, const SymbolConfig& config);

}  // namespace cascade::wire::internal
