// libFuzzer target for the wire decoder: any bytes must decode to a valid command that survives
// its own round trip, or be rejected with a 1xx reason; output frames likewise must decode or be
// refused. The fast paths are held to their definitions: Decode() must give what the general
// reader and Validate() give (reason and command), and the event frame writer the bytes of
// FlatBufferBuilder. `-seeds=DIR` writes the sample frames (one file per command and event) to DIR
// as a starting corpus and exits.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine/wire/decode.h"
#include "engine/wire/encode.h"
#include "engine/wire/encode_reference.h"
#include "engine/wire/fast_read.h"
#include "engine/wire/samples.h"
#include "engine/wire/validate.h"

namespace {

void WriteSeed(const std::string& dir, const std::string& name, std::span<const uint8_t> bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void WriteSeeds(const std::string& dir) {
  cascade::wire::Encoder encoder;
  int n = 0;
  for (const cascade::Command& c : cascade::wire::SampleCommands()) {
    WriteSeed(dir, "command-" + std::to_string(n++), encoder.Encode(c));
  }
  n = 0;
  for (const cascade::Event& e : cascade::wire::SampleEvents()) {
    WriteSeed(dir, "event-" + std::to_string(n++), encoder.Encode(e));
  }
  std::fprintf(stderr, "wrote seeds to %s\n", dir.c_str());
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "decode_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp((*argv)[i], "-seeds=", 7) == 0) {
      WriteSeeds((*argv)[i] + 7);
      std::exit(0);
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static cascade::wire::Encoder encoder;
  const std::span<const uint8_t> frame(data, size);

  cascade::Command command;
  const cascade::RejectReason reason = cascade::wire::Decode(frame, command);
  cascade::Command general;
  cascade::RejectReason general_reason = cascade::wire::internal::ReadGeneral(frame, general);
  if (general_reason == cascade::RejectReason::kNone) {
    general_reason = cascade::wire::Validate(general);
  }
  Check(reason == general_reason, "fast path's reason differs from the general path's");
  if (reason ==
      cascade::RejectReason::kNone) {  // the encoding is canonical: same bytes, same value
    const std::span<const uint8_t> fast_bytes = encoder.Encode(command);
    const std::vector<uint8_t> fast_copy(fast_bytes.begin(), fast_bytes.end());
    const std::span<const uint8_t> general_bytes = encoder.Encode(general);
    Check(std::vector<uint8_t>(general_bytes.begin(), general_bytes.end()) == fast_copy,
          "fast path's command differs from the general path's");
  }
  if (reason == cascade::RejectReason::kNone) {
    Check(cascade::wire::Validate(command) == cascade::RejectReason::kNone, "accepted invalid");
    const std::span<const uint8_t> again = encoder.Encode(command);
    const std::vector<uint8_t> copy(again.begin(), again.end());
    cascade::Command round_trip;
    Check(cascade::wire::Decode(copy, round_trip) == cascade::RejectReason::kNone,
          "re-encoded command rejected");
    const std::span<const uint8_t> third = encoder.Encode(round_trip);
    Check(std::vector<uint8_t>(third.begin(), third.end()) == copy, "encoding not stable");
  } else {
    const auto code = static_cast<uint16_t>(reason);
    Check(code >= 100 && code < 200, "reject reason outside the 1xx band");
  }

  cascade::Event event;
  if (cascade::wire::DecodeEvent(frame, event)) {
    const std::span<const uint8_t> again = encoder.Encode(event);
    const std::vector<uint8_t> copy(again.begin(), again.end());
    Check(copy == cascade::wire::internal::EncodeEventWithBuilder(event),
          "event frame writer differs from FlatBufferBuilder");
    cascade::Event round_trip;
    Check(cascade::wire::DecodeEvent(copy, round_trip), "re-encoded event refused");
  }
  return 0;
}
