#include "engine/risk/trigger.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>

#include "engine/risk/invariants.h"
#include "engine/risk/margin.h"
#include "engine/risk/mark_bands.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;
using testing::Driver;
using testing::kUsd;
using testing::Rng;

int64_t Steps(int64_t fallback) {
  const char* env = std::getenv("CASCADE_RISK_TEST_SCALE");
#if defined(__SANITIZE_ADDRESS__)
  constexpr int64_t kDefaultScale = 25;  // sanitizer builds run a quarter
#else
  constexpr int64_t kDefaultScale = 100;
#endif
  const int64_t scale = env != nullptr ? std::max<int64_t>(1, std::atoll(env)) : kDefaultScale;
  return std::max<int64_t>(1, fallback * scale / 100);
}

TierTable Table(std::initializer_list<MarginTier> tiers) {
  RiskParams p;
  for (const MarginTier& t : tiers) p.tiers[p.tier_count++] = t;
  const auto table = BuildTierTable(p);
  EXPECT_TRUE(table.ok()) << table.status();
  return *table;
}

// The trigger against a scan of every tick, on small positions where rounding at tier floors
// matters most (a few atoms per tick, rates far apart).
TEST(TriggerIndexTest, TriggerFunctionsMatchATickScan) {
  Rng rng(7);
  const std::vector<TierTable> tables = {
      Table({{Atoms{0}, 400'000, 800'000}, {Atoms{500}, 500'000, 1'000'000}}),
      Table({{Atoms{0}, 1'000'000, 2'000'000},
             {Atoms{300}, 20'000'000, 40'000'000},
             {Atoms{900}, 60'000'000, 90'000'000},
             {Atoms{2'000}, 90'000'000, 99'000'000}}),
      Table({{Atoms{0}, 33'333'333, 50'000'000}, {Atoms{7}, 66'666'667, 70'000'000}}),
  };
  const int64_t cases = Steps(600);
  for (int64_t i = 0; i < cases; ++i) {
    const TierTable& t = tables[i % tables.size()];
    const int64_t k = rng.Uniform(1, 3);
    const int64_t lots = rng.Uniform(1, 6);
    const int64_t max_tick = 1'500;
    // Far enough that no tier (MMR <= 90%) is liquidatable for a long beyond it.
    const int64_t kScan = 20 * max_tick;
    const int128 value_mid = int128{lots} * k * rng.Uniform(1, max_tick);
    const int128 q_long = -value_mid + rng.Uniform(-300, 300);
    const int128 q_short = value_mid + rng.Uniform(-300, 300);
    int64_t largest = kLongNever;
    int64_t smallest = kShortNever;
    for (int64_t p = 1; p <= kScan; ++p) {
      if (LiquidatableAt(t, q_long, lots, k, p)) largest = p;
      if (smallest == kShortNever && LiquidatableAt(t, q_short, -lots, k, p)) smallest = p;
    }
    ASSERT_EQ(LongTrigger(t, q_long, lots, k), largest)
        << "case " << i << " lots " << lots << " k " << k;
    if (smallest != kShortNever) {
      ASSERT_EQ(ShortTrigger(t, q_short, lots, k), smallest)
          << "case " << i << " lots " << lots << " k " << k;
    } else {
      ASSERT_GT(ShortTrigger(t, q_short, lots, k), kScan);
    }
  }
}

// Random populations (long and short, single- and multi-symbol cross buckets, isolated ones,
// every tier) on random mark paths: at every step the set the index pops equals the set for
// which Liquidatable() holds over all buckets.
TEST(TriggerIndexTest, PoppedSetEqualsBruteForceOnRandomMarkPaths) {
  Rng rng(2024);
  RiskEngineConfig config = Driver::Small();
  config.max_buckets = 8'192;
  config.max_positions = 32'768;
  Driver d(config);
  constexpr int kSymbols = 3;
  const SymbolId syms[kSymbols] = {SymbolId{1}, SymbolId{2}, SymbolId{3}};
  const int64_t base[kSymbols] = {1'000'000, 30'000, 150'000};
  int64_t mark[kSymbols];
  for (int s = 0; s < kSymbols; ++s) {
    SymbolConfig c = BtcConfig(syms[s]);
    c.lot_size_nanos = s == 1 ? 10'000'000 : 1'000'000;  // K = 100, 1000, 100
    c.max_position_qty = Qty{10'000'000};
    ASSERT_EQ(d.risk.OnSymbolConfigured(c), RejectReason::kNone);
    mark[s] = base[s];
    d.risk.OnMarkPrice(syms[s], Price{mark[s]});
  }
  d.Begin(0);
  d.risk.RecomputeMarks(d.venue);
  const BucketId house = d.Deposit(1, int64_t{1} << 60);
  auto k_of = [&](int s) { return s == 1 ? 1'000 : 100; };
  const int buckets = static_cast<int>(Steps(2'500));
  std::vector<BucketId> ids;
  for (int i = 0; i < buckets; ++i) {
    const uint32_t account = 10 + static_cast<uint32_t>(i);
    const bool isolated = rng.Chance(20);
    const int first = static_cast<int>(rng.Uniform(0, kSymbols - 1));
    const int count = isolated ? 1 : static_cast<int>(rng.Uniform(1, 3));
    // Notional from 10 USD to 400M USD (every tier), leverage 1x to 125x.
    int128 notional_total = 0;
    d.Begin();
    const MarginMode mode = isolated ? MarginMode::kIsolated : MarginMode::kCross;
    for (int j = 0; j < count; ++j) {
      const int s = (first + j) % kSymbols;
      const int64_t digits = rng.Uniform(1, 8);
      int64_t usd = 1;
      for (int64_t x = 0; x < digits; ++x) usd *= 10;
      usd = usd * rng.Uniform(1, 40) / 10 + 10;
      const int64_t lots = std::max<int64_t>(1, usd * kUsd / (mark[s] * k_of(s)));
      const int64_t signed_lots = rng.Chance(50) ? lots : -lots;
      notional_total += int128{lots} * mark[s] * k_of(s);
      if (j == 0) {
        const int64_t leverage = rng.Uniform(1, 125);
        const int64_t deposit = static_cast<int64_t>(notional_total / leverage) + 1;
        ASSERT_EQ(d.risk.Deposit(AccountId{account}, mode, syms[s], Atoms{deposit * 3}),
                  RejectReason::kNone);
        ids.push_back(d.risk.FindBucket(AccountId{account}, mode, syms[s]));
      }
      const Side taker_side = signed_lots > 0 ? Side::kBuy : Side::kSell;
      d.risk.OnOrderRested(house, syms[s], Opposite(taker_side), Price{mark[s]}, Qty{lots});
      d.risk.OnFill(TradeFill{syms[s], Price{mark[s]}, Qty{lots}, taker_side, house, ids.back()});
    }
  }
  auto brute = [&] {
    std::vector<BucketId> out;
    for (uint32_t i = 0; i < d.risk.bucket_count(); ++i) {
      if (d.risk.IsLiquidatable(BucketId{i})) out.push_back(BucketId{i});
    }
    return out;
  };
  std::vector<BucketId> popped;
  const InvariantChecker checker(d.risk);
  const int64_t steps = Steps(1'000);
  size_t max_crossed = 0;
  for (int64_t step = 0; step < steps; ++step) {
    d.Begin(step * 1'000'000'000);
    const int s = static_cast<int>(rng.Uniform(0, kSymbols - 1));
    const int64_t roll = rng.Uniform(0, 99);
    if (roll < 70) {  // mark move: small, or a jump of up to 40%
      const int64_t bp = roll < 60 ? rng.Uniform(-300, 300) : rng.Uniform(-4'000, 4'000);
      mark[s] = std::clamp<int64_t>(mark[s] + mark[s] * bp / 10'000, base[s] / 3, base[s] * 3);
      d.risk.OnMarkPrice(syms[s], Price{mark[s]});
    } else if (roll < 80) {  // deposit
      const BucketId b = ids[rng.Uniform(0, ids.size() - 1)];
      const BucketView v = d.risk.GetBucket(b);
      (void)d.risk.Deposit(v.account, v.mode, syms[s], Atoms{rng.Uniform(1, 10'000) * kUsd});
    } else if (roll < 88) {  // withdrawal (accepted only above IM)
      const BucketId b = ids[rng.Uniform(0, ids.size() - 1)];
      const BucketView v = d.risk.GetBucket(b);
      (void)d.risk.Withdraw(v.account, v.mode, syms[s], Atoms{rng.Uniform(1, 1'000) * kUsd});
    } else if (roll < 96) {  // a fill that changes one bucket's position
      const BucketId b = ids[rng.Uniform(0, ids.size() - 1)];
      const BucketView v = d.risk.GetBucket(b);
      if (v.mode == MarginMode::kCross || d.risk.GetPosition(b, syms[s]).size != Qty{0}) {
        const int64_t lots = rng.Uniform(1, 50);
        const Side side = rng.Chance(50) ? Side::kBuy : Side::kSell;
        d.risk.OnOrderRested(house, syms[s], Opposite(side), Price{mark[s]}, Qty{lots});
        d.risk.OnFill(TradeFill{syms[s], Price{mark[s]}, Qty{lots}, side, house, b});
      }
    } else {  // funding
      (void)d.risk.OnFundingRate(syms[s], rng.Uniform(-200'000, 200'000));
    }
    d.risk.RecomputeMarks(d.venue);
    // Keys of multi-symbol cross buckets are banded (early, never late) and stay so.
    ASSERT_TRUE(checker.CheckIndex().ok()) << checker.CheckIndex() << " step " << step;
    d.risk.CollectLiquidatable(popped);
    const std::vector<BucketId> expected = brute();
    ASSERT_EQ(popped, expected) << "step " << step;
    max_crossed = std::max(max_crossed, expected.size());
  }
  EXPECT_GT(max_crossed, 10u);  // the paths did cross triggers
}

}  // namespace
}  // namespace cascade::risk

namespace cascade::risk {
namespace {

TEST(TriggerIndexTest, MarkBandsFindTheBandsAMarkLeft) {
  std::vector<Band> bands(3);
  const int64_t ranges[3][2] = {{90, 110}, {95, 100}, {100, 130}};
  MarkBands set;
  for (uint32_t i = 0; i < 3; ++i) {
    bands[i].lo = ranges[i][0];
    bands[i].hi = ranges[i][1];
    bands[i].bucket = i;
    set.Insert(bands[i]);
  }
  EXPECT_EQ(set.FirstOutside(100), nullptr);
  EXPECT_EQ(set.FirstOutside(96), &bands[2]);   // below lo = 100
  EXPECT_EQ(set.FirstOutside(105), &bands[1]);  // above hi = 100
  set.Erase(bands[1]);
  EXPECT_EQ(set.FirstOutside(105), nullptr);
  EXPECT_EQ(set.size(), 2u);
  set.clear();
}

TEST(TriggerIndexTest, BandFloorBoundsTheSlackOverTheBand) {
  TierTable tiers;
  RiskParams params;
  SetBinanceBtc2021Tiers(params);
  tiers = *BuildTierTable(params);
  for (int64_t size : {-3'000, -1, 1, 7, 5'000}) {
    for (int64_t lo : {1'000, 499'000, 999'950}) {
      const int64_t hi = lo + 5'000;
      const int128 floor = BandFloor(tiers, size, 100, lo, hi);
      for (int64_t m = lo; m <= hi; m += 7) {
        ASSERT_LE(floor, PositionSlack(tiers, size, 100, m)) << size << " " << m;
      }
    }
  }
}

}  // namespace
}  // namespace cascade::risk
