#include "engine/wire/symbol_configs.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/wire/json.h"

namespace cascade::wire {

absl::StatusOr<std::vector<SymbolConfig>> LoadSymbolConfigs(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
  if (!codec.ok()) return codec.status();
  absl::StatusOr<std::vector<SymbolConfig>> configs = (*codec)->ParseSymbolConfigs(text.str());
  if (!configs.ok()) {
    return absl::Status(configs.status().code(),
                        absl::StrCat(path, ": ", configs.status().message()));
  }
  return configs;
}

}  // namespace cascade::wire
