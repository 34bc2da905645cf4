// Entry points: queries, snapshots and JSON conversion.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/c_api.h"
#include "engine/c_api/handle.h"
#include "engine/wire/snapshot_codec.h"

using cascade::c_api::Fail;
using cascade::c_api::Guarded;

namespace cascade::c_api {
namespace {

constexpr char kNullEngine[] = "engine is NULL";

cascade_level ToC(const LevelView& level) noexcept {
  return {level.price.value(), level.qty.value(), level.orders};
}

cascade_status Best(const cascade_engine* h, std::optional<LevelView> level, cascade_level* out) {
  if (out == nullptr) return Fail(h, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  if (!level) return Fail(h, CASCADE_E_NOT_FOUND, "no level: side empty or symbol unknown");
  *out = ToC(*level);
  return CASCADE_OK;
}

int64_t Saturate(int128 v) noexcept {
  constexpr int128 kMax = std::numeric_limits<int64_t>::max();
  constexpr int128 kMin = std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(std::clamp(v, kMin, kMax));
}

}  // namespace
}  // namespace cascade::c_api

extern "C" {

cascade_status cascade_best_bid(const cascade_engine* engine, uint32_t symbol, cascade_level* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  return cascade::c_api::Best(engine, engine->engine.BestBid(cascade::SymbolId(symbol)), out);
}

cascade_status cascade_best_ask(const cascade_engine* engine, uint32_t symbol, cascade_level* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  return cascade::c_api::Best(engine, engine->engine.BestAsk(cascade::SymbolId(symbol)), out);
}

cascade_status cascade_depth(const cascade_engine* engine, uint32_t symbol, uint8_t side,
                             cascade_level* levels, size_t capacity, size_t* count) {
  return Guarded(engine, [&]() -> cascade_status {
    if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
    if (count == nullptr || (levels == nullptr && capacity > 0)) {
      return Fail(engine, CASCADE_E_NULL_ARGUMENT, "levels or count is NULL");
    }
    if (side > CASCADE_SIDE_SELL) return Fail(engine, CASCADE_E_INVALID_ARGUMENT, "bad side");
    // The engine fills its own view type; a small request stays on the stack (no allocation).
    std::array<cascade::LevelView, 64> small;
    std::vector<cascade::LevelView> large;
    // A side has at most max_orders levels, whatever capacity the caller offers.
    const size_t wanted = std::min<size_t>(capacity, engine->max_orders);
    std::span<cascade::LevelView> views(small.data(), std::min(wanted, small.size()));
    if (wanted > small.size()) {
      large.resize(wanted);
      views = large;
    }
    *count =
        engine->engine.Depth(cascade::SymbolId(symbol), static_cast<cascade::Side>(side), views);
    for (size_t i = 0; i < *count; ++i) levels[i] = cascade::c_api::ToC(views[i]);
    return CASCADE_OK;
  });
}

cascade_status cascade_order(const cascade_engine* engine, uint32_t account, uint64_t order_id,
                             cascade_order_state* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  if (out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  const cascade::OrderView o =
      engine->engine.Order(cascade::AccountId(account), cascade::OrderId(order_id));
  *out = {};
  out->status = static_cast<uint8_t>(o.status);
  out->symbol = o.symbol.value();
  out->side = static_cast<uint8_t>(o.side);
  out->type = static_cast<uint8_t>(o.type);
  out->tif = static_cast<uint8_t>(o.tif);
  out->price = o.price.value();
  out->stop_price = o.stop_price.value();
  out->open = o.open.value();
  return CASCADE_OK;
}

cascade_status cascade_bucket(const cascade_engine* engine, uint32_t account, uint8_t margin,
                              uint32_t symbol, cascade_bucket_state* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  if (out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  if (margin > CASCADE_MARGIN_ISOLATED) {
    return Fail(engine, CASCADE_E_INVALID_ARGUMENT, "bad margin mode");
  }
  const cascade::risk::RiskEngine& risk = engine->engine.risk();
  const cascade::BucketId bucket =
      risk.FindBucket(cascade::AccountId(account), static_cast<cascade::MarginMode>(margin),
                      cascade::SymbolId(symbol));
  if (bucket == cascade::risk::kNoBucket) return Fail(engine, CASCADE_E_NOT_FOUND, "no bucket");
  const cascade::risk::BucketView view = risk.GetBucket(bucket);
  const cascade::risk::Margins margins = risk.GetMargins(bucket);
  *out = {};
  out->bucket = bucket.value();
  out->leverage = view.leverage;
  out->quote = view.quote.value();
  out->equity = cascade::c_api::Saturate(margins.equity);
  out->maintenance = cascade::c_api::Saturate(margins.maintenance);
  out->initial = cascade::c_api::Saturate(margins.initial);
  out->in_liquidation = view.in_liquidation ? 1 : 0;
  return CASCADE_OK;
}

cascade_status cascade_last_seq(const cascade_engine* engine, uint64_t* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  if (out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  *out = engine->engine.last_seq().value();
  return CASCADE_OK;
}

cascade_status cascade_state_digest(const cascade_engine* engine, uint64_t* out) {
  if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, cascade::c_api::kNullEngine);
  if (out == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "out is NULL");
  *out = engine->engine.StateDigest();
  return CASCADE_OK;
}

cascade_status cascade_snapshot(cascade_engine* engine, uint8_t* buffer, size_t capacity,
                                size_t* size_out) {
  return Guarded(engine, [&]() -> cascade_status {
    if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
    if (!engine->snapshot_valid) {
      engine->snapshot = cascade::wire::EncodeSnapshot(engine->engine.Snapshot());
      engine->snapshot_valid = true;
    }
    return cascade::c_api::CopyOut(engine, engine->snapshot, buffer, capacity, size_out);
  });
}

cascade_status cascade_json_to_frame(cascade_engine* engine, const char* json, uint8_t* buffer,
                                     size_t capacity, size_t* size_out) {
  return Guarded(engine, [&]() -> cascade_status {
    if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
    if (json == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "json is NULL");
    absl::StatusOr<cascade::Command> command = cascade::c_api::Json(*engine)->ParseCommand(json);
    if (!command.ok()) return Fail(engine, CASCADE_E_BAD_JSON, command.status().message());
    // Canonical bytes, as cascade-journal from-json writes them.
    return cascade::c_api::CopyOut(engine, engine->encoder.Encode(*command), buffer, capacity,
                                   size_out);
  });
}

cascade_status cascade_event_frame_to_json(cascade_engine* engine, const uint8_t* frame,
                                           size_t size, char* buffer, size_t capacity,
                                           size_t* size_out) {
  return Guarded(engine, [&]() -> cascade_status {
    if (engine == nullptr) return Fail(nullptr, CASCADE_E_NULL_ARGUMENT, "engine is NULL");
    if (frame == nullptr) return Fail(engine, CASCADE_E_NULL_ARGUMENT, "frame is NULL");
    absl::StatusOr<std::string> json = cascade::c_api::Json(*engine)->OutputToJson({frame, size});
    if (!json.ok()) return Fail(engine, CASCADE_E_INVALID_INPUT, json.status().message());
    return cascade::c_api::CopyOut(
        engine, {reinterpret_cast<const uint8_t*>(json->c_str()), json->size() + 1},
        reinterpret_cast<uint8_t*>(buffer), capacity, size_out);
  });
}

}  // extern "C"
