#pragma once

// Cascade measurement (risk-model.md section 6), computed from the output event stream of an
// engine run plus a few read-only queries (insurance-fund equity, book depth for the charts).
//
//   liquidation        a bucket's liquidation in an episode: its first MarginCall there (its
//                      `round` is the generation); later MarginCalls of the same bucket in the
//                      episode (retries on the book, partial steps) continue it and are counted
//                      as calls
//   notional           closed by liquidation: book fills (LiquidationFill.quote), fund takeovers
//                      (|Takeover.bankruptcy_quote|) and ADL legs (AdlFill.quote); the three are
//                      the book / insurance fund / ADL split
//   cascade depth      of an input event: 1 + the highest MarginCall round it produced
//   episode            consecutive input events with liquidations less than `episode_gap` apart
//   amplification      all notional / generation-0 notional
//   mark impact        per symbol, mark before the episode's first trigger vs. its extreme in
//                      the episode, next to the input index over the same span

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/engine.h"

namespace cascade::replay {

struct GenerationStats {
  uint32_t round = 0;
  uint64_t liquidations = 0;  // buckets liquidated (once per episode), by starting generation
  uint64_t calls = 0;         // liquidate() calls: MarginCall events, retries and steps included
  uint64_t accounts = 0;      // distinct accounts among them
  int64_t notional = 0;       // atoms: book + fund + adl
  int64_t long_notional = 0;  // of positions that were long
  int64_t book = 0;
  int64_t fund = 0;
  int64_t adl = 0;
  uint64_t book_fills = 0;
  uint64_t takeovers = 0;
  uint64_t adl_legs = 0;
  uint64_t bad_debts = 0;
  int64_t bad_debt = 0;      // atoms
  int64_t fees_to_fund = 0;  // clearance fees
  int64_t fund_paid = 0;     // fund payments on book fills worse than bankruptcy

  void Add(const GenerationStats& o);
};

struct SymbolMove {
  SymbolId symbol{0};
  int64_t mark_before = 0;  // ticks
  int64_t mark_low = 0;
  int64_t mark_high = 0;
  int64_t index_before = 0;  // the input index
  int64_t index_low = 0;
  int64_t index_high = 0;
  int64_t notional = 0;  // liquidated in this symbol, atoms
  int64_t long_notional = 0;
};

struct Episode {
  uint32_t id = 0;
  int64_t first_trigger_ns = 0;
  int64_t last_liquidation_ns = 0;
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  uint64_t commands = 0;  // input events with liquidations
  uint32_t depth = 0;
  uint64_t deepest_seq = 0;
  std::vector<GenerationStats> generations;  // index = round
  GenerationStats total;
  uint64_t accounts = 0;
  std::vector<SymbolMove> moves;
  int64_t fund_before = 0;  // insurance-fund equity, atoms
  int64_t fund_low = 0;
  int64_t fund_after = 0;

  [[nodiscard]] double Amplification() const;
  [[nodiscard]] int64_t FundDrawdown() const { return fund_before - fund_low; }
};

// One point of the time series behind the charts, per symbol.
struct SymbolSample {
  int64_t index = 0;      // input index, ticks
  int64_t effective = 0;  // index the engine used (lambda coupling), ticks
  int64_t mark = 0;
  int64_t bid = 0;
  int64_t ask = 0;
  int64_t bids_1pct = 0;  // atoms of resting bids within 1% of the mid
  int64_t asks_1pct = 0;
  int64_t bids_5pct = 0;
  int64_t asks_5pct = 0;
};

struct Sample {
  int64_t ts = 0;
  int64_t fund_equity = 0;
  int64_t liquidated = 0;  // cumulative notional, atoms
  std::vector<SymbolSample> symbols;
};

enum class FillKind : uint8_t { kBook = 0, kTakeover = 1, kAdl = 2 };

// One liquidation execution, for the charts.
struct Marker {
  int64_t ts = 0;
  uint32_t symbol_slot = 0;  // index in CascadeSummary::symbols
  uint32_t round = 0;
  FillKind kind = FillKind::kBook;
  bool is_long = true;
  int64_t price = 0;  // ticks
  int64_t notional = 0;
};

struct SymbolInfo {
  SymbolId symbol{0};
  std::string name;
  int64_t k = 0;                // atoms per lot-tick
  int64_t tick_size_nanos = 0;  // USD per tick, in 1e-9
  int64_t lot_size_nanos = 0;
  GenerationStats total;  // liquidations in this symbol
};

struct CascadeSummary {
  uint32_t max_depth = 0;
  uint64_t deepest_seq = 0;
  std::vector<Episode> episodes;
  std::vector<GenerationStats> generations;  // over all episodes, index = round
  GenerationStats total;
  uint64_t accounts = 0;            // distinct accounts liquidated
  int64_t largest_liquidation = 0;  // atoms, one liquidate() call
  AccountId largest_account{0};
  std::vector<uint64_t> depth_histogram;  // input events by cascade depth
  std::vector<SymbolInfo> symbols;

  int64_t fund_start = 0;  // insurance-fund equity (all funds), atoms
  int64_t fund_end = 0;
  int64_t fund_low = 0;
  int64_t fund_max_drawdown = 0;  // largest fall from a running high

  uint64_t commands = 0;
  uint64_t events = 0;
  uint64_t rejects = 0;
  uint64_t trades = 0;
  uint64_t stops_triggered = 0;
  uint64_t funding_payments = 0;
  int64_t first_ts = 0;
  int64_t last_ts = 0;

  std::vector<Sample> samples;
  std::vector<Marker> markers;
};

struct MeterOptions {
  int64_t episode_gap_ns = 60'000'000'000;
  int64_t sample_interval_ns = 1'000'000'000;
  // Only commands at or after this time are sampled for the charts (a scenario's setup is not).
  int64_t sample_from_ns = 0;
  size_t max_markers = 4'000'000;
};

// Observes a run command by command. Not thread-safe; one per run.
class CascadeMeter {
 public:
  explicit CascadeMeter(const MeterOptions& options);

  // After engine.Apply(command) returned `events` (the engine as the events left it).
  void Observe(const Command& command, std::span<const Event> events, const Engine& engine);
  // Closes the open episode and takes the final fund figures.
  void Finish(const Engine& engine);

  [[nodiscard]] const CascadeSummary& summary() const noexcept { return summary_; }
  // Of the last command observed: its cascade depth and its liquidate() calls.
  [[nodiscard]] uint32_t last_depth() const noexcept { return last_depth_; }
  [[nodiscard]] uint32_t last_liquidations() const noexcept { return last_liquidations_; }

 private:
  struct SymbolState {
    int64_t mark = 0;
    int64_t effective = 0;
    int64_t index = 0;
  };
  struct OpenEpisode {
    bool open = false;
    Episode e;
    std::vector<absl::flat_hash_set<uint32_t>> generation_accounts;
    absl::flat_hash_set<uint32_t> accounts;
    absl::flat_hash_set<uint32_t> buckets;  // liquidated in this episode
    absl::flat_hash_map<uint32_t, int64_t> notional_by_bucket;
  };

  uint32_t Slot(SymbolId symbol);
  int64_t FundEquity(const Engine& engine) const;
  void CloseEpisode();
  void StartEpisode(const Command& command, int64_t fund_before);
  void TakeSample(int64_t ts, const Engine& engine);
  GenerationStats& Gen(std::vector<GenerationStats>& gens, uint32_t round);

  MeterOptions options_;
  CascadeSummary summary_;
  std::vector<SymbolState> state_;  // by slot
  absl::flat_hash_map<uint32_t, uint32_t> slot_of_;
  absl::flat_hash_map<uint64_t, bool> long_of_;  // (bucket, symbol) -> side of its last order
  absl::flat_hash_set<uint32_t> accounts_;
  std::vector<absl::flat_hash_set<uint32_t>> generation_accounts_;
  uint32_t largest_bucket_ = 0;
  absl::flat_hash_map<uint32_t, uint32_t> bucket_account_;
  OpenEpisode episode_;
  int64_t last_liquidation_ns_ = 0;
  int64_t fund_equity_ = 0;
  int64_t fund_high_ = 0;
  bool fund_known_ = false;
  int64_t next_sample_ns_ = 0;
  uint32_t last_depth_ = 0;
  uint32_t last_liquidations_ = 0;
};

}  // namespace cascade::replay
