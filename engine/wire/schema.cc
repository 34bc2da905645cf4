#include "engine/wire/schema.h"

#include "engine/core/digest.h"
#include "engine/wire/messages_generated.h"

namespace cascade::wire {
namespace internal {
extern const std::string_view kSchemaText;
}  // namespace internal

std::string_view SchemaText() noexcept { return internal::kSchemaText; }

uint64_t SchemaHash() noexcept {
  static const uint64_t hash = [] {
    Digest digest;
    digest.Update(internal::kSchemaText.data(), internal::kSchemaText.size());
    return digest.value();
  }();
  return hash;
}

std::string_view CommandName(size_t index) noexcept {
  const size_t tag = index + 1;
  if (tag > static_cast<size_t>(fb::CommandBody::MAX)) return "?";
  return fb::EnumNamesCommandBody()[tag];
}

std::string_view EventName(size_t index) noexcept {
  const size_t tag = index + 1;
  if (tag > static_cast<size_t>(fb::EventBody::MAX)) return "?";
  return fb::EnumNamesEventBody()[tag];
}

}  // namespace cascade::wire
