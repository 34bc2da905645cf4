#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "engine/core/enums.h"
#include "engine/core/strong_int.h"
#include "engine/core/symbol_config.h"

namespace cascade {

// Commands are plain, trivially copyable structs: the wire codec fills them from FlatBuffers and
// the engine never sees a FlatBuffers type.

struct NewOrder {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  StpMode stp = StpMode::kNone;
  MarginMode margin = MarginMode::kCross;
  bool reduce_only = false;
  Price price{0};       // limit price (ignored for market orders)
  Price stop_price{0};  // for stop orders: last-trade price that triggers them
  Qty qty{0};
};

struct CancelOrder {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
};

// Changes price and/or open quantity. Quantity down at the same price keeps time priority; any
// price change or quantity up loses it; a crossing amend matches as an aggressive order.
struct AmendOrder {
  SymbolId symbol{0};
  AccountId account{0};
  OrderId order_id{0};
  Price new_price{0};
  Qty new_qty{0};  // new open (remaining) quantity
};

struct MassCancel {
  AccountId account{0};
  bool all_symbols = true;
  SymbolId symbol{0};  // used when !all_symbols
};

struct ConfigureSymbol {
  SymbolConfig config{};
};

struct Deposit {
  AccountId account{0};
  MarginMode margin = MarginMode::kCross;
  SymbolId symbol{0};  // isolated buckets only
  Atoms amount{0};
};

struct Withdraw {
  AccountId account{0};
  MarginMode margin = MarginMode::kCross;
  SymbolId symbol{0};
  Atoms amount{0};
};

struct SetLeverage {
  AccountId account{0};
  MarginMode margin = MarginMode::kCross;
  SymbolId symbol{0};
  uint32_t leverage = 1;
};

struct IndexPrice {  // index / oracle price from outside
  SymbolId symbol{0};
  Price price{0};
};

struct MarkPrice {  // an external mark (MarkMode::kExternal)
  SymbolId symbol{0};
  Price price{0};
};

struct FundingRate {  // pay funding now at this rate
  SymbolId symbol{0};
  int64_t rate = 0;  // 1e8 scale
};

struct Timer {};  // advances simulated time to the envelope's timestamp

inline constexpr int kMaxTokenLength = 64;
struct Logon {  // gateway only; the engine rejects it
  std::array<char, kMaxTokenLength> token{};
};

using CommandBody =
    std::variant<NewOrder, CancelOrder, AmendOrder, MassCancel, ConfigureSymbol, Deposit, Withdraw,
                 SetLeverage, IndexPrice, MarkPrice, FundingRate, Timer, Logon>;

struct Command {
  SeqNo seq{0};
  Timestamp ts{0};
  CommandBody body{Timer{}};
};

}  // namespace cascade
