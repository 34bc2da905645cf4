#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/core/checked_math.h"
#include "engine/core/symbol_config.h"
#include "engine/risk/bucket.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {

// The risk engine's whole state as plain values (see RiskEngine::Snapshot). Everything derived is
// left out and rebuilt on restore: the trigger index (re-keyed from the positions), bucket lookup
// by key, margined symbol ids, tier tables and per-bucket position counts.

struct PositionSnapshot {
  uint32_t symbol = 0;
  int64_t size = 0;  // lots, long > 0
  int64_t cost = 0;
  int64_t open_buy = 0;
  int64_t open_sell = 0;
};

struct BucketSnapshot {
  BucketId id{0};
  AccountId account{0};
  SymbolId symbol{0};
  MarginMode mode = MarginMode::kCross;
  BucketKind kind = BucketKind::kUser;
  bool in_liquidation = false;
  bool parked = false;
  bool in_retry = false;
  uint32_t leverage = 0;
  uint32_t origin_round = 0;
  int64_t quote = 0;
  int64_t cooldown_until = 0;
  uint64_t liquidated_in_sweep = 0;
  uint64_t collected_in = 0;
  std::vector<PositionSnapshot> positions;  // ascending symbol id
};

// A symbol's mark-price inputs and sampling state (MarkPrice), rings verbatim.
struct MarkPriceSnapshot {
  int64_t index = 0;
  int64_t external = 0;
  int64_t predicted_rate = 0;
  int64_t top_bid = 0;
  int64_t top_ask = 0;
  int64_t top_last = 0;
  int64_t slot = 0;
  std::vector<int64_t> basis;
  uint32_t basis_count = 0;
  uint32_t basis_head = 0;
  int128 basis_sum = 0;
  int128 premium_sum = 0;
  int64_t premium_count = 0;
  std::vector<int128> impact;
  int128 impact_net = 0;
};

struct RiskSymbolSnapshot {
  SymbolConfig config{};
  int64_t mark = 0;
  int128 funding_index = 0;
  int64_t last_funding_rate = 0;
  int64_t funding_slot = 0;
  bool funding_slot_known = false;
  MarkPriceSnapshot mark_price;  // margined symbols only
  // Bucket ids of the positions with size != 0, in the order funding and ADL visit them.
  std::vector<uint32_t> holders;
};

struct RiskSnapshot {
  SeqNo seq{0};
  int64_t now = 0;
  bool time_known = false;
  uint64_t sweep = 0;
  uint64_t collect = 0;
  std::vector<RiskSymbolSnapshot> symbols;  // configured symbols, ascending id
  std::vector<BucketSnapshot> buckets;      // every bucket, ascending id (0 is the fee pool)
  std::array<uint32_t, kMaxFundGroups> funds{};
  std::vector<uint32_t> retry;  // bucket ids, queue order
  RiskAudit audit{};
};

}  // namespace cascade::risk
