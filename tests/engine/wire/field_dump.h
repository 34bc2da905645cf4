#pragma once

// Test support: renders every field of a command, event or config, recursively and generically,
// without going through the wire codec, so a codec test can compare "what went in" with "what
// came out" field by field and print the difference. Works for aggregates of up to 24 fields
// (structured bindings need the count, which is found by trial aggregate initialization).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

#include "engine/core/command.h"
#include "engine/core/event.h"

namespace cascade::testing {

namespace field_dump_internal {

struct AnyField {
  template <typename T>
  constexpr operator T() const noexcept;  // NOLINT: implicit on purpose
};

template <typename T, typename... Fields>
constexpr size_t CountFields() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return CountFields<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

template <typename T>
concept Strong = requires(T v) {
  typename T::rep;
  v.value();
};

template <typename T>
struct IsStdArray : std::false_type {};
template <typename T, size_t N>
struct IsStdArray<std::array<T, N>> : std::true_type {};

template <typename T>
void Dump(const T& value, std::string& out);

template <typename T, typename Visit>
void ForEachField(const T& value, Visit&& visit) {
  constexpr size_t N = CountFields<T>();
  static_assert(N <= 24, "extend field_dump.h");
  if constexpr (N == 0) {
  } else if constexpr (N == 1) {
    const auto& [f0] = value;
    visit(f0);

  } else if constexpr (N == 2) {
    const auto& [f0, f1] = value;
    visit(f0);
    visit(f1);

  } else if constexpr (N == 3) {
    const auto& [f0, f1, f2] = value;
    visit(f0);
    visit(f1);
    visit(f2);

  } else if constexpr (N == 4) {
    const auto& [f0, f1, f2, f3] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);

  } else if constexpr (N == 5) {
    const auto& [f0, f1, f2, f3, f4] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);

  } else if constexpr (N == 6) {
    const auto& [f0, f1, f2, f3, f4, f5] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);

  } else if constexpr (N == 7) {
    const auto& [f0, f1, f2, f3, f4, f5, f6] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);

  } else if constexpr (N == 8) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);

  } else if constexpr (N == 9) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);

  } else if constexpr (N == 10) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);

  } else if constexpr (N == 11) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);

  } else if constexpr (N == 12) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);

  } else if constexpr (N == 13) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);

  } else if constexpr (N == 14) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);

  } else if constexpr (N == 15) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);

  } else if constexpr (N == 16) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);

  } else if constexpr (N == 17) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);

  } else if constexpr (N == 18) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17] =
        value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);

  } else if constexpr (N == 19) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);

  } else if constexpr (N == 20) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18, f19] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);
    visit(f19);

  } else if constexpr (N == 21) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18, f19, f20] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);
    visit(f19);
    visit(f20);

  } else if constexpr (N == 22) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18, f19, f20, f21] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);
    visit(f19);
    visit(f20);
    visit(f21);

  } else if constexpr (N == 23) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18, f19, f20, f21, f22] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);
    visit(f19);
    visit(f20);
    visit(f21);
    visit(f22);

  } else if constexpr (N == 24) {
    const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
                 f18, f19, f20, f21, f22, f23] = value;
    visit(f0);
    visit(f1);
    visit(f2);
    visit(f3);
    visit(f4);
    visit(f5);
    visit(f6);
    visit(f7);
    visit(f8);
    visit(f9);
    visit(f10);
    visit(f11);
    visit(f12);
    visit(f13);
    visit(f14);
    visit(f15);
    visit(f16);
    visit(f17);
    visit(f18);
    visit(f19);
    visit(f20);
    visit(f21);
    visit(f22);
    visit(f23);
  }
}

template <typename T>
void Dump(const T& value, std::string& out) {
  if constexpr (Strong<T>) {
    out += std::to_string(value.value());
  } else if constexpr (std::is_enum_v<T>) {
    out += std::to_string(static_cast<int64_t>(value));
  } else if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    out += std::to_string(static_cast<int64_t>(value));
  } else if constexpr (IsStdArray<T>::value) {
    out += '[';
    for (const auto& item : value) {
      Dump(item, out);
      out += ' ';
    }
    out += ']';
  } else {
    static_assert(std::is_aggregate_v<T>);
    out += '{';
    ForEachField(value, [&out](const auto& field) {
      Dump(field, out);
      out += ' ';
    });
    out += '}';
  }
}

}  // namespace field_dump_internal

template <typename T>
std::string DumpFields(const T& value) {
  std::string out;
  field_dump_internal::Dump(value, out);
  return out;
}

template <typename... Ts>
std::string DumpFields(const std::variant<Ts...>& value) {
  // Appended, not "<" + std::to_string(...): GCC 12 at -O3 reports a false overflow inside
  // operator+(const char*, std::string&&) (GCC bug 105651), depending on inlining; the test PCH
  // (tests/CMakeLists.txt) changed the inlining enough to show it.
  std::string out = "<";
  out += std::to_string(value.index());
  out += '>';
  std::visit([&out](const auto& body) { field_dump_internal::Dump(body, out); }, value);
  return out;
}

inline std::string DumpFields(const Command& c) {
  return std::to_string(c.seq.value()) + "@" + std::to_string(c.ts.value()) + DumpFields(c.body);
}

inline std::string DumpFields(const Event& e) {
  return std::to_string(e.seq.value()) + "@" + std::to_string(e.ts.value()) + DumpFields(e.body);
}

}  // namespace cascade::testing
