#include "engine/wire/encode.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "engine/wire/decode.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "tests/engine/wire/field_dump.h"

// Counts heap allocations so that the steady-state encode path can be shown to make none.
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Out of line, so that GCC does not pair an inlined malloc/free with new/delete and warn.
[[gnu::noinline]] void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace cascade::wire {
namespace {

using testing::DumpFields;

TEST(EncoderTest, SamplesCoverEveryCommandAndEventKind) {
  std::set<size_t> commands;
  for (const Command& c : SampleCommands()) commands.insert(c.body.index());
  EXPECT_EQ(commands.size(), std::variant_size_v<CommandBody>);
  std::set<size_t> events;
  for (const Event& e : SampleEvents()) events.insert(e.body.index());
  EXPECT_EQ(events.size(), std::variant_size_v<EventBody>);
}

// The field dump is what the round trips compare; it must see every field, nested ones included.
TEST(EncoderTest, FieldDumpSeesNestedFields) {
  SymbolConfig config;
  const std::string before = DumpFields(config);
  config.risk.preset = RiskPreset::kDydx;  // the last field of the last nested struct
  EXPECT_NE(DumpFields(config), before);
  config.risk.tiers[15].imr = 1;
  EXPECT_NE(DumpFields(config), before);
}

TEST(EncoderTest, EveryCommandRoundTrips) {
  Encoder encoder;
  for (const Command& command : SampleCommands()) {
    SCOPED_TRACE(CommandName(command.body.index()));
    const std::span<const uint8_t> frame = encoder.Encode(command);
    Command decoded;
    ASSERT_EQ(Decode(frame, decoded), RejectReason::kNone);
    EXPECT_EQ(DumpFields(decoded), DumpFields(command));
  }
}

TEST(EncoderTest, EveryEventRoundTrips) {
  Encoder encoder;
  for (const Event& event : SampleEvents()) {
    SCOPED_TRACE(EventName(event.body.index()));
    const std::span<const uint8_t> frame = encoder.Encode(event);
    Event decoded;
    ASSERT_TRUE(DecodeEvent(frame, decoded));
    EXPECT_EQ(DumpFields(decoded), DumpFields(event));
  }
}

// Defaults are not written to the buffer; they must still come back as the C++ defaults.
TEST(EncoderTest, DefaultValuedBodiesRoundTrip) {
  Encoder encoder;
  for (size_t kind = 0; kind < std::variant_size_v<CommandBody>; ++kind) {
    Command command;
    command.body = SampleCommands()[kind].body;
    std::visit([](auto& body) { body = std::decay_t<decltype(body)>{}; }, command.body);
    Command decoded;
    ASSERT_EQ(Read(encoder.Encode(command), decoded), RejectReason::kNone) << kind;
    EXPECT_EQ(DumpFields(decoded), DumpFields(command));
  }
  for (const Event& sample : SampleEvents()) {
    Event event;
    event.body = sample.body;
    std::visit([](auto& body) { body = std::decay_t<decltype(body)>{}; }, event.body);
    Event decoded;
    ASSERT_TRUE(DecodeEvent(encoder.Encode(event), decoded));
    EXPECT_EQ(DumpFields(decoded), DumpFields(event));
  }
}

TEST(EncoderTest, ExtremeValuesRoundTrip) {
  NewOrder order;
  order.symbol = SymbolId(std::numeric_limits<uint32_t>::max());
  order.account = AccountId(std::numeric_limits<uint32_t>::max());
  order.order_id = OrderId(std::numeric_limits<uint64_t>::max());
  order.price = Price(std::numeric_limits<int64_t>::max());
  order.stop_price = Price(0);
  order.qty = Qty(std::numeric_limits<int64_t>::max());
  const Command command{SeqNo(std::numeric_limits<uint64_t>::max()),
                        Timestamp(std::numeric_limits<int64_t>::max()), order};
  Encoder encoder;
  Command decoded;
  ASSERT_EQ(Decode(encoder.Encode(command), decoded), RejectReason::kNone);
  EXPECT_EQ(DumpFields(decoded), DumpFields(command));

  Trade trade;
  trade.qty = Qty(std::numeric_limits<int64_t>::min());
  trade.maker_remaining = Qty(-1);
  Event decoded_event;
  ASSERT_TRUE(DecodeEvent(encoder.Encode(Event{SeqNo(1), Timestamp(-5), trade}), decoded_event));
  EXPECT_EQ(DumpFields(decoded_event), DumpFields(Event{SeqNo(1), Timestamp(-5), trade}));
}

TEST(EncoderTest, FramesAreSizePrefixedWithTheirIdentifier) {
  Encoder encoder;
  const std::span<const uint8_t> encoded = encoder.Encode(SampleCommands()[0]);
  const std::vector<uint8_t> input(encoded.begin(), encoded.end());
  uint32_t prefix = 0;
  std::memcpy(&prefix, input.data(), sizeof(prefix));
  EXPECT_EQ(prefix, input.size() - 4);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(input.data()) + 8, 4), kInputIdentifier);
  EXPECT_EQ(input.size() % 8, 0u);

  const std::span<const uint8_t> output = encoder.Encode(SampleEvents()[0]);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(output.data()) + 8, 4), kOutputIdentifier);
  Command not_a_command;
  EXPECT_EQ(Decode(output, not_a_command), RejectReason::kMalformed);
}

// Journal digests and JSON round trips rely on one value having one encoding.
TEST(EncoderTest, EncodingIsCanonical) {
  Encoder first;
  Encoder second(16);  // a builder that has to grow gives the same bytes
  for (const Command& command : SampleCommands()) {
    const std::span<const uint8_t> a = first.Encode(command);
    const std::vector<uint8_t> copy(a.begin(), a.end());
    (void)first.Encode(SampleCommands()[4]);  // something else in between
    const std::span<const uint8_t> b = second.Encode(command);
    EXPECT_EQ(std::vector<uint8_t>(b.begin(), b.end()), copy);
    const std::span<const uint8_t> again = first.Encode(command);
    EXPECT_EQ(std::vector<uint8_t>(again.begin(), again.end()), copy);
  }
}

TEST(EncoderTest, NoAllocationOnceWarm) {
  Encoder encoder;
  const std::vector<Command> commands = SampleCommands();
  const std::vector<Event> events = SampleEvents();
  for (const Command& c : commands) (void)encoder.Encode(c);
  for (const Event& e : events) (void)encoder.Encode(e);
  const long before = g_allocations.load();
  size_t bytes = 0;
  for (int round = 0; round < 100; ++round) {
    for (const Command& c : commands) bytes += encoder.Encode(c).size();
    for (const Event& e : events) bytes += encoder.Encode(e).size();
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GT(bytes, 0u);
}

TEST(EncoderTest, DecodeDoesNotAllocate) {
  Encoder encoder;
  std::vector<std::vector<uint8_t>> frames;
  for (const Command& c : SampleCommands()) {
    const std::span<const uint8_t> f = encoder.Encode(c);
    frames.emplace_back(f.begin(), f.end());
  }
  Command out;
  const long before = g_allocations.load();
  int ok = 0;
  for (const auto& frame : frames) ok += Decode(frame, out) == RejectReason::kNone ? 1 : 0;
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(ok, static_cast<int>(frames.size()));
}

}  // namespace
}  // namespace cascade::wire
