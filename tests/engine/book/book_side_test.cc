// BookSide against a std::map of FIFO queues: random appends, removals and moves over price ranges
// far wider than the tick window, so the window moves both ways, levels cross between window and
// tree, and the best level, level order and per-level FIFO must stay exactly those of the map.
#include "engine/book/book_side.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace cascade {
namespace {

class BookSideTest : public ::testing::TestWithParam<bool> {
 protected:
  static constexpr size_t kOrders = 4096;

  BookSideTest() : levels_(kOrders + 1), side_(GetParam(), levels_), orders_(kOrders) {}
  ~BookSideTest() override { side_.Clear(); }

  // Levels best first, as the side's ordering defines "best".
  [[nodiscard]] int64_t KeyOf(int64_t price) const { return GetParam() ? -price : price; }

  void Add(size_t i, int64_t price) {
    Order& o = orders_[i];
    o.id = OrderId{i};
    o.open = Qty{static_cast<int64_t>(i % 7 + 1)};
    ASSERT_TRUE(side_.Append(o, Price{price}));
    reference_[KeyOf(price)].push_back(&o);
  }
  void Remove(size_t i) {
    Order& o = orders_[i];
    auto& queue = reference_[KeyOf(o.level->price.value())];
    queue.erase(std::find(queue.begin(), queue.end(), &o));
    if (queue.empty()) reference_.erase(KeyOf(o.level->price.value()));
    side_.Remove(o);
  }

  // An amend that loses priority: the order goes to the back of `price` with a new quantity. The
  // side must report a change of its top (best price or best total) whenever there was one.
  void Move(size_t i, int64_t price) {
    Order& o = orders_[i];
    auto& queue = reference_[KeyOf(o.level->price.value())];
    queue.erase(std::find(queue.begin(), queue.end(), &o));
    if (queue.empty()) reference_.erase(KeyOf(o.level->price.value()));
    const auto top = [&] {
      return std::make_pair(side_.Best() ? side_.Best()->price : Price{0},
                            side_.Best() ? side_.Best()->total : Qty{0});
    };
    const auto before = top();
    bool top_changed = false;
    ASSERT_TRUE(side_.Move(o, Price{price}, Qty{o.open.value() % 5 + 1}, top_changed));
    reference_[KeyOf(price)].push_back(&o);
    if (top() != before) {
      ASSERT_TRUE(top_changed);
    }
  }

  void ExpectSameAsReference() {
    ASSERT_EQ(side_.level_count(), reference_.size());
    ASSERT_EQ(side_.empty(), reference_.empty());
    if (!reference_.empty()) {
      ASSERT_NE(side_.Best(), nullptr);
      ASSERT_EQ(KeyOf(side_.Best()->price.value()), reference_.begin()->first);
    }
    auto ref = reference_.begin();
    for (const PriceLevel& level : side_) {
      ASSERT_NE(ref, reference_.end());
      ASSERT_EQ(KeyOf(level.price.value()), ref->first);
      ASSERT_EQ(level.count, ref->second.size());
      Qty total{0};
      auto queued = ref->second.begin();
      for (const Order& o : level.orders) {
        ASSERT_EQ(&o, *queued++);
        total += o.open;
      }
      ASSERT_EQ(level.total, total);
      ++ref;
    }
    ASSERT_EQ(ref, reference_.end());
  }

  ObjectPool<PriceLevel> levels_;
  BookSide side_;
  std::vector<Order> orders_;
  std::map<int64_t, std::deque<Order*>> reference_;
};

TEST_P(BookSideTest, MatchesAnOrderedMapWhileTheWindowMoves) {
  std::mt19937_64 rng(GetParam() ? 7 : 11);
  std::vector<size_t> live;
  std::vector<size_t> free;
  for (size_t i = kOrders; i > 0; --i) free.push_back(i - 1);
  int64_t centre = 1'000'000;
  for (int step = 0; step < 200'000; ++step) {
    // The centre drifts in bursts, sometimes by more than the window in one go.
    if (step % 500 == 0) {
      centre += static_cast<int64_t>(rng() % 20'001) - 10'000;
      centre = std::max<int64_t>(centre, 50'000);
    }
    const bool add = live.empty() || (free.size() > 0 && rng() % 100 < 52);
    if (!add && rng() % 3 == 0) {
      // Moves mostly near the best price, as amends do; sometimes anywhere in the spread.
      const uint64_t spread = rng() % 4 == 0 ? 40'000 : 60;
      const int64_t best = side_.Best()->price.value();
      const size_t pick = rng() % live.size();
      Move(live[pick], std::max<int64_t>(best + static_cast<int64_t>(rng() % (2 * spread + 1)) -
                                             static_cast<int64_t>(spread),
                                         1));
    } else if (add) {
      const size_t i = free.back();
      free.pop_back();
      const uint64_t spread = rng() % 4 == 0 ? 40'000 : 600;
      Add(i,
          centre + static_cast<int64_t>(rng() % (2 * spread + 1)) - static_cast<int64_t>(spread));
      live.push_back(i);
    } else {
      // Mostly the best level's oldest order (as matching does), sometimes any order.
      size_t pick = rng() % live.size();
      if (rng() % 2 == 0) {
        const Order* front = &side_.Best()->orders.front();
        pick = static_cast<size_t>(std::find(live.begin(), live.end(), front->id.value()) -
                                   live.begin());
      }
      Remove(live[pick]);
      free.push_back(live[pick]);
      live[pick] = live.back();
      live.pop_back();
    }
    if (step % 97 == 0) {
      SCOPED_TRACE("step " + std::to_string(step));
      ASSERT_NO_FATAL_FAILURE(ExpectSameAsReference());
    }
  }
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReference());
}

INSTANTIATE_TEST_SUITE_P(BothOrders, BookSideTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Descending" : "Ascending";
                         });

}  // namespace
}  // namespace cascade
