#include "engine/journal/recovery.h"

#include <gtest/gtest.h>

#include "engine/journal/writer.h"
#include "tests/engine/journal/journal_test_util.h"

namespace cascade::journal {
namespace {

using testing::Bytes;
using testing::Payload;
using testing::ReadAll;
using testing::ReadFile;
using testing::TempPath;
using testing::WriteFile;
using testing::WriteJournal;

TEST(RecoveryTest, ScanReportsFramesAndSize) {
  TempPath file("j");
  WriteJournal(file.path(), 7);
  absl::StatusOr<ScanResult> scan = ScanJournal(file.path());
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(scan->frames, 7u);
  EXPECT_EQ(scan->valid_end, scan->file_size);
  EXPECT_FALSE(scan->problem.has_value());
}

TEST(RecoveryTest, CleanJournalIsLeftAlone) {
  TempPath file("j");
  WriteJournal(file.path(), 3);
  const Bytes before = ReadFile(file.path());
  absl::StatusOr<RepairResult> repair = RepairJournal(file.path());
  ASSERT_TRUE(repair.ok()) << repair.status();
  EXPECT_EQ(repair->frames, 3u);
  EXPECT_EQ(repair->removed_bytes, 0u);
  EXPECT_FALSE(repair->repaired.has_value());
  EXPECT_EQ(ReadFile(file.path()), before);
}

// Whatever byte the last write stopped at, repair keeps every whole frame and the journal can
// be appended to again.
TEST(RecoveryTest, RepairKeepsEveryWholeFrameAtEveryCut) {
  TempPath file("j");
  WriteJournal(file.path(), 5);
  const Bytes whole = ReadFile(file.path());
  const uint64_t last = whole.size() - FrameBytes(Payload(4).size());
  for (uint64_t cut = last + 1; cut < whole.size(); ++cut) {
    WriteFile(file.path(), Bytes(whole.begin(), whole.begin() + static_cast<long>(cut)));
    absl::StatusOr<RepairResult> repair = RepairJournal(file.path());
    ASSERT_TRUE(repair.ok()) << repair.status();
    EXPECT_EQ(repair->frames, 4u);
    EXPECT_EQ(repair->removed_bytes, cut - last);
    ASSERT_TRUE(repair->repaired.has_value());
    EXPECT_EQ(repair->repaired->kind, ProblemKind::kTornTail);
    EXPECT_EQ(ReadFile(file.path()), Bytes(whole.begin(), whole.begin() + static_cast<long>(last)));

    absl::StatusOr<JournalWriter> writer =
        JournalWriter::OpenForAppend(file.path(), testing::FastOptions());
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE(writer->Append(Payload(4)).ok());
    ASSERT_TRUE(writer->Close().ok());
    EXPECT_EQ(ReadFile(file.path()), whole) << "rewriting the lost frame restores the file";
  }
}

TEST(RecoveryTest, RepairCutsACorruptTail) {
  TempPath file("j");
  WriteJournal(file.path(), 5);
  Bytes bytes = ReadFile(file.path());
  const uint64_t end = bytes.size();
  bytes.resize(end + 512, 0);
  WriteFile(file.path(), bytes);
  absl::StatusOr<RepairResult> repair = RepairJournal(file.path());
  ASSERT_TRUE(repair.ok()) << repair.status();
  EXPECT_EQ(repair->frames, 5u);
  EXPECT_EQ(repair->removed_bytes, 512u);
  EXPECT_EQ(repair->repaired->kind, ProblemKind::kCorruptTail);
  EXPECT_EQ(ReadFile(file.path()).size(), end);
}

TEST(RecoveryTest, RepairRefusesCorruptionInTheMiddle) {
  TempPath file("j");
  WriteJournal(file.path(), 8);
  Bytes bytes = ReadFile(file.path());
  bytes[kHeaderBytes + 10] ^= 1;
  WriteFile(file.path(), bytes);
  absl::StatusOr<RepairResult> repair = RepairJournal(file.path());
  ASSERT_FALSE(repair.ok());
  EXPECT_EQ(repair.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(repair.status().message().find("corrupt frame at offset 64"), std::string::npos)
      << repair.status();
  EXPECT_EQ(ReadFile(file.path()), bytes) << "nothing cut";

  ReaderOptions skip;
  skip.skip_corrupt = true;
  absl::StatusOr<ScanResult> scan = ScanJournal(file.path(), skip);
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->frames, 7u);
  EXPECT_EQ(scan->skipped.size(), 1u);
}

}  // namespace
}  // namespace cascade::journal
