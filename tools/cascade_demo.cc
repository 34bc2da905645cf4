// cascade-demo: builds a BTC perpetual book from a short stream of orders (makers quoting a ladder,
// then takers, a stop chain and an amend), printing every event and the book at the end. It is the
// smallest complete example of embedding the engine.
#include <cstdio>
#include <cstring>
#include <vector>

#include "engine/core/format.h"
#include "engine/engine.h"

namespace {

using namespace cascade;

constexpr SymbolId kBtc{1};

SymbolConfig BtcPerp() {
  SymbolConfig c;
  c.symbol = kBtc;
  std::memcpy(c.name.data(), "BTC-PERP", 8);
  c.tick_size_nanos = 100'000'000;  // $0.1
  c.lot_size_nanos = 1'000'000;     // 0.001 BTC
  c.min_price = Price(1);
  c.max_price = Price(10'000'000);  // $1,000,000
  c.max_order_qty = Qty(1'000'000);
  c.max_position_qty = Qty(10'000'000);
  c.market_protection_ticks = 500;  // $50
  return c;
}

NewOrder Limit(uint32_t account, uint64_t id, Side side, int64_t price, int64_t qty,
               TimeInForce tif = TimeInForce::kGtc) {
  NewOrder o;
  o.symbol = kBtc;
  o.account = AccountId(account);
  o.order_id = OrderId(id);
  o.side = side;
  o.tif = tif;
  o.price = Price(price);
  o.qty = Qty(qty);
  return o;
}

NewOrder Stop(uint32_t account, uint64_t id, Side side, int64_t stop, int64_t qty) {
  NewOrder o = Limit(account, id, side, 0, qty, TimeInForce::kIoc);
  o.type = OrderType::kStopMarket;
  o.stop_price = Price(stop);
  return o;
}

void PrintBook(const Engine& engine) {
  std::vector<LevelView> bids(5), asks(5);
  const size_t nb = engine.Depth(kBtc, Side::kBuy, bids);
  const size_t na = engine.Depth(kBtc, Side::kSell, asks);
  std::printf("\nBTC-PERP book (price in $, size in BTC):\n");
  for (size_t i = na; i > 0; --i) {
    std::printf("  ask %10.1f  %8.3f  (%u orders)\n",
                static_cast<double>(asks[i - 1].price.value()) / 10,
                static_cast<double>(asks[i - 1].qty.value()) / 1000, asks[i - 1].orders);
  }
  for (size_t i = 0; i < nb; ++i) {
    std::printf("  bid %10.1f  %8.3f  (%u orders)\n",
                static_cast<double>(bids[i].price.value()) / 10,
                static_cast<double>(bids[i].qty.value()) / 1000, bids[i].orders);
  }
}

}  // namespace

int main() {
  Engine engine;
  uint64_t seq = 0;
  int64_t ts = 1'769'688'000'000'000'000;  // 2026-01-29 12:00 UTC, in ns
  auto apply = [&](const CommandBody& body) {
    const Command command{SeqNo(++seq), Timestamp(ts += 1'000'000), body};
    std::printf("%s\n", ToText(command).c_str());
    for (const Event& e : engine.Apply(command)) std::printf("    -> %s\n", ToText(e.body).c_str());
  };

  apply(ConfigureSymbol{BtcPerp()});
  // A market maker (account 1) quotes five levels a side around $85,000.
  for (int i = 0; i < 5; ++i) {
    apply(Limit(1, 100 + i, Side::kBuy, 849'990 - 10 * i, 500 + 250 * i));
    apply(Limit(1, 200 + i, Side::kSell, 850'010 + 10 * i, 500 + 250 * i));
  }
  // Stop-market sells under the round number, as traders protect longs.
  apply(Stop(2, 1, Side::kSell, 849'980, 1'000));
  apply(Stop(3, 1, Side::kSell, 849'970, 1'500));
  // A taker sells through two levels: the trade at 849,980 triggers the first stop, whose fills
  // trigger the second: a chain resolved inside one command.
  apply(Limit(4, 1, Side::kSell, 849'980, 1'400, TimeInForce::kIoc));
  // The maker re-prices its best ask down; it loses time priority and rests at the new price.
  apply(AmendOrder{kBtc, AccountId(1), OrderId(200), Price(850'000), Qty(400)});
  // A FOK buy larger than the book within its limit expires whole.
  apply(Limit(5, 1, Side::kBuy, 850'010, 5'000, TimeInForce::kFok));
  apply(CancelOrder{kBtc, AccountId(1), OrderId(999)});  // unknown: rejected, never acknowledged
  PrintBook(engine);
  return 0;
}
