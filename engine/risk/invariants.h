#pragma once

#include <cstdint>
#include <span>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "engine/core/event.h"
#include "engine/risk/risk_engine.h"

namespace cascade::risk {

// Checks risk-model.md section 9 after a command and its sweep (items 1-6, 8 and 10; items 7 and 9
// concern the book and the byte stream and are the Engine's). Costs O(buckets + positions): for
// tests and verify builds, not for production.
class InvariantChecker {
 public:
  explicit InvariantChecker(const RiskEngine& engine) : engine_(engine) {}

  // `events`: everything the last command emitted, in order. Returns the first violation found.
  [[nodiscard]] absl::Status Check(std::span<const Event> events);
  // Item 10 alone (the trigger index and the bands), valid at any time, even between a mark move
  // and the sweep that follows it.
  [[nodiscard]] absl::Status CheckIndex() const;

 private:
  absl::Status CheckEvents(std::span<const Event> events);
  absl::Status CheckConservation() const;
  absl::Status CheckBuckets() const;
  // Item 10 for one bucket; counts its index entries and bands.
  absl::Status CheckIndexSize(size_t indexed, size_t banded) const;
  absl::Status CheckKeys(const Bucket& b, bool liquidatable, size_t& indexed, size_t& banded) const;

  const RiskEngine& engine_;
  absl::flat_hash_set<uint32_t> bad_debt_;  // buckets a BAD_DEBT event named
};

}  // namespace cascade::risk
