// CApiEquivalenceTest: the C API gives exactly what the C++ Engine gives for the same inputs:
// the same output frames byte for byte, struct views with the same values, the same query answers
// and state digests, through frames and through the plain-struct fast path.
#include <gtest/gtest.h>

#include <cstdint>
#include <variant>
#include <vector>

#include "engine/c_api.h"
#include "engine/wire/samples.h"
#include "tests/c_api/session.h"

namespace cascade::c_api_test {
namespace {

constexpr uint32_t kSymbol = 1;
constexpr int64_t kMid = 850'000;  // $85,000.0 in ticks of the sample BTC perp
constexpr uint32_t kAccounts = 4;

// SplitMix64: seeded and portable.
uint64_t Next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// A margined market with funded accounts, set up through frames.
void FundedMarket(Session& s) {
  s.Frame(Configure(1, wire::BinanceBtcPerp()));
  for (uint32_t a = 1; a <= kAccounts; ++a) s.Frame(DepositOf(1 + a, a, 10'000'000'000'000));
}

// The C struct view of an event against the event itself, for the kinds a session produces most.
void ExpectView(const cascade_event& view, const Event& e) {
  EXPECT_EQ(view.type, e.body.index());
  EXPECT_EQ(view.seq, e.seq.value());
  EXPECT_EQ(view.ts_ns, e.ts.value());
  if (const auto* t = std::get_if<Trade>(&e.body)) {
    EXPECT_EQ(view.u.trade.symbol, t->symbol.value());
    EXPECT_EQ(view.u.trade.price, t->price.value());
    EXPECT_EQ(view.u.trade.qty, t->qty.value());
    EXPECT_EQ(view.u.trade.aggressor, static_cast<uint8_t>(t->aggressor));
    EXPECT_EQ(view.u.trade.maker_account, t->maker_account.value());
    EXPECT_EQ(view.u.trade.maker_order, t->maker_order.value());
    EXPECT_EQ(view.u.trade.taker_account, t->taker_account.value());
    EXPECT_EQ(view.u.trade.taker_order, t->taker_order.value());
    EXPECT_EQ(view.u.trade.maker_remaining, t->maker_remaining.value());
    EXPECT_EQ(view.u.trade.taker_remaining, t->taker_remaining.value());
  } else if (const auto* a = std::get_if<OrderAccepted>(&e.body)) {
    EXPECT_EQ(view.u.order_accepted.order_id, a->order_id.value());
    EXPECT_EQ(view.u.order_accepted.side, static_cast<uint8_t>(a->side));
    EXPECT_EQ(view.u.order_accepted.price, a->price.value());
    EXPECT_EQ(view.u.order_accepted.qty, a->qty.value());
  } else if (const auto* r = std::get_if<CommandRejected>(&e.body)) {
    EXPECT_EQ(view.u.command_rejected.reason, static_cast<uint16_t>(r->reason));
    EXPECT_EQ(view.u.command_rejected.order_id, r->order_id.value());
  } else if (const auto* b = std::get_if<TopOfBook>(&e.body)) {
    EXPECT_EQ(view.u.top_of_book.bid_price, b->bid_price.value());
    EXPECT_EQ(view.u.top_of_book.ask_qty, b->ask_qty.value());
  } else if (const auto* c = std::get_if<OrderCancelled>(&e.body)) {
    EXPECT_EQ(view.u.order_cancelled.remaining, c->remaining.value());
    EXPECT_EQ(view.u.order_cancelled.reason, static_cast<uint8_t>(c->reason));
  }
}

void ExpectViews(cascade_engine* engine, std::span<const Event> events) {
  for (size_t i = 0; i < events.size(); ++i) {
    cascade_event view;
    ASSERT_EQ(cascade_event_get(engine, i, &view), CASCADE_OK);
    ExpectView(view, events[i]);
  }
  cascade_event view;
  EXPECT_EQ(cascade_event_get(engine, events.size(), &view), CASCADE_E_NOT_FOUND);
}

// One random fast-path input (new order, cancel or amend) to both engines.
std::span<const Event> RandomInput(Session& s, uint64_t& rng, uint64_t seq, uint64_t& next_id) {
  const uint32_t account = 1 + static_cast<uint32_t>(Next(rng) % kAccounts);
  const uint64_t roll = Next(rng) % 10;
  const int64_t ts = static_cast<int64_t>(seq) * 1000;
  if (roll < 6 || next_id == 1) {
    cascade_new_order o{};
    o.seq = seq;
    o.ts_ns = ts;
    o.symbol = kSymbol;
    o.account = account;
    o.order_id = next_id++;
    o.side = static_cast<uint8_t>(Next(rng) % 2);
    o.tif = Next(rng) % 5 == 0 ? CASCADE_TIF_IOC : CASCADE_TIF_GTC;
    o.price = kMid + static_cast<int64_t>(Next(rng) % 41) - 20;
    o.qty = 1 + static_cast<int64_t>(Next(rng) % 50);
    NewOrder n;
    n.symbol = SymbolId(o.symbol);
    n.account = AccountId(o.account);
    n.order_id = OrderId(o.order_id);
    n.side = static_cast<Side>(o.side);
    n.tif = static_cast<TimeInForce>(o.tif);
    n.price = Price(o.price);
    n.qty = Qty(o.qty);
    return s.Plain(o, cascade_submit_new_order, {SeqNo(seq), Timestamp(ts), n});
  }
  const uint64_t id = 1 + Next(rng) % (next_id - 1);
  if (roll < 8) {
    const cascade_cancel_order c{seq, ts, kSymbol, account, id};
    return s.Plain(c, cascade_submit_cancel,
                   {SeqNo(seq), Timestamp(ts),
                    CancelOrder{SymbolId(kSymbol), AccountId(account), OrderId(id)}});
  }
  const int64_t price = kMid + static_cast<int64_t>(Next(rng) % 41) - 20;
  const int64_t qty = 1 + static_cast<int64_t>(Next(rng) % 50);
  const cascade_amend_order a{seq, ts, kSymbol, account, id, price, qty};
  return s.Plain(
      a, cascade_submit_amend,
      {SeqNo(seq), Timestamp(ts),
       AmendOrder{SymbolId(kSymbol), AccountId(account), OrderId(id), Price(price), Qty(qty)}});
}

TEST(CApiEquivalenceTest, RandomFastPathSessionGivesTheEnginesEvents) {
  Session s;
  FundedMarket(s);
  uint64_t rng = 7;
  uint64_t next_id = 1;
  size_t trades = 0;
  for (uint64_t seq = 10; seq < 2'010; ++seq) {
    std::span<const Event> events = RandomInput(s, rng, seq, next_id);
    ExpectViews(s.engine(), events);
    for (const Event& e : events) trades += std::holds_alternative<Trade>(e.body) ? 1 : 0;
    if (testing::Test::HasFailure()) FAIL() << "at seq " << seq;
  }
  EXPECT_GT(trades, 100u);  // the stream really matched

  // Queries answer as the engine does.
  cascade_level bid;
  cascade_level ask;
  ASSERT_EQ(cascade_best_bid(s.engine(), kSymbol, &bid), CASCADE_OK);
  ASSERT_EQ(cascade_best_ask(s.engine(), kSymbol, &ask), CASCADE_OK);
  EXPECT_EQ(bid.price, s.reference().BestBid(SymbolId(kSymbol))->price.value());
  EXPECT_EQ(ask.qty, s.reference().BestAsk(SymbolId(kSymbol))->qty.value());
  cascade_level levels[8];
  size_t count = 0;
  ASSERT_EQ(cascade_depth(s.engine(), kSymbol, CASCADE_SIDE_SELL, levels, 8, &count), CASCADE_OK);
  LevelView expected[8];
  ASSERT_EQ(count, s.reference().Depth(SymbolId(kSymbol), Side::kSell, expected));
  for (size_t i = 0; i < count; ++i) {
    EXPECT_EQ(levels[i].price, expected[i].price.value());
    EXPECT_EQ(levels[i].qty, expected[i].qty.value());
    EXPECT_EQ(levels[i].orders, expected[i].orders);
  }
  size_t resting = 0;
  for (uint64_t id = 1; id < next_id; ++id) {
    for (uint32_t a = 1; a <= kAccounts; ++a) {
      cascade_order_state o;
      ASSERT_EQ(cascade_order(s.engine(), a, id, &o), CASCADE_OK);
      const OrderView v = s.reference().Order(AccountId(a), OrderId(id));
      EXPECT_EQ(o.status, static_cast<uint8_t>(v.status));
      EXPECT_EQ(o.open, v.open.value());
      EXPECT_EQ(o.price, v.price.value());
      resting += o.status == CASCADE_ORDER_RESTING ? 1 : 0;
    }
  }
  EXPECT_GT(resting, 0u);
  for (uint32_t a = 1; a <= kAccounts; ++a) {
    cascade_bucket_state b;
    ASSERT_EQ(cascade_bucket(s.engine(), a, CASCADE_MARGIN_CROSS, 0, &b), CASCADE_OK);
    const risk::RiskEngine& risk = s.reference().risk();
    const BucketId id = risk.FindBucket(AccountId(a), MarginMode::kCross, SymbolId(0));
    EXPECT_EQ(b.bucket, id.value());
    EXPECT_EQ(b.quote, risk.GetBucket(id).quote.value());
    EXPECT_EQ(b.equity, static_cast<int64_t>(risk.GetMargins(id).equity));
    EXPECT_EQ(b.initial, static_cast<int64_t>(risk.GetMargins(id).initial));
  }
  cascade_bucket_state none;
  EXPECT_EQ(cascade_bucket(s.engine(), 99, CASCADE_MARGIN_CROSS, 0, &none), CASCADE_E_NOT_FOUND);
  uint64_t last = 0;
  ASSERT_EQ(cascade_last_seq(s.engine(), &last), CASCADE_OK);
  EXPECT_EQ(last, s.reference().last_seq().value());
}

TEST(CApiEquivalenceTest, EveryCommandKindThroughFrames) {
  // The sample commands cover every kind and every field; most are refused by an engine in this
  // state, which is just as much something the two must agree on.
  Session s;
  for (const Command& command : wire::SampleCommands()) s.Frame(command);
}

struct Collected {
  explicit Collected(cascade_engine* e) : engine(e) {}
  cascade_engine* engine;
  std::vector<cascade_event> views;
  std::vector<uint8_t> frames;
  std::vector<uint8_t> read_inside;  // cascade_events_read from inside the callback
};

void Collect(void* context, const cascade_event* event, const uint8_t* frame, size_t size) {
  auto* c = static_cast<Collected*>(context);
  c->views.push_back(*event);
  // Reading is allowed inside the callback and must not disturb the frame being delivered.
  c->read_inside = ReadEvents(c->engine);
  c->frames.insert(c->frames.end(), frame, frame + size);
}

TEST(CApiEquivalenceTest, CallbackSeesEveryEventOnceInOrder) {
  Session s;
  Collected collected(s.engine());
  ASSERT_EQ(cascade_set_event_callback(s.engine(), Collect, &collected, CASCADE_CALLBACK_FRAMES),
            CASCADE_OK);
  FundedMarket(s);
  uint64_t rng = 11;
  uint64_t next_id = 1;
  wire::Encoder encoder;
  for (uint64_t seq = 10; seq < 300; ++seq) {
    collected = Collected(s.engine());
    std::span<const Event> events = RandomInput(s, rng, seq, next_id);
    ASSERT_EQ(collected.views.size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) ExpectView(collected.views[i], events[i]);
    const std::vector<uint8_t> expected = Encode(events, encoder);
    EXPECT_EQ(collected.frames, expected);
    if (!events.empty()) {
      EXPECT_EQ(collected.read_inside, expected);
    }
  }
}

}  // namespace
}  // namespace cascade::c_api_test
