// Name <-> enum lookups over constexpr tables of {value, name} pairs, so every enum's
// spelling lives in one table next to its type's functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smbaudit/text.h"

namespace smbaudit {

template <typename Table, typename E>
[[nodiscard]] std::string_view name_of(const Table& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

// "a, b, c": every name of a table, in table order, for "(allowed: ...)" messages.
template <typename Table>
[[nodiscard]] std::string names_of(const Table& table) {
  std::string out;
  for (const auto& [v, name] : table) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
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
