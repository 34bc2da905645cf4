// The command-line contract of cascade-journal (issue 4), which scripts rely on: run the real
// binary and check outputs and exit codes.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/engine/journal/journal_test_util.h"

namespace cascade::journal {
namespace {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Result RunTool(const std::string& arguments) {
  const std::string command = std::string(CASCADE_JOURNAL_TOOL) + " " + arguments + " 2>&1";
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The 16 hex digits of "input-digest: HEX\n", the whole output of `digest`.
std::string Digest(const std::string& path) {
  const Result r = RunTool("digest " + path);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string prefix = "input-digest: ";
  const bool shaped =
      r.output.size() == prefix.size() + 17 && r.output.starts_with(prefix) &&
      r.output.back() == '\n' &&
      r.output.find_first_not_of("0123456789abcdef", prefix.size()) == r.output.size() - 1;
  EXPECT_TRUE(shaped) << r.output;
  return shaped ? r.output.substr(prefix.size(), 16) : "";
}

// The count `stat` prints for a type ("  NewOrder    1"), or -1.
long TypeCount(const std::string& stat, const std::string& type) {
  const size_t at = stat.find("\n  " + type + " ");
  if (at == std::string::npos) return -1;
  return std::strtol(stat.c_str() + at + 3 + type.size(), nullptr, 10);
}

TEST(CascadeJournalCliTest, SampleVerifiesWithEveryCommandType) {
  testing::TempPath journal("sample");
  ASSERT_EQ(RunTool("sample " + journal.path()).exit_code, 0);
  const Result verify = RunTool("verify " + journal.path());
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("OK, 13 frames"), std::string::npos) << verify.output;
  // Every sample command is one the engine accepts as well-formed.
  EXPECT_EQ(RunTool("verify --strict " + journal.path()).exit_code, 0);
  const Result stat = RunTool("stat " + journal.path());
  EXPECT_EQ(stat.exit_code, 0) << stat.output;
  for (const char* type :
       {"NewOrder", "CancelOrder", "AmendOrder", "MassCancel", "ConfigureSymbol", "Deposit",
        "Withdraw", "SetLeverage", "IndexPrice", "MarkPrice", "FundingRate", "Timer", "Logon"}) {
    EXPECT_EQ(TypeCount(stat.output, type), 1) << type << "\n" << stat.output;
  }
}

TEST(CascadeJournalCliTest, JsonRoundTripKeepsTheDigest) {
  testing::TempPath journal("in");
  testing::TempPath json("json");
  testing::TempPath back("back");
  ASSERT_EQ(RunTool("sample " + journal.path()).exit_code, 0);
  const Result to_json = RunTool("to-json " + journal.path() + " " + json.path());
  ASSERT_EQ(to_json.exit_code, 0) << to_json.output;
  const Result from_json = RunTool("from-json " + json.path() + " " + back.path());
  ASSERT_EQ(from_json.exit_code, 0) << from_json.output;
  EXPECT_EQ(Digest(back.path()), Digest(journal.path()));
  // to-json without OUT writes the same lines to stdout.
  std::ifstream in(json.path());
  const std::string lines((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(RunTool("to-json " + journal.path()).output, lines);
}

TEST(CascadeJournalCliTest, TornTailIsReportedAndRepaired) {
  testing::TempPath journal("torn");
  ASSERT_EQ(RunTool("sample " + journal.path()).exit_code, 0);
  testing::Bytes bytes = testing::ReadFile(journal.path());
  bytes.resize(bytes.size() - 5);
  testing::WriteFile(journal.path(), bytes);

  const Result verify = RunTool("verify " + journal.path());
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.output.find("torn tail at offset 1920"), std::string::npos) << verify.output;
  EXPECT_EQ(RunTool("digest " + journal.path()).exit_code, 1);

  const Result repair = RunTool("repair " + journal.path());
  EXPECT_EQ(repair.exit_code, 0) << repair.output;
  EXPECT_NE(repair.output.find("12 frames remain"), std::string::npos) << repair.output;
  EXPECT_EQ(RunTool("verify " + journal.path()).exit_code, 0);
}

TEST(CascadeJournalCliTest, CorruptionInTheMiddleIsReportedNotCut) {
  testing::TempPath journal("mid");
  ASSERT_EQ(RunTool("sample " + journal.path()).exit_code, 0);
  testing::Bytes bytes = testing::ReadFile(journal.path());
  bytes[300] ^= 0xff;  // inside frame 1, which starts at offset 216
  testing::WriteFile(journal.path(), bytes);

  const Result verify = RunTool("verify " + journal.path());
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.output.find("corrupt frame at offset 216"), std::string::npos) << verify.output;
  const Result repair = RunTool("repair " + journal.path());
  EXPECT_EQ(repair.exit_code, 1) << repair.output;
  EXPECT_EQ(testing::ReadFile(journal.path()), bytes);

  const Result skipping = RunTool("to-json --skip-corrupt " + journal.path());
  EXPECT_EQ(skipping.exit_code, 0) << skipping.output;
  EXPECT_NE(skipping.output.find("skipped corrupt frame at offset 216"), std::string::npos);
  EXPECT_NE(skipping.output.find("\"body_type\": \"Logon\""), std::string::npos);
}

TEST(CascadeJournalCliTest, CatShowsEveryFrame) {
  testing::TempPath journal("cat");
  ASSERT_EQ(RunTool("sample " + journal.path()).exit_code, 0);
  const Result cat = RunTool("cat " + journal.path());
  EXPECT_EQ(cat.exit_code, 0);
  EXPECT_NE(cat.output.find("#1 @216 seq=2 2025-10-10T20:50:00.001000000Z CancelOrder {symbol: 1"),
            std::string::npos)
      << cat.output;
}

TEST(CascadeJournalCliTest, BadInputLinesNameTheLine) {
  testing::TempPath json("json");
  testing::TempPath out("out");
  {
    std::ofstream f(json.path());
    f << R"({"seq": 1, "body_type": "Timer", "body": {}})"
      << "\n\n"
      << R"({"seq": 2, "body_type": "Teleport", "body": {}})"
      << "\n";
  }
  const Result r = RunTool("from-json " + json.path() + " " + out.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(json.path() + ":3:"), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(out.path()).good()) << "no half-written journal left behind";
}

TEST(CascadeJournalCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunTool("").exit_code, 2);
  EXPECT_EQ(RunTool("frobnicate").exit_code, 2);
  EXPECT_EQ(RunTool("verify").exit_code, 2);
  EXPECT_EQ(RunTool("digest a b").exit_code, 2);
  const Result help = RunTool("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command :
       {"sample", "from-json", "to-json", "cat", "stat", "verify", "repair", "digest"}) {
    EXPECT_NE(help.output.find(std::string("  ") + command), std::string::npos) << command;
  }
  EXPECT_EQ(RunTool("verify /nonexistent/journal").exit_code, 1);
}

}  // namespace
}  // namespace cascade::journal
