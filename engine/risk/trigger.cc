#include "engine/risk/trigger.h"

#include <limits>

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

// floor(n / d) for n >= 0 and d > 0 in one unsigned division (FloorDiv's signed 128-bit division
// and remainder are two library calls); q_eff of a funded account puts n beyond 64 bits.
int128 DivNonNegative(int128 n, int128 d) noexcept {
  constexpr int128 kMax64 = std::numeric_limits<int64_t>::max();
  if (n <= kMax64 && d <= kMax64) {
    return static_cast<int128>(static_cast<uint64_t>(n) / static_cast<uint64_t>(d));
  }
  __extension__ using uint128 = unsigned __int128;
  return static_cast<int128>(static_cast<uint128>(n) / static_cast<uint128>(d));
}

int64_t Clamp(int128 v) noexcept {
  if (v < 0) return 0;
  return v > kMaxTick ? static_cast<int64_t>(kMaxTick) : static_cast<int64_t>(v);
}

}  // namespace

int64_t LongTrigger(const TierTable& tiers, int128 q_eff, int64_t lots, int64_t k) noexcept {
  // With q_eff >= 0 no tick is liquidatable: Equity - MM = q_eff + cum_t + value * (1 - mmr_t)
  // is positive for a long (cum_t >= 0 as rates never decrease).
  if (q_eff >= 0) return kLongNever;
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
    const int128 cand = (!top && r.hi * d < n) ? r.hi : DivNonNegative(n - 1, d);  // n > d
    if (cand > best) best = cand;
    if (monotone && (top || cand < r.hi)) break;
  }
  return Clamp(best);
}

int64_t ShortTrigger(const TierTable& tiers, int128 q_eff, int64_t lots, int64_t k) noexcept {
  const int64_t a = lots * k;
  // For a short, Equity - MM only falls as the price rises, across tier floors too, so the first
  // tier holding a liquidatable tick holds the smallest one. A well-funded short has none below
  // the top tier: the table's bound over those tiers tells so in one comparison.
  const int first = q_eff * kE >= tiers.short_skip ? tiers.count - 1 : 0;
  for (int t = first; t < tiers.count; ++t) {
    // liquidatable at p in tier t  <=>  p * d > n
    const int128 n = (q_eff + tiers.cum[t]) * kE;
    const bool top = t + 1 == tiers.count;
    // The tier's highest tick is at most floor_{t+1} / a: when even that is safe, skip the tier
    // without dividing (a well-funded short goes through every tier to the top one).
    if (!top && static_cast<int128>(tiers.floor[t + 1]) * (kE + tiers.mmr[t]) <= n) continue;
    const TickRange r = TierTicks(tiers, t, a);
    if (r.lo > r.hi) continue;
    const int128 d = static_cast<int128>(a) * (kE + tiers.mmr[t]);
    if (!top && !(r.hi * d > n)) continue;
    const int128 cand = r.lo * d > n ? r.lo : DivNonNegative(n, d) + 1;  // n >= r.lo * d > 0
    return cand > kMaxTick ? kShortNever : Clamp(cand);
  }
  return kShortNever;
}

}  // namespace cascade::risk
