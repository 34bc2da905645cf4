#pragma once

// A POSIX file descriptor with the few operations journals need, each returning absl::Status with
// the path and errno in the message. Internal to cascade_journal.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cascade::journal::internal {

class File {
 public:
  enum class Mode { kRead, kCreate, kCreateOrTruncate, kReadWrite };

  File() = default;
  ~File();
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  [[nodiscard]] static absl::StatusOr<File> Open(const std::string& path, Mode mode);

  [[nodiscard]] absl::Status WriteAll(std::span<const uint8_t> bytes);
  // Reads until `out` is full or the file ends; returns the bytes read.
  [[nodiscard]] absl::StatusOr<size_t> Read(std::span<uint8_t> out);
  [[nodiscard]] absl::StatusOr<size_t> ReadAt(uint64_t offset, std::span<uint8_t> out) const;
  [[nodiscard]] absl::Status Seek(uint64_t offset);
  [[nodiscard]] absl::StatusOr<uint64_t> Size() const;
  [[nodiscard]] absl::Status Truncate(uint64_t size);
  // fdatasync: data and the size, which is all an append-only file needs.
  [[nodiscard]] absl::Status Sync();
  // Makes a newly created file's directory entry durable.
  [[nodiscard]] absl::Status SyncDirectory() const;
  [[nodiscard]] absl::Status Close();

  [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  [[nodiscard]] absl::Status Error(std::string_view what) const;

  int fd_ = -1;
  std::string path_;
};

}  // namespace cascade::journal::internal
