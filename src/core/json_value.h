// Conversions between Value and nlohmann::json, shared by the rule loader,
// the snapshot reader and the JSON writer.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "smbaudit/value.h"

namespace smbaudit {

// JSON null, bool, integer, string and string arrays map to Value; anything else is nullopt.
[[nodiscard]] std::optional<Value> value_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json value_to_json(const Value& value);

// Registry data by type: DWORD/QWORD numbers, SZ strings, MULTI_SZ string arrays,
// BINARY a hex string. Returns nullopt when the JSON does not fit the type.
[[nodiscard]] std::optional<Value> reg_data_from_json(RegType type, const nlohmann::json& j);

[[nodiscard]] std::string json_type_name(const nlohmann::json& j);

// j.dump(indent, ' ', false, error_handler_t::replace), byte for byte, at a quarter of the
// cost for the reports' ASCII text: nlohmann's serializer runs every byte through its UTF-8
// decoder, which was half of writing a 190 KB JSON report. Strings holding a byte of 0x80 or
// more (and floating-point numbers) are still written by nlohmann, so invalid UTF-8 is
// replaced exactly as before. A test and fuzz/json_dump.cpp compare the two.
[[nodiscard]] std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

}  // namespace smbaudit
