#pragma once

// Internal to cascade_wire: one enum as another of the same values (a cascade enum as the
// schema's, and back).

#include <type_traits>

namespace cascade::wire::internal {

// The value is carried as it is, in range or not, so that Validate() can name a bad one that was
// read off the wire.
template <typename To, typename From>
[[nodiscard]] constexpr To Enum(From value) noexcept {
  return static_cast<To>(static_cast<std::underlying_type_t<To>>(value));
}

}  // namespace cascade::wire::internal
