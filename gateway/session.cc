#include "gateway/session.h"

#include <boost/asio/write.hpp>
#include <chrono>
#include <utility>

namespace cascade::gateway {
namespace {

// Bytes asked of the kernel per read: large enough that a busy client's burst is taken in a few
// calls, small next to the per-session queue bound.
constexpr size_t kReadChunkBytes = 64 * 1024;
constexpr int kSendBufferBytes = 256 * 1024;

}  // namespace

Session::Session(boost::asio::ip::tcp::socket socket, uint64_t id, const SessionLimits& limits,
                 SessionHandler& handler)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      id_(id),
      limits_(limits),
      handler_(handler),
      reader_(limits.max_frame_bytes, kReadChunkBytes) {}

void Session::Start() {
  boost::system::error_code ignored;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  // A fixed kernel buffer keeps what a non-reading client can pin bounded too (the default grows
  // to megabytes), so that the gateway's own queue limit decides when it is cut off.
  socket_.set_option(boost::asio::socket_base::send_buffer_size(kSendBufferBytes), ignored);
  timer_.expires_after(std::chrono::milliseconds(limits_.logon_timeout_ms));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && self->state_ == State::kAwaitingLogon) self->handler_.OnLogonTimeout(*self);
  });
  Read();
}

void Session::Authenticate(Principal principal, RateLimiter limiter) {
  principal_ = std::move(principal);
  limiter_ = limiter;
  state_ = State::kActive;
  timer_.cancel();
}

void Session::Read() {
  if (state_ == State::kClosed || read_in_flight_) return;
  const std::span<uint8_t> space = reader_.WritableSpace();
  read_in_flight_ = true;
  socket_.async_read_some(
      boost::asio::buffer(space.data(), space.size()),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        self->read_in_flight_ = false;
        if (self->state_ == State::kClosed) return;
        if (ec) {
          // End of stream: answer what was already read, then close; anything else is fatal.
          if (ec == boost::asio::error::eof && self->state_ != State::kClosing) {
            self->BeginClose();
          } else {
            self->Abort();
          }
          return;
        }
        // A closing session only drains the socket so that its close does not reset the
        // connection before the client has read the last frame.
        if (self->state_ != State::kClosing) {
          self->reader_.CommitWritten(n);
          self->handler_.OnReadable(*self);
        }
        self->Read();
      });
}

bool Session::Queue(std::span<const uint8_t> frame, std::span<const uint8_t> overload_notice) {
  if (state_ == State::kClosing || state_ == State::kClosed) return false;
  if (queued_bytes() + frame.size() > limits_.max_queued_bytes) {
    overloaded_ = true;
    pending_.clear();
    releasable_ = 0;
    pending_.insert(pending_.end(), overload_notice.begin(), overload_notice.end());
    BeginClose();
    handler_.OnOutputQueued(*this);
    return false;
  }
  pending_.insert(pending_.end(), frame.begin(), frame.end());
  if (!flush_scheduled) handler_.OnOutputQueued(*this);
  return true;
}

void Session::CloseWith(std::span<const uint8_t> last_frame) {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  pending_.insert(pending_.end(), last_frame.begin(), last_frame.end());
  BeginClose();
  handler_.OnOutputQueued(*this);
}

void Session::BeginClose() {
  state_ = State::kClosing;
  timer_.expires_after(std::chrono::milliseconds(limits_.close_grace_ms));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->Abort();
  });
  if (pending_.empty() && !write_in_flight_) Finish();
}

void Session::ReleaseAndFlush() {
  releasable_ = pending_.size();
  Write();
}

void Session::Write() {
  if (write_in_flight_ || releasable_ == 0 || state_ == State::kClosed) return;
  if (releasable_ == pending_.size()) {
    writing_.swap(pending_);  // the old write buffer, already cleared, keeps its capacity
  } else {
    writing_.assign(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(releasable_));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(releasable_));
  }
  releasable_ = 0;
  write_in_flight_ = true;
  boost::asio::async_write(
      socket_, boost::asio::buffer(writing_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
        self->write_in_flight_ = false;
        self->writing_.clear();
        if (self->state_ == State::kClosed) return;
        if (ec) {
          self->Abort();
          return;
        }
        if (self->releasable_ > 0) {
          self->Write();
        } else if (self->state_ == State::kClosing && self->pending_.empty()) {
          self->Finish();
        }
      });
}

void Session::Finish() {
  // Half-close: the client reads everything sent, then sees the end of the stream; the read loop
  // drains its side until it closes or the grace timer fires.
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  Read();
}

void Session::Shutdown() {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  pending_.resize(releasable_);
  BeginClose();
}

void Session::Abort() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  pending_.clear();
  releasable_ = 0;
  handler_.OnClosed(*this);
}

}  // namespace cascade::gateway
