#pragma once

// Test support for journal tests: temporary paths, deterministic payloads, whole-file access.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/journal/reader.h"
#include "engine/journal/writer.h"

namespace cascade::journal::testing {

using Bytes = std::vector<uint8_t>;

// A unique path under the test temp dir, removed when the object goes away.
class TempPath {
 public:
  explicit TempPath(const std::string& name) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = ::testing::TempDir() + "/cascade_" + info->test_suite_name() + "_" + info->name() +
            "_" + name;
    std::remove(path_.c_str());
  }
  ~TempPath() { std::remove(path_.c_str()); }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Payload i: its index in the first 8 bytes, then a pattern; lengths vary so frames need padding.
inline Bytes Payload(uint64_t i) {
  Bytes out(8 + i % 53);
  for (size_t b = 0; b < out.size(); ++b) {
    out[b] = b < 8 ? static_cast<uint8_t>(i >> (8 * b)) : static_cast<uint8_t>(i * 31 + b);
  }
  return out;
}

inline WriterOptions FastOptions() {
  WriterOptions options;
  options.sync = SyncPolicy::kNever;
  options.created_unix_ns = 1'760'129'400'000'000'000;
  options.schema_hash = 0x1234;
  return options;
}

inline void WriteJournal(const std::string& path, uint64_t frames,
                         const WriterOptions& options = FastOptions()) {
  absl::StatusOr<JournalWriter> writer = JournalWriter::Create(path, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (uint64_t i = 0; i < frames; ++i) ASSERT_TRUE(writer->Append(Payload(i)).ok());
  ASSERT_TRUE(writer->Close().ok());
}

inline Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

struct ReadBack {
  std::vector<Bytes> payloads;
  std::vector<uint64_t> offsets;
  std::optional<Problem> problem;
  std::vector<Problem> skipped;
};

inline ReadBack ReadAll(const std::string& path, const ReaderOptions& options = {}) {
  ReadBack out;
  absl::StatusOr<JournalReader> reader = JournalReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return out;
  Frame frame;
  while (reader->Next(frame)) {
    out.payloads.emplace_back(frame.payload.begin(), frame.payload.end());
    out.offsets.push_back(frame.offset);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(frame.payload.data()) % 8, 0u) << "aligned payloads";
  }
  out.problem = reader->problem();
  out.skipped = reader->skipped();
  return out;
}

}  // namespace cascade::journal::testing
