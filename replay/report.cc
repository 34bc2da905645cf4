#include "replay/report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/journal/format.h"
#include "engine/risk/presets.h"
#include "replay/format_util.h"

namespace cascade::replay {

namespace report_internal {

Figures FiguresOf(const GenerationStats& g) {
  Figures f;
  f.notional_usd = AtomsToUsd(g.notional);
  if (g.notional > 0) {
    const double n = static_cast<double>(g.notional);
    f.long_share = static_cast<double>(g.long_notional) / n;
    f.book_share = static_cast<double>(g.book) / n;
    f.fund_share = static_cast<double>(g.fund) / n;
    f.adl_share = static_cast<double>(g.adl) / n;
  }
  return f;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

}  // namespace report_internal

using report_internal::FiguresOf;
using report_internal::JsonEscape;

namespace {

// A small pretty-printing JSON writer: objects and arrays nest, commas and indentation are
// handled here so that the report code reads as the document it writes.
class Json {
 public:
  Json& Begin(char bracket) {
    Separate();
    out_ += bracket;
    stack_.push_back({bracket, true});
    return *this;
  }
  Json& End() {
    const char open = stack_.back().bracket;
    const bool empty = stack_.back().first;
    stack_.pop_back();
    if (!empty) Newline();
    out_ += open == '{' ? '}' : ']';
    return *this;
  }
  Json& Object() { return Begin('{'); }
  Json& Array() { return Begin('['); }
  Json& Key(std::string_view key) {
    Separate();
    absl::StrAppend(&out_, "\"", JsonEscape(std::string(key)), "\": ");
    pending_key_ = true;
    return *this;
  }
  Json& Str(const std::string& v) { return Raw(absl::StrCat("\"", JsonEscape(v), "\"")); }
  Json& Int(int64_t v) { return Raw(absl::StrCat(v)); }
  Json& UInt(uint64_t v) { return Raw(absl::StrCat(v)); }
  Json& Bool(bool v) { return Raw(v ? "true" : "false"); }
  Json& Num(double v, int decimals = 6) {
    if (!std::isfinite(v)) return Raw("null");
    std::string s = absl::StrFormat("%.*f", decimals, v);
    // Trim trailing zeros of the fraction (keep one digit after the point).
    if (s.find('.') != std::string::npos) {
      while (s.size() > 2 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
    }
    return Raw(s);
  }
  Json& Null() { return Raw("null"); }
  // key: value shorthands
  Json& KStr(std::string_view k, const std::string& v) { return Key(k).Str(v); }
  Json& KInt(std::string_view k, int64_t v) { return Key(k).Int(v); }
  Json& KUInt(std::string_view k, uint64_t v) { return Key(k).UInt(v); }
  Json& KNum(std::string_view k, double v, int decimals = 6) { return Key(k).Num(v, decimals); }
  Json& KBool(std::string_view k, bool v) { return Key(k).Bool(v); }
  Json& KUsd(std::string_view k, int64_t atoms) { return Key(k).Num(AtomsToUsd(atoms), 2); }

  [[nodiscard]] std::string Take() {
    out_ += '\n';
    return std::move(out_);
  }

 private:
  struct Level {
    char bracket;
    bool first;
  };
  Json& Raw(std::string_view v) {
    Separate();
    out_ += v;
    return *this;
  }
  void Separate() {
    if (pending_key_) {
      pending_key_ = false;
      return;
    }
    if (stack_.empty()) return;
    if (!stack_.back().first) out_ += ',';
    stack_.back().first = false;
    Newline();
  }
  void Newline() {
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
  std::string out_;
  std::vector<Level> stack_;
  bool pending_key_ = false;
};

void GenerationJson(Json& j, const GenerationStats& g) {
  const auto f = FiguresOf(g);
  j.Object()
      .KUInt("round", g.round)
      .KUInt("liquidations", g.liquidations)
      .KUInt("calls", g.calls)
      .KUInt("accounts", g.accounts)
      .KNum("notional_usd", f.notional_usd, 2)
      .KNum("long_share", f.long_share, 4)
      .KUsd("book_usd", g.book)
      .KUsd("insurance_fund_usd", g.fund)
      .KUsd("adl_usd", g.adl)
      .KUInt("book_fills", g.book_fills)
      .KUInt("takeovers", g.takeovers)
      .KUInt("adl_legs", g.adl_legs)
      .KUsd("bad_debt_usd", g.bad_debt)
      .KUsd("fees_to_fund_usd", g.fees_to_fund)
      .End();
}

void SplitJson(Json& j, const GenerationStats& g) {
  const auto f = FiguresOf(g);
  j.Object()
      .KNum("book", f.book_share, 4)
      .KNum("insurance_fund", f.fund_share, 4)
      .KNum("adl", f.adl_share, 4)
      .End();
}

void LatencyJson(Json& j, std::string_view key, const LatencyHistogram& h) {
  const LatencySummary s = h.Summary();
  j.Key(key)
      .Object()
      .KInt("count", s.count)
      .KInt("min", s.min)
      .KInt("p50", s.p50)
      .KInt("p90", s.p90)
      .KInt("p99", s.p99)
      .KInt("p999", s.p999)
      .KInt("p9999", s.p9999)
      .KInt("max", s.max)
      .KNum("mean", s.mean, 1)
      .End();
}

const SymbolInfo* InfoOf(const CascadeSummary& s, SymbolId id) {
  for (const SymbolInfo& i : s.symbols) {
    if (i.symbol == id) return &i;
  }
  return nullptr;
}

double MovePct(int64_t before, int64_t after) {
  return before > 0 ? 100.0 * static_cast<double>(after - before) / static_cast<double>(before)
                    : 0.0;
}

// The extreme in the direction the episode's liquidations pushed: down when they were mostly
// longs, up when mostly shorts.
int64_t MarkExtreme(const SymbolMove& m) {
  return m.long_notional * 2 >= m.notional ? m.mark_low : m.mark_high;
}
int64_t IndexExtreme(const SymbolMove& m) {
  return m.long_notional * 2 >= m.notional ? m.index_low : m.index_high;
}

std::string Hex(uint64_t v) { return absl::StrFormat("%016x", v); }

double Throughput(const ReplayResult& r, double seconds) {
  return seconds > 0 ? static_cast<double>(r.commands) / seconds : 0.0;
}

}  // namespace

RunInfo InfoForScenario(const Scenario& scenario) {
  RunInfo info;
  info.source = absl::StrCat("scenario ", scenario.name);
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.seed = scenario.seed;
  info.preset = std::string(risk::PresetName(scenario.preset));
  for (const SymbolSpec& s : scenario.symbols) info.lambdas.emplace_back(s.name, s.lambda);
  info.engine_version = std::string(journal::BuildVersion());
  info.scale = scenario.scale;
  info.start_ns = scenario.start_ns;
  info.duration_ns = scenario.duration_ns;
  info.population_buckets = static_cast<uint64_t>(scenario.population.buckets);
  info.reported = scenario.reported;
  info.calibration = scenario.calibration;
  return info;
}

RunInfo InfoForJournal(const std::string& path, const ReplayOptions& options) {
  RunInfo info;
  info.source = path;
  info.preset =
      options.preset.has_value() ? std::string(risk::PresetName(*options.preset)) : "as recorded";
  if (options.lambda.has_value()) info.lambdas.emplace_back("all symbols", *options.lambda);
  info.engine_version = std::string(journal::BuildVersion());
  return info;
}

std::vector<Comparison> Compare(const RunInfo& info, const ReplayResult& result) {
  const CascadeSummary& s = result.cascade;
  const auto total = FiguresOf(s.total);
  std::vector<Comparison> out;
  for (const ReportedFigure& r : info.reported) {
    Comparison c;
    c.metric = r.metric;
    c.low = r.low;
    c.high = r.high;
    c.note = r.note;
    c.known = true;
    if (r.metric == "liquidated_usd") {
      c.emergent = total.notional_usd / info.scale;
    } else if (r.metric == "long_share") {
      c.emergent = total.long_share;
    } else if (r.metric == "accounts") {
      c.emergent = static_cast<double>(s.accounts) / info.scale;
    } else if (r.metric == "largest_usd") {
      c.emergent = AtomsToUsd(s.largest_liquidation);
    } else if (r.metric == "adl_usd") {
      c.emergent = AtomsToUsd(s.total.adl) / info.scale;
    } else {
      c.known = false;
    }
    out.push_back(c);
  }
  return out;
}

std::string TerminalReport(const RunInfo& info, const ReplayResult& r) {
  const CascadeSummary& s = r.cascade;
  std::ostringstream o;
  std::vector<std::string> lambdas;
  for (const auto& [name, l] : info.lambdas) lambdas.push_back(absl::StrFormat("%s %g", name, l));
  o << "cascade-replay  " << info.source;
  if (info.seed.has_value()) o << "  seed " << *info.seed;
  o << "  preset " << info.preset;
  if (!lambdas.empty()) o << "  lambda " << absl::StrJoin(lambdas, ", ");
  o << "  engine " << info.engine_version << "\n";
  o << absl::StrFormat("input: %s commands, %s events, simulated %s .. %s", WithCommas(r.commands),
                       WithCommas(r.events), FormatUtc(s.first_ts), FormatUtc(s.last_ts));
  if (info.population_buckets > 0) {
    o << absl::StrFormat(", %s leveraged buckets, scale %g of the real market",
                         WithCommas(info.population_buckets), info.scale);
  }
  if (r.decode_errors > 0) o << ", " << r.decode_errors << " frames that did not decode (skipped)";
  if (r.restored_seq > 0) o << ", started from a snapshot at seq " << r.restored_seq;
  if (r.snapshot_seq > 0) o << ", snapshot written at seq " << r.snapshot_seq;
  if (r.stopped) o << ", stopped at seq " << r.last_seq;
  o << "\n\n";

  const auto total = FiguresOf(s.total);
  o << absl::StrFormat(
      "cascade: max depth %u (seq %s), %zu episode%s, %s liquidations of %s accounts, %s closed, "
      "%s long\n",
      s.max_depth, WithCommas(s.deepest_seq), s.episodes.size(), s.episodes.size() == 1 ? "" : "s",
      WithCommas(s.total.liquidations), WithCommas(s.accounts), FormatUsd(total.notional_usd),
      FormatPercent(total.long_share));
  if (s.total.calls != s.total.liquidations) {
    o << absl::StrFormat(
        "  (%s liquidate() calls: retries on the book and partial steps of the "
        "same liquidations)\n",
        WithCommas(s.total.calls));
  }
  o << absl::StrFormat("  %4s %12s %10s %11s %7s %7s %7s %7s %11s\n", "gen", "liquidations",
                       "accounts", "notional", "long", "book", "fund", "ADL", "bad debt");
  auto row = [&](const std::string& label, const GenerationStats& g) {
    const auto f = FiguresOf(g);
    o << absl::StrFormat("  %4s %12s %10s %11s %7s %7s %7s %7s %11s\n", label,
                         WithCommas(g.liquidations), WithCommas(g.accounts),
                         FormatUsd(f.notional_usd), FormatPercent(f.long_share, 0),
                         FormatPercent(f.book_share, 0), FormatPercent(f.fund_share, 0),
                         FormatPercent(f.adl_share, 0), FormatUsd(AtomsToUsd(g.bad_debt)));
  };
  const size_t shown = std::min<size_t>(s.generations.size(), 12);
  for (size_t i = 0; i < shown; ++i) row(absl::StrCat(i), s.generations[i]);
  if (s.generations.size() > shown) {
    GenerationStats rest;
    for (size_t i = shown; i < s.generations.size(); ++i) rest.Add(s.generations[i]);
    row(absl::StrCat(shown, "+"), rest);
  }
  row("all", s.total);

  if (!s.episodes.empty()) {
    o << "\nepisodes (liquidations less than the episode gap apart):\n";
    o << absl::StrFormat("  %3s %9s %9s %5s %12s %11s %6s %-34s %11s %11s\n", "#", "start",
                         "duration", "depth", "liquidations", "notional", "ampl.",
                         "mark move (index move)", "fund drawdn", "ADL");
    for (const Episode& e : s.episodes) {
      std::vector<std::string> moves;
      for (const SymbolMove& m : e.moves) {
        if (m.notional == 0) continue;
        const SymbolInfo* si = InfoOf(s, m.symbol);
        moves.push_back(absl::StrFormat("%s %+.2f%% (%+.2f%%)", si ? si->name : "?",
                                        MovePct(m.mark_before, MarkExtreme(m)),
                                        MovePct(m.index_before, IndexExtreme(m))));
      }
      o << absl::StrFormat("  %3u %9s %8.0fs %5u %12s %11s %6.2f %-34s %11s %11s\n", e.id,
                           FormatClock(e.first_trigger_ns),
                           static_cast<double>(e.last_liquidation_ns - e.first_trigger_ns) / 1e9,
                           e.depth, WithCommas(e.total.liquidations),
                           FormatUsd(AtomsToUsd(e.total.notional)), e.Amplification(),
                           absl::StrJoin(moves, " "), FormatUsd(AtomsToUsd(e.FundDrawdown())),
                           FormatUsd(AtomsToUsd(e.total.adl)));
      if (s.episodes.size() > 8 && e.id == 8) {
        o << "  ... " << s.episodes.size() - 8 << " more in the JSON report\n";
        break;
      }
    }
  }
  o << absl::StrFormat(
      "\ninsurance fund: start %s, end %s, low %s, max drawdown %s; clearance fees in %s, paid on "
      "fills %s, %s takeovers (%s)\n",
      FormatUsd(AtomsToUsd(s.fund_start)), FormatUsd(AtomsToUsd(s.fund_end)),
      FormatUsd(AtomsToUsd(s.fund_low)), FormatUsd(AtomsToUsd(s.fund_max_drawdown)),
      FormatUsd(AtomsToUsd(s.total.fees_to_fund)), FormatUsd(AtomsToUsd(s.total.fund_paid)),
      WithCommas(s.total.takeovers), FormatUsd(AtomsToUsd(s.total.fund)));
  o << absl::StrFormat(
      "ADL: %s legs, %s; bad debt: %s events, %s; largest liquidation %s "
      "(account %u)\n",
      WithCommas(s.total.adl_legs), FormatUsd(AtomsToUsd(s.total.adl)),
      WithCommas(s.total.bad_debts), FormatUsd(AtomsToUsd(s.total.bad_debt)),
      FormatUsd(AtomsToUsd(s.largest_liquidation)), s.largest_account.value());

  const std::vector<Comparison> cmp = Compare(info, r);
  if (!cmp.empty()) {
    o << absl::StrFormat("\nvs. the reported figures (emergent totals / scale %g):\n", info.scale);
    for (const Comparison& c : cmp) {
      if (!c.known) continue;
      const bool pct = c.metric == "long_share";
      auto fmt = [&](double v) {
        return pct ? FormatPercent(v)
                   : (c.metric == "accounts" ? WithCommas(static_cast<uint64_t>(v)) : FormatUsd(v));
      };
      o << absl::StrFormat("  %-15s emergent %-10s reported %s - %s  %s  (%s)\n", c.metric,
                           fmt(c.emergent), fmt(c.low), fmt(c.high),
                           c.within() ? "within" : (c.emergent < c.low ? "below" : "above"),
                           c.note);
    }
  }
  if (!info.calibration.empty()) {
    o << "calibrated inputs: " << absl::StrJoin(info.calibration, " ") << "\n";
    o << "emergent: liquidations, generations, notional, long share, accounts, fund use, ADL, "
         "bad debt.\n";
  }

  const Latencies& lat = *r.latency;
  o << "\nlatency (wall clock around Engine::Apply)   p50       p90       p99     p99.9    "
       "p99.99       max      count\n";
  auto lrow = [&](std::string_view name, const LatencyHistogram& h) {
    if (h.total_count() == 0) return;
    const LatencySummary x = h.Summary();
    o << absl::StrFormat("  %-39s %8s  %8s  %8s  %8s  %8s  %8s  %9s\n", name, FormatNs(x.p50),
                         FormatNs(x.p90), FormatNs(x.p99), FormatNs(x.p999), FormatNs(x.p9999),
                         FormatNs(x.max), WithCommas(static_cast<uint64_t>(x.count)));
  };
  lrow("per input event", lat.apply);
  lrow("per input event with liquidations", lat.cascade);
  lrow("per liquidate() call (amortized)", lat.liquidation);
  lrow("per sweep round (amortized)", lat.round);
  lrow("stage: decode", lat.decode);
  lrow("stage: encode + digest + metrics", lat.output);
  o << absl::StrFormat(
      "\nreplay: %s input messages in %.2f s = %s msg/s (engine alone: %s msg/s)\n",
      WithCommas(r.commands), r.wall_seconds,
      WithCommas(static_cast<uint64_t>(Throughput(r, r.wall_seconds))),
      WithCommas(static_cast<uint64_t>(Throughput(r, r.engine_seconds))));
  o << "input-digest: " << Hex(r.input_digest) << "\n";
  return o.str();
}

std::string JsonReport(const RunInfo& info, const ReplayResult& r) {
  const CascadeSummary& s = r.cascade;
  Json j;
  j.Object();
  j.KStr("report", "cascade-replay");
  j.Key("inputs").Object();
  j.KStr("source", info.source);
  j.KStr("scenario", info.scenario);
  if (info.seed.has_value()) {
    j.KUInt("seed", *info.seed);
  } else {
    j.Key("seed").Null();
  }
  j.KStr("preset", info.preset);
  // `lambda`: the first symbol's (the figure a one-line summary quotes); `lambdas`: all.
  if (!info.lambdas.empty()) {
    j.KNum("lambda", info.lambdas.front().second, 10);
  } else {
    j.Key("lambda").Null();
  }
  j.Key("lambdas").Object();
  for (const auto& [name, l] : info.lambdas) j.KNum(name, l, 10);
  j.End();
  j.KStr("engine_version", info.engine_version);
  j.KNum("scale", info.scale, 6);
  j.KStr("start", info.start_ns != 0 ? FormatUtc(info.start_ns) : "");
  j.KNum("duration_s", static_cast<double>(info.duration_ns) / 1e9, 1);
  j.KUInt("population_buckets", info.population_buckets);
  j.KStr("description", info.description);
  j.Key("calibrated").Array();
  for (const std::string& c : info.calibration) j.Str(c);
  j.End();
  j.KStr("emergent",
         "liquidations, generations, notional, long share, accounts, insurance-fund use, ADL, bad "
         "debt");
  j.End();

  j.Key("run").Object();
  j.KUInt("commands", r.commands);
  j.KUInt("events", r.events);
  j.KUInt("decode_errors", r.decode_errors);
  j.KBool("stopped", r.stopped);
  j.KUInt("restored_from_seq", r.restored_seq);
  j.KUInt("snapshot_seq", r.snapshot_seq);
  j.KUInt("last_seq", r.last_seq);
  j.KStr("first_time", FormatUtc(s.first_ts));
  j.KStr("last_time", FormatUtc(s.last_ts));
  j.KUInt("trades", s.trades);
  j.KUInt("rejects", s.rejects);
  j.KUInt("stops_triggered", s.stops_triggered);
  j.KUInt("funding_payments", s.funding_payments);
  j.KNum("wall_seconds", r.wall_seconds, 4);
  j.KNum("engine_seconds", r.engine_seconds, 4);
  j.KNum("throughput_msgs_per_s", Throughput(r, r.wall_seconds), 0);
  j.KNum("engine_msgs_per_s", Throughput(r, r.engine_seconds), 0);
  j.End();

  j.Key("cascade").Object();
  j.KUInt("max_depth", s.max_depth);
  j.KUInt("deepest_seq", s.deepest_seq);
  j.KNum(
      "amplification",
      s.generations.empty() || s.generations[0].notional == 0
          ? 0.0
          : static_cast<double>(s.total.notional) / static_cast<double>(s.generations[0].notional),
      4);
  j.Key("generations").Array();
  for (const GenerationStats& g : s.generations) GenerationJson(j, g);
  j.End();
  j.Key("depth_histogram").Array();
  for (uint64_t n : s.depth_histogram) j.UInt(n);
  j.End();
  j.Key("episodes").Array();
  for (const Episode& e : s.episodes) {
    const auto f = FiguresOf(e.total);
    j.Object();
    j.KUInt("id", e.id);
    j.KStr("first_trigger", FormatUtc(e.first_trigger_ns));
    j.KStr("last_liquidation", FormatUtc(e.last_liquidation_ns));
    j.KNum("duration_s", static_cast<double>(e.last_liquidation_ns - e.first_trigger_ns) / 1e9, 3);
    j.KUInt("first_seq", e.first_seq);
    j.KUInt("last_seq", e.last_seq);
    j.KUInt("input_events", e.commands);
    j.KUInt("depth", e.depth);
    j.KUInt("deepest_seq", e.deepest_seq);
    j.KUInt("liquidations", e.total.liquidations);
    j.KUInt("accounts", e.accounts);
    j.KNum("notional_usd", f.notional_usd, 2);
    j.KNum("long_share", f.long_share, 4);
    j.KNum("amplification", e.Amplification(), 4);
    j.Key("split");
    SplitJson(j, e.total);
    j.KUsd("fund_before_usd", e.fund_before);
    j.KUsd("fund_low_usd", e.fund_low);
    j.KUsd("fund_after_usd", e.fund_after);
    j.KUsd("fund_drawdown_usd", e.FundDrawdown());
    j.KUInt("adl_legs", e.total.adl_legs);
    j.KUsd("adl_notional_usd", e.total.adl);
    j.KUInt("bad_debts", e.total.bad_debts);
    j.KUsd("bad_debt_usd", e.total.bad_debt);
    j.Key("mark_impact").Array();
    for (const SymbolMove& m : e.moves) {
      const SymbolInfo* si = InfoOf(s, m.symbol);
      const int64_t tick = si ? si->tick_size_nanos : 1'000'000'000;
      j.Object();
      j.KStr("symbol", si ? si->name : "");
      j.KNum("mark_before", TicksToUsd(m.mark_before, tick), 4);
      j.KNum("mark_extreme", TicksToUsd(MarkExtreme(m), tick), 4);
      j.KNum("mark_move_pct", MovePct(m.mark_before, MarkExtreme(m)), 4);
      j.KNum("index_before", TicksToUsd(m.index_before, tick), 4);
      j.KNum("index_extreme", TicksToUsd(IndexExtreme(m), tick), 4);
      j.KNum("index_move_pct", MovePct(m.index_before, IndexExtreme(m)), 4);
      j.KUsd("notional_usd", m.notional);
      j.KNum("long_share",
             m.notional > 0 ? static_cast<double>(m.long_notional) / static_cast<double>(m.notional)
                            : 0.0,
             4);
      j.End();
    }
    j.End();
    j.Key("generations").Array();
    for (const GenerationStats& g : e.generations) GenerationJson(j, g);
    j.End();
    j.End();
  }
  j.End();
  j.End();

  const auto total = FiguresOf(s.total);
  j.Key("liquidations").Object();
  j.KUInt("count", s.total.liquidations);
  j.KUInt("calls", s.total.calls);
  j.KNum("notional_usd", total.notional_usd, 2);
  j.KNum("long_share", total.long_share, 4);
  j.KUInt("accounts", s.accounts);
  j.KUsd("largest_usd", s.largest_liquidation);
  j.KUInt("largest_account", s.largest_account.value());
  j.Key("split");
  SplitJson(j, s.total);
  j.KUsd("book_usd", s.total.book);
  j.KUsd("insurance_fund_usd", s.total.fund);
  j.KUsd("adl_usd", s.total.adl);
  j.Key("by_symbol").Array();
  for (const SymbolInfo& si : s.symbols) {
    const auto f = FiguresOf(si.total);
    j.Object()
        .KStr("symbol", si.name)
        .KUInt("liquidations", si.total.liquidations)
        .KNum("notional_usd", f.notional_usd, 2)
        .KNum("long_share", f.long_share, 4)
        .End();
  }
  j.End();
  j.End();

  j.Key("insurance_fund").Object();
  j.KUsd("start_usd", s.fund_start);
  j.KUsd("end_usd", s.fund_end);
  j.KUsd("low_usd", s.fund_low);
  j.KUsd("max_drawdown_usd", s.fund_max_drawdown);
  j.KUsd("clearance_fees_usd", s.total.fees_to_fund);
  j.KUsd("paid_on_fills_usd", s.total.fund_paid);
  j.KUInt("takeovers", s.total.takeovers);
  j.KUsd("takeover_notional_usd", s.total.fund);
  j.End();
  j.Key("adl").Object();
  j.KUInt("count", s.total.adl_legs);
  j.KUsd("notional_usd", s.total.adl);
  j.End();
  j.Key("bad_debt").Object();
  j.KUInt("count", s.total.bad_debts);
  j.KUsd("usd", s.total.bad_debt);
  j.End();

  j.Key("comparison").Array();
  for (const Comparison& c : Compare(info, r)) {
    j.Object();
    j.KStr("metric", c.metric);
    if (c.known) {
      j.KNum("emergent", c.emergent, 4);
      j.KBool("within", c.within());
    } else {
      j.Key("emergent").Null();
      j.Key("within").Null();
    }
    j.KNum("reported_low", c.low, 4);
    j.KNum("reported_high", c.high, 4);
    j.KStr("note", c.note);
    j.End();
  }
  j.End();

  const Latencies& lat = *r.latency;
  j.Key("latency").Object();
  j.KStr("clock", "std::chrono::steady_clock around each Engine::Apply, outside the engine");
  LatencyJson(j, "per_event_ns", lat.apply);
  LatencyJson(j, "per_cascade_event_ns", lat.cascade);
  LatencyJson(j, "per_liquidation_ns", lat.liquidation);
  LatencyJson(j, "per_round_ns", lat.round);
  LatencyJson(j, "decode_ns", lat.decode);
  LatencyJson(j, "output_ns", lat.output);
  j.End();

  j.Key("digests").Object();
  j.KStr("input", Hex(r.input_digest));
  j.KStr("output", Hex(r.output_digest));
  j.KStr("state", Hex(r.state_digest));
  j.End();
  j.End();
  return j.Take();
}

std::string CompareReport(const std::vector<std::pair<RunInfo, ReplayResult>>& runs) {
  std::ostringstream o;
  o << "comparison of venue rules on the same input (same scenario and seed):\n";
  o << absl::StrFormat("  %-26s", "");
  for (const auto& [info, r] : runs) o << absl::StrFormat(" %16s", info.preset);
  o << "\n";
  auto line = [&](std::string_view name, auto value) {
    o << absl::StrFormat("  %-26s", name);
    for (const auto& [info, r] : runs) o << absl::StrFormat(" %16s", value(info, r));
    o << "\n";
  };
  line("max cascade depth",
       [](const RunInfo&, const ReplayResult& r) { return absl::StrCat(r.cascade.max_depth); });
  line("episodes", [](const RunInfo&, const ReplayResult& r) {
    return absl::StrCat(r.cascade.episodes.size());
  });
  line("liquidations", [](const RunInfo&, const ReplayResult& r) {
    return WithCommas(r.cascade.total.liquidations);
  });
  line("accounts",
       [](const RunInfo&, const ReplayResult& r) { return WithCommas(r.cascade.accounts); });
  line("notional", [](const RunInfo&, const ReplayResult& r) {
    return FormatUsd(AtomsToUsd(r.cascade.total.notional));
  });
  line("generation-0 notional", [](const RunInfo&, const ReplayResult& r) {
    return r.cascade.generations.empty() ? std::string("$0")
                                         : FormatUsd(AtomsToUsd(r.cascade.generations[0].notional));
  });
  line("long share", [](const RunInfo&, const ReplayResult& r) {
    return FormatPercent(FiguresOf(r.cascade.total).long_share);
  });
  line("book / fund / ADL", [](const RunInfo&, const ReplayResult& r) {
    const auto f = FiguresOf(r.cascade.total);
    return absl::StrFormat("%.0f/%.0f/%.0f%%", f.book_share * 100, f.fund_share * 100,
                           f.adl_share * 100);
  });
  line("fund max drawdown", [](const RunInfo&, const ReplayResult& r) {
    return FormatUsd(AtomsToUsd(r.cascade.fund_max_drawdown));
  });
  line("ADL legs",
       [](const RunInfo&, const ReplayResult& r) { return WithCommas(r.cascade.total.adl_legs); });
  line("bad debt", [](const RunInfo&, const ReplayResult& r) {
    return FormatUsd(AtomsToUsd(r.cascade.total.bad_debt));
  });
  line("largest liquidation", [](const RunInfo&, const ReplayResult& r) {
    return FormatUsd(AtomsToUsd(r.cascade.largest_liquidation));
  });
  line("p99 per input event", [](const RunInfo&, const ReplayResult& r) {
    return FormatNs(r.latency->apply.Summary().p99);
  });
  line("p99 per cascade event", [](const RunInfo&, const ReplayResult& r) {
    return FormatNs(r.latency->cascade.Summary().p99);
  });
  line("output digest", [](const RunInfo&, const ReplayResult& r) { return Hex(r.output_digest); });
  return o.str();
}

absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  out << text;
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  return absl::OkStatus();
}

absl::Status WriteHgrmFiles(const std::string& prefix, const ReplayResult& r) {
  const Latencies& lat = *r.latency;
  const std::pair<const char*, const LatencyHistogram*> files[] = {
      {"per_event", &lat.apply},
      {"per_cascade_event", &lat.cascade},
      {"per_liquidation", &lat.liquidation},
      {"per_round", &lat.round},
  };
  for (const auto& [name, h] : files) {
    // Microseconds, as HdrHistogram's plotter expects by default.
    if (absl::Status st = h->WriteHgrmFile(absl::StrCat(prefix, ".", name, ".hgrm"), 5, 1000.0);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

}  // namespace cascade::replay
