#include "engine/journal/snapshot_file.h"

#include <cstdio>
#include <cstring>
#include <span>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/crc.hpp"
#include "engine/journal/file.h"
#include "engine/journal/format.h"
#include "engine/wire/snapshot_codec.h"

namespace cascade::journal {
namespace {

constexpr size_t kCrcAt = 12;
constexpr size_t kLengthAt = 16;

void StoreU64(uint8_t* p, uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t LoadU64(const uint8_t* p) noexcept {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

// Covers the length field too, so that a damaged length cannot go unnoticed.
uint32_t SnapshotCrc(std::span<const uint8_t> length_field, std::span<const uint8_t> payload) {
  boost::crc_32_type crc;
  crc.process_bytes(length_field.data(), length_field.size());
  crc.process_bytes(payload.data(), payload.size());
  return crc.checksum();
}

absl::Status Refuse(const std::string& path, absl::string_view why) {
  return absl::DataLossError(absl::StrCat(path, ": not a valid cascade snapshot: ", why));
}

}  // namespace

absl::Status WriteSnapshotFile(const std::string& path, const EngineSnapshot& snapshot) {
  const std::vector<uint8_t> payload = wire::EncodeSnapshot(snapshot);
  std::array<uint8_t, kSnapshotHeaderBytes> header{};
  std::memcpy(header.data(), kSnapshotMagic.data(), kSnapshotMagic.size());
  StoreU32(header.data() + 8, kSnapshotFormatVersion);
  StoreU64(header.data() + kLengthAt, payload.size());
  StoreU32(header.data() + kCrcAt,
           SnapshotCrc(std::span<const uint8_t>(header.data() + kLengthAt, 8), payload));

  const std::string temp = path + ".tmp";
  absl::StatusOr<internal::File> file =
      internal::File::Open(temp, internal::File::Mode::kCreateOrTruncate);
  if (!file.ok()) return file.status();
  if (absl::Status s = file->WriteAll(header); !s.ok()) return s;
  if (absl::Status s = file->WriteAll(payload); !s.ok()) return s;
  if (absl::Status s = file->Sync(); !s.ok()) return s;
  if (absl::Status s = file->Close(); !s.ok()) return s;
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    std::remove(temp.c_str());
    return absl::InternalError(
        absl::StrCat(path, ": rename from ", temp, ": ", std::strerror(saved)));
  }
  // The rename itself must survive a crash: sync the directory that holds both names.
  absl::StatusOr<internal::File> renamed = internal::File::Open(path, internal::File::Mode::kRead);
  if (!renamed.ok()) return renamed.status();
  return renamed->SyncDirectory();
}

absl::StatusOr<EngineSnapshot> ReadSnapshotFile(const std::string& path) {
  absl::StatusOr<internal::File> file = internal::File::Open(path, internal::File::Mode::kRead);
  if (!file.ok()) return file.status();
  absl::StatusOr<uint64_t> size = file->Size();
  if (!size.ok()) return size.status();
  std::array<uint8_t, kSnapshotHeaderBytes> header{};
  absl::StatusOr<size_t> got = file->ReadAt(0, header);
  if (!got.ok()) return got.status();
  if (*got < kSnapshotMagic.size() ||
      std::memcmp(header.data(), kSnapshotMagic.data(), kSnapshotMagic.size()) != 0) {
    return Refuse(path, "bad magic");
  }
  if (*got < kSnapshotHeaderBytes) return Refuse(path, "truncated header");
  const uint32_t version = LoadU32(header.data() + 8);
  if (version != kSnapshotFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": snapshot format version ", version,
                                                      " (this build reads ", kSnapshotFormatVersion,
                                                      ")"));
  }
  const uint64_t length = LoadU64(header.data() + kLengthAt);
  if (length > wire::kMaxSnapshotBytes) {
    return Refuse(path, absl::StrCat("payload length ", length, " beyond the limit"));
  }
  if (*size != kSnapshotHeaderBytes + length) {
    return Refuse(path, absl::StrCat("file has ", *size, " bytes, header says ",
                                     kSnapshotHeaderBytes + length,
                                     *size < kSnapshotHeaderBytes + length ? " (truncated)" : ""));
  }
  // std::vector's storage comes from operator new: aligned for FlatBuffers' in-place reads.
  std::vector<uint8_t> payload(length);
  got = file->ReadAt(kSnapshotHeaderBytes, payload);
  if (!got.ok()) return got.status();
  if (*got != length) return Refuse(path, "truncated payload");
  const uint32_t stored = LoadU32(header.data() + kCrcAt);
  const uint32_t computed =
      SnapshotCrc(std::span<const uint8_t>(header.data() + kLengthAt, 8), payload);
  if (stored != computed) {
    return Refuse(path, absl::StrCat("CRC-32 mismatch (stored ", absl::Hex(stored), ", computed ",
                                     absl::Hex(computed), ")"));
  }
  absl::StatusOr<EngineSnapshot> snapshot = wire::DecodeSnapshot(payload);
  if (!snapshot.ok()) return Refuse(path, snapshot.status().message());
  return snapshot;
}

}  // namespace cascade::journal
