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

namespace {

using ordered_json = nlohmann::ordered_json;

void put_string(std::string& out, const std::string& s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      out += ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
      return;
    }
  out += '"';
  std::size_t run = 0;  // the start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out.append(s, run, std::string::npos);
  out += '"';
}

void put(std::string& out, const ordered_json& j, int indent, std::size_t depth) {
  const bool pretty = indent >= 0;
  const auto newline = [&](std::size_t level) {
    if (!pretty) return;
    out += '\n';
    out.append(level * static_cast<std::size_t>(indent), ' ');
  };
  switch (j.type()) {
    case ordered_json::value_t::object: {
      if (j.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, value] : j.items()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        put_string(out, key);
        out += pretty ? ": " : ":";
        put(out, value, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case ordered_json::value_t::array: {
      if (j.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& value : j) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        put(out, value, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case ordered_json::value_t::string: put_string(out, j.get_ref<const std::string&>()); return;
    case ordered_json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case ordered_json::value_t::null: out += "null"; return;
    case ordered_json::value_t::number_integer: out += std::to_string(j.get<std::int64_t>()); return;
    case ordered_json::value_t::number_unsigned: out += std::to_string(j.get<std::uint64_t>()); return;
    default: out += j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); return;
  }
}

}  // namespace

std::string dump_json(const nlohmann::ordered_json& j, int indent) {
  std::string out;
  put(out, j, indent, 0);
  return out;
}

}  // namespace smbaudit
