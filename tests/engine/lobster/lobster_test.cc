// Real data: NASDAQ's AMZN book of 2012-06-21 (LOBSTER's level-1 sample) rebuilt message by
// message through cascade::Engine; after every message the engine's best bid and ask must equal
// LOBSTER's row. The translation rules are in lobster_replay.cc.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/format.h"
#include "engine/engine.h"
#include "tests/engine/lobster/lobster_replay.h"

namespace cascade::lobster {
namespace {

std::string DataDir() {
  if (const char* env = std::getenv("CASCADE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return CASCADE_DATA_DIR;
}

struct TopMismatch {
  size_t message;
  std::string detail;
};

std::string Describe(const std::optional<LevelView>& level) {
  if (!level) return "none";
  return std::to_string(level->qty.value()) + "@" + std::to_string(level->price.value());
}

TEST(LobsterTest, AmznLevelOneTopOfBookMatchesEveryMessage) {
  const std::string dir = AmznSampleDir(DataDir());
  const absl::StatusOr<Sample> sample = LoadAmznSample(dir);
  if (!sample.ok()) {
    GTEST_SKIP() << "LOBSTER sample not available (" << sample.status()
                 << "); set CASCADE_DATA_DIR to the folder holding lobster-amzn-2012-06-21";
  }
  const Plan plan = Translate(*sample);
  EngineConfig config;
  config.max_orders = 1 << 16;
  Engine engine(config);

  size_t rejected = 0;
  auto apply = [&](size_t i) {
    const std::span<const Event> events = engine.Apply(plan.commands[i]);
    for (const Event& e : events) {
      if (std::holds_alternative<CommandRejected>(e.body)) {
        if (++rejected <= 5) {
          ADD_FAILURE() << "command " << ToText(plan.commands[i]) << " rejected: " << ToText(e);
        }
      }
    }
    return events;
  };
  for (size_t i = 0; i < plan.setup_commands; ++i) apply(i);

  size_t compared = 0;
  size_t matched = 0;
  size_t revealed_matched = 0;
  size_t fills_as_expected = 0;
  size_t named_fills = 0;
  std::vector<TopMismatch> mismatches;
  std::vector<Trade> trades;
  for (const Step& step : plan.steps) {
    for (size_t c = step.first_command; c < step.end_command; ++c) {
      const std::span<const Event> events = apply(c);
      if (static_cast<int64_t>(c) != step.ioc_command) continue;
      trades.clear();
      for (const Event& e : events) {
        if (const auto* t = std::get_if<Trade>(&e.body)) trades.push_back(*t);
      }
      // Price-time priority: the makers, in order, are the translator's FIFO prediction.
      bool as_expected = trades.size() == step.end_fill - step.first_fill;
      for (size_t f = 0; as_expected && f < trades.size(); ++f) {
        const ExpectedFill& want = plan.fills[step.first_fill + f];
        const Trade& got = trades[f];
        as_expected = got.maker_account == want.maker_account &&
                      got.maker_order == want.maker_order && got.qty == want.qty &&
                      got.price.value() == sample->messages[step.message].price &&
                      got.taker_account == kTakerAccount;
      }
      fills_as_expected += as_expected ? 1 : 0;
      EXPECT_TRUE(as_expected) << "message " << step.message << ": the execution filled other "
                               << "orders than price-time priority gives";
      if (step.named_order_known) {
        // The book knows the named order: exactly it, for exactly the executed size.
        const Message& m = sample->messages[step.message];
        const bool named = trades.size() == 1 && trades[0].maker_account == kMakerAccount &&
                           trades[0].maker_order.value() == m.order_id &&
                           trades[0].qty.value() == m.size;
        named_fills += named ? 1 : 0;
        EXPECT_TRUE(named) << "message " << step.message << " executes order " << m.order_id;
      }
    }
    const BookRow& row = sample->rows[step.message];
    const auto bid = engine.BestBid(kSymbol);
    const auto ask = engine.BestAsk(kSymbol);
    const bool equal = bid && ask && bid->price.value() == row.bid_price &&
                       bid->qty.value() == row.bid_size && ask->price.value() == row.ask_price &&
                       ask->qty.value() == row.ask_size;
    if (step.empties_top) {
      revealed_matched += equal ? 1 : 0;
    } else {
      ++compared;
      matched += equal ? 1 : 0;
    }
    if (!equal && mismatches.size() < 5) {
      mismatches.push_back({step.message, "engine " + Describe(bid) + " / " + Describe(ask) +
                                              ", LOBSTER " + std::to_string(row.bid_size) + "@" +
                                              std::to_string(row.bid_price) + " / " +
                                              std::to_string(row.ask_size) + "@" +
                                              std::to_string(row.ask_price)});
    }
  }
  for (const TopMismatch& m : mismatches) {
    ADD_FAILURE() << "after message " << m.message << ": " << m.detail;
  }

  const Counts& n = plan.counts;
  std::cout << "LOBSTER AMZN 2012-06-21 level 1 (" << dir << ")\n"
            << "  messages after the first row: " << n.messages << " (submissions " << n.submissions
            << ", cancels " << n.cancels << ", visible executions " << n.visible_executions
            << ", hidden executions " << n.hidden_executions << ")\n"
            << "  compared (no top level emptied): " << compared << ", matched: " << matched << "\n"
            << "  emptied a top level: " << n.empties
            << ", matched after the reveal: " << revealed_matched << "\n"
            << "  synthetic orders seeded: " << n.seeded << " (first row: 2), stale orders "
            << "cancelled: " << n.stale_cancelled << ", levels trimmed: " << n.trimmed << "\n"
            << "  cancels of liquidity never shown: " << n.cancels_of_unknown << "\n"
            << "  executions: fills as price-time priority predicts " << fills_as_expected << "/"
            << n.visible_executions << "; named order known " << n.executions_of_known
            << ", filled exactly the named order " << named_fills << " (orders requeued behind "
            << "it: " << n.requeued << ")\n"
            << "  engine commands: " << n.commands << ", rejected: " << rejected << "\n";

  EXPECT_EQ(rejected, 0u);
  EXPECT_EQ(n.messages, 57'514u);
  EXPECT_EQ(n.submissions, 27'845u);
  EXPECT_EQ(n.cancels, 16u + 18'235u);
  EXPECT_EQ(n.visible_executions, 8'974u);
  EXPECT_EQ(n.hidden_executions, 2'445u - 1u);  // the first message is a hidden execution
  EXPECT_EQ(n.empties, 13'953u);
  EXPECT_EQ(compared, 43'561u);
  EXPECT_EQ(matched, 43'561u);
  EXPECT_EQ(revealed_matched, 13'953u);
  EXPECT_EQ(fills_as_expected, 8'974u);
  EXPECT_EQ(named_fills, n.executions_of_known);
  // Translation figures: a change here means the translator changed, not the engine.
  EXPECT_EQ(n.seeded, 5'116u);
  EXPECT_EQ(n.executions_of_known, 5'630u);
  EXPECT_EQ(n.requeued, 282u);
}

TEST(LobsterTest, RejectsMalformedFiles) {
  EXPECT_FALSE(LoadSample("/nonexistent/m.csv", "/nonexistent/o.csv").ok());
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string messages = (dir / "lobster_test_messages.csv").string();
  const std::string rows = (dir / "lobster_test_rows.csv").string();
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
  };
  write(rows, "2239500,100,2231800,100\n");
  write(messages, "34200.017459617,5,0,1,2238200,-1\n");
  const absl::StatusOr<Sample> good = LoadSample(messages, rows);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->messages[0].time, Timestamp{34'200'017'459'617});
  EXPECT_EQ(good->messages[0].side, Side::kSell);
  EXPECT_EQ(good->rows[0].bid_price, 2'231'800);
  write(messages, "34200.017459617,5,0,1,2238200\n");  // a field short
  EXPECT_FALSE(LoadSample(messages, rows).ok());
  write(messages, "34200.017459617,6,0,1,2238200,-1\n");  // no type 6
  EXPECT_FALSE(LoadSample(messages, rows).ok());
  write(messages, "34200.017459617,5,0,1,2238200,-1\n34200.1,1,7,1,2238200,1\n");
  EXPECT_FALSE(LoadSample(messages, rows).ok());  // two messages, one row
  std::filesystem::remove(messages);
  std::filesystem::remove(rows);
}

}  // namespace
}  // namespace cascade::lobster
