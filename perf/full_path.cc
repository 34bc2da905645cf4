#include "perf/full_path.h"

#include <algorithm>
#include <utility>

#include "engine/risk/presets.h"
#include "engine/wire/encode.h"

namespace cascade::bench {
namespace {

// Far beyond what any account of the mix ever holds ($1B each; positions stay below ~$100M).
constexpr Atoms kDeposit{1'000'000'000LL * 1'000'000};
// The book workloads' accounts are 1..1000 (plus 1000+ and 2000+ in some).
constexpr uint32_t kAccounts = 3000;

}  // namespace

MarginFrames MarginWorkloadFrames(const Workload& w) {
  MarginFrames out;
  out.frames.config = w.config;
  out.frames.config.max_accounts = std::max(out.frames.config.max_accounts, kAccounts + 64);
  wire::Encoder encoder;
  uint64_t seq = 1;
  auto add = [&](CommandBody body) {
    const Command c{SeqNo{seq}, Timestamp{static_cast<int64_t>(seq)}, std::move(body)};
    ++seq;
    out.frames.Append(encoder.Encode(c));
  };
  SymbolConfig symbol = w.symbol;
  risk::ApplyPreset(RiskPreset::kBinance, symbol.risk);
  risk::SetBinanceBtc2021Tiers(symbol.risk);
  symbol.risk.mark_mode = MarkMode::kExternal;  // the mark stays where the benchmark puts it
  // The book workloads' limits are loose for an engine without margin; the decoder refuses a
  // config whose notional could overflow, so these are limits a margined venue would set.
  symbol.max_price = Price{2 * kWorkloadMid};
  symbol.max_order_qty = Qty{1'000'000};
  symbol.max_position_qty = Qty{100'000'000};
  add(ConfigureSymbol{symbol});
  add(IndexPrice{symbol.symbol, Price{kWorkloadMid}});
  add(MarkPrice{symbol.symbol, Price{kWorkloadMid}});
  for (uint32_t a = 1; a <= kAccounts; ++a) {
    add(Deposit{AccountId{a}, MarginMode::kCross, SymbolId{0}, kDeposit});
  }
  for (const BookOp& op : w.setup) add(ToCommand(op, seq).body);
  out.setup = out.frames.size();
  for (const BookOp& op : w.timed) add(ToCommand(op, seq).body);
  return out;
}

}  // namespace cascade::bench
