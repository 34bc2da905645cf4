// CApiTest: the C boundary's contract (docs/c_api.md): null arguments, refused input leaving the
// state alone, the buffer protocol, snapshots, JSON, the callback's rules, version and errors.
#include "engine/c_api.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/wire/samples.h"
#include "tests/c_api/session.h"

namespace cascade::c_api_test {
namespace {

// A book with resting orders on both sides and one trade behind it.
void Populate(Session& s) {
  s.Frame(Configure(1, wire::BinanceBtcPerp()));
  s.Frame(DepositOf(2, 1, 1'000'000'000'000));
  s.Frame(DepositOf(3, 2, 1'000'000'000'000));
  uint64_t seq = 4;
  for (int64_t i = 0; i < 4; ++i) {
    const uint64_t id = 10 + static_cast<uint64_t>(i);
    s.Frame({SeqNo(seq++), Timestamp(0), Limit(1, id, Side::kBuy, 849'990 - i, 5)});
    s.Frame({SeqNo(seq++), Timestamp(0), Limit(2, id, Side::kSell, 850'010 + i, 5)});
  }
  // Trades 5 at 849,990 and rests 2 there.
  s.Frame({SeqNo(seq), Timestamp(0), Limit(2, 99, Side::kSell, 849'990, 7)});
}

TEST(CApiTest, VersionAndErrorMessages) {
  EXPECT_EQ(cascade_abi_version(),
            (uint32_t{CASCADE_C_API_VERSION_MAJOR} << 16) | CASCADE_C_API_VERSION_MINOR);
  EXPECT_EQ(std::string(cascade_version()).rfind("cascade-c-api 1.0", 0), 0u);
  for (cascade_status s = CASCADE_OK; s <= CASCADE_E_INTERNAL; ++s) {
    EXPECT_STRNE(cascade_error_message(s), "unknown status") << s;
  }
  EXPECT_STREQ(cascade_error_message(-1), "unknown status");
  EXPECT_STREQ(cascade_error_message(1000), "unknown status");
}

TEST(CApiTest, NullArgumentsAreErrorsNeverCrashes) {
  constexpr cascade_status kNull = CASCADE_E_NULL_ARGUMENT;
  uint8_t byte = 0;
  size_t n = 0;
  uint64_t u = 0;
  cascade_level level;
  cascade_order_state order;
  cascade_bucket_state bucket;
  cascade_event event;
  const cascade_new_order new_order{};
  const cascade_cancel_order cancel{};
  const cascade_amend_order amend{};
  cascade_engine* out = reinterpret_cast<cascade_engine*>(&byte);  // must be reset to NULL

  EXPECT_EQ(cascade_config_init(nullptr), kNull);
  EXPECT_EQ(cascade_create(nullptr, nullptr), kNull);
  EXPECT_EQ(cascade_create_from_snapshot(nullptr, nullptr, 0, &out), kNull);
  EXPECT_EQ(out, nullptr);
  cascade_destroy(nullptr);
  EXPECT_STRNE(cascade_last_error(nullptr), "");
  EXPECT_EQ(cascade_last_reject_reason(nullptr), 0);
  EXPECT_EQ(cascade_submit_new_order(nullptr, &new_order, &n), kNull);
  EXPECT_EQ(cascade_submit_cancel(nullptr, &cancel, &n), kNull);
  EXPECT_EQ(cascade_submit_amend(nullptr, &amend, &n), kNull);
  EXPECT_EQ(cascade_submit_frame(nullptr, &byte, 1, &n), kNull);
  EXPECT_EQ(cascade_submit_json(nullptr, "{}", &n), kNull);
  EXPECT_EQ(cascade_event_count(nullptr, &n), kNull);
  EXPECT_EQ(cascade_event_get(nullptr, 0, &event), kNull);
  EXPECT_EQ(cascade_events_read(nullptr, &byte, 1, &n), kNull);
  EXPECT_EQ(cascade_set_event_callback(nullptr, nullptr, nullptr, 0), kNull);
  EXPECT_EQ(cascade_best_bid(nullptr, 1, &level), kNull);
  EXPECT_EQ(cascade_best_ask(nullptr, 1, &level), kNull);
  EXPECT_EQ(cascade_depth(nullptr, 1, 0, &level, 1, &n), kNull);
  EXPECT_EQ(cascade_order(nullptr, 1, 1, &order), kNull);
  EXPECT_EQ(cascade_bucket(nullptr, 1, 0, 0, &bucket), kNull);
  EXPECT_EQ(cascade_last_seq(nullptr, &u), kNull);
  EXPECT_EQ(cascade_state_digest(nullptr, &u), kNull);
  EXPECT_EQ(cascade_snapshot(nullptr, &byte, 1, &n), kNull);
  EXPECT_EQ(cascade_json_to_frame(nullptr, "{}", &byte, 1, &n), kNull);
  EXPECT_EQ(cascade_event_frame_to_json(nullptr, &byte, 1, nullptr, 0, &n), kNull);

  // A live handle with null arguments.
  Session s;
  cascade_engine* e = s.engine();
  EXPECT_EQ(cascade_submit_new_order(e, nullptr, &n), kNull);
  EXPECT_EQ(cascade_submit_cancel(e, nullptr, nullptr), kNull);
  EXPECT_EQ(cascade_submit_amend(e, nullptr, nullptr), kNull);
  EXPECT_EQ(cascade_submit_frame(e, nullptr, 10, &n), kNull);
  EXPECT_EQ(cascade_submit_json(e, nullptr, &n), kNull);
  EXPECT_EQ(cascade_event_count(e, nullptr), kNull);
  EXPECT_EQ(cascade_event_get(e, 0, nullptr), kNull);
  EXPECT_EQ(cascade_events_read(e, nullptr, 0, nullptr), kNull);
  EXPECT_EQ(cascade_best_bid(e, 1, nullptr), kNull);
  EXPECT_EQ(cascade_best_ask(e, 1, nullptr), kNull);
  EXPECT_EQ(cascade_depth(e, 1, 0, nullptr, 4, &n), kNull);
  EXPECT_EQ(cascade_depth(e, 1, 0, &level, 1, nullptr), kNull);
  EXPECT_EQ(cascade_order(e, 1, 1, nullptr), kNull);
  EXPECT_EQ(cascade_bucket(e, 1, 0, 0, nullptr), kNull);
  EXPECT_EQ(cascade_last_seq(e, nullptr), kNull);
  EXPECT_EQ(cascade_state_digest(e, nullptr), kNull);
  EXPECT_EQ(cascade_snapshot(e, nullptr, 0, nullptr), kNull);
  EXPECT_EQ(cascade_json_to_frame(e, nullptr, nullptr, 0, &n), kNull);
  EXPECT_EQ(cascade_event_frame_to_json(e, nullptr, 0, nullptr, 0, &n), kNull);
  EXPECT_STRNE(cascade_last_error(e), "");
}

TEST(CApiTest, BadConfigIsRefused) {
  cascade_config config = SmallConfig();
  cascade_engine* engine = nullptr;
  config.struct_size = 4;
  EXPECT_EQ(cascade_create(&config, &engine), CASCADE_E_INVALID_ARGUMENT);
  EXPECT_EQ(engine, nullptr);
  config = SmallConfig();
  config.max_orders = 0;
  EXPECT_EQ(cascade_create(&config, &engine), CASCADE_E_INVALID_ARGUMENT);
  EXPECT_EQ(engine, nullptr);
  EXPECT_NE(std::string(cascade_last_error(nullptr)).find("size"), std::string::npos);
}

TEST(CApiTest, RefusedInputLeavesStateAndSequenceAlone) {
  Session s;
  Populate(s);
  cascade_engine* e = s.engine();
  const uint64_t digest = Digest(e);
  uint64_t seq = 0;
  ASSERT_EQ(cascade_last_seq(e, &seq), CASCADE_OK);

  // Garbage, a truncated frame, a frame with a bad size prefix, and a well-formed frame whose
  // order is invalid (qty 0): none reaches the engine.
  std::vector<uint8_t> garbage(64);
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 37 + 5);
  const NewOrder zero = Limit(1, 500, Side::kBuy, 850'000, 0);
  wire::Encoder encoder;
  std::span<const uint8_t> f = encoder.Encode(Command{SeqNo(seq + 1), Timestamp(0), zero});
  const std::vector<uint8_t> invalid(f.begin(), f.end());
  std::vector<uint8_t> truncated(invalid.begin(), invalid.begin() + invalid.size() / 2);
  std::vector<uint8_t> bad_prefix = invalid;
  bad_prefix[0] ^= 0x40;

  struct Case {
    const std::vector<uint8_t>* bytes;
    RejectReason reason;
  } cases[] = {{&garbage, RejectReason::kMalformed},
               {&truncated, RejectReason::kMalformed},
               {&bad_prefix, RejectReason::kMalformed},
               {&invalid, RejectReason::kInvalidQuantity}};
  for (const Case& c : cases) {
    size_t count = 1;
    EXPECT_EQ(cascade_submit_frame(e, c.bytes->data(), c.bytes->size(), &count),
              CASCADE_E_INVALID_INPUT);
    EXPECT_EQ(count, 0u);
    EXPECT_EQ(cascade_last_reject_reason(e), static_cast<uint16_t>(c.reason));
    EXPECT_NE(std::string(cascade_last_error(e)).find("input refused"), std::string::npos);
    EXPECT_EQ(ReadEvents(e).size(), 0u);
    EXPECT_EQ(Digest(e), digest);
  }
  EXPECT_EQ(cascade_submit_frame(e, garbage.data(), 0, nullptr), CASCADE_E_INVALID_INPUT);

  // The fast path validates too: an out-of-range side, a non-positive price.
  cascade_new_order o{};
  o.symbol = 1;
  o.account = 1;
  o.order_id = 501;
  o.side = 7;
  o.price = 850'000;
  o.qty = 1;
  EXPECT_EQ(cascade_submit_new_order(e, &o, nullptr), CASCADE_E_INVALID_INPUT);
  o.side = CASCADE_SIDE_BUY;
  o.price = -5;
  EXPECT_EQ(cascade_submit_new_order(e, &o, nullptr), CASCADE_E_INVALID_INPUT);
  EXPECT_EQ(cascade_last_reject_reason(e), static_cast<uint16_t>(RejectReason::kInvalidPrice));
  EXPECT_EQ(Digest(e), digest);
  uint64_t after = 0;
  ASSERT_EQ(cascade_last_seq(e, &after), CASCADE_OK);
  EXPECT_EQ(after, seq);

  // The engine's own refusals are events, not errors (here: an unknown order).
  const cascade_cancel_order cancel{0, 0, 1, 1, 12345};
  size_t count = 0;
  ASSERT_EQ(cascade_submit_cancel(e, &cancel, &count), CASCADE_OK);
  ASSERT_EQ(count, 1u);
  cascade_event event;
  ASSERT_EQ(cascade_event_get(e, 0, &event), CASCADE_OK);
  EXPECT_EQ(event.type, static_cast<uint32_t>(CASCADE_EVENT_COMMAND_REJECTED));
  EXPECT_EQ(event.seq, seq + 1);  // seq 0 on the fast path is "next"
  EXPECT_EQ(event.u.command_rejected.reason, static_cast<uint16_t>(RejectReason::kUnknownOrder));
}

TEST(CApiTest, BufferTooSmallLosesNothing) {
  Session s;
  Populate(s);
  cascade_engine* e = s.engine();
  cascade_new_order sweep{};
  sweep.symbol = 1;
  sweep.account = 1;
  sweep.order_id = 77;
  sweep.price = 850'013;
  sweep.qty = 20;  // takes all four ask levels
  const NewOrder n = Limit(1, 77, Side::kBuy, 850'013, 20);
  uint64_t seq = 0;
  ASSERT_EQ(cascade_last_seq(e, &seq), CASCADE_OK);
  std::span<const Event> events =
      s.Plain(sweep, cascade_submit_new_order, {SeqNo(seq + 1), Timestamp(0), n});
  ASSERT_GE(events.size(), 5u);
  wire::Encoder encoder;
  const std::vector<uint8_t> expected = Encode(events, encoder);

  size_t needed = 0;
  EXPECT_EQ(cascade_events_read(e, nullptr, 0, &needed), CASCADE_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(needed, expected.size());
  EXPECT_NE(std::string(cascade_last_error(e)).find(std::to_string(needed)), std::string::npos);
  std::vector<uint8_t> small(needed - 1, 0xAB);
  size_t size = 0;
  EXPECT_EQ(cascade_events_read(e, small.data(), small.size(), &size), CASCADE_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(size, needed);
  EXPECT_EQ(small, std::vector<uint8_t>(needed - 1, 0xAB));  // nothing written
  std::vector<uint8_t> big(needed + 100);
  ASSERT_EQ(cascade_events_read(e, big.data(), big.size(), &size), CASCADE_OK);
  big.resize(size);
  EXPECT_EQ(big, expected);
  EXPECT_EQ(ReadEvents(e), expected);  // reading again gives the same: nothing consumed

  // Snapshots follow the same protocol.
  EXPECT_EQ(cascade_snapshot(e, nullptr, 0, &needed), CASCADE_E_BUFFER_TOO_SMALL);
  std::vector<uint8_t> snapshot(needed);
  ASSERT_EQ(cascade_snapshot(e, snapshot.data(), snapshot.size(), &size), CASCADE_OK);
  EXPECT_EQ(size, needed);
}

std::vector<uint8_t> Snapshot(cascade_engine* e) {
  size_t size = 0;
  EXPECT_EQ(cascade_snapshot(e, nullptr, 0, &size), CASCADE_E_BUFFER_TOO_SMALL);
  std::vector<uint8_t> bytes(size);
  EXPECT_EQ(cascade_snapshot(e, bytes.data(), bytes.size(), &size), CASCADE_OK);
  return bytes;
}

TEST(CApiTest, SnapshotRestoreRoundTrip) {
  Session s;
  Populate(s);
  const std::vector<uint8_t> bytes = Snapshot(s.engine());
  // From an odd address: callers' buffers need not be aligned.
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  const cascade_config config = SmallConfig();
  cascade_engine* restored = nullptr;
  ASSERT_EQ(cascade_create_from_snapshot(&config, shifted.data() + 1, bytes.size(), &restored),
            CASCADE_OK)
      << cascade_last_error(nullptr);
  EXPECT_EQ(Digest(restored), Digest(s.engine()));
  EXPECT_EQ(Snapshot(restored), bytes);  // canonical: the same bytes again

  // Both continue identically.
  const cascade_new_order take{0, 5, 1, 1, 1000, CASCADE_SIDE_BUY, 0, 0, 0, 0, 0, 850'011, 0, 8};
  ASSERT_EQ(cascade_submit_new_order(s.engine(), &take, nullptr), CASCADE_OK);
  ASSERT_EQ(cascade_submit_new_order(restored, &take, nullptr), CASCADE_OK);
  EXPECT_EQ(ReadEvents(restored), ReadEvents(s.engine()));
  EXPECT_EQ(Digest(restored), Digest(s.engine()));
  cascade_destroy(restored);

  // Damaged snapshots are refused and no engine is made.
  std::vector<uint8_t> damaged = bytes;
  damaged[4] ^= 0xFF;  // the file identifier
  cascade_engine* bad = reinterpret_cast<cascade_engine*>(damaged.data());
  EXPECT_EQ(cascade_create_from_snapshot(&config, damaged.data(), damaged.size(), &bad),
            CASCADE_E_BAD_SNAPSHOT);
  EXPECT_EQ(bad, nullptr);
  EXPECT_STRNE(cascade_last_error(nullptr), "");
  EXPECT_EQ(cascade_create_from_snapshot(&config, bytes.data(), bytes.size() / 2, &bad),
            CASCADE_E_BAD_SNAPSHOT);
  EXPECT_EQ(cascade_create_from_snapshot(&config, bytes.data(), 0, &bad), CASCADE_E_BAD_SNAPSHOT);
}

TEST(CApiTest, JsonInputsAndEventsAsJson) {
  Session s;
  cascade_engine* e = s.engine();
  const char* configure =
      R"({"seq": 1,"ts_ns": 0,"body_type": "ConfigureSymbol","body": {"config": {"symbol": 3,)"
      R"("name": "ETH-PERP","tick_size_nanos": 10000000,"lot_size_nanos": 1000000000,)"
      R"("max_price": 100000000,"max_order_qty": 1000000}}})";
  size_t count = 0;
  ASSERT_EQ(cascade_submit_json(e, configure, &count), CASCADE_OK) << cascade_last_error(e);
  ASSERT_EQ(count, 1u);
  cascade_event event;
  ASSERT_EQ(cascade_event_get(e, 0, &event), CASCADE_OK);
  EXPECT_EQ(event.type, static_cast<uint32_t>(CASCADE_EVENT_SYMBOL_CONFIGURED));
  EXPECT_EQ(event.u.symbol_configured.symbol, 3u);

  // JSON -> frame -> submit, and the event frame back to JSON.
  const char* order =
      R"({"seq": 2,"ts_ns": 9,"body_type": "NewOrder","body": {"symbol": 3,"account": 4,)"
      R"("order_id": 5,"side": "Sell","price": 300000,"qty": 2}})";
  size_t size = 0;
  ASSERT_EQ(cascade_json_to_frame(e, order, nullptr, 0, &size), CASCADE_E_BUFFER_TOO_SMALL);
  std::vector<uint8_t> frame(size);
  ASSERT_EQ(cascade_json_to_frame(e, order, frame.data(), frame.size(), &size), CASCADE_OK);
  ASSERT_EQ(cascade_submit_frame(e, frame.data(), frame.size(), &count), CASCADE_OK);
  ASSERT_EQ(count, 2u);  // accepted, top of book
  const std::vector<uint8_t> frames = ReadEvents(e);
  uint32_t first = 0;
  std::memcpy(&first, frames.data(), 4);
  ASSERT_EQ(cascade_event_frame_to_json(e, frames.data(), 4 + first, nullptr, 0, &size),
            CASCADE_E_BUFFER_TOO_SMALL);
  std::string json(size, '\0');
  ASSERT_EQ(cascade_event_frame_to_json(e, frames.data(), 4 + first, json.data(), size, &size),
            CASCADE_OK);
  EXPECT_EQ(json.back(), '\0');
  EXPECT_NE(json.find(R"("body_type": "OrderAccepted")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("order_id": 5)"), std::string::npos) << json;

  EXPECT_EQ(cascade_submit_json(e, "{not json", &count), CASCADE_E_BAD_JSON);
  EXPECT_EQ(cascade_json_to_frame(e, R"({"seq": 1})", nullptr, 0, &size), CASCADE_E_BAD_JSON);
  EXPECT_EQ(cascade_event_frame_to_json(e, frame.data(), frame.size(), nullptr, 0, &size),
            CASCADE_E_INVALID_INPUT);  // an input frame is not an event
}

struct Reentry {
  cascade_engine* engine = nullptr;
  cascade_status submit = CASCADE_OK;
  cascade_status set = CASCADE_OK;
  uint64_t digest = 0;
};

void Reenter(void* context, const cascade_event*, const uint8_t* frame, size_t) {
  auto* r = static_cast<Reentry*>(context);
  const cascade_cancel_order cancel{0, 0, 1, 1, 1};
  r->submit = cascade_submit_cancel(r->engine, &cancel, nullptr);
  r->set = cascade_set_event_callback(r->engine, nullptr, nullptr, 0);
  EXPECT_EQ(frame, nullptr);  // installed without CASCADE_CALLBACK_FRAMES
  EXPECT_EQ(cascade_state_digest(r->engine, &r->digest), CASCADE_OK);  // reads are fine
}

TEST(CApiTest, CallbackMayReadButNotReenter) {
  Session s;
  Populate(s);
  cascade_engine* e = s.engine();
  Reentry reentry{e};
  EXPECT_EQ(cascade_set_event_callback(e, Reenter, &reentry, 0x80), CASCADE_E_INVALID_ARGUMENT);
  ASSERT_EQ(cascade_set_event_callback(e, Reenter, &reentry, 0), CASCADE_OK);
  const cascade_new_order o{0, 0, 1, 1, 700, CASCADE_SIDE_BUY, 0, 0, 0, 0, 0, 849'000, 0, 1};
  size_t count = 0;
  ASSERT_EQ(cascade_submit_new_order(e, &o, &count), CASCADE_OK);
  EXPECT_GT(count, 0u);
  EXPECT_EQ(reentry.submit, CASCADE_E_REENTRANT);
  EXPECT_EQ(reentry.set, CASCADE_E_REENTRANT);
  EXPECT_EQ(reentry.digest, Digest(e));  // the callback saw the state after the input
  cascade_order_state state;
  ASSERT_EQ(cascade_order(e, 1, 700, &state), CASCADE_OK);
  EXPECT_EQ(state.status, CASCADE_ORDER_RESTING);
  ASSERT_EQ(cascade_set_event_callback(e, nullptr, nullptr, 0), CASCADE_OK);
}

void Throw(void*, const cascade_event*, const uint8_t*, size_t) { throw std::runtime_error("x"); }

TEST(CApiTest, ThrowingCallbackIsCaughtAtTheBoundary) {
  Session s;
  Populate(s);
  cascade_engine* e = s.engine();
  ASSERT_EQ(cascade_set_event_callback(e, Throw, nullptr, CASCADE_CALLBACK_FRAMES), CASCADE_OK);
  const cascade_new_order o{0, 0, 1, 1, 701, CASCADE_SIDE_BUY, 0, 0, 0, 0, 0, 849'000, 0, 1};
  EXPECT_EQ(cascade_submit_new_order(e, &o, nullptr), CASCADE_E_CALLBACK);
  cascade_order_state state;
  ASSERT_EQ(cascade_order(e, 1, 701, &state), CASCADE_OK);
  EXPECT_EQ(state.status, CASCADE_ORDER_RESTING);  // applied all the same
  ASSERT_EQ(cascade_set_event_callback(e, nullptr, nullptr, 0), CASCADE_OK);  // not stuck
}

TEST(CApiTest, QueriesOnEmptyAndUnknown) {
  Session s;
  cascade_engine* e = s.engine();
  cascade_level level;
  EXPECT_EQ(cascade_best_bid(e, 42, &level), CASCADE_E_NOT_FOUND);
  EXPECT_EQ(cascade_best_ask(e, 42, &level), CASCADE_E_NOT_FOUND);
  size_t count = 9;
  EXPECT_EQ(cascade_depth(e, 42, CASCADE_SIDE_BUY, nullptr, 0, &count), CASCADE_OK);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(cascade_depth(e, 42, 2, &level, 1, &count), CASCADE_E_INVALID_ARGUMENT);
  cascade_order_state order;
  ASSERT_EQ(cascade_order(e, 1, 1, &order), CASCADE_OK);
  EXPECT_EQ(order.status, CASCADE_ORDER_UNKNOWN);
  cascade_bucket_state bucket;
  EXPECT_EQ(cascade_bucket(e, 1, 2, 0, &bucket), CASCADE_E_INVALID_ARGUMENT);

  // Depth larger than the on-stack chunk goes through the heap path and still agrees.
  Populate(s);
  std::vector<cascade_level> many(100);
  ASSERT_EQ(cascade_depth(e, 1, CASCADE_SIDE_BUY, many.data(), many.size(), &count), CASCADE_OK);
  EXPECT_EQ(count, 3u);  // 849,990 was taken (and is now an ask)
  EXPECT_EQ(many[0].price, 849'989);
  // A capacity beyond any possible book costs no huge scratch allocation.
  ASSERT_EQ(cascade_depth(e, 1, CASCADE_SIDE_BUY, many.data(), SIZE_MAX, &count), CASCADE_OK);
  EXPECT_EQ(count, 3u);
}

}  // namespace
}  // namespace cascade::c_api_test
