#pragma once

// The scenario generator: turns a Scenario and its seed into the input command stream, one
// command at a time, so that populations of millions of buckets never sit in memory as commands.
//
// The stream is open-loop: it is a function of the scenario and the seed only, never of what the
// engine does with it. Liquidations, cascade generations, insurance-fund use and ADL are not in
// it; they come out of the engine when the stream is applied.
//
//   setup (at start - 1 s)   symbols, index, deposits (insurance fund, desk, makers, takers,
//                            population), every population position opened by a real trade
//                            against the counterparty desk at its entry price, a 1-lot trade at
//                            the start price, the population's stop orders
//   run (100 ms ticks)       index updates, market-maker ladders (mass cancel + re-post, thinner
//                            as realized volatility rises), background takers, funding
//   end                      a timer at start + duration

#include <cstdint>
#include <deque>
#include <vector>

#include "engine/core/command.h"
#include "engine/engine.h"
#include "engine/risk/margin.h"
#include "replay/prng.h"
#include "replay/scenario.h"

namespace cascade::replay {

// Who an account is in a generated scenario (reports tell the population apart from the rest).
enum class AccountRole : uint8_t { kSystem, kDesk, kMaker, kTaker, kPopulation, kWhale, kOther };

inline constexpr uint32_t kDeskAccount = 1;
inline constexpr uint32_t kMakerAccountBase = 10;            // + symbol index * 16 + maker
inline constexpr uint32_t kTakerAccountBase = 2'000;         // + taker
inline constexpr uint32_t kPopulationAccountBase = 200'000;  // + bucket; whales follow

class ScenarioGenerator {
 public:
  // `scenario` must outlive the generator.
  explicit ScenarioGenerator(const Scenario& scenario);

  // The next command (sequence numbers from 1, timestamps non-decreasing); false at the end.
  bool Next(Command& out);

  // Pools sized for this scenario's population, orders and events.
  [[nodiscard]] EngineConfig engine_config() const;
  [[nodiscard]] AccountRole RoleOf(AccountId account) const noexcept;
  [[nodiscard]] uint64_t population_buckets() const noexcept { return population_; }
  [[nodiscard]] int64_t setup_ts() const noexcept { return setup_ts_; }

 private:
  enum class Phase : uint8_t { kConfigure, kPopulation, kReset, kStops, kRun, kEnd, kDone };

  struct Leg {
    int symbol = 0;
    bool is_long = true;
    int64_t qty = 0;    // lots
    int64_t entry = 0;  // ticks
    int64_t deposit = 0;
  };
  struct Stop {
    uint32_t account = 0;
    uint64_t order_id = 0;
    uint32_t symbol = 0;
    MarginMode margin = MarginMode::kCross;
    bool sell = true;
    int64_t qty = 0;
    int64_t stop_price = 0;
  };
  struct WindowPoint {
    int64_t t = 0;
    int64_t price = 0;
  };
  struct SymbolRun {
    int64_t k = 0;
    risk::TierTable tiers;
    WeightedChoice long_clusters;
    WeightedChoice short_clusters;
    std::vector<int> long_cluster_ids;
    std::vector<int> short_cluster_ids;
    PiecewiseLinear cumulative_depth;  // distance ppm -> cumulative atoms per side
    // Index path.
    size_t segment = 0;
    int64_t next_index_ns = 0;
    int64_t price = 0;
    int64_t noise = 0;
    int64_t last_z = 0;
    std::deque<WindowPoint> vol_window;
    std::deque<WindowPoint> momentum_window;
    int64_t range_ppm = 0;
    int64_t window_return_ppm = 0;
    int64_t momentum_ppm = 0;
    int64_t bid_fraction = kPpm;
    int64_t ask_fraction = kPpm;
    // Makers and takers.
    std::vector<int64_t> late_done;  // per late entry: buckets opened so far
    std::vector<int64_t> next_refresh;
    std::vector<bool> refreshed_once;
    int64_t next_taker_ns = 0;
  };

  void Emit(int64_t ts, CommandBody body);
  void Refill();
  void EmitConfigure();
  void EmitBucket(uint64_t i);
  void EmitWhale(int symbol, const WhaleSpec& whale, uint32_t account);
  void EmitOpening(uint32_t account, MarginMode margin, const Leg& leg);
  void MaybeStop(uint32_t account, MarginMode margin, const Leg& leg);
  Leg DrawLeg(int symbol);
  // The deposit a position needs to open (IM at the order price, the loss of filling worse than
  // `mark`, the fee) and to start at least min_liquidation_distance from liquidation at `mark`,
  // and at least `desired`.
  int64_t DepositFor(int symbol, bool is_long, int64_t qty, int64_t entry, int64_t desired,
                     int64_t mark) const;
  void EmitLateEntries(int symbol, int64_t t);
  void EmitTick();
  void StepIndex(int symbol, int64_t t);
  void EmitLadder(int symbol, int maker, int64_t t);
  void EmitTaker(int symbol, int64_t t);
  [[nodiscard]] int64_t TakerInterArrival(int symbol);
  [[nodiscard]] int64_t MeanPopulationNotional() const;
  [[nodiscard]] int OtherSymbol(int symbol);

  const Scenario& s_;
  std::vector<SymbolRun> runs_;
  Rng population_rng_;
  Rng taker_rng_;
  std::vector<Rng> index_rngs_;
  WeightedChoice symbol_choice_;
  WeightedChoice taker_symbol_choice_;
  Phase phase_ = Phase::kConfigure;
  std::deque<Command> pending_;
  uint64_t seq_ = 0;
  int64_t setup_ts_ = 0;
  uint64_t population_ = 0;
  uint64_t next_bucket_ = 0;
  uint32_t whale_accounts_ = 0;
  uint32_t next_late_account_ = 0;
  uint64_t late_total_ = 0;
  std::vector<Stop> stops_;
  size_t next_stop_ = 0;
  uint64_t desk_order_ = 0;
  std::vector<uint64_t> maker_orders_;
  std::vector<uint64_t> taker_orders_;
  int64_t tick_ = 0;  // run phase: the end of the current 100 ms tick
  size_t next_funding_ = 0;
  std::vector<Command> tick_commands_;
};

}  // namespace cascade::replay
