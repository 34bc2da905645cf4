// cascade-gateway: serves one engine over TCP. See docs/gateway.md.
//
//   cascade-gateway --config FILE [--port P]
//   cascade-gateway --sample-config OUT

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/config.h"
#include "gateway/server.h"

namespace {

constexpr char kUsage[] =
    "usage: cascade-gateway --config FILE [--port P]\n"
    "       cascade-gateway --sample-config OUT\n"
    "  --config FILE        gateway config (JSON; write an example with --sample-config)\n"
    "  --port P             listen on port P instead of the config's (0: any free port)\n"
    "  --sample-config OUT  write a working config with an admin and two trader tokens\n";

int Fail(std::string_view message) {
  std::fprintf(stderr, "cascade-gateway: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

int WriteSample(const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << cascade::gateway::SampleConfigJson();
  out.close();
  if (!out) return Fail("cannot write " + path);
  std::printf("wrote %s\n", path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  std::optional<uint16_t> port;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--sample-config" && has_value) {
      return WriteSample(argv[++i]);
    } else if (arg == "--config" && has_value) {
      config_path = argv[++i];
    } else if (arg == "--port" && has_value) {
      char* end = nullptr;
      const unsigned long value = std::strtoul(argv[++i], &end, 10);
      if (end == nullptr || *end != '\0' || value > 65535) return Fail("bad --port");
      port = static_cast<uint16_t>(value);
    } else {
      std::fputs(kUsage, stderr);
      return 2;
    }
  }
  if (config_path.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  absl::StatusOr<cascade::gateway::GatewayConfig> config =
      cascade::gateway::LoadConfig(config_path);
  if (!config.ok()) return Fail(config.status().ToString());
  cascade::gateway::Server server(*std::move(config));
  if (absl::Status s = server.Listen(port); !s.ok()) return Fail(s.ToString());
  // Scripts wait for these lines on a pipe: flush each one.
  std::printf("listening on %s:%u\n", server.host().c_str(), server.port());
  std::fflush(stdout);
  absl::StatusOr<cascade::gateway::RecoveryInfo> info = server.Recover();
  if (!info.ok()) return Fail(info.status().ToString());
  if (!info->repaired.empty()) {
    std::fprintf(stderr, "cascade-gateway: repaired the journal tail: %s\n",
                 info->repaired.c_str());
  }
  std::fprintf(stderr,
               "cascade-gateway: snapshot at sequence %" PRIu64 ", %" PRIu64
               " inputs replayed from the journal\n",
               info->snapshot_seq.value(), info->replayed);
  std::printf("recovered %" PRIu64 " inputs, sequence %" PRIu64 ", state-digest %016" PRIx64 "\n",
              info->journal_inputs, info->last_seq.value(), info->state_digest);
  std::fflush(stdout);
  server.StopOnSignals();
  const absl::Status status = server.Run();
  const cascade::gateway::ServerStats& stats = server.stats();
  std::fprintf(
      stderr,
      "cascade-gateway: stopped; sessions %" PRIu64 ", inputs %" PRIu64 " accepted, %" PRIu64
      " refused (%" PRIu64 " rate-limited), %" PRIu64 " commits, %" PRIu64
      " snapshots, closed %" PRIu64 " malformed and %" PRIu64 " slow sessions\n",
      stats.sessions_opened, stats.inputs_accepted, stats.inputs_refused, stats.rate_limited,
      stats.commits, stats.snapshots, stats.malformed_closes, stats.overload_closes);
  if (!status.ok()) return Fail(status.ToString());
  return 0;
}
