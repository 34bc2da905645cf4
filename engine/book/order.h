#pragma once

#include <boost/intrusive/list.hpp>
#include <cstddef>

#include "engine/core/enums.h"
#include "engine/core/strong_int.h"

namespace cascade {

struct PriceLevel;

using IntrusiveListHook =
    boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::normal_link>>;
// The account list uses an auto-unlink hook so an order can leave it without knowing its account.
using AccountListHook =
    boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

// A live order: resting in a price level or waiting in the stop book. Lives in the engine's order
// pool; linked into its level's FIFO queue and into its account's list (for mass cancel and
// liquidation), so removal is O(1) and never a scan.
struct Order {
  // What matching, cancel and amend read comes first, within 64 bytes (so in at most two cache
  // lines); what only entry, release and the risk hooks read follows: 96 bytes in all, without the
  // padding the previous order of fields needed (104).
  IntrusiveListHook level_hook;
  PriceLevel* level = nullptr;
  OrderId id{0};
  AccountId account{0};
  SymbolId symbol{0};
  Price price{0};  // limit price (resting orders and stop-limits)
  Qty open{0};     // remaining quantity
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  StpMode stp = StpMode::kNone;
  MarginMode margin = MarginMode::kCross;
  bool reduce_only = false;
  bool pending_stop = false;
  bool liquidation = false;  // a liquidation IOC sent by the risk sweep

  AccountListHook account_hook;
  Price stop_price{0};  // stop orders only
  BucketId bucket{0};

  // Intrusive hooks must not be copied; the pool resets an order by assigning a fresh one.
  Order() = default;
  Order(const Order&) = delete;
  Order& operator=(const Order& other) = delete;
  Order& operator=(Order&&) noexcept { return Reset(); }

 private:
  Order& Reset() noexcept {
    level = nullptr;
    id = OrderId{0};
    account = AccountId{0};
    symbol = SymbolId{0};
    bucket = BucketId{0};
    price = stop_price = Price{0};
    open = Qty{0};
    side = Side::kBuy;
    type = OrderType::kLimit;
    tif = TimeInForce::kGtc;
    stp = StpMode::kNone;
    margin = MarginMode::kCross;
    reduce_only = pending_stop = liquidation = false;
    return *this;
  }
};

static_assert(sizeof(Order) == 96);
static_assert(offsetof(Order, liquidation) < 64);

using LevelQueue = boost::intrusive::list<
    Order, boost::intrusive::member_hook<Order, IntrusiveListHook, &Order::level_hook>,
    boost::intrusive::constant_time_size<false>>;
using AccountOrderList = boost::intrusive::list<
    Order, boost::intrusive::member_hook<Order, AccountListHook, &Order::account_hook>,
    boost::intrusive::constant_time_size<false>>;

}  // namespace cascade
