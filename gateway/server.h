#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/wire/encode.h"
#include "gateway/config.h"
#include "gateway/engine_host.h"
#include "gateway/session.h"

namespace cascade::gateway {

struct ServerStats {
  uint64_t sessions_opened = 0;
  uint64_t inputs_accepted = 0;  // journaled and applied
  uint64_t inputs_refused = 0;   // answered with a reject, not journaled
  uint64_t rate_limited = 0;
  uint64_t malformed_closes = 0;  // garbage, oversized or empty frames
  uint64_t overload_closes = 0;   // slow readers cut off
  uint64_t bad_logons = 0;
  uint64_t commits = 0;  // journal commits (batches)
  uint64_t snapshots = 0;
};

// cascade-gateway: a TCP front door to one engine. Everything (socket I/O, decoding, journaling,
// matching, routing) runs on the thread that calls Run(), an Asio io_context on the engine thread:
// no locks anywhere on the way from a socket to the book.
//
// The order of work for each batch of inputs (all frames that became readable together):
// decode, check permissions and rate, journal (write-ahead), apply, queue the events; then one
// journal commit (write, and fsync per policy); only then is the output released to the sockets.
// So no client, and no other session's market data, ever shows an effect of an input that a crash
// could still take back.
class Server final : private SessionHandler {
 public:
  explicit Server(GatewayConfig config, EngineHost::Clock clock = {});
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (the port from the config unless `port` is given; 0 picks a free one).
  [[nodiscard]] absl::Status Listen(std::optional<uint16_t> port = std::nullopt);
  // Restores the engine from the data directory; sessions are accepted only after this.
  [[nodiscard]] absl::StatusOr<RecoveryInfo> Recover();
  // Stops gracefully on SIGTERM and SIGINT.
  void StopOnSignals();
  // Serves until Stop(), a signal, or a fatal journal error; returns that error, if any.
  [[nodiscard]] absl::Status Run();
  // Graceful stop from any thread: refuse new work, commit and sync the journal, write a
  // snapshot, let queued output drain, close.
  void Stop();

  [[nodiscard]] std::string host() const { return config_.host; }
  [[nodiscard]] uint16_t port() const noexcept { return port_; }
  // Read after Run() returns (or on the engine thread).
  [[nodiscard]] const ServerStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const EngineHost& engine_host() const noexcept { return host_; }

 private:
  void Accept();
  void Housekeeping();
  void GracefulStop();
  void Fail(const absl::Status& status);

  // SessionHandler
  void OnReadable(Session& session) override;
  void OnOutputQueued(Session& session) override;
  void OnLogonTimeout(Session& session) override;
  void OnClosed(Session& session) override;

  // False when the session must not read further frames.
  bool HandleFrame(Session& session, std::span<const uint8_t> frame);
  void HandleLogon(Session& session, const Command& command);
  void Dispatch(Session& origin, std::span<const Event> events);
  void Deliver(Session& session, std::span<const uint8_t> frame);
  void Refuse(Session& session, const Command& command, RejectReason reason);
  void CloseWithNotice(Session& session, RejectReason reason, const Command* command = nullptr);
  [[nodiscard]] std::span<const uint8_t> EncodeNotice(EventBody notice);
  void ScheduleFlush();
  void FlushAll();

  GatewayConfig config_;
  EngineHost::Clock clock_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer housekeeping_;
  boost::asio::steady_timer accept_retry_;
  EngineHost host_;
  wire::Encoder encoder_;
  SessionLimits session_limits_;
  uint16_t port_ = 0;
  bool recovered_ = false;
  bool stopping_ = false;
  absl::Status error_;
  ServerStats stats_;

  std::unordered_map<std::string, const TokenConfig*> tokens_;
  uint64_t next_session_id_ = 1;
  absl::flat_hash_map<uint64_t, std::shared_ptr<Session>> sessions_;
  std::vector<Session*> active_;  // logged on, in logon order: market data goes to all of them
  absl::flat_hash_map<AccountId, std::vector<Session*>> by_account_;
  std::vector<std::shared_ptr<Session>> to_flush_;
  bool flush_posted_ = false;
  uint64_t event_mark_ = 0;
  std::vector<uint8_t> overload_notice_;
};

// The command kind (index in CommandBody) of session-level notices: a refused logon, and the
// reason a session is closed (a CommandRejected). An accepted logon is a SessionAccepted event.
inline constexpr CommandKind kSessionNoticeKind =
    static_cast<CommandKind>(CommandBody(std::in_place_type<Logon>).index());

// Nanoseconds since the Unix epoch from the system clock: the gateway's timestamps.
[[nodiscard]] int64_t WallClockNs();

}  // namespace cascade::gateway
