// Snapshots: at random points of a long random margined session (deposits, leveraged orders that
// fill, marks that liquidate, funding), snapshot -> file -> restore + the same tail gives the same
// events and the same state digest as the uninterrupted run; corrupt files are refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "engine/core/format.h"
#include "engine/engine.h"
#include "engine/journal/snapshot_file.h"
#include "engine/risk/presets.h"
#include "engine/wire/snapshot_codec.h"

namespace cascade {
namespace {

constexpr int64_t kUsd = 1'000'000;  // atoms per USD
constexpr SymbolId kBtc{1};
constexpr SymbolId kEth{2};
constexpr AccountId kMaker{100};

EngineConfig SmallConfig() {
  EngineConfig c;
  c.max_symbols = 8;
  c.max_orders = 1u << 14;
  c.max_accounts = 1u << 10;
  c.max_buckets = 1u << 12;
  c.max_positions = 1u << 13;
  c.event_buffer_reserve = 1u << 12;
  return c;
}

// BTC as in engine_liquidation_test: external mark, full liquidation at the bankruptcy price.
SymbolConfig Btc() {
  SymbolConfig c;
  c.symbol = kBtc;
  c.tick_size_nanos = 100'000'000;  // $0.1
  c.lot_size_nanos = 1'000'000;     // 0.001 BTC => K = 100
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};
  c.max_order_qty = Qty{10'000'000};
  c.max_position_qty = Qty{100'000'000};
  c.market_protection_ticks = 1'000'000;
  risk::SetBinanceBtc2021Tiers(c.risk);
  c.risk.mark_mode = MarkMode::kExternal;
  c.risk.liquidation_fee = 500'000;  // 0.5%
  c.risk.order_policy = LiquidationOrderPolicy::kBankruptcy;
  c.risk.size_policy = LiquidationSizePolicy::kFull;
  return c;
}

// ETH exercises the rest of the state: a median-of-three mark with its moving average, index
// impact, computed funding every minute, partial liquidation with a cooldown (the retry queue).
SymbolConfig Eth() {
  SymbolConfig c;
  c.symbol = kEth;
  c.tick_size_nanos = 10'000'000;  // $0.01
  c.lot_size_nanos = 10'000'000;   // 0.01 ETH => K = 100
  c.min_price = Price{1};
  c.max_price = Price{100'000'000};
  c.max_order_qty = Qty{10'000'000};
  c.max_position_qty = Qty{100'000'000};
  c.market_protection_ticks = 100'000;
  risk::SetBinanceBtc2021Tiers(c.risk);
  c.risk.mark_mode = MarkMode::kMedian3;
  c.risk.mark_ma_samples = 30;
  c.risk.index_impact_lambda = 5'000'000;
  c.risk.index_impact_window_ns = 20'000'000'000;
  c.risk.maker_fee = -10'000;
  c.risk.taker_fee = 40'000;
  c.risk.liquidation_fee = 1'000'000;
  c.risk.order_policy = LiquidationOrderPolicy::kMarkBand;
  c.risk.mark_band = 2'000'000;
  c.risk.size_policy = LiquidationSizePolicy::kPartial;
  c.risk.partial_threshold = Atoms{5'000 * kUsd};
  c.risk.partial_fraction = 50'000'000;
  c.risk.partial_cooldown_ns = 5'000'000'000;
  c.risk.backstop_threshold = 50'000'000;
  c.risk.funding_interval_ns = 60'000'000'000;
  c.risk.funding_interest = 10'000;
  c.risk.funding_clamp = 500'000;
  return c;
}

// A reproducible random session with margin.
class Session {
 public:
  explicit Session(uint64_t seed) : rng_(seed) {}

  std::vector<Command> Generate(size_t steps) {
    Add(ConfigureSymbol{Btc()});
    Add(ConfigureSymbol{Eth()});
    Add(MarkPrice{kBtc, Price{btc_mark_}});
    Add(IndexPrice{kEth, Price{eth_index_}});
    Add(Deposit{risk::kSystemAccount, MarginMode::kCross, kBtc, Atoms{2'000'000 * kUsd}});
    Add(Deposit{kMaker, MarginMode::kCross, kBtc, Atoms{500'000'000 * kUsd}});
    for (uint32_t a = 1; a <= kTraders; ++a) {
      Add(Deposit{AccountId(a), MarginMode::kCross, kBtc, Atoms{Uniform(2'000, 30'000) * kUsd}});
    }
    Quote(kBtc, btc_mark_, 10);
    Quote(kEth, eth_index_, 10);
    while (commands_.size() < steps) Step();
    return std::move(commands_);
  }

 private:
  static constexpr uint32_t kTraders = 24;

  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  void Add(CommandBody body) {
    ts_ += Uniform(100'000'000, 2'000'000'000);
    commands_.push_back(Command{SeqNo(commands_.size() + 1), Timestamp(ts_), std::move(body)});
  }

  NewOrder Order(AccountId account, SymbolId symbol, Side side, OrderType type, TimeInForce tif,
                 int64_t price, int64_t qty) {
    NewOrder o;
    o.symbol = symbol;
    o.account = account;
    o.order_id = OrderId(++order_id_);
    o.side = side;
    o.type = type;
    o.tif = tif;
    o.price = Price(price);
    o.qty = Qty(qty);
    return o;
  }

  // The maker's ladder around `mid`, a few levels a side.
  void Quote(SymbolId symbol, int64_t mid, int levels) {
    for (int i = 1; i <= levels; ++i) {
      const int64_t step = mid / 2'000 * i + Uniform(0, mid / 4'000);
      const int64_t qty = Uniform(50, 800);
      NewOrder bid = Order(kMaker, symbol, Side::kBuy, OrderType::kLimit, TimeInForce::kGtc,
                           std::max<int64_t>(1, mid - step), qty);
      maker_orders_.push_back(bid.order_id);
      Add(bid);
      NewOrder ask =
          Order(kMaker, symbol, Side::kSell, OrderType::kLimit, TimeInForce::kGtc, mid + step, qty);
      maker_orders_.push_back(ask.order_id);
      Add(ask);
    }
  }

  void Step() {
    const int64_t roll = Uniform(0, 99);
    const bool btc = Chance(0.6);
    const SymbolId symbol = btc ? kBtc : kEth;
    const int64_t mid = btc ? btc_mark_ : eth_index_;
    const AccountId trader(static_cast<uint32_t>(Uniform(1, kTraders)));
    if (roll < 6) {
      const bool isolated = Chance(0.2);
      Add(Deposit{trader, isolated ? MarginMode::kIsolated : MarginMode::kCross, symbol,
                  Atoms{Uniform(500, 20'000) * kUsd}});
    } else if (roll < 9) {
      Add(Withdraw{trader, MarginMode::kCross, symbol, Atoms{Uniform(100, 3'000) * kUsd}});
    } else if (roll < 12) {
      Add(SetLeverage{trader, Chance(0.2) ? MarginMode::kIsolated : MarginMode::kCross, symbol,
                      static_cast<uint32_t>(Uniform(1, 60))});
    } else if (roll < 32) {
      Quote(symbol, mid, 2);
    } else if (roll < 58) {
      const Side side = Chance(0.5) ? Side::kBuy : Side::kSell;
      const int64_t qty = Uniform(10, btc ? 2'500 : 40'000);
      const int64_t kind = Uniform(0, 3);
      const int64_t off = mid / 1'000 * Uniform(-3, 3);
      const int64_t price = side == Side::kBuy ? mid + off : mid - off;
      NewOrder o =
          kind == 0 ? Order(trader, symbol, side, OrderType::kMarket, TimeInForce::kIoc, 0, qty)
          : kind == 1
              ? Order(trader, symbol, side, OrderType::kLimit, TimeInForce::kIoc, price, qty)
              : Order(trader, symbol, side, OrderType::kLimit, TimeInForce::kGtc, price, qty);
      o.margin = Chance(0.15) ? MarginMode::kIsolated : MarginMode::kCross;
      o.reduce_only = Chance(0.05);
      Add(o);
    } else if (roll < 66) {
      if (!maker_orders_.empty()) {
        const size_t i =
            static_cast<size_t>(Uniform(0, static_cast<int64_t>(maker_orders_.size()) - 1));
        Add(CancelOrder{Chance(0.5) ? kBtc : kEth, kMaker, maker_orders_[i]});
        maker_orders_.erase(maker_orders_.begin() + static_cast<std::ptrdiff_t>(i));
      }
    } else if (roll < 84) {
      // Marks walk, and now and then gap: that is what liquidates.
      const int64_t move = Chance(0.08) ? Uniform(-120, 80) : Uniform(-8, 8);
      if (btc) {
        btc_mark_ = std::max<int64_t>(100'000, btc_mark_ + btc_mark_ * move / 1'000);
        Add(MarkPrice{kBtc, Price{btc_mark_}});
      } else {
        eth_index_ = std::max<int64_t>(10'000, eth_index_ + eth_index_ * move / 1'000);
        Add(IndexPrice{kEth, Price{eth_index_}});
      }
    } else if (roll < 87) {
      Add(FundingRate{kBtc, Uniform(-20'000, 20'000)});
    } else if (roll < 90) {
      Add(MassCancel{trader, false, symbol});
    } else if (roll < 95) {
      Add(Timer{});
    } else {
      // A stop order now and then, on the maker's quotes' side of the market.
      const Side side = Chance(0.5) ? Side::kBuy : Side::kSell;
      NewOrder o = Order(trader, symbol, side, OrderType::kStopMarket, TimeInForce::kIoc, 0,
                         Uniform(10, 500));
      o.stop_price = Price(side == Side::kBuy ? mid + mid / 100 : mid - mid / 100);
      Add(o);
    }
  }

  std::mt19937_64 rng_;
  std::vector<Command> commands_;
  std::vector<OrderId> maker_orders_;
  int64_t ts_ = 1'700'000'000'000'000'000;
  uint64_t order_id_ = 0;
  int64_t btc_mark_ = 1'000'000;  // $100,000
  int64_t eth_index_ = 300'000;   // $3,000
};

std::string Text(std::span<const Event> events) {
  std::string out;
  // Two appends, not "\n" + ToText(e): GCC 12 at -O3 may report a false overflow inside
  // operator+(const char*, std::string&&) (GCC bug 105651).
  for (const Event& e : events) {
    out += '\n';
    out += ToText(e);
  }
  return out;
}

class SnapshotFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade_snapshot_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

size_t Count(const std::vector<std::string>& texts, const std::string& name) {
  size_t n = 0;
  for (const std::string& t : texts) {
    for (size_t at = t.find(name); at != std::string::npos; at = t.find(name, at + 1)) ++n;
  }
  return n;
}

TEST_F(SnapshotFile, SnapshotPlusTailEqualsFullReplay) {
  bool retry_seen_in_some_session = false;
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::vector<Command> commands = Session(seed).Generate(4'000);
    const size_t n = commands.size();

    // Checkpoints: random points, plus the first moment a bucket waits in the retry queue.
    std::mt19937_64 rng(seed * 7919);
    std::set<size_t> checkpoints;
    while (checkpoints.size() < 6) {
      checkpoints.insert(std::uniform_int_distribution<size_t>(1, n - 1)(rng));
    }

    Engine full(SmallConfig());
    std::vector<std::string> events(n);
    std::vector<uint64_t> digests(n);
    std::vector<std::pair<size_t, std::string>> files;  // applied commands, file
    bool retry_seen = false;
    for (size_t i = 0; i < n; ++i) {
      events[i] = Text(full.Apply(commands[i]));
      digests[i] = full.StateDigest();
      const bool first_retry = !retry_seen && full.risk().retry_count() > 0;
      retry_seen = retry_seen || first_retry;
      if (checkpoints.contains(i + 1) || first_retry) {
        const std::string path = Path("s" + std::to_string(i + 1) + ".cfs");
        ASSERT_TRUE(journal::WriteSnapshotFile(path, full.Snapshot()).ok());
        files.emplace_back(i + 1, path);
      }
    }
    // The session must exercise what snapshots have to carry.
    EXPECT_GT(Count(events, " trade sym="), 100u);
    EXPECT_GT(Count(events, "margin-call "), 0u);
    EXPECT_GT(Count(events, "liquidation-fill "), 0u);
    EXPECT_GT(Count(events, "funding sym="), 0u);
    retry_seen_in_some_session = retry_seen_in_some_session || retry_seen;
    std::printf(
        "seed %llu: %zu commands, %zu trades, %zu margin calls, %zu liquidation fills, "
        "%zu snapshots%s\n",
        static_cast<unsigned long long>(seed), n, Count(events, " trade sym="),
        Count(events, "margin-call "), Count(events, "liquidation-fill "), files.size(),
        retry_seen ? ", one with a bucket in the retry queue" : "");

    for (const auto& [applied, path] : files) {
      SCOPED_TRACE("snapshot after " + std::to_string(applied) + " commands");
      absl::StatusOr<EngineSnapshot> read = journal::ReadSnapshotFile(path);
      ASSERT_TRUE(read.ok()) << read.status();
      Engine restored(SmallConfig());
      {
        absl::Status st = restored.Restore(*read);
        ASSERT_TRUE(st.ok()) << st.ToString();
      }
      ASSERT_EQ(restored.StateDigest(), digests[applied - 1]);
      ASSERT_EQ(restored.last_seq(), commands[applied - 1].seq);

      // A snapshot of the restored engine is the original snapshot, byte for byte, and restores
      // to the same digest again.
      const EngineSnapshot again = restored.Snapshot();
      EXPECT_EQ(wire::EncodeSnapshot(again), wire::EncodeSnapshot(*read));
      Engine twice(SmallConfig());
      ASSERT_TRUE(twice.Restore(again).ok());
      EXPECT_EQ(twice.StateDigest(), digests[applied - 1]);

      for (size_t i = applied; i < n; ++i) {
        const std::string got = Text(restored.Apply(commands[i]));
        ASSERT_EQ(got, events[i]) << "command " << i + 1 << ": " << ToText(commands[i]);
      }
      EXPECT_EQ(restored.StateDigest(), full.StateDigest());
    }
  }
  EXPECT_TRUE(retry_seen_in_some_session);
}

TEST_F(SnapshotFile, DigestSeesRiskState) {
  Engine a(SmallConfig());
  Engine b(SmallConfig());
  for (Engine* e : {&a, &b}) {
    (void)e->Apply(Command{SeqNo(1), Timestamp(1), ConfigureSymbol{Btc()}});
  }
  ASSERT_EQ(a.StateDigest(), b.StateDigest());
  // A deposit changes no book, only a bucket.
  (void)a.Apply(Command{SeqNo(2), Timestamp(2),
                        Deposit{AccountId(1), MarginMode::kCross, kBtc, Atoms{kUsd}}});
  (void)b.Apply(Command{SeqNo(2), Timestamp(2),
                        Deposit{AccountId(1), MarginMode::kCross, kBtc, Atoms{2 * kUsd}}});
  EXPECT_NE(a.StateDigest(), b.StateDigest());
}

class CorruptSnapshot : public SnapshotFile {
 protected:
  void SetUp() override {
    SnapshotFile::SetUp();
    const std::vector<Command> commands = Session(9).Generate(600);
    for (const Command& c : commands) (void)engine_.Apply(c);
    path_ = Path("good.cfs");
    ASSERT_TRUE(journal::WriteSnapshotFile(path_, engine_.Snapshot()).ok());
    std::ifstream in(path_, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), {});
    ASSERT_GT(bytes_.size(), journal::kSnapshotHeaderBytes + 100);
    ASSERT_TRUE(journal::ReadSnapshotFile(path_).ok());
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = Path(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  absl::Status ReadStatus(const std::string& bytes) {
    return journal::ReadSnapshotFile(Write("bad.cfs", bytes)).status();
  }

  Engine engine_{SmallConfig()};
  std::string path_;
  std::string bytes_;
};

TEST_F(CorruptSnapshot, WrittenAtomicallyWithNoTempLeft) {
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
}

TEST_F(CorruptSnapshot, BitFlipsAnywhereAreRefused) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    std::string bad = bytes_;
    const size_t at = std::uniform_int_distribution<size_t>(0, bad.size() - 1)(rng);
    bad[at] = static_cast<char>(bad[at] ^ (1 << (i % 8)));
    const absl::Status s = ReadStatus(bad);
    EXPECT_FALSE(s.ok()) << "flip at " << at;
  }
  std::string bad = bytes_;
  bad[bad.size() / 2] ^= 0x10;
  const absl::Status s = ReadStatus(bad);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("CRC-32 mismatch"), absl::string_view::npos) << s;
}

TEST_F(CorruptSnapshot, TruncatedExtendedOrForeignFilesAreRefused) {
  for (size_t keep : {size_t{0}, size_t{4}, size_t{23}, size_t{24}, bytes_.size() - 1}) {
    const absl::Status s = ReadStatus(bytes_.substr(0, keep));
    EXPECT_FALSE(s.ok()) << keep;
  }
  EXPECT_NE(ReadStatus(bytes_.substr(0, bytes_.size() - 1)).message().find("truncated"),
            absl::string_view::npos);
  EXPECT_FALSE(ReadStatus(bytes_ + "x").ok());
  std::string foreign = bytes_;
  foreign[0] = 'X';
  EXPECT_NE(ReadStatus(foreign).message().find("bad magic"), absl::string_view::npos);
  std::string newer = bytes_;
  newer[8] = 2;
  EXPECT_EQ(ReadStatus(newer).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(journal::ReadSnapshotFile(Path("missing.cfs")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CorruptSnapshot, ValidChecksumOverGarbageIsRefusedByTheDecoder) {
  // A payload that is not a snapshot, with a header that is right about it.
  std::vector<uint8_t> payload(256, 0xab);
  absl::StatusOr<EngineSnapshot> decoded = wire::DecodeSnapshot(payload);
  EXPECT_FALSE(decoded.ok());
  // Every truncation of a real payload fails verification, none crashes.
  const std::vector<uint8_t> good = wire::EncodeSnapshot(engine_.Snapshot());
  for (size_t keep = 0; keep < good.size(); keep += 1 + keep / 8) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(keep));
    EXPECT_FALSE(wire::DecodeSnapshot(cut).ok()) << keep;
  }
  ASSERT_TRUE(wire::DecodeSnapshot(good).ok());
}

TEST_F(CorruptSnapshot, RestoreRefusesInconsistentSnapshots) {
  const EngineSnapshot good = engine_.Snapshot();
  {
    Engine used(SmallConfig());
    (void)used.Apply(Command{SeqNo(1), Timestamp(1), ConfigureSymbol{Btc()}});
    EXPECT_EQ(used.Restore(good).code(), absl::StatusCode::kFailedPrecondition);
  }
  {
    EngineSnapshot bad = good;
    ASSERT_FALSE(bad.risk.buckets.empty());
    bad.risk.buckets.back().id = BucketId(12345);
    Engine e(SmallConfig());
    EXPECT_FALSE(e.Restore(bad).ok());
  }
  {
    EngineSnapshot bad = good;
    bad.risk.retry.push_back(0);  // the fee pool never waits
    Engine e(SmallConfig());
    EXPECT_FALSE(e.Restore(bad).ok());
  }
  {
    EngineSnapshot bad = good;
    bad.risk.symbols.pop_back();
    Engine e(SmallConfig());
    EXPECT_FALSE(e.Restore(bad).ok());
  }
  {
    EngineSnapshot bad = good;
    ASSERT_FALSE(bad.risk.symbols[1].holders.empty());
    bad.risk.symbols[1].holders.push_back(bad.risk.symbols[1].holders.front());
    Engine e(SmallConfig());
    EXPECT_FALSE(e.Restore(bad).ok());
  }
  Engine e(SmallConfig());
  ASSERT_TRUE(e.Restore(good).ok());
  EXPECT_EQ(e.StateDigest(), engine_.StateDigest());
}

}  // namespace
}  // namespace cascade
