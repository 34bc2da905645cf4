#pragma once

// The path an input message takes through an exchange built on the engine once it has arrived:
// verify and decode the frame, journal it (optional), apply it, encode its events. The open-loop
// runs (replay/open_loop.h), the full-path benchmarks (perf/full_path_benchmark.cc) and
// tools/perf-check's workloads all measure this one path.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "engine/core/command.h"
#include "engine/engine.h"
#include "engine/journal/writer.h"
#include "engine/wire/encode.h"

namespace cascade::replay {

class Pipeline {
 public:
  explicit Pipeline(const EngineConfig& config) : engine_(config) {}

  // Appends every input frame to a journal at `path` (buffered, never synced): "/dev/null"
  // measures the append (copy, CRC, a write(2) per buffer) without a disk.
  [[nodiscard]] absl::Status JournalTo(const std::string& path);
  [[nodiscard]] absl::Status CloseJournal();

  // One message. Returns its events (valid until the next call), already encoded; empty when
  // the frame does not decode (counted in decode_errors()).
  std::span<const Event> Process(std::span<const uint8_t> frame) noexcept;

  [[nodiscard]] Engine& engine() noexcept { return engine_; }
  [[nodiscard]] uint64_t decode_errors() const noexcept { return decode_errors_; }
  [[nodiscard]] uint64_t encoded_bytes() const noexcept { return encoded_bytes_; }

 private:
  Engine engine_;
  wire::Encoder encoder_;
  Command command_;
  std::optional<journal::JournalWriter> journal_;
  absl::Status journal_error_;
  uint64_t decode_errors_ = 0;
  uint64_t encoded_bytes_ = 0;
};

}  // namespace cascade::replay
