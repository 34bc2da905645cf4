#include "replay/binance_data.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/core/checked_math.h"

namespace cascade::replay {
namespace {

absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Splits on `sep`; with skip_empty, empty pieces are dropped.
std::vector<std::string_view> Split(std::string_view text, char sep, bool skip_empty) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(sep, begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view piece = text.substr(begin, end - begin);
    if (!skip_empty || !piece.empty()) out.push_back(piece);
    begin = end + 1;
  }
  return out;
}

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", std::string(what)));
}

}  // namespace

absl::StatusOr<int64_t> ParseDecimalNanos(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return absl::InvalidArgumentError("empty number");
  int128 units = 0;
  int64_t fraction = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_point)
        return absl::InvalidArgumentError(absl::StrCat("bad number '", std::string(text), "'"));
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(absl::StrCat("bad number '", std::string(text), "'"));
    }
    if (!seen_point) {
      units = units * 10 + (c - '0');
      if (units > (int128{1} << 62) / 1'000'000'000) {
        return absl::OutOfRangeError(absl::StrCat("number too large '", std::string(text), "'"));
      }
    } else if (fraction_digits < 9) {
      fraction = fraction * 10 + (c - '0');
      ++fraction_digits;
    }
  }
  for (; fraction_digits < 9; ++fraction_digits) fraction *= 10;
  const int64_t value = static_cast<int64_t>(units) * 1'000'000'000 + fraction;
  return negative ? -value : value;
}

absl::StatusOr<std::vector<IndexKline>> ReadIndexKlines(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWhole(path);
  if (!text.ok()) return text.status();
  std::vector<IndexKline> out;
  size_t line_no = 0;
  for (std::string_view line : Split(*text, '\n', true)) {
    ++line_no;
    if (line_no == 1) continue;  // header
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> f = Split(line, ',', false);
    if (f.size() < 5) return LineError(path, line_no, "expected open_time,open,high,low,close");
    IndexKline k;
    if (!absl::SimpleAtoi(Absl(f[0]), &k.open_time_ms))
      return LineError(path, line_no, "bad open_time");
    int64_t* fields[] = {&k.open, &k.high, &k.low, &k.close};
    for (int i = 0; i < 4; ++i) {
      absl::StatusOr<int64_t> v = ParseDecimalNanos(f[static_cast<size_t>(i) + 1]);
      if (!v.ok()) return LineError(path, line_no, std::string(v.status().message()));
      *fields[i] = *v;
    }
    out.push_back(k);
  }
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no klines"));
  return out;
}

absl::StatusOr<std::vector<DepthSnapshot>> ReadDepthSnapshots(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWhole(path);
  if (!text.ok()) return text.status();
  // Snapshots by second; bands arrive on consecutive lines.
  std::map<int64_t, DepthSnapshot> by_time;
  size_t line_no = 0;
  for (std::string_view line : Split(*text, '\n', true)) {
    ++line_no;
    if (line_no == 1) continue;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> f = Split(line, ',', false);
    if (f.size() < 4)
      return LineError(path, line_no, "expected timestamp,percentage,depth,notional");
    absl::Time t;
    std::string error;
    if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", Absl(f[0]), absl::UTCTimeZone(), &t, &error)) {
      return LineError(path, line_no, absl::StrCat("bad timestamp: ", error));
    }
    int band = 0;
    if (!absl::SimpleAtoi(Absl(f[1]), &band)) return LineError(path, line_no, "bad percentage");
    absl::StatusOr<int64_t> notional = ParseDecimalNanos(f[3]);
    if (!notional.ok()) return LineError(path, line_no, std::string(notional.status().message()));
    const int64_t usd = *notional / 1'000'000'000;
    DepthSnapshot& s = by_time[absl::ToUnixSeconds(t)];
    s.unix_s = absl::ToUnixSeconds(t);
    if (band == -1) s.bid_1pct = usd;
    if (band == -5) s.bid_5pct = usd;
    if (band == 1) s.ask_1pct = usd;
    if (band == 5) s.ask_5pct = usd;
  }
  std::vector<DepthSnapshot> out;
  out.reserve(by_time.size());
  for (const auto& [t, s] : by_time) out.push_back(s);
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no snapshots"));
  return out;
}

}  // namespace cascade::replay
