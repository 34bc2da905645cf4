// OrderIndex against a std::map: random inserts, erases and lookups on a table that starts small,
// so it grows several times, probe runs wrap around its end, and deletions shift entries back
// across the wrap. Every order must stay findable, every erased one must be gone.
#include "engine/book/order_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace cascade {
namespace {

using Key = std::pair<uint32_t, uint64_t>;

// The parameter is the number of orders: 3,000 grow the table from 16 entries to 4,096; 8 and 14
// keep it at 16 (14 fill it to its limit of 7/8), where nearly every run of entries wraps around
// its end.
class OrderIndexTest : public ::testing::TestWithParam<size_t> {};

TEST_P(OrderIndexTest, MatchesAMapThroughGrowthWrapAroundAndBackShifts) {
  const size_t kOrders = GetParam();
  std::vector<Order> orders(kOrders);
  OrderIndex index(orders.data());
  index.reserve(4);  // grows from 16 entries
  std::map<Key, Order*> reference;
  std::vector<size_t> free;
  for (size_t i = kOrders; i > 0; --i) free.push_back(i - 1);
  std::mt19937_64 rng(5);
  // Few accounts and ids, so keys repeat after erasure and neighbours collide often.
  const uint64_t ids = kOrders * 2;
  auto random_key = [&] { return Key{static_cast<uint32_t>(rng() % 7), rng() % ids}; };

  for (int step = 0; step < 400'000; ++step) {
    const Key key = random_key();
    const auto it = reference.find(key);
    Order* found = index.Find(AccountId{key.first}, OrderId{key.second});
    ASSERT_EQ(found, it == reference.end() ? nullptr : it->second) << "step " << step;
    if (it == reference.end() && !free.empty() && rng() % 100 < 55) {
      Order& o = orders[free.back()];
      free.pop_back();
      o.account = AccountId{key.first};
      o.id = OrderId{key.second};
      index.Insert(o);
      reference.emplace(key, &o);
    } else if (it != reference.end()) {
      index.Erase(*it->second);
      free.push_back(static_cast<size_t>(it->second - orders.data()));
      reference.erase(it);
      ASSERT_FALSE(index.Contains(AccountId{key.first}, OrderId{key.second}));
    }
    ASSERT_EQ(index.size(), reference.size());
  }
  std::set<const Order*> visited;
  index.ForEachUnordered([&](Order& o) { visited.insert(&o); });
  ASSERT_EQ(visited.size(), reference.size());
  for (const auto& [key, order] : reference) {
    EXPECT_EQ(index.Find(AccountId{key.first}, OrderId{key.second}), order);
    EXPECT_TRUE(visited.contains(order));
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, OrderIndexTest,
                         ::testing::Values(size_t{3000}, size_t{8}, size_t{14}));

TEST(OrderIndexBasicsTest, TheSameIdInTwoAccountsIsTwoOrders) {
  std::vector<Order> orders(2);
  OrderIndex index(orders.data());
  orders[0].account = AccountId{1};
  orders[1].account = AccountId{2};
  orders[0].id = orders[1].id = OrderId{42};
  index.Insert(orders[0]);
  index.Insert(orders[1]);
  EXPECT_EQ(index.Find(AccountId{1}, OrderId{42}), &orders[0]);
  EXPECT_EQ(index.Find(AccountId{2}, OrderId{42}), &orders[1]);
  index.Erase(orders[0]);
  index.Erase(orders[0]);  // no longer there: nothing happens
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Find(AccountId{1}, OrderId{42}), nullptr);
  EXPECT_EQ(index.Find(AccountId{2}, OrderId{42}), &orders[1]);
  EXPECT_EQ(index.Find(AccountId{3}, OrderId{42}), nullptr);
}

}  // namespace
}  // namespace cascade
