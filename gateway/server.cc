#include "gateway/server.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/wire/decode.h"
#include "engine/wire/validate.h"
#include "gateway/permissions.h"
#include "gateway/routing.h"

namespace cascade::gateway {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string TokenText(const Logon& logon) {
  return std::string(logon.token.data(), strnlen(logon.token.data(), logon.token.size()));
}

}  // namespace

int64_t WallClockNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Server::Server(GatewayConfig config, EngineHost::Clock clock)
    : config_(std::move(config)),
      clock_(clock ? std::move(clock) : EngineHost::Clock(WallClockNs)),
      // One thread runs everything; the hint lets Asio skip locking in the reactor.
      io_(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO),
      acceptor_(io_),
      signals_(io_),
      housekeeping_(io_),
      accept_retry_(io_),
      host_(config_, clock_) {
  session_limits_.max_frame_bytes = config_.max_frame_bytes;
  session_limits_.max_queued_bytes = config_.max_queued_bytes;
  session_limits_.logon_timeout_ms = config_.logon_timeout_ms;
  for (const TokenConfig& token : config_.tokens) tokens_.emplace(token.token, &token);
  const std::span<const uint8_t> notice = EncodeNotice(CommandRejected{
      kSessionNoticeKind, SymbolId(0), AccountId(0), OrderId(0), RejectReason::kOverloaded});
  overload_notice_.assign(notice.begin(), notice.end());
}

Server::~Server() { (void)host_.Close(); }

absl::Status Server::Listen(std::optional<uint16_t> port) {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(config_.host, ec);
  if (ec)
    return absl::InvalidArgumentError(
        absl::StrCat("listen host ", config_.host, ": ", ec.message()));
  const tcp::endpoint endpoint(address, port.value_or(config_.port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("listen on ", config_.host, ":", endpoint.port(), ": ", ec.message()));
  }
  port_ = acceptor_.local_endpoint().port();
  return absl::OkStatus();
}

absl::StatusOr<RecoveryInfo> Server::Recover() {
  absl::StatusOr<RecoveryInfo> info = host_.Recover();
  if (info.ok()) recovered_ = true;
  return info;
}

void Server::StopOnSignals() {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) GracefulStop();
  });
}

absl::Status Server::Run() {
  if (!recovered_) return absl::FailedPreconditionError("Recover() first");
  Accept();
  Housekeeping();
  io_.run();
  return error_;
}

void Server::Stop() {
  asio::post(io_, [this] { GracefulStop(); });
}

void Server::Accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      // Out of descriptors and the like: try again shortly rather than spin.
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](const boost::system::error_code& e) {
        if (!e && !stopping_) Accept();
      });
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), next_session_id_++, session_limits_,
                                             static_cast<SessionHandler&>(*this));
    sessions_.emplace(session->id(), session);
    ++stats_.sessions_opened;
    session->Start();
    if (sessions_.size() > config_.max_sessions)
      CloseWithNotice(*session, RejectReason::kOverloaded);
    Accept();
  });
}

void Server::Housekeeping() {
  housekeeping_.expires_after(std::chrono::seconds(1));
  housekeeping_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    if (host_.SnapshotDue(clock_())) ScheduleFlush();  // the flush writes it
    Housekeeping();
  });
}

void Server::OnReadable(Session& session) {
  std::span<const uint8_t> frame;
  while (session.state() == Session::State::kActive ||
         session.state() == Session::State::kAwaitingLogon) {
    const FrameReader::Result result = session.reader().Next(frame);
    if (result == FrameReader::Result::kNeedMore) break;
    if (result == FrameReader::Result::kTooLarge) {
      ++stats_.malformed_closes;
      CloseWithNotice(session, RejectReason::kFrameTooLarge);
      break;
    }
    if (result == FrameReader::Result::kEmpty) {
      ++stats_.malformed_closes;
      CloseWithNotice(session, RejectReason::kMalformed);
      break;
    }
    if (!HandleFrame(session, frame)) break;
  }
}

bool Server::HandleFrame(Session& session, std::span<const uint8_t> frame) {
  Command command;
  RejectReason reason = wire::Read(frame, command);
  if (reason != RejectReason::kNone) {
    // Bytes that are not a message: the stream cannot be trusted any further.
    ++stats_.malformed_closes;
    CloseWithNotice(session, RejectReason::kMalformed, &command);
    return false;
  }
  if (session.state() == Session::State::kAwaitingLogon) {
    HandleLogon(session, command);
    return session.active();
  }
  if (stopping_ || host_.failed()) {
    Refuse(session, command, RejectReason::kOverloaded);
    return true;
  }
  if (!session.limiter().TryTake(SteadyNs())) {
    ++stats_.rate_limited;
    Refuse(session, command, RejectReason::kRateLimited);
    return true;
  }
  reason = wire::Validate(command);
  if (reason == RejectReason::kNone) reason = Authorize(session.principal(), command.body);
  if (reason != RejectReason::kNone) {
    Refuse(session, command, reason);
    return true;
  }
  absl::StatusOr<std::span<const Event>> events = host_.Submit(command.body);
  if (!events.ok()) {
    Refuse(session, command, RejectReason::kOverloaded);
    Fail(events.status());
    return false;
  }
  ++stats_.inputs_accepted;
  Dispatch(session, *events);
  ScheduleFlush();
  return true;
}

void Server::HandleLogon(Session& session, const Command& command) {
  const Logon* logon = std::get_if<Logon>(&command.body);
  if (logon == nullptr) {
    ++stats_.bad_logons;
    CloseWithNotice(session, RejectReason::kNotAuthenticated, &command);
    return;
  }
  const auto it = tokens_.find(TokenText(*logon));
  if (it == tokens_.end()) {
    ++stats_.bad_logons;
    CloseWithNotice(session, RejectReason::kBadToken, &command);
    return;
  }
  const TokenConfig& token = *it->second;
  Principal principal{token.name, token.role, token.accounts, token.self_deposit};
  const uint32_t rate =
      token.messages_per_second ? token.messages_per_second : config_.messages_per_second;
  const uint32_t burst = token.burst ? token.burst : config_.burst;
  session.Authenticate(std::move(principal), RateLimiter(rate, burst, SteadyNs()));
  active_.push_back(&session);
  for (AccountId account : session.principal().accounts) by_account_[account].push_back(&session);
  // The answer names the first account so that a client can address its orders without
  // knowing the config.
  const std::vector<AccountId>& accounts = session.principal().accounts;
  Deliver(session, EncodeNotice(SessionAccepted{
                       .session = session.id(),
                       .account = accounts.empty() ? AccountId(0) : accounts.front(),
                       .accounts = static_cast<uint32_t>(accounts.size()),
                       .admin = session.principal().role == Role::kAdmin}));
}

void Server::Dispatch(Session& origin, std::span<const Event> events) {
  for (const Event& event : events) {
    const uint64_t mark = ++event_mark_;
    const Audience audience = AudienceOf(event.body);
    const Trade* trade = std::get_if<Trade>(&event.body);
    const std::span<const uint8_t> bytes = encoder_.Encode(event);
    auto deliver_once = [&](Session& s, std::span<const uint8_t> frame) {
      if (s.last_event_mark == mark) return;
      s.last_event_mark = mark;
      Deliver(s, frame);
    };
    if (audience.everyone && trade == nullptr) {
      for (Session* s : active_) deliver_once(*s, bytes);
      continue;
    }
    for (uint8_t i = 0; i < audience.account_count; ++i) {
      const auto it = by_account_.find(audience.accounts[i]);
      if (it == by_account_.end()) continue;
      for (Session* s : it->second) deliver_once(*s, bytes);
    }
    // The operator sees everything its own inputs cause; anyone sees the answer to its input.
    if (origin.principal().role == Role::kAdmin ||
        std::holds_alternative<CommandRejected>(event.body)) {
      deliver_once(origin, bytes);
    }
    if (trade != nullptr) {
      const std::span<const uint8_t> tape =
          encoder_.Encode(Event{event.seq, event.ts, Anonymized(*trade)});
      for (Session* s : active_) deliver_once(*s, tape);
    }
  }
}

void Server::Deliver(Session& session, std::span<const uint8_t> frame) {
  const bool was_overloaded = session.overloaded();
  session.Queue(frame, overload_notice_);
  if (!was_overloaded && session.overloaded()) ++stats_.overload_closes;
}

std::span<const uint8_t> Server::EncodeNotice(EventBody notice) {
  return encoder_.Encode(Event{SeqNo(0), Timestamp(clock_()), std::move(notice)});
}

void Server::Refuse(Session& session, const Command& command, RejectReason reason) {
  ++stats_.inputs_refused;
  // Refusals change nothing, so they are not journaled and carry sequence number 0.
  Deliver(session, EncodeNotice(wire::RejectionOf(command, reason)));
}

void Server::CloseWithNotice(Session& session, RejectReason reason, const Command* command) {
  const CommandRejected rejected =
      command != nullptr
          ? wire::RejectionOf(*command, reason)
          : CommandRejected{kSessionNoticeKind, SymbolId(0), AccountId(0), OrderId(0), reason};
  session.CloseWith(EncodeNotice(rejected));
}

void Server::OnOutputQueued(Session& session) {
  if (session.flush_scheduled) return;
  session.flush_scheduled = true;
  to_flush_.push_back(session.shared_from_this());
  ScheduleFlush();
}

void Server::ScheduleFlush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  // Posted behind the completions already waiting, so that every input read in this round of
  // the loop shares one journal commit.
  asio::post(io_, [this] { FlushAll(); });
}

void Server::FlushAll() {
  flush_posted_ = false;
  if (absl::Status s = host_.Commit(); !s.ok()) {
    Fail(s);
    return;
  }
  ++stats_.commits;
  for (const std::shared_ptr<Session>& session : to_flush_) {
    session->flush_scheduled = false;
    session->ReleaseAndFlush();
  }
  to_flush_.clear();
  if (!stopping_ && host_.SnapshotDue(clock_())) {
    if (absl::Status s = host_.WriteSnapshot(); !s.ok()) {
      Fail(s);
      return;
    }
    ++stats_.snapshots;
  }
}

void Server::OnLogonTimeout(Session& session) {
  ++stats_.bad_logons;
  CloseWithNotice(session, RejectReason::kNotAuthenticated);
}

void Server::OnClosed(Session& session) {
  const auto active = std::find(active_.begin(), active_.end(), &session);
  if (active != active_.end()) active_.erase(active);
  for (AccountId account : session.principal().accounts) {
    const auto it = by_account_.find(account);
    if (it == by_account_.end()) continue;
    std::erase(it->second, &session);
    if (it->second.empty()) by_account_.erase(it);
  }
  sessions_.erase(session.id());  // the caller's handler still holds the session
}

void Server::Fail(const absl::Status& status) {
  if (error_.ok()) error_ = status;
  GracefulStop();
}

void Server::GracefulStop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  housekeeping_.cancel();
  accept_retry_.cancel();
  // Release what is queued (committing the inputs behind it) before the sessions close.
  if (!host_.failed()) {
    FlushAll();
    if (host_.has_unsnapshotted_inputs()) {
      if (absl::Status s = host_.WriteSnapshot(); !s.ok() && error_.ok()) error_ = s;
    }
  }
  if (absl::Status s = host_.Close(); !s.ok() && error_.ok()) error_ = s;
  std::vector<std::shared_ptr<Session>> all;
  for (auto& [id, session] : sessions_) all.push_back(session);
  for (const auto& session : all) session->Shutdown();
}

}  // namespace cascade::gateway
