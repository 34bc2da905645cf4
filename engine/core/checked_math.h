#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace cascade {

// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit integer.
__extension__ typedef __int128 int128;

// Narrows an exact 128-bit result to int64, or nullopt when it does not fit.
[[nodiscard]] constexpr std::optional<int64_t> NarrowToInt64(int128 v) noexcept {
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

// Floor and ceiling division for signed operands (b != 0); C++ '/' truncates toward zero.
[[nodiscard]] constexpr int128 FloorDiv(int128 a, int128 b) noexcept {
  int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
[[nodiscard]] constexpr int128 CeilDiv(int128 a, int128 b) noexcept {
  int128 q = a / b;
  if ((a % b != 0) && ((a < 0) == (b < 0))) ++q;
  return q;
}

}  // namespace cascade
