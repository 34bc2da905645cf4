#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/command.h"
#include "engine/core/strong_int.h"
#include "engine/core/symbol_config.h"

// Replays a LOBSTER level-1 sample (NASDAQ messages plus the top of book after each one) through
// cascade::Engine. Shared by the real-data test (tests/engine/lobster/lobster_test.cc) and the
// replay-throughput benchmark (perf/lobster_benchmark.cc).
namespace cascade::lobster {

enum class MessageType : uint8_t {
  kSubmit = 1,
  kPartialCancel = 2,
  kDelete = 3,
  kVisibleExecution = 4,
  kHiddenExecution = 5,
  kHalt = 7,
};

struct Message {
  Timestamp time{0};  // ns after midnight
  MessageType type = MessageType::kSubmit;
  uint64_t order_id = 0;
  int64_t size = 0;        // shares
  int64_t price = 0;       // 1/10000 USD
  Side side = Side::kBuy;  // the side of the resting (limit) order the message is about
};

struct BookRow {  // level 1 right after the message of the same index
  int64_t ask_price = 0;
  int64_t ask_size = 0;
  int64_t bid_price = 0;
  int64_t bid_size = 0;
};

struct Sample {
  std::vector<Message> messages;
  std::vector<BookRow> rows;
};

// The AMZN 2012-06-21 sample's files inside `data_dir` (CASCADE_DATA_DIR).
[[nodiscard]] std::string AmznSampleDir(const std::string& data_dir);
// Reads `<dir>/AMZN_2012-06-21_34200000_57600000_{message,orderbook}_1.csv`.
[[nodiscard]] absl::StatusOr<Sample> LoadAmznSample(const std::string& dir);
[[nodiscard]] absl::StatusOr<Sample> LoadSample(const std::string& message_csv,
                                                const std::string& orderbook_csv);

inline constexpr SymbolId kSymbol{1};
inline constexpr AccountId kMakerAccount{1};  // every order the file shows, under its own id
inline constexpr AccountId kSeedAccount{2};  // synthetic orders for liquidity the file never showed
inline constexpr AccountId kTakerAccount{3};  // the aggressive IOCs that replay executions

// AMZN on NASDAQ: tick $0.0001 (LOBSTER's price unit), lot one share, wide price limits, no margin.
[[nodiscard]] SymbolConfig AmznSymbolConfig();

struct ExpectedFill {
  AccountId maker_account{0};
  OrderId maker_order{0};
  Qty qty{0};
};

// The commands one LOBSTER message became.
struct Step {
  uint32_t message = 0;  // index into Sample::messages and Sample::rows
  uint32_t first_command = 0;
  uint32_t end_command = 0;
  // The message emptied a top level (its size equals the level's whole size in the previous row);
  // the step then ends with the commands that make the newly visible level match the row.
  bool empties_top = false;
  // For a visible execution: the index of the aggressive IOC and the fills price-time priority
  // must produce, oldest maker first.
  int64_t ioc_command = -1;
  uint32_t first_fill = 0;
  uint32_t end_fill = 0;
  // The execution names an order the book holds with at least the executed size: the single
  // expected fill is that order.
  bool named_order_known = false;
};

struct Counts {
  size_t messages = 0;  // after the first row, which seeds the book
  size_t submissions = 0;
  size_t cancels = 0;             // partial cancels and deletes
  size_t cancels_of_unknown = 0;  // of liquidity the file never showed: taken from that level
  size_t visible_executions = 0;
  size_t executions_of_known = 0;  // the named order is in the book with enough size
  size_t hidden_executions = 0;
  size_t empties = 0;          // messages that emptied a top level
  size_t compared = 0;         // the others: the engine's top must equal the row
  size_t seeded = 0;           // synthetic orders placed (two for the first row)
  size_t stale_cancelled = 0;  // orders above the level that came into view: deleted unseen
  size_t trimmed = 0;          // levels that came into view smaller than the book's orders there
  size_t requeued = 0;         // orders moved behind the one an execution names
  size_t commands = 0;
};

struct Plan {
  std::vector<Command> commands;
  uint32_t setup_commands = 0;  // configure the symbol and seed the first row
  std::vector<Step> steps;      // one per message after the first
  std::vector<ExpectedFill> fills;
  Counts counts;
};

// Turns a sample into engine commands. The translator keeps its own FIFO copy of every order it
// sends, so it knows what price-time priority will do; the rules are in the .cc.
[[nodiscard]] Plan Translate(const Sample& sample);

}  // namespace cascade::lobster
