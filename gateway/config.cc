#include "gateway/config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/core/command.h"
#include "engine/wire/json.h"
#include "engine/wire/schema.h"
#include "flatbuffers/idl.h"
#include "gateway/gateway_config_generated.h"

namespace cascade::gateway {
namespace internal {
extern const std::string_view kConfigSchemaText;
}  // namespace internal

namespace {

// The file's top level: GatewayConfig's fields plus the symbols, in one table so that the strict
// parse rejects unknown fields anywhere. The ids of the first fields must stay those of
// GatewayConfig (a test parses the sample config, which uses them all).
constexpr char kFileSchema[] = R"(
namespace cascade.gateway.file;
table File {
  listen: cascade.gateway.fb.Listen (id: 0);
  durability: cascade.gateway.fb.Durability (id: 1);
  limits: cascade.gateway.fb.Limits (id: 2);
  engine: cascade.gateway.fb.EngineLimits (id: 3);
  tokens: [cascade.gateway.fb.Token] (id: 4);
  symbols: [cascade.wire.fb.ConfigureSymbol] (id: 5);
}
root_type File;
)";
constexpr flatbuffers::voffset_t kSymbolsField = 4 + 2 * 5;  // vtable slot of field id 5

absl::Status Invalid(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("gateway config: ", std::string(what)));
}

absl::Status LoadSchemas(flatbuffers::Parser& parser) {
  const std::string wire(wire::SchemaText());
  const std::string gateway(internal::kConfigSchemaText);
  if (!parser.Parse(wire.c_str(), nullptr, "engine/wire/messages.fbs") ||
      !parser.Parse(gateway.c_str(), nullptr, "gateway/gateway_config.fbs") ||
      !parser.Parse(kFileSchema, nullptr, "gateway/config_file.fbs")) {
    return absl::InternalError(absl::StrCat("gateway config schema: ", parser.error_));
  }
  return absl::OkStatus();
}

// Re-emits the parsed symbol list as JSON for the wire codec, which owns the reading and the
// validation of symbol configs.
absl::StatusOr<std::vector<SymbolConfig>> ReadSymbols(flatbuffers::Parser& parser,
                                                      const uint8_t* buffer) {
  parser.opts.strict_json = true;  // quoted keys: the codec parses it as JSON
  const auto* root = flatbuffers::GetRoot<flatbuffers::Table>(buffer);
  const auto* list =
      root->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(
          kSymbolsField);
  if (list == nullptr || list->size() == 0) return std::vector<SymbolConfig>{};
  std::string json = "[";
  for (flatbuffers::uoffset_t i = 0; i < list->size(); ++i) {
    std::string item;
    if (!flatbuffers::GenerateTextFromTable(parser, list->Get(i), "cascade.wire.fb.ConfigureSymbol",
                                            &item)) {
      return Invalid("cannot re-read a symbol");
    }
    if (i > 0) json += ",";
    json += item;
  }
  json += "]";
  absl::StatusOr<std::unique_ptr<wire::JsonCodec>> codec = wire::JsonCodec::Create();
  if (!codec.ok()) return codec.status();
  absl::StatusOr<std::vector<SymbolConfig>> symbols = (*codec)->ParseSymbolConfigs(json);
  if (!symbols.ok()) return Invalid(absl::StrCat("symbols: ", symbols.status().message()));
  return symbols;
}

absl::Status ReadTokens(const fb::GatewayConfig& root, GatewayConfig& out) {
  std::set<std::string> seen;
  if (root.tokens() == nullptr || root.tokens()->size() == 0) return Invalid("no tokens");
  for (const fb::Token* t : *root.tokens()) {
    TokenConfig token;
    token.token = t->token()->str();
    token.name = t->name() != nullptr ? t->name()->str() : "";
    const std::string label = token.name.empty() ? "a token" : absl::StrCat("token ", token.name);
    if (token.token.empty() || token.token.size() > kMaxTokenLength) {
      return Invalid(absl::StrCat(label, ": the token must be 1 to ", kMaxTokenLength, " bytes"));
    }
    if (token.token.find('\0') != std::string::npos) {
      return Invalid(absl::StrCat(label, ": NUL in the token"));
    }
    if (!seen.insert(token.token).second) return Invalid(absl::StrCat(label, ": duplicate token"));
    switch (t->role()) {
      case fb::Role::Trader:
        token.role = Role::kTrader;
        break;
      case fb::Role::Admin:
        token.role = Role::kAdmin;
        break;
      default:
        return Invalid(absl::StrCat(label, ": unknown role"));
    }
    if (t->accounts() != nullptr) {
      for (uint32_t account : *t->accounts()) token.accounts.push_back(AccountId(account));
    }
    std::sort(token.accounts.begin(), token.accounts.end());
    token.accounts.erase(std::unique(token.accounts.begin(), token.accounts.end()),
                         token.accounts.end());
    if (token.role == Role::kTrader && token.accounts.empty()) {
      return Invalid(absl::StrCat(label, ": a trader token needs at least one account"));
    }
    token.self_deposit = t->self_deposit();
    token.opening_deposit_usd = t->opening_deposit_usd();
    token.messages_per_second = t->messages_per_second();
    token.burst = t->burst();
    out.tokens.push_back(std::move(token));
  }
  return absl::OkStatus();
}

absl::Status ReadSettings(const fb::GatewayConfig& root, std::string_view base_dir,
                          GatewayConfig& out) {
  if (const fb::Listen* listen = root.listen()) {
    if (listen->host() != nullptr) out.host = listen->host()->str();
    out.port = listen->port();
  }
  std::string dir = "cascade-data";
  if (const fb::Durability* d = root.durability()) {
    if (d->dir() != nullptr) dir = d->dir()->str();
    switch (d->fsync()) {
      case fb::FsyncPolicy::Never:
        out.fsync = FsyncPolicy::kNever;
        break;
      case fb::FsyncPolicy::Batch:
        out.fsync = FsyncPolicy::kBatch;
        break;
      case fb::FsyncPolicy::Always:
        out.fsync = FsyncPolicy::kAlways;
        break;
      default:
        return Invalid("unknown fsync policy");
    }
    out.snapshot_every_inputs = d->snapshot_every_inputs();
    out.snapshot_every_ms = d->snapshot_every_ms();
    out.snapshots_kept = std::max<uint32_t>(1, d->snapshots_kept());
  }
  if (dir.empty()) return Invalid("empty durability.dir");
  const std::filesystem::path path(dir);
  out.data_dir = path.is_absolute() || base_dir.empty()
                     ? path.string()
                     : (std::filesystem::path(base_dir) / path).string();
  if (const fb::Limits* l = root.limits()) {
    out.max_sessions = l->max_sessions();
    out.max_frame_bytes = l->max_frame_bytes();
    out.max_queued_bytes = l->max_queued_bytes();
    out.messages_per_second = l->messages_per_second();
    out.burst = l->burst();
    out.logon_timeout_ms = l->logon_timeout_ms();
  }
  if (out.max_sessions == 0) return Invalid("limits.max_sessions must be positive");
  // Below 64 bytes not even a logon fits; above the decoder's bound nothing would decode.
  if (out.max_frame_bytes < 64 || out.max_frame_bytes > wire::kMaxMessageBytes) {
    return Invalid(
        absl::StrCat("limits.max_frame_bytes must be in [64, ", wire::kMaxMessageBytes, "]"));
  }
  if (out.max_queued_bytes < 2 * out.max_frame_bytes) {
    return Invalid("limits.max_queued_bytes must hold at least two frames");
  }
  if (out.messages_per_second > 0 && out.burst == 0) {
    return Invalid("limits.burst must be positive when messages_per_second is");
  }
  if (const fb::EngineLimits* e = root.engine()) {
    out.engine.max_symbols = e->max_symbols();
    out.engine.max_orders = e->max_orders();
    out.engine.max_accounts = e->max_accounts();
  }
  if (out.engine.max_symbols == 0 || out.engine.max_orders == 0 || out.engine.max_accounts == 0) {
    return Invalid("engine limits must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GatewayConfig> ParseConfig(std::string_view json, std::string_view base_dir) {
  flatbuffers::IDLOptions options;
  options.require_explicit_ids = true;
  flatbuffers::Parser parser(options);
  if (absl::Status s = LoadSchemas(parser); !s.ok()) return s;

  const std::string text(json);  // the parser wants NUL-terminated text
  if (!parser.SetRootType("cascade.gateway.file.File") || !parser.ParseJson(text.c_str())) {
    return Invalid(parser.error_);
  }
  GatewayConfig out;
  absl::StatusOr<std::vector<SymbolConfig>> symbols =
      ReadSymbols(parser, parser.builder_.GetBufferPointer());
  if (!symbols.ok()) return symbols.status();
  out.symbols = *std::move(symbols);

  // The strict parse above has checked every field; this one only builds GatewayConfig's own
  // buffer for the generated accessors.
  parser.opts.skip_unexpected_fields_in_json = true;
  if (!parser.SetRootType("cascade.gateway.fb.GatewayConfig") || !parser.ParseJson(text.c_str())) {
    return Invalid(parser.error_);
  }
  flatbuffers::Verifier verifier(parser.builder_.GetBufferPointer(), parser.builder_.GetSize());
  if (!fb::VerifyGatewayConfigBuffer(verifier)) return Invalid("internal: buffer did not verify");
  const fb::GatewayConfig& root = *fb::GetGatewayConfig(parser.builder_.GetBufferPointer());
  if (absl::Status s = ReadSettings(root, base_dir, out); !s.ok()) return s;
  if (absl::Status s = ReadTokens(root, out); !s.ok()) return s;
  for (const SymbolConfig& symbol : out.symbols) {
    if (symbol.symbol.value() >= out.engine.max_symbols) {
      return Invalid(absl::StrCat("symbol ", symbol.symbol.value(), " >= engine.max_symbols"));
    }
  }
  return out;
}

absl::StatusOr<GatewayConfig> LoadConfig(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  const std::string base = std::filesystem::path(path).parent_path().string();
  absl::StatusOr<GatewayConfig> config = ParseConfig(text.str(), base);
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

std::string_view ToString(FsyncPolicy policy) noexcept {
  switch (policy) {
    case FsyncPolicy::kNever:
      return "never";
    case FsyncPolicy::kBatch:
      return "batch";
    case FsyncPolicy::kAlways:
      return "always";
  }
  return "?";
}

}  // namespace cascade::gateway
