#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/journal/format.h"
#include "engine/journal/reader.h"

namespace cascade::journal {

struct ScanResult {
  Header header;
  uint64_t frames = 0;     // whole frames (before the problem, unless skipped past)
  uint64_t valid_end = 0;  // just past the last whole frame
  uint64_t file_size = 0;
  std::optional<Problem> problem;  // the first problem that stopped the scan
  std::vector<Problem> skipped;    // with skip_corrupt: damaged frames passed over
};

// Checks the framing of a whole journal (lengths, CRCs, padding); payloads are not decoded.
[[nodiscard]] absl::StatusOr<ScanResult> ScanJournal(const std::string& path,
                                                     const ReaderOptions& options = {});

struct RepairResult {
  uint64_t frames = 0;         // whole frames in the journal after the repair
  uint64_t removed_bytes = 0;  // 0 when there was nothing to repair
  std::optional<Problem> repaired;
};

// Truncates a torn or corrupt tail after the last whole frame, keeping every whole frame, and
// syncs. Refuses (FailedPrecondition, nothing changed) when the damage is in the middle: cutting
// there would drop the whole frames after it.
[[nodiscard]] absl::StatusOr<RepairResult> RepairJournal(const std::string& path);

}  // namespace cascade::journal
