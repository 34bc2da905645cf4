#include "gateway/permissions.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace cascade::gateway {

bool Principal::Owns(AccountId account) const noexcept {
  return std::binary_search(accounts.begin(), accounts.end(), account);
}

RejectReason Authorize(const Principal& principal, const CommandBody& body) noexcept {
  return std::visit(
      [&principal](const auto& c) -> RejectReason {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, Logon>) {
          return RejectReason::kNotAuthorized;
        } else if (principal.role == Role::kAdmin) {
          return RejectReason::kNone;
        } else if constexpr (std::is_same_v<T, NewOrder> || std::is_same_v<T, CancelOrder> ||
                             std::is_same_v<T, AmendOrder> || std::is_same_v<T, MassCancel> ||
                             std::is_same_v<T, Withdraw> || std::is_same_v<T, SetLeverage>) {
          return principal.Owns(c.account) ? RejectReason::kNone : RejectReason::kNotAuthorized;
        } else if constexpr (std::is_same_v<T, Deposit>) {
          return principal.self_deposit && principal.Owns(c.account) ? RejectReason::kNone
                                                                     : RejectReason::kNotAuthorized;
        } else {
          // Market-wide commands (symbols, prices, funding, time) are the operator's.
          return RejectReason::kNotAuthorized;
        }
      },
      body);
}

}  // namespace cascade::gateway
