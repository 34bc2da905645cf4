#include "engine/risk/invariants.h"

#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/risk/trigger.h"

namespace cascade::risk {
namespace {

std::string Str(int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string digits;
  while (v != 0) {
    const int d = static_cast<int>(v % 10);
    digits.push_back(static_cast<char>('0' + (d < 0 ? -d : d)));
    v /= 10;
  }
  if (negative) digits.push_back('-');
  return {digits.rbegin(), digits.rend()};
}

}  // namespace

absl::Status InvariantChecker::Check(std::span<const Event> events) {
  if (absl::Status s = CheckEvents(events); !s.ok()) return s;
  if (absl::Status s = CheckConservation(); !s.ok()) return s;
  return CheckBuckets();
}

absl::Status InvariantChecker::CheckEvents(std::span<const Event> events) {
  // 5: no liquidation fill beyond the IOC limit; under policy bankruptcy the fund never pays.
  const LiquidationOrder* order = nullptr;
  for (const Event& e : events) {
    if (const auto* o = std::get_if<LiquidationOrder>(&e.body)) {
      order = o;
    } else if (const auto* f = std::get_if<LiquidationFill>(&e.body)) {
      if (order == nullptr || order->bucket != f->bucket || order->symbol != f->symbol) {
        return absl::InternalError("5: liquidation fill without its order");
      }
      const bool beyond = order->side == Side::kSell ? f->price < order->limit_price
                                                     : f->price > order->limit_price;
      if (beyond) {
        return absl::InternalError(absl::StrCat("5: liquidation fill at ", f->price.value(),
                                                " beyond limit ", order->limit_price.value()));
      }
      const SymbolState& s = engine_.S(f->symbol.value());
      if (s.config.risk.order_policy == LiquidationOrderPolicy::kBankruptcy &&
          f->fund_paid.value() != 0) {
        return absl::InternalError("5: fund paid on a book fill under policy bankruptcy");
      }
    } else if (const auto* d = std::get_if<BadDebt>(&e.body)) {
      bad_debt_.insert(d->bucket.value());
    }
  }
  const RiskAudit& a = engine_.audit();
  if (a.liquidation_fills_beyond_limit != 0 || a.fund_paid_under_bankruptcy_policy != 0) {
    return absl::InternalError("5: audit counted a liquidation fill beyond its limit");
  }
  // 6 and 8 are checked where they happen; the engine counts violations.
  if (a.adl_legs_not_summing != 0) return absl::InternalError("6: ADL legs do not sum to BP");
  if (a.adl_counterparty_negative != 0) {
    return absl::InternalError("6: an ADL counterparty ended below zero equity");
  }
  if (a.funding_not_zero_sum != 0) return absl::InternalError("8: funding not zero-sum");
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckConservation() const {
  // 1: sizes sum to zero per symbol; 2: all cash equals deposits minus withdrawals.
  std::vector<int128> sizes(engine_.config_.max_symbols, 0);
  int128 cash = 0;
  for (uint32_t i = 0; i < engine_.bucket_count_; ++i) {
    const Bucket& b = engine_.B(i);
    cash += b.quote;
    for (const Position& p : b.positions) sizes[p.symbol] += p.size;
  }
  for (uint32_t s = 0; s < sizes.size(); ++s) {
    if (sizes[s] != 0) {
      return absl::InternalError(absl::StrCat("1: sizes of symbol ", s, " sum to ", Str(sizes[s])));
    }
  }
  const int128 expected = engine_.audit().deposits - engine_.audit().withdrawals;
  if (cash != expected) {
    return absl::InternalError(
        absl::StrCat("2: cash ", Str(cash), " != deposits - withdrawals ", Str(expected)));
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckBuckets() const {
  // 3: no negative equity without BAD_DEBT; 4: nothing liquidatable outside the retry queue;
  // 10: every indexed entry carries the key a full recomputation gives (CheckKeys), and a
  // liquidatable bucket has every entry crossed. One pass, so that it can run after every event.
  size_t indexed = 0;
  size_t banded = 0;
  for (uint32_t i = 0; i < engine_.bucket_count_; ++i) {
    const Bucket& b = engine_.B(i);
    int128 equity = b.quote;
    int128 maintenance = 0;
    for (const Position& p : b.positions) {
      if (p.size == 0) continue;
      const SymbolState& s = engine_.S(p.symbol);
      const int128 value = static_cast<int128>(p.size) * s.mark * s.k;
      equity += value;
      maintenance += MaintenanceMargin(s.tiers, value < 0 ? -value : value);
    }
    const bool liquidatable = maintenance > 0 && equity < maintenance;
    if (b.kind == BucketKind::kUser) {
      if (equity < 0 && !bad_debt_.contains(i)) {
        return absl::InternalError(
            absl::StrCat("3: bucket ", i, " has equity ", Str(equity), " and no BAD_DEBT"));
      }
      if (liquidatable && !b.in_retry) {
        return absl::InternalError(absl::StrCat("4: bucket ", i, " is liquidatable (equity ",
                                                Str(equity), " < MM ", Str(maintenance),
                                                ") outside the retry queue"));
      }
      if (b.in_retry != (b.in_liquidation && b.parked)) {
        return absl::InternalError(absl::StrCat("4: bucket ", i, " retry state inconsistent"));
      }
    }
    if (absl::Status st = CheckKeys(b, liquidatable, indexed, banded); !st.ok()) return st;
  }
  return CheckIndexSize(indexed, banded);
}

absl::Status InvariantChecker::CheckIndex() const {
  size_t indexed = 0;
  size_t banded = 0;
  for (uint32_t i = 0; i < engine_.bucket_count_; ++i) {
    const Bucket& b = engine_.B(i);
    if (absl::Status st = CheckKeys(b, engine_.Liquidatable(b), indexed, banded); !st.ok()) {
      return st;
    }
  }
  return CheckIndexSize(indexed, banded);
}

absl::Status InvariantChecker::CheckIndexSize(size_t indexed, size_t banded) const {
  size_t in_index = 0;
  size_t in_bands = 0;
  for (uint32_t s = 0; s < engine_.config_.max_symbols; ++s) {
    in_index += engine_.S(s).index.size();
    in_bands += engine_.S(s).bands.size();
  }
  if (in_index != indexed || in_bands != banded) {
    return absl::InternalError(absl::StrCat("10: index holds ", in_index, " entries and ", in_bands,
                                            " bands, expected ", indexed, " and ", banded));
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckKeys(const Bucket& b, bool liquidatable, size_t& indexed,
                                         size_t& banded) const {
  // Exact keys, except in a cross bucket holding several symbols: there every position has a band
  // that holds its mark, and each key is the trigger for the least slack of the other positions
  // over their bands, so never later than the exact trigger.
  const uint32_t i = b.id.value();
  const bool multi =
      b.kind == BucketKind::kUser && b.mode == MarginMode::kCross && b.nonzero_positions >= 2;
  int128 floor_total = b.quote;
  for (const Position& p : b.positions) {
    if (p.banded != (multi && !b.parked && p.size != 0) || p.in_multi != (multi && p.size != 0)) {
      return absl::InternalError(
          absl::StrCat("10: bucket ", i, " symbol ", p.symbol, " band or multi flag inconsistent"));
    }
    if (!p.banded) continue;
    ++banded;
    const SymbolState& s = engine_.S(p.symbol);
    const Band& band = engine_.bands_[engine_.positions_.IndexOf(p)];
    if (band.bucket != i || band.lo > s.mark || s.mark > band.hi ||
        band.floor_value != BandFloor(s.tiers, p.size, s.k, band.lo, band.hi)) {
      return absl::InternalError(absl::StrCat("10: bucket ", i, " symbol ", p.symbol, " band [",
                                              band.lo, ", ", band.hi, "] at mark ", s.mark));
    }
    floor_total += band.floor_value;
  }
  for (const Position& p : b.positions) {
    const bool should = b.kind == BucketKind::kUser && !b.parked && p.size != 0;
    if (!should) {
      if (p.indexed != TriggerSide::kNone) {
        return absl::InternalError(
            absl::StrCat("10: bucket ", i, " symbol ", p.symbol, " is indexed but should not be"));
      }
      continue;
    }
    ++indexed;
    const SymbolState& s = engine_.S(p.symbol);
    const TriggerSide side = p.size > 0 ? TriggerSide::kLong : TriggerSide::kShort;
    const int64_t trigger = engine_.ExactTrigger(b, p);
    int64_t key = trigger;
    if (p.banded) {
      const int128 q_eff = floor_total - engine_.bands_[engine_.positions_.IndexOf(p)].floor_value;
      key = p.size > 0 ? LongTrigger(s.tiers, q_eff, p.size, s.k)
                       : ShortTrigger(s.tiers, q_eff, -p.size, s.k);
      if (p.size > 0 ? key < trigger : key > trigger) {
        return absl::InternalError(absl::StrCat("10: bucket ", i, " symbol ", p.symbol,
                                                " banded key ", key, " later than ", trigger));
      }
    }
    if (p.indexed != side || p.trigger != key) {
      return absl::InternalError(absl::StrCat("10: bucket ", i, " symbol ", p.symbol, " trigger ",
                                              p.trigger, " != recomputed ", key));
    }
    const bool crossed = p.size > 0 ? p.trigger >= s.mark : p.trigger <= s.mark;
    if (liquidatable && s.mark > 0 && !crossed) {
      return absl::InternalError(
          absl::StrCat("10: liquidatable bucket ", i, " not crossed in symbol ", p.symbol));
    }
  }
  return absl::OkStatus();
}

}  // namespace cascade::risk
