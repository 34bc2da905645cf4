#pragma once

#include <boost/intrusive/set.hpp>
#include <cstdint>

#include "engine/book/order.h"

namespace cascade {

using LevelSetHook =
    boost::intrusive::set_member_hook<boost::intrusive::link_mode<boost::intrusive::normal_link>,
                                      boost::intrusive::optimize_size<true>>;

// All orders at one price on one side, oldest first. `key` orders levels best first within a side
// (price for ascending sides, -price for descending ones) so one tree type serves both.
struct PriceLevel {
  LevelQueue orders;
  int64_t key = 0;
  Price price{0};
  Qty total{0};
  uint32_t count = 0;
  LevelSetHook set_hook;  // last: only levels outside the window (in the tree) use it

  PriceLevel() = default;
  PriceLevel(const PriceLevel&) = delete;
  PriceLevel& operator=(const PriceLevel&) = delete;
  PriceLevel& operator=(PriceLevel&&) noexcept {
    key = 0;
    price = Price{0};
    total = Qty{0};
    count = 0;
    return *this;
  }
};

struct LevelKeyOf {
  using type = int64_t;
  int64_t operator()(const PriceLevel& level) const noexcept { return level.key; }
};

using LevelTree = boost::intrusive::set<
    PriceLevel, boost::intrusive::member_hook<PriceLevel, LevelSetHook, &PriceLevel::set_hook>,
    boost::intrusive::key_of_value<LevelKeyOf>, boost::intrusive::constant_time_size<true>>;

}  // namespace cascade
