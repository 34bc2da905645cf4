// cascade-journal: create, convert, inspect, check and repair journals.

#include <iostream>
#include <string>
#include <string_view>

#include "tools/cascade_journal/commands.h"

namespace {

constexpr char kHelp[] = R"(cascade-journal: create, convert, inspect, check and repair journals

usage: cascade-journal COMMAND ARGS...      (cascade-journal COMMAND --help for one command)

commands:
  sample OUT                    write a small valid input journal with every command type
  from-json [--events] IN OUT   JSON lines (one input envelope per line; output envelopes with
                                --events) to a journal, re-encoded canonically
  to-json [--skip-corrupt] IN [OUT]
                                a journal to JSON lines (stdout without OUT); --skip-corrupt
                                passes over damaged frames in the middle, naming each
  cat FILE                      every frame, human-readable
  stat FILE                     header, frame counts by type, sequence and time span, size
  verify [--strict] FILE        check every frame; print the first problem with its byte offset
                                (--strict: also fail on commands the engine would reject)
  repair FILE                   cut a torn or corrupt tail, keeping every whole frame
  digest FILE                   print "input-digest: HEX" (or "output-digest: HEX") over the
                                frames' payloads; a JSON round trip keeps it

exit codes: 0 success; 1 a damaged journal, a bad input line or an I/O error; 2 wrong usage.
Journals are written with one fdatasync at the end; OUT files are replaced.
)";

struct Command {
  std::string_view name;
  int (*run)(const cascade::tools::Args&);
};

constexpr Command kCommands[] = {
    {"sample", cascade::tools::RunSample},  {"from-json", cascade::tools::RunFromJson},
    {"to-json", cascade::tools::RunToJson}, {"cat", cascade::tools::RunCat},
    {"stat", cascade::tools::RunStat},      {"verify", cascade::tools::RunVerify},
    {"repair", cascade::tools::RunRepair},  {"digest", cascade::tools::RunDigest},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kHelp;
    return cascade::tools::kExitUsage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << kHelp;
    return cascade::tools::kExitOk;
  }
  for (const Command& command : kCommands) {
    if (command.name == name) return command.run(cascade::tools::Args(argv + 2, argv + argc));
  }
  std::cerr << "cascade-journal: unknown command '" << name << "'\n\n" << kHelp;
  return cascade::tools::kExitUsage;
}
