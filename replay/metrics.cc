#include "replay/metrics.h"

#include <algorithm>
#include <array>
#include <limits>
#include <type_traits>

#include "engine/core/checked_math.h"

namespace cascade::replay {
namespace {

int64_t Abs64(int64_t v) { return v < 0 ? -v : v; }

int64_t Clamp64(int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

uint64_t Key(BucketId bucket, SymbolId symbol) {
  return (uint64_t{bucket.value()} << 32) | symbol.value();
}

constexpr size_t kDepthLevels = 512;

}  // namespace

void GenerationStats::Add(const GenerationStats& o) {
  liquidations += o.liquidations;
  calls += o.calls;
  accounts += o.accounts;
  notional += o.notional;
  long_notional += o.long_notional;
  book += o.book;
  fund += o.fund;
  adl += o.adl;
  book_fills += o.book_fills;
  takeovers += o.takeovers;
  adl_legs += o.adl_legs;
  bad_debts += o.bad_debts;
  bad_debt += o.bad_debt;
  fees_to_fund += o.fees_to_fund;
  fund_paid += o.fund_paid;
}

double Episode::Amplification() const {
  if (generations.empty() || generations[0].notional <= 0) return 0.0;
  return static_cast<double>(total.notional) / static_cast<double>(generations[0].notional);
}

CascadeMeter::CascadeMeter(const MeterOptions& options) : options_(options) {
  next_sample_ns_ = std::numeric_limits<int64_t>::min();
}

uint32_t CascadeMeter::Slot(SymbolId symbol) {
  auto [it, inserted] = slot_of_.try_emplace(symbol.value(), static_cast<uint32_t>(state_.size()));
  if (inserted) {
    state_.push_back({});
    SymbolInfo info;
    info.symbol = symbol;
    summary_.symbols.push_back(info);
  }
  return it->second;
}

GenerationStats& CascadeMeter::Gen(std::vector<GenerationStats>& gens, uint32_t round) {
  while (gens.size() <= round) {
    gens.emplace_back();
    gens.back().round = static_cast<uint32_t>(gens.size() - 1);
  }
  return gens[round];
}

int64_t CascadeMeter::FundEquity(const Engine& engine) const {
  const risk::RiskEngine& risk = engine.risk();
  std::array<uint32_t, 64> seen{};
  size_t n = 0;
  int128 equity = 0;
  for (const SymbolInfo& info : summary_.symbols) {
    const BucketId fund = risk.InsuranceFund(info.symbol);
    if (fund == risk::kNoBucket || fund.value() == 0) continue;
    if (std::find(seen.begin(), seen.begin() + static_cast<long>(n), fund.value()) !=
        seen.begin() + static_cast<long>(n)) {
      continue;
    }
    if (n < seen.size()) seen[n++] = fund.value();
    equity += risk.GetMargins(fund).equity;
  }
  return Clamp64(equity);
}

void CascadeMeter::StartEpisode(const Command& command, int64_t fund_before) {
  episode_ = OpenEpisode{};
  episode_.open = true;
  Episode& e = episode_.e;
  e.id = static_cast<uint32_t>(summary_.episodes.size() + 1);
  e.first_trigger_ns = command.ts.value();
  e.first_seq = command.seq.value();
  e.fund_before = fund_before;
  e.fund_low = fund_before;
  for (size_t i = 0; i < state_.size(); ++i) {
    SymbolMove m;
    m.symbol = summary_.symbols[i].symbol;
    m.mark_before = m.mark_low = m.mark_high = state_[i].mark;
    m.index_before = m.index_low = m.index_high = state_[i].index;
    e.moves.push_back(m);
  }
}

void CascadeMeter::CloseEpisode() {
  if (!episode_.open) return;
  Episode& e = episode_.e;
  // The largest liquidation: one bucket's notional over the episode (partial steps and retries
  // of one liquidation add up).
  for (const auto& [bucket, notional] : episode_.notional_by_bucket) {
    if (notional > summary_.largest_liquidation ||
        (notional == summary_.largest_liquidation && bucket < largest_bucket_)) {
      summary_.largest_liquidation = notional;
      largest_bucket_ = bucket;
      const auto it = bucket_account_.find(bucket);
      summary_.largest_account = AccountId(it != bucket_account_.end() ? it->second : 0);
    }
  }
  e.accounts = episode_.accounts.size();
  for (size_t r = 0; r < e.generations.size() && r < episode_.generation_accounts.size(); ++r) {
    e.generations[r].accounts = episode_.generation_accounts[r].size();
  }
  e.total.accounts = e.accounts;
  e.fund_after = fund_equity_;
  summary_.episodes.push_back(std::move(e));
  episode_ = OpenEpisode{};
}

void CascadeMeter::Observe(const Command& command, std::span<const Event> events,
                           const Engine& engine) {
  const int64_t ts = command.ts.value();
  if (summary_.commands == 0) summary_.first_ts = ts;
  ++summary_.commands;
  summary_.events += events.size();
  summary_.last_ts = ts;
  if (episode_.open && ts - last_liquidation_ns_ >= options_.episode_gap_ns) CloseEpisode();
  if (const auto* index = std::get_if<IndexPrice>(&command.body)) {
    if (auto it = slot_of_.find(index->symbol.value()); it != slot_of_.end()) {
      state_[it->second].index = index->price.value();
    }
  }

  bool liquidated = false;
  uint32_t max_round = 0;
  bool risk_events = false;
  last_liquidations_ = 0;
  for (const Event& e : events) {
    if (const auto* call = std::get_if<MarginCall>(&e.body)) {
      liquidated = true;
      max_round = std::max(max_round, call->round);
      ++last_liquidations_;
    }
  }
  if (liquidated && !episode_.open) StartEpisode(command, fund_equity_);

  auto account = [&](uint32_t round, SymbolId symbol, int64_t notional, bool is_long, FillKind kind,
                     int64_t price, BucketId bucket) {
    const uint32_t slot = Slot(symbol);
    auto add = [&](GenerationStats& g) {
      g.notional += notional;
      if (is_long) g.long_notional += notional;
      switch (kind) {
        case FillKind::kBook:
          g.book += notional;
          ++g.book_fills;
          break;
        case FillKind::kTakeover:
          g.fund += notional;
          ++g.takeovers;
          break;
        case FillKind::kAdl:
          g.adl += notional;
          ++g.adl_legs;
          break;
      }
    };
    add(Gen(summary_.generations, round));
    add(summary_.total);
    add(summary_.symbols[slot].total);
    if (episode_.open) {
      add(Gen(episode_.e.generations, round));
      add(episode_.e.total);
      if (slot < episode_.e.moves.size()) {
        episode_.e.moves[slot].notional += notional;
        if (is_long) episode_.e.moves[slot].long_notional += notional;
      }
    }
    if (episode_.open) episode_.notional_by_bucket[bucket.value()] += notional;
    if (summary_.markers.size() < options_.max_markers) {
      summary_.markers.push_back({ts, slot, round, kind, is_long, price, notional});
    }
  };
  auto side_of = [&](BucketId bucket, SymbolId symbol) {
    const auto it = long_of_.find(Key(bucket, symbol));
    if (it != long_of_.end()) return it->second;
    // Its order was in an earlier sweep of another symbol (or never sent): the position, if any
    // is left, tells; a liquidated bucket is otherwise most likely long in a sell-off.
    const risk::PositionView p = engine.risk().GetPosition(bucket, symbol);
    return p.size.value() >= 0;
  };

  for (const Event& e : events) {
    std::visit(
        [&](const auto& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, SymbolConfigured>) {
            const uint32_t slot = Slot(ev.symbol);
            SymbolInfo& info = summary_.symbols[slot];
            info.k = ev.atoms_per_lot_tick;
            if (const SymbolConfig* c = engine.Symbol(ev.symbol)) {
              info.name = std::string(c->name.data(), strnlen(c->name.data(), c->name.size()));
              info.tick_size_nanos = c->tick_size_nanos;
              info.lot_size_nanos = c->lot_size_nanos;
            }
          } else if constexpr (std::is_same_v<T, CommandRejected>) {
            ++summary_.rejects;
          } else if constexpr (std::is_same_v<T, Trade>) {
            ++summary_.trades;
          } else if constexpr (std::is_same_v<T, OrderTriggered>) {
            ++summary_.stops_triggered;
          } else if constexpr (std::is_same_v<T, FundingPayment>) {
            ++summary_.funding_payments;
            risk_events = true;
          } else if constexpr (std::is_same_v<T, BalanceChanged>) {
            risk_events = true;
          } else if constexpr (std::is_same_v<T, MarkUpdated>) {
            SymbolState& st = state_[Slot(ev.symbol)];
            st.mark = ev.mark.value();
            st.effective = ev.index.value();
            risk_events = true;
          } else if constexpr (std::is_same_v<T, MarginCall>) {
            risk_events = true;
            GenerationStats& g = Gen(summary_.generations, ev.round);
            ++g.calls;
            ++summary_.total.calls;
            ++Gen(episode_.e.generations, ev.round).calls;
            ++episode_.e.total.calls;
            // A bucket liquidated again in the same episode (a retry, a partial step) is the
            // same liquidation; it counts once, in the generation it started in.
            if (!episode_.buckets.insert(ev.bucket.value()).second) return;
            ++g.liquidations;
            ++summary_.total.liquidations;
            ++summary_.symbols[Slot(ev.symbol)].total.liquidations;
            if (generation_accounts_.size() <= ev.round) generation_accounts_.resize(ev.round + 1);
            generation_accounts_[ev.round].insert(ev.account.value());
            g.accounts = generation_accounts_[ev.round].size();
            accounts_.insert(ev.account.value());
            summary_.accounts = accounts_.size();
            summary_.total.accounts = accounts_.size();
            bucket_account_[ev.bucket.value()] = ev.account.value();
            ++Gen(episode_.e.generations, ev.round).liquidations;
            ++episode_.e.total.liquidations;
            if (episode_.generation_accounts.size() <= ev.round) {
              episode_.generation_accounts.resize(ev.round + 1);
            }
            episode_.generation_accounts[ev.round].insert(ev.account.value());
            episode_.accounts.insert(ev.account.value());
          } else if constexpr (std::is_same_v<T, LiquidationOrder>) {
            long_of_[Key(ev.bucket, ev.symbol)] = ev.side == Side::kSell;
          } else if constexpr (std::is_same_v<T, LiquidationFill>) {
            risk_events = true;
            const bool is_long = side_of(ev.bucket, ev.symbol);
            account(ev.round, ev.symbol, Abs64(ev.quote.value()), is_long, FillKind::kBook,
                    ev.price.value(), ev.bucket);
            auto fees = [&](GenerationStats& g) {
              g.fees_to_fund += ev.fee_to_fund.value();
              g.fund_paid += ev.fund_paid.value();
            };
            fees(Gen(summary_.generations, ev.round));
            fees(summary_.total);
            if (episode_.open) {
              fees(Gen(episode_.e.generations, ev.round));
              fees(episode_.e.total);
            }
          } else if constexpr (std::is_same_v<T, Takeover>) {
            risk_events = true;
            const bool is_long = ev.qty.value() > 0;
            long_of_[Key(ev.bucket, ev.symbol)] = is_long;
            const int64_t lots = Abs64(ev.qty.value());
            const int64_t k = summary_.symbols[Slot(ev.symbol)].k;
            const int64_t price =
                lots > 0 && k > 0 ? Abs64(ev.bankruptcy_quote.value()) / (lots * k) : 0;
            account(ev.round, ev.symbol, Abs64(ev.bankruptcy_quote.value()), is_long,
                    FillKind::kTakeover, price, ev.bucket);
          } else if constexpr (std::is_same_v<T, AdlFill>) {
            risk_events = true;
            account(ev.round, ev.symbol, Abs64(ev.quote.value()), side_of(ev.bucket, ev.symbol),
                    FillKind::kAdl, ev.price.value(), ev.bucket);
          } else if constexpr (std::is_same_v<T, BadDebt>) {
            risk_events = true;
            auto add = [&](GenerationStats& g) {
              ++g.bad_debts;
              g.bad_debt += ev.amount.value();
            };
            add(Gen(summary_.generations, ev.round));
            add(summary_.total);
            if (episode_.open) {
              add(Gen(episode_.e.generations, ev.round));
              add(episode_.e.total);
            }
          }
        },
        e.body);
  }

  const uint32_t depth = liquidated ? max_round + 1 : 0;
  last_depth_ = depth;
  if (summary_.depth_histogram.size() <= depth) summary_.depth_histogram.resize(depth + 1, 0);
  ++summary_.depth_histogram[depth];
  if (liquidated) {
    if (depth > summary_.max_depth) {
      summary_.max_depth = depth;
      summary_.deepest_seq = command.seq.value();
    }
    Episode& e = episode_.e;
    if (depth > e.depth) {
      e.depth = depth;
      e.deepest_seq = command.seq.value();
    }
    ++e.commands;
    e.last_liquidation_ns = ts;
    e.last_seq = command.seq.value();
    last_liquidation_ns_ = ts;
  }

  if (risk_events || !fund_known_) {
    fund_equity_ = FundEquity(engine);
    if (!fund_known_ || ts < options_.sample_from_ns) {
      summary_.fund_start = summary_.fund_low = fund_high_ = fund_equity_;
    }
    fund_known_ = true;
    summary_.fund_low = std::min(summary_.fund_low, fund_equity_);
    fund_high_ = std::max(fund_high_, fund_equity_);
    summary_.fund_max_drawdown = std::max(summary_.fund_max_drawdown, fund_high_ - fund_equity_);
  }
  if (episode_.open) {
    Episode& e = episode_.e;
    e.fund_low = std::min(e.fund_low, fund_equity_);
    for (size_t i = 0; i < e.moves.size() && i < state_.size(); ++i) {
      SymbolMove& m = e.moves[i];
      const SymbolState& st = state_[i];
      if (st.mark > 0) {
        m.mark_low = m.mark_low == 0 ? st.mark : std::min(m.mark_low, st.mark);
        m.mark_high = std::max(m.mark_high, st.mark);
      }
      if (st.index > 0) {
        m.index_low = m.index_low == 0 ? st.index : std::min(m.index_low, st.index);
        m.index_high = std::max(m.index_high, st.index);
      }
    }
  }
  if (ts >= options_.sample_from_ns && ts >= next_sample_ns_) {
    TakeSample(ts, engine);
    const int64_t interval = std::max<int64_t>(1, options_.sample_interval_ns);
    next_sample_ns_ = (ts / interval + 1) * interval;
  }
}

void CascadeMeter::TakeSample(int64_t ts, const Engine& engine) {
  Sample s;
  s.ts = ts;
  s.fund_equity = fund_equity_;
  s.liquidated = summary_.total.notional;
  std::array<LevelView, kDepthLevels> levels;
  for (size_t i = 0; i < state_.size(); ++i) {
    const SymbolId symbol = summary_.symbols[i].symbol;
    const int64_t k = summary_.symbols[i].k;
    SymbolSample x;
    x.index = state_[i].index;
    x.effective = state_[i].effective;
    x.mark = state_[i].mark;
    if (auto b = engine.BestBid(symbol)) x.bid = b->price.value();
    if (auto a = engine.BestAsk(symbol)) x.ask = a->price.value();
    const int64_t mid = x.bid > 0 && x.ask > 0 ? x.bid + (x.ask - x.bid) / 2
                                               : (x.mark > 0 ? x.mark : std::max(x.bid, x.ask));
    if (mid > 0) {
      for (Side side : {Side::kBuy, Side::kSell}) {
        const size_t n = engine.Depth(symbol, side, levels);
        int64_t within1 = 0;
        int64_t within5 = 0;
        for (size_t j = 0; j < n; ++j) {
          const int64_t distance = Abs64(levels[j].price.value() - mid);
          const int64_t notional =
              Clamp64(static_cast<int128>(levels[j].qty.value()) * levels[j].price.value() * k);
          if (distance * 100 <= mid) within1 += notional;
          if (distance * 20 <= mid) within5 += notional;
        }
        (side == Side::kBuy ? x.bids_1pct : x.asks_1pct) = within1;
        (side == Side::kBuy ? x.bids_5pct : x.asks_5pct) = within5;
      }
    }
    s.symbols.push_back(x);
  }
  summary_.samples.push_back(std::move(s));
}

void CascadeMeter::Finish(const Engine& engine) {
  CloseEpisode();
  fund_equity_ = FundEquity(engine);
  summary_.fund_end = fund_equity_;
  summary_.fund_low = std::min(summary_.fund_low, fund_equity_);
  if (summary_.commands > 0 &&
      (summary_.samples.empty() || summary_.samples.back().ts != summary_.last_ts)) {
    TakeSample(summary_.last_ts, engine);
  }
}

}  // namespace cascade::replay
