// from-json and to-json: journals <-> JSON lines, one envelope per line.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/journal/reader.h"
#include "engine/journal/writer.h"
#include "engine/wire/encode.h"
#include "engine/wire/json.h"
#include "tools/cascade_journal/commands.h"
#include "tools/cascade_journal/common.h"

namespace cascade::tools {
namespace {

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

int RunFromJson(const Args& args) {
  constexpr char kUsage[] = "cascade-journal from-json [--events] IN.jsonl OUT";
  if (WantsHelp(args, kUsage)) return kExitOk;
  const bool events = !args.empty() && args[0] == "--events";
  const size_t first = events ? 1 : 0;
  if (args.size() != first + 2) return Usage(kUsage);
  const std::string& in_path = args[first];
  const std::string& out_path = args[first + 1];

  std::ifstream in(in_path);
  if (!in) return Fail(in_path + ": cannot open");
  absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
  if (!codec.ok()) return Fail(codec.status());
  const journal::JournalKind kind =
      events ? journal::JournalKind::kOutput : journal::JournalKind::kInput;
  absl::StatusOr<journal::JournalWriter> writer =
      journal::JournalWriter::Create(out_path, ToolWriterOptions(kind));
  if (!writer.ok()) return Fail(writer.status());

  // Lines are parsed, then re-encoded canonically: a journal written from the JSON of another is
  // byte-identical to it, whatever field order or spacing the JSON used.
  wire::Encoder encoder;
  std::string line;
  size_t line_number = 0;
  auto fail = [&](const std::string& message) {
    (void)writer->Close();
    std::remove(out_path.c_str());
    return Fail(absl::StrCat(in_path, ":", line_number, ": ", message));
  };
  while (std::getline(in, line)) {
    ++line_number;
    if (IsBlank(line)) continue;
    absl::Status appended;
    if (events) {
      absl::StatusOr<Event> event = (*codec)->ParseEvent(line);
      if (!event.ok()) return fail(std::string(event.status().message()));
      appended = writer->Append(encoder.Encode(*event));
    } else {
      absl::StatusOr<Command> command = (*codec)->ParseCommand(line);
      if (!command.ok()) {
        const bool is_event = (*codec)->ParseEvent(line).ok();
        return fail(std::string(command.status().message()) +
                    (is_event ? " (the line is an output envelope: use --events)" : ""));
      }
      appended = writer->Append(encoder.Encode(*command));
    }
    if (!appended.ok()) return fail(std::string(appended.message()));
  }
  if (in.bad()) return fail("read error");
  if (absl::Status closed = writer->Close(); !closed.ok()) return Fail(closed);
  std::cout << "wrote " << writer->frames() << " frames to " << out_path << "\n";
  return kExitOk;
}

int RunToJson(const Args& args) {
  constexpr char kUsage[] =
      "cascade-journal to-json [--skip-corrupt] IN [OUT]   (OUT defaults to stdout)";
  if (WantsHelp(args, kUsage)) return kExitOk;
  const bool skip = !args.empty() && args[0] == "--skip-corrupt";
  const Args files(args.begin() + (skip ? 1 : 0), args.end());
  if (files.empty() || files.size() > 2) return Usage(kUsage);
  journal::ReaderOptions options;
  options.skip_corrupt = skip;
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(files[0], options);
  if (!reader.ok()) return Fail(reader.status());
  absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
  if (!codec.ok()) return Fail(codec.status());

  std::ofstream file;
  if (files.size() == 2) {
    file.open(files[1], std::ios::trunc);
    if (!file) return Fail(files[1] + ": cannot create");
  }
  std::ostream& out = files.size() == 2 ? file : std::cout;
  const bool input = reader->header().kind == journal::JournalKind::kInput;
  journal::Frame frame;
  while (reader->Next(frame)) {
    absl::StatusOr<std::string> json =
        input ? (*codec)->InputToJson(frame.payload) : (*codec)->OutputToJson(frame.payload);
    if (!json.ok()) {
      return Fail(absl::StrCat(files[0], ": frame ", frame.index, " at offset ", frame.offset, ": ",
                               std::string(json.status().message())));
    }
    out << *json << '\n';
  }
  out.flush();
  if (!out) return Fail("write error");
  for (const journal::Problem& skipped : reader->skipped()) {
    std::cerr << "cascade-journal: " << files[0] << ": skipped " << skipped.ToString() << "\n";
  }
  if (reader->problem().has_value()) {
    return Fail(absl::StrCat(files[0], ": ", reader->problem()->ToString()));
  }
  return kExitOk;
}

}  // namespace cascade::tools
