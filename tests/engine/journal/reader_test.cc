#include "engine/journal/reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

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

// Frames in the big write/read test: CASCADE_JOURNAL_FRAMES, default 10 million (about 460 MB
// of journal, a few seconds in a release build; the asan preset runs 200,000).
uint64_t BigJournalFrames() {
  const char* env = std::getenv("CASCADE_JOURNAL_FRAMES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

TEST(JournalReaderTest, WritesAndReadsManyFrames) {
  TempPath file("big");
  const uint64_t frames = BigJournalFrames();
  const auto start = std::chrono::steady_clock::now();
  WriteJournal(file.path(), frames);
  const auto written = std::chrono::steady_clock::now();

  absl::StatusOr<JournalReader> reader = JournalReader::Open(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  Frame frame;
  uint64_t n = 0;
  uint64_t expected_offset = kHeaderBytes;
  while (reader->Next(frame)) {
    const Bytes expected = Payload(n);
    ASSERT_EQ(frame.index, n);
    ASSERT_EQ(frame.offset, expected_offset);
    ASSERT_TRUE(
        std::equal(frame.payload.begin(), frame.payload.end(), expected.begin(), expected.end()))
        << "frame " << n;
    expected_offset += FrameBytes(expected.size());
    ++n;
  }
  const auto read = std::chrono::steady_clock::now();
  EXPECT_FALSE(reader->problem().has_value()) << reader->problem()->ToString();
  EXPECT_EQ(n, frames);
  EXPECT_EQ(reader->valid_end(), reader->file_size());
  using Ms = std::chrono::milliseconds;
  std::printf("%llu frames, %llu bytes: write %lld ms, read %lld ms\n",
              static_cast<unsigned long long>(frames),
              static_cast<unsigned long long>(reader->file_size()),
              static_cast<long long>(std::chrono::duration_cast<Ms>(written - start).count()),
              static_cast<long long>(std::chrono::duration_cast<Ms>(read - written).count()));
}

// Large frames cross the reader's buffer boundary at every alignment.
TEST(JournalReaderTest, FramesLargerThanHalfTheBuffer) {
  TempPath file("large");
  std::vector<Bytes> payloads;
  for (size_t i = 0; i < 12; ++i) {
    payloads.push_back(Bytes(kMaxFrameBytes / 2 + 4'093 * i, static_cast<uint8_t>(i + 1)));
  }
  {
    absl::StatusOr<JournalWriter> writer =
        JournalWriter::Create(file.path(), testing::FastOptions());
    ASSERT_TRUE(writer.ok());
    for (const Bytes& p : payloads) ASSERT_TRUE(writer->Append(p).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  const testing::ReadBack back = ReadAll(file.path());
  EXPECT_FALSE(back.problem.has_value());
  EXPECT_EQ(back.payloads, payloads);
}

TEST(JournalReaderTest, TornTailAtEveryByteOfTheLastFrame) {
  TempPath file("torn");
  WriteJournal(file.path(), 6);
  const Bytes whole = ReadFile(file.path());
  const uint64_t last = kHeaderBytes + [] {
    uint64_t bytes = 0;
    for (uint64_t i = 0; i < 5; ++i) bytes += FrameBytes(Payload(i).size());
    return bytes;
  }();
  ASSERT_LT(last, whole.size());
  for (uint64_t cut = last; cut < whole.size(); ++cut) {
    WriteFile(file.path(), Bytes(whole.begin(), whole.begin() + static_cast<long>(cut)));
    const testing::ReadBack back = ReadAll(file.path());
    ASSERT_EQ(back.payloads.size(), 5u) << "cut at " << cut;
    for (uint64_t i = 0; i < 5; ++i) EXPECT_EQ(back.payloads[i], Payload(i));
    if (cut == last) {
      EXPECT_FALSE(back.problem.has_value()) << "a cut between frames is a clean end";
      continue;
    }
    ASSERT_TRUE(back.problem.has_value()) << "cut at " << cut;
    EXPECT_EQ(back.problem->kind, ProblemKind::kTornTail) << back.problem->ToString();
    EXPECT_EQ(back.problem->offset, last);
  }
}

// Every single-bit flip in the frames is caught, and no damaged payload is ever handed out.
TEST(JournalReaderTest, EveryBitFlipIsDetected) {
  TempPath file("flip");
  WriteJournal(file.path(), 4);
  const Bytes whole = ReadFile(file.path());
  for (size_t byte = kHeaderBytes; byte < whole.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes damaged = whole;
      damaged[byte] ^= static_cast<uint8_t>(1 << bit);
      WriteFile(file.path(), damaged);
      const testing::ReadBack back = ReadAll(file.path());
      ASSERT_TRUE(back.problem.has_value()) << byte << ":" << bit;
      ASSERT_LT(back.payloads.size(), 4u);
      for (size_t i = 0; i < back.payloads.size(); ++i) ASSERT_EQ(back.payloads[i], Payload(i));
    }
  }
}

class CorruptMiddleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteJournal(file_.path(), 10);
    whole_ = ReadFile(file_.path());
    uint64_t at = kHeaderBytes;
    for (uint64_t i = 0; i < 10; ++i) {
      offsets_.push_back(at);
      at += FrameBytes(Payload(i).size());
    }
  }
  TempPath file_{"mid"};
  Bytes whole_;
  std::vector<uint64_t> offsets_;
};

TEST_F(CorruptMiddleTest, StopsAndSaysWhere) {
  whole_[offsets_[5] + 12] ^= 0x40;  // a payload byte of frame 5
  WriteFile(file_.path(), whole_);
  const testing::ReadBack back = ReadAll(file_.path());
  EXPECT_EQ(back.payloads.size(), 5u);
  ASSERT_TRUE(back.problem.has_value());
  EXPECT_EQ(back.problem->kind, ProblemKind::kCorruptFrame);
  EXPECT_EQ(back.problem->offset, offsets_[5]);
  EXPECT_EQ(back.problem->resume_at, offsets_[6]);
  EXPECT_NE(back.problem->ToString().find("offset " + std::to_string(offsets_[5])),
            std::string::npos);
}

TEST_F(CorruptMiddleTest, SkipsWhenAsked) {
  whole_[offsets_[2] + 9] ^= 0x01;
  whole_[offsets_[7] + 4] ^= 0x80;  // a CRC byte
  WriteFile(file_.path(), whole_);
  ReaderOptions skip;
  skip.skip_corrupt = true;
  const testing::ReadBack back = ReadAll(file_.path(), skip);
  ASSERT_EQ(back.payloads.size(), 8u);
  EXPECT_FALSE(back.problem.has_value());
  ASSERT_EQ(back.skipped.size(), 2u);
  EXPECT_EQ(back.skipped[0].offset, offsets_[2]);
  EXPECT_EQ(back.skipped[1].offset, offsets_[7]);
  EXPECT_EQ(back.payloads[2], Payload(3));
  EXPECT_EQ(back.payloads[7], Payload(9));
}

// A damaged length that points past the end must not pass for a torn tail: whole frames follow.
TEST_F(CorruptMiddleTest, HugeLengthInTheMiddleIsNotATornTail) {
  testing::Bytes& b = whole_;
  const uint64_t at = offsets_[4];
  b[at + 2] = 0x0f;  // length ~1 MB: beyond the end of this small file
  WriteFile(file_.path(), b);
  const testing::ReadBack back = ReadAll(file_.path());
  ASSERT_TRUE(back.problem.has_value());
  EXPECT_EQ(back.problem->kind, ProblemKind::kCorruptFrame);
  EXPECT_EQ(back.problem->offset, at);
  EXPECT_EQ(back.problem->resume_at, offsets_[5]);
}

TEST_F(CorruptMiddleTest, DamagedLastFrameIsACorruptTail) {
  whole_[offsets_[9] + 8] ^= 0x10;
  WriteFile(file_.path(), whole_);
  const testing::ReadBack back = ReadAll(file_.path());
  EXPECT_EQ(back.payloads.size(), 9u);
  ASSERT_TRUE(back.problem.has_value());
  EXPECT_EQ(back.problem->kind, ProblemKind::kCorruptTail);
  EXPECT_EQ(back.problem->offset, offsets_[9]);
}

// A crash can leave a file extended with zeros past the last write.
TEST_F(CorruptMiddleTest, ZeroFilledTailIsACorruptTail) {
  const uint64_t end = whole_.size();
  whole_.resize(end + 4'096, 0);
  WriteFile(file_.path(), whole_);
  const testing::ReadBack back = ReadAll(file_.path());
  EXPECT_EQ(back.payloads.size(), 10u);
  ASSERT_TRUE(back.problem.has_value());
  EXPECT_EQ(back.problem->kind, ProblemKind::kCorruptTail);
  EXPECT_EQ(back.problem->offset, end);
}

TEST(JournalReaderTest, RefusesFilesThatAreNotJournals) {
  TempPath file("bad");
  WriteFile(file.path(), {});
  absl::StatusOr<JournalReader> empty = JournalReader::Open(file.path());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("truncated header"), std::string::npos);
  WriteFile(file.path(), Bytes(200, 'x'));
  absl::StatusOr<JournalReader> text = JournalReader::Open(file.path());
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("not a cascade journal"), std::string::npos);
  EXPECT_EQ(JournalReader::Open(file.path() + ".missing").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(JournalReaderTest, HeaderOnlyJournalIsEmptyAndClean) {
  TempPath file("empty");
  WriteJournal(file.path(), 0);
  const testing::ReadBack back = ReadAll(file.path());
  EXPECT_TRUE(back.payloads.empty());
  EXPECT_FALSE(back.problem.has_value());
}

}  // namespace
}  // namespace cascade::journal
