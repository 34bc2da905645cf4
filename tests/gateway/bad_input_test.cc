// Hostile and broken clients: garbage, oversized and truncated frames, invalid content, floods,
// a client that never reads. Each must be answered or cut off while the other sessions go on and
// the state stays exactly what the journal says.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <random>
#include <variant>

#include "engine/wire/encode.h"
#include "gateway/framing.h"
#include "tests/gateway/test_support.h"

namespace cascade::gateway::testing {
namespace {

bool IsAnswer(const Event& e) {
  return std::holds_alternative<OrderAccepted>(e.body) ||
         std::holds_alternative<CommandRejected>(e.body);
}

RejectReason ReasonOf(const std::vector<Event>& events) {
  for (const Event& e : events) {
    if (const auto* r = std::get_if<CommandRejected>(&e.body)) return r->reason;
  }
  return RejectReason::kNone;
}

class GatewayBadInputTest : public ::testing::Test {
 protected:
  GatewayBadInputTest()
      : dir_(MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name())),
        config_(TestConfig(dir_)) {}

  // A well-behaved session still trades, and after the stop the server's state equals a clean
  // replay of its journal.
  void ExpectHealthy(TestServer& server, uint64_t order_id) {
    auto good = LoggedOn(server.port(), kTraderBToken);
    ASSERT_TRUE(good->Send(Input(Limit(AccountId(2001), order_id, Side::kBuy, 100, 1))).ok());
    const std::vector<Event> events = ReceiveUntil(*good, IsAnswer);
    ASSERT_FALSE(events.empty());
    EXPECT_TRUE(std::holds_alternative<OrderAccepted>(events.back().body));
    good.reset();
    ASSERT_TRUE(server.Stop().ok());
    const Replay replay = ReplayJournal(dir_ + "/inputs.journal", config_.engine);
    EXPECT_EQ(replay.digest, server.server().engine_host().engine().StateDigest());
    EXPECT_EQ(replay.last_seq, server.server().engine_host().last_seq());
  }

  std::string dir_;
  GatewayConfig config_;
};

TEST_F(GatewayBadInputTest, GarbageIsAnsweredMalformedAndTheSessionClosed) {
  TestServer server(config_);
  auto bad = LoggedOn(server.port(), kTraderAToken);
  std::mt19937 random(7);
  std::vector<uint8_t> garbage;
  AppendFramePrefix(garbage, 200);
  for (int i = 0; i < 200; ++i) garbage.push_back(static_cast<uint8_t>(random()));
  ASSERT_TRUE(bad->SendBytes(garbage).ok());
  EXPECT_EQ(ReasonOf(ReceiveUntil(*bad, IsAnswer)), RejectReason::kMalformed);
  EXPECT_TRUE(WaitForClose(*bad));
  ExpectHealthy(server, 1);
  EXPECT_EQ(server.server().stats().malformed_closes, 1u);
}

TEST_F(GatewayBadInputTest, OversizedFrameIsRefusedBeforeItIsRead) {
  TestServer server(config_);
  auto bad = LoggedOn(server.port(), kTraderAToken);
  std::vector<uint8_t> prefix;
  AppendFramePrefix(prefix, 1u << 30);  // announces a gigabyte, sends almost nothing
  prefix.resize(prefix.size() + 100, 0xAB);
  ASSERT_TRUE(bad->SendBytes(prefix).ok());
  EXPECT_EQ(ReasonOf(ReceiveUntil(*bad, IsAnswer)), RejectReason::kFrameTooLarge);
  EXPECT_TRUE(WaitForClose(*bad));
  ExpectHealthy(server, 2);
}

TEST_F(GatewayBadInputTest, TruncatedFramesApplyNothingAndStallNobody) {
  TestServer server(config_);
  wire::Encoder encoder;
  const std::span<const uint8_t> frame =
      encoder.Encode(Input(Limit(AccountId(1001), 9, Side::kSell, 5000, 1)));
  const std::vector<uint8_t> half(frame.begin(), frame.begin() + frame.size() / 2);
  // One client sends half a frame and hangs up, another sends half a frame and waits.
  auto gone = LoggedOn(server.port(), kTraderAToken);
  ASSERT_TRUE(gone->SendBytes(half).ok());
  gone.reset();
  auto stuck = LoggedOn(server.port(), kTraderAToken);
  ASSERT_TRUE(stuck->SendBytes(half).ok());
  ExpectHealthy(server, 3);
  EXPECT_EQ(server.server().engine_host().engine().Order(AccountId(1001), OrderId(9)).status,
            OrderStatus::kUnknown);
}

TEST_F(GatewayBadInputTest, InvalidContentIsRefusedAndTheSessionGoesOn) {
  TestServer server(config_);
  auto client = LoggedOn(server.port(), kTraderAToken);
  ASSERT_TRUE(client->Send(Input(Limit(AccountId(1001), 1, Side::kBuy, 100, 0))).ok());
  std::vector<Event> answer = ReceiveUntil(*client, IsAnswer);
  EXPECT_EQ(ReasonOf(answer), RejectReason::kInvalidQuantity);
  EXPECT_EQ(answer.back().seq, SeqNo(0));
  NewOrder bad_side = Limit(AccountId(1001), 2, Side::kBuy, 100, 1);
  bad_side.side = static_cast<Side>(9);
  ASSERT_TRUE(client->Send(Input(bad_side)).ok());
  EXPECT_NE(ReasonOf(ReceiveUntil(*client, IsAnswer)), RejectReason::kNone);
  ASSERT_TRUE(client->Send(Input(Limit(AccountId(1001), 3, Side::kBuy, 100, 1))).ok());
  answer = ReceiveUntil(*client, IsAnswer);
  ASSERT_FALSE(answer.empty());
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(answer.back().body));
  client.reset();
  ExpectHealthy(server, 4);
}

TEST_F(GatewayBadInputTest, FloodBeyondTheRateLimitGetsExplicitRejects) {
  config_.tokens[1].messages_per_second = 50;
  config_.tokens[1].burst = 10;
  TestServer server(config_);
  auto flood = LoggedOn(server.port(), kTraderAToken);
  constexpr int kSent = 200;
  for (int i = 0; i < kSent; ++i) {
    ASSERT_TRUE(flood->Send(Input(Limit(AccountId(1001), 100 + i, Side::kBuy, 100, 1))).ok());
  }
  int accepted = 0;
  int limited = 0;
  ReceiveUntil(*flood, [&](const Event& e) {
    if (std::holds_alternative<OrderAccepted>(e.body)) ++accepted;
    if (const auto* r = std::get_if<CommandRejected>(&e.body)) {
      EXPECT_EQ(r->reason, RejectReason::kRateLimited);
      ++limited;
    }
    return accepted + limited == kSent;
  });
  EXPECT_EQ(accepted + limited, kSent);  // every message answered
  EXPECT_GE(accepted, 10);
  EXPECT_LE(accepted, 40);  // the burst plus what refills while the flood is read
  flood.reset();
  ExpectHealthy(server, 5);
  EXPECT_EQ(server.server().stats().rate_limited, static_cast<uint64_t>(limited));
}

TEST_F(GatewayBadInputTest, ClientThatNeverReadsIsCutOffWithoutHoldingUpOthers) {
  config_.max_queued_bytes = 64 * 1024;
  TestServer server(config_);
  Client sleeper;
  ASSERT_TRUE(sleeper.Connect("127.0.0.1", server.port()).ok());
  const int small = 4096;
  ::setsockopt(sleeper.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  ASSERT_TRUE(sleeper.Logon(kTraderBToken).ok());
  // Market data the sleeper never reads: every order moves the top of the book.
  auto busy = LoggedOn(server.port(), kTraderAToken);
  constexpr int kOrders = 30'000;
  int answered = 0;
  for (int i = 0; i < kOrders; ++i) {
    ASSERT_TRUE(busy->Send(Input(Limit(AccountId(1001), 1 + i, Side::kBuy, 1 + i, 1))).ok());
    if (i % 100 == 99) {
      // Stay in step so that the busy client itself reads everything.
      ReceiveUntil(*busy, [&](const Event& e) {
        if (std::holds_alternative<OrderAccepted>(e.body)) ++answered;
        return answered == i + 1;
      });
    }
  }
  EXPECT_EQ(answered, kOrders);
  busy.reset();
  ExpectHealthy(server, 1'000'000);
  EXPECT_EQ(server.server().stats().overload_closes, 1u);
}

}  // namespace
}  // namespace cascade::gateway::testing
