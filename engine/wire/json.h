#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/wire/encode.h"

namespace cascade::wire {

// JSON <-> frames through flatbuffers::Parser loaded with the embedded schema: field names and
// enum names are the schema's, nothing is hand-written. One JSON object per line, no line breaks
// inside. Not thread-safe; create one per thread. Not for the hot path.
class JsonCodec {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<JsonCodec>> Create();
  ~JsonCodec();
  JsonCodec(const JsonCodec&) = delete;
  JsonCodec& operator=(const JsonCodec&) = delete;

  // One input envelope as JSON -> the command it holds (read, not validated: a recorded bad
  // command stays convertible).
  [[nodiscard]] absl::StatusOr<Command> ParseCommand(std::string_view json);
  [[nodiscard]] absl::StatusOr<Event> ParseEvent(std::string_view json);

  // One input envelope as JSON -> the frame exactly as the parser lays it out (valid, not
  // canonical, not checked beyond the schema's syntax). For tests and tools that need bytes a
  // well-behaved encoder would never produce.
  [[nodiscard]] absl::StatusOr<std::vector<uint8_t>> InputFrameFromJson(std::string_view json);

  // A size-prefixed frame -> one line of JSON. The frame is verified first.
  [[nodiscard]] absl::StatusOr<std::string> InputToJson(std::span<const uint8_t> frame);
  [[nodiscard]] absl::StatusOr<std::string> OutputToJson(std::span<const uint8_t> frame);

  [[nodiscard]] absl::StatusOr<std::string> ToJson(const Command& command);
  [[nodiscard]] absl::StatusOr<std::string> ToJson(const Event& event);

  // A symbol-config file: {"symbols": [...]} or a bare array [...] whose items are ConfigureSymbol
  // bodies ({"config": {...}}, as in an input line). Every config is validated and symbol ids
  // must be unique.
  [[nodiscard]] absl::StatusOr<std::vector<SymbolConfig>> ParseSymbolConfigs(std::string_view json);

  // Just the body, in the schema's relaxed JSON (unquoted keys), for human-readable listings:
  // `NewOrder {symbol: 1, account: 7, ...}`.
  [[nodiscard]] absl::StatusOr<std::string> DescribeInput(std::span<const uint8_t> frame);
  [[nodiscard]] absl::StatusOr<std::string> DescribeOutput(std::span<const uint8_t> frame);

 private:
  struct Impl;
  explicit JsonCodec(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  Encoder encoder_;
};

}  // namespace cascade::wire
