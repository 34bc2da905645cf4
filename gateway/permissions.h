#pragma once

#include <string>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/strong_int.h"
#include "gateway/config.h"

namespace cascade::gateway {

// Who a session acts for, fixed at logon.
struct Principal {
  std::string name;
  Role role = Role::kTrader;
  std::vector<AccountId> accounts;  // sorted; a trader's own accounts
  bool self_deposit = false;

  [[nodiscard]] bool Owns(AccountId account) const noexcept;
};

// What a logged-on session may send (docs/gateway.md has the table):
// - admin: every command but Logon;
// - trader: NewOrder, CancelOrder, AmendOrder, MassCancel, Withdraw and SetLeverage for its own
//   accounts, and Deposit to its own accounts when its token allows self-deposits;
//   ConfigureSymbol, IndexPrice, MarkPrice, FundingRate and Timer never.
// Returns kNone or kNotAuthorized. A second Logon is refused (kNotAuthorized) for everyone.
[[nodiscard]] RejectReason Authorize(const Principal& principal, const CommandBody& body) noexcept;

}  // namespace cascade::gateway
