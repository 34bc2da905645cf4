#include "gateway/routing.h"

#include <type_traits>
#include <variant>

namespace cascade::gateway {
namespace {

Audience Private(AccountId account) noexcept {
  Audience a;
  a.account_count = 1;
  a.accounts[0] = account;
  return a;
}

Audience Private(AccountId first, AccountId second) noexcept {
  Audience a = Private(first);
  if (second != first) {
    a.account_count = 2;
    a.accounts[1] = second;
  }
  return a;
}

}  // namespace

Audience AudienceOf(const EventBody& body) noexcept {
  return std::visit(
      [](const auto& e) -> Audience {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Trade>) {
          Audience a = Private(e.maker_account, e.taker_account);
          a.everyone = true;
          return a;
        } else if constexpr (std::is_same_v<T, TopOfBook> || std::is_same_v<T, SymbolConfigured> ||
                             std::is_same_v<T, MarkUpdated> || std::is_same_v<T, FundingPayment>) {
          Audience a;
          a.everyone = true;
          return a;
        } else if constexpr (std::is_same_v<T, AdlFill>) {
          return Private(e.account, e.counter_account);
        } else {
          return Private(e.account);
        }
      },
      body);
}

Trade Anonymized(const Trade& trade) noexcept {
  Trade t;
  t.symbol = trade.symbol;
  t.price = trade.price;
  t.qty = trade.qty;
  t.aggressor = trade.aggressor;
  t.liquidation = trade.liquidation;
  return t;
}

}  // namespace cascade::gateway
