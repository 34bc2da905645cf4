#include "tests/engine/book/event_text.h"

#include <cstdint>
#include <iterator>
#include <sstream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>

#include "engine/core/enums.h"

namespace cascade {
namespace {

std::string_view ToString(CancelReason r) {
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

std::string_view ToString(ExpireReason r) {
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

std::string_view ToString(StpMode m) {
  switch (m) {
    case StpMode::kNone:
      return "none";
    case StpMode::kCancelTaker:
      return "cancel-taker";
    case StpMode::kCancelMaker:
      return "cancel-maker";
    case StpMode::kCancelBoth:
      return "cancel-both";
  }
  return "?";
}

std::string_view ToString(OrderStatus s) {
  switch (s) {
    case OrderStatus::kUnknown:
      return "unknown";
    case OrderStatus::kResting:
      return "resting";
    case OrderStatus::kPendingStop:
      return "pending-stop";
  }
  return "?";
}

// Builds "Name k=v k=v ...".
class Line {
 public:
  explicit Line(std::string_view name) { os_ << name; }

  template <typename T>
  Line& operator()(std::string_view key, const T& value) {
    os_ << ' ' << key << '=';
    if constexpr (requires { value.value(); }) {
      os_ << +value.value();
    } else if constexpr (std::is_same_v<T, bool>) {
      os_ << (value ? "true" : "false");
    } else if constexpr (std::is_enum_v<T>) {
      if constexpr (std::is_same_v<T, RejectReason>) os_ << static_cast<int>(value) << '(';
      os_ << ToString(value);
      if constexpr (std::is_same_v<T, RejectReason>) os_ << ')';
    } else {
      os_ << +value;
    }
    return *this;
  }

  [[nodiscard]] std::string str() const { return os_.str(); }

 private:
  std::ostringstream os_;
};

std::string Describe(const OrderAccepted& e) {
  return Line("OrderAccepted")("symbol", e.symbol)("account", e.account)("order", e.order_id)(
             "side", e.side)("type", e.type)("tif", e.tif)("price", e.price)("stop", e.stop_price)(
             "qty", e.qty)
      .str();
}
std::string Describe(const CommandRejected& e) {
  return Line("CommandRejected")("command", e.command)("symbol", e.symbol)("account", e.account)(
             "order", e.order_id)("reason", e.reason)
      .str();
}
std::string Describe(const OrderTriggered& e) {
  return Line("OrderTriggered")("symbol", e.symbol)("account", e.account)("order", e.order_id)(
             "last", e.last_price)
      .str();
}
std::string Describe(const OrderAmended& e) {
  return Line("OrderAmended")("symbol", e.symbol)("account", e.account)("order", e.order_id)(
             "price", e.price)("qty", e.qty)("kept", e.priority_kept)
      .str();
}
std::string Describe(const Trade& e) {
  return Line("Trade")("symbol", e.symbol)("price", e.price)("qty", e.qty)(
             "aggressor", e.aggressor)("maker", e.maker_account)("maker_order", e.maker_order)(
             "taker", e.taker_account)("taker_order", e.taker_order)(
             "maker_left", e.maker_remaining)("taker_left", e.taker_remaining)("liquidation",
                                                                               e.liquidation)
      .str();
}
std::string Describe(const OrderCancelled& e) {
  return Line("OrderCancelled")("symbol", e.symbol)("account", e.account)("order", e.order_id)(
             "remaining", e.remaining)("reason", e.reason)
      .str();
}
std::string Describe(const OrderExpired& e) {
  return Line("OrderExpired")("symbol", e.symbol)("account", e.account)("order", e.order_id)(
             "remaining", e.remaining)("reason", e.reason)
      .str();
}
std::string Describe(const TopOfBook& e) {
  return Line("TopOfBook")("symbol", e.symbol)("bid", e.bid_price)("bid_qty", e.bid_qty)(
             "ask", e.ask_price)("ask_qty", e.ask_qty)
      .str();
}
std::string Describe(const SymbolConfigured& e) {
  return Line("SymbolConfigured")("symbol", e.symbol)("atoms_per_lot_tick", e.atoms_per_lot_tick)
      .str();
}
template <typename T>
std::string Describe(const T&) {
  return "<risk event, variant index " + std::to_string(EventBody(T{}).index()) + ">";
}

auto Fields(const OrderAccepted& e) {
  return std::tuple(e.symbol, e.account, e.order_id, e.side, e.type, e.tif, e.price, e.stop_price,
                    e.qty);
}
auto Fields(const CommandRejected& e) {
  return std::tuple(e.command, e.symbol, e.account, e.order_id, e.reason);
}
auto Fields(const OrderTriggered& e) {
  return std::tuple(e.symbol, e.account, e.order_id, e.last_price);
}
auto Fields(const OrderAmended& e) {
  return std::tuple(e.symbol, e.account, e.order_id, e.price, e.qty, e.priority_kept);
}
auto Fields(const Trade& e) {
  return std::tuple(e.symbol, e.price, e.qty, e.aggressor, e.maker_account, e.maker_order,
                    e.taker_account, e.taker_order, e.maker_remaining, e.taker_remaining,
                    e.liquidation);
}
auto Fields(const OrderCancelled& e) {
  return std::tuple(e.symbol, e.account, e.order_id, e.remaining, e.reason);
}
auto Fields(const OrderExpired& e) {
  return std::tuple(e.symbol, e.account, e.order_id, e.remaining, e.reason);
}
auto Fields(const TopOfBook& e) {
  return std::tuple(e.symbol, e.bid_price, e.bid_qty, e.ask_price, e.ask_qty);
}
auto Fields(const SymbolConfigured& e) { return std::tuple(e.symbol, e.atoms_per_lot_tick); }

}  // namespace

std::string ToString(const Event& event) {
  std::ostringstream os;
  os << "[seq=" << event.seq.value() << " ts=" << event.ts.value() << "] "
     << std::visit([](const auto& body) { return Describe(body); }, event.body);
  return os.str();
}

std::string ToString(const Command& command) {
  std::ostringstream os;
  os << "[seq=" << command.seq.value() << " ts=" << command.ts.value() << "] ";
  std::visit(
      [&os](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, NewOrder>) {
          os << Line("NewOrder")("symbol", c.symbol)("account", c.account)("order", c.order_id)(
                    "side", c.side)("type", c.type)("tif", c.tif)("stp", c.stp)(
                    "reduce_only", c.reduce_only)("price", c.price)("stop", c.stop_price)("qty",
                                                                                          c.qty)
                    .str();
        } else if constexpr (std::is_same_v<T, CancelOrder>) {
          os << Line("CancelOrder")("symbol", c.symbol)("account", c.account)("order", c.order_id)
                    .str();
        } else if constexpr (std::is_same_v<T, AmendOrder>) {
          os << Line("AmendOrder")("symbol", c.symbol)("account", c.account)("order", c.order_id)(
                    "price", c.new_price)("qty", c.new_qty)
                    .str();
        } else if constexpr (std::is_same_v<T, MassCancel>) {
          os << Line("MassCancel")("account", c.account)("all_symbols", c.all_symbols)("symbol",
                                                                                       c.symbol)
                    .str();
        } else if constexpr (std::is_same_v<T, ConfigureSymbol>) {
          os << Line("ConfigureSymbol")("symbol", c.config.symbol)("min_price", c.config.min_price)(
                    "max_price", c.config.max_price)("max_qty", c.config.max_order_qty)(
                    "protection_ticks", c.config.market_protection_ticks)
                    .str();
        } else {
          os << "<command, variant index " << CommandBody(c).index() << ">";
        }
      },
      command.body);
  return os.str();
}

std::string ToString(const LevelView& level) {
  return Line("Level")("price", level.price)("qty", level.qty)("orders", level.orders).str();
}

std::string ToString(const OrderView& o) {
  return Line("Order")("status", o.status)("symbol", o.symbol)("side", o.side)("type", o.type)(
             "tif", o.tif)("price", o.price)("stop", o.stop_price)("open", o.open)
      .str();
}

std::string_view EventName(const Event& event) {
  static constexpr std::string_view kNames[] = {
      "OrderAccepted",  "CommandRejected", "OrderTriggered", "OrderAmended",     "Trade",
      "OrderCancelled", "OrderExpired",    "TopOfBook",      "SymbolConfigured", "BalanceChanged",
      "LeverageSet",    "MarkUpdated",     "MarginCall",     "LiquidationOrder", "LiquidationFill",
      "Takeover",       "AdlFill",         "BadDebt",        "FundingPayment",   "BucketState"};
  static_assert(std::size(kNames) == std::variant_size_v<EventBody>);
  return kNames[event.body.index()];
}

bool SameEvent(const Event& a, const Event& b) {
  if (a.seq != b.seq || a.ts != b.ts || a.body.index() != b.body.index()) return false;
  return std::visit(
      [&b](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (requires { Fields(x); }) {
          return Fields(x) == Fields(std::get<T>(b.body));
        } else {
          return false;
        }
      },
      a.body);
}

bool SameLevel(const LevelView& a, const LevelView& b) {
  return a.price == b.price && a.qty == b.qty && a.orders == b.orders;
}

}  // namespace cascade
