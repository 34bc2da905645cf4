// The gateway over loopback: logon, orders, fills, who receives what, permissions.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <variant>

#include "tests/gateway/test_support.h"

namespace cascade::gateway::testing {
namespace {

template <typename T>
size_t Count(const std::vector<Event>& events) {
  return static_cast<size_t>(std::count_if(events.begin(), events.end(), [](const Event& e) {
    return std::holds_alternative<T>(e.body);
  }));
}

template <typename T>
const T* First(const std::vector<Event>& events) {
  for (const Event& e : events) {
    if (const T* t = std::get_if<T>(&e.body)) return t;
  }
  return nullptr;
}

bool IsTopOfBook(const Event& e) { return std::holds_alternative<TopOfBook>(e.body); }

class GatewayEndToEndTest : public ::testing::Test {
 protected:
  GatewayEndToEndTest()
      : dir_(MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name())),
        config_(TestConfig(dir_)) {}
  std::string dir_;
  GatewayConfig config_;
};

TEST_F(GatewayEndToEndTest, FillsReachBothPartiesAndMarketDataReachesEveryone) {
  TestServer server(config_);
  // First start journals the two symbols and the three trader accounts' opening deposits.
  EXPECT_EQ(server.recovery().last_seq, SeqNo(5));
  auto a = LoggedOn(server.port(), kTraderAToken);
  auto b = LoggedOn(server.port(), kTraderBToken);
  auto admin = LoggedOn(server.port(), kAdminToken);

  ASSERT_TRUE(a->Send(Input(Limit(AccountId(1001), 1, Side::kSell, 1000, 5))).ok());
  std::vector<Event> to_a = ReceiveUntil(*a, IsTopOfBook);
  ASSERT_NE(First<OrderAccepted>(to_a), nullptr);
  EXPECT_EQ(to_a.front().seq, SeqNo(6));  // the gateway's sequence, not the client's
  EXPECT_GT(to_a.front().ts.value(), 0);
  // B and the admin see the book change, not A's order.
  std::vector<Event> to_b = ReceiveUntil(*b, IsTopOfBook);
  EXPECT_EQ(Count<OrderAccepted>(to_b), 0u);
  ASSERT_EQ(Count<TopOfBook>(to_b), 1u);
  EXPECT_EQ(First<TopOfBook>(to_b)->ask_price, Price(1000));
  EXPECT_EQ(Count<TopOfBook>(ReceiveUntil(*admin, IsTopOfBook)), 1u);

  ASSERT_TRUE(b->Send(Input(Limit(AccountId(2001), 7, Side::kBuy, 1000, 3))).ok());
  to_b = ReceiveUntil(*b, IsTopOfBook);
  ASSERT_NE(First<OrderAccepted>(to_b), nullptr);
  const Trade* b_trade = First<Trade>(to_b);
  ASSERT_NE(b_trade, nullptr);
  EXPECT_EQ(b_trade->taker_account, AccountId(2001));
  EXPECT_EQ(b_trade->maker_account, AccountId(1001));
  EXPECT_EQ(b_trade->qty, Qty(3));

  to_a = ReceiveUntil(*a, IsTopOfBook);
  EXPECT_EQ(Count<OrderAccepted>(to_a), 0u);  // B's acceptance is B's business
  const Trade* a_trade = First<Trade>(to_a);
  ASSERT_NE(a_trade, nullptr);
  EXPECT_EQ(a_trade->maker_order, OrderId(1));
  EXPECT_EQ(a_trade->maker_remaining, Qty(2));

  // The tape: price and size, no accounts.
  const std::vector<Event> to_admin = ReceiveUntil(*admin, IsTopOfBook);
  const Trade* tape = First<Trade>(to_admin);
  ASSERT_NE(tape, nullptr);
  EXPECT_EQ(tape->price, Price(1000));
  EXPECT_EQ(tape->qty, Qty(3));
  EXPECT_EQ(tape->maker_account, AccountId(0));
  EXPECT_EQ(tape->taker_account, AccountId(0));
  EXPECT_EQ(Count<OrderAccepted>(to_admin), 0u);

  // A cancels the rest; only A hears of it, everyone sees the empty book.
  ASSERT_TRUE(a->Send(Input(CancelOrder{kBtc, AccountId(1001), OrderId(1)})).ok());
  to_a = ReceiveUntil(*a, IsTopOfBook);
  ASSERT_NE(First<OrderCancelled>(to_a), nullptr);
  EXPECT_EQ(First<OrderCancelled>(to_a)->remaining, Qty(2));
  to_b = ReceiveUntil(*b, IsTopOfBook);
  EXPECT_EQ(Count<OrderCancelled>(to_b), 0u);
  EXPECT_EQ(First<TopOfBook>(to_b)->ask_qty, Qty(0));

  ASSERT_TRUE(server.Stop().ok());
  EXPECT_EQ(server.server().stats().inputs_accepted, 3u);
}

TEST_F(GatewayEndToEndTest, EngineRejectsAreJournaledAnswersToTheSender) {
  TestServer server(config_);
  auto a = LoggedOn(server.port(), kTraderAToken);
  NewOrder unknown_symbol = Limit(AccountId(1002), 5, Side::kBuy, 100, 1);
  unknown_symbol.symbol = SymbolId(9);
  ASSERT_TRUE(a->Send(Input(unknown_symbol)).ok());
  const std::vector<Event> events = ReceiveUntil(
      *a, [](const Event& e) { return std::holds_alternative<CommandRejected>(e.body); });
  const CommandRejected* rejected = First<CommandRejected>(events);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->reason, RejectReason::kUnknownSymbol);
  EXPECT_EQ(rejected->order_id, OrderId(5));
  EXPECT_EQ(events.back().seq, SeqNo(6));  // sequenced: it went through the journal
}

TEST_F(GatewayEndToEndTest, EveryTraderCommandForAnotherAccountIsRefusedAndChangesNothing) {
  TestServer server(config_);
  auto a = LoggedOn(server.port(), kTraderAToken);
  auto b = LoggedOn(server.port(), kTraderBToken);
  ASSERT_TRUE(b->Send(Input(Limit(AccountId(2001), 1, Side::kBuy, 900, 4))).ok());
  const std::vector<Event> placed = ReceiveUntil(*b, IsTopOfBook);
  ASSERT_NE(First<OrderAccepted>(placed), nullptr);
  const SeqNo before = placed.front().seq;
  Drain(*a);

  const AccountId victim(2001);
  SymbolConfig config;
  config.symbol = SymbolId(5);
  config.tick_size_nanos = 1'000'000;
  config.lot_size_nanos = 1'000'000;
  config.max_price = Price(1000);
  config.max_order_qty = Qty(10);
  const std::vector<CommandBody> refused = {
      Limit(victim, 2, Side::kSell, 900, 1),
      CancelOrder{kBtc, victim, OrderId(1)},
      AmendOrder{kBtc, victim, OrderId(1), Price(901), Qty(4)},
      MassCancel{victim, true, SymbolId(0)},
      Deposit{victim, MarginMode::kCross, SymbolId(0), Atoms(1'000'000)},
      Withdraw{victim, MarginMode::kCross, SymbolId(0), Atoms(1'000'000)},
      SetLeverage{victim, MarginMode::kCross, SymbolId(0), 10},
      // Admin-only, whatever the account.
      Deposit{AccountId(1001), MarginMode::kCross, SymbolId(0), Atoms(1'000'000)},
      ConfigureSymbol{config},
      IndexPrice{kBtc, Price(1000)},
      MarkPrice{kBtc, Price(1000)},
      FundingRate{kBtc, 100},
      Timer{},
  };
  for (const CommandBody& body : refused) {
    ASSERT_TRUE(a->Send(Input(body)).ok());
    const std::vector<Event> answer = ReceiveUntil(*a, [](const Event&) { return true; });
    ASSERT_EQ(answer.size(), 1u) << "command kind " << body.index();
    const auto* rejected = std::get_if<CommandRejected>(&answer[0].body);
    ASSERT_NE(rejected, nullptr) << "command kind " << body.index();
    EXPECT_EQ(rejected->reason, RejectReason::kNotAuthorized) << "command kind " << body.index();
    EXPECT_EQ(rejected->command, body.index());
    EXPECT_EQ(answer[0].seq, SeqNo(0)) << "refusals are not sequenced";
  }
  // Nothing reached B or the engine: the next input takes the very next sequence number.
  EXPECT_TRUE(Drain(*b).empty());
  ASSERT_TRUE(a->Send(Input(Limit(AccountId(1001), 1, Side::kSell, 2000, 1))).ok());
  const std::vector<Event> next = ReceiveUntil(*a, IsTopOfBook);
  ASSERT_NE(First<OrderAccepted>(next), nullptr);
  EXPECT_EQ(next.front().seq, SeqNo(before.value() + 1));

  ASSERT_TRUE(server.Stop().ok());
  const Engine& engine = server.server().engine_host().engine();
  EXPECT_EQ(engine.Order(victim, OrderId(1)).status, OrderStatus::kResting);
  EXPECT_EQ(engine.Order(victim, OrderId(1)).open, Qty(4));
  EXPECT_EQ(engine.Order(victim, OrderId(2)).status, OrderStatus::kUnknown);
  EXPECT_EQ(engine.Symbol(SymbolId(5)), nullptr);
}

TEST_F(GatewayEndToEndTest, AdminMayConfigureAndActForAnyAccount) {
  TestServer server(config_);
  auto admin = LoggedOn(server.port(), kAdminToken);
  auto b = LoggedOn(server.port(), kTraderBToken);
  ASSERT_TRUE(admin->Send(Input(Limit(AccountId(2001), 3, Side::kBuy, 500, 1))).ok());
  // The admin sees what its input did; B, whose account it is, hears of it too.
  EXPECT_NE(First<OrderAccepted>(ReceiveUntil(*admin, IsTopOfBook)), nullptr);
  EXPECT_NE(First<OrderAccepted>(ReceiveUntil(*b, IsTopOfBook)), nullptr);
}

TEST_F(GatewayEndToEndTest, LogonIsAnsweredWithTheSessionAndTheTokensAccounts) {
  TestServer server(config_);
  auto logon = [&](const char* token) {
    Client client;
    EXPECT_TRUE(client.Connect("127.0.0.1", server.port()).ok());
    cascade::Logon message;
    std::copy_n(token, std::char_traits<char>::length(token), message.token.begin());
    EXPECT_TRUE(client.Send(Input(message)).ok());
    const std::vector<Event> answer = ReceiveUntil(client, [](const Event&) { return true; });
    EXPECT_EQ(answer.size(), 1u);
    const auto* accepted = answer.empty() ? nullptr : std::get_if<SessionAccepted>(&answer[0].body);
    return accepted != nullptr ? std::optional(*accepted) : std::nullopt;
  };
  const std::optional<SessionAccepted> a = logon(kTraderAToken);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->account, AccountId(1001));
  EXPECT_EQ(a->accounts, 2u);
  EXPECT_FALSE(a->admin);
  const std::optional<SessionAccepted> admin = logon(kAdminToken);
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->admin);
  EXPECT_NE(admin->session, a->session);
}

TEST_F(GatewayEndToEndTest, BadTokenAndMissingLogonAreRefusedAndClosed) {
  TestServer server(config_);
  Client bad;
  ASSERT_TRUE(bad.Connect("127.0.0.1", server.port()).ok());
  absl::StatusOr<AccountId> refused = bad.Logon("not-a-token");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("bad token"), std::string::npos) << refused.status();
  EXPECT_TRUE(WaitForClose(bad));

  Client eager;
  ASSERT_TRUE(eager.Connect("127.0.0.1", server.port()).ok());
  ASSERT_TRUE(eager.Send(Input(Limit(AccountId(1001), 1, Side::kBuy, 100, 1))).ok());
  const std::vector<Event> answer = ReceiveUntil(eager, [](const Event&) { return true; });
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(std::get<CommandRejected>(answer[0].body).reason, RejectReason::kNotAuthenticated);
  EXPECT_TRUE(WaitForClose(eager));

  ASSERT_TRUE(server.Stop().ok());
  EXPECT_EQ(server.server().stats().inputs_accepted, 0u);
}

TEST_F(GatewayEndToEndTest, SilentClientIsClosedAfterTheLogonTimeout) {
  config_.logon_timeout_ms = 100;
  TestServer server(config_);
  Client silent;
  ASSERT_TRUE(silent.Connect("127.0.0.1", server.port()).ok());
  const std::vector<Event> answer = ReceiveUntil(silent, [](const Event&) { return true; });
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(std::get<CommandRejected>(answer[0].body).reason, RejectReason::kNotAuthenticated);
  EXPECT_TRUE(WaitForClose(silent));
}

}  // namespace
}  // namespace cascade::gateway::testing
