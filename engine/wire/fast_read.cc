#include "engine/wire/fast_read.h"

#include <cstring>
#include <limits>

#include "engine/wire/messages_generated.h"
#include "engine/wire/schema.h"

namespace cascade::wire::internal {
namespace {

// The frame as flatbuffers::Verifier sees it: offsets from its first byte (the size prefix).
class Frame {
 public:
  explicit Frame(std::span<const uint8_t> frame) noexcept
      : data_(frame.data()), size_(frame.size()) {}

  // Verifier::Verify(elem, len).
  [[nodiscard]] bool InRange(size_t at, size_t len) const noexcept {
    return len < size_ && at <= size_ - len;
  }

  template <typename T>
  [[nodiscard]] T Load(size_t at) const noexcept {
    T value;
    std::memcpy(&value, data_ + at, sizeof(T));
    return value;
  }

  [[nodiscard]] size_t size() const noexcept { return size_; }

  // Verifier::VerifyOffset(at): the offset stored at `at`, 0 if it does not verify.
  [[nodiscard]] size_t Offset(size_t at) const noexcept {
    if (at % sizeof(uint32_t) != 0 || !InRange(at, sizeof(uint32_t))) return 0;
    const auto o = Load<uint32_t>(at);
    if (o == 0 || static_cast<int32_t>(o) < 0 || !InRange(at + o, 1)) return 0;
    return o;
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

// A table that passed Verifier::VerifyTableStart().
class Table {
 public:
  // False when the table at `at` does not verify.
  bool Open(const Frame& f, size_t at) noexcept {
    if (at % sizeof(int32_t) != 0 || !f.InRange(at, sizeof(int32_t))) return false;
    // As the verifier computes it: unsigned, wrapping for a negative vtable offset.
    const size_t vtable = at - static_cast<size_t>(f.Load<int32_t>(at));
    if (vtable % sizeof(uint16_t) != 0 || !f.InRange(vtable, sizeof(uint16_t))) return false;
    const auto vtable_size = f.Load<uint16_t>(vtable);
    if (vtable_size % 2 != 0 || !f.InRange(vtable, vtable_size)) return false;
    at_ = at;
    vtable_ = vtable;
    vtable_size_ = vtable_size;
    return true;
  }

  // Table::GetOptionalFieldOffset().
  [[nodiscard]] uint16_t FieldOffset(const Frame& f, uint16_t field) const noexcept {
    return field < vtable_size_ ? f.Load<uint16_t>(vtable_ + field) : 0;
  }

  // VerifyField<T>(field, sizeof(T)) and GetField<T>(field, default) in one: false when the field
  // does not verify.
  template <typename T>
  [[nodiscard]] bool Read(const Frame& f, uint16_t field, T default_value, T& out) const noexcept {
    const uint16_t o = FieldOffset(f, field);
    if (o == 0) {
      out = default_value;
      return true;
    }
    const size_t at = at_ + o;
    if (at % sizeof(T) != 0 || !f.InRange(at, sizeof(T))) return false;
    out = f.Load<T>(at);
    return true;
  }

  [[nodiscard]] size_t at() const noexcept { return at_; }

 private:
  size_t at_ = 0;
  size_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
};

template <typename Id>
[[nodiscard]] bool FitsId(uint64_t wire) noexcept {
  return wire <= std::numeric_limits<typename Id::rep>::max();
}

// The fields every one of the three bodies starts with: symbol, account, order_id (ids 0-2).
struct OrderIds {
  uint64_t symbol = 0;
  uint64_t account = 0;
  uint64_t order_id = 0;

  bool Read(const Frame& f, const Table& t) noexcept {
    return t.Read<uint64_t>(f, 4, 0, symbol) && t.Read<uint64_t>(f, 6, 0, account) &&
           t.Read<uint64_t>(f, 8, 0, order_id) && FitsId<SymbolId>(symbol) &&
           FitsId<AccountId>(account);
  }
  template <typename Body>
  void Into(Body& o) const noexcept {
    o.symbol = SymbolId(static_cast<SymbolId::rep>(symbol));
    o.account = AccountId(static_cast<AccountId::rep>(account));
    o.order_id = OrderId(order_id);
  }
};
static_assert(fb::NewOrder::VT_SYMBOL == 4 && fb::NewOrder::VT_ACCOUNT == 6 &&
              fb::NewOrder::VT_ORDER_ID == 8);
static_assert(fb::CancelOrder::VT_SYMBOL == 4 && fb::CancelOrder::VT_ACCOUNT == 6 &&
              fb::CancelOrder::VT_ORDER_ID == 8);
static_assert(fb::AmendOrder::VT_SYMBOL == 4 && fb::AmendOrder::VT_ACCOUNT == 6 &&
              fb::AmendOrder::VT_ORDER_ID == 8);

bool ReadNewOrder(const Frame& f, const Table& t, NewOrder& o) noexcept {
  using T = fb::NewOrder;
  OrderIds ids;
  uint8_t side, type, tif, stp, margin, reduce_only;
  int64_t price, stop_price, qty;
  // Every field the generated NewOrder::Verify() checks, in its order.
  if (!ids.Read(f, t) || !t.Read<uint8_t>(f, T::VT_SIDE, 0, side) ||
      !t.Read<uint8_t>(f, T::VT_TYPE, 0, type) || !t.Read<uint8_t>(f, T::VT_TIF, 0, tif) ||
      !t.Read<int64_t>(f, T::VT_PRICE, 0, price) ||
      !t.Read<int64_t>(f, T::VT_STOP_PRICE, 0, stop_price) ||
      !t.Read<int64_t>(f, T::VT_QTY, 0, qty) || !t.Read<uint8_t>(f, T::VT_STP, 0, stp) ||
      !t.Read<uint8_t>(f, T::VT_MARGIN, 0, margin) ||
      !t.Read<uint8_t>(f, T::VT_REDUCE_ONLY, 0, reduce_only)) {
    return false;
  }
  ids.Into(o);
  o.side = static_cast<Side>(side);
  o.type = static_cast<OrderType>(type);
  o.tif = static_cast<TimeInForce>(tif);
  o.stp = static_cast<StpMode>(stp);
  o.margin = static_cast<MarginMode>(margin);
  o.reduce_only = reduce_only != 0;
  o.price = Price(price);
  o.stop_price = Price(stop_price);
  o.qty = Qty(qty);
  return true;
}

bool ReadCancelOrder(const Frame& f, const Table& t, CancelOrder& o) noexcept {
  OrderIds ids;
  if (!ids.Read(f, t)) return false;
  ids.Into(o);
  return true;
}

bool ReadAmendOrder(const Frame& f, const Table& t, AmendOrder& o) noexcept {
  using T = fb::AmendOrder;
  OrderIds ids;
  int64_t price, qty;
  if (!ids.Read(f, t) || !t.Read<int64_t>(f, T::VT_NEW_PRICE, 0, price) ||
      !t.Read<int64_t>(f, T::VT_NEW_QTY, 0, qty)) {
    return false;
  }
  ids.Into(o);
  o.new_price = Price(price);
  o.new_qty = Qty(qty);
  return true;
}

}  // namespace

bool TryReadOrderCommand(std::span<const uint8_t> frame, Command& out) noexcept {
  // VerifyFrame(): bounds, identifier; then Verifier::VerifySizePrefixedBuffer().
  constexpr size_t kIdentifierAt = 2 * sizeof(uint32_t);
  if (reinterpret_cast<uintptr_t>(frame.data()) % 8 != 0 ||
      frame.size() < kIdentifierAt + kInputIdentifier.size() || frame.size() > kMaxMessageBytes ||
      std::memcmp(frame.data() + kIdentifierAt, kInputIdentifier.data(), 4) != 0) {
    return false;
  }
  const Frame f(frame);
  if (f.Load<uint32_t>(0) != f.size() - sizeof(uint32_t)) return false;
  const size_t root = f.Offset(sizeof(uint32_t));
  if (root == 0) return false;
  // Input::Verify(): seq, ts_ns, body_type, the body offset, then the body table.
  using In = fb::Input;
  Table input;
  uint64_t seq;
  int64_t ts;
  uint8_t type;
  if (!input.Open(f, sizeof(uint32_t) + root) || !input.Read<uint64_t>(f, In::VT_SEQ, 0, seq) ||
      !input.Read<int64_t>(f, In::VT_TS_NS, 0, ts) ||
      !input.Read<uint8_t>(f, In::VT_BODY_TYPE, 0, type)) {
    return false;
  }
  const uint16_t body_field = input.FieldOffset(f, In::VT_BODY);
  if (body_field == 0) return false;  // no body: Malformed, the general path says so
  const size_t body_offset = f.Offset(input.at() + body_field);
  if (body_offset == 0) return false;
  Table body;
  if (!body.Open(f, input.at() + body_field + body_offset)) return false;
  switch (static_cast<fb::CommandBody>(type)) {
    case fb::CommandBody::NewOrder: {
      NewOrder o;
      if (!ReadNewOrder(f, body, o)) return false;
      out.body = o;
      break;
    }
    case fb::CommandBody::CancelOrder: {
      CancelOrder o;
      if (!ReadCancelOrder(f, body, o)) return false;
      out.body = o;
      break;
    }
    case fb::CommandBody::AmendOrder: {
      AmendOrder o;
      if (!ReadAmendOrder(f, body, o)) return false;
      out.body = o;
      break;
    }
    default:
      return false;
  }
  out.seq = SeqNo(seq);
  out.ts = Timestamp(ts);
  return true;
}

}  // namespace cascade::wire::internal
