#include "engine/core/enums.h"

namespace cascade {

std::string_view ToString(RejectReason r) noexcept {
  switch (r) {
    case RejectReason::kNone:
      return "none";
    case RejectReason::kMalformed:
      return "malformed message";
    case RejectReason::kUnknownSymbol:
      return "unknown symbol";
    case RejectReason::kInvalidPrice:
      return "invalid price";
    case RejectReason::kInvalidQuantity:
      return "invalid quantity";
    case RejectReason::kPriceOutOfBounds:
      return "price outside the symbol's limits";
    case RejectReason::kQuantityTooLarge:
      return "quantity above the symbol's maximum order size";
    case RejectReason::kInvalidOrderType:
      return "invalid order type or time in force";
    case RejectReason::kInvalidSymbolConfig:
      return "invalid symbol configuration";
    case RejectReason::kInvalidAmount:
      return "invalid amount";
    case RejectReason::kInvalidLeverage:
      return "invalid leverage";
    case RejectReason::kStaleSequence:
      return "sequence number not increasing";
    case RejectReason::kUnsupportedCommand:
      return "command not supported by the engine";
    case RejectReason::kInsufficientMargin:
      return "insufficient margin";
    case RejectReason::kReduceOnlyWouldIncrease:
      return "reduce-only order would increase the position";
    case RejectReason::kBucketInLiquidation:
      return "bucket is in liquidation";
    case RejectReason::kWithdrawalBelowInitialMargin:
      return "withdrawal would breach initial margin";
    case RejectReason::kPositionLimit:
      return "position limit exceeded";
    case RejectReason::kUnknownBucket:
      return "unknown bucket";
    case RejectReason::kInsufficientCash:
      return "insufficient cash";
    case RejectReason::kLeverageTooHighForPosition:
      return "leverage too high for the position";
    case RejectReason::kPostOnlyWouldTake:
      return "post-only order would take liquidity";
    case RejectReason::kDuplicateOrderId:
      return "duplicate order id";
    case RejectReason::kUnknownOrder:
      return "unknown or finished order";
    case RejectReason::kOrderPoolExhausted:
      return "order capacity exhausted";
    case RejectReason::kStopWouldTriggerImmediately:
      return "stop order would trigger immediately";
    case RejectReason::kNotAmendable:
      return "order cannot be amended";
    case RejectReason::kAmendNoChange:
      return "amend changes nothing";
    case RejectReason::kNoLiquidity:
      return "no liquidity";
    case RejectReason::kSymbolExists:
      return "symbol already configured";
    case RejectReason::kLiquidationInProgress:
      return "liquidation in progress";
    case RejectReason::kNotAuthenticated:
      return "not logged on";
    case RejectReason::kBadToken:
      return "bad token";
    case RejectReason::kNotAuthorized:
      return "not authorized";
    case RejectReason::kRateLimited:
      return "rate limit exceeded";
    case RejectReason::kFrameTooLarge:
      return "frame too large";
    case RejectReason::kOverloaded:
      return "overloaded";
  }
  return "unknown reason";
}

std::string_view ToString(Side s) noexcept { return s == Side::kBuy ? "buy" : "sell"; }

std::string_view ToString(OrderType t) noexcept {
  switch (t) {
    case OrderType::kLimit:
      return "limit";
    case OrderType::kMarket:
      return "market";
    case OrderType::kStopLimit:
      return "stop-limit";
    case OrderType::kStopMarket:
      return "stop-market";
  }
  return "?";
}

std::string_view ToString(TimeInForce t) noexcept {
  switch (t) {
    case TimeInForce::kGtc:
      return "gtc";
    case TimeInForce::kIoc:
      return "ioc";
    case TimeInForce::kFok:
      return "fok";
    case TimeInForce::kPostOnly:
      return "post-only";
  }
  return "?";
}

}  // namespace cascade
