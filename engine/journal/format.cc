#include "engine/journal/format.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "boost/crc.hpp"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace cascade::journal {
namespace {

constexpr size_t kHeaderCrcAt = kHeaderBytes - 4;

void Store(uint8_t* p, uint64_t v, int bytes) noexcept {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t Load(const uint8_t* p, int bytes) noexcept {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

#if defined(__x86_64__)
// One crc32 instruction per 8 bytes; frames are short, so a single dependency chain suffices.
[[gnu::target("sse4.2")]] uint32_t Crc32cSse42(std::span<const uint8_t> bytes,
                                               uint32_t crc) noexcept {
  uint64_t state = ~crc;
  const uint8_t* p = bytes.data();
  size_t n = bytes.size();
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    state = _mm_crc32_u64(state, word);
  }
  auto state32 = static_cast<uint32_t>(state);
  for (; n > 0; --n, ++p) state32 = _mm_crc32_u8(state32, *p);
  return ~state32;
}

const bool kHasSse42 = [] {
  __builtin_cpu_init();  // may run before libgcc's own initializer
  return __builtin_cpu_supports("sse4.2") != 0;
}();
#endif

uint32_t Crc(std::span<const uint8_t> bytes) noexcept { return Crc32c(bytes); }

}  // namespace

uint32_t Crc32cPortable(std::span<const uint8_t> bytes, uint32_t crc) noexcept {
  // crc_optimal takes its initial remainder unreflected: the previous checksum, un-xored and
  // bit-reversed, continues it.
  uint32_t remainder = ~crc;
  uint32_t reversed = 0;
  for (int bit = 0; bit < 32; ++bit, remainder >>= 1) reversed = (reversed << 1) | (remainder & 1);
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc32c(reversed);
  crc32c.process_bytes(bytes.data(), bytes.size());
  return crc32c.checksum();
}

uint32_t Crc32c(std::span<const uint8_t> bytes, uint32_t crc) noexcept {
#if defined(__x86_64__)
  if (kHasSse42) return Crc32cSse42(bytes, crc);
#endif
  return Crc32cPortable(bytes, crc);
}

std::string Header::EngineVersion() const {
  const auto* end = std::find(engine_version.begin(), engine_version.end(), '\0');
  return std::string(engine_version.begin(), end);
}

std::string_view BuildVersion() noexcept { return CASCADE_VERSION; }

std::string_view KindName(JournalKind kind) noexcept {
  switch (kind) {
    case JournalKind::kInput:
      return "input";
    case JournalKind::kOutput:
      return "output";
  }
  return "unknown";
}

void EncodeHeader(const Header& header, std::span<uint8_t, kHeaderBytes> out) noexcept {
  std::fill(out.begin(), out.end(), uint8_t{0});
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  Store(&out[8], header.format_version, 2);
  Store(&out[10], static_cast<uint16_t>(header.kind), 2);
  Store(&out[12], kHeaderBytes, 4);
  Store(&out[16], header.schema_hash, 8);
  Store(&out[24], static_cast<uint64_t>(header.created_unix_ns), 8);
  std::memcpy(&out[32], header.engine_version.data(), kEngineVersionBytes);
  Store(&out[kHeaderCrcAt], Crc(out.first(kHeaderCrcAt)), 4);
}

absl::StatusOr<Header> DecodeHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderBytes) {
    return absl::DataLossError(
        absl::StrCat("truncated header: ", bytes.size(), " of ", kHeaderBytes, " bytes"));
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return absl::InvalidArgumentError("not a cascade journal (bad magic)");
  }
  Header header;
  header.format_version = static_cast<uint16_t>(Load(&bytes[8], 2));
  if (header.format_version != kFormatVersion) {
    return absl::UnimplementedError(absl::StrCat("journal format version ", header.format_version,
                                                 "; this build reads version ", kFormatVersion));
  }
  if (Load(&bytes[12], 4) != kHeaderBytes) {
    return absl::DataLossError("corrupt header: wrong header size");
  }
  if (Load(&bytes[kHeaderCrcAt], 4) != Crc(bytes.first(kHeaderCrcAt))) {
    return absl::DataLossError("corrupt header: CRC mismatch");
  }
  header.kind = static_cast<JournalKind>(Load(&bytes[10], 2));
  if (header.kind != JournalKind::kInput && header.kind != JournalKind::kOutput) {
    return absl::DataLossError(absl::StrCat("unknown journal kind ", Load(&bytes[10], 2)));
  }
  header.schema_hash = Load(&bytes[16], 8);
  header.created_unix_ns = static_cast<int64_t>(Load(&bytes[24], 8));
  std::memcpy(header.engine_version.data(), &bytes[32], kEngineVersionBytes);
  return header;
}

uint32_t FrameCrc(std::span<const uint8_t> payload) noexcept {
  uint8_t length[4];
  StoreU32(length, static_cast<uint32_t>(payload.size()));
  return Crc32c(payload, Crc32c(length));
}

}  // namespace cascade::journal
