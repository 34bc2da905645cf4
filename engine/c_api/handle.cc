#include "engine/c_api/handle.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace cascade::c_api {
namespace {

// Errors of calls that had no usable handle (create, restore, a null handle).
thread_local std::string t_last_error;

}  // namespace

cascade_status Fail(const cascade_engine* engine, cascade_status status,
                    absl::string_view message) noexcept {
  std::string& target = engine != nullptr ? engine->last_error : t_last_error;
  try {
    target.assign(message.data(), message.size());
  } catch (...) {
    target.clear();
  }
  return status;
}

const char* ThreadLastError() noexcept { return t_last_error.c_str(); }

cascade_status CopyOut(const cascade_engine* engine, std::span<const uint8_t> bytes,
                       uint8_t* buffer, size_t capacity, size_t* size_out) noexcept {
  if (size_out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "size_out is NULL");
  *size_out = bytes.size();
  if (bytes.size() > capacity) {
    char message[64];
    std::snprintf(message, sizeof(message), "buffer too small: need %zu bytes", bytes.size());
    return Fail(engine, CASCADE_E_BUFFER_TOO_SMALL, message);
  }
  if (buffer == nullptr && !bytes.empty()) {
    return Fail(engine, CASCADE_E_NULL_ARGUMENT, "buffer is NULL");
  }
  if (!bytes.empty()) std::memcpy(buffer, bytes.data(), bytes.size());
  return CASCADE_OK;
}

wire::JsonCodec* Json(cascade_engine& engine) {
  if (engine.json == nullptr) {
    absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
    if (!codec.ok()) throw std::runtime_error(std::string(codec.status().message()));
    engine.json = *std::move(codec);
  }
  return engine.json.get();
}

}  // namespace cascade::c_api
