#pragma once

#include <cstdint>
#include <vector>

#include "engine/risk/bucket.h"

namespace cascade::risk {

// Per symbol, the positions ordered by trigger: longs by descending trigger (the first entries are
// the first to cross as the mark falls), shorts by ascending trigger; ties by bucket id. Nodes are
// the Position objects themselves (intrusive), so a re-key is O(log n) and never allocates.
class TriggerIndex {
 public:
  void Insert(Position& p) noexcept;
  void Erase(Position& p) noexcept;
  // Moves p to its new trigger; a no-op when neither the key nor the side changed.
  void Rekey(Position& p, TriggerSide side, int64_t trigger) noexcept;

  // Calls fn(Position&) for every entry crossed at `mark`: longs with trigger >= mark, shorts with
  // trigger <= mark; O(k) for k crossed entries. fn must not change the index.
  template <typename Fn>
  void ForEachCrossed(int64_t mark, Fn&& fn) {
    for (auto it = longs_.begin(); it != longs_.end() && it->trigger >= mark; ++it) fn(*it);
    for (auto it = shorts_.begin(); it != shorts_.end() && it->trigger <= mark; ++it) fn(*it);
  }

  // Whether ForEachCrossed(mark) would call fn at all; O(1).
  [[nodiscard]] bool AnyCrossed(int64_t mark) const noexcept {
    return (!longs_.empty() && longs_.begin()->trigger >= mark) ||
           (!shorts_.empty() && shorts_.begin()->trigger <= mark);
  }

  [[nodiscard]] size_t size() const noexcept { return count_; }

  // One entry for Rebuild: the position with its new key already in place (trigger, indexed).
  struct Key {
    int64_t trigger;
    uint32_t bucket;
    TriggerSide side;
    Position* position;
  };
  // Replaces the whole index by `keys` (every position it should hold, each once), sorting them
  // in a flat array and appending in order: O(n log n) without tree descents, for when nearly
  // every key moved (funding). Reorders `keys`.
  void Rebuild(std::vector<Key>& keys) noexcept;

 private:
  struct LongFirst {
    static bool Before(int64_t ta, uint32_t ba, int64_t tb, uint32_t bb) noexcept {
      return ta != tb ? ta > tb : ba < bb;
    }
    bool operator()(const Position& a, const Position& b) const noexcept {
      return Before(a.trigger, a.bucket, b.trigger, b.bucket);
    }
  };
  struct ShortFirst {
    static bool Before(int64_t ta, uint32_t ba, int64_t tb, uint32_t bb) noexcept {
      return ta != tb ? ta < tb : ba < bb;
    }
    bool operator()(const Position& a, const Position& b) const noexcept {
      return Before(a.trigger, a.bucket, b.trigger, b.bucket);
    }
  };
  // True when p can take `trigger` without leaving its place between its neighbours.
  template <typename Order, typename Set>
  static bool FitsInPlace(Set& set, Position& p, int64_t trigger) noexcept;
  using Hook = bi::member_hook<Position, TriggerHook, &Position::trigger_hook>;
  using Longs = bi::set<Position, Hook, bi::compare<LongFirst>, bi::constant_time_size<false>>;
  using Shorts = bi::set<Position, Hook, bi::compare<ShortFirst>, bi::constant_time_size<false>>;

  Longs longs_;
  Shorts shorts_;
  size_t count_ = 0;
};

}  // namespace cascade::risk
