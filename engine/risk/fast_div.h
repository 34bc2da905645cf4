#pragma once

#include <cstdint>
#include <limits>

#include "engine/core/checked_math.h"

namespace cascade::risk {

// Floor and ceiling division that take the 64-bit instruction when both operands fit, which is
// nearly always; the 128-bit library routine is several times slower. Same results as FloorDiv
// and CeilDiv in every case.
[[nodiscard]] inline bool Fits64(int128 v) noexcept {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

[[nodiscard]] inline int128 FloorDivFast(int128 a, int128 b) noexcept {
  if (Fits64(a) && Fits64(b) && !(a == std::numeric_limits<int64_t>::min() && b == -1)) {
    const int64_t x = static_cast<int64_t>(a);
    const int64_t y = static_cast<int64_t>(b);
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
    return q;
  }
  return FloorDiv(a, b);
}

[[nodiscard]] inline int128 CeilDivFast(int128 a, int128 b) noexcept {
  if (Fits64(a) && Fits64(b) && !(a == std::numeric_limits<int64_t>::min() && b == -1)) {
    const int64_t x = static_cast<int64_t>(a);
    const int64_t y = static_cast<int64_t>(b);
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) == (y < 0))) ++q;
    return q;
  }
  return CeilDiv(a, b);
}

}  // namespace cascade::risk
