#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "engine/core/checked_math.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/risk/bucket.h"
#include "engine/risk/liquidation_venue.h"
#include "engine/risk/risk_config.h"
#include "engine/risk/slot_array.h"
#include "engine/risk/symbol_state.h"

namespace cascade {
class Digest;
}  // namespace cascade

namespace cascade::risk {

struct RiskSnapshot;

struct RiskEngineConfig {
  uint32_t max_symbols = 64;
  uint32_t max_buckets = 1u << 17;    // user and system buckets
  uint32_t max_positions = 1u << 18;  // (bucket, symbol) pairs with a position or open orders
};

// A risk-increasing order to check before it enters the book (price: the limit, or for a market
// order the worst price its protection band allows).
struct OrderIntent {
  AccountId account{0};
  MarginMode margin = MarginMode::kCross;
  SymbolId symbol{0};
  Side side = Side::kBuy;
  Price price{0};
  Qty qty{0};
  bool reduce_only = false;
  bool may_rest = true;  // false for IOC, FOK and market orders
};

struct OrderDecision {
  RejectReason reason = RejectReason::kNone;
  BucketId bucket = kNoBucket;  // the bucket the order trades for; kNoBucket on matching-only
};

// One trade between two resting/taking orders (not a liquidation fill).
struct TradeFill {
  SymbolId symbol{0};
  Price price{0};
  Qty qty{0};
  Side taker_side = Side::kBuy;
  BucketId maker = kNoBucket;
  BucketId taker = kNoBucket;
};

struct SweepResult {
  uint32_t depth = 0;         // 1 + highest round with a liquidation; 0 when none
  uint32_t liquidations = 0;  // liquidate() calls
  uint32_t takeovers = 0;
  uint32_t adl_legs = 0;
  uint32_t bad_debts = 0;
};

struct BucketView {
  AccountId account{0};
  MarginMode mode = MarginMode::kCross;
  BucketKind kind = BucketKind::kUser;
  Atoms quote{0};
  uint32_t leverage = 0;
  bool in_liquidation = false;
  bool in_retry = false;
};

struct PositionView {
  Qty size{0};
  Atoms cost{0};
  Atoms open_buy{0};
  Atoms open_sell{0};
};

struct Margins {
  int128 equity = 0;
  int128 maintenance = 0;
  int128 initial = 0;  // positions and open orders
};

struct AdlRankView {
  int64_t score = 0;  // 1e8 scale, the configured ranking
  uint32_t rank = 0;  // 1 = first to be deleveraged among the same-side holders
  uint32_t of = 0;
};

// Counters that the invariant checker reads (risk-model.md section 9, items 2, 5, 6, 8).
struct RiskAudit {
  int128 deposits = 0;
  int128 withdrawals = 0;
  uint64_t liquidation_fills_beyond_limit = 0;
  uint64_t fund_paid_under_bankruptcy_policy = 0;
  uint64_t adl_legs_not_summing = 0;
  uint64_t adl_counterparty_negative = 0;
  uint64_t funding_not_zero_sum = 0;
};

// The risk engine: margin buckets, trigger index, mark prices, funding and the liquidation sweep.
// Single-threaded, no clock, no exceptions, no allocation once constructed (pools and maps are
// sized from RiskEngineConfig). Engine::Apply drives it:
//
//   risk.BeginCommand(seq, ts, &events);   // every command, before anything else
//   ... Deposit / Withdraw / SetLeverage / CheckOrder / MakerRecheck / OnFill / OnOrderRested /
//       OnOrderRemoved / OnIndexPrice / OnMarkPrice / OnFundingRate ...
//   risk.Sweep(venue);                      // every command, after it was applied
//
// Risk events are appended to the vector given to BeginCommand with that command's seq and ts.
class RiskEngine {
 public:
  // One entry of an ADL ranking (adl_book.cc); public for the ordering helper there.
  struct AdlCandidate {
    int64_t score;
    uint32_t bucket;
    uint32_t version;  // the bucket's adl_touch >> 1 when scored: stale once it differs
  };

  explicit RiskEngine(const RiskEngineConfig& config = {});
  ~RiskEngine();
  RiskEngine(const RiskEngine&) = delete;
  RiskEngine& operator=(const RiskEngine&) = delete;

  // --- state export/import (risk_snapshot.cc) ----------------------------------------------
  // The whole state as plain values, between commands. Restore loads it into a risk engine that
  // has done nothing yet and rebuilds what is derived (trigger index, lookups), so that the
  // restored engine behaves exactly like the original; a snapshot that does not fit is refused.
  [[nodiscard]] RiskSnapshot Snapshot() const;
  [[nodiscard]] absl::Status Restore(const RiskSnapshot& snapshot);
  // Feeds the whole state to `digest` in a canonical order (symbols, then buckets by id).
  void DigestInto(Digest& digest) const noexcept;

  // --- per command -------------------------------------------------------------------------
  // Advances simulated time (mark grid samples, computed funding at interval boundaries). Inline:
  // every command pays it, and without margined symbols it is a few stores.
  void BeginCommand(SeqNo seq, Timestamp ts, std::vector<Event>* out) noexcept {
    seq_ = seq;
    out_ = out;
    ++ranking_epoch_;  // ADL scores depend on seq (pseudo-random ranking)
    if (time_known_ && ts.value() <= now_) return;
    if (margined_ids_.empty() || ts.value() < quiet_until_) {  // nothing due for any symbol
      now_ = ts.value();
      time_known_ = true;
      return;
    }
    AdvanceTime(ts.value());
  }
  // Recomputes marks and liquidates to quiescence (risk-model.md sections 6-7). Without margined
  // symbols there is nothing to sweep, and the check stays inline.
  SweepResult Sweep(LiquidationVenue& venue) noexcept {
    return margined_symbols_ == 0 ? SweepResult{} : SweepMargined(venue);
  }

  // --- configuration -----------------------------------------------------------------------
  // kInvalidSymbolConfig if ValidateSymbolConfig fails, kSymbolExists if already configured.
  [[nodiscard]] RejectReason OnSymbolConfigured(const SymbolConfig& config) noexcept;

  // --- ledger ------------------------------------------------------------------------------
  // Deposits create the bucket. account == kSystemAccount credits the fund of symbol's group.
  [[nodiscard]] RejectReason Deposit(AccountId account, MarginMode mode, SymbolId symbol,
                                     Atoms amount) noexcept;
  [[nodiscard]] RejectReason Withdraw(AccountId account, MarginMode mode, SymbolId symbol,
                                      Atoms amount) noexcept;
  [[nodiscard]] RejectReason SetLeverage(AccountId account, MarginMode mode, SymbolId symbol,
                                         uint32_t leverage) noexcept;
  [[nodiscard]] BucketId FindBucket(AccountId account, MarginMode mode,
                                    SymbolId symbol) const noexcept;

  // --- orders ------------------------------------------------------------------------------
  [[nodiscard]] OrderDecision CheckOrder(const OrderIntent& order) const noexcept;
  // Open-order notional: an order (or part of it) starts or stops resting. Fills are not
  // reported here: OnFill takes the filled quantity off the maker's open notional itself.
  void OnOrderRested(BucketId bucket, SymbolId symbol, Side side, Price price, Qty qty) noexcept;
  void OnOrderRemoved(BucketId bucket, SymbolId symbol, Side side, Price price, Qty qty) noexcept;
  // At fill time, before OnFill: kNone to fill; kInsufficientMargin (cancel the maker with
  // kMarginRecheck) or kReduceOnlyWouldIncrease (cancel with kReduceOnly) otherwise.
  [[nodiscard]] RejectReason MakerRecheck(BucketId maker, SymbolId symbol, Side maker_side,
                                          Price price, Qty qty, bool reduce_only) const noexcept;
  void OnFill(const TradeFill& fill) noexcept;
  // Called by the venue for each fill of the liquidation IOC it is executing.
  void OnLiquidationFill(BucketId maker, Price price, Qty qty) noexcept;

  // --- prices ------------------------------------------------------------------------------
  void OnIndexPrice(SymbolId symbol, Price price) noexcept;
  void OnMarkPrice(SymbolId symbol, Price price) noexcept;
  // Pays funding now at `rate` (1e8 scale); kUnknownSymbol for a symbol without margin.
  [[nodiscard]] RejectReason OnFundingRate(SymbolId symbol, int64_t rate) noexcept;

  // --- queries -----------------------------------------------------------------------------
  [[nodiscard]] uint32_t bucket_count() const noexcept { return bucket_count_; }
  [[nodiscard]] BucketView GetBucket(BucketId bucket) const noexcept;
  [[nodiscard]] PositionView GetPosition(BucketId bucket, SymbolId symbol) const noexcept;
  [[nodiscard]] Margins GetMargins(BucketId bucket) const noexcept;
  [[nodiscard]] bool IsLiquidatable(BucketId bucket) const noexcept;
  // The tick at which the position's bucket becomes liquidatable, other marks held.
  [[nodiscard]] std::optional<Price> LiquidationPrice(BucketId bucket,
                                                      SymbolId symbol) const noexcept;
  [[nodiscard]] AdlRankView AdlRank(BucketId bucket, SymbolId symbol) const noexcept;
  [[nodiscard]] Price Mark(SymbolId symbol) const noexcept;
  [[nodiscard]] Price EffectiveIndex(SymbolId symbol) const noexcept;
  [[nodiscard]] BucketId InsuranceFund(SymbolId symbol) const noexcept;
  [[nodiscard]] BucketId FeePool() const noexcept { return BucketId{0}; }
  [[nodiscard]] const RiskAudit& audit() const noexcept { return audit_; }
  [[nodiscard]] size_t retry_count() const noexcept { return retry_.size(); }
  // Buckets whose trigger-index entries are crossed at the current marks and that are
  // liquidatable, ascending; what the next sweep round would pick up (tests and benchmarks).
  void CollectLiquidatable(std::vector<BucketId>& out) noexcept;
  // Recomputes every symbol's mark from its inputs without liquidating (tests, benchmarks).
  void RecomputeMarks(LiquidationVenue& venue) noexcept;

 private:
  friend class InvariantChecker;
  struct Candidate {
    int128 equity;
    int128 maintenance;
    uint32_t bucket;
    uint32_t round;
    bool backstop_only;  // already liquidated in this sweep: no second book order
  };
  // A bucket found liquidatable again in the sweep that liquidated it, with the place the crossed
  // walk would give it if every key were exact: symbol, longs first, trigger, id.
  struct Deferred {
    uint32_t symbol;
    uint32_t side;
    int64_t order;  // -trigger for a long, trigger for a short
    uint32_t bucket;
  };
  struct NegativeBalance {
    uint32_t bucket;
    uint32_t symbol;
  };
  // The liquidation IOC in flight (OnLiquidationFill settles against it).
  struct LiquidationContext {
    bool active = false;
    uint32_t bucket = 0;
    uint32_t symbol = 0;
    uint32_t round = 0;
    Side side = Side::kSell;
    int64_t limit = 0;
    int64_t position_lots = 0;  // |size| when the bankruptcy quote was taken
    int64_t filled = 0;         // lots of the position closed so far
    int128 bp_quote = 0;        // bankruptcy quote of the whole position
    int128 assigned = 0;        // shares of it assigned to fills so far
  };

  // ledger.cc: buckets, positions, cash, margins, trigger upkeep
  Bucket& B(uint32_t id) noexcept { return buckets_[id]; }
  const Bucket& B(uint32_t id) const noexcept { return buckets_[id]; }
  SymbolState& S(uint32_t id) noexcept { return symbols_[id]; }
  const SymbolState& S(uint32_t id) const noexcept { return symbols_[id]; }
  // Inline: every order-path call starts with these two.
  [[nodiscard]] const SymbolState* Margined(SymbolId symbol) const noexcept {
    if (symbol.value() >= config_.max_symbols) return nullptr;
    const SymbolState& s = symbols_[symbol.value()];
    return s.configured && s.margined ? &s : nullptr;
  }
  uint32_t CreateBucket(AccountId account, MarginMode mode, SymbolId symbol, BucketKind kind);
  uint32_t FindOrCreateUserBucket(AccountId account, MarginMode mode, SymbolId symbol) noexcept;
  [[nodiscard]] Position* FindPosition(const Bucket& b, uint32_t symbol) const noexcept {
    for (const Position& p : b.positions) {  // ascending symbol id
      if (p.symbol == symbol) return const_cast<Position*>(&p);
      if (p.symbol > symbol) break;
    }
    return nullptr;
  }
  [[nodiscard]] uint32_t FreePositions() const noexcept {
    return static_cast<uint32_t>(free_positions_.size()) + config_.max_positions - positions_used_;
  }
  Position& GetOrCreatePosition(Bucket& b, uint32_t symbol) noexcept;
  void MaybeRelease(Bucket& b, Position& p) noexcept;
  void AddCash(Bucket& b, int128 amount) noexcept;
  // Moves `delta` lots at `price` into the bucket: cash, size, cost; no fees.
  void Trade(Bucket& b, SymbolState& s, int64_t delta, int64_t price) noexcept;
  // Size and cost only; cost_delta is the signed value of the delta at its price.
  void MoveSize(Bucket& b, SymbolState& s, Position& p, int64_t delta, int128 cost_delta) noexcept;
  void ChargeFee(Bucket& b, int128 quote, int64_t rate) noexcept;
  void UpdateMulti(Bucket& b) noexcept;
  [[nodiscard]] Margins Compute(const Bucket& b, bool with_initial) const noexcept;
  // A conservative test of the order checks' margin condition, Equity - costs - IM >= 0 with the
  // bucket's position in s at size_after and its open orders there at orders_after: true only
  // when the exact condition holds.
  [[nodiscard]] bool SurelyAffordable(const Bucket& b, const SymbolState& s, int64_t size_after,
                                      int128 orders_after, int128 costs) const noexcept;
  [[nodiscard]] bool Liquidatable(const Bucket& b) const noexcept;
  void NoteNegative(Bucket& b, uint32_t symbol) noexcept;
  void Emit(EventBody body) noexcept;
  void Rekey(Bucket& b) noexcept;
  void RekeyBanded(Bucket& b, int128 total) noexcept;
  void RekeyHolders(SymbolState& s) noexcept;
  Band& BandOf(Position& p) noexcept;
  void Unband(Position& p) noexcept;
  // The exact trigger of an indexed position at the current marks (what a banded key bounds).
  [[nodiscard]] int64_t ExactTrigger(const Bucket& b, const Position& p) const noexcept;
  void Park(Bucket& b) noexcept;
  void Unpark(Bucket& b) noexcept;
  void OnMarkMoved(SymbolState& s) noexcept;

  // sweep.cc
  SweepResult SweepMargined(LiquidationVenue& venue) noexcept;
  // prices.cc: time, marks, funding
  void AdvanceTime(int64_t ts) noexcept;
  // A grid sample and a funding payment if due at ts.
  void AdvanceSymbol(SymbolState& s, int64_t ts) noexcept;
  bool UpdateMarks(LiquidationVenue& venue) noexcept;
  [[nodiscard]] int64_t NsToFunding(const SymbolState& s) const noexcept;
  void PayFunding(SymbolState& s, int64_t rate) noexcept;

  // sweep.cc: rounds and liquidate()
  void CollectRound(uint32_t round, bool with_retries) noexcept;
  // Whether any symbol's trigger index has an entry crossed at its mark.
  [[nodiscard]] bool AnyCrossed() const noexcept;
  // One crossed entry's bucket: a candidate, deferred, or (a banded key crossed early) re-keyed.
  void Classify(Bucket& b, uint32_t round) noexcept;
  [[nodiscard]] Deferred DeferredPlace(const Bucket& b) const noexcept;
  // Whether exact keys would have any entry of the bucket crossed at the current marks.
  [[nodiscard]] bool ExactlyCrossed(const Bucket& b) const noexcept;
  void Liquidate(Bucket& b, uint32_t round, bool backstop_only, SweepResult& result,
                 LiquidationVenue& venue) noexcept;
  [[nodiscard]] bool NeedsBackstop(const Bucket& b, const Margins& m) const noexcept;
  Position* LargestMaintenance(Bucket& b) noexcept;
  // One position of a liquidatable bucket; false when the bucket must wait in the retry queue.
  bool LiquidatePosition(Bucket& b, Position& p, const Margins& m, uint32_t round, bool use_book,
                         SweepResult& result, LiquidationVenue& venue) noexcept;
  int64_t LiquidationSize(Bucket& b, const Position& p, const Margins& m) noexcept;
  void SettleNegativeBalances(uint32_t round, SweepResult& result) noexcept;
  void Retry(Bucket& b, uint32_t round) noexcept;
  void Release(Bucket& b) noexcept;
  void EmitBucketState(const Bucket& b, uint32_t round) noexcept;

  // backstop.cc: takeover, ADL, bad debt
  void Transfer(Bucket& from, Bucket& to, SymbolState& s, Position& from_pos, int64_t lots,
                int128 quote) noexcept;
  void Backstop(Bucket& b, Position& p, uint32_t round, int128 bp_remaining,
                SweepResult& result) noexcept;
  void MoveToFund(Bucket& b, Position& p, uint32_t round, int128 quote) noexcept;
  // adl_book.cc: the ranking of the candidates against a bankrupt `side` position in s.
  [[nodiscard]] bool AdlEntry(const Bucket& c, const Position& p, const SymbolState& s,
                              int64_t side, AdlCandidate& out) const noexcept;
  void PrepareAdl(const SymbolState& s, int64_t side) noexcept;
  // CASCADE_DCHECK builds compare the ranking with one built from scratch; true otherwise.
  [[nodiscard]] bool AdlOrderIsExact(const SymbolState& s, int64_t side) noexcept;
  // The next candidate in ranking order from the two cursors, skipping stale entries.
  const AdlCandidate* NextAdl(size_t& ranked, size_t& fresh) noexcept;
  [[nodiscard]] bool Current(const AdlCandidate& e) const noexcept {
    return B(e.bucket).adl_touch >> 1 == e.version;
  }
  // A bucket's cash or positions changed: while a ranking is live, its entries go stale.
  void Touch(Bucket& b) noexcept {
    if (adl_book_.epoch != ranking_epoch_) return;
    b.adl_touch += 2;
    if ((b.adl_touch & 1u) == 0) {
      b.adl_touch |= 1u;
      adl_dirty_.push_back(b.id.value());
    }
  }
  void Deleverage(Bucket& b, Position& p, uint32_t round, int128 bp_remaining,
                  SweepResult& result) noexcept;

  RiskEngineConfig config_;
  std::unique_ptr<SymbolState[]> symbols_;
  SlotArray<Bucket> buckets_;
  uint32_t bucket_count_ = 0;
  SlotArray<Position> positions_;
  SlotArray<Band> bands_;        // by position slot, constructed when the position is first banded
  uint32_t positions_used_ = 0;  // slots constructed so far; released ones wait in the free list
  std::vector<uint32_t> free_positions_;
  // User buckets by key. Cross buckets of account ids below max_buckets (dense ids, the usual
  // case) are in a flat table instead: CheckOrder looks one up for every order.
  absl::flat_hash_map<uint64_t, uint32_t> bucket_by_key_;
  std::vector<uint32_t> cross_by_account_;        // kNoBucket where the account has none
  std::array<uint32_t, kMaxFundGroups> funds_{};  // fund bucket per fund group; 0 = none yet
  RetryQueue retry_;
  std::vector<Candidate> candidates_;
  // The live ADL ranking: adl_ as built, adl_fresh_ the buckets scored again since, adl_dirty_
  // the buckets changed since the last PrepareAdl. Live while epoch == ranking_epoch_, which
  // moves at every input and every mark change.
  struct AdlBook {
    uint64_t epoch = 0;
    uint32_t symbol = 0;
    int64_t side = 0;
    size_t ranked_from = 0;  // adl_ entries before it are stale
  };
  std::vector<AdlCandidate> adl_;
  std::vector<AdlCandidate> adl_fresh_;
  std::vector<uint32_t> adl_dirty_;
  std::vector<AdlCandidate> adl_check_;  // CASCADE_DCHECK builds: the ranking from scratch
  AdlBook adl_book_{};
  uint64_t ranking_epoch_ = 1;
  std::vector<NegativeBalance> negative_;
  std::vector<Deferred> deferred_;
  std::vector<uint32_t> crossed_;
  std::vector<TriggerIndex::Key> index_keys_;  // RekeyHolders
  // Buckets whose banded keys crossed before they were liquidatable, with their round stamp.
  std::vector<std::pair<uint32_t, uint64_t>> early_;
  uint32_t margined_symbols_ = 0;
  // Ids of margined symbols, ascending: per-command loops visit these, never every symbol slot.
  std::vector<uint32_t> margined_ids_;
  LiquidationContext ctx_{};

  std::vector<Event>* out_ = nullptr;
  SeqNo seq_{0};
  int64_t now_ = 0;
  bool time_known_ = false;
  // Derived: the least SymbolState::quiet_until of the margined symbols (min() when unknown).
  int64_t quiet_until_ = std::numeric_limits<int64_t>::min();
  uint64_t sweep_ = 0;    // sweep number
  uint64_t collect_ = 0;  // round number across sweeps, for candidate de-duplication
  RiskAudit audit_{};
};

}  // namespace cascade::risk
