#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/snapshot.h"

namespace cascade::wire {

// The largest snapshot buffer EncodeSnapshot writes and DecodeSnapshot accepts (FlatBuffers'
// own limit is 2 GiB).
inline constexpr size_t kMaxSnapshotBytes = size_t{1} << 30;

// The whole engine state as a FlatBuffer with identifier "CSCS" (engine/wire/snapshot.fbs), not
// size-prefixed. The encoding is canonical: the same snapshot always gives the same bytes.
[[nodiscard]] std::vector<uint8_t> EncodeSnapshot(const EngineSnapshot& snapshot);

// Verifies the buffer (identifier, bounded depth, table count and size) and reads it back. Only
// what the C++ types cannot hold is refused here; whether the state is consistent is
// Engine::Restore's check. `bytes` must be 8-byte aligned (a std::vector's data is).
[[nodiscard]] absl::StatusOr<EngineSnapshot> DecodeSnapshot(std::span<const uint8_t> bytes);

}  // namespace cascade::wire
