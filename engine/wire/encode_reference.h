#pragma once

// Internal to cascade_wire and its tests: the reference encoding of events.

#include <cstdint>
#include <vector>

#include "engine/core/event.h"

namespace cascade::wire::internal {

// An event encoded with flatbuffers::FlatBufferBuilder and the generated builders, as the Encoder
// did before it wrote event frames itself (internal::FrameWriter). Encoder::Encode(const Event&)
// must give exactly these bytes: journals' digests and JSON round trips rely on the encoding.
// Allocates; for tests.
[[nodiscard]] std::vector<uint8_t> EncodeEventWithBuilder(const Event& event);

}  // namespace cascade::wire::internal
