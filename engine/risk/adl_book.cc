// The ADL ranking of one symbol and side (risk-model.md section 7.7), kept between bankrupt
// buckets. Scores depend on the marks, the input's seq (pseudo-random ranking) and the candidate's
// own cash and positions. So a ranking built once holds until a mark moves or the next input begins
// (the ranking epoch), except for the buckets that change meanwhile: AddCash and MoveSize mark
// those (Bucket::adl_touch), their old entries go stale and the next PrepareAdl scores them again.
// A cascade that deleverages k buckets against n holders in one round costs one O(n log n) ranking
// and O((k + changed) log) after it, instead of O(n log n) per bankrupt bucket.
#include <algorithm>

#include "engine/risk/adl.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {
namespace {

// Score descending, then bucket id: the order ADL takes candidates in.
bool Before(const RiskEngine::AdlCandidate& a, const RiskEngine::AdlCandidate& b) noexcept {
  return a.score != b.score ? a.score > b.score : a.bucket < b.bucket;
}

}  // namespace

bool RiskEngine::AdlEntry(const Bucket& c, const Position& p, const SymbolState& s, int64_t side,
                          AdlCandidate& out) const noexcept {
  // Candidates: user buckets holding the opposite side with equity > 0.
  if (c.kind != BucketKind::kUser || p.size == 0 || (p.size > 0 ? 1 : -1) == side) return false;
  const int128 equity = Compute(c, false).equity;
  if (equity <= 0) return false;
  const uint64_t seed = (seq_.value() << 32) ^ s.config.symbol.value();
  const AdlInputs in{p.size, p.cost, s.mark, s.k, equity};
  out = {AdlScore(s.config.risk.adl_ranking, in, seed, c.id.value()), c.id.value(),
         c.adl_touch >> 1};
  return true;
}

void RiskEngine::PrepareAdl(const SymbolState& s, int64_t side) noexcept {
  const uint32_t symbol = s.config.symbol.value();
  const bool reuse =
      adl_book_.epoch == ranking_epoch_ && adl_book_.symbol == symbol && adl_book_.side == side;
  if (reuse) {
    // Drop the stale fresh entries, then score what changed since the last call.
    adl_fresh_.erase(std::remove_if(adl_fresh_.begin(), adl_fresh_.end(),
                                    [&](const AdlCandidate& e) { return !Current(e); }),
                     adl_fresh_.end());
    for (const uint32_t id : adl_dirty_) {
      Bucket& c = B(id);
      c.adl_touch &= ~1u;
      AdlCandidate e;
      const Position* p = FindPosition(c, symbol);
      if (p != nullptr && AdlEntry(c, *p, s, side, e)) adl_fresh_.push_back(e);
    }
    std::sort(adl_fresh_.begin(), adl_fresh_.end(), Before);
  } else {
    for (const uint32_t id : adl_dirty_) B(id).adl_touch &= ~1u;
    adl_.clear();
    adl_fresh_.clear();
    for (const Position& p : s.holders) {
      AdlCandidate e;
      if (AdlEntry(B(p.bucket), p, s, side, e)) adl_.push_back(e);
    }
    std::sort(adl_.begin(), adl_.end(), Before);
    adl_book_ = AdlBook{ranking_epoch_, symbol, side, 0};
  }
  adl_dirty_.clear();
  while (adl_book_.ranked_from < adl_.size() && !Current(adl_[adl_book_.ranked_from])) {
    ++adl_book_.ranked_from;  // taken by earlier legs: stale for good
  }
}

bool RiskEngine::AdlOrderIsExact(const SymbolState& s, int64_t side) noexcept {
#if defined(CASCADE_ENABLE_DCHECK)
  // Verify builds: the merged order equals a ranking of every holder from scratch.
  adl_check_.clear();
  for (const Position& p : s.holders) {
    AdlCandidate e;
    if (AdlEntry(B(p.bucket), p, s, side, e)) adl_check_.push_back(e);
  }
  std::sort(adl_check_.begin(), adl_check_.end(), Before);
  size_t ranked = adl_book_.ranked_from;
  size_t fresh = 0;
  for (const AdlCandidate& want : adl_check_) {
    const AdlCandidate* got = NextAdl(ranked, fresh);
    if (got == nullptr || got->bucket != want.bucket || got->score != want.score) return false;
  }
  return NextAdl(ranked, fresh) == nullptr;
#else
  (void)s;
  (void)side;
  return true;
#endif
}

const RiskEngine::AdlCandidate* RiskEngine::NextAdl(size_t& ranked, size_t& fresh) noexcept {
  while (ranked < adl_.size() && !Current(adl_[ranked])) ++ranked;
  while (fresh < adl_fresh_.size() && !Current(adl_fresh_[fresh])) ++fresh;
  const bool has_ranked = ranked < adl_.size();
  const bool has_fresh = fresh < adl_fresh_.size();
  if (!has_ranked && !has_fresh) return nullptr;
  if (!has_fresh || (has_ranked && Before(adl_[ranked], adl_fresh_[fresh]))) {
    return &adl_[ranked++];
  }
  return &adl_fresh_[fresh++];
}

}  // namespace cascade::risk
