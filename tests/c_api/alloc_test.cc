// CApiAllocationTest: the plain-struct fast path (submit, event count, struct views) makes no heap
// allocation once warm, across the boundary: this binary links cascade::alloc_counter, whose
// operator new also serves the shared library (it resolves to the executable's definition).
#include <gtest/gtest.h>

#include <cstdint>

#include "engine/c_api.h"
#include "perf/alloc_counter.h"
#include "tests/c_api/session.h"

namespace cascade::c_api_test {
namespace {

// Adds near the touch, some crossing (trades), cancels and amends of earlier orders.
void Trade(cascade_engine* e, uint64_t first_id, uint64_t count) {
  cascade_event view;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t id = first_id + i;
    size_t events = 0;
    cascade_new_order o{};
    o.symbol = 1;
    o.account = 1 + static_cast<uint32_t>(id % 4);
    o.order_id = id;
    o.side = static_cast<uint8_t>(id % 2);
    o.price = 850'000 + static_cast<int64_t>((id * 7) % 21) - 10;
    o.qty = 1 + static_cast<int64_t>(id % 9);
    ASSERT_EQ(cascade_submit_new_order(e, &o, &events), CASCADE_OK);
    for (size_t k = 0; k < events; ++k) ASSERT_EQ(cascade_event_get(e, k, &view), CASCADE_OK);
    if (id % 3 == 0) {
      const cascade_cancel_order c{0, 0, 1, 1 + static_cast<uint32_t>((id - 2) % 4), id - 2};
      ASSERT_EQ(cascade_submit_cancel(e, &c, &events), CASCADE_OK);
    }
    if (id % 5 == 0) {
      const cascade_amend_order a{0,      0,
                                  1,      1 + static_cast<uint32_t>((id - 1) % 4),
                                  id - 1, 850'000 + static_cast<int64_t>(id % 7),
                                  3};
      ASSERT_EQ(cascade_submit_amend(e, &a, &events), CASCADE_OK);
    }
  }
}

TEST(CApiAllocationTest, FastPathAllocatesNothingOnceWarm) {
  Session s;
  s.Frame(Configure(1, wire::BinanceBtcPerp()));
  for (uint32_t a = 1; a <= 4; ++a) s.Frame(DepositOf(1 + a, a, 10'000'000'000'000));
  Trade(s.engine(), 1, 2'000);  // warm: pools touched, maps at size
  const alloc_counter::Scope scope;
  Trade(s.engine(), 2'001, 2'000);
  EXPECT_EQ(scope.allocations(), 0u);
  uint64_t digest = 0;
  ASSERT_EQ(cascade_state_digest(s.engine(), &digest), CASCADE_OK);
}

TEST(CApiAllocationTest, CounterSeesTheLibrarysAllocations) {
  const alloc_counter::Scope scope;
  cascade_engine* e = nullptr;
  const cascade_config config = SmallConfig();
  ASSERT_EQ(cascade_create(&config, &e), CASCADE_OK);
  EXPECT_GT(scope.allocations(), 0u);  // else a zero above would prove nothing
  cascade_destroy(e);
}

}  // namespace
}  // namespace cascade::c_api_test
