// Determinism: the same scenario and seed give the same journal bytes and the same digests, run
// after run and build after build (the checked-in digests below are what the release and the
// debug builds must both reproduce), and a recorded journal replays to the same digests.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_format.h"
#include "engine/wire/encode.h"
#include "replay/generator.h"
#include "tests/replay/replay_test_util.h"

namespace cascade::replay {
namespace {

using testing::RunScenarioNamed;
using testing::TempPath;

// The `smoke` scenario's digests. Every build (release, debug, ASan+UBSan, any machine) must
// reproduce them: the input digest depends only on the scenario generator and the wire encoding,
// the output and state digests on the engine too. When the engine's behaviour changes on
// purpose, rerun `cascade-replay --scenario smoke` and update them here (and say why in the
// commit); when only these change on one build, something is not deterministic.
constexpr uint64_t kSmokeInputDigest = 0x11f4a107948023a3;
constexpr uint64_t kSmokeOutputDigest = 0x9141d552a3f5670c;
constexpr uint64_t kSmokeStateDigest = 0xfaea3f729440c17f;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Determinism, SameScenarioAndSeedGiveIdenticalJournalsAndDigests) {
  ReplayOptions a;
  a.save_journal_path = TempPath("determinism_a.journal");
  ReplayOptions b;
  b.save_journal_path = TempPath("determinism_b.journal");
  const auto first = RunScenarioNamed("smoke", {}, a);
  const auto second = RunScenarioNamed("smoke", {}, b);
  const std::string bytes_a = ReadFile(a.save_journal_path);
  const std::string bytes_b = ReadFile(b.save_journal_path);
  ASSERT_GT(bytes_a.size(), 100'000u);
  EXPECT_TRUE(bytes_a == bytes_b) << "the two journals differ";
  EXPECT_EQ(first.result.input_digest, second.result.input_digest);
  EXPECT_EQ(first.result.output_digest, second.result.output_digest);
  EXPECT_EQ(first.result.state_digest, second.result.state_digest);
  EXPECT_EQ(first.result.commands, second.result.commands);
}

TEST(Determinism, SmokeReproducesTheCheckedInDigests) {
  const auto run = RunScenarioNamed("smoke");
  EXPECT_EQ(run.result.input_digest, kSmokeInputDigest)
      << absl::StrFormat("input digest %016x", run.result.input_digest);
  EXPECT_EQ(run.result.output_digest, kSmokeOutputDigest)
      << absl::StrFormat("output digest %016x", run.result.output_digest);
  EXPECT_EQ(run.result.state_digest, kSmokeStateDigest)
      << absl::StrFormat("state digest %016x", run.result.state_digest);
}

TEST(Determinism, AnotherSeedGivesAnotherScenario) {
  ScenarioOverrides o;
  o.seed = 2;
  const auto other = RunScenarioNamed("smoke", o);
  const auto base = RunScenarioNamed("smoke");
  EXPECT_NE(other.result.input_digest, base.result.input_digest);
  EXPECT_NE(other.result.output_digest, base.result.output_digest);
}

TEST(Determinism, TheGeneratorAloneIsAFunctionOfScenarioAndSeed) {
  // Without an engine: the open-loop input does not depend on what the engine does with it.
  absl::StatusOr<Scenario> s = LoadScenario("smoke", {});
  ASSERT_TRUE(s.ok()) << s.status();
  auto digest_of = [&](const Scenario& scenario) {
    ScenarioGenerator g(scenario);
    wire::Encoder encoder;
    Digest d;
    Command c;
    uint64_t n = 0;
    int64_t last_ts = 0;
    while (g.Next(c)) {
      EXPECT_EQ(c.seq.value(), ++n);
      EXPECT_GE(c.ts.value(), last_ts);
      last_ts = c.ts.value();
      const auto bytes = encoder.Encode(c);
      d.Update(bytes.data(), bytes.size());
    }
    return d.value();
  };
  const uint64_t once = digest_of(*s);
  EXPECT_EQ(once, digest_of(*s));
  EXPECT_EQ(once, RunScenarioNamed("smoke").result.input_digest);
}

TEST(Determinism, ARecordedJournalReplaysToTheSameDigestsTwice) {
  ReplayOptions save;
  save.save_journal_path = TempPath("determinism_replay.journal");
  const auto scenario = RunScenarioNamed("smoke", {}, save);
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<ReplayResult> r = ReplayJournal(save.save_journal_path, {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->commands, scenario.result.commands);
    EXPECT_EQ(r->decode_errors, 0u);
    EXPECT_EQ(r->input_digest, scenario.result.input_digest);
    EXPECT_EQ(r->output_digest, scenario.result.output_digest);
    EXPECT_EQ(r->state_digest, scenario.result.state_digest);
    EXPECT_EQ(r->cascade.max_depth, scenario.result.cascade.max_depth);
    EXPECT_EQ(r->cascade.total.notional, scenario.result.cascade.total.notional);
  }
}

TEST(Determinism, StoppingAtASequenceNumberGivesTheStateThere) {
  ReplayOptions save;
  save.save_journal_path = TempPath("determinism_stop.journal");
  const auto full = RunScenarioNamed("smoke", {}, save);
  const uint64_t stop = full.result.cascade.deepest_seq;
  ASSERT_GT(stop, 0u);
  ReplayOptions at;
  at.stop_at_seq = stop;
  std::ostringstream state;
  at.stop_report = &state;
  absl::StatusOr<ReplayResult> from_journal = ReplayJournal(save.save_journal_path, at);
  ASSERT_TRUE(from_journal.ok()) << from_journal.status();
  EXPECT_TRUE(from_journal->stopped);
  EXPECT_EQ(from_journal->last_seq, stop);
  EXPECT_NE(state.str().find("state after seq " + std::to_string(stop)), std::string::npos);
  EXPECT_NE(state.str().find("most at risk"), std::string::npos);
  at.stop_report = nullptr;
  const auto from_scenario = RunScenarioNamed("smoke", {}, at);
  EXPECT_EQ(from_scenario.result.state_digest, from_journal->state_digest);
  EXPECT_EQ(from_scenario.result.output_digest, from_journal->output_digest);
  EXPECT_NE(from_journal->state_digest, full.result.state_digest);
}

}  // namespace
}  // namespace cascade::replay
