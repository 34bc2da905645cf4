#include "tests/engine/lobster/lobster_replay.h"

#include <absl/container/flat_hash_map.h>

#include <charconv>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

// How a level-1 file maps onto a full order book
// ------------------------------------------------
// LOBSTER writes a message only when it touches the top price level, and orders resting before
// 09:30 never appear. So the engine is told only what the file shows, and the gaps are filled from
// the rows (the top of book after each message):
//
// - The first row seeds the book: one synthetic order of the row's size at each side's best price.
// - Submission: a GTC limit order under the file's order id. Partial cancel: an amend of the
//   quantity down (time priority kept). Delete: a cancel. Hidden execution: nothing (a hidden
//   order is not in the visible book).
// - Visible execution: an aggressive IOC from another account at the executed price and size.
//   When the book holds the named order with at least that size, price-time priority must fill
//   exactly that order. Orders the translator placed in front of it (synthetic liquidity, or known
//   orders that were in fact deleted or placed behind it while out of view) are first moved to the
//   back of the level (cancel and re-add under the same id): the execution itself is the evidence
//   that nothing visible was ahead of it. For an execution of an order the file never showed, the
//   synthetic order that stands for it is moved to the front the same way.
// - A cancel of an order the file never showed (or of more than the book holds for it) takes the
//   quantity from that level: synthetic orders first, then known orders newest first.
// - A message that empties a top level (its size is that level's whole size in the previous row)
//   reveals the next level, whose contents the file never showed: orders on that side priced
//   better than the row's new best were deleted out of view and are cancelled; the row's level is
//   topped up with a synthetic order or trimmed (synthetic orders first, then newest known) to
//   the row's size.
//
// Every other message is fully determined by the previous row and the message itself, so after it
// the engine's best bid and ask, price and size, must equal the row.

namespace cascade::lobster {
namespace {

constexpr char kMessageFile[] = "AMZN_2012-06-21_34200000_57600000_message_1.csv";
constexpr char kOrderbookFile[] = "AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";

// Splits one CSV line into integer fields; the time field has up to 9 decimals.
bool ParseInt(std::string_view text, int64_t& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseSecondsAsNanos(std::string_view text, int64_t& out) {
  const size_t dot = text.find('.');
  int64_t seconds = 0;
  if (!ParseInt(text.substr(0, dot), seconds)) return false;
  int64_t nanos = 0;
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.size() > 9 || !ParseInt(fraction, nanos)) return false;
    for (size_t i = fraction.size(); i < 9; ++i) nanos *= 10;
  }
  out = seconds * 1'000'000'000 + nanos;
  return true;
}

template <size_t N>
bool SplitFields(std::string_view line, std::string_view (&fields)[N]) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (size_t i = 0; i < N; ++i) {
    const size_t comma = line.find(',');
    if ((comma == std::string_view::npos) != (i + 1 == N)) return false;
    fields[i] = line.substr(0, comma);
    line.remove_prefix(comma == std::string_view::npos ? line.size() : comma + 1);
  }
  return true;
}

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(path + ":" + std::to_string(line) + ": " + std::string(what));
}

struct ShadowOrder {
  AccountId account{0};
  OrderId id{0};
  int64_t qty = 0;
};

using Key = std::pair<uint32_t, uint64_t>;  // (account, order id)
Key KeyOf(AccountId account, OrderId id) { return {account.value(), id.value()}; }

// The translator: emits commands and keeps a FIFO copy of the book those commands build.
class Translator {
 public:
  explicit Translator(const Sample& sample) : sample_(sample) {}

  Plan Run() && {
    const auto& rows = sample_.rows;
    const auto& messages = sample_.messages;
    if (messages.empty()) return std::move(plan_);
    ts_ = messages[0].time;
    Append(ConfigureSymbol{AmznSymbolConfig()});
    Seed(Side::kBuy, rows[0].bid_price, rows[0].bid_size);
    Seed(Side::kSell, rows[0].ask_price, rows[0].ask_size);
    plan_.setup_commands = static_cast<uint32_t>(plan_.commands.size());

    for (size_t i = 1; i < messages.size(); ++i) {
      const Message& m = messages[i];
      ts_ = m.time;
      Step step;
      step.message = static_cast<uint32_t>(i);
      step.first_command = static_cast<uint32_t>(plan_.commands.size());
      step.first_fill = static_cast<uint32_t>(plan_.fills.size());
      const BookRow& prev = rows[i - 1];
      const bool bid = m.side == Side::kBuy;
      const int64_t top_price = bid ? prev.bid_price : prev.ask_price;
      const int64_t top_size = bid ? prev.bid_size : prev.ask_size;
      const bool removes = m.type == MessageType::kPartialCancel ||
                           m.type == MessageType::kDelete ||
                           m.type == MessageType::kVisibleExecution;
      step.empties_top = removes && m.price == top_price && m.size == top_size;
      ++plan_.counts.messages;
      const Key key = KeyOf(kMakerAccount, OrderId{m.order_id});
      switch (m.type) {
        case MessageType::kSubmit:
          ++plan_.counts.submissions;
          Add(kMakerAccount, OrderId{m.order_id}, m.side, m.price, m.size);
          break;
        case MessageType::kPartialCancel:
        case MessageType::kDelete:
          ++plan_.counts.cancels;
          if (Holds(key, m.side, m.price, m.size)) {
            Reduce(key, m.size);
          } else {
            ++plan_.counts.cancels_of_unknown;
            TakeFromLevel(m.side, m.price, m.size);
          }
          break;
        case MessageType::kVisibleExecution: {
          ++plan_.counts.visible_executions;
          if (Holds(key, m.side, m.price, 1)) {
            MoveToFront(key);
            step.named_order_known = Holds(key, m.side, m.price, m.size);
            plan_.counts.executions_of_known += step.named_order_known ? 1 : 0;
          } else if (const ShadowOrder* seed = SyntheticAtLeast(m.side, m.price, m.size)) {
            MoveToFront(KeyOf(seed->account, seed->id));
          }
          step.ioc_command = static_cast<int64_t>(plan_.commands.size());
          Ioc(m.side, m.price, m.size);
          break;
        }
        case MessageType::kHiddenExecution:
          ++plan_.counts.hidden_executions;
          break;
        case MessageType::kHalt:
          break;
      }
      if (step.empties_top) {
        ++plan_.counts.empties;
        const BookRow& row = rows[i];
        RevealLevel(m.side, bid ? row.bid_price : row.ask_price, bid ? row.bid_size : row.ask_size);
      } else {
        ++plan_.counts.compared;
      }
      step.end_command = static_cast<uint32_t>(plan_.commands.size());
      step.end_fill = static_cast<uint32_t>(plan_.fills.size());
      plan_.steps.push_back(step);
    }
    plan_.counts.commands = plan_.commands.size();
    return std::move(plan_);
  }

 private:
  using Level = std::deque<ShadowOrder>;
  // Price -> FIFO. Bids are best at the highest price, asks at the lowest.
  std::map<int64_t, Level>& Book(Side side) { return books_[static_cast<int>(side)]; }

  template <typename Body>
  void Append(Body body) {
    plan_.commands.push_back(Command{SeqNo{next_seq_++}, ts_, CommandBody{std::move(body)}});
  }

  void Add(AccountId account, OrderId id, Side side, int64_t price, int64_t qty) {
    Append(NewOrder{.symbol = kSymbol,
                    .account = account,
                    .order_id = id,
                    .side = side,
                    .type = OrderType::kLimit,
                    .tif = TimeInForce::kGtc,
                    .stp = StpMode::kNone,
                    .price = Price{price},
                    .qty = Qty{qty}});
    Book(side)[price].push_back(ShadowOrder{account, id, qty});
    where_[KeyOf(account, id)] = {side, price};
  }

  void Seed(Side side, int64_t price, int64_t qty) {
    if (qty <= 0) return;
    ++plan_.counts.seeded;
    Add(kSeedAccount, OrderId{next_seed_id_++}, side, price, qty);
  }

  // The order's place in its level; the key must be live.
  Level::iterator Find(const Key& key, Side* side, int64_t* price) {
    const auto& [s, p] = where_.at(key);
    *side = s;
    *price = p;
    Level& level = Book(s).at(p);
    for (auto it = level.begin(); it != level.end(); ++it) {
      if (KeyOf(it->account, it->id) == key) return it;
    }
    return level.end();
  }

  // True when the book holds `key` on `side` at `price` with at least `qty` open.
  bool Holds(const Key& key, Side side, int64_t price, int64_t qty) {
    const auto w = where_.find(key);
    if (w == where_.end() || w->second.first != side || w->second.second != price) return false;
    Side s;
    int64_t p;
    return Find(key, &s, &p)->qty >= qty;
  }

  void EraseFromShadow(Side side, int64_t price, Level::iterator it) {
    where_.erase(KeyOf(it->account, it->id));
    Level& level = Book(side).at(price);
    level.erase(it);
    if (level.empty()) Book(side).erase(price);
  }

  void Cancel(const Key& key) {
    Side side;
    int64_t price;
    const auto it = Find(key, &side, &price);
    Append(CancelOrder{kSymbol, it->account, it->id});
    EraseFromShadow(side, price, it);
  }

  // Lowers the order's quantity by `by`: an amend down keeps its place; all of it is a cancel.
  void Reduce(const Key& key, int64_t by) {
    Side side;
    int64_t price;
    const auto it = Find(key, &side, &price);
    if (by >= it->qty) return Cancel(key);
    it->qty -= by;
    Append(AmendOrder{kSymbol, it->account, it->id, Price{price}, Qty{it->qty}});
  }

  // Moves every order ahead of `key` in its level to the back, oldest first, by cancelling and
  // re-adding it under the same id.
  void MoveToFront(const Key& key) {
    Side side;
    int64_t price;
    Find(key, &side, &price);
    while (true) {
      const ShadowOrder front = Book(side).at(price).front();
      if (KeyOf(front.account, front.id) == key) return;
      ++plan_.counts.requeued;
      Cancel(KeyOf(front.account, front.id));
      Add(front.account, front.id, side, price, front.qty);
    }
  }

  const ShadowOrder* SyntheticAtLeast(Side side, int64_t price, int64_t qty) {
    const auto level = Book(side).find(price);
    if (level == Book(side).end()) return nullptr;
    for (const ShadowOrder& o : level->second) {
      if (o.account == kSeedAccount && o.qty >= qty) return &o;
    }
    return nullptr;
  }

  // Takes `qty` out of a level the file does not itemize: synthetic orders first (oldest first),
  // then known orders newest first. Returns what the level could not give.
  int64_t TakeFromLevel(Side side, int64_t price, int64_t qty) {
    while (qty > 0) {
      const auto level = Book(side).find(price);
      if (level == Book(side).end()) break;
      const ShadowOrder* pick = nullptr;
      for (const ShadowOrder& o : level->second) {
        if (o.account == kSeedAccount) {
          pick = &o;
          break;
        }
      }
      if (pick == nullptr) pick = &level->second.back();
      const int64_t take = std::min(qty, pick->qty);
      qty -= take;
      Reduce(KeyOf(pick->account, pick->id), take);
    }
    return qty;
  }

  // The aggressive order that replays a visible execution of a resting order on `side`.
  void Ioc(Side side, int64_t price, int64_t qty) {
    const Side taker = Opposite(side);
    Append(NewOrder{.symbol = kSymbol,
                    .account = kTakerAccount,
                    .order_id = OrderId{next_taker_id_++},
                    .side = taker,
                    .type = OrderType::kLimit,
                    .tif = TimeInForce::kIoc,
                    .stp = StpMode::kNone,
                    .price = Price{price},
                    .qty = Qty{qty}});
    // Price-time priority, as docs/matching.md has it: best level first, oldest order first, while
    // the level is within the taker's limit.
    auto& book = Book(side);
    while (qty > 0 && !book.empty()) {
      const auto best = side == Side::kBuy ? std::prev(book.end()) : book.begin();
      if (side == Side::kBuy ? best->first < price : best->first > price) break;
      const int64_t level_price = best->first;
      const auto it = best->second.begin();
      const int64_t fill = std::min(qty, it->qty);
      plan_.fills.push_back(ExpectedFill{it->account, it->id, Qty{fill}});
      qty -= fill;
      it->qty -= fill;
      if (it->qty == 0) EraseFromShadow(side, level_price, it);
    }
  }

  // The top level of `side` emptied and the row shows the next one: `price` and `size`.
  void RevealLevel(Side side, int64_t price, int64_t size) {
    auto& book = Book(side);
    auto better = [&](int64_t p) { return side == Side::kBuy ? p > price : p < price; };
    if (size <= 0) price = side == Side::kBuy ? INT64_MIN : INT64_MAX;  // the side is empty
    while (!book.empty()) {
      const auto best = side == Side::kBuy ? std::prev(book.end()) : book.begin();
      if (!better(best->first)) break;
      ++plan_.counts.stale_cancelled;
      const ShadowOrder front = best->second.front();
      Cancel(KeyOf(front.account, front.id));
    }
    if (size <= 0) return;
    int64_t have = 0;
    if (const auto level = book.find(price); level != book.end()) {
      for (const ShadowOrder& o : level->second) have += o.qty;
    }
    if (have < size) {
      Seed(side, price, size - have);
    } else if (have > size) {
      ++plan_.counts.trimmed;
      TakeFromLevel(side, price, have - size);
    }
  }

  const Sample& sample_;
  Plan plan_;
  Timestamp ts_{0};
  uint64_t next_seq_ = 1;
  uint64_t next_seed_id_ = 1;
  uint64_t next_taker_id_ = 1;
  std::map<int64_t, Level> books_[2];
  absl::flat_hash_map<Key, std::pair<Side, int64_t>> where_;
};

}  // namespace

std::string AmznSampleDir(const std::string& data_dir) {
  return data_dir + "/lobster-amzn-2012-06-21";
}

absl::StatusOr<Sample> LoadAmznSample(const std::string& dir) {
  return LoadSample(dir + "/" + kMessageFile, dir + "/" + kOrderbookFile);
}

absl::StatusOr<Sample> LoadSample(const std::string& message_csv,
                                  const std::string& orderbook_csv) {
  Sample sample;
  std::ifstream messages(message_csv);
  if (!messages) return absl::NotFoundError("cannot open " + message_csv);
  std::string line;
  for (size_t n = 1; std::getline(messages, line); ++n) {
    std::string_view f[6];
    int64_t time = 0, type = 0, id = 0, size = 0, price = 0, direction = 0;
    if (!SplitFields(line, f) || !ParseSecondsAsNanos(f[0], time) || !ParseInt(f[1], type) ||
        !ParseInt(f[2], id) || !ParseInt(f[3], size) || !ParseInt(f[4], price) ||
        !ParseInt(f[5], direction)) {
      return LineError(message_csv, n, "expected time,type,id,size,price,direction");
    }
    if (type < 1 || type > 7 || type == 6) return LineError(message_csv, n, "unknown type");
    if (direction != 1 && direction != -1) return LineError(message_csv, n, "bad direction");
    sample.messages.push_back(Message{Timestamp{time}, static_cast<MessageType>(type),
                                      static_cast<uint64_t>(id), size, price,
                                      direction == 1 ? Side::kBuy : Side::kSell});
  }
  std::ifstream rows(orderbook_csv);
  if (!rows) return absl::NotFoundError("cannot open " + orderbook_csv);
  for (size_t n = 1; std::getline(rows, line); ++n) {
    std::string_view f[4];
    BookRow row;
    if (!SplitFields(line, f) || !ParseInt(f[0], row.ask_price) || !ParseInt(f[1], row.ask_size) ||
        !ParseInt(f[2], row.bid_price) || !ParseInt(f[3], row.bid_size)) {
      return LineError(orderbook_csv, n, "expected ask,ask size,bid,bid size (level 1)");
    }
    sample.rows.push_back(row);
  }
  if (sample.rows.size() != sample.messages.size()) {
    return absl::InvalidArgumentError("message and orderbook files differ in length");
  }
  return sample;
}

Plan Translate(const Sample& sample) { return Translator(sample).Run(); }

SymbolConfig AmznSymbolConfig() {
  SymbolConfig c;
  c.symbol = kSymbol;
  std::memcpy(c.name.data(), "AMZN", 4);
  c.tick_size_nanos = 100'000;  // $0.0001
  c.lot_size_nanos = 1'000'000'000;
  c.min_price = Price{1};
  c.max_price = Price{100'000'000'000};  // $10M: no limit in practice
  c.max_order_qty = Qty{1'000'000'000};
  c.max_position_qty = Qty{1'000'000'000'000};
  return c;
}

}  // namespace cascade::lobster
