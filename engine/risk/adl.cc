#include "engine/risk/adl.h"

#include <limits>

namespace cascade::risk {
namespace {

constexpr int128 kE = kRateScale;

int64_t Saturate(int128 v) noexcept {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

int128 Abs(int128 v) noexcept { return v < 0 ? -v : v; }

}  // namespace

int64_t PnlTimesLeverageScore(const AdlInputs& in) noexcept {
  const int128 value = static_cast<int128>(in.size) * in.mark * in.k;
  const int128 upnl = value - in.cost;
  const int128 cost = Abs(in.cost);
  if (cost == 0 || in.equity <= 0) return 0;
  const int128 pnl = FloorDiv(upnl * kE, cost);
  int128 leverage = FloorDiv(Abs(value) * kE, in.equity);
  if (upnl > 0) return Saturate(FloorDiv(pnl * leverage, kE));
  if (leverage < 1) leverage = 1;
  return Saturate(FloorDiv(pnl * kE, leverage));
}

int64_t HyperliquidScore(const AdlInputs& in) noexcept {
  const int128 notional = Abs(static_cast<int128>(in.size) * in.mark * in.k);
  const int128 cost = Abs(in.cost);
  if (cost == 0 || notional == 0 || in.equity <= 0) return 0;
  const int128 ratio = in.size > 0 ? FloorDiv(notional * kE, cost) : FloorDiv(cost * kE, notional);
  const int128 leverage = FloorDiv(notional * kE, in.equity);
  return Saturate(FloorDiv(ratio * leverage, kE));
}

int64_t PseudoRandomScore(uint64_t seed, uint32_t bucket) noexcept {
  // SplitMix64 finalizer: portable and fixed, unlike std:: engines and distributions.
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (uint64_t{bucket} + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<int64_t>(z >> 1);
}

int64_t AdlScore(AdlRanking ranking, const AdlInputs& in, uint64_t seed, uint32_t bucket) noexcept {
  switch (ranking) {
    case AdlRanking::kPnlTimesLeverage:
      return PnlTimesLeverageScore(in);
    case AdlRanking::kHyperliquid:
      return HyperliquidScore(in);
    case AdlRanking::kPseudoRandom:
      return PseudoRandomScore(seed, bucket);
  }
  return 0;
}

}  // namespace cascade::risk
