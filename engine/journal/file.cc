#include "engine/journal/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace cascade::journal::internal {

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File::File(File&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

absl::Status File::Error(std::string_view what) const {
  const int error = errno;
  return absl::Status(absl::ErrnoToStatusCode(error),
                      absl::StrCat(path_, ": ", std::string(what), ": ", std::strerror(error)));
}

absl::StatusOr<File> File::Open(const std::string& path, Mode mode) {
  int flags = O_CLOEXEC;
  switch (mode) {
    case Mode::kRead:
      flags |= O_RDONLY;
      break;
    case Mode::kCreate:
      flags |= O_WRONLY | O_CREAT | O_EXCL;
      break;
    case Mode::kCreateOrTruncate:
      flags |= O_WRONLY | O_CREAT | O_TRUNC;
      break;
    case Mode::kReadWrite:
      flags |= O_RDWR;
      break;
  }
  const int fd = ::open(path.c_str(), flags, 0644);
  File file(fd, path);
  if (fd < 0) return file.Error(mode == Mode::kCreate ? "cannot create" : "cannot open");
  return file;
}

absl::Status File::WriteAll(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error("write failed");
    }
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> File::Read(std::span<uint8_t> out) {
  size_t total = 0;
  while (total < out.size()) {
    const ssize_t n = ::read(fd_, out.data() + total, out.size() - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error("read failed");
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  return total;
}

absl::StatusOr<size_t> File::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  size_t total = 0;
  while (total < out.size()) {
    const ssize_t n =
        ::pread(fd_, out.data() + total, out.size() - total, static_cast<off_t>(offset + total));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error("read failed");
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  return total;
}

absl::Status File::Seek(uint64_t offset) {
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) return Error("seek failed");
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> File::Size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Error("stat failed");
  return static_cast<uint64_t>(st.st_size);
}

absl::Status File::Truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return Error("truncate failed");
  return absl::OkStatus();
}

absl::Status File::Sync() {
  if (::fdatasync(fd_) != 0) return Error("fdatasync failed");
  return absl::OkStatus();
}

absl::Status File::SyncDirectory() const {
  const size_t slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error("cannot open directory");
  const int rc = ::fsync(fd);
  const int fsync_error = errno;
  ::close(fd);
  errno = fsync_error;
  if (rc != 0) return Error("directory fsync failed");
  return absl::OkStatus();
}

absl::Status File::Close() {
  if (fd_ < 0) return absl::OkStatus();
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return Error("close failed");
  return absl::OkStatus();
}

}  // namespace cascade::journal::internal
