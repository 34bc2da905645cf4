#include "replay/format_util.h"

#include <cmath>
#include <ctime>

#include "absl/strings/str_format.h"

namespace cascade::replay {
namespace {

std::tm Utc(int64_t unix_ns) {
  const int64_t seconds =
      unix_ns >= 0 ? unix_ns / 1'000'000'000 : (unix_ns + 1) / 1'000'000'000 - 1;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

int TickDecimals(int64_t tick_size_nanos) {
  int decimals = 9;
  while (decimals > 0 && tick_size_nanos % 10 == 0) {
    tick_size_nanos /= 10;
    --decimals;
  }
  return decimals;
}

}  // namespace

std::string FormatUtc(int64_t unix_ns) {
  const std::tm tm = Utc(unix_ns);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string FormatClock(int64_t unix_ns) {
  const std::tm tm = Utc(unix_ns);
  return absl::StrFormat("%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string WithCommas(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    if ((n - i - 1) % 3 == 0 && i + 1 < n) out.push_back(',');
  }
  return out;
}

std::string FormatUsd(double usd) {
  const double a = std::fabs(usd);
  const char* sign = usd < 0 ? "-" : "";
  if (a >= 1e9) return absl::StrFormat("%s$%.2fB", sign, a / 1e9);
  if (a >= 1e6) return absl::StrFormat("%s$%.1fM", sign, a / 1e6);
  if (a >= 1e4) return absl::StrFormat("%s$%.1fk", sign, a / 1e3);
  return absl::StrFormat("%s$%.0f", sign, a);
}

double TicksToUsd(int64_t ticks, int64_t tick_size_nanos) {
  return static_cast<double>(ticks) * static_cast<double>(tick_size_nanos) / 1e9;
}

double AtomsToUsd(int64_t atoms) { return static_cast<double>(atoms) / 1e6; }

std::string FormatPrice(int64_t ticks, int64_t tick_size_nanos) {
  const int decimals = TickDecimals(tick_size_nanos);
  return absl::StrFormat("%.*f", decimals, TicksToUsd(ticks, tick_size_nanos));
}

std::string FormatNs(int64_t ns) {
  if (ns >= 1'000'000'000) return absl::StrFormat("%.2f s", static_cast<double>(ns) / 1e9);
  if (ns >= 1'000'000) return absl::StrFormat("%.2f ms", static_cast<double>(ns) / 1e6);
  if (ns >= 10'000) return absl::StrFormat("%.1f us", static_cast<double>(ns) / 1e3);
  if (ns >= 1'000) return absl::StrFormat("%.2f us", static_cast<double>(ns) / 1e3);
  return absl::StrFormat("%d ns", ns);
}

std::string FormatPercent(double fraction, int decimals) {
  return absl::StrFormat("%.*f%%", decimals, fraction * 100.0);
}

}  // namespace cascade::replay
