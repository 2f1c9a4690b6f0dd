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

}  // namespace smbaudit
