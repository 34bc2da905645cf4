#pragma once

// Internal to cascade_wire: plain structs -> FlatBuffers tables shared by more than one encoder
// (commands in encode.cc, snapshots in snapshot_codec.cc).

#include "engine/core/symbol_config.h"
#include "engine/wire/enum_cast.h"
#include "engine/wire/messages_generated.h"

namespace cascade::wire::internal {

[[nodiscard]] flatbuffers::Offset<fb::SymbolConfig> WriteSymbolConfig(
    flatbuffers::FlatBufferBuilder& fbb, const SymbolConfig& config);

}  // namespace cascade::wire::internal
