#pragma once

#include <array>
#include <cstdint>

#include "engine/core/event.h"
#include "engine/core/strong_int.h"

namespace cascade::gateway {

// Who receives an event. Market data (trades, top of book, symbol, mark and funding updates) goes
// to every session; everything else is private to the accounts it names. Trades are both: the
// two parties get the whole trade, everyone else a copy without accounts, order ids and remaining
// quantities (see Anonymized).
struct Audience {
  bool everyone = false;
  uint8_t account_count = 0;
  std::array<AccountId, 2> accounts{};
};

[[nodiscard]] Audience AudienceOf(const EventBody& body) noexcept;

// The public print of a trade: what the tape shows, nothing that identifies the parties.
[[nodiscard]] Trade Anonymized(const Trade& trade) noexcept;

}  // namespace cascade::gateway
