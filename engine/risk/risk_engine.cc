// Configuration, deposits, withdrawals, leverage, and the queries embedders use.
#include "engine/risk/risk_engine.h"

#include <algorithm>
#include <limits>

#include "engine/core/assert.h"
#include "engine/risk/adl.h"
#include "engine/risk/risk_config.h"
#include "engine/risk/trigger.h"

namespace cascade::risk {
namespace {

constexpr uint32_t kMaxLeverage = 1000;

}  // namespace

RejectReason RiskEngine::OnSymbolConfigured(const SymbolConfig& config) noexcept {
  if (config.symbol.value() >= config_.max_symbols) return RejectReason::kInvalidSymbolConfig;
  SymbolState& s = S(config.symbol.value());
  if (s.configured) return RejectReason::kSymbolExists;
  if (!ValidateSymbolConfig(config).ok()) return RejectReason::kInvalidSymbolConfig;
  const auto tiers = BuildTierTable(config.risk);
  CASCADE_ASSERT(tiers.ok());
  const uint32_t group = config.risk.fund_group;
  if (config.risk.tier_count > 0 && funds_[group] == 0) {
    const uint32_t fund = CreateBucket(kSystemAccount, MarginMode::kCross, SymbolId{group},
                                       BucketKind::kInsuranceFund);
    if (fund == kNoBucket.value()) return RejectReason::kInvalidSymbolConfig;
    funds_[group] = fund;
  }
  s.configured = true;
  s.margined = config.risk.tier_count > 0;
  s.config = config;
  s.k = AtomsPerLotTick(config);
  s.tiers = *tiers;
  s.fund = BucketId{funds_[group]};
  if (s.margined) {
    ++margined_symbols_;
    margined_ids_.insert(
        std::upper_bound(margined_ids_.begin(), margined_ids_.end(), config.symbol.value()),
        config.symbol.value());
    s.mark_price.Configure(config.risk);
    quiet_until_ = std::numeric_limits<int64_t>::min();  // AdvanceTime looks at the new one
    if (time_known_) {
      s.mark_price.AdvanceTo(now_);
      s.funding_slot = now_ / config.risk.funding_interval_ns;
      s.funding_slot_known = true;
    }
  }
  return RejectReason::kNone;
}

RejectReason RiskEngine::Deposit(AccountId account, MarginMode mode, SymbolId symbol,
                                 Atoms amount) noexcept {
  if (amount.value() <= 0) return RejectReason::kInvalidAmount;
  uint32_t id;
  if (account == kSystemAccount) {
    const SymbolState* s = Margined(symbol);
    if (s == nullptr) return RejectReason::kUnknownSymbol;
    id = s->fund.value();
  } else {
    if (mode == MarginMode::kIsolated && Margined(symbol) == nullptr) {
      return RejectReason::kUnknownSymbol;
    }
    id = FindOrCreateUserBucket(account, mode, symbol);
    if (id == kNoBucket.value()) return RejectReason::kUnknownBucket;
  }
  Bucket& b = B(id);
  if (!NarrowToInt64(static_cast<int128>(b.quote) + amount.value())) {
    return RejectReason::kInvalidAmount;
  }
  AddCash(b, amount.value());
  audit_.deposits += amount.value();
  Emit(BalanceChanged{account, b.id, amount, Atoms{b.quote}});
  Rekey(b);
  return RejectReason::kNone;
}

RejectReason RiskEngine::Withdraw(AccountId account, MarginMode mode, SymbolId symbol,
                                  Atoms amount) noexcept {
  if (amount.value() <= 0) return RejectReason::kInvalidAmount;
  if (account == kSystemAccount) return RejectReason::kUnknownBucket;
  const BucketId id = FindBucket(account, mode, symbol);
  if (id == kNoBucket) return RejectReason::kUnknownBucket;
  Bucket& b = B(id.value());
  if (b.in_liquidation) return RejectReason::kBucketInLiquidation;
  const Margins m = Compute(b, true);
  if (m.equity < amount.value()) return RejectReason::kInsufficientCash;
  if (m.equity - amount.value() < m.initial) return RejectReason::kWithdrawalBelowInitialMargin;
  if (!NarrowToInt64(static_cast<int128>(b.quote) - amount.value())) {
    return RejectReason::kInvalidAmount;
  }
  AddCash(b, -static_cast<int128>(amount.value()));
  audit_.withdrawals += amount.value();
  Emit(BalanceChanged{account, b.id, -amount, Atoms{b.quote}});
  Rekey(b);
  return RejectReason::kNone;
}

RejectReason RiskEngine::SetLeverage(AccountId account, MarginMode mode, SymbolId symbol,
                                     uint32_t leverage) noexcept {
  if (leverage == 0 || leverage > kMaxLeverage) return RejectReason::kInvalidLeverage;
  if (account == kSystemAccount) return RejectReason::kUnknownBucket;
  if (const SymbolState* s = Margined(symbol)) {
    // Above the first tier's maximum leverage the tiers' own IMR would apply anyway: refuse it
    // rather than pretend.
    if (static_cast<int128>(s->tiers.imr[0]) * leverage > kRateScale) {
      return RejectReason::kLeverageTooHighForPosition;
    }
  } else if (mode == MarginMode::kIsolated) {
    return RejectReason::kUnknownSymbol;
  }
  const BucketId found = FindBucket(account, mode, symbol);
  uint32_t id = found.value();
  if (found == kNoBucket) {
    id = FindOrCreateUserBucket(account, mode, symbol);
    if (id == kNoBucket.value()) return RejectReason::kUnknownBucket;
  }
  Bucket& b = B(id);
  if (b.in_liquidation) return RejectReason::kBucketInLiquidation;
  const uint32_t before = b.leverage;
  const Margins old = Compute(b, true);
  b.leverage = leverage;
  const Margins now = Compute(b, true);
  // Lowering leverage raises IM; refuse it if the bucket could no longer carry what it holds.
  if (now.initial > old.initial && now.equity < now.initial) {
    b.leverage = before;
    return RejectReason::kInsufficientMargin;
  }
  Emit(LeverageSet{account, b.id, leverage});
  return RejectReason::kNone;
}

BucketView RiskEngine::GetBucket(BucketId bucket) const noexcept {
  if (bucket.value() >= bucket_count_) return {};
  const Bucket& b = B(bucket.value());
  return {b.account, b.mode, b.kind, Atoms{b.quote}, b.leverage, b.in_liquidation, b.in_retry};
}

PositionView RiskEngine::GetPosition(BucketId bucket, SymbolId symbol) const noexcept {
  if (bucket.value() >= bucket_count_) return {};
  const Position* p = FindPosition(B(bucket.value()), symbol.value());
  if (p == nullptr) return {};
  return {Qty{p->size}, Atoms{p->cost}, Atoms{p->open_buy}, Atoms{p->open_sell}};
}

Margins RiskEngine::GetMargins(BucketId bucket) const noexcept {
  if (bucket.value() >= bucket_count_) return {};
  return Compute(B(bucket.value()), true);
}

bool RiskEngine::IsLiquidatable(BucketId bucket) const noexcept {
  return bucket.value() < bucket_count_ && Liquidatable(B(bucket.value()));
}

std::optional<Price> RiskEngine::LiquidationPrice(BucketId bucket, SymbolId symbol) const noexcept {
  if (bucket.value() >= bucket_count_ || Margined(symbol) == nullptr) return std::nullopt;
  const Bucket& b = B(bucket.value());
  const Position* target = FindPosition(b, symbol.value());
  if (target == nullptr || target->size == 0) return std::nullopt;
  const int64_t trigger = ExactTrigger(b, *target);
  if (trigger == kLongNever && target->size > 0) return std::nullopt;
  if (trigger == kShortNever && target->size < 0) return std::nullopt;
  return Price{trigger};
}

AdlRankView RiskEngine::AdlRank(BucketId bucket, SymbolId symbol) const noexcept {
  const SymbolState* s = Margined(symbol);
  if (s == nullptr || bucket.value() >= bucket_count_) return {};
  const Position* target = FindPosition(B(bucket.value()), symbol.value());
  if (target == nullptr || target->size == 0) return {};
  const AdlRanking ranking = s->config.risk.adl_ranking;
  const uint64_t seed = (seq_.value() << 32) ^ symbol.value();
  auto score_of = [&](const Position& p) {
    const AdlInputs in{p.size, p.cost, s->mark, s->k, Compute(B(p.bucket), false).equity};
    return AdlScore(ranking, in, seed, p.bucket);
  };
  const int64_t score = score_of(*target);
  AdlRankView view{score, 1, 0};
  for (const Position& p : s->holders) {
    if ((p.size > 0) != (target->size > 0) || B(p.bucket).kind != BucketKind::kUser) continue;
    ++view.of;
    if (&p == target) continue;
    const int64_t other = score_of(p);
    if (other > score || (other == score && p.bucket < target->bucket)) ++view.rank;
  }
  return view;
}

Price RiskEngine::Mark(SymbolId symbol) const noexcept {
  const SymbolState* s = Margined(symbol);
  return Price{s != nullptr ? s->mark : 0};
}

Price RiskEngine::EffectiveIndex(SymbolId symbol) const noexcept {
  const SymbolState* s = Margined(symbol);
  return Price{s != nullptr ? s->mark_price.EffectiveIndex() : 0};
}

BucketId RiskEngine::InsuranceFund(SymbolId symbol) const noexcept {
  const SymbolState* s = Margined(symbol);
  return s != nullptr ? s->fund : kNoBucket;
}

}  // namespace cascade::risk
