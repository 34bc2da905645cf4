#pragma once

#include "engine/core/enums.h"
#include "engine/core/strong_int.h"
#include "engine/risk/mark_price.h"

namespace cascade::risk {

// A liquidation IOC: match `qty` against the book as a taker, never beyond `limit` (sell: at
// prices >= limit; buy: <= limit); the remainder expires. The limit may lie outside the symbol's
// price band, in which case nothing can fill.
struct LiquidationIoc {
  BucketId bucket{0};
  AccountId account{0};
  SymbolId symbol{0};
  Side side = Side::kSell;
  Qty qty{0};
  Price limit{0};
};

// How liquidation reaches the order book. The Engine implements it; the risk sweep calls it. One
// virtual call per liquidation step, nothing virtual per fill.
class LiquidationVenue {
 public:
  virtual ~LiquidationVenue() = default;

  // Cancels every resting order and pending stop of the bucket (all symbols), emitting
  // OrderCancelled{kLiquidation} and calling RiskEngine::OnOrderRemoved for each resting one.
  virtual void CancelAllOrders(BucketId bucket) noexcept = 0;

  // Matches the IOC like any taker (maker re-check included: RiskEngine::MakerRecheck, cancelling
  // makers that fail it). For each fill the venue emits its Trade (liquidation = true) and then
  // calls RiskEngine::OnLiquidationFill(maker_bucket, price, qty), which settles both sides.
  // Returns the quantity filled.
  virtual Qty SubmitLiquidationIoc(const LiquidationIoc& order) noexcept = 0;

  // Best bid, best ask and last trade price, for median3 marks.
  [[nodiscard]] virtual BookTop Top(SymbolId symbol) const noexcept = 0;
};

}  // namespace cascade::risk
