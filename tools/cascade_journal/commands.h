#pragma once

// The subcommands of cascade-journal. Each takes its own arguments (after the subcommand name) and
// returns the process exit code: 0 success, 1 failure (a damaged journal, a bad input line, an I/O
// error), 2 wrong usage.

#include <string>
#include <vector>

namespace cascade::tools {

using Args = std::vector<std::string>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int RunSample(const Args& args);
int RunFromJson(const Args& args);
int RunToJson(const Args& args);
int RunCat(const Args& args);
int RunStat(const Args& args);
int RunVerify(const Args& args);
int RunRepair(const Args& args);
int RunDigest(const Args& args);

}  // namespace cascade::tools
