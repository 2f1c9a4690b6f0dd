// Registry value data as a hive stores it (a type code and raw little-endian bytes) and as
// facts carry it (RegType and Value). Shared by every hive reader, and by the test support
// that writes fixture hives, so both directions agree.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit::offline {

// The type codes of winnt.h (REG_SZ = 1 ... REG_QWORD = 11).
enum class RegTypeCode : std::uint32_t {
  None = 0,
  Sz = 1,
  ExpandSz = 2,
  Binary = 3,
  Dword = 4,
  DwordBigEndian = 5,
  Link = 6,
  MultiSz = 7,
  Qword = 11,
};

// Decodes raw value data. Strings are UTF-16LE and end at the first NUL; a DWORD or QWORD of
// the wrong length, and every type facts do not model, becomes RegType::Other with its bytes.
[[nodiscard]] RegValue decode_reg_value(std::string name, std::uint32_t type_code, std::span<const std::uint8_t> data);

// The raw form of a value (strings NUL-terminated UTF-16LE), or why it cannot be encoded.
struct RawRegValue {
  std::uint32_t type_code = 0;
  std::string bytes;
};
[[nodiscard]] Expected<RawRegValue, std::string> encode_reg_value(const RegValue& value);

}  // namespace smbaudit::offline
