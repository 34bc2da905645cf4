#include "tests/gateway/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <utility>

#include "engine/journal/reader.h"
#include "engine/wire/decode.h"

namespace cascade::gateway::testing {

std::string MakeTempDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir = std::filesystem::path(base != nullptr ? base : "/tmp") /
                              ("cascade-gateway-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

GatewayConfig TestConfig(const std::string& dir) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(SampleConfigJson(), "");
  EXPECT_TRUE(config.ok()) << config.status();
  config->data_dir = dir;
  config->fsync = FsyncPolicy::kNever;
  config->snapshot_every_inputs = 0;
  config->snapshot_every_ms = 0;
  config->engine.max_orders = 100'000;
  config->engine.max_accounts = 1'000;
  return *config;
}

TestServer::TestServer(const GatewayConfig& config) : server_(std::make_unique<Server>(config)) {
  absl::Status listen = server_->Listen(0);
  EXPECT_TRUE(listen.ok()) << listen;
  port_ = server_->port();
  absl::StatusOr<RecoveryInfo> info = server_->Recover();
  EXPECT_TRUE(info.ok()) << info.status();
  if (info.ok()) recovery_ = *info;
  thread_ = std::thread([this] { run_status_ = server_->Run(); });
}

TestServer::~TestServer() { (void)Stop(); }

absl::Status TestServer::Stop() {
  if (!stopped_) {
    stopped_ = true;
    server_->Stop();
    thread_.join();
  }
  return run_status_.value_or(absl::OkStatus());
}

std::unique_ptr<Client> LoggedOn(uint16_t port, const std::string& token) {
  auto client = std::make_unique<Client>();
  absl::Status connected = client->Connect("127.0.0.1", port);
  EXPECT_TRUE(connected.ok()) << connected;
  absl::StatusOr<AccountId> account = client->Logon(token);
  EXPECT_TRUE(account.ok()) << account.status();
  return client;
}

std::vector<Event> ReceiveUntil(Client& client, const std::function<bool(const Event&)>& done,
                                std::chrono::milliseconds timeout) {
  std::vector<Event> events;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    absl::StatusOr<Event> event = client.Receive(std::chrono::milliseconds(50));
    if (!event.ok()) {
      if (absl::IsDeadlineExceeded(event.status())) continue;
      break;
    }
    events.push_back(*event);
    if (done(*event)) break;
  }
  return events;
}

std::vector<Event> Drain(Client& client, std::chrono::milliseconds window) {
  return ReceiveUntil(
      client, [](const Event&) { return false; }, window);
}

bool WaitForClose(Client& client, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    absl::StatusOr<Event> event = client.Receive(std::chrono::milliseconds(50));
    if (!event.ok() && absl::IsUnavailable(event.status())) return true;
  }
  return false;
}

NewOrder Limit(AccountId account, uint64_t id, Side side, int64_t price, int64_t qty) {
  NewOrder order;
  order.symbol = kBtc;
  order.account = account;
  order.order_id = OrderId(id);
  order.side = side;
  order.price = Price(price);
  order.qty = Qty(qty);
  return order;
}

Command Input(const CommandBody& body) { return Command{SeqNo(0), Timestamp(0), body}; }

Replay ReplayJournal(const std::string& path, const EngineConfig& config, SeqNo up_to) {
  Replay replay;
  replay.engine = std::make_unique<Engine>(config);
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return replay;
  journal::Frame frame;
  while (reader->Next(frame)) {
    Command command;
    EXPECT_EQ(wire::Read(frame.payload, command), RejectReason::kNone);
    if (command.seq > up_to) break;
    (void)replay.engine->Apply(command);
    ++replay.inputs;
    replay.last_seq = command.seq;
  }
  replay.digest = replay.engine->StateDigest();
  return replay;
}

}  // namespace cascade::gateway::testing
