#include "gateway/config.h"

#include <gtest/gtest.h>

#include <string>

namespace cascade::gateway {
namespace {

TEST(GatewayConfigTest, SampleConfigParsesWithTokensAccountsAndBothPerpetuals) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(SampleConfigJson(), "/srv/cascade");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->data_dir, "/srv/cascade/cascade-data");
  EXPECT_EQ(config->fsync, FsyncPolicy::kBatch);
  ASSERT_EQ(config->tokens.size(), 3u);
  EXPECT_EQ(config->tokens[0].role, Role::kAdmin);
  EXPECT_EQ(config->tokens[1].role, Role::kTrader);
  EXPECT_EQ(config->tokens[1].accounts, (std::vector<AccountId>{AccountId(1001), AccountId(1002)}));
  ASSERT_EQ(config->symbols.size(), 2u);
  EXPECT_EQ(std::string(config->symbols[0].name.data()), "BTC-PERP");
  EXPECT_EQ(std::string(config->symbols[1].name.data()), "ETH-PERP");
  EXPECT_EQ(AtomsPerLotTick(config->symbols[0]), 100);
  EXPECT_EQ(config->symbols[0].risk.tier_count, 3);
}

TEST(GatewayConfigTest, UnknownFieldsAreErrorsAtEveryLevel) {
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}], "prot": 1})", "").ok());
  EXPECT_FALSE(
      ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}], "listen": {"prot": 1}})", "")
          .ok());
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}],
                               "symbols": [{"config": {"symbol": 1, "tick": 5}}]})",
                           "")
                   .ok());
}

TEST(GatewayConfigTest, MinimalConfigTakesDefaults) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}]})", "");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->port, 7700);
  EXPECT_EQ(config->max_frame_bytes, 16384u);
  EXPECT_EQ(config->data_dir, "cascade-data");
  EXPECT_TRUE(config->symbols.empty());
}

TEST(GatewayConfigTest, RefusesConfigsThatCannotWork) {
  // No tokens: nobody could log on.
  EXPECT_FALSE(ParseConfig(R"({})", "").ok());
  // A trader with no accounts could do nothing.
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "t", "role": "Trader"}]})", "").ok());
  // The same token twice would make the role ambiguous.
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "t", "role": "Admin"},
                                          {"token": "t", "role": "Admin"}]})",
                           "")
                   .ok());
  // Longer than a Logon message can carry.
  EXPECT_FALSE(
      ParseConfig(R"({"tokens": [{"token": ")" + std::string(65, 'x') + R"(", "role": "Admin"}]})",
                  "")
          .ok());
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}],
                               "limits": {"max_frame_bytes": 10000000}})",
                           "")
                   .ok());
  // A symbol the engine would refuse (K not an integer).
  EXPECT_FALSE(ParseConfig(R"({"tokens": [{"token": "a", "role": "Admin"}],
      "symbols": [{"config": {"symbol": 1, "name": "X", "tick_size_nanos": 3,
                              "lot_size_nanos": 7, "max_price": 100, "max_order_qty": 10}}]})",
                           "")
                   .ok());
  EXPECT_FALSE(ParseConfig("not json", "").ok());
}

}  // namespace
}  // namespace cascade::gateway
