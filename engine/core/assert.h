#pragma once

// CASCADE_ASSERT stays on in every build: cheap checks whose failure means the engine state can no
// longer be trusted, so stopping is the only safe answer. CASCADE_DCHECK is for expensive checks
// (full rescans) and compiles away unless CASCADE_ENABLE_DCHECK is defined.

namespace cascade::internal {
[[noreturn, gnu::cold]] void AssertFail(const char* expr, const char* file, int line) noexcept;
}  // namespace cascade::internal

#define CASCADE_ASSERT(expr)                                      \
  do {                                                            \
    if (__builtin_expect(!(expr), 0)) {                           \
      ::cascade::internal::AssertFail(#expr, __FILE__, __LINE__); \
    }                                                             \
  } while (false)

#if defined(CASCADE_ENABLE_DCHECK)
#define CASCADE_DCHECK(expr) CASCADE_ASSERT(expr)
#else
#define CASCADE_DCHECK(expr) \
  do {                       \
  } while (false && (expr))
#endif
