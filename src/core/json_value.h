// Conversions between Value and nlohmann::json, shared by the rule loader,
// the snapshot reader and the JSON writer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "smbaudit/value.h"

namespace smbaudit {

// JSON null, bool, integer, string and string arrays map to Value; anything else is nullopt.
[[nodiscard]] std::optional<Value> value_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json value_to_json(const Value& value);

// Registry data by type: DWORD/QWORD numbers, SZ strings, MULTI_SZ string arrays,
// BINARY a hex string. Returns nullopt when the JSON does not fit the type.
[[nodiscard]] std::optional<Value> reg_data_from_json(RegType type, const nlohmann::json& j);

[[nodiscard]] std::string json_type_name(const nlohmann::json& j);

// Writes JSON text as nlohmann's dump(indent, ' ', false, error_handler_t::replace) writes
// it, byte for byte, from calls instead of a document: the JSON report streams its findings
// through it without building one (half of writing a 190 KB report was building the document
// and then running every byte through nlohmann's UTF-8 decoder). ASCII strings are escaped
// here; strings with a byte of 0x80 or more and floating-point numbers are written by
// nlohmann, so invalid UTF-8 is replaced exactly as before. A test and fuzz/json_dump.cpp
// compare dump_json (a document through this) with nlohmann's dump.
class JsonOut {
 public:
  explicit JsonOut(int indent = -1) : indent_(indent) {}

  JsonOut& begin_object() { return open('{'); }
  JsonOut& end_object() { return close('}'); }
  JsonOut& begin_array() { return open('['); }
  JsonOut& end_array() { return close(']'); }
  // An object's member name; the value follows.
  JsonOut& key(std::string_view name);

  JsonOut& value(std::string_view text);
  JsonOut& value(const char* text) { return value(std::string_view(text)); }
  JsonOut& value(const std::string& text) { return value(std::string_view(text)); }
  JsonOut& value(bool b);
  JsonOut& value(std::nullptr_t);
  JsonOut& value(double number);
  // Any integer type (bool has its own overload).
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) JsonOut& value(T number) {
    if constexpr (std::is_signed_v<T>)
      return integer(static_cast<std::int64_t>(number));
    else
      return integer(static_cast<std::uint64_t>(number));
  }
  // A whole document, either kind (ordered or not).
  JsonOut& value(const nlohmann::json& document);
  JsonOut& value(const nlohmann::ordered_json& document);
  // key(name).value(v)
  template <typename T>
  JsonOut& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }
  // An array of strings.
  JsonOut& strings(const std::vector<std::string>& list);

  [[nodiscard]] const std::string& text() const { return out_; }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  JsonOut& integer(std::int64_t number);
  JsonOut& integer(std::uint64_t number);
  JsonOut& open(char bracket);
  JsonOut& close(char bracket);
  void before_value();  // the comma and line break before an array element (a member's come with its key)
  void newline(std::size_t depth);
  void put_string(std::string_view s);
  template <typename Json>
  void document(const Json& j);

  int indent_;
  std::string out_;
  std::vector<std::size_t> levels_;  // per open array or object: the elements written so far
  bool after_key_ = false;
};

// j.dump(indent, ' ', false, error_handler_t::replace), through JsonOut.
[[nodiscard]] std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

}  // namespace smbaudit
