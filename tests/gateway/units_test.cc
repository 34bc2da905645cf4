// Framing, permissions, rate limiting and routing: the gateway's pieces without sockets.

#include <gtest/gtest.h>

#include <vector>

#include "gateway/framing.h"
#include "gateway/permissions.h"
#include "gateway/rate_limiter.h"
#include "gateway/routing.h"

namespace cascade::gateway {
namespace {

std::vector<uint8_t> Frame(uint32_t payload, uint8_t fill) {
  std::vector<uint8_t> bytes;
  AppendFramePrefix(bytes, payload);
  bytes.insert(bytes.end(), payload, fill);
  return bytes;
}

void Feed(FrameReader& reader, const std::vector<uint8_t>& bytes) {
  std::span<uint8_t> space = reader.WritableSpace();
  ASSERT_GE(space.size(), bytes.size());
  std::copy(bytes.begin(), bytes.end(), space.begin());
  reader.CommitWritten(bytes.size());
}

TEST(FrameReaderTest, ReassemblesFramesSplitAtEveryByte) {
  std::vector<uint8_t> stream = Frame(10, 1);
  const std::vector<uint8_t> second = Frame(3, 2);
  stream.insert(stream.end(), second.begin(), second.end());
  FrameReader reader(64, 64);
  std::vector<size_t> sizes;
  for (uint8_t byte : stream) {
    Feed(reader, {byte});
    std::span<const uint8_t> frame;
    while (reader.Next(frame) == FrameReader::Result::kFrame) sizes.push_back(frame.size());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{14, 7}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReaderTest, RefusesOversizedAndEmptyFramesBeforeBufferingThem) {
  FrameReader reader(64, 64);
  Feed(reader, Frame(61, 0));  // 65 bytes with the prefix: one too many
  std::span<const uint8_t> frame;
  EXPECT_EQ(reader.Next(frame), FrameReader::Result::kTooLarge);

  FrameReader huge(64, 64);
  std::vector<uint8_t> prefix;
  AppendFramePrefix(prefix, 0xFFFFFFFFu);
  Feed(huge, prefix);
  EXPECT_EQ(huge.Next(frame), FrameReader::Result::kTooLarge);

  FrameReader empty(64, 64);
  Feed(empty, Frame(0, 0));
  EXPECT_EQ(empty.Next(frame), FrameReader::Result::kEmpty);
}

TEST(FrameReaderTest, KeepsWorkingAcrossManyReadsWithoutGrowing) {
  FrameReader reader(64, 100);
  size_t frames = 0;
  for (int round = 0; round < 1000; ++round) {
    Feed(reader, Frame(static_cast<uint32_t>(round % 50 + 1), 7));
    std::span<const uint8_t> frame;
    while (reader.Next(frame) == FrameReader::Result::kFrame) ++frames;
  }
  EXPECT_EQ(frames, 1000u);
}

Principal Trader() { return Principal{"t", Role::kTrader, {AccountId(1), AccountId(2)}, false}; }

TEST(PermissionsTest, TraderMayTradeOnlyForItsOwnAccounts) {
  const Principal trader = Trader();
  NewOrder own;
  own.account = AccountId(2);
  NewOrder other;
  other.account = AccountId(3);
  EXPECT_EQ(Authorize(trader, own), RejectReason::kNone);
  EXPECT_EQ(Authorize(trader, other), RejectReason::kNotAuthorized);
  EXPECT_EQ(Authorize(trader, CancelOrder{SymbolId(1), AccountId(1), OrderId(1)}),
            RejectReason::kNone);
  EXPECT_EQ(Authorize(trader, CancelOrder{SymbolId(1), AccountId(9), OrderId(1)}),
            RejectReason::kNotAuthorized);
  EXPECT_EQ(Authorize(trader, AmendOrder{SymbolId(1), AccountId(9), OrderId(1), Price(1), Qty(1)}),
            RejectReason::kNotAuthorized);
  EXPECT_EQ(Authorize(trader, MassCancel{AccountId(9), true, SymbolId(0)}),
            RejectReason::kNotAuthorized);
  EXPECT_EQ(Authorize(trader, MassCancel{AccountId(1), true, SymbolId(0)}), RejectReason::kNone);
  EXPECT_EQ(Authorize(trader, Withdraw{AccountId(1), MarginMode::kCross, SymbolId(0), Atoms(5)}),
            RejectReason::kNone);
  EXPECT_EQ(Authorize(trader, SetLeverage{AccountId(9), MarginMode::kCross, SymbolId(0), 5}),
            RejectReason::kNotAuthorized);
}

TEST(PermissionsTest, DepositsNeedSelfDepositOrAdmin) {
  Principal trader = Trader();
  const Deposit own{AccountId(1), MarginMode::kCross, SymbolId(0), Atoms(5)};
  EXPECT_EQ(Authorize(trader, own), RejectReason::kNotAuthorized);
  trader.self_deposit = true;
  EXPECT_EQ(Authorize(trader, own), RejectReason::kNone);
  EXPECT_EQ(Authorize(trader, Deposit{AccountId(7), MarginMode::kCross, SymbolId(0), Atoms(5)}),
            RejectReason::kNotAuthorized);
}

TEST(PermissionsTest, MarketWideCommandsAreAdminOnly) {
  const Principal trader = Trader();
  const Principal admin{"a", Role::kAdmin, {}, false};
  const std::vector<CommandBody> admin_only = {ConfigureSymbol{}, IndexPrice{}, MarkPrice{},
                                               FundingRate{}, Timer{}};
  for (const CommandBody& body : admin_only) {
    EXPECT_EQ(Authorize(trader, body), RejectReason::kNotAuthorized) << body.index();
    EXPECT_EQ(Authorize(admin, body), RejectReason::kNone) << body.index();
  }
  EXPECT_EQ(Authorize(admin, Deposit{AccountId(7), MarginMode::kCross, SymbolId(0), Atoms(5)}),
            RejectReason::kNone);
  EXPECT_EQ(Authorize(admin, Logon{}), RejectReason::kNotAuthorized);
}

TEST(RateLimiterTest, AllowsTheBurstThenTheSustainedRate) {
  RateLimiter limiter(1000, 10, 0);
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += limiter.TryTake(0) ? 1 : 0;
  EXPECT_EQ(taken, 10);
  // One second later: 1000 more tokens, but the bucket holds only 10.
  taken = 0;
  for (int i = 0; i < 100; ++i) taken += limiter.TryTake(1'000'000'000) ? 1 : 0;
  EXPECT_EQ(taken, 10);
  // 5 ms later: 5 tokens.
  taken = 0;
  for (int i = 0; i < 100; ++i) taken += limiter.TryTake(1'005'000'000) ? 1 : 0;
  EXPECT_EQ(taken, 5);
  RateLimiter unlimited(0, 0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(unlimited.TryTake(0));
  // A long idle period does not overflow.
  RateLimiter big(4'000'000'000u, 4'000'000'000u, 0);
  EXPECT_TRUE(big.TryTake(INT64_MAX / 2));
}

TEST(RoutingTest, MarketDataIsPublicAndPrivateEventsGoToTheirAccounts) {
  EXPECT_TRUE(AudienceOf(TopOfBook{}).everyone);
  EXPECT_TRUE(AudienceOf(SymbolConfigured{}).everyone);
  const Audience accepted = AudienceOf(OrderAccepted{SymbolId(1), AccountId(7)});
  EXPECT_FALSE(accepted.everyone);
  ASSERT_EQ(accepted.account_count, 1);
  EXPECT_EQ(accepted.accounts[0], AccountId(7));
  AdlFill adl;
  adl.account = AccountId(1);
  adl.counter_account = AccountId(2);
  EXPECT_EQ(AudienceOf(adl).account_count, 2);
}

TEST(RoutingTest, TradesAreFullForThePartiesAndAnonymousForEveryoneElse) {
  Trade trade{SymbolId(1),  Price(100),  Qty(3), Side::kSell, AccountId(1), OrderId(11),
              AccountId(2), OrderId(22), Qty(4), Qty(0),      false};
  const Audience audience = AudienceOf(trade);
  EXPECT_TRUE(audience.everyone);
  EXPECT_EQ(audience.account_count, 2);
  const Trade tape = Anonymized(trade);
  EXPECT_EQ(tape.price, Price(100));
  EXPECT_EQ(tape.qty, Qty(3));
  EXPECT_EQ(tape.aggressor, Side::kSell);
  EXPECT_EQ(tape.maker_account, AccountId(0));
  EXPECT_EQ(tape.taker_order, OrderId(0));
  EXPECT_EQ(tape.maker_remaining, Qty(0));
}

}  // namespace
}  // namespace cascade::gateway
