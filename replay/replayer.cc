#include "replay/replayer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/core/format.h"
#include "engine/journal/reader.h"
#include "engine/journal/snapshot_file.h"
#include "engine/journal/writer.h"
#include "engine/risk/presets.h"
#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/json.h"
#include "perf/tsc_timer.h"
#include "replay/format_util.h"
#include "replay/generator.h"

namespace cascade::replay {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

journal::WriterOptions ReplayWriterOptions(journal::JournalKind kind, int64_t created_ns) {
  journal::WriterOptions o;
  o.kind = kind;
  o.sync = journal::SyncPolicy::kNever;  // a replay's outputs are reproducible: no fsync
  o.overwrite = true;
  o.created_unix_ns = created_ns;
  return o;
}

// Everything an hour of replay could record is below this; larger is saturated.
LatencyHistogram NewHistogram() {
  return LatencyHistogram(LatencyHistogram::kDefaultHighestTrackable, 3);
}

}  // namespace

struct Replayer::Outputs {
  wire::Encoder command_encoder;
  wire::Encoder event_encoder;
  std::optional<journal::JournalWriter> input_journal;
  std::optional<journal::JournalWriter> event_journal;
  std::unique_ptr<wire::JsonCodec> json;
  std::ofstream json_out;
  absl::Status error = absl::OkStatus();
};

Replayer::Replayer(const EngineConfig& config, ReplayOptions options)
    : options_(std::move(options)),
      engine_(std::make_unique<Engine>(config)),
      meter_(options_.meter),
      latency_(
          std::make_shared<Latencies>(Latencies{NewHistogram(), NewHistogram(), NewHistogram(),
                                                NewHistogram(), NewHistogram(), NewHistogram()})),
      out_(std::make_unique<Outputs>()) {
  if (options_.profile != nullptr) {
    options_.profile->Attach(*engine_);
    // The journal-write stage needs a journal; without one asked for, the frames go nowhere.
    if (options_.save_journal_path.empty()) options_.save_journal_path = "/dev/null";
  }
}

Replayer::~Replayer() = default;

absl::Status Replayer::Open() {
  if (!options_.save_journal_path.empty()) {
    absl::StatusOr<journal::JournalWriter> w = journal::JournalWriter::Create(
        options_.save_journal_path,
        ReplayWriterOptions(journal::JournalKind::kInput, options_.journal_created_ns));
    if (!w.ok()) return w.status();
    out_->input_journal.emplace(*std::move(w));
  }
  if (!options_.events_path.empty()) {
    if (absl::EndsWith(options_.events_path, ".json") ||
        absl::EndsWith(options_.events_path, ".jsonl")) {
      absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
      if (!codec.ok()) return codec.status();
      out_->json = *std::move(codec);
      out_->json_out.open(options_.events_path, std::ios::binary | std::ios::trunc);
      if (!out_->json_out) {
        return absl::PermissionDeniedError(absl::StrCat("cannot write ", options_.events_path));
      }
    } else {
      absl::StatusOr<journal::JournalWriter> w = journal::JournalWriter::Create(
          options_.events_path,
          ReplayWriterOptions(journal::JournalKind::kOutput, options_.journal_created_ns));
      if (!w.ok()) return w.status();
      out_->event_journal.emplace(*std::move(w));
    }
  }
  started_ns_ = last_progress_ns_ = NowNs();
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Replayer::RestoreFrom(const EngineSnapshot& snapshot) {
  if (result_.commands > 0) return absl::FailedPreconditionError("restore before feeding");
  if (absl::Status st = engine_->Restore(snapshot); !st.ok()) return st;
  result_.restored_seq = snapshot.last_seq.value();
  result_.last_seq = snapshot.last_seq.value();
  return snapshot.last_seq.value();
}

bool Replayer::PastStop(const Command& command) const noexcept {
  if (options_.stop_at_ns.has_value() && command.ts.value() > *options_.stop_at_ns) return true;
  if (options_.stop_at_seq.has_value() && command.seq.value() > *options_.stop_at_seq) return true;
  return false;
}

bool Replayer::Feed(const Command& original, std::span<const uint8_t> frame) {
  if (PastStop(original)) {
    result_.stopped = true;
    return false;
  }
  const Command* command = &original;
  Command rewritten;
  if (const auto* configure = std::get_if<ConfigureSymbol>(&original.body);
      configure != nullptr && (options_.preset.has_value() || options_.lambda.has_value())) {
    ConfigureSymbol c = *configure;
    if (options_.preset.has_value() && c.config.risk.tier_count > 0) {
      risk::ApplyPreset(*options_.preset, c.config.risk);
      risk::SetPresetBtcTiers(*options_.preset, c.config.risk);
    }
    if (options_.lambda.has_value()) {
      c.config.risk.index_impact_lambda =
          static_cast<int64_t>(std::llround(*options_.lambda * 1e8));
    }
    rewritten = Command{original.seq, original.ts, c};
    command = &rewritten;
    frame = {};
  }
  Outputs& out = *out_;
  if (frame.empty()) frame = out.command_encoder.Encode(*command);
  input_digest_.Update(frame.data(), frame.size());
  int64_t apply_ns = 0;
  int64_t output_ns = 0;
  const std::span<const Event> events = options_.profile == nullptr
                                            ? ApplyTimed(*command, frame, apply_ns, output_ns)
                                            : ApplyProfiled(*command, frame, apply_ns, output_ns);
  if (options_.on_events) options_.on_events(*command, events);

  Latencies& lat = *latency_;
  lat.apply.Record(apply_ns);
  lat.output.Record(output_ns);
  if (const uint32_t depth = meter_.last_depth(); depth > 0) {
    lat.cascade.Record(apply_ns);
    const uint32_t n = std::max<uint32_t>(1, meter_.last_liquidations());
    lat.liquidation.RecordN(apply_ns / n, n);
    lat.round.RecordN(apply_ns / depth, depth);
  }
  result_.engine_seconds += static_cast<double>(apply_ns) / 1e9;
  ++result_.commands;
  result_.events += events.size();
  result_.last_seq = command->seq.value();
  result_.last_ts = command->ts.value();
  if (options_.progress && (result_.commands & 0xfff) == 0) Progress(false);
  if (options_.snapshot_at_seq.has_value() && result_.snapshot_seq == 0 &&
      command->seq.value() >= *options_.snapshot_at_seq && out.error.ok()) {
    out.error = journal::WriteSnapshotFile(options_.snapshot_path, engine_->Snapshot());
    result_.snapshot_seq = command->seq.value();
  }
  if (options_.stop_at_seq.has_value() && command->seq.value() >= *options_.stop_at_seq) {
    result_.stopped = true;
    return false;
  }
  return true;
}

std::span<const Event> Replayer::ApplyTimed(const Command& command, std::span<const uint8_t> frame,
                                            int64_t& apply_ns, int64_t& output_ns) {
  Outputs& out = *out_;
  if (out.input_journal.has_value() && out.error.ok()) out.error = out.input_journal->Append(frame);
  const int64_t t0 = NowNs();
  const std::span<const Event> events = engine_->Apply(command);
  const int64_t t1 = NowNs();
  for (const Event& e : events) WriteOutput(out.event_encoder.Encode(e));
  meter_.Observe(command, events, *engine_);
  apply_ns = t1 - t0;
  output_ns = NowNs() - t1;
  return events;
}

std::span<const Event> Replayer::ApplyProfiled(const Command& command,
                                               std::span<const uint8_t> frame, int64_t& apply_ns,
                                               int64_t& output_ns) {
  Outputs& out = *out_;
  StageProfile& profile = *options_.profile;
  const uint64_t j0 = TimerNow();
  if (out.input_journal.has_value() && out.error.ok()) out.error = out.input_journal->Append(frame);
  const uint64_t j1 = TimerNow();
  profile.BeforeApply(j1);
  const std::span<const Event> events = engine_->Apply(command);
  const uint64_t a1 = TimerNow();
  uint64_t encode = 0;
  for (const Event& e : events) {
    const uint64_t e0 = TimerNow();
    const std::span<const uint8_t> bytes = out.event_encoder.Encode(e);
    encode += TimerNow() - e0;
    WriteOutput(bytes);  // digest and outputs: the replay tool's own work, not a stage
  }
  profile.EndMessage(command.body.index(), j1 - j0, a1, encode);
  meter_.Observe(command, events, *engine_);
  const double ns_per_tick = profile.ns_per_tick();
  apply_ns = static_cast<int64_t>(static_cast<double>(a1 - j1) * ns_per_tick);
  output_ns = static_cast<int64_t>(static_cast<double>(TimerNow() - a1) * ns_per_tick);
  return events;
}

void Replayer::WriteOutput(std::span<const uint8_t> bytes) {
  Outputs& out = *out_;
  output_digest_.Update(bytes.data(), bytes.size());
  if (out.event_journal.has_value() && out.error.ok()) {
    out.error = out.event_journal->Append(bytes);
  } else if (out.json != nullptr && out.error.ok()) {
    absl::StatusOr<std::string> line = out.json->OutputToJson(bytes);
    if (!line.ok()) {
      out.error = line.status();
    } else {
      out.json_out << *line << '\n';
    }
  }
}

void Replayer::Progress(bool final) {
  const int64_t now = NowNs();
  if (!final && now - last_progress_ns_ < 500'000'000) return;
  last_progress_ns_ = now;
  const double seconds = static_cast<double>(now - started_ns_) / 1e9;
  const CascadeSummary& s = meter_.summary();
  std::fprintf(stderr,
               "\r[replay] %s msgs  %.2fM msg/s  sim %s  liquidations %s  max depth %u   %s",
               WithCommas(result_.commands).c_str(),
               seconds > 0 ? static_cast<double>(result_.commands) / seconds / 1e6 : 0.0,
               FormatUtc(result_.last_ts).c_str(), WithCommas(s.total.liquidations).c_str(),
               s.max_depth, final ? "\n" : "");
  std::fflush(stderr);
}

absl::StatusOr<ReplayResult> Replayer::Finish() {
  meter_.Finish(*engine_);
  if (options_.progress) Progress(true);
  Outputs& out = *out_;
  if (out.input_journal.has_value()) {
    absl::Status st = out.input_journal->Close();
    if (out.error.ok()) out.error = st;
  }
  if (out.event_journal.has_value()) {
    absl::Status st = out.event_journal->Close();
    if (out.error.ok()) out.error = st;
  }
  if (out.json_out.is_open()) {
    out.json_out.close();
    if (!out.json_out && out.error.ok()) {
      out.error = absl::DataLossError(absl::StrCat("writing ", options_.events_path, " failed"));
    }
  }
  if (!out.error.ok()) return out.error;
  result_.wall_seconds = static_cast<double>(NowNs() - started_ns_) / 1e9;
  result_.input_digest = input_digest_.value();
  result_.output_digest = output_digest_.value();
  result_.state_digest = engine_->StateDigest();
  result_.cascade = meter_.summary();
  result_.latency = latency_;
  if (result_.stopped && options_.stop_report != nullptr) {
    PrintState(*engine_, result_.cascade, *options_.stop_report);
  }
  return result_;
}

absl::StatusOr<EngineConfig> SizeForJournal(const std::string& path) {
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  if (reader->header().kind != journal::JournalKind::kInput) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is an output journal; replay reads input journals"));
  }
  absl::flat_hash_set<uint32_t> accounts;
  uint64_t deposits = 0;
  uint64_t orders = 0;
  uint32_t max_symbol = 0;
  journal::Frame frame;
  Command c;
  while (reader->Next(frame)) {
    if (wire::Read(frame.payload, c) != RejectReason::kNone) continue;
    if (const auto* o = std::get_if<NewOrder>(&c.body)) {
      accounts.insert(o->account.value());
      ++orders;
    } else if (const auto* d = std::get_if<Deposit>(&c.body)) {
      accounts.insert(d->account.value());
      ++deposits;
    } else if (const auto* cs = std::get_if<ConfigureSymbol>(&c.body)) {
      max_symbol = std::max(max_symbol, cs->config.symbol.value());
    }
  }
  auto clamp = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, 1u << 31)); };
  EngineConfig config;
  config.max_symbols = std::max<uint32_t>(64, max_symbol + 1);
  config.max_accounts = clamp(accounts.size() + 64);
  config.max_buckets = clamp(deposits + accounts.size() + 64);
  config.max_positions = clamp(4 * (deposits + accounts.size()) + 256);
  config.max_orders = clamp(std::min<uint64_t>(orders, 1u << 24) + 64);
  return config;
}

namespace {

// wire::Decode of one input frame, timed into the replayer's decode latency and, when profiling,
// into the profile's decode stage.
RejectReason TimedDecode(std::span<const uint8_t> frame, Command& out, Replayer& replayer,
                         StageProfile* profile) {
  if (profile == nullptr) {
    const int64_t t0 = NowNs();
    const RejectReason reason = wire::Decode(frame, out);
    replayer.RecordDecode(NowNs() - t0);
    return reason;
  }
  const uint64_t t0 = TimerNow();
  const RejectReason reason = wire::Decode(frame, out);
  const uint64_t ticks = TimerNow() - t0;
  profile->SetDecodeTicks(ticks);
  replayer.RecordDecode(static_cast<int64_t>(static_cast<double>(ticks) * profile->ns_per_tick()));
  return reason;
}

}  // namespace

absl::StatusOr<ReplayResult> ReplayJournal(const std::string& path, const ReplayOptions& options) {
  absl::StatusOr<EngineConfig> config = SizeForJournal(path);
  if (!config.ok()) return config.status();
  std::optional<EngineSnapshot> snapshot;
  if (!options.from_snapshot_path.empty()) {
    absl::StatusOr<EngineSnapshot> read = journal::ReadSnapshotFile(options.from_snapshot_path);
    if (!read.ok()) return read.status();
    snapshot = *std::move(read);
    // Room for everything the snapshot holds as well as what the journal adds.
    size_t orders = 0;
    for (const SymbolSnapshot& sym : snapshot->symbols) {
      orders += sym.bids.size() + sym.asks.size() + sym.buy_stops.size() + sym.sell_stops.size();
    }
    size_t positions = 0;
    for (const auto& b : snapshot->risk.buckets) positions += b.positions.size();
    auto grow = [](uint32_t& field, uint64_t need) {
      field = static_cast<uint32_t>(std::min<uint64_t>(std::max<uint64_t>(field, need), 1u << 31));
    };
    grow(config->max_orders, config->max_orders + orders);
    grow(config->max_accounts,
         config->max_accounts + snapshot->accounts.size() + snapshot->risk.buckets.size());
    grow(config->max_buckets, config->max_buckets + snapshot->risk.buckets.size());
    grow(config->max_positions, config->max_positions + positions + 256);
  }
  absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  ReplayOptions o = options;
  if (o.journal_created_ns == 0) o.journal_created_ns = reader->header().created_unix_ns;
  Replayer replayer(*config, o);
  if (absl::Status st = replayer.Open(); !st.ok()) return st;
  uint64_t skip_through = 0;
  if (snapshot.has_value()) {
    absl::StatusOr<uint64_t> seq = replayer.RestoreFrom(*snapshot);
    if (!seq.ok()) return seq.status();
    skip_through = *seq;
  }
  journal::Frame frame;
  Command command;
  while (reader->Next(frame)) {
    const RejectReason reason = TimedDecode(frame.payload, command, replayer, options.profile);
    if (reason != RejectReason::kNone) {
      replayer.CountDecodeError();  // the gateway never journals a frame that does not decode
      continue;
    }
    if (command.seq.value() <= skip_through) continue;  // already in the snapshot
    if (!replayer.Feed(command, frame.payload)) break;
  }
  if (const auto& problem = reader->problem(); problem.has_value() && !problem->is_tail()) {
    return absl::DataLossError(absl::StrCat(path, ": ", problem->ToString()));
  }
  return replayer.Finish();
}

absl::StatusOr<ReplayResult> RunScenario(const Scenario& scenario, const ReplayOptions& options) {
  ScenarioGenerator generator(scenario);
  ReplayOptions o = options;
  o.meter.episode_gap_ns = scenario.episode_gap_ns;
  o.meter.sample_from_ns = scenario.start_ns;
  o.meter.sample_interval_ns = std::max<int64_t>(kNsPerSecond, scenario.duration_ns / 3600);
  o.journal_created_ns = scenario.start_ns;
  Replayer replayer(generator.engine_config(), o);
  if (absl::Status st = replayer.Open(); !st.ok()) return st;
  Command command;
  if (options.profile == nullptr) {
    while (generator.Next(command)) {
      if (!replayer.Feed(command)) break;
    }
    return replayer.Finish();
  }
  // Profiled: each command goes through its wire form, as a journal's or a gateway's would.
  wire::Encoder encoder;
  Command decoded;
  while (generator.Next(command)) {
    const std::span<const uint8_t> frame = encoder.Encode(command);
    if (TimedDecode(frame, decoded, replayer, options.profile) != RejectReason::kNone) {
      return absl::InternalError(
          absl::StrCat("generated command does not decode: ", ToText(command)));
    }
    if (!replayer.Feed(decoded, frame)) break;
  }
  return replayer.Finish();
}

void PrintState(const Engine& engine, const CascadeSummary& summary, std::ostream& out) {
  const risk::RiskEngine& risk = engine.risk();
  out << "state after seq " << engine.last_seq().value() << "\n";
  std::array<LevelView, 10> levels;
  for (const SymbolInfo& info : summary.symbols) {
    out << "  " << info.name << " (symbol " << info.symbol.value() << ")  mark "
        << FormatPrice(risk.Mark(info.symbol).value(), info.tick_size_nanos) << "  index "
        << FormatPrice(risk.EffectiveIndex(info.symbol).value(), info.tick_size_nanos) << "\n";
    const size_t asks = engine.Depth(info.symbol, Side::kSell, levels);
    std::vector<LevelView> ask_levels(levels.begin(), levels.begin() + static_cast<long>(asks));
    for (auto it = ask_levels.rbegin(); it != ask_levels.rend(); ++it) {
      out << absl::StrFormat("      ask %14s  %12d lots  %4u orders\n",
                             FormatPrice(it->price.value(), info.tick_size_nanos), it->qty.value(),
                             it->orders);
    }
    const size_t bids = engine.Depth(info.symbol, Side::kBuy, levels);
    for (size_t i = 0; i < bids; ++i) {
      out << absl::StrFormat("      bid %14s  %12d lots  %4u orders\n",
                             FormatPrice(levels[i].price.value(), info.tick_size_nanos),
                             levels[i].qty.value(), levels[i].orders);
    }
  }
  struct AtRisk {
    uint32_t bucket;
    int128 equity;
    int128 maintenance;
  };
  std::vector<AtRisk> at_risk;
  uint64_t with_positions = 0;
  uint64_t in_liquidation = 0;
  for (uint32_t b = 0; b < risk.bucket_count(); ++b) {
    const risk::BucketView v = risk.GetBucket(BucketId(b));
    if (v.kind != risk::BucketKind::kUser) {
      const risk::Margins m = risk.GetMargins(BucketId(b));
      out << absl::StrFormat("  %s bucket %u: equity %s\n",
                             v.kind == risk::BucketKind::kFeePool ? "fee pool" : "insurance fund",
                             b, FormatUsd(static_cast<double>(m.equity) / 1e6));
      continue;
    }
    if (v.in_liquidation || v.in_retry) ++in_liquidation;
    const risk::Margins m = risk.GetMargins(BucketId(b));
    if (m.maintenance <= 0) continue;
    ++with_positions;
    at_risk.push_back({b, m.equity, m.maintenance});
  }
  std::sort(at_risk.begin(), at_risk.end(), [](const AtRisk& a, const AtRisk& b) {
    const int128 l = a.equity * b.maintenance;
    const int128 r = b.equity * a.maintenance;
    return l != r ? l < r : a.bucket < b.bucket;
  });
  out << "  user buckets with positions: " << WithCommas(with_positions)
      << ", in liquidation or waiting to retry: " << in_liquidation << "\n";
  out << "  most at risk (equity / maintenance):\n";
  for (size_t i = 0; i < at_risk.size() && i < 20; ++i) {
    const AtRisk& a = at_risk[i];
    const risk::BucketView v = risk.GetBucket(BucketId(a.bucket));
    out << absl::StrFormat(
        "    bucket %8u account %10u %s  equity %12s  maintenance %12s  ratio %.3f\n", a.bucket,
        v.account.value(), v.mode == MarginMode::kCross ? "cross   " : "isolated",
        FormatUsd(static_cast<double>(a.equity) / 1e6),
        FormatUsd(static_cast<double>(a.maintenance) / 1e6),
        static_cast<double>(a.equity) / static_cast<double>(a.maintenance));
  }
}

}  // namespace cascade::replay
