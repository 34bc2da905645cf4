#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/symbol_config.h"

namespace cascade::wire {

// Reads a symbol-config file (the replay tool's and the gateway's market definitions); the format
// is JsonCodec::ParseSymbolConfigs'. Errors name the file and the offending entry.
[[nodiscard]] absl::StatusOr<std::vector<SymbolConfig>> LoadSymbolConfigs(const std::string& path);

}  // namespace cascade::wire
