#pragma once

#include "engine/c_api.h"
#include "engine/core/command.h"
#include "engine/core/event.h"

namespace cascade::c_api {

// Plain C structs <-> the engine's types, field by field (the C structs are a stable ABI, the C++
// ones are not, so nothing is reinterpreted). No allocation, no validation: Validate() runs on
// the command afterwards, exactly as on a decoded frame.
[[nodiscard]] Command ToCommand(const cascade_new_order& in) noexcept;
[[nodiscard]] Command ToCommand(const cascade_cancel_order& in) noexcept;
[[nodiscard]] Command ToCommand(const cascade_amend_order& in) noexcept;

void ToC(const Event& in, cascade_event& out) noexcept;

}  // namespace cascade::c_api
