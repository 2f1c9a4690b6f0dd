// Name <-> enum lookups over constexpr tables of {value, name} pairs, so every enum's
// spelling lives in one table next to its type's functions.
#pragma once

#include <optional>
#include <string_view>

#include "smbaudit/text.h"

namespace smbaudit {

template <typename Table, typename E>
[[nodiscard]] std::string_view name_of(const Table& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

// Names in rule and facts files are matched exactly; registry-derived names ignore case.
enum class NameCase { Exact, Insensitive };

template <typename Table>
[[nodiscard]] auto value_of(const Table& table, std::string_view name, NameCase match = NameCase::Exact)
    -> std::optional<typename Table::value_type::first_type> {
  for (const auto& [v, n] : table)
    if (match == NameCase::Exact ? n == name : iequals(n, name)) return v;
  return std::nullopt;
}

}  // namespace smbaudit
