// Entry points: version, errors, engine lifetime, inputs and output events. Queries, snapshots
// and JSON are in queries.cc.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/c_api.h"
#include "engine/c_api/convert.h"
#include "engine/c_api/handle.h"
#include "engine/wire/decode.h"
#include "engine/wire/snapshot_codec.h"
#include "engine/wire/validate.h"

using cascade::c_api::Fail;
using cascade::c_api::Guarded;

namespace cascade::c_api {
namespace {

constexpr char kNullEngine[] = "engine is NULL";

cascade_status ToEngineConfig(const cascade_config* in, EngineConfig& out) {
  if (in == nullptr) return CASCADE_OK;  // defaults
  if (in->struct_size != sizeof(cascade_config)) {
    return Fail(nullptr, CASCADE_E_INVALID_ARGUMENT,
                "cascade_config.struct_size does not match this library: use cascade_config_init");
  }
  if (in->max_symbols == 0 || in->max_orders == 0 || in->max_accounts == 0 ||
      in->max_buckets == 0 || in->max_positions == 0) {
    return Fail(nullptr, CASCADE_E_INVALID_ARGUMENT, "cascade_config: every size must be > 0");
  }
  out.max_symbols = in->max_symbols;
  out.max_orders = in->max_orders;
  out.max_accounts = in->max_accounts;
  out.max_buckets = in->max_buckets;
  out.max_positions = in->max_positions;
  out.event_buffer_reserve = in->event_buffer_reserve;
  return CASCADE_OK;
}

// Input that never reached the engine: no events, state unchanged, the reason kept.
cascade_status Refuse(cascade_engine& h, RejectReason reason) {
  h.last_reject = static_cast<uint16_t>(reason);
  const std::string_view name = ToString(reason);
  return Fail(&h, CASCADE_E_INVALID_INPUT,
              absl::StrCat("input refused: ", absl::string_view(name.data(), name.size()), " (",
                           static_cast<int>(reason), ")"));
}

// Hands every current event to the callback; runs after Apply returned, so the engine is
// consistent and a callback that reads (but does not call into the handle) sees the new state.
cascade_status Deliver(cascade_engine& h) {
  if (h.callback == nullptr) return CASCADE_OK;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{h.in_callback};
  h.in_callback = true;
  const bool frames = (h.callback_flags & CASCADE_CALLBACK_FRAMES) != 0;
  cascade_event view;
  for (const Event& event : h.events) {
    ToC(event, view);
    std::span<const uint8_t> frame;
    if (frames) frame = h.callback_encoder.Encode(event);
    try {
      h.callback(h.callback_context, &view, frame.data(), frame.size());
    } catch (...) {
      return Fail(&h, CASCADE_E_CALLBACK, "the event callback threw; the input was applied");
    }
  }
  return CASCADE_OK;
}

// Every input starts here: the previous input's events are dropped (their buffer is about to be
// reused by the engine), whether or not this one gets applied.
cascade_status Begin(cascade_engine* h, size_t* event_count) {
  if (event_count != nullptr) *event_count = 0;
  if (h == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, kNullEngine);
  if (h->in_callback) {
    return Fail(h, CASCADE_E_REENTRANT, "submit from inside the event callback");
  }
  h->events = {};
  h->frames_valid = false;
  h->snapshot_valid = false;
  return CASCADE_OK;
}

// Validate() as for a decoded frame (unless it was one), then Apply.
cascade_status Apply(cascade_engine& h, const Command& command, bool validate,
                     size_t* event_count) {
  if (validate) {
    if (RejectReason r = wire::Validate(command); r != RejectReason::kNone) return Refuse(h, r);
  }
  h.events = h.engine.Apply(command);
  if (event_count != nullptr) *event_count = h.events.size();
  return Deliver(h);
}

template <typename In>
cascade_status SubmitPlain(cascade_engine* h, const In* in, size_t* event_count) noexcept {
  return Guarded(h, [&]() -> cascade_status {
    if (cascade_status s = Begin(h, event_count); s != CASCADE_OK) return s;
    if (in == nullptr) return Fail(h, CASCADE_E_NULL_ARGUMENT, "input struct is NULL");
    Command command = ToCommand(*in);
    // seq 0: the next number, so that a plain-struct caller need not track it.
    if (command.seq == SeqNo(0)) command.seq = SeqNo(h->engine.last_seq().value() + 1);
    return Apply(*h, command, /*validate=*/true, event_count);
  });
}

}  // namespace
}  // namespace cascade::c_api

extern "C" {

const char* cascade_error_message(cascade_status status) {
  switch (status) {
    case CASCADE_OK:
      return "ok";
    case CASCADE_E_NULL_ARGUMENT:
      return "a required pointer argument is NULL";
    case CASCADE_E_INVALID_ARGUMENT:
      return "an argument is out of range";
    case CASCADE_E_INVALID_INPUT:
      return "the input failed decoding or validation and was not applied";
    case CASCADE_E_BUFFER_TOO_SMALL:
      return "buffer too small: nothing written, *size_out holds the bytes needed";
    case CASCADE_E_NOT_FOUND:
      return "not found";
    case CASCADE_E_BAD_SNAPSHOT:
      return "snapshot refused";
    case CASCADE_E_BAD_JSON:
      return "JSON does not match the schema";
    case CASCADE_E_REENTRANT:
      return "called from inside this handle's event callback";
    case CASCADE_E_OUT_OF_MEMORY:
      return "out of memory";
    case CASCADE_E_CALLBACK:
      return "the event callback threw";
    case CASCADE_E_INTERNAL:
      return "internal error";
    default:
      return "unknown status";
  }
}

uint32_t cascade_abi_version(void) {
  return (uint32_t{CASCADE_C_API_VERSION_MAJOR} << 16) | CASCADE_C_API_VERSION_MINOR;
}

#define CASCADE_STR2(x) #x
#define CASCADE_STR(x) CASCADE_STR2(x)
const char* cascade_version(void) {
  return "cascade-c-api " CASCADE_STR(CASCADE_C_API_VERSION_MAJOR) "." CASCADE_STR(
      CASCADE_C_API_VERSION_MINOR) " (cascade " CASCADE_VERSION ")";
}

cascade_status cascade_config_init(cascade_config* config) {
  if (config == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "config is NULL");
  const cascade::EngineConfig defaults;
  *config = {static_cast<uint32_t>(sizeof(cascade_config)),
             defaults.max_symbols,
             defaults.max_orders,
             defaults.max_accounts,
             defaults.max_buckets,
             defaults.max_positions,
             defaults.event_buffer_reserve};
  return CASCADE_OK;
}

cascade_status cascade_create(const cascade_config* config, cascade_engine** out) {
  return Guarded(nullptr, [&]() -> cascade_status {
    if (out == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "out is NULL");
    *out = nullptr;
    cascade::EngineConfig engine_config;
    if (cascade_status s = cascade::c_api::ToEngineConfig(config, engine_config); s != CASCADE_OK) {
      return s;
    }
    *out = new cascade_engine(engine_config);
    return CASCADE_OK;
  });
}

cascade_status cascade_create_from_snapshot(const cascade_config* config, const uint8_t* bytes,
                                            size_t size, cascade_engine** out) {
  return Guarded(nullptr, [&]() -> cascade_status {
    if (out != nullptr) *out = nullptr;
    if (out == nullptr || bytes == nullptr) {
      return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "out or bytes is NULL");
    }
    cascade::EngineConfig engine_config;
    if (cascade_status s = cascade::c_api::ToEngineConfig(config, engine_config); s != CASCADE_OK) {
      return s;
    }
    if (size == 0) return Fail(nullptr, CASCADE_E_BAD_SNAPSHOT, "empty snapshot");
    // The codec reads in place and needs 8-byte alignment; callers' buffers need not have it.
    std::vector<uint64_t> aligned((size + 7) / 8);
    std::memcpy(aligned.data(), bytes, size);
    auto snapshot =
        cascade::wire::DecodeSnapshot({reinterpret_cast<const uint8_t*>(aligned.data()), size});
    if (!snapshot.ok()) {
      return Fail(nullptr, CASCADE_E_BAD_SNAPSHOT, snapshot.status().message());
    }
    auto engine = std::make_unique<cascade_engine>(engine_config);
    if (absl::Status restored = engine->engine.Restore(*snapshot); !restored.ok()) {
      return Fail(nullptr, CASCADE_E_BAD_SNAPSHOT, restored.message());
    }
    *out = engine.release();
    return CASCADE_OK;
  });
}

void cascade_destroy(cascade_engine* engine) { delete engine; }

const char* cascade_last_error(const cascade_engine* engine) {
  return engine != nullptr ? engine->last_error.c_str() : cascade::c_api::ThreadLastError();
}

uint16_t cascade_last_reject_reason(const cascade_engine* engine) {
  return engine != nullptr ? engine->last_reject : 0;
}

cascade_status cascade_submit_new_order(cascade_engine* engine, const cascade_new_order* order,
                                        size_t* event_count) {
  return cascade::c_api::SubmitPlain(engine, order, event_count);
}

cascade_status cascade_submit_cancel(cascade_engine* engine, const cascade_cancel_order* cancel,
                                     size_t* event_count) {
  return cascade::c_api::SubmitPlain(engine, cancel, event_count);
}

cascade_status cascade_submit_amend(cascade_engine* engine, const cascade_amend_order* amend,
                                    size_t* event_count) {
  return cascade::c_api::SubmitPlain(engine, amend, event_count);
}

cascade_status cascade_submit_frame(cascade_engine* engine, const uint8_t* frame, size_t size,
                                    size_t* event_count) {
  return Guarded(engine, [&]() -> cascade_status {
    if (cascade_status s = cascade::c_api::Begin(engine, event_count); s != CASCADE_OK) return s;
    if (frame == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "frame is NULL");
    cascade::Command command;
    if (cascade::RejectReason r = cascade::wire::Decode({frame, size}, command);
        r != cascade::RejectReason::kNone) {
      return cascade::c_api::Refuse(*engine, r);
    }
    return cascade::c_api::Apply(*engine, command, /*validate=*/false, event_count);
  });
}

cascade_status cascade_submit_json(cascade_engine* engine, const char* json, size_t* event_count) {
  return Guarded(engine, [&]() -> cascade_status {
    if (cascade_status s = cascade::c_api::Begin(engine, event_count); s != CASCADE_OK) return s;
    if (json == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "json is NULL");
    // Parsing reads without validating (a recorded bad command stays convertible); Apply
    // validates, so JSON passes exactly the checks a frame does.
    absl::StatusOr<cascade::Command> command = cascade::c_api::Json(*engine)->ParseCommand(json);
    if (!command.ok()) return Fail(engine, CASCADE_E_BAD_JSON, command.status().message());
    return cascade::c_api::Apply(*engine, *command, /*validate=*/true, event_count);
  });
}

cascade_status cascade_event_count(const cascade_engine* engine, size_t* count) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
  if (count == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "count is NULL");
  *count = engine->events.size();
  return CASCADE_OK;
}

cascade_status cascade_event_get(const cascade_engine* engine, size_t index, cascade_event* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
  if (out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  if (index >= engine->events.size()) {
    return Fail(engine, CASCADE_E_NOT_FOUND, "event index beyond the current events");
  }
  cascade::c_api::ToC(engine->events[index], *out);
  return CASCADE_OK;
}

cascade_status cascade_events_read(cascade_engine* engine, uint8_t* buffer, size_t capacity,
                                   size_t* size_out) {
  return Guarded(engine, [&]() -> cascade_status {
    if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
    if (!engine->frames_valid) {
      engine->frames.clear();
      for (const cascade::Event& event : engine->events) {
        std::span<const uint8_t> frame = engine->encoder.Encode(event);
        engine->frames.insert(engine->frames.end(), frame.begin(), frame.end());
      }
      engine->frames_valid = true;
    }
    return cascade::c_api::CopyOut(engine, engine->frames, buffer, capacity, size_out);
  });
}

cascade_status cascade_set_event_callback(cascade_engine* engine, cascade_event_callback callback,
                                          void* context, uint32_t flags) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
  if ((flags & ~uint32_t{CASCADE_CALLBACK_FRAMES}) != 0) {
    return Fail(engine, CASCADE_E_INVALID_ARGUMENT, "unknown callback flags");
  }
  if (engine->in_callback) {
    return Fail(engine, CASCADE_E_REENTRANT, "callback changed from inside the callback");
  }
  engine->callback = callback;
  engine->callback_context = context;
  engine->callback_flags = flags;
  return CASCADE_OK;
}

}  // extern "C"
