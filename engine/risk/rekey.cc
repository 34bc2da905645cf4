// Trigger-index upkeep (risk-model.md section 5): every change to a bucket re-keys it, and a mark
// move re-keys the multi-symbol cross buckets whose keys assumed that mark within a band it left.
#include <algorithm>

#include "engine/core/assert.h"
#include "engine/risk/risk_engine.h"
#include "engine/risk/trigger.h"

namespace cascade::risk {
namespace {

int64_t Trigger(const SymbolState& s, int128 q_eff, int64_t size) noexcept {
  return size > 0 ? LongTrigger(s.tiers, q_eff, size, s.k)
                  : ShortTrigger(s.tiers, q_eff, -size, s.k);
}

TriggerSide SideOf(int64_t size) noexcept {
  return size > 0 ? TriggerSide::kLong : TriggerSide::kShort;
}

}  // namespace

void RiskEngine::Rekey(Bucket& b) noexcept {
  if (b.kind != BucketKind::kUser || b.parked) return;
  // q_eff for symbol s = quote + sum_{j != s}(value_j - MM_j) = total - (value_s - MM_s); with a
  // single position it is the quote, and no slack needs computing.
  int128 total = b.quote;
  if (b.nonzero_positions > 1) {
    for (const Position& p : b.positions) {
      if (p.size == 0) continue;
      const SymbolState& s = S(p.symbol);
      total += PositionSlack(s.tiers, p.size, s.k, s.mark);
    }
    if (b.mode == MarginMode::kCross) {
      RekeyBanded(b, total);
      return;
    }
  }
  for (Position& p : b.positions) {
    SymbolState& s = S(p.symbol);
    Unband(p);
    if (p.size == 0) {
      s.index.Erase(p);
      continue;
    }
    const int128 own =
        b.nonzero_positions > 1 ? PositionSlack(s.tiers, p.size, s.k, s.mark) : int128{0};
    s.index.Rekey(p, SideOf(p.size), Trigger(s, total - own, p.size));
  }
}

void RiskEngine::RekeyBanded(Bucket& b, int128 total) noexcept {
  // Each position gets a band of its own symbol's mark; the other positions are keyed with that
  // position's least slack over the band, so their keys hold (no false negatives) until the mark
  // leaves it. The bands share a quarter of the bucket's slack (Equity - MM): after this re-key
  // none of its keys is crossed unless the bucket is liquidatable. No slack, no band: exact keys.
  const int128 budget = total > 0 ? total / (4 * int128{b.nonzero_positions}) : 0;
  int128 floor_total = b.quote;
  for (Position& p : b.positions) {
    if (p.size == 0) continue;
    SymbolState& s = S(p.symbol);
    Band& band = BandOf(p);
    const int128 slop = 4 * s.tiers.count;
    int64_t width = 0;
    if (budget > slop) {
      // Per tick a position's slack moves by at most |size| * K * (1 + mmr) plus rounding.
      const int128 per_tick = 2 * (static_cast<int128>(p.size < 0 ? -p.size : p.size) * s.k) + 2;
      const int128 widest = std::max<int64_t>(s.mark - 1, 0);  // marks are >= 1 tick
      width = static_cast<int64_t>(std::min<int128>((budget - slop) / per_tick, widest));
    }
    // Keep a band that still holds the mark and is no wider than allowed: no re-filing.
    const bool keep = p.banded && band.lo <= s.mark && s.mark <= band.hi &&
                      band.lo >= s.mark - width && band.hi <= s.mark + width;
    if (!keep) {
      Unband(p);
      band.lo = s.mark - width;
      band.hi = s.mark + width;
      band.bucket = b.id.value();
      s.bands.Insert(band);
      p.banded = true;
    }
    band.floor_value = BandFloor(s.tiers, p.size, s.k, band.lo, band.hi);
    floor_total += band.floor_value;
  }
  for (Position& p : b.positions) {
    SymbolState& s = S(p.symbol);
    if (p.size == 0) {
      Unband(p);
      s.index.Erase(p);
      continue;
    }
    const int128 q_eff = floor_total - bands_[positions_.IndexOf(p)].floor_value;
    s.index.Rekey(p, SideOf(p.size), Trigger(s, q_eff, p.size));
  }
}

void RiskEngine::RekeyHolders(SymbolState& s) noexcept {
  // After funding every holder's cash moved, so nearly every key of the symbol moves. Buckets
  // holding other symbols too are re-keyed one by one (their other symbols' keys move as well);
  // then the single-symbol ones get their new keys in place and the symbol's index is rebuilt
  // from all of them at once, instead of a tree re-key each.
  for (Position& p : s.holders) {
    Bucket& b = B(p.bucket);
    if (b.nonzero_positions >= 2) Rekey(b);
  }
  index_keys_.clear();
  for (Position& p : s.holders) {
    Bucket& b = B(p.bucket);
    if (b.kind != BucketKind::kUser || b.parked) continue;
    if (b.nonzero_positions == 1) {  // p is its only position with a size: q_eff = quote
      p.trigger = Trigger(s, b.quote, p.size);
      p.indexed = SideOf(p.size);
    }
    CASCADE_ASSERT(p.indexed == SideOf(p.size));
    index_keys_.push_back({p.trigger, p.bucket, p.indexed, &p});
  }
  s.index.Rebuild(index_keys_);
}

Band& RiskEngine::BandOf(Position& p) noexcept {
  const uint32_t slot = positions_.IndexOf(p);
  if (!p.band_built) {
    bands_.Construct(slot);
    p.band_built = true;
  }
  return bands_[slot];
}

void RiskEngine::Unband(Position& p) noexcept {
  if (!p.banded) return;
  S(p.symbol).bands.Erase(bands_[positions_.IndexOf(p)]);
  p.banded = false;
}

int64_t RiskEngine::ExactTrigger(const Bucket& b, const Position& p) const noexcept {
  int128 q_eff = b.quote;
  for (const Position& o : b.positions) {
    if (&o == &p || o.size == 0) continue;
    const SymbolState& s = S(o.symbol);
    q_eff += PositionSlack(s.tiers, o.size, s.k, s.mark);
  }
  return Trigger(S(p.symbol), q_eff, p.size);
}

void RiskEngine::Park(Bucket& b) noexcept {
  if (b.parked) return;
  for (Position& p : b.positions) {
    S(p.symbol).index.Erase(p);
    Unband(p);
  }
  b.parked = true;
}

void RiskEngine::Unpark(Bucket& b) noexcept {
  if (!b.parked) return;
  b.parked = false;
  Rekey(b);
}

void RiskEngine::OnMarkMoved(SymbolState& s) noexcept {
  // Only the cross buckets whose keys assumed this mark inside a band it has now left; the re-key
  // gives each a band around the new mark, so the loop ends.
  while (Band* band = s.bands.FirstOutside(s.mark)) Rekey(B(band->bucket));
}

}  // namespace cascade::risk
