#pragma once

#include <cstdint>
#include <string_view>

namespace cascade {

enum class Side : uint8_t { kBuy = 0, kSell = 1 };

[[nodiscard]] constexpr Side Opposite(Side s) noexcept {
  return s == Side::kBuy ? Side::kSell : Side::kBuy;
}

enum class OrderType : uint8_t {
  kLimit = 0,
  kMarket = 1,      // fills within the symbol's protection band from the best price at entry
  kStopLimit = 2,   // becomes kLimit when the last trade price reaches stop_price
  kStopMarket = 3,  // becomes kMarket when the last trade price reaches stop_price
};

enum class TimeInForce : uint8_t {
  kGtc = 0,
  kIoc = 1,       // fill what can be filled now, expire the rest
  kFok = 2,       // fill all now or nothing
  kPostOnly = 3,  // rejected if any part would take liquidity
};

// Self-trade prevention, chosen by the incoming (taker) order.
enum class StpMode : uint8_t {
  kNone = 0,  // self-trades are allowed
  kCancelTaker = 1,
  kCancelMaker = 2,
  kCancelBoth = 3,
};

enum class MarginMode : uint8_t { kCross = 0, kIsolated = 1 };

enum class OrderStatus : uint8_t {
  kUnknown = 0,  // never seen, or finished and forgotten
  kResting = 1,  // in the book
  kPendingStop = 2,
};

// Reject reasons, banded: 1xx decode/validation, 2xx risk, 3xx matching, 4xx liquidation/ADL,
// 5xx gateway/session.
enum class RejectReason : uint16_t {
  kNone = 0,
  kMalformed = 100,
  kUnknownSymbol = 101,
  kInvalidPrice = 102,
  kInvalidQuantity = 103,
  kPriceOutOfBounds = 104,
  kQuantityTooLarge = 105,
  kInvalidOrderType = 106,
  kInvalidSymbolConfig = 107,
  kInvalidAmount = 108,
  kInvalidLeverage = 109,
  kStaleSequence = 110,
  kUnsupportedCommand = 111,
  kInsufficientMargin = 200,
  kReduceOnlyWouldIncrease = 201,
  kBucketInLiquidation = 202,
  kWithdrawalBelowInitialMargin = 203,
  kPositionLimit = 204,
  kUnknownBucket = 205,
  kInsufficientCash = 206,
  kLeverageTooHighForPosition = 207,
  kPostOnlyWouldTake = 300,
  kDuplicateOrderId = 301,
  kUnknownOrder = 302,
  kOrderPoolExhausted = 303,
  kStopWouldTriggerImmediately = 304,
  kNotAmendable = 305,
  kAmendNoChange = 306,
  kNoLiquidity = 307,
  kSymbolExists = 308,
  kLiquidationInProgress = 400,
  kNotAuthenticated = 500,
  kBadToken = 501,
  kNotAuthorized = 502,
  kRateLimited = 503,
  kFrameTooLarge = 504,
  kOverloaded = 505,
};

[[nodiscard]] std::string_view ToString(RejectReason r) noexcept;
[[nodiscard]] std::string_view ToString(Side s) noexcept;
[[nodiscard]] std::string_view ToString(OrderType t) noexcept;
[[nodiscard]] std::string_view ToString(TimeInForce t) noexcept;

}  // namespace cascade
