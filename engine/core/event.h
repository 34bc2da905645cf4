#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/enums.h"
#include "engine/core/strong_int.h"

namespace cascade {

// Events are plain structs; the envelope carries the sequence number and timestamp of the input
// command that caused them, so every event can be traced to its input.

enum class CancelReason : uint8_t {
  kUser = 0,
  kMassCancel = 1,
  kSelfTrade = 2,      // self-trade prevention
  kMarginRecheck = 3,  // maker failed its initial-margin re-check at fill time
  kLiquidation = 4,    // bucket entered liquidation
  kReduceOnly = 5,     // reduce-only order no longer reduces
};

enum class ExpireReason : uint8_t {
  kIoc = 0,               // immediate-or-cancel remainder
  kFok = 1,               // fill-or-kill could not fill whole
  kMarketProtection = 2,  // market order reached its protection band or the book emptied
};

// The command kind a reject answers (the index in CommandBody).
using CommandKind = uint8_t;

struct OrderAccepted {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  Price price{0};
  Price stop_price{0};
  Qty qty{0};
  friend bool operator==(const OrderAccepted&, const OrderAccepted&) = default;
};

struct CommandRejected {
  CommandKind command = 0;
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  RejectReason reason = RejectReason::kNone;
  friend bool operator==(const CommandRejected&, const CommandRejected&) = default;
};

struct OrderTriggered {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Price last_price{0};
  friend bool operator==(const OrderTriggered&, const OrderTriggered&) = default;
};

struct OrderAmended {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Price price{0};
  Qty qty{0};  // new open quantity
  bool priority_kept = false;
  friend bool operator==(const OrderAmended&, const OrderAmended&) = default;
};

struct Trade {
  SymbolId symbol{0};
  Price price{0};  // always the maker's price
  Qty qty{0};
  Side aggressor = Side::kBuy;
  AccountId maker_account{0};
  OrderId maker_order{0};
  AccountId taker_account{0};
  OrderId taker_order{0};
  Qty maker_remaining{0};
  Qty taker_remaining{0};
  bool liquidation = false;  // the taker is a liquidation order
  friend bool operator==(const Trade&, const Trade&) = default;
};

struct OrderCancelled {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Qty remaining{0};
  CancelReason reason = CancelReason::kUser;
  friend bool operator==(const OrderCancelled&, const OrderCancelled&) = default;
};

struct OrderExpired {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Qty remaining{0};
  ExpireReason reason = ExpireReason::kIoc;
  friend bool operator==(const OrderExpired&, const OrderExpired&) = default;
};

struct TopOfBook {  // emitted once per command per symbol whose best bid or ask changed
  SymbolId symbol{0};
  Price bid_price{0};
  Qty bid_qty{0};  // 0: no bids
  Price ask_price{0};
  Qty ask_qty{0};  // 0: no asks
  friend bool operator==(const TopOfBook&, const TopOfBook&) = default;
};

struct SymbolConfigured {
  SymbolId symbol{0};
  int64_t atoms_per_lot_tick = 0;
  friend bool operator==(const SymbolConfigured&, const SymbolConfigured&) = default;
};

struct BalanceChanged {  // deposit (amount > 0) or withdrawal (amount < 0) applied
  AccountId account{0};
  BucketId bucket{0};
  Atoms amount{0};
  Atoms quote_after{0};
  friend bool operator==(const BalanceChanged&, const BalanceChanged&) = default;
};

struct LeverageSet {
  AccountId account{0};
  BucketId bucket{0};
  uint32_t leverage = 1;
  friend bool operator==(const LeverageSet&, const LeverageSet&) = default;
};

struct MarkUpdated {
  SymbolId symbol{0};
  Price mark{0};
  Price index{0};
  friend bool operator==(const MarkUpdated&, const MarkUpdated&) = default;
};

// --- risk events: each names bucket, symbol and the sweep round (generation) ---

struct MarginCall {  // bucket found liquidatable
  AccountId account{0};
  BucketId bucket{0};
  SymbolId symbol{0};
  uint32_t round = 0;
  Atoms equity{0};
  Atoms maintenance{0};
  friend bool operator==(const MarginCall&, const MarginCall&) = default;
};

struct LiquidationOrder {
  AccountId account{0};
  BucketId bucket{0};
  SymbolId symbol{0};
  uint32_t round = 0;
  Side side = Side::kSell;
  Qty qty{0};
  Price limit_price{0};
  Atoms bankruptcy_quote{0};  // bankruptcy quote of the order's share of the position
  friend bool operator==(const LiquidationOrder&, const LiquidationOrder&) = default;
};

struct LiquidationFill {
  AccountId account{0};
  BucketId bucket{0};
  SymbolId symbol{0};
  uint32_t round = 0;
  Price price{0};
  Qty qty{0};
  Atoms quote{0};             // q * p * K
  Atoms bankruptcy_share{0};  // the fill's share of the bankruptcy quote
  Atoms fee_to_fund{0};       // clearance fee (>= 0)
  Atoms fund_paid{0};         // fund's payment when the fill is worse than bankruptcy (>= 0)
  friend bool operator==(const LiquidationFill&, const LiquidationFill&) = default;
};

struct Takeover {  // the insurance fund takes the remaining position at the bankruptcy price
  AccountId account{0};
  BucketId bucket{0};
  SymbolId symbol{0};
  uint32_t round = 0;
  BucketId fund_bucket{0};
  Qty qty{0};  // signed position moved to the fund
  Atoms bankruptcy_quote{0};
  friend bool operator==(const Takeover&, const Takeover&) = default;
};

struct AdlFill {  // one counterparty leg of auto-deleveraging
  AccountId account{0};
  BucketId bucket{0};  // the bankrupt bucket
  SymbolId symbol{0};
  uint32_t round = 0;
  AccountId counter_account{0};
  BucketId counter_bucket{0};
  Qty qty{0};  // lots taken off the counterparty (positive)
  Price price{0};
  Atoms quote{0};
  int64_t score = 0;  // ranking score, 1e8 scale
  friend bool operator==(const AdlFill&, const AdlFill&) = default;
};

struct BadDebt {
  AccountId account{0};
  BucketId bucket{0};
  SymbolId symbol{0};
  uint32_t round = 0;
  Atoms amount{0};  // loss the fund absorbed beyond its means
  friend bool operator==(const BadDebt&, const BadDebt&) = default;
};

struct FundingPayment {
  SymbolId symbol{0};
  int64_t rate = 0;  // 1e8 scale
  int64_t index_delta = 0;
  Atoms paid_by_payers{0};
  Atoms residual_to_fund{0};
  friend bool operator==(const FundingPayment&, const FundingPayment&) = default;
};

struct BucketState {
  AccountId account{0};
  BucketId bucket{0};
  uint32_t round = 0;
  Atoms quote{0};
  Atoms equity{0};
  Atoms maintenance{0};
  Atoms initial{0};
  bool in_liquidation = false;
  friend bool operator==(const BucketState&, const BucketState&) = default;
};

// --- session events: never from the engine; a gateway's answers on its connections ---

struct SessionAccepted {  // a Logon accepted (gateway/server.cc)
  uint64_t session = 0;
  AccountId account{0};   // the token's first account, 0 when it has none
  uint32_t accounts = 0;  // how many accounts the token may act for
  bool admin = false;
  friend bool operator==(const SessionAccepted&, const SessionAccepted&) = default;
};

using EventBody =
    std::variant<OrderAccepted, CommandRejected, OrderTriggered, OrderAmended, Trade,
                 OrderCancelled, OrderExpired, TopOfBook, SymbolConfigured, BalanceChanged,
                 LeverageSet, MarkUpdated, MarginCall, LiquidationOrder, LiquidationFill, Takeover,
                 AdlFill, BadDebt, FundingPayment, BucketState, SessionAccepted>;

struct Event {
  SeqNo seq{0};
  Timestamp ts{0};
  EventBody body{};
  friend bool operator==(const Event&, const Event&) = default;
};

// Appends an event, built in place where the compiler can (events are ~100 bytes: a temporary
// and its copy show up on the hot path). Building an aggregate from parentheses is C++20 that
// clang only has from version 16; older compilers (clang 14 builds the fuzz targets) take a copy.
template <typename Body>
Event& AppendEvent(std::vector<Event>& out, SeqNo seq, Timestamp ts, Body&& body) {
#if defined(__cpp_aggregate_paren_init)
  return out.emplace_back(seq, ts, std::forward<Body>(body));
#else
  return out.emplace_back(Event{seq, ts, EventBody(std::forward<Body>(body))});
#endif
}

}  // namespace cascade
