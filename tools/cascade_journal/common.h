#pragma once

// Helpers shared by the cascade-journal subcommands.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/journal/reader.h"
#include "engine/journal/writer.h"

namespace cascade::tools {

// Prints "cascade-journal: MESSAGE" to stderr and returns the failure exit code.
int Fail(std::string_view message);
int Fail(const absl::Status& status);
// Prints the usage line of a subcommand to stderr and returns the usage exit code.
int Usage(std::string_view usage);

// Whether args is exactly {"--help"} or {"-h"}: then print `usage` to stdout.
bool WantsHelp(const std::vector<std::string>& args, std::string_view usage);

// The kind of a frame's payload as a name: the command or event type, or "?" when the payload
// does not read as one.
std::string PayloadType(journal::JournalKind kind, std::span<const uint8_t> payload);

// Sequence number and timestamp of a frame's envelope, when it reads.
struct Stamp {
  uint64_t seq = 0;
  int64_t ts_ns = 0;
};
std::optional<Stamp> PayloadStamp(journal::JournalKind kind, std::span<const uint8_t> payload);

// 2025-10-10T20:50:00.000000000Z
std::string FormatTime(int64_t unix_ns);

// A writer for a journal made by a tool: no per-frame sync (the tool syncs once at Close()).
journal::WriterOptions ToolWriterOptions(journal::JournalKind kind);

}  // namespace cascade::tools
