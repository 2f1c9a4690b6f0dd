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

void JsonOut::newline(std::size_t depth) {
  if (indent_ < 0) return;
  out_ += '\n';
  out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void JsonOut::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  if (levels_.back()++ > 0) out_ += ',';
  newline(levels_.size());
}

JsonOut& JsonOut::key(std::string_view name) {
  if (levels_.back()++ > 0) out_ += ',';
  newline(levels_.size());
  put_string(name);
  out_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::open(char bracket) {
  before_value();
  out_ += bracket;
  levels_.push_back(0);
  return *this;
}

JsonOut& JsonOut::close(char bracket) {
  const bool empty = levels_.back() == 0;
  levels_.pop_back();
  if (!empty) newline(levels_.size());
  out_ += bracket;
  return *this;
}

void JsonOut::put_string(std::string_view s) {
  const std::size_t start = out_.size();
  out_ += '"';
  std::size_t run = 0;  // the start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    if (c >= 0x80) {
      // Not ASCII: nlohmann writes the whole string, replacing invalid UTF-8 as it always has.
      out_.resize(start);
      out_ +=
          nlohmann::ordered_json(std::string(s)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      return;
    }
    out_.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\f': out_ += "\\f"; break;
      case '\r': out_ += "\\r"; break;
      default: {
        constexpr char kHex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xF];
      }
    }
  }
  out_.append(s, run, std::string_view::npos);
  out_ += '"';
}

JsonOut& JsonOut::value(std::string_view text) {
  before_value();
  put_string(text);
  return *this;
}

JsonOut& JsonOut::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::value(std::nullptr_t) {
  before_value();
  out_ += "null";
  return *this;
}

JsonOut& JsonOut::value(double number) {
  before_value();
  out_ += nlohmann::ordered_json(number).dump();  // nlohmann's shortest round-trip form
  return *this;
}

JsonOut& JsonOut::integer(std::int64_t number) {
  before_value();
  out_ += std::to_string(number);
  return *this;
}

JsonOut& JsonOut::integer(std::uint64_t number) {
  before_value();
  out_ += std::to_string(number);
  return *this;
}

JsonOut& JsonOut::strings(const std::vector<std::string>& list) {
  begin_array();
  for (const auto& s : list) value(s);
  return end_array();
}

template <typename Json>
void JsonOut::document(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        key(it.key());
        document(it.value());
      }
      end_object();
      return;
    case Json::value_t::array:
      begin_array();
      for (const auto& element : j) document(element);
      end_array();
      return;
    case Json::value_t::string: value(j.template get_ref<const std::string&>()); return;
    case Json::value_t::boolean: value(j.template get<bool>()); return;
    case Json::value_t::null: value(nullptr); return;
    case Json::value_t::number_integer: integer(j.template get<std::int64_t>()); return;
    case Json::value_t::number_unsigned: integer(j.template get<std::uint64_t>()); return;
    default:
      before_value();
      out_ += j.dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
  }
}

JsonOut& JsonOut::value(const nlohmann::json& document_value) {
  document(document_value);
  return *this;
}

JsonOut& JsonOut::value(const nlohmann::ordered_json& document_value) {
  document(document_value);
  return *this;
}

std::string dump_json(const nlohmann::ordered_json& j, int indent) {
  JsonOut out(indent);
  out.value(j);
  return out.take();
}

}  // namespace smbaudit
