#pragma once

#include <boost/intrusive/list.hpp>
#include <boost/intrusive/set.hpp>
#include <cstdint>
#include <limits>

#include "engine/core/enums.h"
#include "engine/core/strong_int.h"

namespace cascade::risk {

namespace bi = boost::intrusive;
using FastLink = bi::link_mode<bi::normal_link>;
using TriggerHook = bi::set_member_hook<FastLink, bi::optimize_size<true>>;
using ListHook = bi::list_member_hook<FastLink>;

inline constexpr BucketId kNoBucket{std::numeric_limits<uint32_t>::max()};
// Owner of the system buckets (insurance funds, fee pool). A Deposit from this account credits
// the insurance fund of the symbol's fund group.
inline constexpr AccountId kSystemAccount{std::numeric_limits<uint32_t>::max()};

enum class BucketKind : uint8_t { kUser = 0, kInsuranceFund = 1, kFeePool = 2 };
enum class TriggerSide : uint8_t { kNone = 0, kLong = 1, kShort = 2 };

// One symbol inside a bucket. It lives while the bucket holds a position or open orders in the
// symbol; the node comes from a pool sized at start-up.
struct alignas(64) Position {
  // The index walks trigger_hook, trigger and bucket of every node on its path: they share the
  // first cache line.
  TriggerHook trigger_hook;
  // Long: the largest liquidatable tick; short: the smallest (risk-model.md section 5).
  int64_t trigger = 0;
  uint32_t bucket = 0;
  uint32_t symbol = 0;
  int64_t size = 0;  // lots, long > 0
  TriggerSide indexed = TriggerSide::kNone;
  bool in_multi = false;    // in a cross bucket holding two or more symbols
  bool banded = false;      // its Band is in the symbol's MarkBands
  bool band_built = false;  // its Band slot is constructed (kept when the slot is reused)
  int64_t cost = 0;         // signed open notional (atoms): entry price and ADL ranking only
  int64_t open_buy = 0;     // resting buy notional at order prices (atoms)
  int64_t open_sell = 0;    // resting sell notional at order prices (atoms)
  ListHook symbol_hook;     // the symbol's positions with size != 0
  ListHook bucket_hook;     // the bucket's positions, ascending symbol id
};
static_assert(sizeof(Position) == 128);

using BucketPositions =
    bi::list<Position, bi::member_hook<Position, ListHook, &Position::bucket_hook>,
             bi::constant_time_size<false>>;
using SymbolPositions =
    bi::list<Position, bi::member_hook<Position, ListHook, &Position::symbol_hook>,
             bi::constant_time_size<true>>;

// A margin bucket (risk-model.md section 2): cash plus positions; all risk math is per bucket.
struct Bucket {
  BucketId id{0};
  AccountId account{0};
  SymbolId symbol{0};  // isolated buckets only
  MarginMode mode = MarginMode::kCross;
  BucketKind kind = BucketKind::kUser;
  bool in_liquidation = false;
  bool parked = false;  // out of the trigger index while it waits in the retry queue
  bool in_retry = false;
  bool negative_pending = false;  // flat with negative cash, waiting for the fund
  uint16_t nonzero_positions = 0;
  uint32_t leverage = 0;      // 0: each tier's own IMR
  uint32_t origin_round = 0;  // generation of the liquidation it is retrying
  // Bit 0: waiting in the ADL dirty list; the rest counts changes while an ADL ranking is live.
  uint32_t adl_touch = 0;
  int64_t quote = 0;                                             // atoms
  int64_t cooldown_until = std::numeric_limits<int64_t>::min();  // partial-liquidation cooldown
  uint64_t liquidated_in_sweep = 0;  // sweep number of its last liquidation
  uint64_t collected_in = 0;         // de-duplicates candidates within a round
  BucketPositions positions;
  ListHook retry_hook;
};

using RetryQueue = bi::list<Bucket, bi::member_hook<Bucket, ListHook, &Bucket::retry_hook>,
                            bi::constant_time_size<true>>;

}  // namespace cascade::risk
