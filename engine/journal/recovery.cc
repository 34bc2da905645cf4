#include "engine/journal/recovery.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/journal/file.h"

namespace cascade::journal {

absl::StatusOr<ScanResult> ScanJournal(const std::string& path, const ReaderOptions& options) {
  absl::StatusOr<JournalReader> reader = JournalReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  Frame frame;
  while (reader->Next(frame)) {
  }
  ScanResult result;
  result.header = reader->header();
  result.frames = reader->frames_read();
  result.valid_end = reader->valid_end();
  result.file_size = reader->file_size();
  result.problem = reader->problem();
  result.skipped = reader->skipped();
  return result;
}

absl::StatusOr<RepairResult> RepairJournal(const std::string& path) {
  absl::StatusOr<ScanResult> scan = ScanJournal(path);
  if (!scan.ok()) return scan.status();
  RepairResult result;
  result.frames = scan->frames;
  if (!scan->problem.has_value()) return result;
  const Problem& problem = *scan->problem;
  if (!problem.is_tail()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", problem.ToString(),
                     "; not a tail, so nothing was cut (the frames after it can still be read by "
                     "skipping corrupt frames, e.g. cascade-journal to-json --skip-corrupt)"));
  }
  absl::StatusOr<internal::File> file =
      internal::File::Open(path, internal::File::Mode::kReadWrite);
  if (!file.ok()) return file.status();
  if (absl::Status cut = file->Truncate(scan->valid_end); !cut.ok()) return cut;
  if (absl::Status synced = file->Sync(); !synced.ok()) return synced;
  if (absl::Status closed = file->Close(); !closed.ok()) return closed;
  result.removed_bytes = scan->file_size - scan->valid_end;
  result.repaired = problem;
  return result;
}

}  // namespace cascade::journal
