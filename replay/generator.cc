#include "replay/generator.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "engine/core/assert.h"
#include "engine/risk/bucket.h"

namespace cascade::replay {
namespace {

constexpr int64_t kTickNs = 100'000'000;  // the run phase's time grid
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr int64_t kE8 = kRateScale;
// Random streams, one per part of the scenario (Rng::Stream).
constexpr uint64_t kPopulationStream = 1;
constexpr uint64_t kTakerStream = 2;
constexpr uint64_t kIndexStreamBase = 100;

int64_t CeilDivPos(int128 a, int128 b) { return static_cast<int64_t>((a + b - 1) / b); }

int64_t MulDiv(int64_t a, int64_t b, int64_t c) {
  return static_cast<int64_t>(static_cast<int128>(a) * b / c);
}

NewOrder Order(uint32_t account, uint64_t id, SymbolId symbol, Side side, TimeInForce tif,
               int64_t price, int64_t qty, MarginMode margin) {
  NewOrder o;
  o.symbol = symbol;
  o.account = AccountId(account);
  o.order_id = OrderId(id);
  o.side = side;
  o.type = OrderType::kLimit;
  o.tif = tif;
  o.margin = margin;
  o.price = Price(price);
  o.qty = Qty(qty);
  return o;
}

}  // namespace

ScenarioGenerator::ScenarioGenerator(const Scenario& scenario)
    : s_(scenario),
      population_rng_(Rng::Stream(scenario.seed, kPopulationStream)),
      taker_rng_(Rng::Stream(scenario.seed, kTakerStream)) {
  setup_ts_ = s_.start_ns - kNsPerSecond;
  population_ = static_cast<uint64_t>(std::max<int64_t>(0, s_.population.buckets));
  std::vector<int64_t> shares;
  std::vector<int64_t> taker_shares;
  for (size_t i = 0; i < s_.symbols.size(); ++i) {
    const SymbolSpec& spec = s_.symbols[i];
    SymbolRun run;
    run.k = AtomsPerLotTick(spec.config);
    run.tiers = *risk::BuildTierTable(spec.config.risk);  // validated when loaded
    std::vector<int64_t> long_w;
    std::vector<int64_t> short_w;
    for (size_t c = 0; c < spec.clusters.size(); ++c) {
      if (spec.clusters[c].is_long) {
        long_w.push_back(spec.clusters[c].weight);
        run.long_cluster_ids.push_back(static_cast<int>(c));
      } else {
        short_w.push_back(spec.clusters[c].weight);
        run.short_cluster_ids.push_back(static_cast<int>(c));
      }
    }
    if (auto w = WeightedChoice::Create(long_w); w.ok()) run.long_clusters = *std::move(w);
    if (auto w = WeightedChoice::Create(short_w); w.ok()) run.short_clusters = *std::move(w);
    run.cumulative_depth = *PiecewiseLinear::Create({{0, 0},
                                                     {1'000, spec.depth.within_0_1pct},
                                                     {10'000, spec.depth.within_1pct},
                                                     {50'000, spec.depth.within_5pct}});
    run.price = spec.start_price;
    run.next_index_ns = s_.start_ns + spec.index.keyframes.front().step_ns;
    run.vol_window.push_back({s_.start_ns, run.price});
    run.momentum_window.push_back({s_.start_ns, run.price});
    run.late_done.assign(spec.late_entries.size(), 0);
    for (const LateEntrySpec& late : spec.late_entries)
      late_total_ += static_cast<uint64_t>(late.buckets);
    run.next_refresh.assign(static_cast<size_t>(s_.makers.per_symbol), s_.start_ns);
    run.refreshed_once.assign(static_cast<size_t>(s_.makers.per_symbol), false);
    runs_.push_back(std::move(run));
    index_rngs_.push_back(Rng::Stream(s_.seed, kIndexStreamBase + i));
    shares.push_back(spec.population_share);
    taker_shares.push_back(spec.taker_share);
  }
  if (auto c = WeightedChoice::Create(shares); c.ok()) symbol_choice_ = *std::move(c);
  if (auto c = WeightedChoice::Create(taker_shares); c.ok()) taker_symbol_choice_ = *std::move(c);
  maker_orders_.assign(s_.symbols.size() * 16, 0);
  taker_orders_.assign(static_cast<size_t>(std::max(1, s_.takers.accounts)), 0);
  for (size_t i = 0; i < runs_.size(); ++i) {
    runs_[i].next_taker_ns = s_.start_ns + TakerInterArrival(static_cast<int>(i));
  }
}

EngineConfig ScenarioGenerator::engine_config() const {
  uint64_t whales = 0;
  for (const SymbolSpec& spec : s_.symbols) whales += spec.whales.size();
  const uint64_t makers = s_.symbols.size() * static_cast<uint64_t>(s_.makers.per_symbol);
  const uint64_t takers = static_cast<uint64_t>(std::max(1, s_.takers.accounts));
  const uint64_t users = population_ + whales + late_total_ + makers + takers + 8;
  uint64_t ladder = 0;
  for (const SymbolSpec& spec : s_.symbols) ladder += 2 * spec.depth.ladder_ppm.size();
  EngineConfig c;
  c.max_symbols = 64;
  auto clamp = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, 1u << 31)); };
  c.max_accounts = clamp(users + 64);
  c.max_buckets = clamp(users + 64);
  // A population bucket holds at most two positions; others one per symbol.
  c.max_positions =
      clamp(2 * (population_ + whales) + (makers + takers + 4) * s_.symbols.size() + 256);
  // Live orders: every stop at once, plus each maker's ladder twice (cancel and re-post overlap).
  c.max_orders =
      clamp(2 * (population_ + whales) + 2 * ladder * std::max<uint64_t>(1, makers) + 4096);
  c.event_buffer_reserve = 1u << 16;
  return c;
}

AccountRole ScenarioGenerator::RoleOf(AccountId account) const noexcept {
  const uint32_t a = account.value();
  if (account == risk::kSystemAccount) return AccountRole::kSystem;
  if (a == kDeskAccount) return AccountRole::kDesk;
  if (a >= kMakerAccountBase && a < kMakerAccountBase + 16 * s_.symbols.size()) {
    return AccountRole::kMaker;
  }
  if (a >= kTakerAccountBase && a < kTakerAccountBase + static_cast<uint32_t>(s_.takers.accounts)) {
    return AccountRole::kTaker;
  }
  if (a >= kPopulationAccountBase && a < kPopulationAccountBase + population_) {
    return AccountRole::kPopulation;
  }
  if (a >= kPopulationAccountBase + population_ &&
      a < kPopulationAccountBase + population_ + whale_accounts_) {
    return AccountRole::kWhale;
  }
  if (a >= kPopulationAccountBase + population_ + whale_accounts_ &&
      a < kPopulationAccountBase + population_ + whale_accounts_ + late_total_) {
    return AccountRole::kPopulation;  // opened during the run
  }
  return AccountRole::kOther;
}

bool ScenarioGenerator::Next(Command& out) {
  while (pending_.empty()) {
    if (phase_ == Phase::kDone) return false;
    Refill();
  }
  out = pending_.front();
  pending_.pop_front();
  out.seq = SeqNo(++seq_);
  return true;
}

void ScenarioGenerator::Emit(int64_t ts, CommandBody body) {
  pending_.push_back(Command{SeqNo(0), Timestamp(ts), std::move(body)});
}

void ScenarioGenerator::Refill() {
  switch (phase_) {
    case Phase::kConfigure:
      EmitConfigure();
      phase_ = Phase::kPopulation;
      return;
    case Phase::kPopulation:
      if (next_bucket_ < population_) {
        EmitBucket(next_bucket_++);
        return;
      }
      {
        uint32_t account = kPopulationAccountBase + static_cast<uint32_t>(population_);
        for (size_t i = 0; i < s_.symbols.size(); ++i) {
          for (const WhaleSpec& w : s_.symbols[i].whales) {
            EmitWhale(static_cast<int>(i), w, account++);
            ++whale_accounts_;
          }
        }
      }
      phase_ = Phase::kReset;
      return;
    case Phase::kReset:
      // One lot at the start price, so that the last trade (which stop orders are checked
      // against) is where the market is, not at the last entry opened.
      for (size_t i = 0; i < s_.symbols.size(); ++i) {
        const SymbolId sym = s_.symbols[i].config.symbol;
        const int64_t p = s_.symbols[i].start_price;
        Emit(setup_ts_, Order(kTakerAccountBase, ++taker_orders_[0], sym, Side::kBuy,
                              TimeInForce::kGtc, p, 1, MarginMode::kCross));
        Emit(setup_ts_, Order(kDeskAccount, ++desk_order_, sym, Side::kSell, TimeInForce::kIoc, p,
                              1, MarginMode::kCross));
      }
      phase_ = Phase::kStops;
      return;
    case Phase::kStops:
      if (next_stop_ < stops_.size()) {
        const size_t end = std::min(stops_.size(), next_stop_ + 1024);
        for (; next_stop_ < end; ++next_stop_) {
          const Stop& st = stops_[next_stop_];
          NewOrder o =
              Order(st.account, st.order_id, SymbolId(st.symbol),
                    st.sell ? Side::kSell : Side::kBuy, TimeInForce::kGtc, 0, st.qty, st.margin);
          o.type = OrderType::kStopMarket;
          o.stop_price = Price(st.stop_price);
          o.reduce_only = true;
          Emit(setup_ts_, o);
        }
        return;
      }
      stops_.clear();
      stops_.shrink_to_fit();
      phase_ = Phase::kRun;
      tick_ = s_.start_ns;
      return;
    case Phase::kRun:
      if (tick_ + kTickNs > s_.start_ns + s_.duration_ns) {
        phase_ = Phase::kEnd;
        return;
      }
      tick_ += kTickNs;
      EmitTick();
      return;
    case Phase::kEnd:
      Emit(s_.start_ns + s_.duration_ns, Timer{});
      phase_ = Phase::kDone;
      return;
    case Phase::kDone:
      return;
  }
}

int64_t ScenarioGenerator::MeanPopulationNotional() const {
  // The mean of a piecewise-linear quantile function: the area under it.
  int128 area = 0;
  int64_t prev_p = 0;
  int64_t prev_v = s_.population.notional.Quantile(0);
  constexpr int kSteps = 1000;
  for (int i = 1; i <= kSteps; ++i) {
    const int64_t p = kPpm * i / kSteps;
    const int64_t v = s_.population.notional.Quantile(p);
    area += static_cast<int128>(p - prev_p) * (prev_v + v) / 2;
    prev_p = p;
    prev_v = v;
  }
  return static_cast<int64_t>(area / kPpm);
}

void ScenarioGenerator::EmitConfigure() {
  for (const SymbolSpec& spec : s_.symbols) Emit(setup_ts_, ConfigureSymbol{spec.config});
  for (const SymbolSpec& spec : s_.symbols) {
    Emit(setup_ts_, IndexPrice{spec.config.symbol, Price(spec.start_price)});
  }
  const SymbolId first = s_.symbols.front().config.symbol;
  if (s_.insurance_fund > 0) {
    Emit(setup_ts_,
         Deposit{risk::kSystemAccount, MarginMode::kCross, first, Atoms(s_.insurance_fund)});
  }
  // The desk takes the other side of every opening trade, so it ends up holding the population's
  // net exposure; it is funded far beyond that so that it is never the story.
  int64_t whale_notional = 0;
  for (const SymbolSpec& spec : s_.symbols) {
    for (const WhaleSpec& w : spec.whales) whale_notional += w.notional;
  }
  const int128 exposure = static_cast<int128>(MeanPopulationNotional()) *
                              static_cast<int128>(population_) *
                              (kPpm + s_.population.cross_share_ppm) / kPpm +
                          whale_notional;
  const int64_t desk = static_cast<int64_t>(
      std::min<int128>(3 * exposure + 10'000'000 * kAtomsPerUsd, int64_t{1} << 61));
  Emit(setup_ts_, Deposit{AccountId(kDeskAccount), MarginMode::kCross, first, Atoms(desk)});
  for (size_t i = 0; i < s_.symbols.size(); ++i) {
    const SymbolSpec& spec = s_.symbols[i];
    const int64_t per_maker =
        s_.makers.per_symbol > 0
            ? MulDiv(spec.depth.within_5pct, s_.makers.capital_multiple_ppm, kPpm) /
                      s_.makers.per_symbol +
                  1'000'000 * kAtomsPerUsd
            : 0;
    for (int m = 0; m < s_.makers.per_symbol; ++m) {
      const uint32_t account =
          kMakerAccountBase + static_cast<uint32_t>(i) * 16 + static_cast<uint32_t>(m);
      Emit(setup_ts_,
           Deposit{AccountId(account), MarginMode::kCross, spec.config.symbol, Atoms(per_maker)});
    }
  }
  // Takers: enough for a long run of one-sided trades at the largest sizes.
  const int64_t taker_capital =
      std::max<int64_t>(2'000'000 * kAtomsPerUsd, 50 * s_.takers.size.Quantile(990'000));
  for (int t = 0; t < std::max(1, s_.takers.accounts); ++t) {
    Emit(setup_ts_, Deposit{AccountId(kTakerAccountBase + static_cast<uint32_t>(t)),
                            MarginMode::kCross, first, Atoms(taker_capital)});
  }
}

int ScenarioGenerator::OtherSymbol(int symbol) {
  if (s_.symbols.size() < 2) return -1;
  for (int tries = 0; tries < 16; ++tries) {
    const int other = static_cast<int>(symbol_choice_.Sample(population_rng_));
    if (other != symbol) return other;
  }
  return symbol == 0 ? 1 : 0;
}

int64_t ScenarioGenerator::DepositFor(int symbol, bool is_long, int64_t qty, int64_t entry,
                                      int64_t desired, int64_t mark) const {
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  const RiskParams& r = spec.config.risk;
  const int64_t s0 = mark;
  const int128 n_entry = static_cast<int128>(qty) * entry * run.k;
  const int128 n_start = static_cast<int128>(qty) * s0 * run.k;
  // What the engine's order check wants (risk-model.md section 3): IM at the order price, the
  // loss of filling worse than the mark, and the fee.
  const int128 im = risk::InitialMargin(run.tiers, n_entry, 0);
  const int128 fee = CeilDivPos(n_entry * std::max(r.taker_fee, r.maker_fee), kE8) + 1;
  const int128 pnl_at_start = is_long ? static_cast<int128>(qty) * (s0 - entry) * run.k
                                      : static_cast<int128>(qty) * (entry - s0) * run.k;
  const int128 open_loss = std::max<int128>(0, -pnl_at_start);
  const int128 for_order = im + open_loss + fee + 1;
  // And not about to be liquidated: a bucket that close to its liquidation price at the start
  // would have been liquidated before the scenario began.
  const int128 mm = risk::MaintenanceMargin(run.tiers, n_start);
  const int128 buffer = n_start * s_.population.min_liquidation_distance_ppm / kPpm;
  const int128 for_survival = mm + buffer - pnl_at_start + fee + 1;
  return static_cast<int64_t>(
      std::max<int128>({static_cast<int128>(desired), for_order, for_survival}));
}

ScenarioGenerator::Leg ScenarioGenerator::DrawLeg(int symbol) {
  Rng& rng = population_rng_;
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  Leg leg;
  leg.symbol = symbol;
  leg.is_long = rng.Chance(spec.long_share_ppm);
  int64_t leverage = s_.population.leverage[s_.population.leverage_choice.Sample(rng)];
  const int64_t notional = std::max<int64_t>(1, s_.population.notional.Sample(rng));
  const WeightedChoice& clusters = leg.is_long ? run.long_clusters : run.short_clusters;
  const std::vector<int>& ids = leg.is_long ? run.long_cluster_ids : run.short_cluster_ids;
  int64_t entry = 0;
  int64_t liquidation = 0;
  if (clusters.size() > 0 && rng.Chance(spec.clustered_share_ppm)) {
    const ClusterSpec& c = spec.clusters[static_cast<size_t>(ids[clusters.Sample(rng)])];
    const int64_t center = MulDiv(c.price, kPpm + rng.Triangular(c.spread_ppm), kPpm);
    if (c.liquidation_anchor) {
      // Liquidation prices cluster where high leverage puts them (scenarios.md: L in {10, 25,
      // 50, 100}); a 2x position "liquidating at $85,000" would have been opened at $170,000.
      leverage = s_.population.anchor_leverage[s_.population.anchor_leverage_choice.Sample(rng)];
      // Long liquidation ~ entry * (1 - 1/L + mmr): solve for the entry (scenarios.md).
      liquidation = center;
      const int64_t mmr_ppm = run.tiers.mmr[0] / 100;
      const int64_t denom =
          leg.is_long ? kPpm - kPpm / leverage + mmr_ppm : kPpm + kPpm / leverage - mmr_ppm;
      entry = MulDiv(center, kPpm, std::max<int64_t>(1, denom));
    } else {
      entry = center;
    }
  } else {
    // Unclustered: entries spread around the start price.
    entry = MulDiv(spec.start_price, kPpm + rng.Triangular(s_.population.entry_spread_ppm), kPpm);
  }
  entry = std::clamp<int64_t>(entry, 1, spec.config.max_price.value());
  leg.entry = entry;
  leg.qty =
      std::max<int64_t>(1, static_cast<int64_t>(notional / (static_cast<int128>(entry) * run.k)));
  const int128 n_entry = static_cast<int128>(leg.qty) * entry * run.k;
  int64_t desired = CeilDivPos(n_entry, leverage);
  if (liquidation > 0) {
    // Equity at the liquidation price equals maintenance there.
    const int128 mm =
        risk::MaintenanceMargin(run.tiers, static_cast<int128>(leg.qty) * liquidation * run.k);
    const int128 loss = static_cast<int128>(leg.qty) *
                        (leg.is_long ? entry - liquidation : liquidation - entry) * run.k;
    desired = static_cast<int64_t>(std::max<int128>(1, mm + loss));
  }
  leg.deposit = DepositFor(symbol, leg.is_long, leg.qty, entry, desired, spec.start_price);
  return leg;
}

void ScenarioGenerator::EmitOpening(uint32_t account, MarginMode margin, const Leg& leg) {
  const SymbolId sym = s_.symbols[static_cast<size_t>(leg.symbol)].config.symbol;
  // The bucket rests its order at the entry and the desk takes it, so the position opens at
  // exactly that price through the real book (the book is otherwise empty during setup).
  const uint64_t id = leg.symbol == 0 ? 1 : 2;
  Emit(setup_ts_, Order(account, id, sym, leg.is_long ? Side::kBuy : Side::kSell, TimeInForce::kGtc,
                        leg.entry, leg.qty, margin));
  Emit(setup_ts_, Order(kDeskAccount, ++desk_order_, sym, leg.is_long ? Side::kSell : Side::kBuy,
                        TimeInForce::kIoc, leg.entry, leg.qty, MarginMode::kCross));
}

void ScenarioGenerator::MaybeStop(uint32_t account, MarginMode margin, const Leg& leg) {
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(leg.symbol)];
  if (spec.stops.share_ppm <= 0 || !population_rng_.Chance(spec.stops.share_ppm)) return;
  const int64_t round = spec.stops.round;
  const int64_t s0 = spec.start_price;
  int64_t stop = 0;
  if (leg.is_long) {
    // The first round number at least min_distance below the entry, and below the start price
    // (a sell stop at or above the last trade would trigger at once).
    const int64_t below =
        std::min(MulDiv(leg.entry, kPpm - spec.stops.min_distance_ppm, kPpm), s0 - 1);
    stop = below / round * round;
  } else {
    const int64_t above =
        std::max(MulDiv(leg.entry, kPpm + spec.stops.min_distance_ppm, kPpm), s0 + 1);
    stop = (above + round - 1) / round * round;
  }
  if (stop <= 0 || stop > spec.config.max_price.value()) return;
  const uint64_t id = 3 + static_cast<uint64_t>(leg.symbol);  // 1 and 2 open the positions
  stops_.push_back({account, id, spec.config.symbol.value(), margin, leg.is_long, leg.qty, stop});
}

void ScenarioGenerator::EmitBucket(uint64_t i) {
  Rng& rng = population_rng_;
  const uint32_t account = kPopulationAccountBase + static_cast<uint32_t>(i);
  const int symbol = static_cast<int>(symbol_choice_.Sample(rng));
  const int64_t u = static_cast<int64_t>(rng.Below(kPpm));
  MarginMode margin = MarginMode::kCross;
  bool second = false;
  if (u < s_.population.isolated_share_ppm) {
    margin = MarginMode::kIsolated;
  } else if (u < s_.population.isolated_share_ppm + s_.population.cross_share_ppm) {
    second = s_.symbols.size() >= 2;
  }
  const Leg first = DrawLeg(symbol);
  Leg other;
  if (second) other = DrawLeg(OtherSymbol(symbol));
  const SymbolId deposit_symbol = s_.symbols[static_cast<size_t>(symbol)].config.symbol;
  Emit(setup_ts_, Deposit{AccountId(account), margin, deposit_symbol,
                          Atoms(first.deposit + (second ? other.deposit : 0))});
  EmitOpening(account, margin, first);
  MaybeStop(account, margin, first);
  if (second) {
    EmitOpening(account, margin, other);
    MaybeStop(account, margin, other);
  }
}

void ScenarioGenerator::EmitWhale(int symbol, const WhaleSpec& whale, uint32_t account) {
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  Leg leg;
  leg.symbol = symbol;
  leg.is_long = whale.is_long;
  leg.entry = whale.entry;
  leg.qty = std::max<int64_t>(
      1, static_cast<int64_t>(whale.notional / (static_cast<int128>(whale.entry) * run.k)));
  const int128 mm =
      risk::MaintenanceMargin(run.tiers, static_cast<int128>(leg.qty) * whale.liquidation * run.k);
  const int128 loss =
      static_cast<int128>(leg.qty) *
      (whale.is_long ? whale.entry - whale.liquidation : whale.liquidation - whale.entry) * run.k;
  leg.deposit = DepositFor(symbol, leg.is_long, leg.qty, leg.entry,
                           static_cast<int64_t>(std::max<int128>(1, mm + loss)),
                           s_.symbols[static_cast<size_t>(symbol)].start_price);
  const SymbolId sym = s_.symbols[static_cast<size_t>(symbol)].config.symbol;
  Emit(setup_ts_, Deposit{AccountId(account), MarginMode::kCross, sym, Atoms(leg.deposit)});
  EmitOpening(account, MarginMode::kCross, leg);
}

// --- run phase -------------------------------------------------------------------------------

int64_t ScenarioGenerator::TakerInterArrival(int symbol) {
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  int64_t total_share = 0;
  for (const SymbolSpec& spec : s_.symbols) total_share += spec.taker_share;
  if (total_share <= 0 || s_.takers.accounts <= 0) return kNever;
  const int64_t share = s_.symbols[static_cast<size_t>(symbol)].taker_share;
  const int64_t multiplier = std::max<int64_t>(0, s_.takers.rate_vs_range.At(run.range_ppm));
  // Trades per second, times 1e6.
  const int128 rate_micro =
      static_cast<int128>(s_.takers.rate_milli) * 1000 * share / total_share * multiplier / kPpm;
  if (rate_micro <= 0) return kNever;
  const int64_t e = UnitExponentialPpm().Sample(taker_rng_);
  return std::max<int64_t>(
      1, static_cast<int64_t>(static_cast<int128>(e) * kNsPerSecond / rate_micro));
}

void ScenarioGenerator::StepIndex(int symbol, int64_t t) {
  SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  const std::vector<KeyframeSpec>& frames = spec.index.keyframes;
  const int64_t rel = t - s_.start_ns;
  while (run.segment + 1 < frames.size() && frames[run.segment + 1].t_ns <= rel) ++run.segment;
  const KeyframeSpec& a = frames[run.segment];
  int64_t base = a.price;
  if (run.segment + 1 < frames.size()) {
    const KeyframeSpec& b = frames[run.segment + 1];
    if (b.t_ns > a.t_ns) {
      base = a.price + static_cast<int64_t>(static_cast<int128>(b.price - a.price) *
                                            (rel - a.t_ns) / (b.t_ns - a.t_ns));
    }
  }
  Rng& rng = index_rngs_[static_cast<size_t>(symbol)];
  int64_t z = rng.Normalish(kPpm);  // standard normal, in ppm
  if (spec.index.follow >= 0) {
    const int64_t w = spec.index.follow_ppm;
    const int64_t rest = static_cast<int64_t>(ISqrt(static_cast<uint64_t>(kPpm * kPpm - w * w)));
    z = (w * runs_[static_cast<size_t>(spec.index.follow)].last_z + rest * z) / kPpm;
  }
  run.last_z = z;
  const int64_t eps =
      static_cast<int64_t>(static_cast<int128>(base) * a.noise_ppm * z / (kPpm * kPpm));
  run.noise = run.noise - MulDiv(run.noise, spec.index.reversion_ppm, kPpm) + eps;
  run.price = std::clamp<int64_t>(base + run.noise, 1, spec.config.max_price.value());
  run.next_index_ns = t + a.step_ns;

  // Realized range and direction over the volatility window; momentum for the takers.
  run.vol_window.push_back({t, run.price});
  while (run.vol_window.front().t < t - spec.depth.vol_window_ns) run.vol_window.pop_front();
  int64_t lo = run.price;
  int64_t hi = run.price;
  for (const WindowPoint& p : run.vol_window) {
    lo = std::min(lo, p.price);
    hi = std::max(hi, p.price);
  }
  run.range_ppm = MulDiv(hi - lo, kPpm, run.price);
  run.window_return_ppm = MulDiv(run.price - run.vol_window.front().price, kPpm, run.price);
  run.momentum_window.push_back({t, run.price});
  while (run.momentum_window.front().t < t - s_.takers.momentum_ns) run.momentum_window.pop_front();
  run.momentum_ppm = MulDiv(run.price - run.momentum_window.front().price, kPpm, run.price);

  // Depth: makers pull at once when volatility rises and refill over refill_s when it calms.
  if (spec.depth.source == DepthSource::kBinanceOct10) {
    run.bid_fraction = spec.depth.bid_curve.At(rel);
    run.ask_fraction = spec.depth.ask_curve.At(rel);
  } else {
    const int64_t pressed = spec.depth.pressed.At(run.range_ppm);
    const int64_t other = spec.depth.other.At(run.range_ppm);
    const bool falling = run.window_return_ppm < 0;
    const int64_t refill = std::max<int64_t>(1, MulDiv(kPpm, a.step_ns, spec.depth.refill_ns));
    auto approach = [&](int64_t& f, int64_t target) {
      f = target < f ? target : std::min(target, f + refill);
    };
    approach(run.bid_fraction, falling ? pressed : other);
    approach(run.ask_fraction, falling ? other : pressed);
  }
}

void ScenarioGenerator::EmitLadder(int symbol, int maker, int64_t t) {
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  const uint32_t account =
      kMakerAccountBase + static_cast<uint32_t>(symbol) * 16 + static_cast<uint32_t>(maker);
  const SymbolId sym = spec.config.symbol;
  uint64_t& next_id = maker_orders_[static_cast<size_t>(symbol) * 16 + static_cast<size_t>(maker)];
  tick_commands_.push_back(
      Command{SeqNo(0), Timestamp(t), MassCancel{AccountId(account), false, sym}});
  const std::vector<int64_t>& ladder = spec.depth.ladder_ppm;
  const int64_t center = run.price;
  for (int side = 0; side < 2; ++side) {
    const bool bid = side == 0;
    const int64_t fraction = bid ? run.bid_fraction : run.ask_fraction;
    int64_t prev_boundary = 0;
    int64_t prev_price = bid ? std::numeric_limits<int64_t>::max() : 0;
    for (size_t i = 0; i < ladder.size(); ++i) {
      // Level i stands for the depth between the midpoints to its neighbours.
      const int64_t boundary = i + 1 < ladder.size() ? (ladder[i] + ladder[i + 1]) / 2 : ladder[i];
      const int64_t band =
          run.cumulative_depth.At(boundary) - run.cumulative_depth.At(prev_boundary);
      prev_boundary = boundary;
      const int64_t offset = std::max<int64_t>(1, MulDiv(center, ladder[i], kPpm));
      int64_t price = bid ? center - offset : center + offset;
      // Keep levels strictly apart (several distances may round to the same tick).
      price = bid ? std::min(price, prev_price - 1) : std::max(price, prev_price + 1);
      if (price < 1 || price > spec.config.max_price.value()) continue;
      prev_price = price;
      const int128 atoms =
          static_cast<int128>(band) * fraction / kPpm / std::max(1, s_.makers.per_symbol);
      const int64_t qty = static_cast<int64_t>(atoms / (static_cast<int128>(price) * run.k));
      if (qty <= 0) continue;
      NewOrder o = Order(account, ++next_id, sym, bid ? Side::kBuy : Side::kSell, TimeInForce::kGtc,
                         price, qty, MarginMode::kCross);
      o.stp = StpMode::kCancelMaker;
      tick_commands_.push_back(Command{SeqNo(0), Timestamp(t), o});
    }
  }
}

void ScenarioGenerator::EmitTaker(int symbol, int64_t t) {
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  const SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  Rng& rng = taker_rng_;
  const uint32_t taker =
      static_cast<uint32_t>(rng.Below(static_cast<uint64_t>(s_.takers.accounts)));
  const bool sell = rng.Chance(s_.takers.sell_vs_return.At(run.momentum_ppm));
  const int64_t atoms = s_.takers.size.Sample(rng);
  const int64_t qty =
      std::max<int64_t>(1, static_cast<int64_t>(atoms / (static_cast<int128>(run.price) * run.k)));
  const int64_t limit = sell ? MulDiv(run.price, kPpm - s_.takers.aggression_ppm, kPpm)
                             : MulDiv(run.price, kPpm + s_.takers.aggression_ppm, kPpm);
  NewOrder o =
      Order(kTakerAccountBase + taker, ++taker_orders_[taker], spec.config.symbol,
            sell ? Side::kSell : Side::kBuy, TimeInForce::kIoc,
            std::clamp<int64_t>(limit, 1, spec.config.max_price.value()), qty, MarginMode::kCross);
  tick_commands_.push_back(Command{SeqNo(0), Timestamp(t), o});
}

void ScenarioGenerator::EmitLateEntries(int symbol, int64_t t) {
  const SymbolSpec& spec = s_.symbols[static_cast<size_t>(symbol)];
  SymbolRun& run = runs_[static_cast<size_t>(symbol)];
  Rng& rng = population_rng_;
  for (size_t e = 0; e < spec.late_entries.size(); ++e) {
    const LateEntrySpec& late = spec.late_entries[e];
    const int64_t elapsed = t - s_.start_ns - late.t_ns;
    if (elapsed < 0 || run.late_done[e] >= late.buckets) continue;
    const int64_t due = std::min<int64_t>(
        late.buckets,
        static_cast<int64_t>(static_cast<int128>(late.buckets) * elapsed / late.spread_ns) + 1);
    for (; run.late_done[e] < due; ++run.late_done[e]) {
      const uint32_t account = kPopulationAccountBase + static_cast<uint32_t>(population_) +
                               whale_accounts_ + next_late_account_++;
      // Momentum traders and dip buyers, at high leverage. Like the setup's positions they open
      // at the index against the desk (the rest of the market): in the worst minutes the book
      // here has no bids left to short into.
      const int64_t leverage =
          s_.population.anchor_leverage[s_.population.anchor_leverage_choice.Sample(rng)];
      const int64_t notional = std::max<int64_t>(1, s_.population.notional.Sample(rng));
      const int64_t limit = run.price;
      const int64_t qty = std::max<int64_t>(
          1, static_cast<int64_t>(notional / (static_cast<int128>(run.price) * run.k)));
      const int64_t desired = CeilDivPos(static_cast<int128>(qty) * run.price * run.k, leverage);
      const int64_t deposit = DepositFor(symbol, late.is_long, qty, limit, desired, run.price);
      tick_commands_.push_back(Command{
          SeqNo(0), Timestamp(t),
          Deposit{AccountId(account), MarginMode::kCross, spec.config.symbol, Atoms(deposit)}});
      tick_commands_.push_back(
          Command{SeqNo(0), Timestamp(t),
                  Order(account, 1, spec.config.symbol, late.is_long ? Side::kBuy : Side::kSell,
                        TimeInForce::kGtc, limit, qty, MarginMode::kCross)});
      tick_commands_.push_back(Command{SeqNo(0), Timestamp(t),
                                       Order(kDeskAccount, ++desk_order_, spec.config.symbol,
                                             late.is_long ? Side::kSell : Side::kBuy,
                                             TimeInForce::kIoc, limit, qty, MarginMode::kCross)});
    }
  }
}

void ScenarioGenerator::EmitTick() {
  const int64_t t = tick_;
  tick_commands_.clear();
  const int n = static_cast<int>(s_.symbols.size());
  // Takers arriving during (t - tick, t], at their own timestamps, on the market as it was.
  for (int i = 0; i < n; ++i) {
    SymbolRun& run = runs_[static_cast<size_t>(i)];
    while (run.next_taker_ns <= t) {
      EmitTaker(i, run.next_taker_ns);
      const int64_t gap = TakerInterArrival(i);
      run.next_taker_ns = gap == kNever ? kNever : run.next_taker_ns + gap;
    }
  }
  for (int i = 0; i < n; ++i) {
    SymbolRun& run = runs_[static_cast<size_t>(i)];
    if (run.next_index_ns > t) continue;
    StepIndex(i, t);
    tick_commands_.push_back(
        Command{SeqNo(0), Timestamp(t),
                IndexPrice{s_.symbols[static_cast<size_t>(i)].config.symbol, Price(run.price)}});
    if (run.next_taker_ns == kNever) {
      const int64_t gap = TakerInterArrival(i);
      if (gap != kNever) run.next_taker_ns = t + gap;
    }
  }
  for (int i = 0; i < n; ++i) EmitLateEntries(i, t);
  while (next_funding_ < s_.funding.size() && s_.start_ns + s_.funding[next_funding_].t_ns <= t) {
    const FundingSpec& f = s_.funding[next_funding_++];
    tick_commands_.push_back(
        Command{SeqNo(0), Timestamp(t),
                FundingRate{s_.symbols[static_cast<size_t>(f.symbol)].config.symbol, f.rate}});
  }
  for (int i = 0; i < n; ++i) {
    SymbolRun& run = runs_[static_cast<size_t>(i)];
    const bool stressed = std::min(run.bid_fraction, run.ask_fraction) < kPpm / 2;
    for (int m = 0; m < s_.makers.per_symbol; ++m) {
      const size_t mi = static_cast<size_t>(m);
      if (run.next_refresh[mi] > t) continue;
      EmitLadder(i, m, t);
      const int64_t interval = stressed ? s_.makers.refresh_stressed_ns : s_.makers.refresh_ns;
      if (!run.refreshed_once[mi]) {
        // Stagger the makers so that one of them is always quoting while another re-posts.
        run.refreshed_once[mi] = true;
        run.next_refresh[mi] = t + interval * (m + 1) / s_.makers.per_symbol;
      } else {
        run.next_refresh[mi] = t + interval;
      }
    }
  }
  std::stable_sort(tick_commands_.begin(), tick_commands_.end(),
                   [](const Command& a, const Command& b) { return a.ts < b.ts; });
  for (Command& c : tick_commands_) pending_.push_back(std::move(c));
}

}  // namespace cascade::replay
