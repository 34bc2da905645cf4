// verify and repair.

#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/journal/reader.h"
#include "engine/journal/recovery.h"
#include "engine/wire/decode.h"
#include "engine/wire/validate.h"
#include "tools/cascade_journal/commands.h"
#include "tools/cascade_journal/common.h"

namespace cascade::tools {

int RunVerify(const Args& args) {
  constexpr char kUsage[] = "cascade-journal verify [--strict] FILE";
  if (WantsHelp(args, kUsage)) return kExitOk;
  const bool strict = !args.empty() && args[0] == "--strict";
  if (args.size() != (strict ? 2u : 1u)) return Usage(kUsage);
  const std::string& path = args.back();
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  if (!reader.ok()) return Fail(reader.status());
  const bool input = reader->header().kind == journal::JournalKind::kInput;

  // Frames the engine will refuse (a bad value, a sequence number that does not increase) are
  // still whole, valid recordings: scenarios record such commands on purpose. They fail only
  // --strict.
  uint64_t refused = 0;
  std::string first_refusal;
  std::optional<SeqNo> last_seq;
  journal::Frame frame;
  while (reader->Next(frame)) {
    const std::string where =
        absl::StrCat(path, ": frame ", frame.index, " at offset ", frame.offset);
    if (!input) {
      Event event;
      if (!wire::DecodeEvent(frame.payload, event)) {
        return Fail(absl::StrCat(where, ": not a valid event"));
      }
      continue;
    }
    Command command;
    if (const RejectReason read = wire::Read(frame.payload, command); read != RejectReason::kNone) {
      return Fail(absl::StrCat(where, ": not a valid command: ", std::string(ToString(read))));
    }
    std::string refusal;
    if (const RejectReason valid = wire::Validate(command); valid != RejectReason::kNone) {
      refusal = std::string(ToString(valid));
    } else if (last_seq.has_value() && command.seq <= *last_seq) {
      refusal = std::string(ToString(RejectReason::kStaleSequence));
    }
    last_seq = command.seq;
    if (!refusal.empty() && refused++ == 0) first_refusal = absl::StrCat(where, ": ", refusal);
  }
  if (reader->problem().has_value()) {
    return Fail(absl::StrCat(path, ": ", reader->problem()->ToString()));
  }
  if (refused > 0) {
    std::cerr << "cascade-journal: " << refused << " frame(s) hold commands the engine will "
              << "reject; first: " << first_refusal << "\n";
    if (strict) return kExitFailure;
  }
  std::cout << path << ": OK, " << reader->frames_read() << " frames ("
            << journal::KindName(reader->header().kind) << ")\n";
  return kExitOk;
}

int RunRepair(const Args& args) {
  constexpr char kUsage[] = "cascade-journal repair FILE";
  if (WantsHelp(args, kUsage)) return kExitOk;
  if (args.size() != 1) return Usage(kUsage);
  absl::StatusOr<journal::RepairResult> repair = journal::RepairJournal(args[0]);
  if (!repair.ok()) return Fail(repair.status());
  if (repair->repaired.has_value()) {
    std::cout << args[0] << ": removed " << repair->removed_bytes << " bytes ("
              << repair->repaired->ToString() << ")\n";
  } else {
    std::cout << args[0] << ": nothing to repair\n";
  }
  std::cout << args[0] << ": " << repair->frames << " frames remain\n";
  return kExitOk;
}

}  // namespace cascade::tools
