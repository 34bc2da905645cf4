// Unit tests of cascade::Engine against its matching contract, docs/matching.md: one test per
// behaviour, plus one per bug class other engines have shipped (named in each test's comment).

#include "engine/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/enums.h"
#include "engine/core/event.h"
#include "tests/engine/book/event_text.h"

namespace cascade {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using Events = std::vector<Event>;

constexpr SymbolId kSym{1};
constexpr SymbolId kSym2{2};
constexpr SymbolId kNoSuchSymbol{99};
constexpr AccountId kA{1};
constexpr AccountId kB{2};
constexpr AccountId kC{3};
constexpr Price kMinPrice{10};
constexpr Price kMaxPrice{100'000};
constexpr Qty kMaxQty{1'000};
constexpr int64_t kProtectionTicks = 10;

constexpr Side kBuy = Side::kBuy;
constexpr Side kSell = Side::kSell;

MATCHER_P4(IsTrade, price, qty, maker_order, taker_order, "") {
  return arg.price == Price{price} && arg.qty == Qty{qty} &&
         arg.maker_order.value() == static_cast<uint64_t>(maker_order) &&
         arg.taker_order.value() == static_cast<uint64_t>(taker_order);
}

MATCHER_P3(IsLevel, price, qty, orders, "") {
  return arg.price == Price{price} && arg.qty == Qty{qty} &&
         arg.orders == static_cast<uint32_t>(orders);
}

SymbolConfig TestSymbol(SymbolId id) {
  SymbolConfig c;
  c.symbol = id;
  c.name = {'T', 'E', 'S', 'T'};
  c.tick_size_nanos = 100'000'000;  // 0.1 quote
  c.lot_size_nanos = 1'000'000;     // 0.001 base: 100 atoms per lot * tick
  c.min_price = kMinPrice;
  c.max_price = kMaxPrice;
  c.max_order_qty = kMaxQty;
  c.max_position_qty = Qty{1'000'000};
  c.market_protection_ticks = kProtectionTicks;
  return c;
}

// Small pools: these tests need a handful of orders, and a default engine reserves for a million.
constexpr EngineConfig kTestConfig{.max_symbols = 64,
                                   .max_orders = 4'096,
                                   .max_accounts = 64,
                                   .max_buckets = 256,
                                   .max_positions = 1'024,
                                   .event_buffer_reserve = 1'024};

constexpr EngineConfig WithMaxOrders(uint32_t max_orders) {
  EngineConfig config = kTestConfig;
  config.max_orders = max_orders;
  return config;
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() { Reset(kTestConfig); }

  // A fresh engine with two configured symbols.
  void Reset(const EngineConfig& config) {
    engine_ = std::make_unique<Engine>(config);
    seq_ = 0;
    for (SymbolId s : {kSym, kSym2}) {
      const Events events = Apply(ConfigureSymbol{TestSymbol(s)});
      EXPECT_THAT(Names(events), ElementsAre("SymbolConfigured")) << Dump(events);
    }
  }

  Events ApplyAt(uint64_t seq, const CommandBody& body) {
    const Command command{
        .seq = SeqNo{seq}, .ts = Timestamp{static_cast<int64_t>(seq) * 1000}, .body = body};
    const std::span<const Event> events = engine_->Apply(command);
    return Events(events.begin(), events.end());
  }
  Events Apply(const CommandBody& body) { return ApplyAt(++seq_, body); }

  static NewOrder Limit(AccountId account, uint64_t id, Side side, int64_t price, int64_t qty,
                        TimeInForce tif = TimeInForce::kGtc, StpMode stp = StpMode::kNone) {
    return NewOrder{.symbol = kSym,
                    .account = account,
                    .order_id = OrderId{id},
                    .side = side,
                    .type = OrderType::kLimit,
                    .tif = tif,
                    .stp = stp,
                    .price = Price{price},
                    .qty = Qty{qty}};
  }
  static NewOrder Market(AccountId account, uint64_t id, Side side, int64_t qty,
                         TimeInForce tif = TimeInForce::kIoc, StpMode stp = StpMode::kNone) {
    NewOrder o = Limit(account, id, side, 0, qty, tif, stp);
    o.type = OrderType::kMarket;
    return o;
  }
  static NewOrder StopMarket(AccountId account, uint64_t id, Side side, int64_t stop, int64_t qty) {
    NewOrder o = Limit(account, id, side, 0, qty);
    o.type = OrderType::kStopMarket;
    o.stop_price = Price{stop};
    return o;
  }
  static NewOrder StopLimit(AccountId account, uint64_t id, Side side, int64_t stop, int64_t price,
                            int64_t qty, TimeInForce tif = TimeInForce::kGtc) {
    NewOrder o = Limit(account, id, side, price, qty, tif);
    o.type = OrderType::kStopLimit;
    o.stop_price = Price{stop};
    return o;
  }
  Events Cancel(AccountId account, uint64_t id, SymbolId symbol = kSym) {
    return Apply(CancelOrder{.symbol = symbol, .account = account, .order_id = OrderId{id}});
  }
  Events Amend(AccountId account, uint64_t id, int64_t price, int64_t qty, SymbolId symbol = kSym) {
    return Apply(AmendOrder{.symbol = symbol,
                            .account = account,
                            .order_id = OrderId{id},
                            .new_price = Price{price},
                            .new_qty = Qty{qty}});
  }
  // A trade at `price` between two throw-away orders of accounts B and C, to set the last price.
  void PrintTrade(int64_t price, uint64_t first_id) {
    ASSERT_THAT(All<OrderAccepted>(Apply(Limit(kB, first_id, kSell, price, 1))), SizeIs(1));
    ASSERT_THAT(All<Trade>(Apply(Limit(kC, first_id + 1, kBuy, price, 1))), SizeIs(1));
    ASSERT_EQ(engine_->LastTradePrice(kSym), Price{price});
  }

  template <typename T>
  static std::vector<T> All(const Events& events) {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* body = std::get_if<T>(&e.body)) out.push_back(*body);
    }
    return out;
  }
  // The n-th event of type T (a failure, and a default T, if there are fewer).
  template <typename T>
  static T Nth(const Events& events, size_t n) {
    const std::vector<T> all = All<T>(events);
    if (all.size() <= n) {
      ADD_FAILURE() << "expected at least " << n + 1 << " events of that type; " << Dump(events);
      return T{};
    }
    return all[n];
  }
  template <typename T>
  static T First(const Events& events) {
    return Nth<T>(events, 0);
  }
  static std::vector<std::string> Names(const Events& events) {
    std::vector<std::string> out;
    for (const Event& e : events) out.emplace_back(EventName(e.body));
    return out;
  }
  static std::string Dump(const Events& events) {
    std::string out = "events:\n";
    for (const Event& e : events) out += "  " + ToString(e) + "\n";
    return out;
  }
  // The reason of a command that produced exactly one event, a reject.
  static RejectReason RejectOf(const Events& events) {
    if (events.size() != 1 || !std::holds_alternative<CommandRejected>(events[0].body)) {
      ADD_FAILURE() << "expected exactly one CommandRejected; " << Dump(events);
      return RejectReason::kNone;
    }
    return std::get<CommandRejected>(events[0].body).reason;
  }

  std::vector<LevelView> Depth(Side side, size_t levels = 10, SymbolId symbol = kSym) const {
    std::vector<LevelView> out(levels);
    out.resize(engine_->Depth(symbol, side, out));
    return out;
  }
  OrderView OrderOf(AccountId account, uint64_t id) const {
    return engine_->Order(account, OrderId{id});
  }

  std::unique_ptr<Engine> engine_;
  uint64_t seq_ = 0;
};

// --- Sequencing --------------------------------------------------------------------------------

TEST_F(EngineTest, StaleSequenceIsRejectedAndChangesNothing) {
  ApplyAt(10, Limit(kA, 1, kBuy, 100, 5));
  for (uint64_t stale : {10u, 9u, 0u}) {
    const Events events = ApplyAt(stale, Limit(kA, 2, kBuy, 101, 5));
    EXPECT_EQ(RejectOf(events), RejectReason::kStaleSequence);
    ASSERT_THAT(events, SizeIs(1));
    EXPECT_EQ(events[0].seq, SeqNo{stale});
    EXPECT_EQ(events[0].ts, Timestamp{static_cast<int64_t>(stale) * 1000});
    EXPECT_EQ(std::get<CommandRejected>(events[0].body).command, 0);  // NewOrder
  }
  EXPECT_EQ(engine_->last_seq(), SeqNo{10});
  EXPECT_EQ(OrderOf(kA, 2).status, OrderStatus::kUnknown);
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 5, 1)));
  // A stale cancel does not cancel.
  EXPECT_EQ(RejectOf(ApplyAt(7, CancelOrder{kSym, kA, OrderId{1}})), RejectReason::kStaleSequence);
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kResting);

  EXPECT_THAT(All<OrderAccepted>(ApplyAt(11, Limit(kA, 2, kBuy, 101, 5))), SizeIs(1));
}

TEST_F(EngineTest, EveryEventCarriesTheCommandsSeqAndTimestamp) {
  Apply(Limit(kB, 1, kSell, 100, 2));
  Apply(Limit(kB, 2, kSell, 101, 2));
  Apply(StopMarket(kC, 3, kBuy, 101, 1));
  Apply(Limit(kB, 4, kSell, 102, 5));
  const Command command{.seq = SeqNo{1'000},
                        .ts = Timestamp{777},
                        .body = Limit(kA, 5, kBuy, 101, 6, TimeInForce::kIoc)};
  const std::span<const Event> span = engine_->Apply(command);
  const Events events(span.begin(), span.end());
  // Accepted, two trades, the IOC expiry, the stop triggering and trading, one top of book.
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "Trade", "OrderExpired",
                                         "OrderTriggered", "Trade", "TopOfBook"))
      << Dump(events);
  for (const Event& e : events) {
    EXPECT_EQ(e.seq, SeqNo{1'000}) << ToString(e);
    EXPECT_EQ(e.ts, Timestamp{777}) << ToString(e);
  }
  const Command bad{.seq = SeqNo{1'001}, .ts = Timestamp{778}, .body = Limit(kA, 6, kBuy, 0, 1)};
  const std::span<const Event> rejected = engine_->Apply(bad);
  ASSERT_THAT(rejected, SizeIs(1));
  EXPECT_EQ(rejected[0].seq, SeqNo{1'001});
  EXPECT_EQ(rejected[0].ts, Timestamp{778});
}

TEST_F(EngineTest, TopOfBookOnlyWhenBestPriceOrSizeChanges) {
  Events events = Apply(Limit(kB, 1, kSell, 101, 5));
  ASSERT_THAT(All<TopOfBook>(events), SizeIs(1));
  TopOfBook top = First<TopOfBook>(events);
  EXPECT_EQ(top.symbol, kSym);
  EXPECT_EQ(top.ask_price, Price{101});
  EXPECT_EQ(top.ask_qty, Qty{5});
  EXPECT_EQ(top.bid_qty, Qty{0});

  // Behind the best: no change at the top.
  EXPECT_THAT(Names(Apply(Limit(kB, 2, kSell, 102, 5))), ElementsAre("OrderAccepted"));
  EXPECT_THAT(Names(Cancel(kB, 2)), ElementsAre("OrderCancelled"));
  // Same best price, more size: a change.
  events = Apply(Limit(kB, 3, kSell, 101, 3));
  ASSERT_THAT(All<TopOfBook>(events), SizeIs(1));
  EXPECT_EQ(First<TopOfBook>(events).ask_qty, Qty{8});

  // A sweep through several orders emits one TopOfBook, last.
  Apply(Limit(kB, 4, kSell, 102, 4));
  events = Apply(Limit(kA, 5, kBuy, 102, 14));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "Trade", "Trade", "TopOfBook"))
      << Dump(events);
  top = First<TopOfBook>(events);
  EXPECT_EQ(top.ask_qty, Qty{0});
  EXPECT_EQ(top.ask_price, Price{0});
  EXPECT_EQ(top.bid_price, Price{102});
  EXPECT_EQ(top.bid_qty, Qty{2});
}

TEST_F(EngineTest, TopOfBookPerSymbolInFirstTouchedOrder) {
  Apply(Limit(kA, 1, kBuy, 100, 1));  // kSym
  Apply(NewOrder{.symbol = kSym2,
                 .account = kA,
                 .order_id = OrderId{2},
                 .side = kSell,
                 .price = Price{200},
                 .qty = Qty{1}});  // kSym2
  Apply(NewOrder{.symbol = kSym2,
                 .account = kB,
                 .order_id = OrderId{3},
                 .side = kBuy,
                 .price = Price{150},
                 .qty = Qty{1}});  // kSym2, another account
  Events events = Apply(MassCancel{.account = kA, .all_symbols = true});
  std::vector<TopOfBook> tops = All<TopOfBook>(events);
  ASSERT_THAT(tops, SizeIs(2)) << Dump(events);
  EXPECT_EQ(tops[0].symbol, kSym);
  EXPECT_EQ(tops[1].symbol, kSym2);
  EXPECT_EQ(tops[1].bid_price, Price{150});  // B's bid is still there
  EXPECT_EQ(tops[1].ask_qty, Qty{0});

  // The other way round.
  Apply(NewOrder{.symbol = kSym2,
                 .account = kA,
                 .order_id = OrderId{4},
                 .side = kSell,
                 .price = Price{200},
                 .qty = Qty{1}});
  Apply(Limit(kA, 5, kBuy, 100, 1));
  events = Apply(MassCancel{.account = kA, .all_symbols = true});
  tops = All<TopOfBook>(events);
  ASSERT_THAT(tops, SizeIs(2)) << Dump(events);
  EXPECT_EQ(tops[0].symbol, kSym2);
  EXPECT_EQ(tops[1].symbol, kSym);
  // TopOfBook events come after everything else.
  EXPECT_THAT(Names(events),
              ElementsAre("OrderCancelled", "OrderCancelled", "TopOfBook", "TopOfBook"));
}

// --- Symbols and validation --------------------------------------------------------------------

TEST_F(EngineTest, ConfiguredSymbolIsQueryable) {
  const Events events = Apply(ConfigureSymbol{TestSymbol(SymbolId{7})});
  ASSERT_THAT(All<SymbolConfigured>(events), SizeIs(1)) << Dump(events);
  EXPECT_EQ(First<SymbolConfigured>(events).symbol, SymbolId{7});
  EXPECT_EQ(First<SymbolConfigured>(events).atoms_per_lot_tick, 100);
  const SymbolConfig* config = engine_->Symbol(SymbolId{7});
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(config->max_price, kMaxPrice);
  EXPECT_EQ(engine_->Symbol(kNoSuchSymbol), nullptr);
}

TEST_F(EngineTest, UnknownSymbolIsRejected) {
  NewOrder o = Limit(kA, 1, kBuy, 100, 1);
  o.symbol = kNoSuchSymbol;
  const Events events = Apply(o);
  EXPECT_EQ(RejectOf(events), RejectReason::kUnknownSymbol);
  EXPECT_EQ(First<CommandRejected>(events).symbol, kNoSuchSymbol);
  EXPECT_EQ(engine_->live_orders(), 0u);
  EXPECT_FALSE(engine_->BestBid(kNoSuchSymbol).has_value());
  EXPECT_EQ(engine_->Depth(kNoSuchSymbol, kBuy, {}), 0u);
}

// The contract's cancel and amend sections only say kUnknownOrder; kUnknownSymbol (rule 1 of new
// order validation) is an equally good answer. Either way the command must be rejected.
TEST_F(EngineTest, CancelAndAmendOnUnknownSymbolAreRejected) {
  Apply(Limit(kA, 1, kBuy, 100, 1));
  EXPECT_THAT(RejectOf(Cancel(kA, 1, kNoSuchSymbol)),
              AnyOf(RejectReason::kUnknownSymbol, RejectReason::kUnknownOrder));
  EXPECT_THAT(RejectOf(Amend(kA, 1, 100, 2, kNoSuchSymbol)),
              AnyOf(RejectReason::kUnknownSymbol, RejectReason::kUnknownOrder));
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{1});
}

TEST_F(EngineTest, LogonIsRejectedBecauseSessionsBelongToTheGateway) {
  const Events events = Apply(Logon{});
  EXPECT_EQ(RejectOf(events), RejectReason::kUnsupportedCommand);
  EXPECT_EQ(First<CommandRejected>(events).command, CommandBody(Logon{}).index());
  EXPECT_EQ(engine_->last_seq(), SeqNo{seq_});
}

TEST_F(EngineTest, QuantityIsValidated) {
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, 100, 0))), RejectReason::kInvalidQuantity);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, 100, -3))), RejectReason::kInvalidQuantity);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, 100, kMaxQty.value() + 1))),
            RejectReason::kQuantityTooLarge);
  EXPECT_EQ(RejectOf(Apply(Market(kA, 1, kBuy, 0))), RejectReason::kInvalidQuantity);
  EXPECT_EQ(RejectOf(Apply(StopMarket(kA, 1, kBuy, 100, kMaxQty.value() + 1))),
            RejectReason::kQuantityTooLarge);
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kA, 1, kBuy, 100, kMaxQty.value()))), SizeIs(1));
}

TEST_F(EngineTest, PriceIsValidated) {
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, 0, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, -5, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kBuy, kMinPrice.value() - 1, 1))),
            RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kSell, kMaxPrice.value() + 1, 1))),
            RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kBuy, 100, kMaxPrice.value() + 1, 1))),
            RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kBuy, 100, 0, 1))), RejectReason::kInvalidPrice);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kBuy, kMaxPrice.value() + 1, 100, 1))),
            RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(RejectOf(Apply(StopMarket(kA, 1, kSell, kMinPrice.value() - 1, 1))),
            RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(engine_->live_orders(), 0u);

  // The limits themselves are valid, and a market order's price is ignored.
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kA, 1, kBuy, kMinPrice.value(), 1))), SizeIs(1));
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kA, 2, kSell, kMaxPrice.value(), 1))), SizeIs(1));
  EXPECT_THAT(All<OrderAccepted>(Apply(StopMarket(kA, 3, kBuy, kMaxPrice.value(), 1))), SizeIs(1));
  EXPECT_THAT(All<OrderAccepted>(Apply(Market(kB, 4, kBuy, 1))), SizeIs(1));
}

TEST_F(EngineTest, PostOnlyIsOnlyValidOnPlainLimitOrders) {
  EXPECT_EQ(RejectOf(Apply(Market(kA, 1, kBuy, 1, TimeInForce::kPostOnly))),
            RejectReason::kInvalidOrderType);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kBuy, 100, 100, 1, TimeInForce::kPostOnly))),
            RejectReason::kInvalidOrderType);
  NewOrder stop_market = StopMarket(kA, 1, kBuy, 100, 1);
  stop_market.tif = TimeInForce::kPostOnly;
  EXPECT_EQ(RejectOf(Apply(stop_market)), RejectReason::kInvalidOrderType);
  EXPECT_EQ(engine_->live_orders(), 0u);
}

TEST_F(EngineTest, ValidationRunsInContractOrder) {
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(Limit(kB, 2, kSell, 105, 1));
  NewOrder o = Limit(kA, 1, kBuy, 0, 0);  // duplicate id, bad quantity, bad price
  o.symbol = kNoSuchSymbol;
  EXPECT_EQ(RejectOf(Apply(o)), RejectReason::kUnknownSymbol);
  o.symbol = kSym;
  EXPECT_EQ(RejectOf(Apply(o)), RejectReason::kInvalidQuantity);
  o.qty = Qty{1};
  EXPECT_EQ(RejectOf(Apply(o)), RejectReason::kInvalidPrice);
  o = StopLimit(kA, 1, kBuy, 100, 100, 1, TimeInForce::kPostOnly);  // duplicate and post-only
  EXPECT_EQ(RejectOf(Apply(o)), RejectReason::kInvalidOrderType);
  o = Limit(kA, 1, kBuy, 105, 1, TimeInForce::kPostOnly);  // duplicate and would take
  EXPECT_EQ(RejectOf(Apply(o)), RejectReason::kDuplicateOrderId);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 3, kBuy, 105, 1, TimeInForce::kPostOnly))),
            RejectReason::kPostOnlyWouldTake);
}

// Bug class: a duplicate order id accepted.
TEST_F(EngineTest, DuplicateOrderIdIsRejected) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  Apply(StopMarket(kA, 2, kBuy, 200, 5));
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 1, kSell, 300, 1))), RejectReason::kDuplicateOrderId);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 2, kBuy, 90, 1))), RejectReason::kDuplicateOrderId);
  NewOrder other_symbol = Limit(kA, 1, kBuy, 100, 1);
  other_symbol.symbol = kSym2;
  EXPECT_EQ(RejectOf(Apply(other_symbol)), RejectReason::kDuplicateOrderId);
  // The original orders are untouched.
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{5});
  EXPECT_EQ(OrderOf(kA, 1).side, kBuy);
  EXPECT_EQ(OrderOf(kA, 2).status, OrderStatus::kPendingStop);
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 5, 1)));
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  EXPECT_EQ(engine_->live_orders(), 2u);

  // Ids are per account, and the id of a finished order may be used again.
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kB, 1, kBuy, 100, 1))), SizeIs(1));
  Cancel(kA, 1);
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kA, 1, kSell, 300, 1))), SizeIs(1));
  EXPECT_EQ(OrderOf(kA, 1).side, kSell);
}

// Bug class: capacity exhaustion dropping an order silently.
TEST_F(EngineTest, OrderPoolExhaustionIsRejectedNotDropped) {
  Reset(WithMaxOrders(3));
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(Limit(kA, 2, kBuy, 99, 1));
  Apply(StopMarket(kA, 3, kBuy, 200, 1));
  ASSERT_EQ(engine_->live_orders(), 3u);

  const Events events = Apply(Limit(kB, 4, kSell, 300, 1));
  EXPECT_EQ(RejectOf(events), RejectReason::kOrderPoolExhausted);
  EXPECT_EQ(First<CommandRejected>(events).order_id, OrderId{4});
  EXPECT_EQ(OrderOf(kB, 4).status, OrderStatus::kUnknown);
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  EXPECT_EQ(engine_->live_orders(), 3u);

  // Freeing a slot makes room again.
  Cancel(kA, 2);
  EXPECT_THAT(All<OrderAccepted>(Apply(Limit(kB, 4, kSell, 300, 1))), SizeIs(1));
  EXPECT_EQ(OrderOf(kB, 4).status, OrderStatus::kResting);
}

TEST_F(EngineTest, PostOnlyThatWouldTakeIsRejected) {
  Apply(Limit(kB, 1, kSell, 101, 5));
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 2, kBuy, 101, 1, TimeInForce::kPostOnly))),
            RejectReason::kPostOnlyWouldTake);
  EXPECT_EQ(RejectOf(Apply(Limit(kA, 2, kBuy, 150, 1, TimeInForce::kPostOnly))),
            RejectReason::kPostOnlyWouldTake);
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(101, 5, 1)));
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());

  const Events events = Apply(Limit(kA, 2, kBuy, 100, 1, TimeInForce::kPostOnly));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "TopOfBook"));
  EXPECT_EQ(OrderOf(kA, 2).tif, TimeInForce::kPostOnly);
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 1, 1)));
}

TEST_F(EngineTest, StopThatWouldTriggerImmediatelyIsRejected) {
  // Without a last trade no stop can trigger.
  EXPECT_THAT(All<OrderAccepted>(Apply(StopMarket(kA, 1, kBuy, 50, 1))), SizeIs(1));
  EXPECT_THAT(All<OrderAccepted>(Apply(StopMarket(kA, 2, kSell, 5'000, 1))), SizeIs(1));
  Apply(MassCancel{.account = kA});

  PrintTrade(100, 10);
  EXPECT_EQ(RejectOf(Apply(StopMarket(kA, 1, kBuy, 100, 1))),
            RejectReason::kStopWouldTriggerImmediately);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kBuy, 99, 120, 1))),
            RejectReason::kStopWouldTriggerImmediately);
  EXPECT_EQ(RejectOf(Apply(StopMarket(kA, 1, kSell, 100, 1))),
            RejectReason::kStopWouldTriggerImmediately);
  EXPECT_EQ(RejectOf(Apply(StopLimit(kA, 1, kSell, 101, 90, 1))),
            RejectReason::kStopWouldTriggerImmediately);
  EXPECT_EQ(engine_->live_orders(), 0u);

  const Events events = Apply(StopMarket(kA, 1, kBuy, 101, 1));
  ASSERT_THAT(Names(events), ElementsAre("OrderAccepted")) << Dump(events);
  const OrderAccepted accepted = First<OrderAccepted>(events);
  EXPECT_EQ(accepted.type, OrderType::kStopMarket);
  EXPECT_EQ(accepted.stop_price, Price{101});
  EXPECT_EQ(accepted.qty, Qty{1});
  EXPECT_THAT(All<OrderAccepted>(Apply(StopLimit(kA, 2, kSell, 99, 95, 1))), SizeIs(1));
}

// --- Matching ----------------------------------------------------------------------------------

TEST_F(EngineTest, MatchesByPriceThenTime) {
  Apply(Limit(kB, 1, kSell, 101, 2));
  Apply(Limit(kB, 2, kSell, 100, 3));
  Apply(Limit(kC, 3, kSell, 100, 4));
  Apply(Limit(kB, 4, kSell, 102, 1));
  const Events events = Apply(Limit(kA, 5, kBuy, 102, 8));
  EXPECT_THAT(All<Trade>(events),
              ElementsAre(IsTrade(100, 3, 2, 5), IsTrade(100, 4, 3, 5), IsTrade(101, 1, 1, 5)))
      << Dump(events);
  EXPECT_EQ(OrderOf(kB, 1).open, Qty{1});
  EXPECT_EQ(OrderOf(kB, 4).open, Qty{1});
}

// Bug class: a trade printed at the taker's price.
TEST_F(EngineTest, TradesPrintAtTheMakersPrice) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  EXPECT_THAT(All<Trade>(Apply(Limit(kA, 2, kBuy, 105, 1))), ElementsAre(IsTrade(100, 1, 1, 2)));
  Apply(Limit(kB, 3, kBuy, 100, 1));
  EXPECT_THAT(All<Trade>(Apply(Limit(kA, 4, kSell, 95, 1))), ElementsAre(IsTrade(100, 1, 3, 4)));
  EXPECT_EQ(engine_->LastTradePrice(kSym), Price{100});
}

TEST_F(EngineTest, TradeCarriesBothSidesAndRemainingQuantities) {
  Apply(Limit(kB, 1, kBuy, 100, 5));
  const std::vector<Trade> trades = All<Trade>(Apply(Limit(kA, 2, kSell, 100, 3)));
  ASSERT_THAT(trades, SizeIs(1));
  const Trade& t = trades[0];
  EXPECT_EQ(t.symbol, kSym);
  EXPECT_EQ(t.aggressor, kSell);
  EXPECT_EQ(t.maker_account, kB);
  EXPECT_EQ(t.maker_order, OrderId{1});
  EXPECT_EQ(t.taker_account, kA);
  EXPECT_EQ(t.taker_order, OrderId{2});
  EXPECT_EQ(t.qty, Qty{3});
  EXPECT_EQ(t.maker_remaining, Qty{2});
  EXPECT_EQ(t.taker_remaining, Qty{0});
  EXPECT_FALSE(t.liquidation);
  EXPECT_EQ(OrderOf(kB, 1).open, Qty{2});
  EXPECT_EQ(OrderOf(kA, 2).status, OrderStatus::kUnknown);
}

// Bug class: a limit order sweeping past its limit.
TEST_F(EngineTest, LimitOrderNeverTradesBeyondItsLimit) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kB, 2, kSell, 101, 1));
  Apply(Limit(kB, 3, kSell, 102, 5));
  const Events events = Apply(Limit(kA, 4, kBuy, 101, 10));
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 1, 1, 4), IsTrade(101, 1, 2, 4)));
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(102, 5, 1)));
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(101, 8, 1)));

  Apply(Limit(kB, 5, kBuy, 90, 1));
  Apply(Limit(kB, 6, kBuy, 89, 1));
  EXPECT_THAT(All<Trade>(Apply(Limit(kC, 7, kSell, 90, 20))),
              ElementsAre(IsTrade(101, 8, 4, 7), IsTrade(90, 1, 5, 7)));
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(89, 1, 1)));
}

TEST_F(EngineTest, GtcRemainderRestsBehindEarlierOrdersAtItsPrice) {
  Apply(Limit(kB, 1, kSell, 100, 2));
  const Events events = Apply(Limit(kA, 2, kBuy, 101, 5));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "TopOfBook"));
  EXPECT_EQ(OrderOf(kA, 2).status, OrderStatus::kResting);
  EXPECT_EQ(OrderOf(kA, 2).open, Qty{3});
  Apply(Limit(kC, 3, kBuy, 101, 1));
  EXPECT_THAT(All<Trade>(Apply(Limit(kB, 4, kSell, 101, 4))),
              ElementsAre(IsTrade(101, 3, 2, 4), IsTrade(101, 1, 3, 4)));
}

// Bug class: an IOC remainder left resting.
TEST_F(EngineTest, IocRemainderExpiresAndNeverRests) {
  Apply(Limit(kB, 1, kSell, 100, 2));
  Events events = Apply(Limit(kA, 2, kBuy, 100, 5, TimeInForce::kIoc));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "OrderExpired", "TopOfBook"));
  const OrderExpired expired = First<OrderExpired>(events);
  EXPECT_EQ(expired.order_id, OrderId{2});
  EXPECT_EQ(expired.remaining, Qty{3});
  EXPECT_EQ(expired.reason, ExpireReason::kIoc);
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
  EXPECT_EQ(OrderOf(kA, 2).status, OrderStatus::kUnknown);
  EXPECT_EQ(engine_->live_orders(), 0u);

  events = Apply(Limit(kA, 3, kBuy, 100, 5, TimeInForce::kIoc));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired"));
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{5});
  EXPECT_EQ(engine_->live_orders(), 0u);
}

TEST_F(EngineTest, FokFillsWholeOrExpiresWithoutTouchingTheBook) {
  Apply(Limit(kB, 1, kSell, 100, 2));
  Apply(Limit(kB, 2, kSell, 101, 2));
  Apply(Limit(kB, 3, kSell, 102, 9));
  Events events = Apply(Limit(kA, 4, kBuy, 101, 5, TimeInForce::kFok));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired")) << Dump(events);
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{5});
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kFok);
  EXPECT_THAT(Depth(kSell),
              ElementsAre(IsLevel(100, 2, 1), IsLevel(101, 2, 1), IsLevel(102, 9, 1)));

  events = Apply(Limit(kA, 5, kBuy, 101, 4, TimeInForce::kFok));
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 2, 1, 5), IsTrade(101, 2, 2, 5)));
  EXPECT_THAT(All<OrderExpired>(events), IsEmpty());
  EXPECT_EQ(engine_->live_orders(), 1u);
}

TEST_F(EngineTest, FokWalkSkipsOwnOrdersUnderCancelMaker) {
  Apply(Limit(kA, 1, kSell, 100, 3));
  Apply(Limit(kB, 2, kSell, 100, 2));
  // Only B's 2 lots count: A's own maker would be cancelled, not filled.
  Events events = Apply(Limit(kA, 3, kBuy, 100, 3, TimeInForce::kFok, StpMode::kCancelMaker));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired")) << Dump(events);
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kResting);  // nothing else happened

  events = Apply(Limit(kA, 4, kBuy, 100, 2, TimeInForce::kFok, StpMode::kCancelMaker));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderCancelled", "Trade", "TopOfBook"))
      << Dump(events);
  const OrderCancelled cancelled = First<OrderCancelled>(events);
  EXPECT_EQ(cancelled.order_id, OrderId{1});
  EXPECT_EQ(cancelled.reason, CancelReason::kSelfTrade);
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 2, 2, 4)));
}

TEST_F(EngineTest, FokWalkStopsAtOwnOrderUnderCancelTakerOrBoth) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kA, 2, kSell, 100, 3));
  Apply(Limit(kB, 3, kSell, 101, 5));
  for (StpMode stp : {StpMode::kCancelTaker, StpMode::kCancelBoth}) {
    const Events events = Apply(Limit(kA, 4, kBuy, 101, 2, TimeInForce::kFok, stp));
    EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired")) << Dump(events);
  }
  // Without prevention the account trades with itself and the order fills.
  const Events events = Apply(Limit(kA, 5, kBuy, 101, 2, TimeInForce::kFok, StpMode::kNone));
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 1, 1, 5), IsTrade(100, 1, 2, 5)));
  // A quantity the walk reaches before the own order fills too.
  // The own order is now first in the queue: nothing is fillable.
  EXPECT_THAT(Names(Apply(Limit(kA, 6, kBuy, 101, 2, TimeInForce::kFok, StpMode::kCancelTaker))),
              ElementsAre("OrderAccepted", "OrderExpired"));
  EXPECT_EQ(OrderOf(kA, 2).open, Qty{2});
}

TEST_F(EngineTest, MarketOrderFillsWithinItsProtectionBand) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kB, 2, kSell, 105, 1));
  Apply(Limit(kB, 3, kSell, 100 + kProtectionTicks, 1));
  Apply(Limit(kB, 4, kSell, 100 + kProtectionTicks + 1, 1));
  const Events events = Apply(Market(kA, 5, kBuy, 10));
  EXPECT_THAT(All<Trade>(events),
              ElementsAre(IsTrade(100, 1, 1, 5), IsTrade(105, 1, 2, 5), IsTrade(110, 1, 3, 5)));
  ASSERT_THAT(All<OrderExpired>(events), SizeIs(1));
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{7});
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kMarketProtection);
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(111, 1, 1)));
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());

  // Sell side: the band is measured down from the best bid.
  Apply(Limit(kB, 6, kBuy, 50, 1));
  Apply(Limit(kB, 7, kBuy, 40, 1));
  Apply(Limit(kB, 8, kBuy, 39, 1));
  EXPECT_THAT(All<Trade>(Apply(Market(kA, 9, kSell, 5))),
              ElementsAre(IsTrade(50, 1, 6, 9), IsTrade(40, 1, 7, 9)));
}

TEST_F(EngineTest, MarketOrderWithoutLiquidityExpiresWhole) {
  Apply(Limit(kB, 1, kBuy, 100, 1));  // same side: no liquidity for a buy
  const Events events = Apply(Market(kA, 2, kBuy, 4));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired"));
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{4});
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kMarketProtection);
}

TEST_F(EngineTest, MarketOrderNeverRestsWhateverItsTimeInForce) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Events events = Apply(Market(kA, 2, kBuy, 3, TimeInForce::kGtc));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "OrderExpired", "TopOfBook"));
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kMarketProtection);
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
  EXPECT_EQ(engine_->live_orders(), 0u);

  // FOK: whole within the band, or nothing.
  Apply(Limit(kB, 3, kSell, 100, 2));
  Apply(Limit(kB, 4, kSell, 100 + kProtectionTicks + 1, 5));
  events = Apply(Market(kA, 5, kBuy, 3, TimeInForce::kFok));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "OrderExpired"));
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kFok);
  events = Apply(Market(kA, 6, kBuy, 2, TimeInForce::kFok));
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 2, 3, 6)));
  EXPECT_THAT(All<OrderExpired>(events), IsEmpty());
}

TEST_F(EngineTest, SelfTradePreventionCancelTaker) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kA, 2, kSell, 100, 2));
  Apply(Limit(kB, 3, kSell, 100, 2));
  const Events events = Apply(Limit(kA, 4, kBuy, 100, 5, TimeInForce::kGtc, StpMode::kCancelTaker));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "OrderCancelled", "TopOfBook"))
      << Dump(events);
  const OrderCancelled c = First<OrderCancelled>(events);
  EXPECT_EQ(c.order_id, OrderId{4});
  EXPECT_EQ(c.remaining, Qty{4});
  EXPECT_EQ(c.reason, CancelReason::kSelfTrade);
  EXPECT_EQ(OrderOf(kA, 4).status, OrderStatus::kUnknown);
  EXPECT_THAT(Depth(kSell), ElementsAre(IsLevel(100, 4, 2)));
}

TEST_F(EngineTest, SelfTradePreventionCancelMaker) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kA, 2, kSell, 100, 2));
  Apply(Limit(kB, 3, kSell, 100, 2));
  const Events events = Apply(Limit(kA, 4, kBuy, 100, 5, TimeInForce::kGtc, StpMode::kCancelMaker));
  EXPECT_THAT(Names(events),
              ElementsAre("OrderAccepted", "Trade", "OrderCancelled", "Trade", "TopOfBook"))
      << Dump(events);
  const OrderCancelled c = First<OrderCancelled>(events);
  EXPECT_EQ(c.order_id, OrderId{2});
  EXPECT_EQ(c.remaining, Qty{2});
  EXPECT_EQ(c.reason, CancelReason::kSelfTrade);
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 1, 1, 4), IsTrade(100, 2, 3, 4)));
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 2, 1)));
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
}

TEST_F(EngineTest, SelfTradePreventionCancelBoth) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kA, 2, kSell, 100, 2));
  Apply(Limit(kB, 3, kSell, 100, 2));
  const Events events = Apply(Limit(kA, 4, kBuy, 100, 5, TimeInForce::kGtc, StpMode::kCancelBoth));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "OrderCancelled",
                                         "OrderCancelled", "TopOfBook"))
      << Dump(events);
  const std::vector<OrderCancelled> c = All<OrderCancelled>(events);
  ASSERT_THAT(c, SizeIs(2));
  EXPECT_EQ(c[0].order_id, OrderId{2});  // the maker first
  EXPECT_EQ(c[0].remaining, Qty{2});
  EXPECT_EQ(c[1].order_id, OrderId{4});  // then the taker's remainder
  EXPECT_EQ(c[1].remaining, Qty{4});
  EXPECT_EQ(c[1].reason, CancelReason::kSelfTrade);
  EXPECT_THAT(Depth(kSell), ElementsAre(IsLevel(100, 2, 1)));
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
}

TEST_F(EngineTest, WithoutSelfTradePreventionAnAccountTradesWithItself) {
  Apply(Limit(kA, 1, kSell, 100, 2));
  EXPECT_THAT(All<Trade>(Apply(Limit(kA, 2, kBuy, 100, 2))), ElementsAre(IsTrade(100, 2, 1, 2)));
  // Prevention is chosen by the taker: a maker's own mode does not matter.
  Apply(Limit(kA, 3, kSell, 100, 2, TimeInForce::kGtc, StpMode::kCancelBoth));
  EXPECT_THAT(All<Trade>(Apply(Limit(kA, 4, kBuy, 100, 2))), ElementsAre(IsTrade(100, 2, 3, 4)));
}

TEST_F(EngineTest, ReduceOnlyOrdersAreAcceptedAndMatchLikeOthers) {
  Apply(Limit(kB, 1, kSell, 100, 2));
  NewOrder o = Limit(kA, 2, kBuy, 100, 1);
  o.reduce_only = true;
  const Events events = Apply(o);
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "TopOfBook"));
}

// --- Stops -------------------------------------------------------------------------------------

TEST_F(EngineTest, BuyStopTriggersWhenLastTradeReachesItsStop) {
  Apply(Limit(kB, 1, kSell, 101, 1));
  Apply(Limit(kB, 2, kSell, 102, 1));
  Apply(Limit(kB, 3, kSell, 103, 5));
  Apply(StopMarket(kC, 4, kBuy, 102, 2));
  EXPECT_THAT(All<OrderTriggered>(Apply(Limit(kA, 5, kBuy, 101, 1))), IsEmpty());
  EXPECT_EQ(OrderOf(kC, 4).status, OrderStatus::kPendingStop);

  const Events events = Apply(Limit(kA, 6, kBuy, 102, 1));
  EXPECT_THAT(Names(events),
              ElementsAre("OrderAccepted", "Trade", "OrderTriggered", "Trade", "TopOfBook"))
      << Dump(events);
  const OrderTriggered triggered = First<OrderTriggered>(events);
  EXPECT_EQ(triggered.account, kC);
  EXPECT_EQ(triggered.order_id, OrderId{4});
  EXPECT_EQ(triggered.last_price, Price{102});
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(102, 1, 2, 6), IsTrade(103, 2, 3, 4)));
  EXPECT_EQ(Nth<Trade>(events, 1).taker_account, kC);
  EXPECT_EQ(OrderOf(kC, 4).status, OrderStatus::kUnknown);
  EXPECT_EQ(engine_->LastTradePrice(kSym), Price{103});
}

TEST_F(EngineTest, SellStopTriggersWhenLastTradeFallsToItsStop) {
  Apply(Limit(kB, 1, kBuy, 100, 1));
  Apply(Limit(kB, 2, kBuy, 99, 3));
  Apply(StopLimit(kC, 3, kSell, 100, 99, 5));
  const Events events = Apply(Limit(kA, 4, kSell, 100, 1));
  EXPECT_THAT(Names(events),
              ElementsAre("OrderAccepted", "Trade", "OrderTriggered", "Trade", "TopOfBook"))
      << Dump(events);
  EXPECT_THAT(All<Trade>(events), ElementsAre(IsTrade(100, 1, 1, 4), IsTrade(99, 3, 2, 3)));
  // A stop-limit becomes a limit order: its GTC remainder rests.
  const OrderView rest = OrderOf(kC, 3);
  EXPECT_EQ(rest.status, OrderStatus::kResting);
  EXPECT_EQ(rest.open, Qty{2});
  EXPECT_EQ(rest.price, Price{99});
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(99, 2, 1)));
}

TEST_F(EngineTest, TriggeredStopLimitKeepsItsTimeInForce) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kB, 2, kSell, 101, 1));
  Apply(StopLimit(kC, 3, kBuy, 100, 101, 4, TimeInForce::kIoc));
  const Events events = Apply(Limit(kA, 4, kBuy, 100, 1));
  EXPECT_THAT(Names(events), ElementsAre("OrderAccepted", "Trade", "OrderTriggered", "Trade",
                                         "OrderExpired", "TopOfBook"))
      << Dump(events);
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{3});
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kIoc);
  EXPECT_THAT(All<OrderAccepted>(events), SizeIs(1));  // no second acceptance
  EXPECT_EQ(engine_->live_orders(), 0u);
}

TEST_F(EngineTest, TriggeredStopMarketWithoutLiquidityExpires) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(StopMarket(kC, 2, kBuy, 100, 3));
  const Events events = Apply(Limit(kA, 3, kBuy, 100, 1));
  EXPECT_THAT(Names(events),
              ElementsAre("OrderAccepted", "Trade", "OrderTriggered", "OrderExpired", "TopOfBook"))
      << Dump(events);
  EXPECT_EQ(First<OrderExpired>(events).order_id, OrderId{2});
  EXPECT_EQ(First<OrderExpired>(events).reason, ExpireReason::kMarketProtection);
  EXPECT_EQ(First<OrderExpired>(events).remaining, Qty{3});
}

// Bug class: a stop-trigger chain evaluated only once.
TEST_F(EngineTest, StopTriggerChainsRunToAFixpointWithinOneCommand) {
  for (uint64_t i = 0; i < 5; ++i) {
    Apply(Limit(kB, 1 + i, kSell, 100 + static_cast<int64_t>(i), 1));  // 100..104
  }
  Apply(StopMarket(kC, 11, kBuy, 101, 1));
  Apply(StopMarket(kC, 12, kBuy, 102, 1));
  Apply(StopMarket(kC, 13, kBuy, 103, 1));
  Apply(StopMarket(kC, 14, kSell, 50, 1));  // never eligible
  const Events events = Apply(Limit(kA, 20, kBuy, 101, 2));
  EXPECT_THAT(All<Trade>(events),
              ElementsAre(IsTrade(100, 1, 1, 20), IsTrade(101, 1, 2, 20), IsTrade(102, 1, 3, 11),
                          IsTrade(103, 1, 4, 12), IsTrade(104, 1, 5, 13)))
      << Dump(events);
  const std::vector<OrderTriggered> triggered = All<OrderTriggered>(events);
  ASSERT_THAT(triggered, SizeIs(3));
  EXPECT_EQ(triggered[0].last_price, Price{101});
  EXPECT_EQ(triggered[1].last_price, Price{102});
  EXPECT_EQ(triggered[2].last_price, Price{103});
  EXPECT_THAT(All<TopOfBook>(events), SizeIs(1));
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  EXPECT_EQ(engine_->live_orders(), 1u);  // the sell stop
  EXPECT_EQ(OrderOf(kC, 14).status, OrderStatus::kPendingStop);
}

TEST_F(EngineTest, EligibleStopsTriggerBuysAscendingThenSellsDescendingThenByArrival) {
  // Placed with no last trade, so every one of them is accepted. Triggered stop-limits rest far
  // from the market so that they do not move the last price.
  Apply(StopLimit(kC, 10, kBuy, 103, 50, 1));
  Apply(StopLimit(kC, 11, kBuy, 101, 50, 1));
  Apply(StopLimit(kC, 12, kSell, 106, 200, 1));
  Apply(StopLimit(kC, 13, kBuy, 102, 50, 1));
  Apply(StopLimit(kC, 14, kSell, 108, 200, 1));
  Apply(StopLimit(kC, 15, kBuy, 101, 50, 1));
  Apply(StopLimit(kC, 16, kSell, 107, 200, 1));
  Apply(StopLimit(kC, 17, kBuy, 106, 50, 1));    // not eligible at 105
  Apply(StopLimit(kC, 18, kSell, 104, 200, 1));  // not eligible at 105
  Apply(Limit(kB, 1, kSell, 105, 1));
  const Events events = Apply(Limit(kA, 2, kBuy, 105, 1));
  std::vector<uint64_t> order;
  for (const OrderTriggered& t : All<OrderTriggered>(events)) order.push_back(t.order_id.value());
  EXPECT_THAT(order, ElementsAre(11, 15, 13, 10, 14, 16, 12)) << Dump(events);
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(50, 4, 4)));
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(200, 3, 3)));
  EXPECT_EQ(OrderOf(kC, 17).status, OrderStatus::kPendingStop);
  EXPECT_EQ(OrderOf(kC, 18).status, OrderStatus::kPendingStop);
}

TEST_F(EngineTest, PendingStopCanBeCancelledButNotAmended) {
  Apply(StopLimit(kA, 1, kBuy, 120, 121, 4));
  EXPECT_EQ(RejectOf(Amend(kA, 1, 125, 4)), RejectReason::kNotAmendable);
  EXPECT_EQ(OrderOf(kA, 1).price, Price{121});
  const Events events = Cancel(kA, 1);
  ASSERT_THAT(Names(events), ElementsAre("OrderCancelled"));
  EXPECT_EQ(First<OrderCancelled>(events).remaining, Qty{4});
  EXPECT_EQ(First<OrderCancelled>(events).reason, CancelReason::kUser);
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kUnknown);
  // A cancelled stop never triggers.
  Apply(Limit(kB, 2, kSell, 120, 1));
  EXPECT_THAT(All<OrderTriggered>(Apply(Limit(kC, 3, kBuy, 120, 1))), IsEmpty());
}

// --- Cancel ------------------------------------------------------------------------------------

TEST_F(EngineTest, CancelRemovesTheOrderAndReportsWhatWasLeft) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  Apply(Limit(kB, 2, kSell, 100, 2));
  const Events events = Cancel(kA, 1);
  EXPECT_THAT(Names(events), ElementsAre("OrderCancelled", "TopOfBook"));
  const OrderCancelled c = First<OrderCancelled>(events);
  EXPECT_EQ(c.symbol, kSym);
  EXPECT_EQ(c.account, kA);
  EXPECT_EQ(c.order_id, OrderId{1});
  EXPECT_EQ(c.remaining, Qty{3});
  EXPECT_EQ(c.reason, CancelReason::kUser);
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kUnknown);
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
}

// Bug class: a stale cancel acknowledged.
TEST_F(EngineTest, CancelOfUnknownOrFinishedOrderIsRejected) {
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(Limit(kB, 2, kSell, 100, 1));                               // fills order 1
  EXPECT_EQ(RejectOf(Cancel(kA, 1)), RejectReason::kUnknownOrder);  // filled
  Apply(Limit(kA, 3, kBuy, 100, 1));
  EXPECT_THAT(Names(Cancel(kA, 3)), ElementsAre("OrderCancelled", "TopOfBook"));
  EXPECT_EQ(RejectOf(Cancel(kA, 3)), RejectReason::kUnknownOrder);   // already cancelled
  EXPECT_EQ(RejectOf(Cancel(kA, 42)), RejectReason::kUnknownOrder);  // never seen
  Apply(Limit(kA, 4, kBuy, 100, 1, TimeInForce::kIoc));
  EXPECT_EQ(RejectOf(Cancel(kA, 4)), RejectReason::kUnknownOrder);  // expired
  Apply(Limit(kA, 5, kBuy, 100, 1));
  EXPECT_EQ(RejectOf(Cancel(kB, 5)), RejectReason::kUnknownOrder);         // another account's id
  EXPECT_EQ(RejectOf(Cancel(kA, 5, kSym2)), RejectReason::kUnknownOrder);  // wrong symbol
  const Events reject = Cancel(kA, 42);
  const CommandRejected r = First<CommandRejected>(reject);
  EXPECT_EQ(r.command, 1);  // CancelOrder
  EXPECT_EQ(r.account, kA);
  EXPECT_EQ(r.order_id, OrderId{42});
  EXPECT_EQ(OrderOf(kA, 5).status, OrderStatus::kResting);
}

// Bug class: cancel breaking FIFO or losing neighbours.
TEST_F(EngineTest, CancelKeepsTheQueueOfItsNeighbours) {
  for (uint64_t id = 1; id <= 5; ++id) Apply(Limit(kA, id, kBuy, 100, 1));
  Cancel(kA, 1);  // head
  Cancel(kA, 3);  // middle
  Cancel(kA, 5);  // tail
  EXPECT_THAT(Depth(kBuy), ElementsAre(IsLevel(100, 2, 2)));
  Apply(Limit(kA, 6, kBuy, 100, 1));
  EXPECT_THAT(All<Trade>(Apply(Limit(kB, 7, kSell, 100, 10))),
              ElementsAre(IsTrade(100, 1, 2, 7), IsTrade(100, 1, 4, 7), IsTrade(100, 1, 6, 7)));
}

TEST_F(EngineTest, MassCancelCancelsEveryLiveOrderOfTheAccountInArrivalOrder) {
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(NewOrder{.symbol = kSym2,
                 .account = kA,
                 .order_id = OrderId{2},
                 .side = kSell,
                 .price = Price{300},
                 .qty = Qty{2}});
  Apply(StopMarket(kA, 3, kBuy, 500, 3));
  Apply(Limit(kA, 4, kBuy, 90, 4));
  Apply(Limit(kB, 5, kBuy, 100, 5));
  Amend(kA, 1, 95, 1);  // moving an order does not change its arrival
  const Events events = Apply(MassCancel{.account = kA, .all_symbols = true});
  const std::vector<OrderCancelled> c = All<OrderCancelled>(events);
  ASSERT_THAT(c, SizeIs(4)) << Dump(events);
  EXPECT_EQ(c[0].order_id, OrderId{1});
  EXPECT_EQ(c[1].order_id, OrderId{2});
  EXPECT_EQ(c[1].symbol, kSym2);
  EXPECT_EQ(c[2].order_id, OrderId{3});
  EXPECT_EQ(c[2].remaining, Qty{3});
  EXPECT_EQ(c[3].order_id, OrderId{4});
  for (const OrderCancelled& x : c) EXPECT_EQ(x.reason, CancelReason::kMassCancel);
  EXPECT_EQ(engine_->live_orders(), 1u);
  EXPECT_EQ(OrderOf(kB, 5).status, OrderStatus::kResting);
}

TEST_F(EngineTest, MassCancelOfOneSymbolAndOfNothing) {
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(NewOrder{.symbol = kSym2,
                 .account = kA,
                 .order_id = OrderId{2},
                 .side = kSell,
                 .price = Price{300},
                 .qty = Qty{2}});
  Events events = Apply(MassCancel{.account = kA, .all_symbols = false, .symbol = kSym2});
  EXPECT_THAT(Names(events), ElementsAre("OrderCancelled", "TopOfBook"));
  EXPECT_EQ(First<OrderCancelled>(events).order_id, OrderId{2});
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kResting);
  // Nothing to cancel is not an error.
  events = Apply(MassCancel{.account = kA, .all_symbols = false, .symbol = kSym2});
  EXPECT_THAT(events, IsEmpty()) << Dump(events);
  events = Apply(MassCancel{.account = kC, .all_symbols = true});
  EXPECT_THAT(events, IsEmpty()) << Dump(events);
}

// --- Amend -------------------------------------------------------------------------------------

TEST_F(EngineTest, AmendQuantityDownKeepsTimePriority) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  Apply(Limit(kB, 2, kBuy, 100, 5));
  const Events events = Amend(kA, 1, 100, 3);
  EXPECT_THAT(Names(events), ElementsAre("OrderAmended", "TopOfBook"));
  const OrderAmended a = First<OrderAmended>(events);
  EXPECT_EQ(a.price, Price{100});
  EXPECT_EQ(a.qty, Qty{3});
  EXPECT_TRUE(a.priority_kept);
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{3});
  EXPECT_THAT(All<Trade>(Apply(Limit(kC, 3, kSell, 100, 4))),
              ElementsAre(IsTrade(100, 3, 1, 3), IsTrade(100, 1, 2, 3)));
}

TEST_F(EngineTest, AmendQuantityUpLosesTimePriority) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  Apply(Limit(kB, 2, kBuy, 100, 5));
  const Events events = Amend(kA, 1, 100, 7);
  EXPECT_THAT(Names(events), ElementsAre("OrderAmended", "TopOfBook"));
  EXPECT_FALSE(First<OrderAmended>(events).priority_kept);
  EXPECT_THAT(All<Trade>(Apply(Limit(kC, 3, kSell, 100, 6))),
              ElementsAre(IsTrade(100, 5, 2, 3), IsTrade(100, 1, 1, 3)));
}

TEST_F(EngineTest, AmendPriceMovesTheOrderToTheBackOfItsNewLevel) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  Apply(Limit(kB, 2, kBuy, 99, 5));
  Events events = Amend(kA, 1, 99, 5);
  EXPECT_FALSE(First<OrderAmended>(events).priority_kept);
  EXPECT_THAT(Depth(kBuy), ElementsAre(IsLevel(99, 10, 2)));
  EXPECT_EQ(OrderOf(kA, 1).price, Price{99});
  EXPECT_THAT(All<Trade>(Apply(Limit(kC, 3, kSell, 99, 6))),
              ElementsAre(IsTrade(99, 5, 2, 3), IsTrade(99, 1, 1, 3)));
  // And up again, to a price of its own.
  events = Amend(kA, 1, 101, 2);
  EXPECT_THAT(Names(events), ElementsAre("OrderAmended", "TopOfBook"));
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(101, 2, 1)));
}

// Bug class: amend breaking FIFO or losing neighbours.
TEST_F(EngineTest, AmendKeepsTheQueueOfItsNeighbours) {
  for (uint64_t id = 1; id <= 5; ++id) Apply(Limit(kA, id, kBuy, 100, 2));
  Amend(kA, 2, 100, 1);  // kept
  Amend(kA, 3, 98, 2);   // leaves
  Amend(kA, 1, 100, 3);  // to the back
  Amend(kA, 3, 100, 2);  // back again, behind 1
  EXPECT_THAT(Depth(kBuy), ElementsAre(IsLevel(100, 10, 5)));
  EXPECT_THAT(All<Trade>(Apply(Limit(kB, 6, kSell, 100, 20))),
              ElementsAre(IsTrade(100, 1, 2, 6), IsTrade(100, 2, 4, 6), IsTrade(100, 2, 5, 6),
                          IsTrade(100, 3, 1, 6), IsTrade(100, 2, 3, 6)));
}

// Bug class: a crossing amend leaving the book crossed.
TEST_F(EngineTest, CrossingAmendTradesAndLeavesTheBookUncrossed) {
  Apply(Limit(kA, 1, kBuy, 99, 5));
  Apply(Limit(kB, 2, kSell, 100, 2));
  Apply(Limit(kB, 3, kSell, 101, 2));
  const Events events = Amend(kA, 1, 100, 5);
  EXPECT_THAT(Names(events), ElementsAre("OrderAmended", "Trade", "TopOfBook")) << Dump(events);
  EXPECT_FALSE(First<OrderAmended>(events).priority_kept);
  const Trade t = First<Trade>(events);
  EXPECT_THAT(t, IsTrade(100, 2, 2, 1));
  EXPECT_EQ(t.aggressor, kBuy);
  EXPECT_EQ(t.taker_account, kA);
  EXPECT_EQ(t.taker_remaining, Qty{3});
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 3, 1)));
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(101, 2, 1)));
  EXPECT_LT(engine_->BestBid(kSym)->price, engine_->BestAsk(kSym)->price);
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{3});

  // A crossing amend that fills whole leaves nothing behind.
  const Events filled = Amend(kA, 1, 105, 2);
  EXPECT_THAT(All<Trade>(filled), ElementsAre(IsTrade(101, 2, 3, 1)));
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kUnknown);
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
}

TEST_F(EngineTest, CrossingAmendTriggersStops) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kB, 2, kSell, 101, 1));
  Apply(StopMarket(kC, 3, kBuy, 100, 1));
  Apply(Limit(kA, 4, kBuy, 90, 1));
  const Events events = Amend(kA, 4, 100, 1);
  EXPECT_THAT(Names(events),
              ElementsAre("OrderAmended", "Trade", "OrderTriggered", "Trade", "TopOfBook"))
      << Dump(events);
}

TEST_F(EngineTest, AmendIsValidatedLikeANewOrder) {
  Apply(Limit(kA, 1, kBuy, 100, 5));
  EXPECT_EQ(RejectOf(Amend(kA, 1, 100, 0)), RejectReason::kInvalidQuantity);
  EXPECT_EQ(RejectOf(Amend(kA, 1, 100, kMaxQty.value() + 1)), RejectReason::kQuantityTooLarge);
  EXPECT_EQ(RejectOf(Amend(kA, 1, 0, 5)), RejectReason::kInvalidPrice);
  EXPECT_EQ(RejectOf(Amend(kA, 1, kMaxPrice.value() + 1, 5)), RejectReason::kPriceOutOfBounds);
  EXPECT_EQ(RejectOf(Amend(kA, 1, 100, 5)), RejectReason::kAmendNoChange);
  EXPECT_EQ(RejectOf(Amend(kA, 2, 100, 5)), RejectReason::kUnknownOrder);
  EXPECT_EQ(RejectOf(Amend(kB, 1, 100, 4)), RejectReason::kUnknownOrder);
  EXPECT_EQ(RejectOf(Amend(kA, 1, 100, 4, kSym2)), RejectReason::kUnknownOrder);
  const OrderView o = OrderOf(kA, 1);
  EXPECT_EQ(o.price, Price{100});
  EXPECT_EQ(o.open, Qty{5});
  // A finished order cannot be amended.
  Apply(Limit(kB, 3, kSell, 100, 5));
  EXPECT_EQ(RejectOf(Amend(kA, 1, 100, 4)), RejectReason::kUnknownOrder);
}

TEST_F(EngineTest, PostOnlyAmendedToACrossingPriceIsRejected) {
  Apply(Limit(kA, 1, kBuy, 99, 5, TimeInForce::kPostOnly));
  Apply(Limit(kB, 2, kSell, 101, 5));
  EXPECT_EQ(RejectOf(Amend(kA, 1, 101, 5)), RejectReason::kPostOnlyWouldTake);
  EXPECT_EQ(RejectOf(Amend(kA, 1, 102, 3)), RejectReason::kPostOnlyWouldTake);
  EXPECT_EQ(OrderOf(kA, 1).price, Price{99});
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{5});
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(101, 5, 1)));
  EXPECT_THAT(Names(Amend(kA, 1, 100, 5)), ElementsAre("OrderAmended", "TopOfBook"));
}

// --- Queries -----------------------------------------------------------------------------------

TEST_F(EngineTest, BestPricesAndDepthByLevel) {
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(Limit(kB, 2, kBuy, 100, 2));
  Apply(Limit(kA, 3, kBuy, 98, 3));
  Apply(Limit(kA, 4, kBuy, 99, 4));
  Apply(Limit(kB, 5, kSell, 103, 5));
  Apply(Limit(kB, 6, kSell, 102, 6));
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(100, 3, 2)));
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(102, 6, 1)));
  EXPECT_THAT(Depth(kBuy, 2), ElementsAre(IsLevel(100, 3, 2), IsLevel(99, 4, 1)));
  EXPECT_THAT(Depth(kBuy, 10),
              ElementsAre(IsLevel(100, 3, 2), IsLevel(99, 4, 1), IsLevel(98, 3, 1)));
  EXPECT_THAT(Depth(kSell, 10), ElementsAre(IsLevel(102, 6, 1), IsLevel(103, 5, 1)));
  EXPECT_THAT(Depth(kSell, 10, kSym2), IsEmpty());
}

TEST_F(EngineTest, OrderStateByIdThroughItsLife) {
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kUnknown);
  Apply(Limit(kA, 1, kSell, 100, 5, TimeInForce::kPostOnly));
  Apply(StopLimit(kA, 2, kBuy, 110, 111, 7, TimeInForce::kIoc));
  OrderView o = OrderOf(kA, 1);
  EXPECT_EQ(o.status, OrderStatus::kResting);
  EXPECT_EQ(o.symbol, kSym);
  EXPECT_EQ(o.side, kSell);
  EXPECT_EQ(o.type, OrderType::kLimit);
  EXPECT_EQ(o.tif, TimeInForce::kPostOnly);
  EXPECT_EQ(o.price, Price{100});
  EXPECT_EQ(o.open, Qty{5});
  o = OrderOf(kA, 2);
  EXPECT_EQ(o.status, OrderStatus::kPendingStop);
  EXPECT_EQ(o.type, OrderType::kStopLimit);
  EXPECT_EQ(o.tif, TimeInForce::kIoc);
  EXPECT_EQ(o.price, Price{111});
  EXPECT_EQ(o.stop_price, Price{110});
  EXPECT_EQ(o.open, Qty{7});

  Apply(Limit(kB, 3, kBuy, 100, 2));
  EXPECT_EQ(OrderOf(kA, 1).open, Qty{3});
  Apply(Limit(kB, 4, kBuy, 100, 3));
  EXPECT_EQ(OrderOf(kA, 1).status, OrderStatus::kUnknown);
  EXPECT_EQ(engine_->LastTradePrice(kSym), Price{100});
  EXPECT_FALSE(engine_->LastTradePrice(kSym2).has_value());
}

// Bug class: a stale best price after the top level empties.
TEST_F(EngineTest, BestPriceMovesOnWhenTheTopLevelEmpties) {
  Apply(Limit(kB, 1, kSell, 100, 1));
  Apply(Limit(kB, 2, kSell, 100, 1));
  Apply(Limit(kB, 3, kSell, 102, 1));
  Events events = Apply(Limit(kA, 4, kBuy, 100, 2));
  ASSERT_THAT(All<TopOfBook>(events), SizeIs(1));
  EXPECT_EQ(First<TopOfBook>(events).ask_price, Price{102});
  EXPECT_THAT(engine_->BestAsk(kSym), ::testing::Optional(IsLevel(102, 1, 1)));
  // Emptied by a cancel.
  events = Cancel(kB, 3);
  ASSERT_THAT(All<TopOfBook>(events), SizeIs(1));
  EXPECT_EQ(First<TopOfBook>(events).ask_qty, Qty{0});
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  // Emptied by an amend away from the top, and refilled at a worse price.
  Apply(Limit(kA, 5, kBuy, 99, 1));
  Apply(Limit(kA, 6, kBuy, 97, 1));
  Amend(kA, 5, 96, 1);
  EXPECT_THAT(engine_->BestBid(kSym), ::testing::Optional(IsLevel(97, 1, 1)));
  EXPECT_THAT(Depth(kBuy), ElementsAre(IsLevel(97, 1, 1), IsLevel(96, 1, 1)));
  // A sell that takes both levels leaves no bid behind.
  Apply(Limit(kB, 7, kSell, 96, 2));
  EXPECT_FALSE(engine_->BestBid(kSym).has_value());
  EXPECT_FALSE(engine_->BestAsk(kSym).has_value());
  EXPECT_EQ(engine_->live_orders(), 0u);
}

TEST_F(EngineTest, RejectReasonsAreBanded) {
  struct Case {
    std::string_view what;
    Events events;
    RejectReason expected;
  };
  Apply(Limit(kA, 1, kBuy, 100, 1));
  Apply(Limit(kB, 2, kSell, 105, 1));
  Apply(StopMarket(kA, 3, kBuy, 200, 1));
  NewOrder unknown_symbol = Limit(kA, 9, kBuy, 100, 1);
  unknown_symbol.symbol = kNoSuchSymbol;
  std::vector<Case> validation;
  validation.push_back({"unknown symbol", Apply(unknown_symbol), RejectReason::kUnknownSymbol});
  validation.push_back(
      {"zero qty", Apply(Limit(kA, 9, kBuy, 100, 0)), RejectReason::kInvalidQuantity});
  validation.push_back({"huge qty", Apply(Limit(kA, 9, kBuy, 100, kMaxQty.value() + 1)),
                        RejectReason::kQuantityTooLarge});
  validation.push_back(
      {"zero price", Apply(Limit(kA, 9, kBuy, 0, 1)), RejectReason::kInvalidPrice});
  validation.push_back({"price too high", Apply(Limit(kA, 9, kBuy, kMaxPrice.value() + 1, 1)),
                        RejectReason::kPriceOutOfBounds});
  validation.push_back({"post-only market", Apply(Market(kA, 9, kBuy, 1, TimeInForce::kPostOnly)),
                        RejectReason::kInvalidOrderType});
  validation.push_back(
      {"stale seq", ApplyAt(1, Limit(kA, 9, kBuy, 100, 1)), RejectReason::kStaleSequence});
  std::vector<Case> matching;
  matching.push_back({"would take", Apply(Limit(kA, 9, kBuy, 105, 1, TimeInForce::kPostOnly)),
                      RejectReason::kPostOnlyWouldTake});
  matching.push_back(
      {"duplicate", Apply(Limit(kA, 1, kBuy, 100, 1)), RejectReason::kDuplicateOrderId});
  matching.push_back({"unknown order", Cancel(kA, 9), RejectReason::kUnknownOrder});
  matching.push_back({"stop amend", Amend(kA, 3, 100, 1), RejectReason::kNotAmendable});
  matching.push_back({"no change", Amend(kA, 1, 100, 1), RejectReason::kAmendNoChange});
  PrintTrade(104, 20);
  matching.push_back({"stop now", Apply(StopMarket(kA, 9, kSell, 104, 1)),
                      RejectReason::kStopWouldTriggerImmediately});
  for (const Case& c : validation) {
    const RejectReason r = RejectOf(c.events);
    EXPECT_EQ(r, c.expected) << c.what;
    EXPECT_EQ(static_cast<int>(r) / 100, 1) << c.what;
  }
  for (const Case& c : matching) {
    const RejectReason r = RejectOf(c.events);
    EXPECT_EQ(r, c.expected) << c.what;
    EXPECT_EQ(static_cast<int>(r) / 100, 3) << c.what;
  }
  Reset(WithMaxOrders(1));
  Apply(Limit(kA, 1, kBuy, 100, 1));
  const RejectReason full = RejectOf(Apply(Limit(kA, 2, kBuy, 100, 1)));
  EXPECT_EQ(full, RejectReason::kOrderPoolExhausted);
  EXPECT_EQ(static_cast<int>(full) / 100, 3);
}

}  // namespace
}  // namespace cascade
