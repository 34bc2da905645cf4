#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace cascade {

// Which of 4,096 slots are occupied, with a summary word over the 64 words so that the first
// occupied slot at or after any position is two count-trailing-zeros away: the book window uses it
// to find the next best price without walking a tree.
class LevelBitmap {
 public:
  static constexpr size_t kWordBits = 64;
  static constexpr size_t kSlots = kWordBits * kWordBits;
  static constexpr size_t kNone = kSlots;

  void Set(size_t slot) noexcept {
    const size_t w = slot / kWordBits;
    words_[w] |= Bit(slot % kWordBits);
    summary_ |= Bit(w);
  }
  void Clear(size_t slot) noexcept {
    const size_t w = slot / kWordBits;
    words_[w] &= ~Bit(slot % kWordBits);
    if (words_[w] == 0) summary_ &= ~Bit(w);
  }
  void ClearAll() noexcept {
    words_.fill(0);
    summary_ = 0;
  }
  [[nodiscard]] bool empty() const noexcept { return summary_ == 0; }

  // The first occupied slot at or after `from`, or kNone.
  [[nodiscard]] size_t FirstAtOrAfter(size_t from) const noexcept {
    if (from >= kSlots) return kNone;
    size_t w = from / kWordBits;
    const uint64_t rest = words_[w] & (~uint64_t{0} << (from % kWordBits));
    if (rest != 0) return w * kWordBits + static_cast<size_t>(std::countr_zero(rest));
    if (++w == kWordBits) return kNone;
    const uint64_t later = summary_ & (~uint64_t{0} << w);
    if (later == 0) return kNone;
    w = static_cast<size_t>(std::countr_zero(later));
    return w * kWordBits + static_cast<size_t>(std::countr_zero(words_[w]));
  }
  [[nodiscard]] size_t First() const noexcept { return FirstAtOrAfter(0); }

 private:
  static constexpr uint64_t Bit(size_t i) noexcept { return uint64_t{1} << i; }

  std::array<uint64_t, kWordBits> words_{};
  uint64_t summary_ = 0;
};

}  // namespace cascade
