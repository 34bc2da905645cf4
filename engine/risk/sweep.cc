// The risk sweep (risk-model.md sections 6-7): after every input, liquidate to quiescence in rounds
// (cascade generations), each bucket at most once per sweep.
#include <algorithm>

#include "engine/core/assert.h"
#include "engine/risk/fast_div.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {
namespace {

constexpr int128 kE = kRateScale;
constexpr size_t kCollectLag = 16;  // crossed entries in flight between the walk and Classify

int128 Abs(int128 v) noexcept { return v < 0 ? -v : v; }

// A bucket spans two cache lines (96 bytes); Compute reads both.
void PrefetchBucket(const Bucket& b) noexcept {
  __builtin_prefetch(&b);
  __builtin_prefetch(&b.positions);
}

// Both lines of the bucket's first position; the bucket itself must be cached by now.
void PrefetchPositions(const Bucket& b) noexcept {
  if (b.positions.empty()) return;
  const char* p = reinterpret_cast<const char*>(&b.positions.front());
  __builtin_prefetch(p);
  __builtin_prefetch(p + 64);
}

Atoms ToAtoms(int128 v) noexcept {
  const auto n = NarrowToInt64(v);
  CASCADE_ASSERT(n.has_value());
  return Atoms{*n};
}

}  // namespace

SweepResult RiskEngine::SweepMargined(LiquidationVenue& venue) noexcept {
  SweepResult result;
  ++sweep_;
  UpdateMarks(venue);
  SettleNegativeBalances(0, result);
  if (retry_.empty() && !AnyCrossed()) {  // the usual input: a round that finds nothing
    ++collect_;  // the round count is state (digests, snapshots): an empty round still counts
    return result;
  }
  for (uint32_t round = 0;; ++round) {
    CASCADE_ASSERT(round <= bucket_count_ + 1);
    CollectRound(round, round == 0);
    if (candidates_.empty()) break;
    // Most distressed first: Equity/MM ascending by cross-multiplication, then larger MM, then id.
    std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
      const int128 lhs = a.equity * b.maintenance;
      const int128 rhs = b.equity * a.maintenance;
      if (lhs != rhs) return lhs < rhs;
      if (a.maintenance != b.maintenance) return a.maintenance > b.maintenance;
      return a.bucket < b.bucket;
    });
    for (size_t i = 0; i < candidates_.size(); ++i) {
      // The order is by distress, not by memory: fetch the next buckets ahead of their turn (a
      // liquidation is ~1 us, a miss ~0.1 us: the distances keep several misses in flight).
      if (i + 8 < candidates_.size()) PrefetchBucket(B(candidates_[i + 8].bucket));
      if (i + 4 < candidates_.size()) PrefetchPositions(B(candidates_[i + 4].bucket));
      const Candidate& c = candidates_[i];
      Liquidate(B(c.bucket), c.round, c.backstop_only, result, venue);
    }
    result.depth = round + 1;
    UpdateMarks(venue);
    SettleNegativeBalances(round + 1, result);
  }
  return result;
}

void RiskEngine::CollectRound(uint32_t round, bool with_retries) noexcept {
  candidates_.clear();
  deferred_.clear();
  ++collect_;
  if (with_retries) {  // a new input: every waiting bucket gets its next turn (or is released)
    for (auto it = retry_.begin(); it != retry_.end();) {
      Bucket& b = *it++;
      const Margins m = Compute(b, false);
      const bool liquidatable = m.maintenance > 0 && m.equity < m.maintenance;
      // In a partial-liquidation cooldown there is nothing to send yet: it keeps waiting, quietly,
      // unless it has fallen under the backstop threshold meanwhile.
      if (liquidatable && now_ < b.cooldown_until && !NeedsBackstop(b, m)) continue;
      retry_.erase(retry_.iterator_to(b));
      b.in_retry = false;
      b.collected_in = collect_;
      if (liquidatable) {
        candidates_.push_back({m.equity, m.maintenance, b.id.value(), b.origin_round, false});
      } else {
        Release(b);
      }
    }
  }
  crossed_.clear();
  early_.clear();
  size_t next = 0;  // crossed_[i] for i < next are classified
  for (const uint32_t i : margined_ids_) {
    SymbolState& s = S(i);
    if (s.mark <= 0) continue;
    s.index.ForEachCrossed(s.mark, [&](Position& p) {
      // The walk is a chain of dependent loads. Fetch what Classify reads and classify the entry
      // met kCollectLag steps ago, whose lines have arrived by now (and are still in cache).
      PrefetchBucket(B(p.bucket));
      __builtin_prefetch(reinterpret_cast<const char*>(&p) + 64);  // the list hooks
      crossed_.push_back(p.bucket);
      if (crossed_.size() > kCollectLag) Classify(B(crossed_[next++]), round);
    });
  }
  while (next < crossed_.size()) Classify(B(crossed_[next++]), round);
  // A banded key crossed early (docs/risk.md): re-keyed with fresh bands it is not crossed. The
  // round stamp is state (digested): it stays only where exact keys would have met the bucket.
  for (const auto& [id, collected_before] : early_) {
    Bucket& b = B(id);
    if (!ExactlyCrossed(b)) b.collected_in = collected_before;
    Rekey(b);
  }
  // The retry queue is state (digested, snapshotted): it gets them in the order of exact keys.
  std::sort(deferred_.begin(), deferred_.end(), [](const Deferred& x, const Deferred& y) {
    if (x.symbol != y.symbol) return x.symbol < y.symbol;
    if (x.side != y.side) return x.side < y.side;
    return x.order != y.order ? x.order < y.order : x.bucket < y.bucket;
  });
  for (const Deferred& d : deferred_) {
    Bucket& b = B(d.bucket);
    b.in_liquidation = true;
    Park(b);
    Retry(b, b.origin_round);
  }
  if (with_retries) return;
  // A bucket that waits since an earlier round of this sweep keeps its place while it can still
  // use the book on a later input; once later rounds push it under the backstop threshold (or
  // below zero equity) the backstop cannot wait: no second book order, straight to step 6.
  for (auto it = retry_.begin(); it != retry_.end();) {
    Bucket& b = *it++;
    const Margins m = Compute(b, false);
    if (!(m.maintenance > 0 && m.equity < m.maintenance) || !NeedsBackstop(b, m)) continue;
    retry_.erase(retry_.iterator_to(b));
    b.in_retry = false;
    candidates_.push_back({m.equity, m.maintenance, b.id.value(), b.origin_round, true});
  }
}

bool RiskEngine::AnyCrossed() const noexcept {
  for (const uint32_t i : margined_ids_) {
    const SymbolState& s = S(i);
    if (s.mark > 0 && s.index.AnyCrossed(s.mark)) return true;
  }
  return false;
}

void RiskEngine::Classify(Bucket& b, uint32_t round) noexcept {
  if (b.collected_in == collect_) return;  // crossed in several symbols
  const uint64_t collected_before = b.collected_in;
  b.collected_in = collect_;
  const Margins m = Compute(b, false);
  if (!(m.maintenance > 0 && m.equity < m.maintenance)) {  // see trigger.h
    if (b.nonzero_positions >= 2) early_.push_back({b.id.value(), collected_before});
  } else if (b.liquidated_in_sweep == sweep_) {
    deferred_.push_back(DeferredPlace(b));  // once per sweep: it waits for the next input
  } else {
    candidates_.push_back({m.equity, m.maintenance, b.id.value(), round, false});
  }
}

RiskEngine::Deferred RiskEngine::DeferredPlace(const Bucket& b) const noexcept {
  // A liquidatable bucket is crossed in each of its symbols, so an exact walk (symbols ascending,
  // longs by trigger descending, then shorts ascending, ties by id) meets it first in the lowest.
  for (const Position& p : b.positions) {
    if (p.size == 0 || S(p.symbol).mark <= 0) continue;
    const int64_t trigger = ExactTrigger(b, p);
    return p.size > 0 ? Deferred{p.symbol, 0, -trigger, b.id.value()}
                      : Deferred{p.symbol, 1, trigger, b.id.value()};
  }
  return Deferred{0, 0, 0, b.id.value()};
}

bool RiskEngine::ExactlyCrossed(const Bucket& b) const noexcept {
  for (const Position& p : b.positions) {
    const SymbolState& s = S(p.symbol);
    if (p.size == 0 || s.mark <= 0) continue;
    const int64_t trigger = ExactTrigger(b, p);
    if (p.size > 0 ? trigger >= s.mark : trigger <= s.mark) return true;
  }
  return false;
}

void RiskEngine::CollectLiquidatable(std::vector<BucketId>& out) noexcept {
  out.clear();
  early_.clear();
  ++collect_;
  for (const uint32_t i : margined_ids_) {
    SymbolState& s = S(i);
    if (s.mark <= 0) continue;
    s.index.ForEachCrossed(s.mark, [&](Position& p) {
      Bucket& b = B(p.bucket);
      if (b.collected_in == collect_) return;
      const uint64_t collected_before = b.collected_in;
      b.collected_in = collect_;
      if (Liquidatable(b)) {
        out.push_back(b.id);
      } else if (b.nonzero_positions >= 2) {
        early_.push_back({b.id.value(), collected_before});
      }
    });
  }
  for (const auto& [id, collected_before] : early_) {
    if (!ExactlyCrossed(B(id))) B(id).collected_in = collected_before;
  }
  std::sort(out.begin(), out.end());
}

bool RiskEngine::NeedsBackstop(const Bucket& b, const Margins& m) const noexcept {
  if (m.equity < 0) return true;
  int64_t threshold = 0;
  for (const Position& p : b.positions) {
    if (p.size != 0) threshold = std::max(threshold, S(p.symbol).config.risk.backstop_threshold);
  }
  return m.equity * kE < m.maintenance * threshold;
}

void RiskEngine::Liquidate(Bucket& b, uint32_t round, bool backstop_only, SweepResult& result,
                           LiquidationVenue& venue) noexcept {
  Margins m = Compute(b, false);
  // Earlier liquidations of the round may have changed it (ADL, fills as a maker).
  if (!(m.maintenance > 0 && m.equity < m.maintenance)) {
    Release(b);
    return;
  }
  if (!backstop_only) ++result.liquidations;
  b.in_liquidation = true;
  b.liquidated_in_sweep = sweep_;
  b.origin_round = round;
  Park(b);  // out of the index while its positions move
  Position* p = LargestMaintenance(b);
  Emit(MarginCall{b.account, b.id, SymbolId{p->symbol}, round, ToAtoms(m.equity),
                  ToAtoms(m.maintenance)});
  venue.CancelAllOrders(b.id);
  bool waiting = false;
  for (uint32_t guard = 0;; ++guard) {
    CASCADE_ASSERT(guard <= 2u * config_.max_symbols + 2);
    if (!LiquidatePosition(b, *p, m, round, !backstop_only, result, venue)) {
      waiting = true;
      break;
    }
    m = Compute(b, false);
    if (!(m.maintenance > 0 && m.equity < m.maintenance)) break;
    p = LargestMaintenance(b);  // step 8: the next position of a cross bucket
  }
  for (auto it = b.positions.begin(); it != b.positions.end();) {
    Position& q = *it++;
    MaybeRelease(b, q);
  }
  if (waiting) {
    Retry(b, round);
  } else {
    Release(b);
  }
  EmitBucketState(b, round);
}

Position* RiskEngine::LargestMaintenance(Bucket& b) noexcept {
  Position* worst = nullptr;
  int128 worst_mm = -1;
  for (Position& p : b.positions) {  // ascending symbol id: ties keep the lowest
    if (p.size == 0) continue;
    const SymbolState& s = S(p.symbol);
    const int128 mm = MaintenanceMargin(s.tiers, Abs(static_cast<int128>(p.size) * s.mark * s.k));
    if (mm > worst_mm) {
      worst = &p;
      worst_mm = mm;
    }
  }
  CASCADE_ASSERT(worst != nullptr);
  return worst;
}

bool RiskEngine::LiquidatePosition(Bucket& b, Position& p, const Margins& m, uint32_t round,
                                   bool use_book, SweepResult& result,
                                   LiquidationVenue& venue) noexcept {
  SymbolState& s = S(p.symbol);
  const RiskParams& r = s.config.risk;
  const int128 value = static_cast<int128>(p.size) * s.mark * s.k;
  const int128 mm_pos = MaintenanceMargin(s.tiers, Abs(value));
  // Closing the position at the bankruptcy quote keeps Equity/MM of the rest unchanged; a
  // single-position bucket gets -quote, so closing everything there leaves exactly 0.
  const int128 bp = value - FloorDivFast(m.equity * mm_pos, m.maintenance);
  const int64_t lots = p.size > 0 ? p.size : -p.size;
  const Side side = p.size > 0 ? Side::kSell : Side::kBuy;
  const int64_t qty = use_book ? LiquidationSize(b, p, m) : 0;
  ctx_ = LiquidationContext{true, b.id.value(), p.symbol, round, side, 0, lots, 0, bp, 0};
  if (qty > 0) {
    const int128 share = qty == lots ? bp : CeilDivFast(bp * qty, lots);
    const int128 per_lot = static_cast<int128>(qty) * s.k;
    int128 limit;
    if (r.order_policy == LiquidationOrderPolicy::kBankruptcy) {
      limit = side == Side::kSell ? CeilDivFast(share, per_lot) : FloorDivFast(-share, per_lot);
    } else {
      limit = side == Side::kSell
                  ? CeilDivFast(static_cast<int128>(s.mark) * (kE - r.mark_band), kE)
                  : FloorDivFast(static_cast<int128>(s.mark) * (kE + r.mark_band), kE);
    }
    const int64_t limit_ticks =
        static_cast<int64_t>(std::clamp<int128>(limit, 0, std::numeric_limits<int64_t>::max()));
    ctx_.limit = limit_ticks;
    Emit(LiquidationOrder{b.account, b.id, SymbolId{p.symbol}, round, side, Qty{qty},
                          Price{limit_ticks}, ToAtoms(share)});
    const bool reachable = side == Side::kSell ? limit_ticks <= s.config.max_price.value()
                                               : limit_ticks >= s.config.min_price.value();
    if (reachable) {
      venue.SubmitLiquidationIoc(
          LiquidationIoc{b.id, b.account, SymbolId{p.symbol}, side, Qty{qty}, Price{limit_ticks}});
    }
  }
  ctx_.active = false;
  if (ctx_.filled == lots) return true;  // position closed on the book
  const Margins after = ctx_.filled == 0 ? m : Compute(b, false);
  if (!(after.maintenance > 0 && after.equity < after.maintenance)) return true;  // compliant
  if (use_book && r.backstop_threshold > 0 &&
      after.equity * kE >= after.maintenance * r.backstop_threshold) {
    return false;  // keep using the book: retry on a later input
  }
  Backstop(b, p, round, ctx_.bp_quote - ctx_.assigned, result);
  return true;
}

int64_t RiskEngine::LiquidationSize(Bucket& b, const Position& p, const Margins& m) noexcept {
  const SymbolState& s = S(p.symbol);
  const RiskParams& r = s.config.risk;
  const int64_t lots = p.size > 0 ? p.size : -p.size;
  switch (r.size_policy) {
    case LiquidationSizePolicy::kFull:
      return lots;
    case LiquidationSizePolicy::kPartial: {
      const int128 notional = static_cast<int128>(lots) * s.mark * s.k;
      if (notional <= r.partial_threshold.value()) return lots;
      if (now_ < b.cooldown_until) return 0;  // in cooldown: no book order until it ends
      b.cooldown_until = now_ + r.partial_cooldown_ns;
      const int128 part = static_cast<int128>(lots) * r.partial_fraction / kE;
      return static_cast<int64_t>(std::clamp<int128>(part, 1, lots));
    }
    case LiquidationSizePolicy::kTierStepDown: {
      // The smallest q whose close at the mark, after the clearance fee, restores Equity >= MM.
      const int128 unit = static_cast<int128>(s.mark) * s.k;
      const int128 mm_pos = MaintenanceMargin(s.tiers, lots * unit);
      auto restores = [&](int64_t q) {
        const int128 fee = CeilDivFast(q * unit * r.liquidation_fee, kE);
        const int128 mm_after =
            m.maintenance - mm_pos + MaintenanceMargin(s.tiers, (lots - q) * unit);
        return m.equity - fee >= mm_after;
      };
      if (!restores(lots)) return lots;
      int64_t lo = 1;
      int64_t hi = lots;
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (restores(mid)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return restores(lo) ? lo : lots;
    }
  }
  return lots;
}

void RiskEngine::Retry(Bucket& b, uint32_t round) noexcept {
  b.origin_round = round;
  if (b.in_retry) return;
  b.in_retry = true;
  retry_.push_back(b);
}

void RiskEngine::Release(Bucket& b) noexcept {
  b.in_liquidation = false;
  Unpark(b);
}

void RiskEngine::SettleNegativeBalances(uint32_t round, SweepResult& result) noexcept {
  if (negative_.empty()) return;
  // A flat user bucket cannot be liquidated, so a negative balance left by its own closing trades
  // (slippage, fees) is absorbed by the fund and reported as bad debt.
  for (const auto& [id, symbol] : negative_) {
    Bucket& b = B(id);
    b.negative_pending = false;
    if (b.nonzero_positions != 0 || b.quote >= 0) continue;
    const int128 deficit = -static_cast<int128>(b.quote);
    AddCash(B(S(symbol).fund.value()), -deficit);
    AddCash(b, deficit);
    ++result.bad_debts;
    Emit(BadDebt{b.account, b.id, SymbolId{symbol}, round, ToAtoms(deficit)});
  }
  negative_.clear();
}

void RiskEngine::EmitBucketState(const Bucket& b, uint32_t round) noexcept {
  const Margins m = Compute(b, true);
  Emit(BucketState{b.account, b.id, round, Atoms{b.quote}, ToAtoms(m.equity),
                   ToAtoms(m.maintenance), ToAtoms(m.initial), b.in_liquidation});
}

}  // namespace cascade::risk
