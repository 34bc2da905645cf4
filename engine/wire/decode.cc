#include "engine/wire/decode.h"

#include <type_traits>
#include <variant>

#include "engine/wire/fast_read.h"
#include "engine/wire/fb_read.h"
#include "engine/wire/validate.h"

namespace cascade::wire {

namespace internal {

RejectReason ReadGeneral(std::span<const uint8_t> frame, Command& out) noexcept {
  if (!IsAligned(frame)) {
    return WithAlignedCopy(frame, [&out](auto copy) { return ReadGeneral(copy, out); });
  }
  const fb::Input* input = VerifyInput(frame);
  if (input == nullptr) return RejectReason::kMalformed;
  return ReadInput(*input, out);
}

}  // namespace internal

RejectReason Read(std::span<const uint8_t> frame, Command& out) noexcept {
  if (internal::TryReadOrderCommand(frame, out)) [[likely]] {
    return RejectReason::kNone;
  }
  return internal::ReadGeneral(frame, out);
}

RejectReason Decode(std::span<const uint8_t> frame, Command& out) noexcept {
  const RejectReason read = Read(frame, out);
  if (read != RejectReason::kNone) return read;
  return Validate(out);
}

bool DecodeEvent(std::span<const uint8_t> frame, Event& out) noexcept {
  if (!internal::IsAligned(frame)) {
    return internal::WithAlignedCopy(frame, [&out](auto copy) { return DecodeEvent(copy, out); });
  }
  const fb::Output* output = internal::VerifyOutput(frame);
  return output != nullptr && internal::ReadOutput(*output, out);
}

std::optional<size_t> InputKind(std::span<const uint8_t> frame) noexcept {
  if (!internal::IsAligned(frame)) return internal::WithAlignedCopy(frame, InputKind);
  const fb::Input* input = internal::VerifyInput(frame);
  if (input == nullptr || input->body_type() == fb::CommandBody::NONE) return std::nullopt;
  return static_cast<size_t>(input->body_type()) - 1;
}

std::optional<size_t> OutputKind(std::span<const uint8_t> frame) noexcept {
  if (!internal::IsAligned(frame)) return internal::WithAlignedCopy(frame, OutputKind);
  const fb::Output* output = internal::VerifyOutput(frame);
  if (output == nullptr || output->body_type() == fb::EventBody::NONE) return std::nullopt;
  return static_cast<size_t>(output->body_type()) - 1;
}

CommandRejected RejectionOf(const Command& command, RejectReason reason) noexcept {
  CommandRejected rejected;
  rejected.command = static_cast<CommandKind>(command.body.index());
  rejected.reason = reason;
  std::visit(
      [&rejected](const auto& body) {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (requires { body.symbol; }) rejected.symbol = body.symbol;
        if constexpr (std::is_same_v<Body, ConfigureSymbol>) rejected.symbol = body.config.symbol;
        if constexpr (requires { body.account; }) rejected.account = body.account;
        if constexpr (requires { body.order_id; }) rejected.order_id = body.order_id;
      },
      command.body);
  return rejected;
}

}  // namespace cascade::wire
