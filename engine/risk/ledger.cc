// Buckets, positions and cash: the state every other part of the risk engine reads, and the only
// code that changes it (the trigger-index upkeep that follows each change is in rekey.cc).
#include <algorithm>

#include "engine/core/assert.h"
#include "engine/risk/fast_div.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {
namespace {

uint64_t BucketKey(AccountId account, MarginMode mode, SymbolId symbol) noexcept {
  const uint64_t sym = mode == MarginMode::kIsolated ? symbol.value() & 0x7fffffffu : 0;
  return (uint64_t{account.value()} << 32) | (uint64_t{mode == MarginMode::kIsolated} << 31) | sym;
}

int128 Abs(int128 v) noexcept { return v < 0 ? -v : v; }

}  // namespace

RiskEngine::RiskEngine(const RiskEngineConfig& config)
    : config_(config),
      symbols_(std::make_unique<SymbolState[]>(config.max_symbols)),
      buckets_(config.max_buckets),
      positions_(config.max_positions),
      bands_(config.max_positions) {
  cross_by_account_.assign(config.max_buckets, kNoBucket.value());
  free_positions_.reserve(config.max_positions);
  bucket_by_key_.reserve(config.max_buckets);
  candidates_.reserve(config.max_buckets);
  adl_.reserve(config.max_buckets);
  adl_fresh_.reserve(config.max_buckets);
  adl_dirty_.reserve(config.max_buckets);
#if defined(CASCADE_ENABLE_DCHECK)
  adl_check_.reserve(config.max_buckets);
#endif
  negative_.reserve(config.max_buckets);
  deferred_.reserve(config.max_buckets);
  crossed_.reserve(config.max_positions);
  index_keys_.reserve(config.max_positions);
  early_.reserve(config.max_buckets);
  CreateBucket(kSystemAccount, MarginMode::kCross, SymbolId{0}, BucketKind::kFeePool);
}

RiskEngine::~RiskEngine() {
  // Unlink intrusive containers before the pools that hold their nodes go away.
  retry_.clear();
  for (uint32_t i = 0; i < config_.max_symbols; ++i) {
    symbols_[i].holders.clear();
    symbols_[i].bands.clear();
  }
  for (uint32_t i = 0; i < bucket_count_; ++i) buckets_[i].positions.clear();
  for (uint32_t i = 0; i < bucket_count_; ++i) buckets_.Destroy(i);
  for (uint32_t i = 0; i < positions_used_; ++i) {
    if (positions_[i].band_built) bands_.Destroy(i);
    positions_.Destroy(i);
  }
}

uint32_t RiskEngine::CreateBucket(AccountId account, MarginMode mode, SymbolId symbol,
                                  BucketKind kind) {
  if (bucket_count_ >= config_.max_buckets) return kNoBucket.value();
  const uint32_t id = bucket_count_++;
  Bucket& b = buckets_.Construct(id);
  b.id = BucketId{id};
  b.account = account;
  b.mode = mode;
  b.symbol = symbol;
  b.kind = kind;
  if (kind == BucketKind::kUser) {
    if (mode == MarginMode::kCross && account.value() < cross_by_account_.size()) {
      cross_by_account_[account.value()] = id;
    } else {
      bucket_by_key_.emplace(BucketKey(account, mode, symbol), id);
    }
  }
  return id;
}

BucketId RiskEngine::FindBucket(AccountId account, MarginMode mode,
                                SymbolId symbol) const noexcept {
  if (mode == MarginMode::kCross && account.value() < cross_by_account_.size()) {
    return BucketId{cross_by_account_[account.value()]};
  }
  const auto it = bucket_by_key_.find(BucketKey(account, mode, symbol));
  return it == bucket_by_key_.end() ? kNoBucket : BucketId{it->second};
}

uint32_t RiskEngine::FindOrCreateUserBucket(AccountId account, MarginMode mode,
                                            SymbolId symbol) noexcept {
  const BucketId found = FindBucket(account, mode, symbol);
  if (found != kNoBucket) return found.value();
  return CreateBucket(account, mode, mode == MarginMode::kIsolated ? symbol : SymbolId{0},
                      BucketKind::kUser);
}

Position& RiskEngine::GetOrCreatePosition(Bucket& b, uint32_t symbol) noexcept {
  auto it = b.positions.begin();
  for (; it != b.positions.end() && it->symbol <= symbol; ++it) {
    if (it->symbol == symbol) return *it;
  }
  uint32_t slot;
  if (!free_positions_.empty()) {
    slot = free_positions_.back();
    free_positions_.pop_back();
  } else {
    CASCADE_ASSERT(positions_used_ < config_.max_positions);
    slot = positions_used_++;
    positions_.Construct(slot);
  }
  Position& p = positions_[slot];
  p.symbol = symbol;
  p.bucket = b.id.value();
  p.size = p.cost = p.open_buy = p.open_sell = 0;
  p.trigger = 0;
  p.indexed = TriggerSide::kNone;
  p.in_multi = false;
  CASCADE_ASSERT(!p.banded);
  b.positions.insert(it, p);
  return p;
}

void RiskEngine::MaybeRelease(Bucket& b, Position& p) noexcept {
  if (p.size != 0 || p.open_buy != 0 || p.open_sell != 0) return;
  S(p.symbol).index.Erase(p);
  Unband(p);
  b.positions.erase(b.positions.iterator_to(p));
  free_positions_.push_back(positions_.IndexOf(p));
}

void RiskEngine::AddCash(Bucket& b, int128 amount) noexcept {
  const auto q = NarrowToInt64(b.quote + amount);
  CASCADE_ASSERT(q.has_value());
  b.quote = *q;
  Touch(b);
}

void RiskEngine::Trade(Bucket& b, SymbolState& s, int64_t delta, int64_t price) noexcept {
  const int128 value = static_cast<int128>(delta) * price * s.k;
  AddCash(b, -value);
  MoveSize(b, s, GetOrCreatePosition(b, s.config.symbol.value()), delta, value);
}

void RiskEngine::MoveSize(Bucket& b, SymbolState& s, Position& p, int64_t delta,
                          int128 cost_delta) noexcept {
  const int64_t old_size = p.size;
  const auto narrowed = NarrowToInt64(static_cast<int128>(old_size) + delta);
  CASCADE_ASSERT(narrowed.has_value());
  const int64_t new_size = *narrowed;
  int128 cost;
  if (old_size == 0 || (old_size > 0) == (delta > 0)) {
    cost = p.cost + cost_delta;
  } else if (new_size == 0 || (new_size > 0) == (old_size > 0)) {
    cost = static_cast<int128>(p.cost) * new_size / old_size;  // proportional, toward zero
  } else {
    cost = cost_delta * new_size / delta;  // flipped: the rest opened at this fill's price
  }
  const auto c = NarrowToInt64(cost);
  CASCADE_ASSERT(c.has_value());
  p.cost = *c;
  p.size = new_size;
  Touch(b);
  if (old_size == 0 && new_size != 0) {
    s.holders.push_back(p);
    ++b.nonzero_positions;
    UpdateMulti(b);
  } else if (old_size != 0 && new_size == 0) {
    s.holders.erase(s.holders.iterator_to(p));
    --b.nonzero_positions;
    p.in_multi = false;
    Unband(p);
    UpdateMulti(b);
  }
}

void RiskEngine::UpdateMulti(Bucket& b) noexcept {
  if (b.kind != BucketKind::kUser || b.mode != MarginMode::kCross) return;
  const bool want = b.nonzero_positions >= 2;
  for (Position& p : b.positions) {
    const bool in = want && p.size != 0;
    if (in == p.in_multi) continue;
    p.in_multi = in;
    if (!in) Unband(p);  // its key is exact again at the next Rekey
  }
}

void RiskEngine::ChargeFee(Bucket& b, int128 quote, int64_t rate) noexcept {
  if (rate == 0 || quote == 0) return;
  // Fees round up, rebates round down: never in the payer's favour.
  const int128 fee = rate > 0 ? CeilDivFast(quote * rate, kRateScale)
                              : -FloorDivFast(quote * -static_cast<int128>(rate), kRateScale);
  AddCash(b, -fee);
  AddCash(B(FeePool().value()), fee);
}

Margins RiskEngine::Compute(const Bucket& b, bool with_initial) const noexcept {
  Margins m;
  m.equity = b.quote;
  for (const Position& p : b.positions) {
    const SymbolState& s = S(p.symbol);
    int128 notional = 0;
    if (p.size != 0) {
      const int128 value = static_cast<int128>(p.size) * s.mark * s.k;
      m.equity += value;
      notional = Abs(value);
      m.maintenance += MaintenanceMargin(s.tiers, notional);
    }
    if (with_initial) {
      m.initial += InitialMargin(s.tiers, notional, b.leverage);
      const int64_t orders = std::max(p.open_buy, p.open_sell);
      if (orders > 0) {
        const int t = s.tiers.TierOf(notional + orders);
        m.initial += InitialMarginAtRate(s.tiers.imr[t], b.leverage, orders);
      }
    }
  }
  return m;
}

bool RiskEngine::Liquidatable(const Bucket& b) const noexcept {
  if (b.nonzero_positions == 0) return false;
  const Margins m = Compute(b, false);
  return m.maintenance > 0 && m.equity < m.maintenance;
}

void RiskEngine::NoteNegative(Bucket& b, uint32_t symbol) noexcept {
  if (b.kind != BucketKind::kUser || b.nonzero_positions != 0 || b.quote >= 0 ||
      b.negative_pending) {
    return;
  }
  b.negative_pending = true;
  negative_.push_back({b.id.value(), symbol});
}

void RiskEngine::Emit(EventBody body) noexcept {
  if (out_ != nullptr) AppendEvent(*out_, seq_, Timestamp{now_}, std::move(body));
}

}  // namespace cascade::risk
