#pragma once

#include <absl/status/status.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/risk/risk_engine.h"
#include "engine/snapshot.h"

namespace cascade {

struct EngineConfig {
  uint32_t max_symbols = 64;
  // Live orders (resting and pending stops) across all symbols; pools are sized from this at
  // start-up and an order beyond it is rejected with kOrderPoolExhausted.
  uint32_t max_orders = 1u << 20;
  // Live orders the id index is sized for at start-up (capped at max_orders). Past it the index
  // doubles, one allocation each time a new high is reached. Sizing it for max_orders would make
  // it megabytes, and every id lookup a cache miss.
  uint32_t order_index_reserve = 1u << 13;
  uint32_t max_accounts = 1u << 16;
  // Margin buckets (user, insurance funds, fee pool) and (bucket, symbol) positions.
  uint32_t max_buckets = 1u << 17;
  uint32_t max_positions = 1u << 18;
  // Events one command may produce before the buffer grows (a deep cascade can exceed it; growth
  // is the only allocation and happens once).
  uint32_t event_buffer_reserve = 1u << 16;
};

struct LevelView {
  Price price{0};
  Qty qty{0};
  uint32_t orders = 0;
  friend bool operator==(const LevelView&, const LevelView&) = default;
};

struct OrderView {
  OrderStatus status = OrderStatus::kUnknown;
  SymbolId symbol{0};
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  Price price{0};
  Price stop_price{0};
  Qty open{0};
  friend bool operator==(const OrderView&, const OrderView&) = default;
};

class EngineImpl;

// Profiling hook: Apply reports the boundaries between its stages so a profiler outside the engine
// can time them with its own clock (the engine reads none). Called between stages, never mid-match.
enum class ApplyStage : uint8_t {
  kCommandHandled,  // validation, matching and stop triggering of the command itself are done
  kSweepDone,       // the risk sweep has run to quiescence
};
using StageCallback = void (*)(void* context, ApplyStage stage) noexcept;

// The matching engine: single-threaded, deterministic, no I/O, no clock. Apply one command at a
// time; the returned events are valid until the next call to Apply.
class Engine {
 public:
  explicit Engine(const EngineConfig& config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::span<const Event> Apply(const Command& command) noexcept;

  // Installs (or with nullptr removes) the stage hook; it costs one predictable branch per stage
  // when absent.
  void SetStageCallback(StageCallback callback, void* context) noexcept;

  // Queries for embedders.
  [[nodiscard]] const SymbolConfig* Symbol(SymbolId symbol) const noexcept;
  [[nodiscard]] std::optional<LevelView> BestBid(SymbolId symbol) const noexcept;
  [[nodiscard]] std::optional<LevelView> BestAsk(SymbolId symbol) const noexcept;
  // Fills `out` with up to out.size() levels from the best price outward; returns how many.
  size_t Depth(SymbolId symbol, Side side, std::span<LevelView> out) const noexcept;
  [[nodiscard]] OrderView Order(AccountId account, OrderId order_id) const noexcept;
  [[nodiscard]] std::optional<Price> LastTradePrice(SymbolId symbol) const noexcept;
  [[nodiscard]] SeqNo last_seq() const noexcept;
  // A stable digest of the whole engine state (symbols, books in priority order, pending stops,
  // last trades, sequence number, and the risk engine's buckets, positions, marks, funding and
  // retry queue): equal digests mean equal state, on any machine.
  [[nodiscard]] uint64_t StateDigest() const noexcept;

  // Exports the whole state; Restore loads one into an engine that has applied nothing yet and
  // refuses snapshots that do not fit this engine's configuration or are inconsistent (after a
  // failed Restore the engine must be discarded).
  [[nodiscard]] EngineSnapshot Snapshot() const;
  [[nodiscard]] absl::Status Restore(const EngineSnapshot& snapshot);
  [[nodiscard]] size_t live_orders() const noexcept;
  // Margin, liquidation and ADL queries (bucket equity, margins, liquidation price, ADL rank).
  [[nodiscard]] const risk::RiskEngine& risk() const noexcept;

  EngineImpl& impl() noexcept { return *impl_; }
  const EngineImpl& impl() const noexcept { return *impl_; }

 private:
  std::unique_ptr<EngineImpl> impl_;
};

}  // namespace cascade
