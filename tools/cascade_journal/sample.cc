#include <iostream>

#include "engine/journal/writer.h"
#include "engine/wire/encode.h"
#include "engine/wire/samples.h"
#include "tools/cascade_journal/commands.h"
#include "tools/cascade_journal/common.h"

namespace cascade::tools {

int RunSample(const Args& args) {
  constexpr char kUsage[] = "cascade-journal sample OUT";
  if (WantsHelp(args, kUsage)) return kExitOk;
  if (args.size() != 1) return Usage(kUsage);
  absl::StatusOr<journal::JournalWriter> writer =
      journal::JournalWriter::Create(args[0], ToolWriterOptions(journal::JournalKind::kInput));
  if (!writer.ok()) return Fail(writer.status());
  wire::Encoder encoder;
  for (const Command& command : wire::SampleCommands()) {
    if (absl::Status appended = writer->Append(encoder.Encode(command)); !appended.ok()) {
      return Fail(appended);
    }
  }
  if (absl::Status closed = writer->Close(); !closed.ok()) return Fail(closed);
  std::cout << "wrote " << writer->frames() << " frames to " << args[0] << "\n";
  return kExitOk;
}

}  // namespace cascade::tools
