// Journals outlive builds: a journal recorded with schema revision 0 (testdata/messages_v0.fbs,
// made by testdata/make_v0_journal.py with flatc) must read with today's decoder, fields added
// since then taking their defaults.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/journal/reader.h"
#include "engine/wire/decode.h"
#include "engine/wire/schema.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

constexpr char kJournal[] = CASCADE_WIRE_TESTDATA "/v0_input.journal";

std::vector<Command> Expected() {
  SymbolConfig amzn;
  amzn.symbol = SymbolId(3);
  amzn.name = {'A', 'M', 'Z', 'N'};
  amzn.tick_size_nanos = 10'000'000;
  amzn.lot_size_nanos = 1'000'000'000;
  amzn.min_price = Price(1);
  amzn.max_price = Price(1'000'000);
  amzn.max_order_qty = Qty(100'000);
  amzn.max_position_qty = Qty(1'000'000);
  amzn.market_protection_ticks = 500;  // risk: none in revision 0, so no tiers

  NewOrder sell;
  sell.symbol = SymbolId(3);
  sell.account = AccountId(11);
  sell.order_id = OrderId(1001);
  sell.side = Side::kSell;
  sell.price = Price(22'340);
  sell.qty = Qty(100);

  NewOrder stop;  // stp, margin and reduce_only did not exist yet
  stop.symbol = SymbolId(3);
  stop.account = AccountId(12);
  stop.order_id = OrderId(2001);
  stop.side = Side::kBuy;
  stop.type = OrderType::kStopMarket;
  stop.tif = TimeInForce::kIoc;
  stop.stop_price = Price(22'350);
  stop.qty = Qty(40);

  const int64_t t0 = 1'340'280'000'000'000'000;
  return {
      {SeqNo(1), Timestamp(t0), ConfigureSymbol{amzn}},
      {SeqNo(2), Timestamp(t0 + 1'000'000'000), sell},
      {SeqNo(3), Timestamp(t0 + 2'000'000'000), stop},
      {SeqNo(4), Timestamp(t0 + 3'000'000'000),
       AmendOrder{SymbolId(3), AccountId(11), OrderId(1001), Price(22'340), Qty(60)}},
      {SeqNo(5), Timestamp(t0 + 4'000'000'000),
       CancelOrder{SymbolId(3), AccountId(12), OrderId(2001)}},
      {SeqNo(6), Timestamp(t0 + 5'000'000'000), MassCancel{AccountId(11), false, SymbolId(3)}},
  };
}

TEST(OldSchemaTest, RevisionZeroJournalDecodes) {
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(kJournal);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->header().kind, journal::JournalKind::kInput);
  EXPECT_EQ(reader->header().EngineVersion(), "0.0.0-rev0");
  // Written by another schema revision, and readable all the same.
  EXPECT_NE(reader->header().schema_hash, SchemaHash());

  const std::vector<Command> expected = Expected();
  journal::Frame frame;
  size_t n = 0;
  while (reader->Next(frame)) {
    ASSERT_LT(n, expected.size());
    Command command;
    ASSERT_EQ(Decode(frame.payload, command), RejectReason::kNone) << "frame " << n;
    EXPECT_EQ(testing::DumpFields(command), testing::DumpFields(expected[n])) << "frame " << n;
    ++n;
  }
  EXPECT_FALSE(reader->problem().has_value()) << reader->problem()->ToString();
  EXPECT_EQ(n, expected.size());
}

}  // namespace
}  // namespace cascade::wire
