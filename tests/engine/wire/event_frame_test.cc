// The encoder writes event frames itself (engine/wire/frame_writer.h) instead of through
// flatbuffers::FlatBufferBuilder. The bytes must be exactly the builder's: journal digests and
// JSON round trips rely on one value having one encoding. These tests compare the two on every
// event type, with random field values that hit the schema defaults (which the builder leaves
// out) often.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/encode_reference.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Fast(Encoder& encoder, const Event& event) {
  const std::span<const uint8_t> frame = encoder.Encode(event);
  return {frame.begin(), frame.end()};
}

// A value of integer type T: half the time one of the values that change the layout (0 and 1, the
// defaults, and the extremes), otherwise any bit pattern, small or wide.
template <typename T>
T RandomInteger(std::mt19937_64& rng) {
  const uint64_t bits = rng();
  switch (rng() % 8) {
    case 0:
    case 1:
      return T{0};
    case 2:
      return T{1};
    case 3:
      return (bits & 1) != 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
    case 4:
      return static_cast<T>(bits % 5);
    default:
      return static_cast<T>(bits >> (rng() % 64));
  }
}

// Sets every field of an event body to a random value, generically (field_dump.h's visitor).
struct Randomize {
  std::mt19937_64& rng;

  template <typename Field>
  void operator()(const Field& field) const {
    auto& f = const_cast<Field&>(field);  // NOLINT: the visitor is const-only; the body is not
    if constexpr (std::is_same_v<Field, bool>) {
      f = rng() % 2 == 0;
    } else if constexpr (std::is_enum_v<Field>) {
      using U = std::underlying_type_t<Field>;
      // Mostly the first values; now and then any value at all, the encoder copies it as it is.
      f = static_cast<Field>(rng() % 4 == 0 ? RandomInteger<U>(rng) : static_cast<U>(rng() % 3));
    } else if constexpr (testing::field_dump_internal::Strong<Field>) {
      f = Field(RandomInteger<typename Field::rep>(rng));
    } else {
      static_assert(std::is_integral_v<Field>);
      f = RandomInteger<Field>(rng);
    }
  }
};

TEST(EventFrameTest, SamplesMatchTheBuilder) {
  Encoder encoder;
  for (const Event& event : SampleEvents()) {
    SCOPED_TRACE(EventName(event.body.index()));
    EXPECT_EQ(Fast(encoder, event), internal::EncodeEventWithBuilder(event));
  }
}

TEST(EventFrameTest, DefaultValuedEventsMatchTheBuilder) {
  Encoder encoder;
  for (const Event& sample : SampleEvents()) {
    SCOPED_TRACE(EventName(sample.body.index()));
    Event event;
    event.body = sample.body;
    std::visit([](auto& body) { body = std::decay_t<decltype(body)>{}; }, event.body);
    EXPECT_EQ(Fast(encoder, event), internal::EncodeEventWithBuilder(event));
    event.seq = SeqNo(7);  // the envelope's fields left out and written, one at a time
    EXPECT_EQ(Fast(encoder, event), internal::EncodeEventWithBuilder(event));
    event.seq = SeqNo(0);
    event.ts = Timestamp(-1);
    EXPECT_EQ(Fast(encoder, event), internal::EncodeEventWithBuilder(event));
  }
}

TEST(EventFrameTest, RandomEventsMatchTheBuilder) {
  std::mt19937_64 rng(20261206);
  Encoder encoder;
  const std::vector<Event> samples = SampleEvents();
  for (int round = 0; round < 4000; ++round) {
    for (const Event& sample : samples) {
      Event event;
      event.seq = SeqNo(RandomInteger<SeqNo::rep>(rng));
      event.ts = Timestamp(RandomInteger<Timestamp::rep>(rng));
      event.body = sample.body;
      std::visit(
          [&rng](auto& body) { testing::field_dump_internal::ForEachField(body, Randomize{rng}); },
          event.body);
      const Bytes fast = Fast(encoder, event);
      ASSERT_EQ(fast, internal::EncodeEventWithBuilder(event))
          << EventName(event.body.index()) << " " << testing::DumpFields(event);
      Event decoded;
      ASSERT_TRUE(DecodeEvent(fast, decoded)) << testing::DumpFields(event);
    }
  }
}

// The encoder's buffer is reused: nothing of a longer frame may show through a shorter one.
TEST(EventFrameTest, ShortFramesAfterLongOnesMatch) {
  Encoder encoder;
  const std::vector<Event> samples = SampleEvents();
  for (const Event& longer : samples) {
    for (const Event& sample : samples) {
      Event shorter;
      shorter.body = sample.body;
      std::visit([](auto& body) { body = std::decay_t<decltype(body)>{}; }, shorter.body);
      (void)encoder.Encode(longer);
      EXPECT_EQ(Fast(encoder, shorter), internal::EncodeEventWithBuilder(shorter));
    }
  }
}

}  // namespace
}  // namespace cascade::wire
