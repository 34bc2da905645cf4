#include "engine/risk/mark_price.h"

#include <algorithm>

#include "engine/risk/risk_config.h"

namespace cascade::risk {
namespace {

int64_t Median3(int64_t a, int64_t b, int64_t c) noexcept {
  return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

}  // namespace

void MarkPrice::Configure(const RiskParams& params) {
  params_ = params;
  basis_.assign(params.mark_ma_samples, 0);
  const int64_t window =
      std::max<int64_t>(1, params.index_impact_window_ns / params.mark_sample_interval_ns);
  impact_.assign(static_cast<size_t>(std::min<int64_t>(window, kMaxMaSamples)), 0);
}

void MarkPrice::AddLiquidationFlow(int64_t notional) noexcept {
  if (params_.index_impact_lambda == 0) return;
  const int64_t w = static_cast<int64_t>(impact_.size());
  const int64_t slot = slot_ == std::numeric_limits<int64_t>::min() ? 0 : slot_;
  impact_[static_cast<size_t>(((slot % w) + w) % w)] += notional;
  impact_net_ += notional;
}

void MarkPrice::AdvanceTo(int64_t ts) noexcept {
  const int64_t slot = SlotOf(ts);
  if (slot_ == std::numeric_limits<int64_t>::min()) {
    slot_ = slot;
    return;
  }
  if (slot <= slot_) return;
  const int64_t due = slot - slot_;
  const int64_t index = EffectiveIndex();
  if (index > 0) {
    // Each grid point missed since the last command sees the values that held before this one.
    const int64_t basis = Mid(index) - index;
    const int64_t cap = static_cast<int64_t>(basis_.size());
    for (int64_t i = 0; i < std::min(due, cap); ++i) {
      if (basis_count_ == basis_.size()) {
        basis_sum_ -= basis_[basis_head_];
      } else {
        ++basis_count_;
      }
      basis_[basis_head_] = basis;
      basis_sum_ += basis;
      basis_head_ = (basis_head_ + 1) % static_cast<uint32_t>(basis_.size());
    }
    const int64_t premium =
        static_cast<int64_t>(FloorDiv(static_cast<int128>(basis) * kRateScale, index));
    const int64_t samples = std::min<int64_t>(due, kMaxMaSamples);
    premium_sum_ += static_cast<int128>(premium) * samples;
    premium_count_ += samples;
  }
  const int64_t w = static_cast<int64_t>(impact_.size());
  if (due >= w) {
    std::fill(impact_.begin(), impact_.end(), 0);
    impact_net_ = 0;
  } else {
    for (int64_t s = slot_ + 1; s <= slot; ++s) {
      int128& cell = impact_[static_cast<size_t>(((s % w) + w) % w)];
      impact_net_ -= cell;
      cell = 0;
    }
  }
  slot_ = slot;
}

int64_t MarkPrice::EffectiveIndex() const noexcept {
  if (index_ <= 0) return 0;
  if (params_.index_impact_lambda == 0 || impact_net_ == 0) return index_;
  const int128 impact = FloorDiv(static_cast<int128>(params_.index_impact_lambda) * impact_net_,
                                 static_cast<int128>(index_) * kRateScale);
  const int128 moved = index_ + impact;
  if (moved < 1) return 1;
  return moved > std::numeric_limits<int64_t>::max() ? std::numeric_limits<int64_t>::max()
                                                     : static_cast<int64_t>(moved);
}

int64_t MarkPrice::Mid(int64_t index) const noexcept {
  if (top_.bid > 0 && top_.ask > 0) return top_.bid + (top_.ask - top_.bid) / 2;
  return top_.last > 0 ? top_.last : index;
}

int64_t MarkPrice::BookMedian(int64_t index) const noexcept {
  const int64_t fallback = top_.last > 0 ? top_.last : index;
  const int64_t bid = top_.bid > 0 ? top_.bid : fallback;
  const int64_t ask = top_.ask > 0 ? top_.ask : fallback;
  const int64_t last = top_.last > 0 ? top_.last : index;
  return Median3(bid, ask, last);
}

int64_t MarkPrice::Compute(int64_t ns_to_funding) const noexcept {
  // The sweep asks after every input: an external mark needs no index.
  if (params_.mark_mode == MarkMode::kExternal) return external_ > 0 ? external_ : top_.last;
  const int64_t index = EffectiveIndex();
  if (params_.mark_mode == MarkMode::kOracle) return index > 0 ? index : top_.last;
  if (index <= 0) return BookMedian(0);
  const int128 basis_ma = basis_count_ == 0 ? 0 : FloorDiv(basis_sum_, basis_count_);
  const int64_t with_basis = static_cast<int64_t>(std::max<int128>(1, index + basis_ma));
  const int128 funding_basis =
      FloorDiv(static_cast<int128>(index) * predicted_rate_ * ns_to_funding,
               static_cast<int128>(params_.funding_interval_ns) * kRateScale);
  const int64_t with_funding = static_cast<int64_t>(std::max<int128>(1, index + funding_basis));
  return std::max<int64_t>(1, Median3(with_basis, BookMedian(index), with_funding));
}

int64_t MarkPrice::TakeAveragePremium() noexcept {
  const int64_t avg =
      premium_count_ == 0 ? 0 : static_cast<int64_t>(FloorDiv(premium_sum_, premium_count_));
  premium_sum_ = 0;
  premium_count_ = 0;
  return avg;
}

}  // namespace cascade::risk
