// The one registry value decoder: a type code and raw bytes, as the registry API and hive
// files hand them over, to the RegValue facts carry. The live reader, both hive readers and
// the snapshot reader go through it, so the same bytes give the same fact from every source
// (src/sources/reg_parity_test.cpp holds them to it). The encoder is its inverse, for
// fixture hives and for the snapshot reader's normalising pass.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit {

// The type codes of winnt.h (REG_NONE = 0 ... REG_QWORD = 11).
enum class RegTypeCode : std::uint32_t {
  None = 0,
  Sz = 1,
  ExpandSz = 2,
  Binary = 3,
  Dword = 4,
  DwordBigEndian = 5,
  Link = 6,
  MultiSz = 7,
  ResourceList = 8,
  FullResourceDescriptor = 9,
  ResourceRequirementsList = 10,
  Qword = 11,
};

// Decodes one value's raw data the way the Windows components smbaudit audits read it:
// - REG_SZ / REG_EXPAND_SZ: UTF-16LE up to the first NUL or the end (an odd last byte is
//   dropped), unexpanded; unpaired surrogates become U+FFFD.
// - REG_MULTI_SZ: the strings up to the first empty one (the list's terminator) or the end.
// - REG_DWORD: exactly 4 bytes, REG_QWORD exactly 8, little-endian. What a component makes of
//   a DWORD of another length is undocumented, so it is not read as a number: it stays
//   RegType::Other with its bytes, which no comparison takes for a hardened value.
// - REG_DWORD_BIG_ENDIAN and every type facts do not model: RegType::Other with the bytes.
//   Readers of a DWORD setting check for type REG_DWORD (ATL's CRegKey::QueryDWORDValue
//   answers ERROR_INVALID_DATA otherwise), so a big-endian one never counts as a number here.
// - REG_BINARY: the bytes.
[[nodiscard]] RegValue decode_reg_value(std::string name, std::uint32_t type_code, std::span<const std::uint8_t> data);

// The raw form of a value (strings NUL-terminated UTF-16LE, lists double-NUL-terminated).
struct RawRegValue {
  std::uint32_t type_code = 0;
  std::string bytes;
};
// Encodes a value, or says why its data does not fit its type.
[[nodiscard]] Expected<RawRegValue, std::string> encode_reg_value(const RegValue& value);

// What a registry would hand back for `value` once stored: encoded, then decoded. A string
// with a NUL in it ends there, a list ends at its first empty string. Values that cannot be
// encoded are returned unchanged.
[[nodiscard]] RegValue stored_reg_value(const RegValue& value);

}  // namespace smbaudit
