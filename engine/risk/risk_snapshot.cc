// Export and import of the risk engine's state (engine/risk/risk_snapshot.h), and its digest. Not
// on the hot path: allocation is fine here.
#include "engine/risk/risk_snapshot.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/core/digest.h"
#include "engine/risk/risk_config.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {

// MarkPrice's sampling state, which only snapshots need to see.
struct MarkPriceAccess {
  static MarkPriceSnapshot Export(const MarkPrice& m) {
    MarkPriceSnapshot s;
    s.index = m.index_;
    s.external = m.external_;
    s.predicted_rate = m.predicted_rate_;
    s.top_bid = m.top_.bid;
    s.top_ask = m.top_.ask;
    s.top_last = m.top_.last;
    s.slot = m.slot_;
    s.basis = m.basis_;
    s.basis_count = m.basis_count_;
    s.basis_head = m.basis_head_;
    s.basis_sum = m.basis_sum_;
    s.premium_sum = m.premium_sum_;
    s.premium_count = m.premium_count_;
    s.impact = m.impact_;
    s.impact_net = m.impact_net_;
    return s;
  }

  // `m` is configured already: its rings have the sizes the symbol's parameters give.
  static absl::Status Import(const MarkPriceSnapshot& s, MarkPrice& m) {
    if (s.basis.size() != m.basis_.size() || s.impact.size() != m.impact_.size() ||
        s.basis_count > s.basis.size() || (!s.basis.empty() && s.basis_head >= s.basis.size()) ||
        s.premium_count < 0) {
      return absl::InvalidArgumentError("snapshot mark-price rings do not fit the symbol config");
    }
    m.index_ = s.index;
    m.external_ = s.external;
    m.predicted_rate_ = s.predicted_rate;
    m.top_ = BookTop{s.top_bid, s.top_ask, s.top_last};
    m.slot_ = s.slot;
    m.basis_ = s.basis;
    m.basis_count_ = s.basis_count;
    m.basis_head_ = s.basis_head;
    m.basis_sum_ = s.basis_sum;
    m.premium_sum_ = s.premium_sum;
    m.premium_count_ = s.premium_count;
    m.impact_ = s.impact;
    m.impact_net_ = s.impact_net;
    return absl::OkStatus();
  }
};

namespace {

void DigestInt128(Digest& d, int128 v) noexcept {
  d.UpdateInt(static_cast<uint64_t>(v));
  d.UpdateInt(static_cast<int64_t>(v >> 64));  // arithmetic shift: the high half, sign kept
}

absl::Status Invalid(const char* what, uint64_t id) {
  return absl::InvalidArgumentError(absl::StrCat("risk snapshot: ", what, " ", id));
}

}  // namespace

RiskSnapshot RiskEngine::Snapshot() const {
  RiskSnapshot snap;
  snap.seq = seq_;
  snap.now = now_;
  snap.time_known = time_known_;
  snap.sweep = sweep_;
  snap.collect = collect_;
  for (uint32_t i = 0; i < config_.max_symbols; ++i) {
    const SymbolState& s = S(i);
    if (!s.configured) continue;
    RiskSymbolSnapshot& out = snap.symbols.emplace_back();
    out.config = s.config;
    out.mark = s.mark;
    out.funding_index = s.funding_index;
    out.last_funding_rate = s.last_funding_rate;
    out.funding_slot = s.funding_slot;
    out.funding_slot_known = s.funding_slot_known;
    if (s.margined) out.mark_price = MarkPriceAccess::Export(s.mark_price);
    for (const Position& p : s.holders) out.holders.push_back(p.bucket);
  }
  snap.buckets.reserve(bucket_count_);
  for (uint32_t id = 0; id < bucket_count_; ++id) {
    const Bucket& b = B(id);
    BucketSnapshot& out = snap.buckets.emplace_back();
    out.id = b.id;
    out.account = b.account;
    out.symbol = b.symbol;
    out.mode = b.mode;
    out.kind = b.kind;
    out.in_liquidation = b.in_liquidation;
    out.parked = b.parked;
    out.in_retry = b.in_retry;
    out.leverage = b.leverage;
    out.origin_round = b.origin_round;
    out.quote = b.quote;
    out.cooldown_until = b.cooldown_until;
    out.liquidated_in_sweep = b.liquidated_in_sweep;
    out.collected_in = b.collected_in;
    for (const Position& p : b.positions) {
      out.positions.push_back({p.symbol, p.size, p.cost, p.open_buy, p.open_sell});
    }
  }
  snap.funds = funds_;
  for (const Bucket& b : retry_) snap.retry.push_back(b.id.value());
  snap.audit = audit_;
  return snap;
}

absl::Status RiskEngine::Restore(const RiskSnapshot& snap) {
  // A fresh engine holds the fee pool only; anything else means it has been used.
  if (bucket_count_ != 1 || time_known_ || margined_symbols_ != 0 || !retry_.empty()) {
    return absl::FailedPreconditionError("risk restore needs a risk engine that did nothing yet");
  }
  for (uint32_t i = 0; i < config_.max_symbols; ++i) {
    if (S(i).configured) {
      return absl::FailedPreconditionError("risk restore needs a risk engine that did nothing yet");
    }
  }
  if (snap.buckets.empty() || snap.buckets.size() > config_.max_buckets) {
    return absl::InvalidArgumentError("risk snapshot: bucket count does not fit this engine");
  }
  if (snap.buckets[0].kind != BucketKind::kFeePool) {
    return absl::InvalidArgumentError("risk snapshot: bucket 0 is not the fee pool");
  }

  size_t positions = 0;
  for (const BucketSnapshot& b : snap.buckets) positions += b.positions.size();
  if (positions > config_.max_positions) {
    return absl::ResourceExhaustedError("risk snapshot exceeds max_positions");
  }

  // Symbols: configuration first (tiers, rings), then the state on top.
  uint32_t previous = 0;
  for (size_t n = 0; n < snap.symbols.size(); ++n) {
    const RiskSymbolSnapshot& in = snap.symbols[n];
    const uint32_t id = in.config.symbol.value();
    if (id >= config_.max_symbols || (n > 0 && id <= previous)) {
      return Invalid("symbols out of order or out of range at", id);
    }
    previous = id;
    if (!ValidateSymbolConfig(in.config).ok() || AtomsPerLotTick(in.config) == 0) {
      return Invalid("invalid config of symbol", id);
    }
    const auto tiers = BuildTierTable(in.config.risk);
    if (!tiers.ok()) return Invalid("invalid tiers of symbol", id);
    SymbolState& s = S(id);
    s.configured = true;
    s.margined = in.config.risk.tier_count > 0;
    s.config = in.config;
    s.k = AtomsPerLotTick(in.config);
    s.tiers = *tiers;
    s.mark = in.mark;
    ++ranking_epoch_;
    s.funding_index = in.funding_index;
    s.last_funding_rate = in.last_funding_rate;
    s.funding_slot = in.funding_slot;
    s.funding_slot_known = in.funding_slot_known;
    if (s.margined) {
      ++margined_symbols_;
      margined_ids_.push_back(id);
      s.mark_price.Configure(in.config.risk);
      if (absl::Status st = MarkPriceAccess::Import(in.mark_price, s.mark_price); !st.ok()) {
        return st;
      }
    }
  }

  // Buckets in id order, so that CreateBucket hands out the recorded ids.
  for (size_t n = 0; n < snap.buckets.size(); ++n) {
    const BucketSnapshot& in = snap.buckets[n];
    if (in.id.value() != n) return Invalid("bucket ids not dense at", n);
    if (n > 0) {
      if (in.kind == BucketKind::kFeePool) return Invalid("second fee pool", n);
      if (in.kind == BucketKind::kUser && FindBucket(in.account, in.mode, in.symbol) != kNoBucket) {
        return Invalid("duplicate user bucket", n);
      }
      if (CreateBucket(in.account, in.mode, in.symbol, in.kind) != n) {
        return Invalid("cannot create bucket", n);
      }
    }
    Bucket& b = B(static_cast<uint32_t>(n));
    b.in_liquidation = in.in_liquidation;
    b.parked = in.parked;
    b.in_retry = false;  // set again when the retry queue is rebuilt
    b.leverage = in.leverage;
    b.origin_round = in.origin_round;
    b.quote = in.quote;
    b.cooldown_until = in.cooldown_until;
    b.liquidated_in_sweep = in.liquidated_in_sweep;
    b.collected_in = in.collected_in;
    uint32_t last_symbol = 0;
    for (size_t k = 0; k < in.positions.size(); ++k) {
      const PositionSnapshot& ps = in.positions[k];
      if (Margined(SymbolId{ps.symbol}) == nullptr || (k > 0 && ps.symbol <= last_symbol)) {
        return Invalid("position in a bad symbol in bucket", n);
      }
      last_symbol = ps.symbol;
      if ((ps.size == 0 && ps.open_buy == 0 && ps.open_sell == 0) || ps.open_buy < 0 ||
          ps.open_sell < 0) {
        return Invalid("empty or negative position in bucket", n);
      }
      Position& p = GetOrCreatePosition(b, ps.symbol);
      p.size = ps.size;
      p.cost = ps.cost;
      p.open_buy = ps.open_buy;
      p.open_sell = ps.open_sell;
      if (p.size != 0) ++b.nonzero_positions;
    }
  }

  // The holder lists keep their recorded order (funding and ADL walk them).
  for (const RiskSymbolSnapshot& in : snap.symbols) {
    SymbolState& s = S(in.config.symbol.value());
    size_t expected = 0;
    for (const BucketSnapshot& b : snap.buckets) {
      for (const PositionSnapshot& p : b.positions) {
        if (p.symbol == in.config.symbol.value() && p.size != 0) ++expected;
      }
    }
    if (in.holders.size() != expected) {
      return Invalid("holder list does not match the positions of symbol", s.config.symbol.value());
    }
    std::vector<bool> seen(bucket_count_, false);
    for (uint32_t bucket : in.holders) {
      Position* p =
          bucket < bucket_count_ ? FindPosition(B(bucket), in.config.symbol.value()) : nullptr;
      if (p == nullptr || p->size == 0 || seen[bucket]) {
        return Invalid("holder list names a bad bucket", bucket);
      }
      seen[bucket] = true;
      s.holders.push_back(*p);
    }
  }
  for (uint32_t id = 0; id < bucket_count_; ++id) UpdateMulti(B(id));

  funds_ = snap.funds;
  for (uint32_t group = 0; group < kMaxFundGroups; ++group) {
    const uint32_t fund = funds_[group];
    if (fund != 0 && (fund >= bucket_count_ || B(fund).kind != BucketKind::kInsuranceFund)) {
      return Invalid("fund group names a bad bucket", group);
    }
  }
  for (const uint32_t id : margined_ids_) {
    SymbolState& s = S(id);
    const uint32_t fund = funds_[s.config.risk.fund_group];
    if (fund == 0) return Invalid("no insurance fund for symbol", id);
    s.fund = BucketId{fund};
  }
  for (uint32_t id : snap.retry) {
    if (id >= bucket_count_ || B(id).in_retry || B(id).kind != BucketKind::kUser) {
      return Invalid("retry queue names a bad bucket", id);
    }
    B(id).in_retry = true;
    retry_.push_back(B(id));
  }
  for (size_t n = 0; n < snap.buckets.size(); ++n) {
    if (snap.buckets[n].in_retry != B(static_cast<uint32_t>(n)).in_retry) {
      return Invalid("retry flag disagrees with the retry queue for bucket", n);
    }
  }

  seq_ = snap.seq;
  now_ = snap.now;
  time_known_ = snap.time_known;
  sweep_ = snap.sweep;
  collect_ = snap.collect;
  audit_ = snap.audit;
  // The trigger index is derived: every unparked user bucket is re-keyed at the restored marks.
  for (uint32_t id = 0; id < bucket_count_; ++id) Rekey(B(id));
  return absl::OkStatus();
}

void RiskEngine::DigestInto(Digest& d) const noexcept {
  d.UpdateInt(seq_.value());
  d.UpdateInt(now_);
  d.UpdateInt(static_cast<uint8_t>(time_known_));
  d.UpdateInt(sweep_);
  d.UpdateInt(collect_);
  for (uint32_t i = 0; i < config_.max_symbols; ++i) {
    const SymbolState& s = S(i);
    if (!s.configured) continue;
    d.UpdateInt(i);
    d.UpdateInt(static_cast<uint8_t>(s.margined));
    d.UpdateInt(s.mark);
    DigestInt128(d, s.funding_index);
    d.UpdateInt(s.last_funding_rate);
    d.UpdateInt(s.funding_slot);
    d.UpdateInt(static_cast<uint8_t>(s.funding_slot_known));
    d.UpdateInt(s.fund.value());
    if (s.margined) {
      const MarkPriceSnapshot m = MarkPriceAccess::Export(s.mark_price);
      for (int64_t v : {m.index, m.external, m.predicted_rate, m.top_bid, m.top_ask, m.top_last,
                        m.slot, m.premium_count}) {
        d.UpdateInt(v);
      }
      d.UpdateInt(m.basis_count);
      d.UpdateInt(m.basis_head);
      for (int64_t v : m.basis) d.UpdateInt(v);
      DigestInt128(d, m.basis_sum);
      DigestInt128(d, m.premium_sum);
      for (int128 v : m.impact) DigestInt128(d, v);
      DigestInt128(d, m.impact_net);
    }
    d.UpdateInt(static_cast<uint64_t>(s.holders.size()));
    for (const Position& p : s.holders) d.UpdateInt(p.bucket);
    d.UpdateInt(static_cast<uint64_t>(s.index.size()));
  }
  for (uint32_t id = 0; id < bucket_count_; ++id) {
    const Bucket& b = B(id);
    d.UpdateInt(b.id.value());
    d.UpdateInt(b.account.value());
    d.UpdateInt(b.symbol.value());
    d.UpdateInt(static_cast<uint8_t>(b.mode));
    d.UpdateInt(static_cast<uint8_t>(b.kind));
    d.UpdateInt(static_cast<uint8_t>(b.in_liquidation));
    d.UpdateInt(static_cast<uint8_t>(b.parked));
    d.UpdateInt(static_cast<uint8_t>(b.in_retry));
    d.UpdateInt(static_cast<uint8_t>(b.negative_pending));
    d.UpdateInt(b.nonzero_positions);
    d.UpdateInt(b.leverage);
    d.UpdateInt(b.origin_round);
    d.UpdateInt(b.quote);
    d.UpdateInt(b.cooldown_until);
    d.UpdateInt(b.liquidated_in_sweep);
    d.UpdateInt(b.collected_in);
    for (const Position& p : b.positions) {
      d.UpdateInt(p.symbol);
      d.UpdateInt(p.size);
      d.UpdateInt(p.cost);
      d.UpdateInt(p.open_buy);
      d.UpdateInt(p.open_sell);
      // The index is derived, but a restored engine must derive the same keys. A banded key only
      // bounds the trigger and depends on when the bands were drawn: the exact trigger goes in.
      d.UpdateInt(static_cast<uint8_t>(p.indexed));
      if (p.indexed != TriggerSide::kNone) d.UpdateInt(p.banded ? ExactTrigger(b, p) : p.trigger);
      d.UpdateInt(static_cast<uint8_t>(p.in_multi));
    }
    d.UpdateInt(uint32_t{0xffffffff});  // end of the bucket's positions
  }
  for (uint32_t fund : funds_) d.UpdateInt(fund);
  d.UpdateInt(static_cast<uint64_t>(retry_.size()));
  for (const Bucket& b : retry_) d.UpdateInt(b.id.value());
  DigestInt128(d, audit_.deposits);
  DigestInt128(d, audit_.withdrawals);
  d.UpdateInt(audit_.liquidation_fills_beyond_limit);
  d.UpdateInt(audit_.fund_paid_under_bankruptcy_policy);
  d.UpdateInt(audit_.adl_legs_not_summing);
  d.UpdateInt(audit_.adl_counterparty_negative);
  d.UpdateInt(audit_.funding_not_zero_sum);
}

}  // namespace cascade::risk
