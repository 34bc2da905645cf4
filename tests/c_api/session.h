#pragma once

// Helpers shared by the C API tests: a C API engine and the C++ Engine side by side, fed the same
// inputs, so that every test can compare what the C boundary gives with what the engine gives.
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <vector>

#include "engine/c_api.h"
#include "engine/core/command.h"
#include "engine/engine.h"
#include "engine/wire/encode.h"
#include "engine/wire/samples.h"

namespace cascade::c_api_test {

// Small pools: tests create many engines, also under ASan.
inline cascade_config SmallConfig() {
  cascade_config config;
  cascade_config_init(&config);
  config.max_orders = 1 << 12;
  config.max_accounts = 1 << 8;
  config.max_buckets = 1 << 9;
  config.max_positions = 1 << 10;
  config.event_buffer_reserve = 1 << 10;
  return config;
}

inline EngineConfig SmallEngineConfig() {
  const cascade_config c = SmallConfig();
  return {c.max_symbols, c.max_orders,    c.max_accounts,
          c.max_buckets, c.max_positions, c.event_buffer_reserve};
}

// The current events of a handle as output frames (size query, then read).
inline std::vector<uint8_t> ReadEvents(cascade_engine* engine) {
  size_t size = 0;
  const cascade_status s = cascade_events_read(engine, nullptr, 0, &size);
  EXPECT_TRUE(s == CASCADE_OK || s == CASCADE_E_BUFFER_TOO_SMALL) << cascade_last_error(engine);
  std::vector<uint8_t> bytes(size);
  EXPECT_EQ(cascade_events_read(engine, bytes.data(), bytes.size(), &size), CASCADE_OK);
  return bytes;
}

inline std::vector<uint8_t> Encode(std::span<const Event> events, wire::Encoder& encoder) {
  std::vector<uint8_t> bytes;
  for (const Event& e : events) {
    std::span<const uint8_t> frame = encoder.Encode(e);
    bytes.insert(bytes.end(), frame.begin(), frame.end());
  }
  return bytes;
}

inline uint64_t Digest(const cascade_engine* engine) {
  uint64_t digest = 0;
  EXPECT_EQ(cascade_state_digest(engine, &digest), CASCADE_OK);
  return digest;
}

// A C API engine and a C++ reference engine in lockstep.
class Session {
 public:
  Session() : reference_(SmallEngineConfig()) {
    const cascade_config config = SmallConfig();
    EXPECT_EQ(cascade_create(&config, &engine_), CASCADE_OK);
  }
  ~Session() { cascade_destroy(engine_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  cascade_engine* engine() { return engine_; }
  Engine& reference() { return reference_; }

  // Submits `command` as a frame to the C API and applies it to the reference; expects the same
  // output frames from both and returns the reference's events.
  std::span<const Event> Frame(const Command& command) {
    std::span<const uint8_t> frame = encoder_.Encode(command);
    const std::vector<uint8_t> input(frame.begin(), frame.end());
    size_t count = 0;
    EXPECT_EQ(cascade_submit_frame(engine_, input.data(), input.size(), &count), CASCADE_OK)
        << cascade_last_error(engine_);
    return Compare(reference_.Apply(command), count);
  }

  // The same through the plain-struct fast path; `command` is what the struct stands for.
  template <typename In, typename Submit>
  std::span<const Event> Plain(const In& plain, Submit submit, const Command& command) {
    size_t count = 0;
    EXPECT_EQ(submit(engine_, &plain, &count), CASCADE_OK) << cascade_last_error(engine_);
    return Compare(reference_.Apply(command), count);
  }

  std::span<const Event> Compare(std::span<const Event> expected, size_t count) {
    EXPECT_EQ(count, expected.size());
    EXPECT_EQ(ReadEvents(engine_), Encode(expected, encoder_));
    EXPECT_EQ(Digest(engine_), reference_.StateDigest());
    return expected;
  }

 private:
  cascade_engine* engine_ = nullptr;
  Engine reference_;
  wire::Encoder encoder_;
};

// A GTC limit order on symbol 1.
inline NewOrder Limit(uint32_t account, uint64_t id, Side side, int64_t price, int64_t qty) {
  NewOrder o;
  o.symbol = SymbolId(1);
  o.account = AccountId(account);
  o.order_id = OrderId(id);
  o.side = side;
  o.price = Price(price);
  o.qty = Qty(qty);
  return o;
}

inline Command Configure(uint64_t seq, const SymbolConfig& config) {
  return {SeqNo(seq), Timestamp(0), ConfigureSymbol{config}};
}

inline Command DepositOf(uint64_t seq, uint32_t account, int64_t amount) {
  Deposit d;
  d.account = AccountId(account);
  d.amount = Atoms(amount);
  return {SeqNo(seq), Timestamp(0), d};
}

}  // namespace cascade::c_api_test
