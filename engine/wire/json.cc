#include "engine/wire/json.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/wire/decode.h"
#include "engine/wire/fb_read.h"
#include "engine/wire/schema.h"
#include "engine/wire/validate.h"
#include "flatbuffers/idl.h"

namespace cascade::wire {
namespace {

constexpr char kInputRoot[] = "Input";
constexpr char kOutputRoot[] = "Output";
constexpr char kSymbolListRoot[] = "SymbolConfigList";
constexpr char kSchemaNamespace[] = "cascade.wire.fb.";

flatbuffers::IDLOptions JsonOptions() {
  flatbuffers::IDLOptions options;
  options.strict_json = true;
  options.indent_step = -1;  // one line per object
  options.size_prefixed = true;
  options.require_explicit_ids = true;
  // A Logon token is bytes from a client; it must still convert, so non-UTF-8 bytes become \x
  // escapes (which the parser reads back). natural_utf8 stays off: in flatbuffers 2.0.8 it also
  // lets control characters out unescaped, which the parser then refuses.
  options.allow_non_utf8 = true;
  return options;
}

// Frames from a stream may start anywhere; FlatBuffers needs them 8-byte aligned.
std::span<const uint8_t> Aligned(std::span<const uint8_t> frame, std::vector<uint64_t>& storage) {
  if (internal::IsAligned(frame)) return frame;
  storage.assign((frame.size() + 7) / 8, 0);
  std::memcpy(storage.data(), frame.data(), frame.size());
  return {reinterpret_cast<const uint8_t*>(storage.data()), frame.size()};
}

absl::Status ParseError(std::string_view what, const std::string& error) {
  return absl::InvalidArgumentError(std::string(what) + ": " + error);
}

}  // namespace

struct JsonCodec::Impl {
  flatbuffers::Parser parser{JsonOptions()};

  // flatbuffers::Parser wants NUL-terminated text; this keeps one buffer for it.
  std::string text;

  absl::Status Parse(std::string_view json, const char* root) {
    if (!parser.SetRootType(root)) return absl::InternalError("schema has no root type");
    text.assign(json);
    if (!parser.ParseJson(text.c_str())) return ParseError("invalid JSON", parser.error_);
    return absl::OkStatus();
  }

  std::span<uint8_t> Parsed() {
    return {parser.builder_.GetBufferPointer(), parser.builder_.GetSize()};
  }

  absl::StatusOr<std::string> Text(std::span<const uint8_t> frame, const char* root) {
    if (!parser.SetRootType(root)) return absl::InternalError("schema has no root type");
    std::string out;
    if (!flatbuffers::GenerateText(parser, frame.data(), &out)) {
      return absl::InvalidArgumentError("frame cannot be shown as JSON");
    }
    return out;
  }

  absl::StatusOr<std::string> Describe(const void* body, std::string_view type) {
    if (body == nullptr) return absl::InvalidArgumentError("frame has no body");
    parser.opts.strict_json = false;
    std::string out;
    const bool ok = flatbuffers::GenerateTextFromTable(parser, body,
                                                       kSchemaNamespace + std::string(type), &out);
    parser.opts.strict_json = true;
    if (!ok) return absl::InvalidArgumentError("frame body cannot be shown");
    return std::string(type) + " " + out;
  }
};

JsonCodec::JsonCodec(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonCodec::~JsonCodec() = default;

absl::StatusOr<std::unique_ptr<JsonCodec>> JsonCodec::Create() {
  auto impl = std::make_unique<Impl>();
  const std::string schema(SchemaText());
  if (!impl->parser.Parse(schema.c_str())) {
    return absl::InternalError("embedded schema: " + impl->parser.error_);
  }
  return std::unique_ptr<JsonCodec>(new JsonCodec(std::move(impl)));
}

absl::StatusOr<Command> JsonCodec::ParseCommand(std::string_view json) {
  if (absl::Status parsed = impl_->Parse(json, kInputRoot); !parsed.ok()) return parsed;
  const fb::Input* input = internal::VerifyInput(impl_->Parsed());
  if (input == nullptr) return absl::InvalidArgumentError("message too large or too deep");
  Command command;
  if (const RejectReason read = internal::ReadInput(*input, command); read != RejectReason::kNone) {
    return absl::InvalidArgumentError("command cannot be represented: " +
                                      std::string(ToString(read)));
  }
  return command;
}

absl::StatusOr<std::vector<uint8_t>> JsonCodec::InputFrameFromJson(std::string_view json) {
  if (absl::Status parsed = impl_->Parse(json, kInputRoot); !parsed.ok()) return parsed;
  const std::span<const uint8_t> frame = impl_->Parsed();
  return std::vector<uint8_t>(frame.begin(), frame.end());
}

absl::StatusOr<Event> JsonCodec::ParseEvent(std::string_view json) {
  if (absl::Status parsed = impl_->Parse(json, kOutputRoot); !parsed.ok()) return parsed;
  // The parser stamps the schema's file identifier on every root; output frames carry their own.
  std::span<uint8_t> frame = impl_->Parsed();
  constexpr size_t kIdentifierAt = 2 * sizeof(flatbuffers::uoffset_t);
  if (frame.size() < kIdentifierAt + kInputIdentifier.size() ||
      std::memcmp(frame.data() + kIdentifierAt, kInputIdentifier.data(), kInputIdentifier.size()) !=
          0) {
    return absl::InternalError("parser produced an unexpected buffer");
  }
  std::memcpy(frame.data() + kIdentifierAt, kOutputIdentifier.data(), kOutputIdentifier.size());
  Event event;
  if (!DecodeEvent(frame, event)) {
    return absl::InvalidArgumentError("event has no body or ids out of range");
  }
  return event;
}

absl::StatusOr<std::vector<SymbolConfig>> JsonCodec::ParseSymbolConfigs(std::string_view json) {
  const size_t first = json.find_first_not_of(" \t\r\n");
  const bool bare_array = first != std::string_view::npos && json[first] == '[';
  const std::string wrapped =
      bare_array ? "{\"symbols\": " + std::string(json) + "}" : std::string();
  if (absl::Status parsed = impl_->Parse(bare_array ? wrapped : json, kSymbolListRoot);
      !parsed.ok()) {
    return parsed;
  }
  const std::span<const uint8_t> buffer = impl_->Parsed();
  flatbuffers::Verifier verifier(buffer.data(), buffer.size());
  if (!verifier.VerifySizePrefixedBuffer<fb::SymbolConfigList>(nullptr)) {
    return absl::InternalError("parser produced an invalid buffer");
  }
  const auto* list = flatbuffers::GetSizePrefixedRoot<fb::SymbolConfigList>(buffer.data());
  std::vector<SymbolConfig> configs;
  if (list->symbols() == nullptr) return configs;
  for (flatbuffers::uoffset_t i = 0; i < list->symbols()->size(); ++i) {
    const fb::ConfigureSymbol* item = list->symbols()->Get(i);
    SymbolConfig config;
    RejectReason reason = internal::ReadConfigureSymbol(*item, config);
    if (reason == RejectReason::kNone) reason = ValidateSymbolConfig(config);
    if (reason != RejectReason::kNone) {
      return absl::InvalidArgumentError(absl::StrCat("symbol config #", i, " (symbol ",
                                                     config.symbol.value(),
                                                     "): ", std::string(ToString(reason))));
    }
    const bool duplicate = std::any_of(configs.begin(), configs.end(), [&](const SymbolConfig& c) {
      return c.symbol == config.symbol;
    });
    if (duplicate) {
      return absl::InvalidArgumentError(
          absl::StrCat("symbol config #", i, ": symbol ", config.symbol.value(), " appears twice"));
    }
    configs.push_back(config);
  }
  return configs;
}

absl::StatusOr<std::string> JsonCodec::InputToJson(std::span<const uint8_t> unaligned) {
  std::vector<uint64_t> storage;
  const std::span<const uint8_t> frame = Aligned(unaligned, storage);
  if (internal::VerifyInput(frame) == nullptr) {
    return absl::InvalidArgumentError("not a valid input frame");
  }
  return impl_->Text(frame, kInputRoot);
}

absl::StatusOr<std::string> JsonCodec::OutputToJson(std::span<const uint8_t> unaligned) {
  std::vector<uint64_t> storage;
  const std::span<const uint8_t> frame = Aligned(unaligned, storage);
  if (internal::VerifyOutput(frame) == nullptr) {
    return absl::InvalidArgumentError("not a valid output frame");
  }
  return impl_->Text(frame, kOutputRoot);
}

absl::StatusOr<std::string> JsonCodec::ToJson(const Command& command) {
  return InputToJson(encoder_.Encode(command));
}

absl::StatusOr<std::string> JsonCodec::ToJson(const Event& event) {
  return OutputToJson(encoder_.Encode(event));
}

absl::StatusOr<std::string> JsonCodec::DescribeInput(std::span<const uint8_t> unaligned) {
  std::vector<uint64_t> storage;
  const std::span<const uint8_t> frame = Aligned(unaligned, storage);
  const fb::Input* input = internal::VerifyInput(frame);
  if (input == nullptr) return absl::InvalidArgumentError("not a valid input frame");
  return impl_->Describe(input->body(), fb::EnumNameCommandBody(input->body_type()));
}

absl::StatusOr<std::string> JsonCodec::DescribeOutput(std::span<const uint8_t> unaligned) {
  std::vector<uint64_t> storage;
  const std::span<const uint8_t> frame = Aligned(unaligned, storage);
  const fb::Output* output = internal::VerifyOutput(frame);
  if (output == nullptr) return absl::InvalidArgumentError("not a valid output frame");
  return impl_->Describe(output->body(), fb::EnumNameEventBody(output->body_type()));
}

}  // namespace cascade::wire
