// The HTML report: one self-contained file (inline CSS and SVG; no scripts, fonts or images from
// anywhere) with the charts a person reads a cascade from.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "replay/format_util.h"
#include "replay/report.h"

namespace cascade::replay {
namespace {

using report_internal::FiguresOf;

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Generation colours: warm for the first generations, cooler as the cascade goes deeper.
const char* GenColor(uint32_t round) {
  static const char* kColors[] = {"#f2b134", "#ef6f3c", "#d1335b", "#a12a8c", "#6a2fb5",
                                  "#3b4cc0", "#2b83ba", "#1fa187", "#5ec962", "#9bd93c"};
  return kColors[std::min<uint32_t>(round, 9)];
}

constexpr const char* kBookColor = "#2b83ba";
constexpr const char* kFundColor = "#f2b134";
constexpr const char* kAdlColor = "#d1335b";

std::vector<double> NiceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (raw <= step) break;
  }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push_back(v);
  return ticks;
}

std::string ShortNumber(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return absl::StrFormat("%.3gB", v / 1e9);
  if (a >= 1e6) return absl::StrFormat("%.3gM", v / 1e6);
  if (a >= 1e4) return absl::StrFormat("%.3gk", v / 1e3);
  return absl::StrFormat("%.6g", v);
}

// A chart area with linear (or log) axes, drawn as SVG.
class Chart {
 public:
  Chart(int width, int height, double x0, double x1, double y0, double y1)
      : w_(width),
        h_(height),
        x0_(x0),
        x1_(x1 > x0 ? x1 : x0 + 1),
        y0_(y0),
        y1_(y1 > y0 ? y1 : y0 + 1) {}

  void SetLogY(bool log) { log_y_ = log; }
  void SetLogX(bool log) { log_x_ = log; }

  double X(double x) const {
    const double f = log_x_
                         ? (std::log10(x) - std::log10(x0_)) / (std::log10(x1_) - std::log10(x0_))
                         : (x - x0_) / (x1_ - x0_);
    return kLeft + f * (w_ - kLeft - kRight);
  }
  double Y(double y) const {
    const double f = log_y_ ? (std::log10(std::max(y, y0_)) - std::log10(y0_)) /
                                  (std::log10(y1_) - std::log10(y0_))
                            : (y - y0_) / (y1_ - y0_);
    return h_ - kBottom - f * (h_ - kTop - kBottom);
  }

  void Polyline(const std::vector<std::pair<double, double>>& pts, const char* color, double width,
                const char* dash = nullptr, const std::string& title = "") {
    if (pts.empty()) return;
    absl::StrAppend(&body_, "<polyline fill=\"none\" stroke=\"", color, "\" stroke-width=\"",
                    absl::StrFormat("%.1f", width), "\"",
                    dash ? absl::StrCat(" stroke-dasharray=\"", dash, "\"") : "", " points=\"");
    for (const auto& [x, y] : pts)
      absl::StrAppend(&body_, absl::StrFormat("%.1f,%.1f ", X(x), Y(y)));
    absl::StrAppend(&body_, "\">",
                    title.empty() ? "" : absl::StrCat("<title>", Esc(title), "</title>"),
                    "</polyline>\n");
  }
  void Area(const std::vector<std::pair<double, double>>& pts, const char* color, double opacity) {
    if (pts.empty()) return;
    absl::StrAppend(&body_, "<polygon fill=\"", color, "\" fill-opacity=\"",
                    absl::StrFormat("%.2f", opacity), "\" stroke=\"none\" points=\"");
    absl::StrAppend(&body_, absl::StrFormat("%.1f,%.1f ", X(pts.front().first), Y(y0_)));
    for (const auto& [x, y] : pts)
      absl::StrAppend(&body_, absl::StrFormat("%.1f,%.1f ", X(x), Y(y)));
    absl::StrAppend(&body_, absl::StrFormat("%.1f,%.1f", X(pts.back().first), Y(y0_)), "\"/>\n");
  }
  void Circle(double x, double y, double r, const char* color, const std::string& title) {
    absl::StrAppend(&body_,
                    absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
                                    "fill-opacity=\"0.75\" stroke=\"#222\" stroke-width=\"0.3\">",
                                    X(x), Y(y), r, color),
                    "<title>", Esc(title), "</title></circle>\n");
  }
  void Bar(double x_left, double x_right, double y_from, double y_to, const char* color,
           const std::string& title) {
    const double top = std::min(Y(y_from), Y(y_to));
    const double height = std::fabs(Y(y_from) - Y(y_to));
    absl::StrAppend(
        &body_,
        absl::StrFormat("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                        X(x_left), top, std::max(1.0, X(x_right) - X(x_left)), height, color),
        "<title>", Esc(title), "</title></rect>\n");
  }
  void XTicks(const std::vector<std::pair<double, std::string>>& ticks) { x_ticks_ = ticks; }
  void YTicks(const std::vector<std::pair<double, std::string>>& ticks) { y_ticks_ = ticks; }
  void Labels(std::string x_label, std::string y_label) {
    x_label_ = std::move(x_label);
    y_label_ = std::move(y_label);
  }
  void Legend(const std::vector<std::pair<std::string, std::string>>& items) { legend_ = items; }

  std::string Svg(const std::string& title) const {
    std::string s = absl::StrFormat(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
        "%d\" "
        "role=\"img\" aria-label=\"%s\">\n",
        w_, h_, w_, h_, Esc(title));
    absl::StrAppend(&s, absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                                        "fill=\"#fcfcfd\" stroke=\"#ccd\"/>\n",
                                        kLeft, kTop, w_ - kLeft - kRight, h_ - kTop - kBottom));
    for (const auto& [v, label] : y_ticks_) {
      const double y = Y(v);
      absl::StrAppend(
          &s, absl::StrFormat(
                  "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4ea\"/>"
                  "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                  kLeft, w_ - kRight, y, y, kLeft - 4, y + 4, Esc(label)));
    }
    for (const auto& [v, label] : x_ticks_) {
      const double x = X(v);
      absl::StrAppend(
          &s, absl::StrFormat(
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#e4e4ea\"/>"
                  "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
                  x, x, kTop, h_ - kBottom, x, h_ - kBottom + 14, Esc(label)));
    }
    absl::StrAppend(&s, body_);
    absl::StrAppend(
        &s,
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
                        (w_ + kLeft - kRight) / 2, h_ - 4, Esc(x_label_)));
    absl::StrAppend(
        &s,
        absl::StrFormat("<text x=\"12\" y=\"%d\" class=\"axis\" transform=\"rotate(-90 12 %d)\" "
                        "text-anchor=\"middle\">%s</text>\n",
                        (h_ + kTop - kBottom) / 2, (h_ + kTop - kBottom) / 2, Esc(y_label_)));
    double lx = kLeft + 8;
    for (const auto& [color, label] : legend_) {
      absl::StrAppend(
          &s, absl::StrFormat("<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                              "<text x=\"%.1f\" y=\"%d\" class=\"legend\">%s</text>\n",
                              lx, kTop - 16, color, lx + 14, kTop - 7, Esc(label)));
      lx += 24 + 6.5 * static_cast<double>(label.size());
    }
    absl::StrAppend(&s, "</svg>\n");
    return s;
  }

 private:
  static constexpr int kLeft = 78;
  static constexpr int kRight = 16;
  static constexpr int kTop = 26;
  static constexpr int kBottom = 36;
  int w_;
  int h_;
  double x0_, x1_, y0_, y1_;
  bool log_y_ = false;
  bool log_x_ = false;
  std::string body_;
  std::vector<std::pair<double, std::string>> x_ticks_;
  std::vector<std::pair<double, std::string>> y_ticks_;
  std::string x_label_;
  std::string y_label_;
  std::vector<std::pair<std::string, std::string>> legend_;
};

// Time axis in seconds from the first sample, labelled with UTC clock times.
std::vector<std::pair<double, std::string>> TimeTicks(int64_t t0_ns, double span_s) {
  std::vector<std::pair<double, std::string>> out;
  static const double kSteps[] = {10,   30,   60,   120,   300,   600,  900,
                                  1800, 3600, 7200, 14400, 28800, 86400};
  double step = kSteps[0];
  for (double s : kSteps) {
    step = s;
    if (span_s / s <= 8) break;
  }
  const double t0_s = static_cast<double>(t0_ns) / 1e9;
  const double first = std::ceil(t0_s / step) * step;
  for (double t = first; t <= t0_s + span_s; t += step) {
    out.emplace_back(t - t0_s,
                     FormatClock(static_cast<int64_t>(t * 1e9)).substr(0, step < 60 ? 8 : 5));
  }
  return out;
}

std::vector<std::pair<double, std::string>> ValueTicks(double lo, double hi, int target,
                                                       const std::string& prefix = "") {
  std::vector<std::pair<double, std::string>> out;
  for (double v : NiceTicks(lo, hi, target)) out.emplace_back(v, prefix + ShortNumber(v));
  return out;
}

struct MarkerBin {
  double notional = 0;
  double price_weighted = 0;
  double long_notional = 0;
  uint64_t count = 0;
};

std::string PriceChart(const CascadeSummary& s, size_t slot) {
  const SymbolInfo& info = s.symbols[slot];
  if (s.samples.empty()) return "";
  const int64_t t0 = s.samples.front().ts;
  const double span = std::max(1.0, static_cast<double>(s.samples.back().ts - t0) / 1e9);
  const int64_t tick = info.tick_size_nanos;
  double lo = 1e300;
  double hi = -1e300;
  std::vector<std::pair<double, double>> index, effective, mark, bid, ask;
  for (const Sample& x : s.samples) {
    if (slot >= x.symbols.size()) continue;
    const SymbolSample& y = x.symbols[slot];
    const double t = static_cast<double>(x.ts - t0) / 1e9;
    auto add = [&](std::vector<std::pair<double, double>>& v, int64_t ticks) {
      if (ticks <= 0) return;
      const double p = TicksToUsd(ticks, tick);
      v.emplace_back(t, p);
      lo = std::min(lo, p);
      hi = std::max(hi, p);
    };
    add(index, y.index);
    add(effective, y.effective);
    add(mark, y.mark);
    add(bid, y.bid);
    add(ask, y.ask);
  }
  // Liquidations binned by pixel column and generation, sized by notional.
  std::map<std::pair<int, uint32_t>, MarkerBin> bins;
  constexpr int kColumns = 400;
  double max_bin = 0;
  for (const Marker& m : s.markers) {
    if (m.symbol_slot != slot || m.price <= 0 || m.ts < t0) continue;
    const double t = static_cast<double>(m.ts - t0) / 1e9;
    const int col = static_cast<int>(t / span * kColumns);
    MarkerBin& b = bins[{col, m.round}];
    const double n = AtomsToUsd(m.notional);
    const double p = TicksToUsd(m.price, tick);
    b.notional += n;
    b.price_weighted += n * p;
    if (m.is_long) b.long_notional += n;
    ++b.count;
    max_bin = std::max(max_bin, b.notional);
  }
  if (!(hi > lo)) return "";
  // The axis follows the price lines; an execution far outside them (a takeover at the
  // bankruptcy price of a bucket whose equity went negative) is drawn at the edge, its price in
  // its tooltip.
  const double pad = (hi - lo) * 0.06;
  Chart c(1100, 380, 0, span, lo - pad, hi + pad);
  c.XTicks(TimeTicks(t0, span));
  c.YTicks(ValueTicks(lo - pad, hi + pad, 6, "$"));
  c.Labels("time (UTC)", "price (USD)");
  c.Polyline(bid, "#b8d8b0", 1.0);
  c.Polyline(ask, "#e8c0c0", 1.0);
  c.Polyline(index, "#888", 1.4, nullptr, "input index");
  c.Polyline(effective, "#555", 1.0, "4 3", "index used by the engine (with lambda coupling)");
  c.Polyline(mark, "#1f5fbf", 1.6, nullptr, "mark price");
  uint32_t max_round = 0;
  for (const auto& [key, b] : bins) {
    max_round = std::max(max_round, key.second);
    const double t = (key.first + 0.5) * span / kColumns;
    const double r = 2.0 + 9.0 * std::sqrt(b.notional / std::max(max_bin, 1e-9));
    const double price = b.price_weighted / std::max(b.notional, 1e-9);
    c.Circle(t, std::clamp(price, lo - pad, hi + pad), r, GenColor(key.second),
             absl::StrFormat("generation %u: %u executions, %s at $%.2f (average), %.0f%% long",
                             key.second, b.count, FormatUsd(b.notional), price,
                             100.0 * b.long_notional / std::max(b.notional, 1e-9)));
  }
  std::vector<std::pair<std::string, std::string>> legend = {{"#888", "input index"},
                                                             {"#555", "engine index"},
                                                             {"#1f5fbf", "mark"},
                                                             {"#b8d8b0", "best bid"},
                                                             {"#e8c0c0", "best ask"}};
  for (uint32_t r = 0; r <= std::min<uint32_t>(max_round, 9) && !bins.empty(); ++r) {
    legend.emplace_back(GenColor(r), absl::StrCat("gen ", r, r == 9 && max_round > 9 ? "+" : ""));
  }
  c.Legend(legend);
  return c.Svg(absl::StrCat(info.name, " index, mark and liquidations"));
}

std::string GenerationChart(const CascadeSummary& s) {
  if (s.generations.empty()) return "<p>No liquidations.</p>";
  double max_n = 0;
  for (const GenerationStats& g : s.generations) max_n = std::max(max_n, AtomsToUsd(g.notional));
  const double n = static_cast<double>(s.generations.size());
  Chart c(1100, 300, -0.5, n - 0.5, 0, max_n * 1.08);
  std::vector<std::pair<double, std::string>> xt;
  const size_t every = s.generations.size() > 30 ? s.generations.size() / 15 : 1;
  for (size_t i = 0; i < s.generations.size(); i += every)
    xt.emplace_back(static_cast<double>(i), absl::StrCat(i));
  c.XTicks(xt);
  c.YTicks(ValueTicks(0, max_n * 1.08, 5, "$"));
  c.Labels("generation (sweep round)", "liquidated notional (USD)");
  for (size_t i = 0; i < s.generations.size(); ++i) {
    const GenerationStats& g = s.generations[i];
    const double x = static_cast<double>(i);
    const double book = AtomsToUsd(g.book);
    const double fund = AtomsToUsd(g.fund);
    const double adl = AtomsToUsd(g.adl);
    const std::string title =
        absl::StrFormat("generation %zu: %s liquidations, %s (book %s, fund %s, ADL %s)", i,
                        WithCommas(g.liquidations), FormatUsd(AtomsToUsd(g.notional)),
                        FormatUsd(book), FormatUsd(fund), FormatUsd(adl));
    c.Bar(x - 0.38, x + 0.38, 0, book, kBookColor, title);
    c.Bar(x - 0.38, x + 0.38, book, book + fund, kFundColor, title);
    c.Bar(x - 0.38, x + 0.38, book + fund, book + fund + adl, kAdlColor, title);
  }
  c.Legend({{kBookColor, "closed on the book"},
            {kFundColor, "taken over by the insurance fund"},
            {kAdlColor, "auto-deleveraged"}});
  return c.Svg("liquidated notional per generation");
}

std::string DepthChart(const CascadeSummary& s) {
  if (s.samples.empty()) return "";
  const int64_t t0 = s.samples.front().ts;
  const double span = std::max(1.0, static_cast<double>(s.samples.back().ts - t0) / 1e9);
  static const char* kBid[] = {"#2a9d4b", "#8fcf9e"};
  static const char* kAsk[] = {"#c0392b", "#e9a29a"};
  std::string out;
  for (size_t slot = 0; slot < s.symbols.size(); ++slot) {
    std::vector<std::pair<double, double>> b1, a1, b5, a5;
    double hi = 0;
    for (const Sample& x : s.samples) {
      if (slot >= x.symbols.size()) continue;
      const double t = static_cast<double>(x.ts - t0) / 1e9;
      const SymbolSample& y = x.symbols[slot];
      b1.emplace_back(t, AtomsToUsd(y.bids_1pct));
      a1.emplace_back(t, AtomsToUsd(y.asks_1pct));
      b5.emplace_back(t, AtomsToUsd(y.bids_5pct));
      a5.emplace_back(t, AtomsToUsd(y.asks_5pct));
      hi = std::max({hi, AtomsToUsd(y.bids_5pct), AtomsToUsd(y.asks_5pct)});
    }
    if (hi <= 0) continue;
    Chart c(1100, 260, 0, span, 0, hi * 1.05);
    c.XTicks(TimeTicks(t0, span));
    c.YTicks(ValueTicks(0, hi * 1.05, 5, "$"));
    c.Labels("time (UTC)", absl::StrCat(s.symbols[slot].name, " resting (USD)"));
    c.Polyline(b5, kBid[1], 1.2);
    c.Polyline(a5, kAsk[1], 1.2);
    c.Polyline(b1, kBid[0], 1.6);
    c.Polyline(a1, kAsk[0], 1.6);
    c.Legend({{kBid[0], "bids within 1%"},
              {kAsk[0], "asks within 1%"},
              {kBid[1], "bids within 5%"},
              {kAsk[1], "asks within 5%"}});
    absl::StrAppend(&out, c.Svg(absl::StrCat(s.symbols[slot].name, " book depth")));
  }
  return out;
}

std::string FundChart(const CascadeSummary& s) {
  if (s.samples.empty()) return "";
  const int64_t t0 = s.samples.front().ts;
  const double span = std::max(1.0, static_cast<double>(s.samples.back().ts - t0) / 1e9);
  std::vector<std::pair<double, double>> fund, liquidated;
  double lo = 1e300;
  double hi = -1e300;
  double max_liq = 0;
  for (const Sample& x : s.samples) {
    const double t = static_cast<double>(x.ts - t0) / 1e9;
    const double f = AtomsToUsd(x.fund_equity);
    fund.emplace_back(t, f);
    lo = std::min(lo, f);
    hi = std::max(hi, f);
    liquidated.emplace_back(t, AtomsToUsd(x.liquidated));
    max_liq = std::max(max_liq, AtomsToUsd(x.liquidated));
  }
  const double pad = std::max((hi - lo) * 0.08, std::fabs(hi) * 0.01 + 1);
  Chart c(1100, 260, 0, span, lo - pad, hi + pad);
  c.XTicks(TimeTicks(t0, span));
  c.YTicks(ValueTicks(lo - pad, hi + pad, 5, "$"));
  c.Labels("time (UTC)", "insurance fund equity (USD)");
  // Cumulative liquidated notional, rescaled onto the same axis as a faint guide.
  if (max_liq > 0) {
    std::vector<std::pair<double, double>> guide;
    for (const auto& [t, v] : liquidated)
      guide.emplace_back(t, lo - pad + (hi - lo + 2 * pad) * v / max_liq);
    c.Polyline(guide, "#c9c9d6", 1.2, "3 3",
               absl::StrCat("cumulative liquidated notional (0 .. ", FormatUsd(max_liq), ")"));
  }
  c.Polyline(fund, "#f2a900", 2.0, nullptr, "insurance fund equity");
  c.Legend({{"#f2a900", "insurance fund equity"},
            {"#c9c9d6",
             absl::StrCat("cumulative liquidated (0 .. ", FormatUsd(max_liq), ", own scale)")}});
  return c.Svg("insurance fund balance");
}

std::string LatencyChart(const Latencies& lat) {
  // HdrHistogram's percentile plot: x = 1 / (1 - percentile) on a log axis.
  static const double kPercentiles[] = {0,    25,   50,    75,    90,     95,     99,
                                        99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 99.9999};
  struct Line {
    const LatencyHistogram* h;
    const char* color;
    const char* name;
  };
  const Line lines[] = {{&lat.apply, "#1f5fbf", "per input event"},
                        {&lat.cascade, "#d1335b", "per input event with liquidations"},
                        {&lat.liquidation, "#f2a900", "per liquidate() call (amortized)"},
                        {&lat.round, "#1fa187", "per sweep round (amortized)"}};
  double lo = 1e300;
  double hi = 1;
  for (const Line& l : lines) {
    if (l.h->total_count() == 0) continue;
    lo = std::min(lo, std::max(1.0, static_cast<double>(l.h->ValueAtPercentile(0))));
    hi = std::max(hi, static_cast<double>(l.h->Max()));
  }
  if (lo > hi) return "<p>No latency recorded.</p>";
  lo = std::pow(10.0, std::floor(std::log10(lo)));
  hi = std::pow(10.0, std::ceil(std::log10(hi)));
  Chart c(1100, 320, 1, 1e6, lo, hi);
  c.SetLogX(true);
  c.SetLogY(true);
  c.XTicks({{1, "0%"},
            {10, "90%"},
            {100, "99%"},
            {1e3, "99.9%"},
            {1e4, "99.99%"},
            {1e5, "99.999%"},
            {1e6, "99.9999%"}});
  std::vector<std::pair<double, std::string>> yt;
  for (double v = lo; v <= hi * 1.001; v *= 10)
    yt.emplace_back(v, FormatNs(static_cast<int64_t>(v)));
  c.YTicks(yt);
  c.Labels("percentile", "wall-clock latency");
  std::vector<std::pair<std::string, std::string>> legend;
  for (const Line& l : lines) {
    if (l.h->total_count() == 0) continue;
    std::vector<std::pair<double, double>> pts;
    for (double p : kPercentiles) {
      const double x = std::min(1e6, 1.0 / (1.0 - p / 100.0));
      pts.emplace_back(x, std::max(lo, static_cast<double>(l.h->ValueAtPercentile(p))));
    }
    pts.emplace_back(1e6, std::max(lo, static_cast<double>(l.h->Max())));
    c.Polyline(pts, l.color, 2.0, nullptr, l.name);
    legend.emplace_back(
        l.color,
        absl::StrCat(l.name, " (", WithCommas(static_cast<uint64_t>(l.h->total_count())), ")"));
  }
  c.Legend(legend);
  return c.Svg("latency distribution");
}

constexpr const char* kStyle = R"css(
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto;
       max-width: 1140px; color: #1d1d24; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
.sub { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
.card { border: 1px solid #dde; border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.card b { display: block; font-size: 20px; } .card span { color: #666; font-size: 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e6e6ee; padding: 3px 9px; text-align: right; }
th { background: #f4f4f8; } td.l, th.l { text-align: left; }
svg { display: block; margin: 8px 0; } .tick { font-size: 11px; fill: #555; }
.axis { font-size: 12px; fill: #333; } .legend { font-size: 12px; fill: #333; }
.note { color: #555; font-size: 13px; } code { background: #f4f4f8; padding: 1px 4px; }
.ok { color: #1a7f37; } .off { color: #b35900; }
)css";

}  // namespace

std::string HtmlReport(const RunInfo& info, const ReplayResult& r) {
  const CascadeSummary& s = r.cascade;
  const auto total = FiguresOf(s.total);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>cascade-replay: "
    << Esc(info.scenario.empty() ? info.source : info.scenario) << "</title>\n<style>" << kStyle
    << "</style></head><body>\n";
  o << "<h1>Liquidation cascade report: "
    << Esc(info.scenario.empty() ? info.source : info.scenario) << "</h1>\n<p class=\"sub\">"
    << Esc(info.description) << "</p>\n";
  std::vector<std::string> lambdas;
  for (const auto& [name, l] : info.lambdas) lambdas.push_back(absl::StrFormat("%s %g", name, l));
  o << "<p class=\"note\">Inputs: " << Esc(info.source);
  if (info.seed.has_value()) o << ", seed " << *info.seed;
  o << ", preset <b>" << Esc(info.preset) << "</b>";
  if (!lambdas.empty()) o << ", index coupling &lambda; " << Esc(absl::StrJoin(lambdas, ", "));
  o << ", engine " << Esc(info.engine_version);
  if (info.population_buckets > 0) {
    o << ", " << WithCommas(info.population_buckets) << " leveraged buckets at scale "
      << info.scale;
  }
  o << ". Simulated " << FormatUtc(s.first_ts) << " to " << FormatUtc(s.last_ts) << ", "
    << WithCommas(r.commands) << " input messages.</p>\n";

  auto card = [&](const std::string& value, const std::string& label) {
    o << "<div class=\"card\"><b>" << Esc(value) << "</b><span>" << Esc(label) << "</span></div>";
  };
  o << "<div class=\"cards\">";
  card(absl::StrCat(s.max_depth), "max cascade depth");
  card(WithCommas(s.total.liquidations), "liquidations");
  card(WithCommas(s.accounts), "accounts liquidated");
  card(FormatUsd(total.notional_usd), "notional liquidated");
  card(FormatPercent(total.long_share), "long share");
  card(absl::StrFormat("%.0f / %.0f / %.0f%%", total.book_share * 100, total.fund_share * 100,
                       total.adl_share * 100),
       "book / fund / ADL");
  card(FormatUsd(AtomsToUsd(s.fund_max_drawdown)), "fund max drawdown");
  card(FormatNs(r.latency->apply.Summary().p99), "p99 per input event");
  o << "</div>\n";

  for (size_t slot = 0; slot < s.symbols.size(); ++slot) {
    o << "<h2>" << Esc(s.symbols[slot].name)
      << ": index and mark, liquidations by generation</h2>\n"
      << PriceChart(s, slot)
      << "<p class=\"note\">Circles are liquidation executions (book fills, fund takeovers, ADL) "
         "binned in time, coloured by generation and sized by notional; hover for figures. The "
         "dashed line is the index the engine used, after the &lambda; coupling moved it.</p>\n";
  }
  o << "<h2>Liquidated notional per generation</h2>\n" << GenerationChart(s);
  o << "<table><tr><th>gen</th><th>liquidations</th><th>accounts</th><th>notional</th>"
       "<th>long</th><th>book</th><th>fund</th><th>ADL</th><th>bad debt</th></tr>\n";
  auto row = [&](const std::string& label, const GenerationStats& g) {
    const auto f = FiguresOf(g);
    o << "<tr><td>" << label << "</td><td>" << WithCommas(g.liquidations) << "</td><td>"
      << WithCommas(g.accounts) << "</td><td>" << FormatUsd(f.notional_usd) << "</td><td>"
      << FormatPercent(f.long_share) << "</td><td>" << FormatPercent(f.book_share) << "</td><td>"
      << FormatPercent(f.fund_share) << "</td><td>" << FormatPercent(f.adl_share) << "</td><td>"
      << FormatUsd(AtomsToUsd(g.bad_debt)) << "</td></tr>\n";
  };
  for (size_t i = 0; i < s.generations.size(); ++i) row(absl::StrCat(i), s.generations[i]);
  row("<b>all</b>", s.total);
  o << "</table>\n";

  if (!s.episodes.empty()) {
    o << "<h2>Episodes</h2>\n<table><tr><th>#</th><th class=\"l\">first trigger (UTC)</th>"
         "<th>to last liquidation</th><th>depth</th><th>liquidations</th><th>notional</th>"
         "<th>amplification</th><th class=\"l\">mark move (input index move)</th>"
         "<th>fund drawdown</th><th>ADL</th></tr>\n";
    size_t shown = 0;
    for (const Episode& e : s.episodes) {
      if (++shown > 50) break;
      std::vector<std::string> moves;
      for (const SymbolMove& m : e.moves) {
        if (m.notional == 0) continue;
        std::string name = "?";
        for (const SymbolInfo& si : s.symbols) {
          if (si.symbol == m.symbol) name = si.name;
        }
        const bool down = m.long_notional * 2 >= m.notional;
        const int64_t mark = down ? m.mark_low : m.mark_high;
        const int64_t index = down ? m.index_low : m.index_high;
        auto pct = [](int64_t a, int64_t b) {
          return a > 0 ? 100.0 * static_cast<double>(b - a) / static_cast<double>(a) : 0.0;
        };
        moves.push_back(absl::StrFormat("%s %+.2f%% (%+.2f%%)", name, pct(m.mark_before, mark),
                                        pct(m.index_before, index)));
      }
      o << "<tr><td>" << e.id << "</td><td class=\"l\">" << FormatClock(e.first_trigger_ns)
        << "</td><td>"
        << absl::StrFormat("%.1f s",
                           static_cast<double>(e.last_liquidation_ns - e.first_trigger_ns) / 1e9)
        << "</td><td>" << e.depth << "</td><td>" << WithCommas(e.total.liquidations) << "</td><td>"
        << FormatUsd(AtomsToUsd(e.total.notional)) << "</td><td>"
        << absl::StrFormat("%.2f", e.Amplification()) << "</td><td class=\"l\">"
        << Esc(absl::StrJoin(moves, "; ")) << "</td><td>" << FormatUsd(AtomsToUsd(e.FundDrawdown()))
        << "</td><td>" << FormatUsd(AtomsToUsd(e.total.adl)) << "</td></tr>\n";
    }
    o << "</table>\n";
  }

  o << "<h2>Book depth over time</h2>\n" << DepthChart(s);
  o << "<h2>Insurance fund</h2>\n" << FundChart(s);
  o << absl::StrFormat(
      "<p class=\"note\">Start %s, end %s, low %s, largest drawdown %s. Clearance fees in %s, "
      "paid on fills %s, %s takeovers (%s). ADL: %s legs, %s. Bad debt: %s.</p>\n",
      FormatUsd(AtomsToUsd(s.fund_start)), FormatUsd(AtomsToUsd(s.fund_end)),
      FormatUsd(AtomsToUsd(s.fund_low)), FormatUsd(AtomsToUsd(s.fund_max_drawdown)),
      FormatUsd(AtomsToUsd(s.total.fees_to_fund)), FormatUsd(AtomsToUsd(s.total.fund_paid)),
      WithCommas(s.total.takeovers), FormatUsd(AtomsToUsd(s.total.fund)),
      WithCommas(s.total.adl_legs), FormatUsd(AtomsToUsd(s.total.adl)),
      FormatUsd(AtomsToUsd(s.total.bad_debt)));

  const std::vector<Comparison> cmp = Compare(info, r);
  if (!cmp.empty()) {
    o << "<h2>Against the reported figures</h2>\n<p class=\"note\">Emergent totals divided by the "
         "scale ("
      << info.scale << "). Calibrated inputs: " << Esc(absl::StrJoin(info.calibration, " "))
      << " Emergent: liquidations, generations, notional, long share, accounts, fund use, ADL, "
         "bad debt.</p>\n<table><tr><th class=\"l\">metric</th><th>emergent</th><th>reported</th>"
         "<th></th><th class=\"l\">source</th></tr>\n";
    for (const Comparison& c : cmp) {
      if (!c.known) continue;
      const bool pct = c.metric == "long_share";
      auto fmt = [&](double v) {
        return pct ? FormatPercent(v)
                   : (c.metric == "accounts" ? WithCommas(static_cast<uint64_t>(v)) : FormatUsd(v));
      };
      o << "<tr><td class=\"l\">" << Esc(c.metric) << "</td><td>" << fmt(c.emergent) << "</td><td>"
        << fmt(c.low) << " - " << fmt(c.high) << "</td><td class=\""
        << (c.within() ? "ok\">within" : "off\">outside") << "</td><td class=\"l\">" << Esc(c.note)
        << "</td></tr>\n";
    }
    o << "</table>\n";
  }

  o << "<h2>Latency</h2>\n" << LatencyChart(*r.latency);
  o << "<table><tr><th class=\"l\">wall clock around Engine::Apply</th><th>p50</th><th>p90</th>"
       "<th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th><th>count</th></tr>\n";
  auto lrow = [&](const char* name, const LatencyHistogram& h) {
    if (h.total_count() == 0) return;
    const LatencySummary x = h.Summary();
    o << "<tr><td class=\"l\">" << name << "</td><td>" << FormatNs(x.p50) << "</td><td>"
      << FormatNs(x.p90) << "</td><td>" << FormatNs(x.p99) << "</td><td>" << FormatNs(x.p999)
      << "</td><td>" << FormatNs(x.p9999) << "</td><td>" << FormatNs(x.max) << "</td><td>"
      << WithCommas(static_cast<uint64_t>(x.count)) << "</td></tr>\n";
  };
  lrow("per input event", r.latency->apply);
  lrow("per input event with liquidations", r.latency->cascade);
  lrow("per liquidate() call (amortized)", r.latency->liquidation);
  lrow("per sweep round (amortized)", r.latency->round);
  lrow("stage: decode", r.latency->decode);
  lrow("stage: encode + digest + metrics", r.latency->output);
  o << "</table>\n";
  o << absl::StrFormat(
      "<p class=\"note\">Replay: %s input messages in %.2f s (%s msg/s; engine alone %s msg/s). "
      "Digests: input <code>%016x</code>, output <code>%016x</code>, state "
      "<code>%016x</code>.</p>\n",
      WithCommas(r.commands), r.wall_seconds,
      WithCommas(static_cast<uint64_t>(
          r.wall_seconds > 0 ? static_cast<double>(r.commands) / r.wall_seconds : 0)),
      WithCommas(static_cast<uint64_t>(
          r.engine_seconds > 0 ? static_cast<double>(r.commands) / r.engine_seconds : 0)),
      r.input_digest, r.output_digest, r.state_digest);
  o << "</body></html>\n";
  return o.str();
}

}  // namespace cascade::replay
