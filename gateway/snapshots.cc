#include "gateway/snapshots.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "engine/journal/snapshot_file.h"

namespace cascade::gateway {
namespace {

constexpr std::string_view kPrefix = "snapshot-";
constexpr std::string_view kSuffix = ".cfs";
constexpr std::string_view kTempSuffix = ".cfs.tmp";

}  // namespace

std::string SnapshotPath(const std::string& dir, SeqNo seq) {
  char name[64];
  std::snprintf(name, sizeof(name), "snapshot-%020" PRIu64 ".cfs", seq.value());
  return (std::filesystem::path(dir) / name).string();
}

std::vector<std::pair<SeqNo, std::string>> ListSnapshots(const std::string& dir) {
  std::vector<std::pair<SeqNo, std::string>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != kPrefix.size() + 20 + kSuffix.size() || !name.starts_with(kPrefix) ||
        !name.ends_with(kSuffix)) {
      continue;
    }
    const std::string digits = name.substr(kPrefix.size(), 20);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    found.emplace_back(SeqNo(std::strtoull(digits.c_str(), nullptr, 10)), entry.path().string());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
  return found;
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat(dir, ": open: ", std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return absl::InternalError(absl::StrCat(dir, ": fsync: ", std::strerror(saved)));
  return absl::OkStatus();
}

absl::Status WriteSnapshotAtomically(const std::string& dir, const EngineSnapshot& snapshot) {
  const std::string path = SnapshotPath(dir, snapshot.last_seq);
  const std::string temp = path.substr(0, path.size() - kSuffix.size()) + std::string(kTempSuffix);
  if (absl::Status s = journal::WriteSnapshotFile(temp, snapshot); !s.ok()) return s;
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat(path, ": rename: ", ec.message()));
  return SyncDirectory(dir);
}

absl::StatusOr<EngineSnapshot> ReadSnapshot(const std::string& path) {
  return journal::ReadSnapshotFile(path);
}

void PruneSnapshots(const std::string& dir, uint32_t keep) {
  std::error_code ec;
  const auto snapshots = ListSnapshots(dir);
  for (size_t i = keep; i < snapshots.size(); ++i) std::filesystem::remove(snapshots[i].second, ec);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().ends_with(kTempSuffix)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

}  // namespace cascade::gateway
