#include "engine/risk/trigger.h"

#include "engine/risk/fast_div.h"

namespace cascade::risk {
namespace {

constexpr int128 kE = kRateScale;
constexpr int128 kMaxTick = std::numeric_limits<int64_t>::max();

// Ticks of the tier's notional range (floor_t, floor_{t+1}] for a position of `a` atoms per tick.
struct TickRange {
  int128 lo;
  int128 hi;  // kMaxTick for the top tier
};

TickRange TierTicks(const TierTable& tiers, int t, int64_t a) noexcept {
  // a = |lots| * K < 2^62 by the symbol's limits, and floors are int64: 64-bit divisions.
  const int128 lo = t == 0 ? 1 : tiers.floor[t] / a + 1;
  const int128 hi = t + 1 == tiers.count ? kMaxTick : tiers.floor[t + 1] / a;
  return {lo, hi};
}

int64_t Clamp(int128 v) noexcept {
  if (v < 0) return 0;
  return v > kMaxTick ? static_cast<int64_t>(kMaxTick) : static_cast<int64_t>(v);
}

}  // namespace

int64_t LongTrigger(const TierTable& tiers, int128 q_eff, int64_t lots, int64_t k) noexcept {
  const int64_t a = lots * k;
  // Equity - MM never falls by more than a*(1e8 - mmr)/1e8 - 2 atoms when a tick moves the
  // position into the next tier, so with a*(1e8 - mmr_max) >= 2e8 the liquidatable ticks form one
  // interval [1, trigger] and the scan can stop at the tier that contains the trigger.
  const bool monotone = static_cast<int128>(a) * (kE - tiers.mmr[tiers.count - 1]) >= 2 * kE;
  int128 best = kLongNever;
  for (int t = 0; t < tiers.count; ++t) {
    const TickRange r = TierTicks(tiers, t, a);
    if (r.lo > r.hi) continue;
    // liquidatable at p in tier t  <=>  p * d < n
    const int128 n = (-q_eff - tiers.cum[t]) * kE;
    const int128 d = static_cast<int128>(a) * (kE - tiers.mmr[t]);
    if (!(r.lo * d < n)) {
      if (monotone) break;
      continue;
    }
    const bool top = t + 1 == tiers.count;
    const int128 cand = (!top && r.hi * d < n) ? r.hi : FloorDivFast(n - 1, d);
    if (cand > best) best = cand;
    if (monotone && (top || cand < r.hi)) break;
  }
  return Clamp(best);
}

int64_t ShortTrigger(const TierTable& tiers, int128 q_eff, int64_t lots, int64_t k) noexcept {
  const int64_t a = lots * k;
  // For a short, Equity - MM only falls as the price rises, across tier floors too, so the first
  // tier holding a liquidatable tick holds the smallest one.
  for (int t = 0; t < tiers.count; ++t) {
    const TickRange r = TierTicks(tiers, t, a);
    if (r.lo > r.hi) continue;
    // liquidatable at p in tier t  <=>  p * d > n
    const int128 n = (q_eff + tiers.cum[t]) * kE;
    const int128 d = static_cast<int128>(a) * (kE + tiers.mmr[t]);
    const bool top = t + 1 == tiers.count;
    if (!top && !(r.hi * d > n)) continue;
    const int128 cand = r.lo * d > n ? r.lo : FloorDivFast(n, d) + 1;
    return cand > kMaxTick ? kShortNever : Clamp(cand);
  }
  return kShortNever;
}

}  // namespace cascade::risk
