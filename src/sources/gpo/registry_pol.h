// Registry.pol, the PReg file of [MS-GPREG] 2.2.1: the Administrative Templates half of a
// GPO. A header ("PReg", version 1) and records [key;name;type;size;data], strings UTF-16LE
// and NUL-terminated, type and size 32-bit little-endian, data `size` raw bytes. The reader
// checks every length against what is left before using it; the writer produces what the
// reader accepts (remediate writes fixes as a GPO with it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit::gpo {

// One record as stored.
struct PolRecord {
  std::uint64_t offset = 0;  // of its '[' from the start of the file (the writer ignores it)
  std::string key;           // "Software\Policies\...", UTF-8, without the hive (HKLM for Machine\)
  std::string value_name;    // as stored, control codes ("**del.X") included
  std::uint32_t type = 0;    // REG_* code, 0..11
  std::string data;          // the raw data bytes

  friend bool operator==(const PolRecord&, const PolRecord&) = default;
};

// Parses a whole file. Every record is also interpreted (below), so a file that parses
// holds only instructions the model understands. The error is one line without the file's
// name: "record at byte 1234: the data size 4096 runs past the end of the file (12 bytes left)".
[[nodiscard]] Expected<std::vector<PolRecord>, std::string> parse_registry_pol(std::string_view bytes);

// Writes records as a Registry.pol file.
[[nodiscard]] std::string write_registry_pol(const std::vector<PolRecord>& records);

// What a record tells the Registry CSE to do with its key.
enum class PolOp {
  SetValue,         // a plain value name
  SoftSetValue,     // "**soft.NAME": set only when the value does not exist
  DeleteValue,      // "**del.NAME"
  DeleteValues,     // "**DeleteValues", the names in the data, ';'-separated
  DeleteAllValues,  // "**delvals." (also spelled "**DelVals")
  DeleteKeys,       // "**DeleteKeys", subkey names in the data, ';'-separated
  SecureKey,        // "**SecureKey": changes the key's ACL, no value
  CreateKey,        // no value name, or no data: only the key is created
};
[[nodiscard]] std::string_view to_string(PolOp op);

struct PolInstruction {
  PolOp op = PolOp::SetValue;
  RegValue value;                  // SetValue, SoftSetValue: name and decoded data; DeleteValue: the name
  std::vector<std::string> names;  // DeleteValues: value names; DeleteKeys: subkey paths (relative)
  bool secure = false;             // SecureKey: 1 secures the key, 0 resets its ACL
};

// Interprets one record; fails only on what parse_registry_pol refuses too (an unknown
// "**" control code, "**del." without a name, an empty subkey in "**DeleteKeys").
[[nodiscard]] Expected<PolInstruction, std::string> interpret(const PolRecord& record);

// Records a writer needs: set a value (its data encoded by the project's registry-value
// codec) and delete one ("**del.NAME").
[[nodiscard]] Expected<PolRecord, std::string> pol_set_value(std::string key, const RegValue& value);
[[nodiscard]] PolRecord pol_delete_value(std::string key, std::string_view value_name);

}  // namespace smbaudit::gpo
