#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/strong_int.h"
#include "engine/engine.h"

namespace cascade {

// Readable one-line renderings of the order-handling commands and events, for failure messages.
// Risk events are named but not expanded: neither the engine's matching core nor the reference
// book emits them.
[[nodiscard]] std::string ToString(const Command& command);
[[nodiscard]] std::string ToString(const Event& event);
[[nodiscard]] std::string ToString(const LevelView& level);
[[nodiscard]] std::string ToString(const OrderView& order);
// The event's type name, e.g. "Trade".
[[nodiscard]] std::string_view EventName(const Event& event);

// Field-by-field equality of two events, envelope included. Only the order-handling event types
// are compared; any other type never compares equal.
[[nodiscard]] bool SameEvent(const Event& a, const Event& b);
[[nodiscard]] bool SameLevel(const LevelView& a, const LevelView& b);

// GoogleTest printers, found by argument-dependent lookup.
template <typename Tag, typename Rep>
void PrintTo(StrongInt<Tag, Rep> v, std::ostream* os) {
  *os << v.value();
}
inline void PrintTo(const Event& e, std::ostream* os) { *os << ToString(e); }
inline void PrintTo(const Command& c, std::ostream* os) { *os << ToString(c); }
inline void PrintTo(const LevelView& l, std::ostream* os) { *os << ToString(l); }
inline void PrintTo(const OrderView& o, std::ostream* os) { *os << ToString(o); }

}  // namespace cascade
