#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/strong_int.h"
#include "engine/core/symbol_config.h"
#include "engine/engine.h"

namespace cascade::gateway {

enum class Role : uint8_t { kTrader = 0, kAdmin = 1 };
enum class FsyncPolicy : uint8_t { kNever = 0, kBatch = 1, kAlways = 2 };

struct TokenConfig {
  std::string token;
  std::string name;
  Role role = Role::kTrader;
  std::vector<AccountId> accounts;  // sorted, unique
  bool self_deposit = false;
  uint32_t messages_per_second = 0;  // 0: the gateway's limit
  uint32_t burst = 0;
  uint64_t opening_deposit_usd = 0;
};

// The gateway's settings as plain values; gateway/gateway_config.fbs documents every field.
struct GatewayConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 7700;

  std::string data_dir;  // absolute, or relative to the working directory
  FsyncPolicy fsync = FsyncPolicy::kBatch;
  uint64_t snapshot_every_inputs = 1'000'000;
  uint64_t snapshot_every_ms = 600'000;
  uint32_t snapshots_kept = 2;

  uint32_t max_sessions = 256;
  uint32_t max_frame_bytes = 16 * 1024;
  uint32_t max_queued_bytes = 4 * 1024 * 1024;
  uint32_t messages_per_second = 1'000'000;
  uint32_t burst = 100'000;
  uint32_t logon_timeout_ms = 5'000;

  EngineConfig engine;
  std::vector<TokenConfig> tokens;
  std::vector<SymbolConfig> symbols;  // configured at start when the engine lacks them
};

// Parses a config file's text. `base_dir` anchors a relative data directory (the config file's
// own directory, so that a config and its data can move together).
[[nodiscard]] absl::StatusOr<GatewayConfig> ParseConfig(std::string_view json,
                                                        std::string_view base_dir);
[[nodiscard]] absl::StatusOr<GatewayConfig> LoadConfig(const std::string& path);

// A working config: one admin token, two trader tokens with their accounts, a BTC and an ETH
// perpetual; what `cascade-gateway --sample-config OUT` writes.
[[nodiscard]] std::string SampleConfigJson();

[[nodiscard]] std::string_view ToString(FsyncPolicy policy) noexcept;

}  // namespace cascade::gateway
