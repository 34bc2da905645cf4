// cascade-load: an open-loop load client for cascade-gateway.
//
//   cascade-load --port P --token T [--rate R] [--count N] [--sessions S] [--host H]
//                [--symbol ID] [--window W] [--hgrm FILE]
//
// Opens S sessions and sends N inputs in all, alternately a resting limit order and its cancel,
// at R inputs per second in total (0: as fast as the gateway answers, with at most W unanswered
// per session). Each input's latency runs from the time it was scheduled to be sent to the
// arrival of its answer, so a stalled gateway or a backed-up socket counts against the gateway
// instead of silently lowering the offered rate (no coordinated omission). Prints percentiles,
// writes the histogram as .hgrm, and last `acked N`: inputs the gateway sequenced and answered.

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/checked_math.h"
#include "engine/wire/encode.h"
#include "gateway/client.h"
#include "perf/latency_histogram.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string token;
  uint64_t rate = 0;
  uint64_t count = 100'000;
  uint32_t sessions = 1;
  uint32_t symbol = 1;
  uint32_t window = 1'000;
  std::string hgrm = "cascade-load.hgrm";
};

constexpr char kUsage[] =
    "usage: cascade-load --port P --token T [--rate R] [--count N] [--sessions S]\n"
    "                    [--host H] [--symbol ID] [--window W] [--hgrm FILE]\n"
    "  --rate R      inputs per second offered in total; 0 (default): as fast as possible\n"
    "  --count N     inputs to send in total (default 100000)\n"
    "  --sessions S  sessions (default 1), all with the same token\n"
    "  --window W    with --rate 0: unanswered inputs allowed per session (default 1000)\n"
    "  --hgrm FILE   latency histogram output (default cascade-load.hgrm)\n";

struct Session {
  cascade::gateway::Client client;
  cascade::AccountId account{0};
  uint64_t id_base = 0;  // order ids carry the session in their high bits
  uint64_t next_order = 0;
  std::vector<uint8_t> out;  // encoded, not yet accepted by the socket
  size_t out_sent = 0;
  std::deque<int64_t> scheduled_ns;  // of each unanswered input, in sending order
  bool closed = false;
};

int64_t Ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return false;
    const char* value = argv[++i];
    const uint64_t number = std::strtoull(value, nullptr, 10);
    if (arg == "--host") {
      o.host = value;
    } else if (arg == "--port") {
      o.port = static_cast<uint16_t>(number);
    } else if (arg == "--token") {
      o.token = value;
    } else if (arg == "--rate") {
      o.rate = number;
    } else if (arg == "--count") {
      o.count = number;
    } else if (arg == "--sessions") {
      o.sessions = static_cast<uint32_t>(number);
    } else if (arg == "--symbol") {
      o.symbol = static_cast<uint32_t>(number);
    } else if (arg == "--window") {
      o.window = static_cast<uint32_t>(number);
    } else if (arg == "--hgrm") {
      o.hgrm = value;
    } else {
      return false;
    }
  }
  return o.port != 0 && !o.token.empty() && o.sessions > 0 && o.count > 0 && o.window > 0;
}

// Input k of a session: even k places a resting order far from any market price, odd k cancels
// it, so the book stays small however long the run.
cascade::Command NextInput(Session& s, uint32_t symbol) {
  const uint64_t k = s.next_order++;
  const cascade::OrderId id(s.id_base + k / 2);
  if (k % 2 == 1) {
    return {cascade::SeqNo(0), cascade::Timestamp(0),
            cascade::CancelOrder{cascade::SymbolId(symbol), s.account, id}};
  }
  cascade::NewOrder order;
  order.symbol = cascade::SymbolId(symbol);
  order.account = s.account;
  order.order_id = id;
  order.side = (k / 2) % 2 == 0 ? cascade::Side::kBuy : cascade::Side::kSell;
  order.price =
      cascade::Price(order.side == cascade::Side::kBuy ? 1'000 + static_cast<int64_t>(k % 97)
                                                       : 9'000'000 - static_cast<int64_t>(k % 97));
  order.qty = cascade::Qty(1);
  return {cascade::SeqNo(0), cascade::Timestamp(0), order};
}

// The answer to one of this session's inputs (events for other sessions of the same account, and
// market data, are not).
bool IsAnswer(const Session& s, const cascade::Event& e) {
  auto mine = [&s](cascade::OrderId id) { return (id.value() >> 40) == (s.id_base >> 40); };
  if (const auto* a = std::get_if<cascade::OrderAccepted>(&e.body)) return mine(a->order_id);
  if (const auto* c = std::get_if<cascade::OrderCancelled>(&e.body)) {
    return c->reason == cascade::CancelReason::kUser && mine(c->order_id);
  }
  if (const auto* r = std::get_if<cascade::CommandRejected>(&e.body)) return mine(r->order_id);
  return false;
}

bool FlushOut(Session& s) {
  while (s.out_sent < s.out.size()) {
    const ssize_t n = ::send(s.client.fd(), s.out.data() + s.out_sent, s.out.size() - s.out_sent,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      s.out_sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    return false;
  }
  s.out.clear();
  s.out_sent = 0;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::vector<std::unique_ptr<Session>> sessions;
  for (uint32_t i = 0; i < o.sessions; ++i) {
    auto s = std::make_unique<Session>();
    if (absl::Status c = s->client.Connect(o.host, o.port); !c.ok()) {
      std::fprintf(stderr, "cascade-load: %s\n", c.ToString().c_str());
      return 1;
    }
    absl::StatusOr<cascade::AccountId> account = s->client.Logon(o.token);
    if (!account.ok()) {
      std::fprintf(stderr, "cascade-load: %s\n", account.status().ToString().c_str());
      return 1;
    }
    s->account = *account;
    // A run-unique prefix, so that a second run against the same gateway reuses no live id.
    s->id_base = ((static_cast<uint64_t>(Ns(Clock::now())) / 1'000'000 % 4096) << 52) |
                 (static_cast<uint64_t>(i + 1) << 40);
    sessions.push_back(std::move(s));
  }

  cascade::wire::Encoder encoder;
  cascade::LatencyHistogram histogram;
  uint64_t sent = 0;
  uint64_t answered = 0;
  uint64_t acked = 0;
  uint64_t refused = 0;
  const auto start = Clock::now();
  const int64_t start_ns = Ns(start);
  auto last_send = start;
  auto last_progress = start;
  const auto kAnswerTimeout = std::chrono::seconds(10);

  while (answered < sent || sent < o.count) {
    const auto now = Clock::now();
    const int64_t now_ns = Ns(now);
    if (sent < o.count) {
      if (o.rate > 0) {
        // Everything whose scheduled time has come, whether or not earlier inputs were answered.
        const uint64_t due = std::min<uint64_t>(
            o.count, static_cast<uint64_t>(static_cast<cascade::int128>(now_ns - start_ns) *
                                           o.rate / 1'000'000'000) +
                         1);
        for (; sent < due; ++sent) {
          Session& s = *sessions[sent % sessions.size()];
          const int64_t scheduled =
              start_ns +
              static_cast<int64_t>(static_cast<cascade::int128>(sent) * 1'000'000'000 / o.rate);
          const std::span<const uint8_t> frame = encoder.Encode(NextInput(s, o.symbol));
          s.out.insert(s.out.end(), frame.begin(), frame.end());
          s.scheduled_ns.push_back(scheduled);
        }
      } else {
        for (auto& s : sessions) {
          while (sent < o.count && s->scheduled_ns.size() < o.window) {
            const std::span<const uint8_t> frame = encoder.Encode(NextInput(*s, o.symbol));
            s->out.insert(s->out.end(), frame.begin(), frame.end());
            s->scheduled_ns.push_back(now_ns);
            ++sent;
          }
        }
      }
      last_send = now;
      last_progress = now;
    }
    for (auto& s : sessions) {
      if (s->closed) continue;
      if (!s->out.empty() && !FlushOut(*s)) s->closed = true;
      absl::StatusOr<size_t> got = s->client.Poll(0, [&](const cascade::Event& e) {
        if (!IsAnswer(*s, e) || s->scheduled_ns.empty()) return;
        histogram.Record(Ns(Clock::now()) - s->scheduled_ns.front());
        s->scheduled_ns.pop_front();
        ++answered;
        // Sequence 0: refused by the gateway (rate limit, permissions) without journaling.
        if (e.seq.value() == 0) {
          ++refused;
        } else {
          ++acked;
        }
      });
      if (!got.ok()) s->closed = true;
      if (got.ok() && *got > 0) last_progress = Clock::now();
    }
    bool all_closed = true;
    for (const auto& s : sessions) all_closed = all_closed && s->closed;
    if (all_closed || (sent == o.count && Clock::now() - last_progress > kAnswerTimeout)) break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double send_seconds = std::chrono::duration<double>(last_send - start).count();

  const cascade::LatencySummary l = histogram.Summary();
  std::printf("cascade-load: %u sessions, offered %s, %" PRIu64 " inputs\n", o.sessions,
              o.rate > 0 ? (std::to_string(o.rate) + " msg/s").c_str() : "max (window)", o.count);
  std::printf("sent %" PRIu64 " in %.3f s (%.0f msg/s); answered %" PRIu64
              " in %.3f s (%.0f msg/s)\n",
              sent, send_seconds, send_seconds > 0 ? static_cast<double>(sent) / send_seconds : 0.0,
              answered, seconds, static_cast<double>(answered) / seconds);
  std::printf(
      "latency (us) from scheduled send: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  "
      "p99.99 %.1f  max %.1f  mean %.1f\n",
      static_cast<double>(l.p50) / 1e3, static_cast<double>(l.p90) / 1e3,
      static_cast<double>(l.p99) / 1e3, static_cast<double>(l.p999) / 1e3,
      static_cast<double>(l.p9999) / 1e3, static_cast<double>(l.max) / 1e3, l.mean / 1e3);
  std::printf("refused %" PRIu64 ", unanswered %" PRIu64 "\n", refused, sent - answered);
  if (absl::Status s = histogram.WriteHgrmFile(o.hgrm, 5, 1000.0); s.ok()) {
    std::printf("wrote %s (microseconds)\n", o.hgrm.c_str());
  } else {
    std::fprintf(stderr, "cascade-load: %s\n", s.ToString().c_str());
  }
  std::printf("acked %" PRIu64 "\n", acked);
  return answered == sent ? 0 : 1;
}
