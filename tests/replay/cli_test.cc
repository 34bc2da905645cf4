// The cascade-replay command-line contract (docs/replay.md), against the built tool: the last two
// lines printed are the digests, the JSON report has its fields, a saved journal replays to the
// same digests, usage errors exit 2, a scenario whose real data is absent is skipped with exit
// 77, and the HTML report renders in headless Chromium (skipped, visibly, without Chromium).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/replay/report_check.h"

namespace {

struct Result {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

Result RunTool(const std::string& args) {
  const std::string command = std::string(CASCADE_REPLAY_TOOL) + " " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Per process: ctest runs the tests of this file in parallel processes, each with its own fixture.
std::string Temp(const std::string& name) {
  return ::testing::TempDir() + "/cli_" + std::to_string(getpid()) + "_" + name;
}

// "PREFIX" followed by 16 lowercase hex digits: the digits, else empty. (No std::regex: GCC 12
// warns inside it under the sanitizers.)
std::string HexAfter(const std::string& line, const std::string& prefix) {
  if (line.size() != prefix.size() + 16 || line.compare(0, prefix.size(), prefix) != 0) return "";
  const std::string hex = line.substr(prefix.size());
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return "";
  }
  return hex;
}

// The digests from the last two lines, or empty strings when the contract is broken.
std::pair<std::string, std::string> Digests(const std::string& out) {
  const std::vector<std::string> lines = Lines(out);
  if (lines.size() < 2) return {};
  const std::string output = HexAfter(lines[lines.size() - 2], "output-digest: ");
  const std::string state = HexAfter(lines.back(), "state-digest: ");
  if (output.empty() || state.empty()) return {};
  return {output, state};
}

class ReplayCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    json_ = Temp("smoke.json");
    html_ = Temp("smoke.html");
    journal_ = Temp("smoke.journal");
    events_ = Temp("smoke.events.jsonl");
    scenario_ = new Result(RunTool("--scenario smoke --quiet --json " + json_ + " --html " + html_ +
                                   " --save-journal " + journal_ + " --events " + events_ +
                                   " --hgrm " + Temp("smoke")));
  }
  static void TearDownTestSuite() {
    delete scenario_;
    for (const std::string& f : {json_, html_, journal_, events_, Temp("smoke.snapshot"),
                                 Temp("smoke.png"), Temp("chromium.log")}) {
      std::filesystem::remove(f);
    }
    for (const char* h : {"per_event", "per_cascade_event", "per_liquidation", "per_round"}) {
      std::filesystem::remove(Temp(std::string("smoke.") + h + ".hgrm"));
    }
  }
  static std::string json_, html_, journal_, events_;
  static Result* scenario_;
};
std::string ReplayCli::json_;
std::string ReplayCli::html_;
std::string ReplayCli::journal_;
std::string ReplayCli::events_;
Result* ReplayCli::scenario_ = nullptr;

TEST_F(ReplayCli, ScenarioRunEndsWithTheTwoDigestLines) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const auto [output, state] = Digests(scenario_->out);
  EXPECT_FALSE(output.empty()) << scenario_->out;
  EXPECT_FALSE(state.empty());
  EXPECT_NE(scenario_->out.find("cascade: max depth"), std::string::npos);
  EXPECT_NE(scenario_->out.find("per input event"), std::string::npos);
}

TEST_F(ReplayCli, JsonReportHasTheContractFields) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const std::string json = ReadFile(json_);
  cascade::replay::testing::ParsedReport report(json);
  ASSERT_EQ(report.error(), "") << json.substr(0, 1000);
  for (const char* key : {"\"max_depth\"", "\"episodes\"", "\"generations\"", "\"round\"",
                          "\"liquidations\"", "\"notional_usd\"", "\"long_share\"", "\"accounts\"",
                          "\"count\"", "\"p50\"", "\"p99\"", "\"p999\"", "\"max\"", "\"seed\"",
                          "\"lambda\"", "\"engine_version\"", "\"insurance_fund\"", "\"adl\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
  const auto [output, state] = Digests(scenario_->out);
  EXPECT_EQ(report->digests()->output()->str(), output);
  EXPECT_EQ(report->digests()->state()->str(), state);
  EXPECT_GE(report->cascade()->max_depth(), 2u);
}

TEST_F(ReplayCli, SavedJournalReplaysToTheSameDigests) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const Result replay = RunTool(journal_ + " --quiet");
  ASSERT_EQ(replay.exit_code, 0) << replay.out;
  EXPECT_EQ(Digests(replay.out), Digests(scenario_->out));
  // The output events, as JSON lines, one per event.
  const std::vector<std::string> events = Lines(ReadFile(events_));
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.front().find("\"body_type\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(Temp("smoke.per_event.hgrm")));
}

TEST_F(ReplayCli, StopAtASequenceNumberPrintsTheBookAndBuckets) {
  ASSERT_EQ(scenario_->exit_code, 0);
  const Result r = RunTool(journal_ + " --quiet --stop-at-seq 20000");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("state after seq 20000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bid "), std::string::npos);
  EXPECT_NE(r.out.find("insurance fund bucket"), std::string::npos);
  EXPECT_FALSE(Digests(r.out).first.empty()) << "digests stay the last two lines";
}

TEST_F(ReplayCli, SnapshotThenResumeEndsInTheSameState) {
  ASSERT_EQ(scenario_->exit_code, 0);
  const std::string snapshot = Temp("smoke.snapshot");
  const Result write = RunTool(journal_ + " --quiet --snapshot-at 12000 " + snapshot);
  ASSERT_EQ(write.exit_code, 0) << write.out;
  EXPECT_NE(write.out.find("snapshot written at seq 12000"), std::string::npos);
  const Result resume = RunTool(journal_ + " --quiet --from-snapshot " + snapshot);
  ASSERT_EQ(resume.exit_code, 0) << resume.out;
  EXPECT_NE(resume.out.find("started from a snapshot at seq 12000"), std::string::npos);
  EXPECT_EQ(Digests(resume.out).second, Digests(scenario_->out).second) << "state digest";
  EXPECT_EQ(RunTool("--scenario smoke --from-snapshot " + snapshot).exit_code, 2);
}

TEST_F(ReplayCli, PresetAndLambdaChangeTheOutcome) {
  const Result r = RunTool("--scenario smoke --quiet --preset hyperliquid --lambda 0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("preset hyperliquid"), std::string::npos);
  EXPECT_NE(Digests(r.out), Digests(scenario_->out));
}

// An .hgrm footer's "Total count" and "Mean" (microseconds); count -1 when absent.
struct HgrmFooter {
  long count = -1;
  double mean_us = 0;
};
HgrmFooter ReadHgrmFooter(const std::string& path) {
  HgrmFooter f;
  for (const std::string& line : Lines(ReadFile(path))) {
    if (line.rfind("#[Mean", 0) == 0) f.mean_us = std::stod(line.substr(line.find('=') + 1));
    const size_t total = line.find("Total count");
    if (total != std::string::npos) f.count = std::stol(line.substr(line.find('=', total) + 1));
  }
  return f;
}

// N from the run's "replay: N input messages" line; -1 when absent.
long InputMessages(const std::string& out) {
  const size_t at = out.find("replay: ");
  if (at == std::string::npos) return -1;
  std::string digits;
  for (size_t i = at + 8; i < out.size() && out[i] != ' '; ++i) {
    if (out[i] != ',') digits += out[i];
  }
  return digits.empty() ? -1 : std::stol(digits);
}

// --profile DIR: one .hgrm per stage, each counting every input message once, the total being
// the sum of the stages; the run itself is unchanged (same digests); --rate adds open-loop runs.
TEST_F(ReplayCli, ProfileWritesOneHgrmPerStageCountingEveryMessage) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const std::string dir = Temp("profile");
  const Result r = RunTool("--scenario smoke --quiet --profile " + dir + " --rate 200000");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Digests(r.out), Digests(scenario_->out));
  EXPECT_NE(r.out.find("profile: wall-clock latency per stage"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("new_order"), std::string::npos);
  const long messages = InputMessages(r.out);
  ASSERT_GT(messages, 1000) << r.out;
  double stage_means = 0;
  for (const char* stage : {"decode", "journal_write", "matching", "risk_sweep", "encode"}) {
    const HgrmFooter f = ReadHgrmFooter(dir + "/" + stage + ".hgrm");
    EXPECT_EQ(f.count, messages) << stage;
    EXPECT_GT(f.mean_us, 0.0) << stage;
    stage_means += f.mean_us;
  }
  const HgrmFooter total = ReadHgrmFooter(dir + "/total.hgrm");
  EXPECT_EQ(total.count, messages);
  EXPECT_NEAR(total.mean_us, stage_means, 0.01 * stage_means);  // bucket rounding only
  EXPECT_GT(ReadHgrmFooter(dir + "/type.new_order.hgrm").count, messages / 2);
  EXPECT_EQ(ReadHgrmFooter(dir + "/open_loop.200000.hgrm").count, messages);
  EXPECT_NE(r.out.find("200,000"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST_F(ReplayCli, ProfileOfAJournalTimesEveryFrame) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const std::string dir = Temp("profile_journal");
  const Result r = RunTool(journal_ + " --quiet --profile " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Digests(r.out), Digests(scenario_->out));
  const long messages = InputMessages(r.out);
  ASSERT_GT(messages, 1000) << r.out;
  EXPECT_EQ(ReadHgrmFooter(dir + "/decode.hgrm").count, messages);
  EXPECT_EQ(ReadHgrmFooter(dir + "/matching.hgrm").count, messages);
  std::filesystem::remove_all(dir);
}

TEST(ReplayCliErrors, UsageMistakesExitWithTwo) {
  EXPECT_EQ(RunTool("").exit_code, 2);
  EXPECT_EQ(RunTool("--scenario").exit_code, 2);
  EXPECT_EQ(RunTool("--scenario smoke --preset nasdaq").exit_code, 2);
  EXPECT_EQ(RunTool("--scenario smoke --lambda -1").exit_code, 2);
  EXPECT_EQ(RunTool("--scenario smoke --frobnicate").exit_code, 2);
  EXPECT_EQ(RunTool("a.journal --scenario smoke").exit_code, 2);
  EXPECT_EQ(RunTool("--scenario smoke --rate 1000").exit_code, 2);  // --rate needs --profile
  EXPECT_EQ(RunTool("--scenario smoke --profile d --rate fast").exit_code, 2);
  const Result help = RunTool("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("output-digest"), std::string::npos);
}

TEST(ReplayCliErrors, MissingFilesAreErrors) {
  EXPECT_EQ(RunTool("/nonexistent.journal").exit_code, 1);
  EXPECT_EQ(RunTool("--scenario /nonexistent.json").exit_code, 1);
}

TEST(ReplayCliErrors, ScenarioWithoutItsRealDataIsSkipped) {
  const Result r = RunTool("--scenario oct10-2025 --data-dir /nonexistent/data --quiet");
  EXPECT_EQ(r.exit_code, 77) << r.out;
  EXPECT_NE(r.out.find("skipped"), std::string::npos);
}

TEST(ReplayCliErrors, ListsTheBuiltinScenarios) {
  const Result r = RunTool("--list");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "jan29-2026\njan31-2026\noct10-2025\nsmoke\n");
}

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/snap/bin"}) {
      const std::string path = std::string(dir) + "/" + name;
      if (std::filesystem::exists(path)) return path;
    }
  }
  return "";
}

TEST_F(ReplayCli, HtmlReportIsSelfContainedAndRendersInHeadlessChromium) {
  ASSERT_EQ(scenario_->exit_code, 0) << scenario_->out;
  const std::string html = ReadFile(html_);
  ASSERT_FALSE(html.empty());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  // The only http:// is the SVG namespace, which is a name, not a fetch.
  std::string without_ns = html;
  for (size_t at; (at = without_ns.find("http://www.w3.org/2000/svg")) != std::string::npos;) {
    without_ns.erase(at, 26);
  }
  EXPECT_EQ(without_ns.find("http://"), std::string::npos);

  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "SKIPPED: Chromium is not installed (Debian package `chromium`); the HTML "
                    "report was checked for self-containment but not rendered";
  }
  const std::string profile = Temp("chromium-profile");
  const std::string png = Temp("smoke.png");
  std::filesystem::remove_all(profile);
  std::filesystem::remove(png);
  const std::string command =
      "timeout 120 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
      profile + " --window-size=1200,2400 --screenshot=" + png + " file://" + html_ + " > " +
      Temp("chromium.log") + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "chromium failed:\n"
                                                             << ReadFile(Temp("chromium.log"));
  const std::string image = ReadFile(png);
  ASSERT_GT(image.size(), 20'000u) << "a near-empty screenshot";
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::filesystem::remove_all(profile);
}

}  // namespace
