#pragma once

#include <vector>

#include "engine/core/event.h"
#include "engine/core/symbol_config.h"
#include "engine/risk/risk_snapshot.h"

namespace cascade {

// The engine's whole state as plain values, in a canonical order, so that the wire layer can write
// it as a FlatBuffers snapshot and a restored engine is identical to the original (equal
// StateDigest, and the same events for every later command).
struct OrderSnapshot {
  AccountId account{0};
  OrderId id{0};
  BucketId bucket{0};
  Price price{0};
  Price stop_price{0};
  Qty open{0};
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  TimeInForce tif = TimeInForce::kGtc;
  StpMode stp = StpMode::kNone;
  MarginMode margin = MarginMode::kCross;
  bool reduce_only = false;
};

struct SymbolSnapshot {
  SymbolConfig config{};
  bool has_last_trade = false;
  Price last_trade{0};
  TopOfBook published_top{};
  // Each side best level first, each level oldest order first.
  std::vector<OrderSnapshot> bids;
  std::vector<OrderSnapshot> asks;
  std::vector<OrderSnapshot> buy_stops;
  std::vector<OrderSnapshot> sell_stops;
};

// An account's live orders in acceptance order (the order mass cancel and liquidation use).
struct AccountSnapshot {
  AccountId account{0};
  std::vector<OrderId> orders;
};

struct EngineSnapshot {
  bool started = false;
  SeqNo last_seq{0};
  std::vector<SymbolSnapshot> symbols;    // ascending symbol id
  std::vector<AccountSnapshot> accounts;  // ascending account id
  risk::RiskSnapshot risk;                // buckets, positions, marks, funding, funds
};

}  // namespace cascade
