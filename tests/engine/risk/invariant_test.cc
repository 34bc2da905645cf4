// risk-model.md section 9 checked after every event of long seeded random streams: leveraged
// users trading against a market maker whose book thins out and empties, mark crashes of 30-50%
// within seconds, funding, deposits and withdrawals, a small insurance fund that runs dry, ADL.
#include <gtest/gtest.h>

#include <cstdlib>

#include "engine/core/digest.h"
#include "engine/risk/invariants.h"
#include "engine/risk/presets.h"
#include "tests/engine/risk/risk_test_util.h"

namespace cascade::risk {
namespace {

using testing::BtcConfig;
using testing::Driver;
using testing::EventsText;
using testing::kUsd;
using testing::Rng;

constexpr int64_t kSecond = 1'000'000'000;
constexpr uint32_t kMakerAccount = 1'000;
constexpr int kUsers = 24;

int64_t EventCount() {
  if (const char* env = std::getenv("CASCADE_RISK_INVARIANT_EVENTS")) return std::atoll(env);
#if defined(__SANITIZE_ADDRESS__)
  return 100'000;  // sanitizer builds: a tenth; Release runs the full count
#else
  return 1'000'000;
#endif
}

struct Totals {
  uint64_t liquidations = 0;
  uint64_t takeovers = 0;
  uint64_t adl_legs = 0;
  uint64_t bad_debts = 0;
  uint64_t crashes = 0;
  uint64_t empty_books = 0;
  uint64_t fund_negative = 0;
  uint32_t max_depth = 0;
};

// One simulated market. Symbol 1 has an external mark (a replayed venue mark), symbol 2 an
// oracle mark coupled to liquidation flow (lambda > 0).
class Market {
 public:
  Market(uint64_t seed, RiskPreset preset, bool digest = false)
      : rng_(seed), d_(Config()), with_digest_(digest) {
    d_.keep_all = false;
    for (uint32_t s = 1; s <= 2; ++s) {
      SymbolConfig c = BtcConfig(SymbolId{s});
      ApplyPreset(preset, c.risk);
      c.risk.mark_mode = s == 1 ? MarkMode::kExternal : MarkMode::kOracle;
      c.risk.index_impact_lambda = s == 2 ? 2'000'000 : 0;
      c.risk.maker_fee = -5'000;
      c.risk.taker_fee = 30'000;
      c.risk.funding_clamp = 0;                         // rates come from the stream
      c.risk.partial_threshold = Atoms{20'000 * kUsd};  // partial liquidation shows up often
      c.max_price = Price{10'000'000};
      EXPECT_EQ(d_.risk.OnSymbolConfigured(c), RejectReason::kNone);
      mark_[s] = 1'000'000;
    }
    d_.Begin(0);
    d_.risk.OnMarkPrice(SymbolId{1}, Price{mark_[1]});
    d_.risk.OnIndexPrice(SymbolId{2}, Price{mark_[2]});
    // The maker's capital is finite: it can be liquidated too, and ADL can run out of candidates.
    EXPECT_EQ(d_.risk.Deposit(AccountId{kMakerAccount}, MarginMode::kCross, SymbolId{1},
                              Atoms{3'000'000 * kUsd}),
              RejectReason::kNone);
    EXPECT_EQ(d_.risk.Deposit(kSystemAccount, MarginMode::kCross, SymbolId{1}, Atoms{2'000 * kUsd}),
              RejectReason::kNone);
    d_.End();
    maker_ = d_.risk.FindBucket(AccountId{kMakerAccount}, MarginMode::kCross, SymbolId{1});
  }

  static RiskEngineConfig Config() {
    RiskEngineConfig c = Driver::Small();
    c.max_buckets = 256;
    c.max_positions = 1'024;
    return c;
  }

  // Applies one random command and its sweep; returns the invariant check.
  absl::Status Step() {
    d_.Begin(ts_);
    Act();
    const SweepResult r = d_.End();
    totals_.liquidations += r.liquidations;
    totals_.takeovers += r.takeovers;
    totals_.adl_legs += r.adl_legs;
    totals_.bad_debts += testing::EventsOf<BadDebt>(d_.events).size();
    totals_.max_depth = std::max(totals_.max_depth, r.depth);
    if (d_.risk.GetMargins(d_.risk.InsuranceFund(SymbolId{1})).equity < 0) ++totals_.fund_negative;
    if (with_digest_) {
      const std::string text = EventsText(d_.events);
      digest_.Update(text.data(), text.size());
    }
    return checker_.Check(d_.events);
  }

  const Totals& totals() const { return totals_; }
  uint64_t digest() const { return digest_.value(); }
  const std::vector<Event>& events() const { return d_.events; }

 private:
  void Act() {
    if (crash_steps_ > 0) {  // a crash in progress: one step per second
      --crash_steps_;
      ts_ += kSecond;
      MoveMark(crash_symbol_, mark_[crash_symbol_] - crash_step_);
      return;
    }
    ts_ += rng_.Uniform(1, 200) * 1'000'000;
    const int64_t roll = rng_.Uniform(0, 999);
    const uint32_t s = static_cast<uint32_t>(rng_.Uniform(1, 2));
    if (roll < 3) {  // crash of 30-50% over 3-10 seconds; now and then a squeeze upward
      ++totals_.crashes;
      crash_symbol_ = s;
      crash_steps_ = static_cast<int>(rng_.Uniform(3, 10));
      crash_step_ = mark_[s] * rng_.Uniform(30, 50) / 100 / crash_steps_;
      if (rng_.Chance(30)) crash_step_ = -crash_step_;
      Requote(s, static_cast<int>(rng_.Uniform(0, 2)));  // liquidity thins before the fall
    } else if (roll < 250) {
      MoveMark(s, mark_[s] + mark_[s] * rng_.Uniform(-50, 50) / 10'000 + Revert(s));
    } else if (roll < 400) {
      Requote(s, static_cast<int>(rng_.Uniform(0, 6)));
    } else if (roll < 800) {
      UserOrder(s);
    } else if (roll < 880) {
      const uint32_t user = User();
      (void)d_.risk.Deposit(AccountId{user}, Mode(user), SymbolId{s},
                            Atoms{rng_.Uniform(100, 5'000) * kUsd});
    } else if (roll < 930) {
      const uint32_t user = User();
      (void)d_.risk.Withdraw(AccountId{user}, Mode(user), SymbolId{s},
                             Atoms{rng_.Uniform(10, 3'000) * kUsd});
    } else if (roll < 950) {
      (void)d_.risk.OnFundingRate(SymbolId{s}, rng_.Uniform(-300'000, 300'000));
    } else if (roll < 965) {
      const uint32_t user = User();
      (void)d_.risk.SetLeverage(AccountId{user}, Mode(user), SymbolId{s},
                                static_cast<uint32_t>(rng_.Uniform(1, 125)));
    } else if (roll < 975) {
      if (rng_.Chance(50)) ++totals_.empty_books;
      d_.venue.ClearSide(SymbolId{s}, rng_.Chance(50) ? Side::kBuy : Side::kSell);
    } else if (roll < 985) {
      (void)d_.risk.Deposit(kSystemAccount, MarginMode::kCross, SymbolId{s},
                            Atoms{rng_.Uniform(1, 500) * kUsd});
    } else {
      ts_ += rng_.Uniform(1, 40) * kSecond;  // a timer: cooldowns end, retries come due
    }
  }

  // Pulls the mark back toward 1,000,000 so that a long run keeps trading near its start.
  int64_t Revert(uint32_t s) const { return (1'000'000 - mark_[s]) / 200; }

  void MoveMark(uint32_t s, int64_t price) {
    mark_[s] = std::clamp<int64_t>(price, 100'000, 5'000'000);
    if (s == 1) {
      d_.risk.OnMarkPrice(SymbolId{1}, Price{mark_[1]});
    } else {
      d_.risk.OnIndexPrice(SymbolId{2}, Price{mark_[2]});
    }
  }

  void Requote(uint32_t s, int levels) {
    d_.venue.CancelAllOrders(maker_);
    const int64_t mid = d_.risk.Mark(SymbolId{s}).value();
    for (int i = 0; i < levels; ++i) {
      const int64_t gap = (i + 1) * rng_.Uniform(100, 3'000);
      const int64_t qty = rng_.Uniform(1, 400);
      d_.venue.Rest(maker_, AccountId{kMakerAccount}, SymbolId{s}, Side::kBuy,
                    Price{std::max<int64_t>(1, mid - gap)}, Qty{qty});
      d_.venue.Rest(maker_, AccountId{kMakerAccount}, SymbolId{s}, Side::kSell, Price{mid + gap},
                    Qty{qty});
    }
  }

  void UserOrder(uint32_t s) {
    const uint32_t user = User();
    const int64_t mark = d_.risk.Mark(SymbolId{s}).value();
    OrderIntent o;
    o.account = AccountId{user};
    o.margin = Mode(user);
    o.symbol = SymbolId{s};
    o.side = rng_.Chance(55) ? Side::kBuy : Side::kSell;  // mostly long, like the scenarios
    o.qty = Qty{rng_.Uniform(1, 600)};
    const int64_t offset = rng_.Uniform(-3'000, 3'000);
    o.price = Price{std::max<int64_t>(1, mark + (o.side == Side::kBuy ? offset : -offset))};
    o.reduce_only = rng_.Chance(10);
    const bool ioc = rng_.Chance(40);
    (void)d_.venue.Submit(o, ioc);
  }

  uint32_t User() { return static_cast<uint32_t>(rng_.Uniform(1, kUsers)); }
  static MarginMode Mode(uint32_t user) {
    return user % 4 == 0 ? MarginMode::kIsolated : MarginMode::kCross;
  }

  Rng rng_;
  Driver d_;
  InvariantChecker checker_{d_.risk};
  BucketId maker_{0};
  int64_t ts_ = 0;
  int64_t mark_[3] = {0, 0, 0};
  int crash_steps_ = 0;
  uint32_t crash_symbol_ = 1;
  int64_t crash_step_ = 0;
  Totals totals_;
  bool with_digest_ = false;
  Digest digest_;
};

void RunInvariants(RiskPreset preset, uint64_t seed, int64_t events) {
  Market market(seed, preset);
  for (int64_t i = 0; i < events; ++i) {
    const absl::Status s = market.Step();
    ASSERT_TRUE(s.ok()) << PresetName(preset) << " event " << i << ": " << s << "\n"
                        << EventsText(market.events());
  }
  const Totals& t = market.totals();
  std::printf(
      "%s: %lld events, %llu liquidations, %llu takeovers, %llu ADL legs, %llu bad debts, "
      "%llu crashes, max depth %u, fund negative after %llu events\n",
      std::string(PresetName(preset)).c_str(), static_cast<long long>(events),
      static_cast<unsigned long long>(t.liquidations), static_cast<unsigned long long>(t.takeovers),
      static_cast<unsigned long long>(t.adl_legs), static_cast<unsigned long long>(t.bad_debts),
      static_cast<unsigned long long>(t.crashes), t.max_depth,
      static_cast<unsigned long long>(t.fund_negative));
  if (events >= 50'000) {  // the stream really went through the stressful paths
    EXPECT_GT(t.crashes, 0u);
    EXPECT_GT(t.liquidations, 0u);
    EXPECT_GT(t.adl_legs, 0u);
    EXPECT_GT(t.takeovers, 0u);
  }
}

// The count, split over the three presets.
TEST(RiskInvariantTest, BinanceStream) {
  RunInvariants(RiskPreset::kBinance, 11, EventCount() / 3 + 1);
}
TEST(RiskInvariantTest, HyperliquidStream) {
  RunInvariants(RiskPreset::kHyperliquid, 12, EventCount() / 3 + 1);
}
TEST(RiskInvariantTest, DydxStream) { RunInvariants(RiskPreset::kDydx, 13, EventCount() / 3 + 1); }

TEST(RiskInvariantTest, SameInputGivesTheSameOutput) {
  const int64_t events = std::min<int64_t>(EventCount() / 20, 20'000);
  Market a(99, RiskPreset::kHyperliquid, true);
  Market b(99, RiskPreset::kHyperliquid, true);
  for (int64_t i = 0; i < events; ++i) {
    ASSERT_TRUE(a.Step().ok());
    ASSERT_TRUE(b.Step().ok());
  }
  EXPECT_EQ(a.digest(), b.digest());
}

}  // namespace
}  // namespace cascade::risk
