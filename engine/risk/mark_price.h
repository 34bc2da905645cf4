#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "engine/core/checked_math.h"
#include "engine/core/symbol_config.h"

namespace cascade::risk {

// Best bid, best ask and last trade of a symbol's book; 0 means absent (prices are >= 1 tick).
struct BookTop {
  int64_t bid = 0;
  int64_t ask = 0;
  int64_t last = 0;
};

// A symbol's mark price (risk-model.md section 4): external, oracle or median3, with the optional
// index-impact coupling. Everything is integer and sampled on a fixed simulated-time grid
// (slot = ts / mark_sample_interval_ns), so the same input gives the same marks on every machine.
// Rings are sized when the symbol is configured; nothing allocates afterwards.
class MarkPrice {
 public:
  void Configure(const RiskParams& params);

  void SetIndex(int64_t price) noexcept { index_ = price; }
  void SetExternal(int64_t price) noexcept { external_ = price; }
  void SetTop(const BookTop& top) noexcept { top_ = top; }
  void SetPredictedFundingRate(int64_t rate) noexcept { predicted_rate_ = rate; }
  // Signed liquidation notional (buys > 0) for the index-impact window.
  void AddLiquidationFlow(int64_t notional) noexcept;

  // Takes the grid samples due by `ts` with the values in effect before it.
  void AdvanceTo(int64_t ts) noexcept;
  // The first ts >= 0 at which AdvanceTo would take a sample: the start of the slot after the
  // last one sampled; min() while none was (or when that is out of range).
  [[nodiscard]] int64_t NextSampleTs() const noexcept {
    const int64_t interval = params_.mark_sample_interval_ns;
    if (slot_ < 0 || slot_ >= std::numeric_limits<int64_t>::max() / interval - 1) {
      return std::numeric_limits<int64_t>::min();
    }
    return (slot_ + 1) * interval;
  }

  // The index the engine uses: input index plus lambda * net liquidation notional / index.
  [[nodiscard]] int64_t EffectiveIndex() const noexcept;
  // The mark for the current inputs; `ns_to_funding` scales the funding-basis component.
  // 0 when nothing is known yet (no index, no external mark, no book, no trade).
  [[nodiscard]] int64_t Compute(int64_t ns_to_funding) const noexcept;

  // Mean premium (1e8 scale, floored) over the samples since the last funding; resets them.
  [[nodiscard]] int64_t TakeAveragePremium() noexcept;

  [[nodiscard]] int64_t index() const noexcept { return index_; }
  [[nodiscard]] int64_t last() const noexcept { return top_.last; }
  void SetLast(int64_t price) noexcept { top_.last = price; }

 private:
  friend struct MarkPriceAccess;  // snapshot export/import (risk_snapshot.cc)
  // Book median with absent sides replaced by the last trade, then by the index.
  [[nodiscard]] int64_t BookMedian(int64_t index) const noexcept;
  [[nodiscard]] int64_t Mid(int64_t index) const noexcept;
  [[nodiscard]] int64_t SlotOf(int64_t ts) const noexcept {
    return ts / params_.mark_sample_interval_ns;
  }

  RiskParams params_{};
  int64_t index_ = 0;
  int64_t external_ = 0;
  int64_t predicted_rate_ = 0;
  BookTop top_{};
  int64_t slot_ = std::numeric_limits<int64_t>::min();  // last grid slot sampled

  std::vector<int64_t> basis_;  // ring of (mid - index) samples
  uint32_t basis_count_ = 0;
  uint32_t basis_head_ = 0;
  int128 basis_sum_ = 0;

  int128 premium_sum_ = 0;  // premium samples since the last funding
  int64_t premium_count_ = 0;

  std::vector<int128> impact_;  // net liquidation notional per slot of the trailing window
  int128 impact_net_ = 0;
};

}  // namespace cascade::risk
