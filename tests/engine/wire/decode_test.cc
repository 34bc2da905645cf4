#include "engine/wire/decode.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "engine/wire/encode.h"
#include "engine/wire/json.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes EncodeCommand(const Command& command) {
  Encoder encoder;
  const std::span<const uint8_t> frame = encoder.Encode(command);
  return Bytes(frame.begin(), frame.end());
}

RejectReason DecodeReason(const Bytes& frame) {
  Command out;
  return Decode(frame, out);
}

uint32_t U32(const Bytes& b, size_t at) {
  uint32_t v;
  std::memcpy(&v, b.data() + at, sizeof(v));
  return v;
}

// Where the input envelope's union tag byte sits, found by walking the FlatBuffers layout by hand
// (root offset, vtable, field 2) so the test can forge tags no encoder would write.
size_t BodyTypeOffset(const Bytes& frame) {
  const size_t root = 4 + U32(frame, 4);
  int32_t vtable_back;
  std::memcpy(&vtable_back, frame.data() + root, sizeof(vtable_back));
  const size_t vtable = root - static_cast<size_t>(vtable_back);
  uint16_t field;
  std::memcpy(&field, frame.data() + vtable + 4 + 2 * 2, sizeof(field));
  EXPECT_NE(field, 0);
  return root + field;
}

Command WithBody(CommandBody body) { return Command{SeqNo(9), Timestamp(1'000), body}; }

NewOrder ValidLimit() {
  NewOrder order;
  order.symbol = SymbolId(1);
  order.account = AccountId(2);
  order.order_id = OrderId(3);
  order.price = Price(100);
  order.qty = Qty(5);
  return order;
}

TEST(DecodeTest, RejectsBytesThatAreNotAFrame) {
  EXPECT_EQ(DecodeReason({}), RejectReason::kMalformed);
  for (size_t n = 1; n < 16; ++n) EXPECT_EQ(DecodeReason(Bytes(n, 0)), RejectReason::kMalformed);
  EXPECT_EQ(DecodeReason(Bytes(64, 0xff)), RejectReason::kMalformed);
  Bytes random(200);
  uint64_t x = 12345;
  for (uint8_t& b : random) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    b = static_cast<uint8_t>(x >> 56);
  }
  EXPECT_EQ(DecodeReason(random), RejectReason::kMalformed);
}

TEST(DecodeTest, RejectsEveryTruncationAndAWrongSizePrefix) {
  const Bytes frame = EncodeCommand(SampleCommands()[0]);
  for (size_t n = 0; n < frame.size(); ++n) {
    EXPECT_EQ(DecodeReason(Bytes(frame.begin(), frame.begin() + static_cast<long>(n))),
              RejectReason::kMalformed)
        << n;
  }
  Bytes longer = frame;
  longer.resize(frame.size() + 8, 0);  // trailing bytes the prefix does not cover
  EXPECT_EQ(DecodeReason(longer), RejectReason::kMalformed);
}

TEST(DecodeTest, RejectsAnOutputFrame) {
  Encoder encoder;
  const std::span<const uint8_t> event = encoder.Encode(SampleEvents()[0]);
  EXPECT_EQ(DecodeReason(Bytes(event.begin(), event.end())), RejectReason::kMalformed);
  Event out;
  EXPECT_FALSE(DecodeEvent(EncodeCommand(SampleCommands()[0]), out));
}

TEST(DecodeTest, UnknownUnionTagIsUnsupportedAndNoneIsMalformed) {
  Bytes frame = EncodeCommand(SampleCommands()[0]);
  const size_t tag_at = BodyTypeOffset(frame);
  ASSERT_EQ(frame[tag_at], 1);  // NewOrder
  frame[tag_at] = static_cast<uint8_t>(std::variant_size_v<CommandBody> + 1);
  EXPECT_EQ(DecodeReason(frame), RejectReason::kUnsupportedCommand);
  frame[tag_at] = 255;
  EXPECT_EQ(DecodeReason(frame), RejectReason::kUnsupportedCommand);
  frame[tag_at] = 0;
  EXPECT_EQ(DecodeReason(frame), RejectReason::kMalformed);
}

class DecodeJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
    ASSERT_TRUE(codec.ok()) << codec.status();
    codec_ = std::move(*codec);
  }
  RejectReason DecodeJson(const std::string& json) {
    absl::StatusOr<Bytes> frame = codec_->InputFrameFromJson(json);
    EXPECT_TRUE(frame.ok()) << frame.status();
    return frame.ok() ? DecodeReason(*frame) : RejectReason::kNone;
  }
  std::unique_ptr<JsonCodec> codec_;
};

TEST_F(DecodeJsonTest, MissingBodyIsMalformed) {
  EXPECT_EQ(DecodeJson(R"({"seq": 1, "body_type": "NewOrder"})"), RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson(R"({"seq": 1})"), RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson(R"({"seq": 1, "body_type": "ConfigureSymbol", "body": {}})"),
            RejectReason::kMalformed);
}

TEST_F(DecodeJsonTest, IdsTheEngineCannotHoldAreMalformed) {
  const std::string order = R"("body_type": "NewOrder", "body": {"price": 1, "qty": 1, )";
  EXPECT_EQ(DecodeJson("{" + order + R"("account": 4294967295}})"), RejectReason::kNone);
  EXPECT_EQ(DecodeJson("{" + order + R"("account": 4294967296}})"), RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson("{" + order + R"("symbol": 18446744073709551615}})"),
            RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson("{" + order + R"("order_id": 18446744073709551615}})"), RejectReason::kNone);
}

TEST_F(DecodeJsonTest, OutOfRangeEnumsAreRejected) {
  EXPECT_EQ(DecodeJson(R"({"body_type": "NewOrder", "body": {"price": 1, "qty": 1, "side": 2}})"),
            RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson(R"({"body_type": "NewOrder", "body": {"price": 1, "qty": 1, "type": 4}})"),
            RejectReason::kInvalidOrderType);
  EXPECT_EQ(DecodeJson(R"({"body_type": "NewOrder", "body": {"price": 1, "qty": 1, "tif": 9}})"),
            RejectReason::kInvalidOrderType);
  EXPECT_EQ(DecodeJson(R"({"body_type": "Deposit", "body": {"amount": 1, "margin": 2}})"),
            RejectReason::kMalformed);
}

TEST_F(DecodeJsonTest, OversizedFrameIsMalformed) {
  const std::string token(kMaxMessageBytes, 'x');
  EXPECT_EQ(DecodeJson(R"({"body_type": "Logon", "body": {"token": ")" + token + "\"}}"),
            RejectReason::kMalformed);
  // A token longer than the engine's array cannot be represented.
  EXPECT_EQ(DecodeJson(R"({"body_type": "Logon", "body": {"token": ")" +
                       std::string(kMaxTokenLength + 1, 'y') + "\"}}"),
            RejectReason::kMalformed);
  EXPECT_EQ(DecodeJson(R"({"body_type": "Logon", "body": {"token": ")" +
                       std::string(kMaxTokenLength, 'y') + "\"}}"),
            RejectReason::kNone);
}

// The engine's text fields are NUL-padded arrays: a NUL inside could not survive a round trip.
TEST_F(DecodeJsonTest, TextWithNulCannotBeRepresented) {
  EXPECT_EQ(DecodeJson(R"({"body_type": "Logon", "body": {"token": "ab\u0000cd"}})"),
            RejectReason::kMalformed);
  EXPECT_EQ(
      DecodeJson(R"({"body_type": "ConfigureSymbol", "body": {"config": {"name": "B\u0000"}}})"),
      RejectReason::kInvalidSymbolConfig);
}

TEST(DecodeTest, SemanticRejectsCarryTheirReason) {
  NewOrder zero_qty = ValidLimit();
  zero_qty.qty = Qty(0);
  EXPECT_EQ(DecodeReason(EncodeCommand(WithBody(zero_qty))), RejectReason::kInvalidQuantity);
  NewOrder negative_price = ValidLimit();
  negative_price.price = Price(-1);
  EXPECT_EQ(DecodeReason(EncodeCommand(WithBody(negative_price))), RejectReason::kInvalidPrice);
  Deposit deposit;
  EXPECT_EQ(DecodeReason(EncodeCommand(WithBody(deposit))), RejectReason::kInvalidAmount);
  SetLeverage leverage;
  leverage.leverage = 0;
  EXPECT_EQ(DecodeReason(EncodeCommand(WithBody(leverage))), RejectReason::kInvalidLeverage);
  ConfigureSymbol config;
  EXPECT_EQ(DecodeReason(EncodeCommand(WithBody(config))), RejectReason::kInvalidSymbolConfig);
  Command backwards = WithBody(ValidLimit());
  backwards.ts = Timestamp(-1);
  EXPECT_EQ(DecodeReason(EncodeCommand(backwards)), RejectReason::kMalformed);
}

// Tools read recorded bad commands; only Decode() refuses them.
TEST(DecodeTest, ReadKeepsWhatDecodeRejects) {
  NewOrder order = ValidLimit();
  order.qty = Qty(0);
  const Bytes frame = EncodeCommand(WithBody(order));
  Command read;
  EXPECT_EQ(Read(frame, read), RejectReason::kNone);
  EXPECT_EQ(testing::DumpFields(read), testing::DumpFields(WithBody(order)));
  Command decoded;
  EXPECT_EQ(Decode(frame, decoded), RejectReason::kInvalidQuantity);
  // What was read still addresses the rejection.
  const CommandRejected rejected = RejectionOf(decoded, RejectReason::kInvalidQuantity);
  EXPECT_EQ(rejected.command, 0);
  EXPECT_EQ(rejected.symbol, SymbolId(1));
  EXPECT_EQ(rejected.account, AccountId(2));
  EXPECT_EQ(rejected.order_id, OrderId(3));
  EXPECT_EQ(rejected.reason, RejectReason::kInvalidQuantity);
  EXPECT_EQ(decoded.seq, SeqNo(9));
}

TEST(DecodeTest, RejectionOfAddressesEveryKind) {
  for (const Command& command : SampleCommands()) {
    const CommandRejected r = RejectionOf(command, RejectReason::kMalformed);
    EXPECT_EQ(r.command, command.body.index());
  }
  const Command config = SampleCommands()[4];
  ASSERT_TRUE(std::holds_alternative<ConfigureSymbol>(config.body));
  EXPECT_EQ(RejectionOf(config, RejectReason::kSymbolExists).symbol, SymbolId(1));
  const Command deposit = SampleCommands()[5];
  EXPECT_EQ(RejectionOf(deposit, RejectReason::kInvalidAmount).account, AccountId(7));
}

// Gateways read frames out of a stream at any offset.
TEST(DecodeTest, MisalignedFramesDecode) {
  for (const Command& command : SampleCommands()) {
    const Bytes frame = EncodeCommand(command);
    for (size_t shift = 1; shift < 8; ++shift) {
      Bytes storage(frame.size() + shift);
      std::memcpy(storage.data() + shift, frame.data(), frame.size());
      Command out;
      ASSERT_EQ(Decode(std::span<const uint8_t>(storage).subspan(shift), out), RejectReason::kNone);
      EXPECT_EQ(testing::DumpFields(out), testing::DumpFields(command));
      EXPECT_EQ(InputKind(std::span<const uint8_t>(storage).subspan(shift)), command.body.index());
    }
  }
  Encoder encoder;
  for (const Event& event : SampleEvents()) {
    const std::span<const uint8_t> frame = encoder.Encode(event);
    Bytes storage(frame.size() + 5);
    std::memcpy(storage.data() + 5, frame.data(), frame.size());
    Event out;
    ASSERT_TRUE(DecodeEvent(std::span<const uint8_t>(storage).subspan(5), out));
    EXPECT_EQ(testing::DumpFields(out), testing::DumpFields(event));
    EXPECT_EQ(OutputKind(std::span<const uint8_t>(storage).subspan(5)), event.body.index());
  }
}

}  // namespace
}  // namespace cascade::wire
