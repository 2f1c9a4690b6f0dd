#include "json_value.h"

#include <fmt/format.h>

namespace smbaudit {

std::optional<Value> value_from_json(const nlohmann::json& j) {
  if (j.is_null()) return Value{};
  if (j.is_boolean()) return Value{j.get<bool>()};
  if (j.is_number_integer()) return Value{j.get<std::int64_t>()};
  if (j.is_string()) return Value{j.get<std::string>()};
  if (j.is_array()) {
    StringList list;
    for (const auto& item : j) {
      if (!item.is_string()) return std::nullopt;
      list.push_back(item.get<std::string>());
    }
    return Value{std::move(list)};
  }
  return std::nullopt;
}

nlohmann::json value_to_json(const Value& value) {
  struct Visitor {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(bool b) const { return b; }
    nlohmann::json operator()(std::int64_t i) const { return i; }
    nlohmann::json operator()(const std::string& s) const { return s; }
    nlohmann::json operator()(const StringList& l) const { return l; }
    nlohmann::json operator()(const Bytes& b) const {
      std::string hex;
      for (auto byte : b) hex += fmt::format("{:02x}", byte);
      return hex;
    }
  };
  return std::visit(Visitor{}, value);
}

std::optional<Value> reg_data_from_json(RegType type, const nlohmann::json& j) {
  switch (type) {
    case RegType::Dword:
      if (j.is_number_unsigned() && j.get<std::uint64_t>() <= 0xffffffffULL) return Value{j.get<std::int64_t>()};
      return std::nullopt;
    case RegType::Qword:
      if (j.is_number_integer()) return Value{j.get<std::int64_t>()};
      return std::nullopt;
    case RegType::Sz:
    case RegType::ExpandSz:
      if (j.is_string()) return Value{j.get<std::string>()};
      return std::nullopt;
    case RegType::MultiSz: {
      auto v = value_from_json(j);
      if (j.is_array() && v) return v;
      return std::nullopt;
    }
    case RegType::Binary:
    case RegType::Other: {
      if (!j.is_string()) return std::nullopt;
      const auto& s = j.get_ref<const std::string&>();
      if (s.size() % 2 != 0) return std::nullopt;
      Bytes bytes;
      for (std::size_t i = 0; i < s.size(); i += 2) {
        const auto nibble = [](char c) -> int {
          if (c >= '0' && c <= '9') return c - '0';
          if (c >= 'a' && c <= 'f') return c - 'a' + 10;
          if (c >= 'A' && c <= 'F') return c - 'A' + 10;
          return -1;
        };
        const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
      }
      return Value{std::move(bytes)};
    }
  }
  return std::nullopt;
}

std::string json_type_name(const nlohmann::json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

}  // namespace smbaudit
