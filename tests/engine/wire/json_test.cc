#include "engine/wire/json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

using testing::DumpFields;

class JsonCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
    ASSERT_TRUE(codec.ok()) << codec.status();
    codec_ = std::move(*codec);
  }
  std::unique_ptr<JsonCodec> codec_;
  Encoder encoder_;
};

TEST_F(JsonCodecTest, EveryCommandRoundTrips) {
  for (const Command& command : SampleCommands()) {
    SCOPED_TRACE(CommandName(command.body.index()));
    absl::StatusOr<std::string> json = codec_->ToJson(command);
    ASSERT_TRUE(json.ok()) << json.status();
    EXPECT_EQ(json->find('\n'), std::string::npos) << "one object per line";
    absl::StatusOr<Command> back = codec_->ParseCommand(*json);
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << *json;
    EXPECT_EQ(DumpFields(*back), DumpFields(command)) << *json;
  }
}

TEST_F(JsonCodecTest, EveryEventRoundTrips) {
  for (const Event& event : SampleEvents()) {
    SCOPED_TRACE(EventName(event.body.index()));
    absl::StatusOr<std::string> json = codec_->ToJson(event);
    ASSERT_TRUE(json.ok()) << json.status();
    absl::StatusOr<Event> back = codec_->ParseEvent(*json);
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << *json;
    EXPECT_EQ(DumpFields(*back), DumpFields(event)) << *json;
  }
}

// JSON -> command -> canonical encoding reproduces the original frame byte for byte, which is why
// a journal converted to JSON and back has the same digest.
TEST_F(JsonCodecTest, FrameToJsonAndBackIsByteIdentical) {
  for (const Command& command : SampleCommands()) {
    const std::span<const uint8_t> encoded = encoder_.Encode(command);
    const std::vector<uint8_t> frame(encoded.begin(), encoded.end());
    absl::StatusOr<std::string> json = codec_->InputToJson(frame);
    ASSERT_TRUE(json.ok()) << json.status();
    absl::StatusOr<Command> back = codec_->ParseCommand(*json);
    ASSERT_TRUE(back.ok()) << back.status();
    const std::span<const uint8_t> again = encoder_.Encode(*back);
    EXPECT_EQ(std::vector<uint8_t>(again.begin(), again.end()), frame) << *json;
  }
}

TEST_F(JsonCodecTest, UsesTheSchemaNames) {
  NewOrder order;
  order.side = Side::kSell;
  order.tif = TimeInForce::kPostOnly;
  order.price = Price(5);
  order.qty = Qty(2);
  absl::StatusOr<std::string> json = codec_->ToJson(Command{SeqNo(3), Timestamp(4), order});
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"seq": 3,"ts_ns": 4,"body_type": "NewOrder","body": {"side": "Sell","tif": )"
                   R"("PostOnly","price": 5,"qty": 2}})");
}

TEST_F(JsonCodecTest, OmittedFieldsAreTheDefaults) {
  absl::StatusOr<Command> c =
      codec_->ParseCommand(R"({"seq": 5, "body_type": "MassCancel", "body": {"account": 4}})");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(std::holds_alternative<MassCancel>(c->body));
  EXPECT_TRUE(std::get<MassCancel>(c->body).all_symbols);
  EXPECT_EQ(std::get<MassCancel>(c->body).account, AccountId(4));
  EXPECT_EQ(c->ts, Timestamp(0));
}

TEST_F(JsonCodecTest, BadJsonIsAnErrorThatSaysWhy) {
  for (const char* bad :
       {"", "{", "not json", R"({"seq": 1, "bogus": 2})",
        R"({"body_type": "NoSuchCommand", "body": {}})",
        R"({"body_type": "NewOrder", "body": {"side": "Up"}})", R"({"seq": -1})"}) {
    absl::StatusOr<Command> c = codec_->ParseCommand(bad);
    EXPECT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_FALSE(c.status().message().empty());
  }
  absl::StatusOr<Command> unrepresentable =
      codec_->ParseCommand(R"({"body_type": "NewOrder", "body": {"account": 99999999999}})");
  ASSERT_FALSE(unrepresentable.ok());
  EXPECT_NE(unrepresentable.status().message().find("cannot be represented"), std::string::npos);
}

// A recorded invalid command stays convertible: only Decode() judges it.
TEST_F(JsonCodecTest, ConvertsCommandsTheEngineWouldReject) {
  const std::string json =
      R"({"seq": 1,"ts_ns": 2,"body_type": "NewOrder","body": {"side": 7,"qty": -3}})";
  absl::StatusOr<Command> c = codec_->ParseCommand(json);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(static_cast<int>(std::get<NewOrder>(c->body).side), 7);
  absl::StatusOr<std::string> again = codec_->ToJson(*c);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, json);
}

TEST_F(JsonCodecTest, NonUtf8TokenRoundTrips) {
  Logon logon;
  logon.token = {'a', '\xff', '\x01', 'z'};
  absl::StatusOr<std::string> json = codec_->ToJson(Command{SeqNo(1), Timestamp(1), logon});
  ASSERT_TRUE(json.ok()) << json.status();
  absl::StatusOr<Command> back = codec_->ParseCommand(*json);
  ASSERT_TRUE(back.ok()) << back.status() << " " << *json;
  EXPECT_EQ(std::get<Logon>(back->body).token, logon.token);
}

TEST_F(JsonCodecTest, DescribeShowsTheBody) {
  absl::StatusOr<std::string> text = codec_->DescribeInput(encoder_.Encode(SampleCommands()[1]));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "CancelOrder {symbol: 1,account: 7,order_id: 900000000001}");
  absl::StatusOr<std::string> event = codec_->DescribeOutput(encoder_.Encode(SampleEvents()[7]));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(*event,
            "TopOfBook {symbol: 1,bid_price: 1168470,bid_qty: 9,ask_price: 1168490,"
            "ask_qty: 10}");
  EXPECT_FALSE(codec_->DescribeInput(std::vector<uint8_t>(16, 0)).ok());
}

TEST_F(JsonCodecTest, MisalignedFramesConvert) {
  const std::span<const uint8_t> frame = encoder_.Encode(SampleCommands()[4]);
  std::vector<uint8_t> storage(frame.size() + 3);
  std::copy(frame.begin(), frame.end(), storage.begin() + 3);
  const std::span<const uint8_t> shifted = std::span<const uint8_t>(storage).subspan(3);
  absl::StatusOr<std::string> json = codec_->InputToJson(shifted);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json, *codec_->ToJson(SampleCommands()[4]));
  EXPECT_TRUE(codec_->DescribeInput(shifted).ok());
}

TEST_F(JsonCodecTest, RefusesUnverifiedFrames) {
  const std::span<const uint8_t> frame = encoder_.Encode(SampleCommands()[0]);
  std::vector<uint8_t> cut(frame.begin(), frame.end() - 8);
  EXPECT_FALSE(codec_->InputToJson(cut).ok());
  EXPECT_FALSE(codec_->OutputToJson(frame).ok());
}

}  // namespace
}  // namespace cascade::wire
