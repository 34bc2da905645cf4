#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "gateway/framing.h"
#include "gateway/permissions.h"
#include "gateway/rate_limiter.h"

namespace cascade::gateway {

class Session;

// What the server does with a session's bytes; called on the engine thread.
class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  // New bytes are buffered in session.reader(): take the whole frames.
  virtual void OnReadable(Session& session) = 0;
  // The session queued output that should reach the wire at the next flush.
  virtual void OnOutputQueued(Session& session) = 0;
  // The client did not log on in time: the server answers and closes.
  virtual void OnLogonTimeout(Session& session) = 0;
  // The socket is closed; the session is about to be forgotten.
  virtual void OnClosed(Session& session) = 0;
};

struct SessionLimits {
  size_t max_frame_bytes = 16 * 1024;
  size_t max_queued_bytes = 4 * 1024 * 1024;
  uint32_t logon_timeout_ms = 5000;
  // How long a closing session may take to accept its last frames before it is cut off.
  uint32_t close_grace_ms = 1000;
};

// One client connection: reads frames, queues output, and closes itself when told to or when the
// peer misbehaves. Output is held back until the server releases it (after the journal commit
// that makes the inputs behind it durable), so a client never sees an effect of an input that
// could still be lost. Everything runs on the engine thread; no locks.
class Session : public std::enable_shared_from_this<Session> {
 public:
  enum class State : uint8_t { kAwaitingLogon, kActive, kClosing, kClosed };

  Session(boost::asio::ip::tcp::socket socket, uint64_t id, const SessionLimits& limits,
          SessionHandler& handler);

  void Start();

  // Queues one frame. When the queue would exceed its bound the client is not reading fast
  // enough: everything unsent is dropped, `overload_notice` is queued and the session closes.
  // Returns false in that case (and when the session is already closing).
  bool Queue(std::span<const uint8_t> frame, std::span<const uint8_t> overload_notice);
  // Queues a last frame (a reason) and closes once it is written or after a grace period.
  void CloseWith(std::span<const uint8_t> last_frame);
  // Closes now, dropping unsent output.
  void Abort();
  // Closes after writing what the server has released; drops output it has not.
  void Shutdown();

  // Lets everything queued so far go out, and starts a write if none is in flight.
  void ReleaseAndFlush();

  void Authenticate(Principal principal, RateLimiter limiter);

  [[nodiscard]] FrameReader& reader() noexcept { return reader_; }
  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool active() const noexcept { return state_ == State::kActive; }
  [[nodiscard]] uint64_t id() const noexcept { return id_; }
  [[nodiscard]] const Principal& principal() const noexcept { return principal_; }
  [[nodiscard]] RateLimiter& limiter() noexcept { return limiter_; }
  [[nodiscard]] size_t queued_bytes() const noexcept { return pending_.size() + writing_.size(); }
  // True once the session was cut off for not reading its output.
  [[nodiscard]] bool overloaded() const noexcept { return overloaded_; }

  // Set by the server while the session waits in its list of sessions to flush.
  bool flush_scheduled = false;
  // The index of the last event delivered, to deliver an event once to a session that owns
  // both accounts it names.
  uint64_t last_event_mark = 0;

 private:
  void Read();
  void Write();
  void BeginClose();
  void Finish();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  uint64_t id_;
  SessionLimits limits_;
  SessionHandler& handler_;
  FrameReader reader_;
  State state_ = State::kAwaitingLogon;
  Principal principal_;
  RateLimiter limiter_{0, 0, 0};

  std::vector<uint8_t> pending_;  // queued, not yet handed to the socket
  size_t releasable_ = 0;         // prefix of pending_ the server has released
  std::vector<uint8_t> writing_;  // the write in flight
  bool write_in_flight_ = false;
  bool read_in_flight_ = false;
  bool overloaded_ = false;
};

}  // namespace cascade::gateway
