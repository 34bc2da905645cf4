#pragma once

#include <string>
#include <string_view>

#include "engine/core/command.h"
#include "engine/core/event.h"

namespace cascade {

// One-line human-readable renderings for tools, logs and test failure messages. Not a wire format:
// machines read FlatBuffers or its JSON.
[[nodiscard]] std::string ToText(const EventBody& body);
[[nodiscard]] std::string ToText(const Event& event);
[[nodiscard]] std::string ToText(const CommandBody& body);
[[nodiscard]] std::string ToText(const Command& command);
// The event's type name, e.g. "Trade".
[[nodiscard]] std::string_view EventName(const EventBody& body);

}  // namespace cascade
