#pragma once

#include <ostream>
#include <string>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/core/format.h"
#include "engine/core/strong_int.h"
#include "engine/engine.h"

namespace cascade {

// Readable renderings for failure messages: commands and events through the core formatter
// (engine/core/format.h), the book query views here.
[[nodiscard]] inline std::string ToString(const Command& command) { return ToText(command); }
[[nodiscard]] inline std::string ToString(const Event& event) { return ToText(event); }
[[nodiscard]] std::string ToString(const LevelView& level);
[[nodiscard]] std::string ToString(const OrderView& order);

// GoogleTest printers, found by argument-dependent lookup.
template <typename Tag, typename Rep>
void PrintTo(StrongInt<Tag, Rep> v, std::ostream* os) {
  *os << v.value();
}
inline void PrintTo(const Event& e, std::ostream* os) { *os << ToText(e); }
inline void PrintTo(const Command& c, std::ostream* os) { *os << ToText(c); }
inline void PrintTo(const LevelView& l, std::ostream* os) { *os << ToString(l); }
inline void PrintTo(const OrderView& o, std::ostream* os) { *os << ToString(o); }

}  // namespace cascade
