// cat, stat and digest: reading a journal for people and for scripts.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/core/digest.h"
#include "engine/journal/reader.h"
#include "engine/wire/json.h"
#include "engine/wire/schema.h"
#include "tools/cascade_journal/commands.h"
#include "tools/cascade_journal/common.h"

namespace cascade::tools {
namespace {

int FailWithProblem(const std::string& path, const journal::Problem& problem) {
  return Fail(absl::StrCat(path, ": ", problem.ToString()));
}

}  // namespace

int RunCat(const Args& args) {
  constexpr char kUsage[] = "cascade-journal cat FILE";
  if (WantsHelp(args, kUsage)) return kExitOk;
  if (args.size() != 1) return Usage(kUsage);
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(args[0]);
  if (!reader.ok()) return Fail(reader.status());
  absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
  if (!codec.ok()) return Fail(codec.status());
  const journal::JournalKind kind = reader->header().kind;
  journal::Frame frame;
  while (reader->Next(frame)) {
    std::string line = absl::StrFormat("#%d @%d", frame.index, frame.offset);
    if (const std::optional<Stamp> stamp = PayloadStamp(kind, frame.payload)) {
      absl::StrAppendFormat(&line, " seq=%d %s", stamp->seq, FormatTime(stamp->ts_ns));
    }
    absl::StatusOr<std::string> body = kind == journal::JournalKind::kInput
                                           ? (*codec)->DescribeInput(frame.payload)
                                           : (*codec)->DescribeOutput(frame.payload);
    absl::StrAppend(
        &line, " ",
        body.ok() ? *body : absl::StrCat("<", std::string(body.status().message()), ">"));
    std::cout << line << '\n';
  }
  std::cout.flush();
  if (reader->problem().has_value()) return FailWithProblem(args[0], *reader->problem());
  return kExitOk;
}

int RunStat(const Args& args) {
  constexpr char kUsage[] = "cascade-journal stat FILE";
  if (WantsHelp(args, kUsage)) return kExitOk;
  if (args.size() != 1) return Usage(kUsage);
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(args[0]);
  if (!reader.ok()) return Fail(reader.status());
  const journal::Header& header = reader->header();

  std::map<std::string, uint64_t> by_type;
  uint64_t payload_bytes = 0;
  std::optional<Stamp> first;
  std::optional<Stamp> last;
  journal::Frame frame;
  while (reader->Next(frame)) {
    ++by_type[PayloadType(header.kind, frame.payload)];
    payload_bytes += frame.payload.size();
    if (const std::optional<Stamp> stamp = PayloadStamp(header.kind, frame.payload)) {
      if (!first.has_value()) first = stamp;
      last = stamp;
    }
  }
  const uint64_t frames = reader->frames_read();
  std::cout << absl::StrFormat("file:     %s\n", args[0])
            << absl::StrFormat("kind:     %s\n", std::string(journal::KindName(header.kind)))
            << absl::StrFormat("format:   %d\n", header.format_version)
            << absl::StrFormat("schema:   %016x (%s)\n", header.schema_hash,
                               header.schema_hash == wire::SchemaHash()
                                   ? "this build's"
                                   : "another revision; read with this build's schema")
            << absl::StrFormat("engine:   %s\n", header.EngineVersion())
            << absl::StrFormat("created:  %s\n", FormatTime(header.created_unix_ns))
            << absl::StrFormat("size:     %d bytes\n", reader->file_size())
            << absl::StrFormat(
                   "frames:   %d (%d payload bytes, %.1f bytes per frame)\n", frames, payload_bytes,
                   frames == 0 ? 0.0
                               : static_cast<double>(payload_bytes) / static_cast<double>(frames));
  if (first.has_value()) {
    std::cout << absl::StrFormat("seq:      %d .. %d\n", first->seq, last->seq)
              << absl::StrFormat("time:     %s .. %s (%.3f s)\n", FormatTime(first->ts_ns),
                                 FormatTime(last->ts_ns),
                                 static_cast<double>(last->ts_ns - first->ts_ns) / 1e9);
  }
  std::cout << "types:\n";
  for (const auto& [type, count] : by_type) {
    std::cout << absl::StrFormat("  %-20s %d\n", type, count);
  }
  if (reader->problem().has_value()) {
    std::cout << "problem:  " << reader->problem()->ToString() << "\n";
    std::cout.flush();
    return kExitFailure;
  }
  std::cout << "problem:  none\n";
  return kExitOk;
}

int RunDigest(const Args& args) {
  constexpr char kUsage[] = "cascade-journal digest FILE";
  if (WantsHelp(args, kUsage)) return kExitOk;
  if (args.size() != 1) return Usage(kUsage);
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(args[0]);
  if (!reader.ok()) return Fail(reader.status());
  // Over the payloads only: the header (creation time, versions) does not change what a journal
  // says, and each payload starts with its own size, so frame boundaries are part of the digest.
  Digest digest;
  journal::Frame frame;
  while (reader->Next(frame)) digest.Update(frame.payload.data(), frame.payload.size());
  if (reader->problem().has_value()) return FailWithProblem(args[0], *reader->problem());
  const bool input = reader->header().kind == journal::JournalKind::kInput;
  std::cout << (input ? "input-digest: " : "output-digest: ") << digest.Hex() << "\n";
  return kExitOk;
}

}  // namespace cascade::tools
