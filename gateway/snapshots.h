#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/core/strong_int.h"
#include "engine/snapshot.h"

namespace cascade::gateway {

// Snapshot files in the data directory, named by the sequence number they include
// (snapshot-<seq, 20 digits>.cfs) so that the newest sorts last.
[[nodiscard]] std::string SnapshotPath(const std::string& dir, SeqNo seq);

// Snapshot files found in `dir`, newest first.
[[nodiscard]] std::vector<std::pair<SeqNo, std::string>> ListSnapshots(const std::string& dir);

// Writes through a temporary file and a rename, then syncs the directory, so that a crash leaves
// either the old set of snapshots or the new one, never a half-written file under a final name.
[[nodiscard]] absl::Status WriteSnapshotAtomically(const std::string& dir,
                                                   const EngineSnapshot& snapshot);

// Reads one snapshot file.
[[nodiscard]] absl::StatusOr<EngineSnapshot> ReadSnapshot(const std::string& path);

// Deletes all but the newest `keep` snapshots and any leftover temporary files.
void PruneSnapshots(const std::string& dir, uint32_t keep);

// fsync of a directory, so that created, renamed or removed entries are durable.
[[nodiscard]] absl::Status SyncDirectory(const std::string& dir);

}  // namespace cascade::gateway
