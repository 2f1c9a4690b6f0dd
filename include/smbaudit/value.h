// The typed data a fact can hold: registry data, WMI properties, parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace smbaudit {

using Bytes = std::vector<std::uint8_t>;
using StringList = std::vector<std::string>;

// std::monostate means "no value" (a WMI null, an absent parameter).
using Value = std::variant<std::monostate, bool, std::int64_t, std::string, StringList, Bytes>;

enum class RegType { Sz, ExpandSz, MultiSz, Dword, Qword, Binary, Other };

[[nodiscard]] std::string_view to_string(RegType type);
[[nodiscard]] std::optional<RegType> reg_type_from_string(std::string_view name);

// Renders a value for explanations and the text report ("0x311 (785)", "a, b").
[[nodiscard]] std::string describe(const Value& value);
// As describe, but integers in decimal only: build numbers and counts, which hex only obscures.
[[nodiscard]] std::string describe_decimal(const Value& value);
[[nodiscard]] bool is_null(const Value& value);

struct RegValue {
  std::string name;
  RegType type = RegType::Dword;
  Value data;
};

}  // namespace smbaudit
