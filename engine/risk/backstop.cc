// What happens when the book cannot take a liquidated position (risk-model.md section 7, steps
// 6-7): the insurance fund takes it over at the bankruptcy price if it stays maintenance-compliant,
// otherwise auto-deleveraging against ranked opposite positions, and when those run out the fund
// takes the rest anyway and the loss is reported as bad debt.
#include <algorithm>

#include "engine/core/assert.h"
#include "engine/risk/fast_div.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {
namespace {

int128 Abs(int128 v) noexcept { return v < 0 ? -v : v; }

Atoms ToAtoms(int128 v) noexcept {
  const auto n = NarrowToInt64(v);
  CASCADE_ASSERT(n.has_value());
  return Atoms{*n};
}

}  // namespace

void RiskEngine::Transfer(Bucket& from, Bucket& to, SymbolState& s, Position& from_pos,
                          int64_t lots, int128 quote) noexcept {
  // `from` closes `lots` (signed like its position) and receives `quote`; `to` takes them on.
  AddCash(from, quote);
  MoveSize(from, s, from_pos, -lots, -quote);
  AddCash(to, -quote);
  MoveSize(to, s, GetOrCreatePosition(to, s.config.symbol.value()), lots, quote);
}

void RiskEngine::Backstop(Bucket& b, Position& p, uint32_t round, int128 bp_remaining,
                          SweepResult& result) noexcept {
  SymbolState& s = S(p.symbol);
  const Bucket& fund = B(s.fund.value());
  // The fund must still meet its own maintenance margin after taking the position.
  const Margins before = Compute(fund, false);
  const Position* held = FindPosition(fund, p.symbol);
  const int64_t held_size = held != nullptr ? held->size : 0;
  const int128 unit = static_cast<int128>(s.mark) * s.k;
  const int128 equity_after = before.equity + p.size * unit - bp_remaining;
  const int128 mm_after = before.maintenance - MaintenanceMargin(s.tiers, Abs(held_size * unit)) +
                          MaintenanceMargin(s.tiers, Abs((held_size + p.size) * unit));
  if (!(mm_after > 0 && equity_after < mm_after)) {
    ++result.takeovers;
    MoveToFund(b, p, round, bp_remaining);
    return;
  }
  Deleverage(b, p, round, bp_remaining, result);
}

void RiskEngine::MoveToFund(Bucket& b, Position& p, uint32_t round, int128 quote) noexcept {
  SymbolState& s = S(p.symbol);
  Bucket& fund = B(s.fund.value());
  const int64_t lots = p.size;
  Transfer(b, fund, s, p, lots, quote);
  Emit(Takeover{b.account, b.id, SymbolId{p.symbol}, round, fund.id, Qty{lots}, ToAtoms(quote)});
}

void RiskEngine::Deleverage(Bucket& b, Position& p, uint32_t round, int128 bp_remaining,
                            SweepResult& result) noexcept {
  SymbolState& s = S(p.symbol);
  const int64_t sign = p.size > 0 ? 1 : -1;
  const int64_t total = p.size * sign;  // lots to place, the pro-rata base
  const int128 unit = static_cast<int128>(s.mark) * s.k;
  PrepareAdl(s, sign);
  CASCADE_DCHECK(AdlOrderIsExact(s, sign));
  size_t ranked = adl_book_.ranked_from;
  size_t fresh = 0;
  int64_t left = total;
  int128 quote_left = bp_remaining;
  // Price reported on the legs: the bankruptcy price, rounded like the IOC limit.
  const int128 per_lot = static_cast<int128>(total) * s.k;
  const int64_t price = static_cast<int64_t>(sign > 0 ? CeilDivFast(bp_remaining, per_lot)
                                                      : FloorDivFast(-bp_remaining, per_lot));
  while (left > 0) {
    const AdlCandidate* next = NextAdl(ranked, fresh);
    if (next == nullptr) break;
    const AdlCandidate cand = *next;  // the leg below makes its entry stale
    Bucket& c = B(cand.bucket);
    Position* cp = FindPosition(c, p.symbol);
    const int128 equity = Compute(c, false).equity;
    int64_t f = std::min<int64_t>(left, cp->size < 0 ? -cp->size : cp->size);
    // Taking f lots at the bankruptcy price changes its equity by sign*f*unit - x(f); cap f so
    // that it stays >= 0. loss_total > 0 is the whole position's loss at the mark.
    const int128 loss_total = bp_remaining - sign * total * unit;
    if (loss_total > 0) {
      f = static_cast<int64_t>(std::min<int128>(f, equity * total / loss_total));
    }
    auto quote_for = [&](int64_t lots) {
      return lots == left ? quote_left : FloorDivFast(bp_remaining * lots, total);
    };
    while (f > 0 && equity + sign * f * unit - quote_for(f) < 0) --f;
    if (f == 0) continue;
    const int128 x = quote_for(f);
    Transfer(b, c, s, p, sign * f, x);
    left -= f;
    quote_left -= x;
    ++result.adl_legs;
    if (Compute(c, false).equity < 0) ++audit_.adl_counterparty_negative;
    Emit(AdlFill{b.account, b.id, SymbolId{p.symbol}, round, c.account, c.id, Qty{f}, Price{price},
                 ToAtoms(x), cand.score});
    Rekey(c);
    MaybeRelease(c, *cp);
  }
  if (left > 0) {
    // Candidates ran out: the fund takes the rest anyway; its loss at the mark is bad debt.
    const int128 loss = quote_left - sign * left * unit;
    MoveToFund(b, p, round, quote_left);
    ++result.bad_debts;
    Emit(BadDebt{b.account, b.id, SymbolId{p.symbol}, round, ToAtoms(std::max<int128>(0, loss))});
    quote_left = 0;
  }
  if (quote_left != 0) ++audit_.adl_legs_not_summing;
}

}  // namespace cascade::risk
