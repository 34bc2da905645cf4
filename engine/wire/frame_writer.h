#pragma once

// Internal to cascade_wire: a writer for small size-prefixed frames of scalar-only tables that
// writes exactly the bytes flatbuffers::FlatBufferBuilder (2.x) writes for the same sequence of
// StartTable / AddElement / AddOffset / EndTable / FinishSizePrefixed calls, at a fraction of the
// cost: a fixed buffer with no growth checks, field locations kept by field id instead of in a
// scratch list, vtable dedup against the one earlier vtable of a two-table frame, and the layouts
// that follow from the field order (WriteFirstTable(), FinishWithEnvelope()) computed instead of
// built byte by byte. The encoder uses it for events (every message of a replay has some); tests
// compare it with the builder on every event type (tests/engine/wire/event_frame_test.cc).
//
// The writer must be a local object (its state then lives in registers): the buffer is written
// through uint8_t pointers, which may alias any member of an object the compiler cannot see whole.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "engine/core/assert.h"

namespace cascade::wire::internal {

static_assert(std::endian::native == std::endian::little, "FlatBuffers scalars are little-endian");

class FrameWriter {
 public:
  // Room for the largest event frame (~150 bytes) with slack for the 8-byte zeroing below the head,
  // and past the end for the stores WriteFirstTable() makes there.
  static constexpr uint32_t kCapacity = 512;
  static constexpr uint32_t kSlack = 32;
  using Buffer = std::array<uint8_t, kCapacity + kSlack>;

  explicit FrameWriter(Buffer& buffer) noexcept : end_(buffer.data() + kCapacity) {}

  // Offsets count from the end of the buffer, as the builder's do.
  [[nodiscard]] uint32_t size() const noexcept { return size_; }
  [[nodiscard]] uint8_t* At(uint32_t offset) const noexcept { return end_ - offset; }

  // Align(): pads with zeros so that the next `n`-byte element lands on a multiple of `n`.
  template <uint32_t kAlign>
  void Align() noexcept {
    TrackMinAlign(kAlign);
    if constexpr (kAlign > 1) {
      ZeroBelowHead();
      size_ = (size_ + kAlign - 1) & ~(kAlign - 1);
    }
  }

  // PushElement(): aligned scalar; returns the offset of its first byte.
  template <typename T>
  uint32_t Push(T value) noexcept {
    Align<sizeof(T)>();
    size_ += sizeof(T);
    std::memcpy(At(size_), &value, sizeof(T));
    return size_;
  }

  // fill_big(): `n` bytes the caller then writes in full, without alignment.
  uint8_t* Grow(uint32_t n) noexcept {
    size_ += n;
    return At(size_);
  }

  // Moves the head: back, popping a vtable found to be a duplicate, or past bytes written in place
  // (WriteFirstTable(), FinishWithEnvelope()).
  void SetSize(uint32_t offset) noexcept { size_ = offset; }

  // TrackMinAlign(): the largest scalar written so far, which Finish aligns the whole buffer to.
  void TrackMinAlign(uint32_t n) noexcept { min_align_ = std::max(min_align_, n); }

  // Padding is at most 7 bytes; zeroing 8 below the head is one store.
  void ZeroBelowHead() noexcept { std::memset(At(size_) - 8, 0, 8); }

  // The builder compares each new vtable with every earlier one of the buffer. The writer holds
  // frames of two tables (a body and its envelope), so there is at most one earlier vtable.
  [[nodiscard]] uint32_t earlier_vtable() const noexcept { return earlier_vtable_; }
  void RememberVtable(uint32_t offset) noexcept {
    if (earlier_vtable_ == 0) earlier_vtable_ = offset;
  }

  // FinishSizePrefixed(root, identifier).
  std::span<const uint8_t> FinishSizePrefixed(uint32_t root, std::string_view identifier) noexcept {
    constexpr uint32_t kHeader = 3 * sizeof(uint32_t);  // size prefix, root offset, identifier
    ZeroBelowHead();
    size_ += (0u - (size_ + kHeader)) & (min_align_ - 1);
    size_ += 4;
    std::memcpy(At(size_), identifier.data(), 4);
    Align<sizeof(uint32_t)>();
    (void)Push<uint32_t>(size_ - root + sizeof(uint32_t));
    (void)Push<uint32_t>(size_);
    return {At(size_), size_};
  }

 private:
  uint8_t* end_;
  uint32_t size_ = 0;
  uint32_t min_align_ = 1;
  uint32_t earlier_vtable_ = 0;  // offset of the first table's vtable, 0 before it
};

namespace frame_writer_internal {

inline void Store16(uint8_t* p, uint16_t v) noexcept { std::memcpy(p, &v, sizeof(v)); }
inline uint16_t Load16(const uint8_t* p) noexcept {
  uint16_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

}  // namespace frame_writer_internal

// One table: StartTable() at construction, AddElement() per field, EndTable() in Finish().
// `kSlots` is the number of field ids of the table (its largest id + 1).
template <size_t kSlots>
class TableWriter {
 public:
  explicit TableWriter(FrameWriter& w) noexcept : w_(w), start_(w.size()) {}

  // AddElement(field, value, default): a value equal to the schema default is not written.
  // `kField` is the generated VT_ constant (4 + 2 * id).
  template <uint16_t kField, typename T>
  void Add(T value, T default_value = T{}) noexcept {
    static_assert(kField >= 4 && kField % 2 == 0 && (kField - 4) / 2 < kSlots);
    if (value == default_value) return;
    at_[(kField - 4) / 2] = w_.Push(value);
  }

  // AddOffset(field, offset) for an offset that is never null (a union body).
  template <uint16_t kField>
  void AddOffset(uint32_t offset) noexcept {
    static_assert(kField >= 4 && kField % 2 == 0 && (kField - 4) / 2 < kSlots);
    w_.Align<sizeof(uint32_t)>();
    at_[(kField - 4) / 2] = w_.Push<uint32_t>(w_.size() - offset + sizeof(uint32_t));
  }

  // EndTable(): the table's vtable offset, its vtable (or a pointer to an identical earlier one).
  uint32_t Finish() noexcept {
    using frame_writer_internal::Store16;
    const uint32_t table = w_.Push<int32_t>(0);
    size_t entries = 0;
    for (size_t i = kSlots; i > 0; --i) {
      if (at_[i - 1] != 0) {
        entries = i;
        break;
      }
    }
    const auto vtable_size = static_cast<uint16_t>(4 + 2 * entries);
    uint8_t* vtable = w_.Grow(vtable_size);
    Store16(vtable, vtable_size);
    Store16(vtable + 2, static_cast<uint16_t>(table - start_));
    for (size_t i = 0; i < entries; ++i) {
      Store16(vtable + 4 + 2 * i, static_cast<uint16_t>(at_[i] == 0 ? 0 : table - at_[i]));
    }
    uint32_t used = w_.earlier_vtable();
    if (used != 0 && Same(w_.At(used), vtable)) {
      w_.SetSize(table);  // the builder keeps only the earlier copy
    } else {
      used = w_.size();
      w_.RememberVtable(used);
    }
    const auto to_vtable = static_cast<int32_t>(used) - static_cast<int32_t>(table);
    std::memcpy(w_.At(table), &to_vtable, sizeof(to_vtable));
    return table;
  }

 private:
  // Whether an earlier vtable equals this table's `vtable` (sizes first, as the builder does: the
  // earlier one may be shorter). At most kSlots + 2 words, compared inline.
  static bool Same(const uint8_t* earlier, const uint8_t* vtable) noexcept {
    using frame_writer_internal::Load16;
    const uint16_t size = Load16(vtable);
    if (Load16(earlier) != size) return false;
    bool same = true;
    for (size_t i = 1; i < kSlots + 2; ++i) {
      if (2 * i < size) same &= Load16(earlier + 2 * i) == Load16(vtable + 2 * i);
    }
    return same;
  }

  FrameWriter& w_;
  uint32_t start_;
  std::array<uint32_t, kSlots> at_{};  // offset of each field written, 0 for one left out
};

// One scalar field of a table: its generated VT_ constant (4 + 2 * id), its value and the
// schema default, which the builder leaves out.
template <uint16_t kField, typename T>
struct Field {
  static_assert(std::is_integral_v<T> && kField >= 4 && kField % 2 == 0);
  static constexpr size_t kSlot = (kField - 4) / 2;
  T value;
  T default_value = T{};
};

template <uint16_t kField, typename T>
[[nodiscard]] constexpr Field<kField, T> F(T value, T default_value = T{}) noexcept {
  return {value, default_value};
}

namespace frame_writer_internal {

template <typename... Ts>
constexpr bool NonIncreasing() {
  constexpr size_t kSizes[] = {sizeof(Ts)..., 1};
  for (size_t i = 1; i < sizeof...(Ts); ++i) {
    if (kSizes[i] > kSizes[i - 1]) return false;
  }
  return true;
}

}  // namespace frame_writer_internal

// The first table of a frame (a union body) of scalar fields, added in the builder's order, which
// must be by non-increasing size (as the generated code and encode.cc add them: 8-byte fields
// first). The table then starts at offset 0 with no padding between its fields, so its layout
// follows from which fields are written: it is computed first, then the vtable is written with an
// entry for every slot (those past the last written field land on the table, written next, or in
// the slack past the end of the buffer), then the table. Returns the table's offset, as
// EndTable() does.
template <size_t kSlots, uint16_t... kFields, typename... Ts>
uint32_t WriteFirstTable(FrameWriter& w, const Field<kFields, Ts>&... fields) noexcept {
  using frame_writer_internal::Store16;
  static_assert(frame_writer_internal::NonIncreasing<Ts...>(), "fields by non-increasing size");
  static_assert(((Field<kFields, Ts>::kSlot < kSlots) && ...));
  static_assert(2 * kSlots <= FrameWriter::kSlack);
  CASCADE_DCHECK(w.size() == 0);
  // Each field's offset once written (the builder's FieldLoc::off), or 0 for one left out.
  std::array<uint32_t, kSlots> at{};
  uint32_t size = 0;
  bool wide = false;  // an 8-byte scalar is written
  auto place = [&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    constexpr auto kSize = static_cast<uint32_t>(sizeof(field.value));
    const bool written = field.value != field.default_value;
    size += written ? kSize : 0;
    at[F::kSlot] = written ? size : 0;
    if constexpr (kSize == 8) wide |= written;
  };
  (place(fields), ...);
  uint32_t entries = 0;  // slots up to the last field written
  for (size_t i = 0; i < kSlots; ++i) entries = at[i] != 0 ? static_cast<uint32_t>(i + 1) : entries;
  const uint32_t table = ((size + 3) & ~3u) + 4;
  const auto vtable_size = static_cast<uint16_t>(4 + 2 * entries);
  uint8_t* vtable = w.At(table + vtable_size);
  Store16(vtable, vtable_size);
  Store16(vtable + 2, static_cast<uint16_t>(table));
  for (size_t i = 0; i < kSlots; ++i) {
    Store16(vtable + 4 + 2 * i, static_cast<uint16_t>(at[i] != 0 ? table - at[i] : 0));
  }
  // The table: vtable offset, padding (zeroed with the 4 bytes after the vtable offset; a field
  // written there comes next), fields. A field left out is stored past the end (offset 0).
  const int32_t to_vtable = vtable_size;
  std::memcpy(w.At(table), &to_vtable, sizeof(to_vtable));
  std::memset(w.At(table - 4), 0, 4);
  auto store = [&](const auto& field) {
    using F = std::decay_t<decltype(field)>;
    std::memcpy(w.At(at[F::kSlot]), &field.value, sizeof(field.value));
  };
  (store(fields), ...);
  w.TrackMinAlign(wide ? 8 : 4);
  w.SetSize(table + vtable_size);
  w.RememberVtable(table + vtable_size);
  return table;
}

// Ends a frame whose body is the first table with its envelope: seq (id 0, u64), ts_ns (id 1,
// i64), body_type (id 2, u8) and body (id 3, offset), added as the generated Input and Output
// builders add them (seq, ts_ns, body, body_type), then FinishSizePrefixed(). An envelope with
// both seq and ts written (every engine event) has one layout up to the padding before seq, written
// here directly as 8-byte words; the others go through TableWriter.
inline std::span<const uint8_t> FinishWithEnvelope(FrameWriter& w, uint64_t seq, int64_t ts,
                                                   uint32_t body, uint8_t body_type,
                                                   std::string_view identifier) noexcept {
  const uint32_t start = w.size();  // just past the body's vtable
  const uint32_t padding = (0u - start) & 7;
  // The envelope's vtable: size 12, table size, then the offsets of seq, ts, body_type and body.
  const uint64_t vtable_head =
      12 | uint64_t{28 + padding} << 16 | uint64_t{20} << 32 | uint64_t{12} << 48;
  const uint32_t vtable_tail = 7 | 8 << 16;
  // The body's vtable, which the builder would share if it were identical (no event's is).
  uint64_t earlier_head = 0;
  uint32_t earlier_tail = 0;
  if (const uint32_t earlier = w.earlier_vtable(); earlier != 0) {
    std::memcpy(&earlier_head, w.At(earlier), sizeof(uint16_t));
    if (earlier_head == 12) {  // then 12 bytes to compare
      std::memcpy(&earlier_head, w.At(earlier), sizeof(earlier_head));
      std::memcpy(&earlier_tail, w.At(earlier) + 8, sizeof(earlier_tail));
    }
  }
  const bool shared_vtable = earlier_head == vtable_head && earlier_tail == vtable_tail;
  if (seq == 0 || ts == 0 || body_type == 0 || shared_vtable) [[unlikely]] {
    TableWriter<4> t(w);
    t.Add<4>(seq);
    t.Add<6>(ts);
    t.AddOffset<10>(body);
    t.Add<8>(body_type);
    return w.FinishSizePrefixed(t.Finish(), identifier);
  }
  // From the frame's first byte: size prefix, root offset (24), identifier, 4 bytes of padding,
  // the vtable, the table (vtable offset 12, 3 bytes of padding, body_type, body offset, ts, seq),
  // then the padding that aligned seq.
  const uint32_t fields = start + padding;
  const uint32_t size = fields + 56;
  uint8_t* p = w.At(size);
  auto put = [&p](uint64_t word) {
    std::memcpy(p, &word, sizeof(word));
    p += sizeof(word);
  };
  w.ZeroBelowHead();
  uint32_t id;
  std::memcpy(&id, identifier.data(), sizeof(id));
  const uint32_t to_body = fields + 20 - body;
  put(uint64_t{size - 4} | uint64_t{24} << 32);
  put(id);
  put(vtable_head);
  put(vtable_tail | uint64_t{12} << 32);
  put(uint64_t{body_type} << 24 | uint64_t{to_body} << 32);
  put(static_cast<uint64_t>(ts));
  put(seq);
  w.SetSize(size);
  return {w.At(size), size};
}

}  // namespace cascade::wire::internal
