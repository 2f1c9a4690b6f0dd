// Registry values as the registry API and hive files hand them over (a type code and raw
// bytes), each with the fact every source must make of it: the table the decoder parity
// test (src/sources/reg_parity_test.cpp) feeds through the live reader, the hive reader and
// the snapshot reader. Every REG_* type is here, with short, long, odd-length and
// unterminated data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smbaudit/value.h"

namespace smbaudit::test_support {

struct RawValueCase {
  std::string name;         // the value's name (unique, ASCII)
  std::uint32_t type_code;  // winnt.h REG_* code
  std::string bytes;        // raw data
  RegType type;             // the fact's type
  Value data;               // the fact's data
};

inline std::vector<RawValueCase> raw_value_cases() {
  using S = std::string;
  const auto raw = [](const char* text, std::size_t size) { return S(text, size); };
  return {
      {"sz", 1, raw("A\0b\0\0\0", 6), RegType::Sz, S("Ab")},
      {"sz-unterminated", 1, raw("A\0b\0", 4), RegType::Sz, S("Ab")},
      {"sz-odd-length", 1, raw("A\0b", 3), RegType::Sz, S("A")},
      {"sz-empty", 1, S(), RegType::Sz, S()},
      {"sz-nul-inside", 1, raw("a\0\0\0b\0\0\0", 8), RegType::Sz, S("a")},
      {"sz-surrogate-pair", 1, raw("\x3D\xD8\x12\xDD\0\0", 6), RegType::Sz, S("\xF0\x9F\x94\x92")},
      {"sz-unpaired-surrogate", 1,
       raw("\x00\xD8"
           "A\0",
           4),
       RegType::Sz,
       S("\xEF\xBF\xBD"
         "A")},
      {"sz-latin", 1, raw("\xFC\0\0\0", 4), RegType::Sz, S("\xC3\xBC")},
      {"expand-sz", 2, raw("%\0x\0%\0\0\0", 8), RegType::ExpandSz, S("%x%")},
      {"expand-sz-unterminated", 2, raw("%\0x\0", 4), RegType::ExpandSz, S("%x")},
      {"multi-sz", 7, raw("a\0\0\0b\0\0\0\0\0", 10), RegType::MultiSz, StringList{"a", "b"}},
      {"multi-sz-unterminated", 7, raw("a\0\0\0b\0", 6), RegType::MultiSz, StringList{"a", "b"}},
      {"multi-sz-empty-inside", 7, raw("a\0\0\0\0\0b\0\0\0\0\0", 12), RegType::MultiSz, StringList{"a"}},
      {"multi-sz-odd-length", 7, raw("a\0b", 3), RegType::MultiSz, StringList{"a"}},
      {"multi-sz-empty", 7, S(), RegType::MultiSz, StringList{}},
      {"dword", 4, raw("\x11\x03\0\0", 4), RegType::Dword, std::int64_t{0x311}},
      {"dword-max", 4, raw("\xFF\xFF\xFF\xFF", 4), RegType::Dword, std::int64_t{0xFFFFFFFF}},
      {"dword-short", 4, raw("\x01\0", 2), RegType::Other, Bytes{1, 0}},
      {"dword-long", 4, raw("\x01\0\0\0\0", 5), RegType::Other, Bytes{1, 0, 0, 0, 0}},
      {"dword-empty", 4, S(), RegType::Other, Bytes{}},
      {"dword-big-endian", 5, raw("\0\0\0\x01", 4), RegType::Other, Bytes{0, 0, 0, 1}},
      {"qword", 11, raw("\x01\0\0\0\x02\0\0\0", 8), RegType::Qword, std::int64_t{0x200000001}},
      {"qword-short", 11, raw("\x01\0\0\0", 4), RegType::Other, Bytes{1, 0, 0, 0}},
      {"binary", 3, raw("\0\xFF", 2), RegType::Binary, Bytes{0, 0xFF}},
      {"binary-empty", 3, S(), RegType::Binary, Bytes{}},
      {"none", 0, raw("\x01", 1), RegType::Other, Bytes{1}},
      {"link", 6, raw("x\0", 2), RegType::Other, Bytes{'x', 0}},
      {"resource-list", 8, raw("\x01\x02", 2), RegType::Other, Bytes{1, 2}},
      {"full-resource-descriptor", 9, raw("\x03", 1), RegType::Other, Bytes{3}},
      {"resource-requirements", 10, raw("\x04", 1), RegType::Other, Bytes{4}},
      {"unknown-type", 0x1234, raw("\x05\x06", 2), RegType::Other, Bytes{5, 6}},
  };
}

}  // namespace smbaudit::test_support
