#include "engine/core/format.h"

#include <cinttypes>
#include <cstdio>
#include <iterator>
#include <string_view>
#include <variant>

namespace cascade {
namespace {

// Appends printf-formatted text; the few allocations here are fine outside the engine's hot path.
template <typename... Args>
void Append(std::string& out, const char* fmt, Args... args) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof(buf), fmt, args...);
  if (n > 0) out.append(buf, static_cast<size_t>(std::min<int>(n, sizeof(buf) - 1)));
}

long long V(auto strong) { return static_cast<long long>(strong.value()); }
const char* S(std::string_view v) { return v.data(); }

std::string_view CancelReasonName(CancelReason r) {
  switch (r) {
    case CancelReason::kUser:
      return "user";
    case CancelReason::kMassCancel:
      return "mass-cancel";
    case CancelReason::kSelfTrade:
      return "self-trade";
    case CancelReason::kMarginRecheck:
      return "margin-recheck";
    case CancelReason::kLiquidation:
      return "liquidation";
    case CancelReason::kReduceOnly:
      return "reduce-only";
  }
  return "?";
}

std::string_view ExpireReasonName(ExpireReason r) {
  switch (r) {
    case ExpireReason::kIoc:
      return "ioc";
    case ExpireReason::kFok:
      return "fok";
    case ExpireReason::kMarketProtection:
      return "market-protection";
  }
  return "?";
}

struct EventText {
  std::string& out;
  void operator()(const OrderAccepted& e) {
    Append(out, "accepted sym=%lld acct=%lld id=%lld %s %s %s px=%lld stop=%lld qty=%lld",
           V(e.symbol), V(e.account), V(e.order_id), S(ToString(e.side)), S(ToString(e.type)),
           S(ToString(e.tif)), V(e.price), V(e.stop_price), V(e.qty));
  }
  void operator()(const CommandRejected& e) {
    Append(out, "rejected cmd=%d sym=%lld acct=%lld id=%lld reason=%d (%s)", e.command, V(e.symbol),
           V(e.account), V(e.order_id), static_cast<int>(e.reason), S(ToString(e.reason)));
  }
  void operator()(const OrderTriggered& e) {
    Append(out, "triggered sym=%lld acct=%lld id=%lld last=%lld", V(e.symbol), V(e.account),
           V(e.order_id), V(e.last_price));
  }
  void operator()(const OrderAmended& e) {
    Append(out, "amended sym=%lld acct=%lld id=%lld px=%lld qty=%lld priority=%s", V(e.symbol),
           V(e.account), V(e.order_id), V(e.price), V(e.qty), e.priority_kept ? "kept" : "lost");
  }
  void operator()(const Trade& e) {
    Append(out,
           "trade sym=%lld px=%lld qty=%lld aggressor=%s maker=%lld/%lld taker=%lld/%lld "
           "maker_left=%lld taker_left=%lld%s",
           V(e.symbol), V(e.price), V(e.qty), S(ToString(e.aggressor)), V(e.maker_account),
           V(e.maker_order), V(e.taker_account), V(e.taker_order), V(e.maker_remaining),
           V(e.taker_remaining), e.liquidation ? " liquidation" : "");
  }
  void operator()(const OrderCancelled& e) {
    Append(out, "cancelled sym=%lld acct=%lld id=%lld left=%lld reason=%s", V(e.symbol),
           V(e.account), V(e.order_id), V(e.remaining), S(CancelReasonName(e.reason)));
  }
  void operator()(const OrderExpired& e) {
    Append(out, "expired sym=%lld acct=%lld id=%lld left=%lld reason=%s", V(e.symbol), V(e.account),
           V(e.order_id), V(e.remaining), S(ExpireReasonName(e.reason)));
  }
  void operator()(const TopOfBook& e) {
    Append(out, "top sym=%lld bid=%lldx%lld ask=%lldx%lld", V(e.symbol), V(e.bid_price),
           V(e.bid_qty), V(e.ask_price), V(e.ask_qty));
  }
  void operator()(const SymbolConfigured& e) {
    Append(out, "symbol-configured sym=%lld K=%lld", V(e.symbol),
           static_cast<long long>(e.atoms_per_lot_tick));
  }
  void operator()(const BalanceChanged& e) {
    Append(out, "balance acct=%lld bucket=%lld amount=%lld quote=%lld", V(e.account), V(e.bucket),
           V(e.amount), V(e.quote_after));
  }
  void operator()(const LeverageSet& e) {
    Append(out, "leverage acct=%lld bucket=%lld lev=%u", V(e.account), V(e.bucket), e.leverage);
  }
  void operator()(const MarkUpdated& e) {
    Append(out, "mark sym=%lld mark=%lld index=%lld", V(e.symbol), V(e.mark), V(e.index));
  }
  void operator()(const MarginCall& e) {
    Append(out, "margin-call acct=%lld bucket=%lld sym=%lld round=%u equity=%lld mm=%lld",
           V(e.account), V(e.bucket), V(e.symbol), e.round, V(e.equity), V(e.maintenance));
  }
  void operator()(const LiquidationOrder& e) {
    Append(out,
           "liquidation-order acct=%lld bucket=%lld sym=%lld round=%u %s qty=%lld limit=%lld "
           "bp_quote=%lld",
           V(e.account), V(e.bucket), V(e.symbol), e.round, S(ToString(e.side)), V(e.qty),
           V(e.limit_price), V(e.bankruptcy_quote));
  }
  void operator()(const LiquidationFill& e) {
    Append(out,
           "liquidation-fill acct=%lld bucket=%lld sym=%lld round=%u px=%lld qty=%lld quote=%lld "
           "bp_share=%lld fee=%lld fund_paid=%lld",
           V(e.account), V(e.bucket), V(e.symbol), e.round, V(e.price), V(e.qty), V(e.quote),
           V(e.bankruptcy_share), V(e.fee_to_fund), V(e.fund_paid));
  }
  void operator()(const Takeover& e) {
    Append(out, "takeover acct=%lld bucket=%lld sym=%lld round=%u fund=%lld qty=%lld bp_quote=%lld",
           V(e.account), V(e.bucket), V(e.symbol), e.round, V(e.fund_bucket), V(e.qty),
           V(e.bankruptcy_quote));
  }
  void operator()(const AdlFill& e) {
    Append(out,
           "adl acct=%lld bucket=%lld sym=%lld round=%u counter=%lld/%lld qty=%lld px=%lld "
           "quote=%lld score=%lld",
           V(e.account), V(e.bucket), V(e.symbol), e.round, V(e.counter_account),
           V(e.counter_bucket), V(e.qty), V(e.price), V(e.quote), static_cast<long long>(e.score));
  }
  void operator()(const BadDebt& e) {
    Append(out, "bad-debt acct=%lld bucket=%lld sym=%lld round=%u amount=%lld", V(e.account),
           V(e.bucket), V(e.symbol), e.round, V(e.amount));
  }
  void operator()(const FundingPayment& e) {
    Append(out, "funding sym=%lld rate=%lld index_delta=%lld paid=%lld residual=%lld", V(e.symbol),
           static_cast<long long>(e.rate), static_cast<long long>(e.index_delta),
           V(e.paid_by_payers), V(e.residual_to_fund));
  }
  void operator()(const BucketState& e) {
    Append(out, "bucket acct=%lld bucket=%lld round=%u quote=%lld equity=%lld mm=%lld im=%lld%s",
           V(e.account), V(e.bucket), e.round, V(e.quote), V(e.equity), V(e.maintenance),
           V(e.initial), e.in_liquidation ? " in-liquidation" : "");
  }
  void operator()(const SessionAccepted& e) {
    Append(out, "session-accepted session=%llu acct=%lld accounts=%u%s",
           static_cast<unsigned long long>(e.session), V(e.account), e.accounts,
           e.admin ? " admin" : "");
  }
};

struct CommandText {
  std::string& out;
  void operator()(const NewOrder& c) {
    Append(out, "new-order sym=%lld acct=%lld id=%lld %s %s %s px=%lld stop=%lld qty=%lld%s",
           V(c.symbol), V(c.account), V(c.order_id), S(ToString(c.side)), S(ToString(c.type)),
           S(ToString(c.tif)), V(c.price), V(c.stop_price), V(c.qty),
           c.reduce_only ? " reduce-only" : "");
  }
  void operator()(const CancelOrder& c) {
    Append(out, "cancel sym=%lld acct=%lld id=%lld", V(c.symbol), V(c.account), V(c.order_id));
  }
  void operator()(const AmendOrder& c) {
    Append(out, "amend sym=%lld acct=%lld id=%lld px=%lld qty=%lld", V(c.symbol), V(c.account),
           V(c.order_id), V(c.new_price), V(c.new_qty));
  }
  void operator()(const MassCancel& c) {
    Append(out, "mass-cancel acct=%lld %s%lld", V(c.account),
           c.all_symbols ? "all " : "sym=", c.all_symbols ? 0LL : V(c.symbol));
  }
  void operator()(const ConfigureSymbol& c) {
    Append(out, "configure-symbol sym=%lld name=%.16s tiers=%d", V(c.config.symbol),
           c.config.name.data(), c.config.risk.tier_count);
  }
  void operator()(const Deposit& c) {
    Append(out, "deposit acct=%lld amount=%lld", V(c.account), V(c.amount));
  }
  void operator()(const Withdraw& c) {
    Append(out, "withdraw acct=%lld amount=%lld", V(c.account), V(c.amount));
  }
  void operator()(const SetLeverage& c) {
    Append(out, "set-leverage acct=%lld lev=%u", V(c.account), c.leverage);
  }
  void operator()(const IndexPrice& c) {
    Append(out, "index sym=%lld px=%lld", V(c.symbol), V(c.price));
  }
  void operator()(const MarkPrice& c) {
    Append(out, "mark sym=%lld px=%lld", V(c.symbol), V(c.price));
  }
  void operator()(const FundingRate& c) {
    Append(out, "funding-rate sym=%lld rate=%lld", V(c.symbol), static_cast<long long>(c.rate));
  }
  void operator()(const Timer&) { out += "timer"; }
  void operator()(const Logon&) { out += "logon"; }
};

}  // namespace

std::string ToText(const EventBody& body) {
  std::string out;
  std::visit(EventText{out}, body);
  return out;
}

std::string ToText(const Event& event) {
  std::string out;
  Append(out, "#%llu ", static_cast<unsigned long long>(event.seq.value()));
  std::visit(EventText{out}, event.body);
  return out;
}

std::string ToText(const CommandBody& body) {
  std::string out;
  std::visit(CommandText{out}, body);
  return out;
}

std::string ToText(const Command& command) {
  std::string out;
  Append(out, "#%llu t=%lld ", static_cast<unsigned long long>(command.seq.value()),
         static_cast<long long>(command.ts.value()));
  std::visit(CommandText{out}, command.body);
  return out;
}

std::string_view EventName(const EventBody& body) {
  static constexpr std::string_view kNames[] = {
      "OrderAccepted",  "CommandRejected", "OrderTriggered", "OrderAmended",     "Trade",
      "OrderCancelled", "OrderExpired",    "TopOfBook",      "SymbolConfigured", "BalanceChanged",
      "LeverageSet",    "MarkUpdated",     "MarginCall",     "LiquidationOrder", "LiquidationFill",
      "Takeover",       "AdlFill",         "BadDebt",        "FundingPayment",   "BucketState",
      "SessionAccepted"};
  static_assert(std::size(kNames) == std::variant_size_v<EventBody>);
  return kNames[body.index()];
}

}  // namespace cascade
