#pragma once

// Helpers shared by the gateway tests: a config on a fresh temporary directory, an in-process
// server on its own thread, clients, and a clean replay of a journal.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "gateway/client.h"
#include "gateway/config.h"
#include "gateway/server.h"

namespace cascade::gateway::testing {

inline constexpr char kAdminToken[] = "admin-change-me";
inline constexpr char kTraderAToken[] = "trader-a-change-me";  // accounts 1001, 1002
inline constexpr char kTraderBToken[] = "trader-b-change-me";  // account 2001
inline constexpr SymbolId kBtc{1};

// A new empty directory under the test temp dir.
std::string MakeTempDir(const std::string& name);

// The sample config with its data in `dir`, small engine pools and no timed snapshots.
GatewayConfig TestConfig(const std::string& dir);

// A Server listening on a free loopback port, recovered, and running on its own thread.
class TestServer {
 public:
  explicit TestServer(const GatewayConfig& config);
  ~TestServer();
  // Stops gracefully and waits; afterwards server() may be inspected.
  absl::Status Stop();
  uint16_t port() const { return port_; }
  Server& server() { return *server_; }
  const RecoveryInfo& recovery() const { return recovery_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  RecoveryInfo recovery_;
  std::optional<absl::Status> run_status_;
  bool stopped_ = false;
};

// A client connected and logged on (the test fails otherwise).
std::unique_ptr<Client> LoggedOn(uint16_t port, const std::string& token);

// Events until `done` returns true for one (included) or the timeout passes.
std::vector<Event> ReceiveUntil(Client& client, const std::function<bool(const Event&)>& done,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5));
// Everything that arrives within `window`.
std::vector<Event> Drain(Client& client,
                         std::chrono::milliseconds window = std::chrono::milliseconds(200));
// True when the gateway closes the connection within the timeout (after any pending events).
bool WaitForClose(Client& client, std::chrono::milliseconds timeout = std::chrono::seconds(5));

NewOrder Limit(AccountId account, uint64_t id, Side side, int64_t price, int64_t qty);
Command Input(const CommandBody& body);

// The state digest of a fresh engine after every input of the journal with seq <= up_to.
struct Replay {
  uint64_t digest = 0;
  uint64_t inputs = 0;
  SeqNo last_seq{0};
  std::unique_ptr<Engine> engine;
};
Replay ReplayJournal(const std::string& path, const EngineConfig& config,
                     SeqNo up_to = SeqNo(UINT64_MAX));

}  // namespace cascade::gateway::testing
