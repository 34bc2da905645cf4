#include "engine/core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace cascade::internal {

void AssertFail(const char* expr, const char* file, int line) noexcept {
  std::fprintf(stderr, "cascade: assertion failed: %s (%s:%d)\n", expr, file, line);
  std::abort();
}

}  // namespace cascade::internal
