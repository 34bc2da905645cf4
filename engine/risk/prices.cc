// Simulated time, marks and funding (risk-model.md sections 4 and 8).
#include <algorithm>
#include <limits>

#include "engine/core/assert.h"
#include "engine/risk/fast_div.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {

namespace {

// The first ts at which AdvanceTime has something to do for s: the next mark sample or funding
// boundary, whichever is first; min() (always look) unless both are known and in range.
int64_t QuietUntil(const SymbolState& s) noexcept {
  const int64_t sample = s.mark_price.NextSampleTs();
  const int64_t interval = s.config.risk.funding_interval_ns;
  if (sample == std::numeric_limits<int64_t>::min() || s.funding_slot < 0 ||
      s.funding_slot >= std::numeric_limits<int64_t>::max() / interval - 1) {
    return std::numeric_limits<int64_t>::min();
  }
  return std::min(sample, (s.funding_slot + 1) * interval);
}

}  // namespace

void RiskEngine::AdvanceTime(int64_t ts) noexcept {
  now_ = ts;
  time_known_ = true;
  int64_t quiet = std::numeric_limits<int64_t>::max();
  for (const uint32_t i : margined_ids_) {
    SymbolState& s = S(i);
    AdvanceSymbol(s, ts);
    quiet = std::min(quiet, s.quiet_until);
  }
  quiet_until_ = quiet;
}

void RiskEngine::AdvanceSymbol(SymbolState& s, int64_t ts) noexcept {
  if (ts < s.quiet_until) return;  // times only increase: no sample, no boundary due yet
  s.mark_price.AdvanceTo(ts);
  const int64_t slot = ts / s.config.risk.funding_interval_ns;
  // The first time seen only starts the funding clock; several skipped boundaries pay once.
  const bool boundary = s.funding_slot_known && slot > s.funding_slot;
  if (boundary || !s.funding_slot_known) s.funding_slot = slot;
  s.funding_slot_known = true;
  s.quiet_until = QuietUntil(s);
  if (!boundary) return;
  const int64_t premium = s.mark_price.TakeAveragePremium();
  if (s.config.risk.funding_clamp > 0) {
    const int64_t clamp = s.config.risk.funding_clamp;
    const int64_t rate =
        premium + std::clamp(s.config.risk.funding_interest - premium, -clamp, clamp);
    PayFunding(s, rate);
  }
}

int64_t RiskEngine::NsToFunding(const SymbolState& s) const noexcept {
  const int64_t interval = s.config.risk.funding_interval_ns;
  return std::max<int64_t>(0, (s.funding_slot + 1) * interval - now_);
}

bool RiskEngine::UpdateMarks(LiquidationVenue& venue) noexcept {
  bool moved = false;
  for (const uint32_t i : margined_ids_) {
    SymbolState& s = S(i);
    s.mark_price.SetTop(venue.Top(SymbolId{i}));
    const int64_t mark = s.mark_price.Compute(NsToFunding(s));
    if (mark <= 0 || mark == s.mark) continue;
    s.mark = mark;
    ++ranking_epoch_;
    moved = true;
    Emit(MarkUpdated{SymbolId{i}, Price{mark}, Price{s.mark_price.EffectiveIndex()}});
    OnMarkMoved(s);
  }
  return moved;
}

void RiskEngine::RecomputeMarks(LiquidationVenue& venue) noexcept { UpdateMarks(venue); }

void RiskEngine::OnIndexPrice(SymbolId symbol, Price price) noexcept {
  if (Margined(symbol) == nullptr || price.value() <= 0) return;
  S(symbol.value()).mark_price.SetIndex(price.value());
}

void RiskEngine::OnMarkPrice(SymbolId symbol, Price price) noexcept {
  if (Margined(symbol) == nullptr || price.value() <= 0) return;
  S(symbol.value()).mark_price.SetExternal(price.value());
}

RejectReason RiskEngine::OnFundingRate(SymbolId symbol, int64_t rate) noexcept {
  if (Margined(symbol) == nullptr) return RejectReason::kUnknownSymbol;
  if (rate <= -kRateScale || rate >= kRateScale) return RejectReason::kInvalidAmount;
  PayFunding(S(symbol.value()), rate);
  return RejectReason::kNone;
}

void RiskEngine::PayFunding(SymbolState& s, int64_t rate) noexcept {
  const int64_t index = s.mark_price.EffectiveIndex();
  const int64_t price =
      s.config.risk.funding_price == FundingPriceSource::kIndex && index > 0 ? index : s.mark;
  if (price <= 0) return;
  const int128 delta_f = static_cast<int128>(rate) * price * s.k;
  int128 credits = 0;
  int128 paid = 0;
  // Each bucket is credited floor(-size * dF / 1e8); rounding toward -inf leaves a residual >= 0
  // that goes to the fund, so the payment is exactly zero-sum.
  for (Position& p : s.holders) {
    const int128 credit = FloorDivFast(-static_cast<int128>(p.size) * delta_f, kRateScale);
    AddCash(B(p.bucket), credit);
    credits += credit;
    if (credit < 0) paid -= credit;
  }
  const int128 residual = -credits;
  AddCash(B(s.fund.value()), residual);
  if (credits + residual != 0 || residual < 0) ++audit_.funding_not_zero_sum;
  s.funding_index += delta_f;
  s.last_funding_rate = rate;
  s.mark_price.SetPredictedFundingRate(rate);
  const auto delta_narrow = NarrowToInt64(delta_f);
  Emit(FundingPayment{s.config.symbol, rate,
                      delta_narrow ? *delta_narrow : std::numeric_limits<int64_t>::max(),
                      Atoms{static_cast<int64_t>(paid)}, Atoms{static_cast<int64_t>(residual)}});
  RekeyHolders(s);
}

}  // namespace cascade::risk
