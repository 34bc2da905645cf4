#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/c_api.h"
#include "engine/engine.h"
#include "engine/wire/encode.h"
#include "engine/wire/json.h"

// The opaque handle: an engine plus what the C boundary needs around it. Single-threaded like the
// engine itself.
struct cascade_engine {
  explicit cascade_engine(const cascade::EngineConfig& config)
      : engine(config), max_orders(config.max_orders) {}

  cascade::Engine engine;
  uint32_t max_orders;  // bounds the levels of a side, so a depth request's scratch space
  // The current events: the engine's own buffer, valid until the next Apply (no copy).
  std::span<const cascade::Event> events;
  // Encoders reuse their buffers, so encoding allocates only until warm.
  cascade::wire::Encoder encoder;
  // The current events encoded, built on the first cascade_events_read after a submit; kept so
  // that a read retried with a bigger buffer costs a copy, not another encoding.
  std::vector<uint8_t> frames;
  bool frames_valid = false;
  std::vector<uint8_t> snapshot;  // likewise for cascade_snapshot
  bool snapshot_valid = false;
  std::unique_ptr<cascade::wire::JsonCodec> json;  // created on first use: JSON is not hot

  // The callback's frames have their own encoder: a callback may call cascade_events_read, which
  // must not overwrite the frame it was handed.
  cascade::wire::Encoder callback_encoder;
  cascade_event_callback callback = nullptr;
  void* callback_context = nullptr;
  uint32_t callback_flags = 0;
  bool in_callback = false;

  // Written by const queries too: errors are not part of the engine's state.
  mutable std::string last_error;
  uint16_t last_reject = 0;
};

namespace cascade::c_api {

// Records `message` as the handle's last error (the calling thread's when engine is null) and
// returns status. Never throws: a message that cannot be stored is dropped.
cascade_status Fail(const cascade_engine* engine, cascade_status status,
                    absl::string_view message) noexcept;
const char* ThreadLastError() noexcept;

// Every entry point runs its body through this: no exception crosses the C boundary.
template <typename F>
cascade_status Guarded(const cascade_engine* engine, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(engine, CASCADE_E_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return Fail(engine, CASCADE_E_INTERNAL, e.what());
  } catch (...) {
    return Fail(engine, CASCADE_E_INTERNAL, "unknown exception");
  }
}

// The buffer protocol shared by every function that writes bytes: all or nothing, and the size
// needed when the buffer is too small.
cascade_status CopyOut(const cascade_engine* engine, std::span<const uint8_t> bytes,
                       uint8_t* buffer, size_t capacity, size_t* size_out) noexcept;

// The JSON codec of the handle, created on first use.
wire::JsonCodec* Json(cascade_engine& engine);

}  // namespace cascade::c_api
