#include <string>

#include "gateway/config.h"

namespace cascade::gateway {

// Kept as text, not built from structs, because it is also the documentation users copy from.
// Prices are in ticks, quantities in lots, money in atoms (1e-6 USD), rates at 1e8 scale.
std::string SampleConfigJson() {
  return R"({
  "listen": {"host": "127.0.0.1", "port": 7700},
  "durability": {
    "dir": "cascade-data",
    "fsync": "Batch",
    "snapshot_every_inputs": 1000000,
    "snapshot_every_ms": 600000,
    "snapshots_kept": 2
  },
  "limits": {
    "max_sessions": 256,
    "max_frame_bytes": 16384,
    "max_queued_bytes": 4194304,
    "messages_per_second": 1000000,
    "burst": 100000,
    "logon_timeout_ms": 5000
  },
  "engine": {"max_symbols": 64, "max_orders": 1048576, "max_accounts": 65536},
  "tokens": [
    {"token": "admin-change-me", "name": "admin", "role": "Admin"},
    {"token": "trader-a-change-me", "name": "trader-a", "role": "Trader", "accounts": [1001, 1002],
     "opening_deposit_usd": 1000000},
    {"token": "trader-b-change-me", "name": "trader-b", "role": "Trader", "accounts": [2001],
     "opening_deposit_usd": 1000000}
  ],
  "symbols": [
    {"config": {
      "symbol": 1, "name": "BTC-PERP",
      "tick_size_nanos": 100000000, "lot_size_nanos": 1000000,
      "min_price": 1, "max_price": 10000000,
      "max_order_qty": 1000000, "max_position_qty": 10000000,
      "market_protection_ticks": 5000,
      "risk": {
        "tiers": [
          {"notional_floor": 0, "mmr": 400000, "imr": 800000},
          {"notional_floor": 50000000000, "mmr": 500000, "imr": 1000000},
          {"notional_floor": 250000000000, "mmr": 1000000, "imr": 2000000}
        ],
        "maker_fee": 20000, "taker_fee": 40000, "liquidation_fee": 500000,
        "mark_mode": "External"
      }
    }},
    {"config": {
      "symbol": 2, "name": "ETH-PERP",
      "tick_size_nanos": 10000000, "lot_size_nanos": 1000000,
      "min_price": 1, "max_price": 10000000,
      "max_order_qty": 10000000, "max_position_qty": 100000000,
      "market_protection_ticks": 5000,
      "risk": {
        "tiers": [
          {"notional_floor": 0, "mmr": 500000, "imr": 1000000},
          {"notional_floor": 25000000000, "mmr": 650000, "imr": 1333334},
          {"notional_floor": 100000000000, "mmr": 1000000, "imr": 2000000}
        ],
        "maker_fee": 20000, "taker_fee": 40000, "liquidation_fee": 500000,
        "mark_mode": "External"
      }
    }}
  ]
}
)";
}

}  // namespace cascade::gateway
