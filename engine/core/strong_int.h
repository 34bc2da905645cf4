#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace cascade {

// An integer with a unit. Construction is explicit and only same-unit addition and subtraction are
// defined, so a price can never be added to a quantity by accident. Products of different units go
// through the checked helpers in engine/core/checked_math.h.
template <typename Tag, typename Rep>
class StrongInt {
 public:
  using rep = Rep;
  constexpr StrongInt() noexcept = default;
  constexpr explicit StrongInt(Rep value) noexcept : value_(value) {}

  [[nodiscard]] constexpr Rep value() const noexcept { return value_; }

  friend constexpr auto operator<=>(StrongInt, StrongInt) noexcept = default;

  constexpr StrongInt& operator+=(StrongInt other) noexcept {
    value_ += other.value_;
    return *this;
  }
  constexpr StrongInt& operator-=(StrongInt other) noexcept {
    value_ -= other.value_;
    return *this;
  }
  friend constexpr StrongInt operator+(StrongInt a, StrongInt b) noexcept { return a += b; }
  friend constexpr StrongInt operator-(StrongInt a, StrongInt b) noexcept { return a -= b; }
  friend constexpr StrongInt operator-(StrongInt a) noexcept { return StrongInt(-a.value_); }

  template <typename H>
  friend H AbslHashValue(H h, StrongInt v) {
    return H::combine(std::move(h), v.value_);
  }

 private:
  Rep value_{};
};

struct PriceTag {};
struct QtyTag {};
struct AtomsTag {};
struct OrderIdTag {};
struct AccountIdTag {};
struct BucketIdTag {};
struct SymbolIdTag {};
struct SeqNoTag {};
struct TimestampTag {};

using Price = StrongInt<PriceTag, int64_t>;  // ticks of the symbol's tick size
using Qty = StrongInt<QtyTag, int64_t>;      // lots of the symbol's lot size; signed for positions
using Atoms = StrongInt<AtomsTag, int64_t>;  // quote currency, 1 atom = 1e-6 USD
using OrderId = StrongInt<OrderIdTag, uint64_t>;  // client order id, unique per account while live
using AccountId = StrongInt<AccountIdTag, uint32_t>;
using BucketId = StrongInt<BucketIdTag, uint32_t>;
using SymbolId = StrongInt<SymbolIdTag, uint32_t>;
using SeqNo = StrongInt<SeqNoTag, uint64_t>;         // sequence number of an input command
using Timestamp = StrongInt<TimestampTag, int64_t>;  // nanoseconds, carried by the input

}  // namespace cascade
