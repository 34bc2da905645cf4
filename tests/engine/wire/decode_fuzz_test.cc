// Bounded random-mutation test of the decoder: the GoogleTest stand-in for the libFuzzer target
// (tools/fuzz), so every build runs it. Mutated and truncated frames must never crash (ASan/UBSan
// builds watch memory), and each must come out either rejected with a 1xx reason or as a command
// that is valid and survives its own round trip.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/fast_read.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "engine/wire/validate.h"
#include "tests/engine/wire/field_dump.h"

namespace cascade::wire {
namespace {

using Bytes = std::vector<uint8_t>;

uint64_t Iterations() {
  const char* env = std::getenv("CASCADE_FUZZ_ITERATIONS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

// splitmix64: portable and seeded, so a failure reproduces on any machine.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

void StoreU32(Bytes& b, size_t at, uint32_t v) {
  if (at + 4 <= b.size()) std::memcpy(b.data() + at, &v, sizeof(v));
}

void Mutate(Bytes& frame, Rng& rng) {
  static constexpr uint32_t kInteresting[] = {
      0,      1,          2,          4,          8,          0x7f,    0x80,  0xff,
      0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff8, 0x10000, 0x100, 0x20};
  const size_t edits = 1 + rng.Below(4);
  for (size_t e = 0; e < edits && !frame.empty(); ++e) {
    const size_t at = rng.Below(frame.size());
    switch (rng.Below(7)) {
      case 0:
        frame[at] ^= static_cast<uint8_t>(1u << rng.Below(8));
        break;
      case 1:
        frame[at] = static_cast<uint8_t>(rng.Next());
        break;
      case 2:
        frame[at] = static_cast<uint8_t>(kInteresting[rng.Below(16)]);
        break;
      case 3:  // offsets and lengths are u32 at 4-byte boundaries
        StoreU32(frame, at & ~size_t{3}, kInteresting[rng.Below(16)]);
        break;
      case 4:
        frame.resize(rng.Below(frame.size() + 1));
        break;
      case 5:
        for (size_t i = rng.Below(16) + 1; i > 0; --i)
          frame.push_back(static_cast<uint8_t>(rng.Next()));
        break;
      case 6: {  // copy a chunk over another place: plausible offsets in odd spots
        const size_t from = rng.Below(frame.size());
        const size_t n = std::min(rng.Below(16) + 1, frame.size() - std::max(from, at));
        std::memmove(frame.data() + at, frame.data() + from, n);
        break;
      }
    }
  }
  // Mostly keep the size prefix consistent, or nearly every frame dies at the first check.
  if (frame.size() >= 4 && rng.Below(8) != 0) {
    StoreU32(frame, 0, static_cast<uint32_t>(frame.size() - 4));
  }
}

bool IsDecodeReason(RejectReason r) {
  const auto v = static_cast<uint16_t>(r);
  return v >= 100 && v < 200;
}

TEST(DecodeFuzzTest, MutatedFramesAreRejectedOrValid) {
  std::vector<Bytes> seeds;
  Encoder seed_encoder;
  for (const Command& c : SampleCommands()) {
    const std::span<const uint8_t> f = seed_encoder.Encode(c);
    seeds.emplace_back(f.begin(), f.end());
  }
  const uint64_t iterations = Iterations();
  Rng rng(20251010);
  Encoder encoder;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  Bytes frame;
  Bytes reencoded;
  for (uint64_t i = 0; i < iterations; ++i) {
    const Bytes& seed = seeds[rng.Below(seeds.size())];
    frame.assign(seed.begin(), seed.end());
    Mutate(frame, rng);
    Command command;
    const RejectReason reason = Decode(frame, command);
    if (reason != RejectReason::kNone) {
      ASSERT_TRUE(IsDecodeReason(reason)) << "iteration " << i << ": " << ToString(reason);
      ++rejected;
      continue;
    }
    ++accepted;
    // Accepted means usable: valid, and stable through its own encoding.
    ASSERT_EQ(Validate(command), RejectReason::kNone) << "iteration " << i;
    const std::span<const uint8_t> again = encoder.Encode(command);
    reencoded.assign(again.begin(), again.end());
    Command round_trip;
    ASSERT_EQ(Decode(reencoded, round_trip), RejectReason::kNone) << "iteration " << i;
    ASSERT_EQ(testing::DumpFields(round_trip), testing::DumpFields(command)) << "iteration " << i;
  }
  EXPECT_EQ(accepted + rejected, iterations);
  // Both outcomes must actually occur, or the mutations are not exercising the decoder.
  if (iterations >= 10'000) {
    EXPECT_GT(accepted, iterations / 100);
    EXPECT_GT(rejected, iterations / 100);
  }
  std::printf("mutated frames: %llu accepted, %llu rejected\n",
              static_cast<unsigned long long>(accepted), static_cast<unsigned long long>(rejected));
}

// Read() takes a fast path for NewOrder, CancelOrder and AmendOrder (engine/wire/fast_read.h);
// the general path (verification, then reading) defines the answer. Both must agree on every
// frame: the same reason and the same command, from the same previous contents of `out`.
TEST(DecodeFuzzTest, FastPathAgreesWithTheGeneralPath) {
  std::vector<Bytes> seeds;
  Encoder seed_encoder;
  std::vector<Command> commands = SampleCommands();
  commands.push_back(Command{SeqNo(1), Timestamp(1), NewOrder{}});  // every field left out
  commands.push_back(Command{SeqNo(0), Timestamp(0), CancelOrder{}});
  commands.push_back(Command{SeqNo(9), Timestamp(0), AmendOrder{}});
  for (const Command& c : commands) {
    const std::span<const uint8_t> f = seed_encoder.Encode(c);
    seeds.emplace_back(f.begin(), f.end());
  }
  const uint64_t iterations = Iterations();
  Rng rng(20261206);
  uint64_t fast = 0;
  Bytes frame;
  for (uint64_t i = 0; i < iterations; ++i) {
    const Bytes& seed = seeds[rng.Below(seeds.size())];
    frame.assign(seed.begin(), seed.end());
    if (rng.Below(8) != 0) Mutate(frame, rng);  // the unmutated seeds too, now and then
    const Command before = commands[rng.Below(commands.size())];
    Command a = before;
    Command b = before;
    Command probe = before;
    if (internal::TryReadOrderCommand(frame, probe)) ++fast;
    const RejectReason general = internal::ReadGeneral(frame, b);
    ASSERT_EQ(Read(frame, a), general) << "iteration " << i;
    ASSERT_EQ(testing::DumpFields(a), testing::DumpFields(b)) << "iteration " << i;
    Command c = before;
    const RejectReason decoded = Decode(frame, c);
    ASSERT_EQ(decoded, general == RejectReason::kNone ? Validate(b) : general) << "iteration " << i;
  }
  // The fast path must actually be taken, or this compares the general path with itself.
  if (iterations >= 10'000) {
    EXPECT_GT(fast, iterations / 10);
  }
  std::printf("frames read by the fast path: %llu of %llu\n", static_cast<unsigned long long>(fast),
              static_cast<unsigned long long>(iterations));
}

// Every prefix of every sample frame, with the size prefix both left alone and rewritten.
TEST(DecodeFuzzTest, EveryTruncationIsRejected) {
  Encoder encoder;
  for (const Command& c : SampleCommands()) {
    const std::span<const uint8_t> full = encoder.Encode(c);
    for (size_t n = 0; n < full.size(); ++n) {
      Bytes cut(full.begin(), full.begin() + static_cast<long>(n));
      Command out;
      EXPECT_EQ(Decode(cut, out), RejectReason::kMalformed) << n;
      if (n >= 4) {
        StoreU32(cut, 0, static_cast<uint32_t>(n - 4));
        const RejectReason r = Decode(cut, out);
        EXPECT_TRUE(IsDecodeReason(r)) << n << " " << ToString(r);
      }
    }
  }
}

// A decoder holds no state: the same bytes always give the same answer, before and after
// hostile input.
TEST(DecodeFuzzTest, DecodingIsPure) {
  Encoder encoder;
  const std::span<const uint8_t> encoded = encoder.Encode(SampleCommands()[4]);
  const Bytes good(encoded.begin(), encoded.end());
  Command first;
  ASSERT_EQ(Decode(good, first), RejectReason::kNone);
  Rng rng(7);
  for (int i = 0; i < 10'000; ++i) {
    Bytes bad = good;
    Mutate(bad, rng);
    Command ignored;
    (void)Decode(bad, ignored);
  }
  Command second;
  ASSERT_EQ(Decode(good, second), RejectReason::kNone);
  EXPECT_EQ(testing::DumpFields(second), testing::DumpFields(first));
}

}  // namespace
}  // namespace cascade::wire
