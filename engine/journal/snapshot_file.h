#pragma once

// Snapshot files: one engine snapshot (wire::EncodeSnapshot's FlatBuffer) behind a small checked
// header. All integers little-endian.
//
//   0  magic "CSCDSNAP"    8  u32 format version    12 u32 CRC-32 of (bytes 16..23, then payload)
//   16 u64 payload length  24 payload (a FlatBuffer with identifier "CSCS")
//
// The checksum is the standard CRC-32 (Boost.CRC's crc_32_type); a snapshot is read once at
// start-up, so the journal's hardware CRC-32C buys nothing here.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/snapshot.h"

namespace cascade::journal {

inline constexpr std::array<char, 8> kSnapshotMagic = {'C', 'S', 'C', 'D', 'S', 'N', 'A', 'P'};
inline constexpr uint32_t kSnapshotFormatVersion = 1;
inline constexpr size_t kSnapshotHeaderBytes = 24;

// Writes `path` atomically: the bytes go to `path`.tmp, which is fsynced and renamed over `path`,
// and the directory is fsynced; a crash leaves either the old file or the new one, never half.
[[nodiscard]] absl::Status WriteSnapshotFile(const std::string& path,
                                             const EngineSnapshot& snapshot);

// Reads and checks a snapshot file. A file that is not a snapshot, has another format version,
// is truncated or longer than its header says, fails its checksum or does not decode is refused
// with a DataLossError (FailedPrecondition for a newer version) that says which.
[[nodiscard]] absl::StatusOr<EngineSnapshot> ReadSnapshotFile(const std::string& path);

}  // namespace cascade::journal
