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

TEST(Determinism, FromASnapshotTheSameAsFromTheStart) {
  // Record the journal and, in the middle of the cascade, a snapshot; keep the encoded events.
  wire::Encoder encoder;
  auto encode_into = [&encoder](std::vector<std::pair<uint64_t, std::string>>& out) {
    return [&encoder, &out](const Command& c, std::span<const Event> events) {
      for (const Event& e : events) {
        const auto bytes = encoder.Encode(e);
        out.emplace_back(c.seq.value(), std::string(bytes.begin(), bytes.end()));
      }
    };
  };
  const auto probe = RunScenarioNamed("smoke");
  const uint64_t at = probe.result.cascade.deepest_seq - 1;  // just before the deepest sweep
  std::vector<std::pair<uint64_t, std::string>> full_events;
  ReplayOptions record;
  record.save_journal_path = TempPath("determinism_snapshot.journal");
  record.snapshot_at_seq = at;
  record.snapshot_path = TempPath("determinism.snapshot");
  record.on_events = encode_into(full_events);
  absl::StatusOr<Scenario> scenario = LoadScenario("smoke", {});
  ASSERT_TRUE(scenario.ok());
  absl::StatusOr<ReplayResult> full = RunScenario(*scenario, record);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->snapshot_seq, at);

  std::vector<std::pair<uint64_t, std::string>> tail_events;
  ReplayOptions resume;
  resume.from_snapshot_path = record.snapshot_path;
  resume.on_events = encode_into(tail_events);
  absl::StatusOr<ReplayResult> tail = ReplayJournal(record.save_journal_path, resume);
  ASSERT_TRUE(tail.ok()) << tail.status();
  EXPECT_EQ(tail->restored_seq, at);
  EXPECT_EQ(tail->state_digest, full->state_digest);
  EXPECT_EQ(tail->commands, full->commands - at);
  // Event for event, the same output after the snapshot point (the deepest sweep included).
  std::vector<std::pair<uint64_t, std::string>> expected;
  for (const auto& e : full_events) {
    if (e.first > at) expected.push_back(e);
  }
  ASSERT_EQ(tail_events.size(), expected.size());
  EXPECT_TRUE(tail_events == expected);
  EXPECT_EQ(tail->cascade.max_depth, full->cascade.max_depth);
}

}  // namespace
}  // namespace cascade::replay
