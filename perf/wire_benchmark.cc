// BM_Wire_*: the wire codec and the journal. Decode (verify + read + validate) per command type,
// encode per event type, JSON conversion, journal write with each sync policy and journal read.
// Targets (issue 4): decode of a NewOrder under 60 ns; journal read at least 5M frames/s.
// Journal files go to $TMPDIR (default /tmp).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "engine/journal/reader.h"
#include "engine/journal/writer.h"
#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/json.h"
#include "engine/wire/samples.h"
#include "engine/wire/schema.h"
#include "perf/alloc_counter.h"

namespace cascade::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Frame(const Command& command) {
  Encoder encoder;
  const std::span<const uint8_t> frame = encoder.Encode(command);
  return Bytes(frame.begin(), frame.end());
}

std::string TempJournal(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/cascade_wire_benchmark_" + name;
}

void ReportAllocations(benchmark::State& state, const alloc_counter::Scope& scope) {
  state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(scope.allocations()),
                                                   benchmark::Counter::kAvgIterations);
}

// Arg: index in CommandBody.
void BM_Wire_Decode(benchmark::State& state) {
  const Command& sample = SampleCommands()[static_cast<size_t>(state.range(0))];
  const Bytes frame = Frame(sample);
  state.SetLabel(std::string(CommandName(sample.body.index())));
  Command out;
  const alloc_counter::Scope allocations;
  for (auto _ : state) {
    RejectReason r = Decode(frame, out);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out);
  }
  ReportAllocations(state, allocations);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}
BENCHMARK(BM_Wire_Decode)->DenseRange(0, std::variant_size_v<CommandBody> - 1);

// A stream of distinct NewOrder frames, as a gateway sees them: the branch predictor and cache
// cannot learn one message.
void BM_Wire_DecodeNewOrderStream(benchmark::State& state) {
  std::vector<Bytes> frames;
  Command command = SampleCommands()[0];
  for (uint64_t i = 0; i < 4096; ++i) {
    auto& order = std::get<NewOrder>(command.body);
    order.order_id = OrderId(i * 7919);
    order.price = Price(1'000'000 + static_cast<int64_t>(i % 113));
    order.qty = Qty(1 + static_cast<int64_t>(i % 29));
    order.side = i % 2 == 0 ? Side::kBuy : Side::kSell;
    order.type = i % 5 == 0 ? OrderType::kMarket : OrderType::kLimit;
    order.tif = static_cast<TimeInForce>(i % 3);
    command.seq = SeqNo(i + 1);
    frames.push_back(Frame(command));
  }
  Command out;
  size_t i = 0;
  for (auto _ : state) {
    RejectReason r = Decode(frames[i++ & 4095], out);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wire_DecodeNewOrderStream);

// Arg: index in CommandBody.
void BM_Wire_EncodeCommand(benchmark::State& state) {
  const Command sample = SampleCommands()[static_cast<size_t>(state.range(0))];
  state.SetLabel(std::string(CommandName(sample.body.index())));
  Encoder encoder;
  (void)encoder.Encode(sample);  // warm: the builder has grown to this message
  const alloc_counter::Scope allocations;
  for (auto _ : state) {
    std::span<const uint8_t> frame = encoder.Encode(sample);
    benchmark::DoNotOptimize(frame);
  }
  ReportAllocations(state, allocations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wire_EncodeCommand)->DenseRange(0, std::variant_size_v<CommandBody> - 1);

// Arg: index in EventBody.
void BM_Wire_EncodeEvent(benchmark::State& state) {
  const Event sample = SampleEvents()[static_cast<size_t>(state.range(0))];
  state.SetLabel(std::string(EventName(sample.body.index())));
  Encoder encoder;
  (void)encoder.Encode(sample);  // warm: the builder has grown to this message
  const alloc_counter::Scope allocations;
  for (auto _ : state) {
    std::span<const uint8_t> frame = encoder.Encode(sample);
    benchmark::DoNotOptimize(frame);
  }
  ReportAllocations(state, allocations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wire_EncodeEvent)->DenseRange(0, std::variant_size_v<EventBody> - 1);

void BM_Wire_DecodeEvent(benchmark::State& state) {
  Encoder encoder;
  const std::span<const uint8_t> encoded = encoder.Encode(SampleEvents()[4]);  // Trade
  const Bytes frame(encoded.begin(), encoded.end());
  Event out;
  for (auto _ : state) {
    bool ok = DecodeEvent(frame, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wire_DecodeEvent);

// Arg 0: NewOrder, 4: ConfigureSymbol (the largest message).
void BM_Wire_JsonToCommand(benchmark::State& state) {
  std::unique_ptr<JsonCodec> codec = *JsonCodec::Create();
  const std::string json = *codec->ToJson(SampleCommands()[static_cast<size_t>(state.range(0))]);
  for (auto _ : state) {
    absl::StatusOr<Command> command = codec->ParseCommand(json);
    benchmark::DoNotOptimize(command);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_Wire_JsonToCommand)->Arg(0)->Arg(4);

void BM_Wire_CommandToJson(benchmark::State& state) {
  std::unique_ptr<JsonCodec> codec = *JsonCodec::Create();
  const Bytes frame = Frame(SampleCommands()[static_cast<size_t>(state.range(0))]);
  for (auto _ : state) {
    absl::StatusOr<std::string> json = codec->InputToJson(frame);
    benchmark::DoNotOptimize(json);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wire_CommandToJson)->Arg(0)->Arg(4);

// Arg: the sync policy (0 every frame, 1 every 256 frames, 2 never). Frames: NewOrder, 152 bytes
// on disk.
void BM_Wire_JournalWrite(benchmark::State& state) {
  const auto policy = static_cast<journal::SyncPolicy>(state.range(0));
  constexpr const char* kNames[] = {"fsync every frame", "fsync every 256", "no fsync"};
  state.SetLabel(kNames[state.range(0)]);
  const std::string path = TempJournal("write");
  journal::WriterOptions options;
  options.sync = policy;
  options.batch_frames = 256;
  options.overwrite = true;
  absl::StatusOr<journal::JournalWriter> writer = journal::JournalWriter::Create(path, options);
  if (!writer.ok()) {
    state.SkipWithError(std::string(writer.status().message()).c_str());
    return;
  }
  const Bytes frame = Frame(SampleCommands()[0]);
  for (auto _ : state) {
    if (!writer->Append(frame).ok()) {
      state.SkipWithError("append failed");
      break;
    }
  }
  if (!writer->Close().ok()) state.SkipWithError("close failed");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(journal::FrameBytes(frame.size())));
  std::remove(path.c_str());
}
BENCHMARK(BM_Wire_JournalWrite)->Arg(0)->Iterations(2'000)->UseRealTime();
BENCHMARK(BM_Wire_JournalWrite)->Arg(1)->UseRealTime();
BENCHMARK(BM_Wire_JournalWrite)->Arg(2)->UseRealTime();

// One journal of 1M NewOrder-sized frames, written once.
const std::string& ReadJournal() {
  static const std::string path = [] {
    const std::string p = TempJournal("read");
    journal::WriterOptions options;
    options.sync = journal::SyncPolicy::kNever;
    options.overwrite = true;
    absl::StatusOr<journal::JournalWriter> writer = journal::JournalWriter::Create(p, options);
    Command command = SampleCommands()[0];
    Encoder encoder;
    for (uint64_t i = 0; i < 1'000'000; ++i) {
      command.seq = SeqNo(i + 1);
      std::get<NewOrder>(command.body).order_id = OrderId(i);
      (void)writer->Append(encoder.Encode(command));
    }
    (void)writer->Close();
    std::atexit([] { std::remove(TempJournal("read").c_str()); });
    return p;
  }();
  return path;
}

// Arg 1: also decode every frame (what a replay does).
void BM_Wire_JournalRead(benchmark::State& state) {
  const bool decode = state.range(0) != 0;
  state.SetLabel(decode ? "read + decode" : "read (length, CRC, padding)");
  const std::string& path = ReadJournal();
  uint64_t frames = 0;
  uint64_t bytes = 0;
  Command out;
  for (auto _ : state) {
    absl::StatusOr<journal::JournalReader> reader = journal::JournalReader::Open(path);
    journal::Frame frame;
    while (reader->Next(frame)) {
      if (decode) {
        RejectReason r = Decode(frame.payload, out);
        benchmark::DoNotOptimize(r);
      }
      ++frames;
    }
    bytes += reader->file_size();
    if (reader->problem().has_value()) state.SkipWithError("journal damaged");
  }
  state.SetItemsProcessed(static_cast<int64_t>(frames));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Wire_JournalRead)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace cascade::wire
