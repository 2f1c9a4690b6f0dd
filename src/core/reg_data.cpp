#include "reg_data.h"

#include <fmt/format.h>

#include "utf.h"

namespace smbaudit {
namespace {

std::uint64_t little_endian(std::span<const std::uint8_t> data) {
  std::uint64_t v = 0;
  for (std::size_t i = data.size(); i-- > 0;) v = (v << 8) | data[i];
  return v;
}

// Splits REG_MULTI_SZ data into its strings: it ends at an empty string (two NULs).
StringList split_multi_sz(std::span<const std::uint8_t> data) {
  StringList out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
    if (data[i] != 0 || data[i + 1] != 0) continue;
    if (i == start) return out;
    out.push_back(utf::utf16le_to_utf8(data.subspan(start, i - start)));
    start = i + 2;
  }
  // Data that lacks its terminator still holds its last string.
  if (start + 1 < data.size()) out.push_back(utf::utf16le_to_utf8(data.subspan(start)));
  return out;
}

std::span<const std::uint8_t> until_nul(std::span<const std::uint8_t> data) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2)
    if (data[i] == 0 && data[i + 1] == 0) return data.first(i);
  return data;
}

}  // namespace

RegValue decode_reg_value(std::string name, std::uint32_t type_code, std::span<const std::uint8_t> data) {
  RegValue v{std::move(name), RegType::Other, {}};
  switch (static_cast<RegTypeCode>(type_code)) {
    case RegTypeCode::Sz:
    case RegTypeCode::ExpandSz:
      v.type = type_code == static_cast<std::uint32_t>(RegTypeCode::Sz) ? RegType::Sz : RegType::ExpandSz;
      v.data = utf::utf16le_to_utf8(until_nul(data));
      return v;
    case RegTypeCode::MultiSz:
      v.type = RegType::MultiSz;
      v.data = split_multi_sz(data);
      return v;
    case RegTypeCode::Dword:
      if (data.size() != 4) break;
      v.type = RegType::Dword;
      v.data = static_cast<std::int64_t>(little_endian(data));
      return v;
    case RegTypeCode::Qword:
      if (data.size() != 8) break;
      v.type = RegType::Qword;
      v.data = static_cast<std::int64_t>(little_endian(data));
      return v;
    case RegTypeCode::Binary: v.type = RegType::Binary; break;
    default: break;  // REG_DWORD_BIG_ENDIAN, REG_NONE, REG_LINK, resource lists, unknown codes
  }
  v.data = Bytes(data.begin(), data.end());
  return v;
}

Expected<RawRegValue, std::string> encode_reg_value(const RegValue& value) {
  const auto bad = [&value] {
    return Unexpected(fmt::format("value '{}': data does not fit {}", value.name, to_string(value.type)));
  };
  RawRegValue raw;
  switch (value.type) {
    case RegType::Sz:
    case RegType::ExpandSz: {
      const auto* s = std::get_if<std::string>(&value.data);
      if (!s) return bad();
      raw.type_code = static_cast<std::uint32_t>(value.type == RegType::Sz ? RegTypeCode::Sz : RegTypeCode::ExpandSz);
      raw.bytes = utf::utf8_to_utf16le(*s) + std::string(2, '\0');
      return raw;
    }
    case RegType::MultiSz: {
      const auto* list = std::get_if<StringList>(&value.data);
      if (!list) return bad();
      raw.type_code = static_cast<std::uint32_t>(RegTypeCode::MultiSz);
      for (const auto& s : *list) raw.bytes += utf::utf8_to_utf16le(s) + std::string(2, '\0');
      raw.bytes += std::string(2, '\0');
      return raw;
    }
    case RegType::Dword:
    case RegType::Qword: {
      const auto* n = std::get_if<std::int64_t>(&value.data);
      if (!n) return bad();
      const bool dword = value.type == RegType::Dword;
      if (dword && (*n < 0 || *n > 0xFFFFFFFFLL)) return bad();
      raw.type_code = static_cast<std::uint32_t>(dword ? RegTypeCode::Dword : RegTypeCode::Qword);
      auto u = static_cast<std::uint64_t>(*n);
      for (int i = 0; i < (dword ? 4 : 8); ++i, u >>= 8) raw.bytes += static_cast<char>(u & 0xFF);
      return raw;
    }
    case RegType::Binary:
    case RegType::Other: {
      const auto* b = std::get_if<Bytes>(&value.data);
      if (!b) return bad();
      raw.type_code =
          static_cast<std::uint32_t>(value.type == RegType::Binary ? RegTypeCode::Binary : RegTypeCode::None);
      raw.bytes.assign(b->begin(), b->end());
      return raw;
    }
  }
  return bad();
}

RegValue stored_reg_value(const RegValue& value) {
  // Numbers and bytes come back as they went in; only strings and lists can change.
  if (value.type != RegType::Sz && value.type != RegType::ExpandSz && value.type != RegType::MultiSz) return value;
  auto raw = encode_reg_value(value);
  if (!raw) return value;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(raw->bytes.data());
  return decode_reg_value(value.name, raw->type_code, {bytes, raw->bytes.size()});
}

}  // namespace smbaudit
