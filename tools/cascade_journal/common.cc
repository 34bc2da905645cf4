#include "tools/cascade_journal/common.h"

#include <ctime>
#include <iostream>

#include "absl/strings/str_format.h"
#include "engine/wire/decode.h"
#include "engine/wire/schema.h"

namespace cascade::tools {

int Fail(std::string_view message) {
  std::cerr << "cascade-journal: " << message << "\n";
  return 1;
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

int Usage(std::string_view usage) {
  std::cerr << "usage: " << usage << "\n(cascade-journal --help for all commands)\n";
  return 2;
}

bool WantsHelp(const std::vector<std::string>& args, std::string_view usage) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: " << usage << "\n";
    return true;
  }
  return false;
}

std::string PayloadType(journal::JournalKind kind, std::span<const uint8_t> payload) {
  const bool input = kind == journal::JournalKind::kInput;
  const std::optional<size_t> index = input ? wire::InputKind(payload) : wire::OutputKind(payload);
  if (!index.has_value()) return "invalid";
  const std::string_view name = input ? wire::CommandName(*index) : wire::EventName(*index);
  return name == "?" ? absl::StrFormat("unknown-type-%d", *index + 1) : std::string(name);
}

std::optional<Stamp> PayloadStamp(journal::JournalKind kind, std::span<const uint8_t> payload) {
  if (kind == journal::JournalKind::kInput) {
    Command command;
    if (wire::Read(payload, command) != RejectReason::kNone) return std::nullopt;
    return Stamp{command.seq.value(), command.ts.value()};
  }
  Event event;
  if (!wire::DecodeEvent(payload, event)) return std::nullopt;
  return Stamp{event.seq.value(), event.ts.value()};
}

std::string FormatTime(int64_t unix_ns) {
  const int64_t seconds =
      unix_ns >= 0 ? unix_ns / 1'000'000'000 : (unix_ns + 1) / 1'000'000'000 - 1;
  const int64_t nanos = unix_ns - seconds * 1'000'000'000;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return absl::StrFormat("%dns", unix_ns);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nanos);
}

journal::WriterOptions ToolWriterOptions(journal::JournalKind kind) {
  journal::WriterOptions options;
  options.kind = kind;
  options.sync = journal::SyncPolicy::kEveryBatch;
  options.batch_frames = UINT32_MAX;  // one sync, at Close()
  options.overwrite = true;
  return options;
}

}  // namespace cascade::tools
