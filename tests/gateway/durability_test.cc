// Runs cascade-gateway as a child process under load and kills it with SIGKILL at random moments
// (CASCADE_KILL_ROUNDS times, default 20). After every restart: every input the gateway
// acknowledged before the kill is in the recovered state, and the recovered state digest equals a
// clean replay of the journal.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_replace.h"
#include "tests/gateway/test_support.h"

namespace cascade::gateway::testing {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;  // the child's stdout
  uint16_t port = 0;
  uint64_t inputs = 0;
  SeqNo seq{0};
  uint64_t digest = 0;
};

// Reads one line from `fd`, waiting at most `timeout`.
bool ReadLine(int fd, std::string& line, std::chrono::milliseconds timeout) {
  line.clear();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char c;
    if (::read(fd, &c, 1) != 1) return false;
    if (c == '\n') return true;
    line.push_back(c);
  }
}

Child Start(const std::string& config, const std::string& log) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::execl(CASCADE_GATEWAY_BIN, CASCADE_GATEWAY_BIN, "--config", config.c_str(), "--port", "0",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  child.out = pipe_fds[0];
  std::string line;
  unsigned port = 0;
  EXPECT_TRUE(ReadLine(child.out, line, std::chrono::seconds(60)));
  EXPECT_EQ(std::sscanf(line.c_str(), "listening on 127.0.0.1:%u", &port), 1) << line;
  child.port = static_cast<uint16_t>(port);
  EXPECT_TRUE(ReadLine(child.out, line, std::chrono::seconds(120)));
  uint64_t seq = 0;
  EXPECT_EQ(std::sscanf(line.c_str(),
                        "recovered %" SCNu64 " inputs, sequence %" SCNu64 ", state-digest %" SCNx64,
                        &child.inputs, &seq, &child.digest),
            3)
      << line;
  child.seq = SeqNo(seq);
  return child;
}

int Reap(Child& child) {
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  ::close(child.out);
  return status;
}

struct Acked {
  AccountId account;
  OrderId order;
  SeqNo seq;
};

void Record(const Event& e, std::vector<Acked>& acked) {
  if (const auto* accepted = std::get_if<OrderAccepted>(&e.body)) {
    acked.push_back({accepted->account, accepted->order_id, e.seq});
  }
}

TEST(GatewayDurabilityTest, KilledAtRandomEveryAcknowledgedInputSurvives) {
  const char* rounds_env = std::getenv("CASCADE_KILL_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::atoi(rounds_env) : 20;
  const std::string dir = MakeTempDir("durability");
  const std::string config_path = dir + "/gateway.json";
  {
    std::string text = SampleConfigJson();
    text = absl::StrReplaceAll(
        text, {{"\"max_orders\": 1048576", "\"max_orders\": 600000"},
               {"\"snapshot_every_inputs\": 1000000", "\"snapshot_every_inputs\": 2000"}});
    std::ofstream(config_path) << text;
  }
  absl::StatusOr<GatewayConfig> config = LoadConfig(config_path);
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string journal = config->data_dir + "/inputs.journal";
  const std::string log = dir + "/gateway.log";

  std::mt19937_64 random(20261122);
  std::vector<Acked> acked;
  uint64_t next_order = 1;
  for (int round = 0; round < rounds; ++round) {
    Child child = Start(config_path, log);
    ASSERT_GT(child.port, 0);
    // Everything acknowledged before the last kill made it into the recovered sequence ...
    for (const Acked& a : acked) ASSERT_LE(a.seq, child.seq) << "round " << round;
    // ... and the recovered state is exactly the journal's.
    const Replay replay = ReplayJournal(journal, config->engine, child.seq);
    ASSERT_EQ(replay.last_seq, child.seq) << "round " << round;
    ASSERT_EQ(replay.digest, child.digest) << "round " << round;

    auto a = LoggedOn(child.port, kTraderAToken);
    auto b = LoggedOn(child.port, kTraderBToken);
    const auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(20 + random() % 150);
    while (std::chrono::steady_clock::now() < kill_at) {
      for (int i = 0; i < 16; ++i) {
        // Resting orders that never cross: each acknowledged one must still be in the book.
        const int64_t offset = static_cast<int64_t>(random() % 1000);
        if (!a->Send(Input(Limit(AccountId(1001), next_order++, Side::kSell, 600'000 + offset, 1)))
                 .ok() ||
            !b->Send(Input(Limit(AccountId(2001), next_order++, Side::kBuy, 400'000 - offset, 1)))
                 .ok()) {
          break;
        }
      }
      (void)a->Poll(0, [&](const Event& e) { Record(e, acked); });
      (void)b->Poll(0, [&](const Event& e) { Record(e, acked); });
    }
    ::kill(child.pid, SIGKILL);
    // Acknowledgements already on their way count too: drain the sockets to the end.
    for (Client* c : {a.get(), b.get()}) {
      for (;;) {
        absl::StatusOr<Event> e = c->Receive(std::chrono::seconds(5));
        if (!e.ok()) break;
        Record(*e, acked);
      }
    }
    const int status = Reap(child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round;
  }
  ASSERT_GT(acked.size(), static_cast<size_t>(rounds));

  // A last recovery, checked order by order, then a graceful stop and one more start.
  Child child = Start(config_path, log);
  const Replay replay = ReplayJournal(journal, config->engine);
  EXPECT_EQ(replay.last_seq, child.seq);
  EXPECT_EQ(replay.digest, child.digest);
  for (const Acked& a : acked) {
    ASSERT_EQ(replay.engine->Order(a.account, a.order).status, OrderStatus::kResting)
        << "acknowledged order " << a.order.value() << " lost";
  }
  ::kill(child.pid, SIGTERM);
  const int status = Reap(child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  Child again = Start(config_path, log);
  EXPECT_EQ(again.seq, child.seq);
  EXPECT_EQ(again.digest, child.digest);
  ::kill(again.pid, SIGTERM);
  Reap(again);
  std::printf("%d kills, %zu acknowledged orders, final sequence %" PRIu64 "\n", rounds,
              acked.size(), child.seq.value());
}

}  // namespace
}  // namespace cascade::gateway::testing
