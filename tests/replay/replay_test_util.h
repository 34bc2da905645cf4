#pragma once

// Shared by the replay tests: running the `smoke` scenario with everything it produced kept.

#include <string>
#include <utility>
#include <vector>

#include "engine/core/command.h"
#include "engine/core/event.h"
#include "replay/replayer.h"
#include "replay/scenario.h"

namespace cascade::replay::testing {

struct Logged {
  Command command;
  std::vector<Event> events;
};

struct SmokeRun {
  Scenario scenario;
  ReplayResult result;
  std::vector<Logged> log;  // every command and its events, when asked for
};

inline SmokeRun RunScenarioNamed(const std::string& name, ScenarioOverrides overrides = {},
                                 ReplayOptions options = {}, bool keep_log = false) {
  SmokeRun run;
  if (overrides.data_dir.empty()) overrides.data_dir = DefaultDataDir();
  absl::StatusOr<Scenario> s = LoadScenario(name, overrides);
  if (!s.ok()) throw std::runtime_error(std::string(s.status().message()));
  run.scenario = *std::move(s);
  if (keep_log) {
    options.on_events = [&run](const Command& c, std::span<const Event> events) {
      run.log.push_back({c, std::vector<Event>(events.begin(), events.end())});
    };
  }
  absl::StatusOr<ReplayResult> r = RunScenario(run.scenario, options);
  if (!r.ok()) throw std::runtime_error(std::string(r.status().message()));
  run.result = *std::move(r);
  options.on_events = nullptr;
  return run;
}

inline std::string TempPath(const std::string& name) { return ::testing::TempDir() + "/" + name; }

}  // namespace cascade::replay::testing
