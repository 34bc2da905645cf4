#include "engine/wire/symbol_configs.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "engine/wire/json.h"
#include "engine/wire/samples.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

constexpr char kEth[] =
    R"({"config": {"symbol": 2, "name": "ETH-PERP", "tick_size_nanos": 10000000,
        "lot_size_nanos": 1000000, "max_price": 100000000, "max_order_qty": 1000000}})";

std::string BtcJson() {
  absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
  absl::StatusOr<std::string> line =
      (*codec)->ToJson(Command{SeqNo(1), Timestamp(0), ConfigureSymbol{BinanceBtcPerp()}});
  // The body of a ConfigureSymbol input line is one item of a config file.
  const size_t body = line->find("\"body\": ");
  return line->substr(body + 8, line->size() - body - 9);
}

TEST(SymbolConfigsTest, ReadsBothLayouts) {
  absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
  ASSERT_TRUE(codec.ok());
  const std::string items = BtcJson() + ",\n" + kEth;
  for (const std::string& text : {"{\"symbols\": [" + items + "]}", "  [" + items + "]\n"}) {
    absl::StatusOr<std::vector<SymbolConfig>> configs = (*codec)->ParseSymbolConfigs(text);
    ASSERT_TRUE(configs.ok()) << configs.status();
    ASSERT_EQ(configs->size(), 2u);
    EXPECT_EQ(testing::DumpFields((*configs)[0]), testing::DumpFields(BinanceBtcPerp()));
    EXPECT_EQ((*configs)[1].symbol, SymbolId(2));
    EXPECT_EQ((*configs)[1].risk.tier_count, 0);
    EXPECT_EQ(AtomsPerLotTick((*configs)[1]), 10);
  }
}

TEST(SymbolConfigsTest, ErrorsNameTheEntry) {
  absl::StatusOr<std::unique_ptr<JsonCodec>> codec = JsonCodec::Create();
  ASSERT_TRUE(codec.ok());
  absl::StatusOr<std::vector<SymbolConfig>> invalid = (*codec)->ParseSymbolConfigs(
      std::string("[") + kEth + R"(, {"config": {"symbol": 5, "tick_size_nanos": 1}}])");
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("#1 (symbol 5)"), std::string::npos)
      << invalid.status();
  absl::StatusOr<std::vector<SymbolConfig>> twice =
      (*codec)->ParseSymbolConfigs(std::string("[") + kEth + "," + kEth + "]");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("appears twice"), std::string::npos);
  EXPECT_FALSE((*codec)->ParseSymbolConfigs("[{\"config\": {\"tick\": 1}}]").ok());
  absl::StatusOr<std::vector<SymbolConfig>> empty = (*codec)->ParseSymbolConfigs("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(SymbolConfigsTest, LoadsAFile) {
  const std::string path = ::testing::TempDir() + "/symbols.json";
  {
    std::ofstream out(path);
    out << "[" << BtcJson() << "]";
  }
  absl::StatusOr<std::vector<SymbolConfig>> configs = LoadSymbolConfigs(path);
  ASSERT_TRUE(configs.ok()) << configs.status();
  ASSERT_EQ(configs->size(), 1u);
  EXPECT_EQ((*configs)[0].risk.tier_count, 10);
  std::remove(path.c_str());

  absl::StatusOr<std::vector<SymbolConfig>> missing = LoadSymbolConfigs(path);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace cascade::wire
