#pragma once

// A small blocking client for cascade-gateway, header-only (link cascade::gateway_client):
//
//   cascade::gateway::Client client;
//   if (auto s = client.Connect("127.0.0.1", 7700); !s.ok()) ...
//   absl::StatusOr<cascade::AccountId> account = client.Logon("trader-a-change-me");
//   client.Send(cascade::Command{cascade::SeqNo(0), cascade::Timestamp(0), order});
//   absl::StatusOr<cascade::Event> event = client.Receive(std::chrono::seconds(1));
//
// The gateway assigns sequence numbers and timestamps: the ones a client sends are ignored. The
// answer to an input carries the gateway's sequence number, or 0 when the gateway refused it
// without journaling (permissions, rate limit, validation). See docs/gateway.md.

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/event.h"
#include "engine/wire/decode.h"
#include "engine/wire/encode.h"

namespace cascade::gateway {

class Client {
 public:
  Client() = default;
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] absl::Status Connect(const std::string& host, uint16_t port) {
    Close();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
      return absl::UnavailableError(host + ": " + ::gai_strerror(rc));
    }
    int saved_errno = 0;
    for (addrinfo* a = found; a != nullptr && fd_ < 0; a = a->ai_next) {
      const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        fd_ = fd;
      } else {
        saved_errno = errno;
        ::close(fd);
      }
    }
    ::freeaddrinfo(found);
    if (fd_ < 0) {
      return absl::UnavailableError("connect " + host + ":" + service + ": " +
                                    std::strerror(saved_errno));
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return absl::OkStatus();
  }

  // Logs on and waits for the gateway's answer: the token's first account, or the reason the
  // gateway gave (kBadToken, ...) as a PermissionDenied status.
  [[nodiscard]] absl::StatusOr<AccountId> Logon(
      std::string_view token, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    cascade::Logon message;
    if (token.size() > message.token.size()) return absl::InvalidArgumentError("token too long");
    std::copy(token.begin(), token.end(), message.token.begin());
    if (absl::Status s = Send(Command{SeqNo(0), Timestamp(0), message}); !s.ok()) return s;
    absl::StatusOr<Event> answer = Receive(timeout);
    if (!answer.ok()) return answer.status();
    if (const auto* accepted = std::get_if<SessionAccepted>(&answer->body)) {
      return accepted->account;
    }
    if (const auto* refused = std::get_if<CommandRejected>(&answer->body)) {
      return absl::PermissionDeniedError("logon refused: " +
                                         std::string(ToString(refused->reason)));
    }
    return absl::InternalError("unexpected answer to logon");
  }

  [[nodiscard]] absl::Status Send(const Command& command) {
    return SendBytes(encoder_.Encode(command));
  }

  // Writes raw bytes (a frame, several, or anything at all: tests send garbage this way).
  [[nodiscard]] absl::Status SendBytes(std::span<const uint8_t> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{fd_, POLLOUT, 0};
        ::poll(&p, 1, 100);
        continue;
      }
      if (n <= 0) return absl::UnavailableError(std::string("send: ") + std::strerror(errno));
      bytes = bytes.subspan(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }

  // The next event, waiting up to `timeout`. DeadlineExceeded when none came in time;
  // Unavailable once the gateway has closed the connection and every event was read.
  [[nodiscard]] absl::StatusOr<Event> Receive(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      Event event;
      absl::StatusOr<bool> got = NextBuffered(event);
      if (!got.ok()) return got.status();
      if (*got) return event;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return absl::DeadlineExceededError("no event");
      if (absl::Status s = ReadSome(static_cast<int>(left.count())); !s.ok()) return s;
    }
  }

  // Reads whatever has arrived (waiting up to `timeout_ms` for the first bytes; 0 never waits)
  // and calls `on_event` for every whole event. Returns how many there were.
  [[nodiscard]] absl::StatusOr<size_t> Poll(int timeout_ms,
                                            const std::function<void(const Event&)>& on_event) {
    absl::Status read_status = ReadSome(timeout_ms);
    size_t count = 0;
    Event event;
    for (;;) {
      absl::StatusOr<bool> got = NextBuffered(event);
      if (!got.ok()) return got.status();
      if (!*got) break;
      on_event(event);
      ++count;
    }
    if (!read_status.ok() && count == 0 && !absl::IsDeadlineExceeded(read_status)) {
      return read_status;
    }
    return count;
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    in_.clear();
    begin_ = 0;
  }

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }

 private:
  // One whole buffered event, if there is one.
  absl::StatusOr<bool> NextBuffered(Event& event) {
    const size_t available = in_.size() - begin_;
    if (available < 4) return false;
    const uint8_t* p = in_.data() + begin_;
    const uint32_t payload = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                             static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
    if (payload > kMaxEventBytes) return absl::DataLossError("oversized frame from the gateway");
    if (available < 4 + payload) return false;
    if (!wire::DecodeEvent({p, 4 + payload}, event)) {
      return absl::DataLossError("undecodable frame from the gateway");
    }
    begin_ += 4 + payload;
    return true;
  }

  // Waits up to `timeout_ms` for bytes and appends what one read() gives.
  absl::Status ReadSome(int timeout_ms) {
    if (fd_ < 0) return absl::FailedPreconditionError("not connected");
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0) return absl::DeadlineExceededError("no data");
    if (ready < 0) return errno == EINTR ? absl::OkStatus() : absl::InternalError("poll");
    if (begin_ > 0 && begin_ == in_.size()) {
      in_.clear();
      begin_ = 0;
    } else if (begin_ > (1 << 16)) {
      in_.erase(in_.begin(), in_.begin() + static_cast<ptrdiff_t>(begin_));
      begin_ = 0;
    }
    const size_t old = in_.size();
    in_.resize(old + kReadBytes);
    const ssize_t n = ::recv(fd_, in_.data() + old, kReadBytes, 0);
    in_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n == 0) return absl::UnavailableError("the gateway closed the connection");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return absl::OkStatus();
      return absl::UnavailableError(std::string("recv: ") + std::strerror(errno));
    }
    return absl::OkStatus();
  }

  static constexpr uint32_t kMaxEventBytes = 1 << 16;
  static constexpr size_t kReadBytes = 1 << 16;

  int fd_ = -1;
  std::vector<uint8_t> in_;
  size_t begin_ = 0;
  wire::Encoder encoder_;
};

}  // namespace cascade::gateway
