#include "tests/engine/book/event_text.h"

#include <sstream>
#include <string_view>

#include "engine/core/enums.h"

namespace cascade {
namespace {

std::string_view StatusName(OrderStatus s) {
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

}  // namespace

std::string ToString(const LevelView& level) {
  std::ostringstream os;
  os << "Level price=" << level.price.value() << " qty=" << level.qty.value()
     << " orders=" << level.orders;
  return os.str();
}

std::string ToString(const OrderView& o) {
  std::ostringstream os;
  os << "Order status=" << StatusName(o.status) << " symbol=" << o.symbol.value()
     << " side=" << ToString(o.side) << " type=" << ToString(o.type) << " tif=" << ToString(o.tif)
     << " price=" << o.price.value() << " stop=" << o.stop_price.value()
     << " open=" << o.open.value();
  return os.str();
}

}  // namespace cascade
