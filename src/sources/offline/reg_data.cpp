#include "reg_data.h"

#include <fmt/format.h>

namespace smbaudit::offline {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Writes one code point as UTF-8 at `out`; returns the end.
char* put_utf8(char* out, char32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

void append_utf16le(std::string& out, char32_t cp) {
  const auto unit = [&out](std::uint32_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>((u >> 8) & 0xFF);
  };
  if (cp < 0x10000) {
    unit(cp);
  } else {
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10));
    unit(0xDC00 + (cp & 0x3FF));
  }
}

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
    out.push_back(utf16le_to_utf8(data.subspan(start, i - start)));
    start = i + 2;
  }
  // Data that lacks its terminator still holds its last string.
  if (start + 1 < data.size()) out.push_back(utf16le_to_utf8(data.subspan(start)));
  return out;
}

std::span<const std::uint8_t> until_nul(std::span<const std::uint8_t> data) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2)
    if (data[i] == 0 && data[i + 1] == 0) return data.first(i);
  return data;
}

}  // namespace

std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes) {
  // At most 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes): written in
  // place, then cut to size. Registry strings are nearly all ASCII (firewall rules alone are
  // hundreds of values), which is the first branch.
  std::string out(bytes.size() / 2 * 3, '\0');
  char* at = out.data();
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    if (bytes[i + 1] == 0 && bytes[i] < 0x80) {
      *at++ = static_cast<char>(bytes[i]);
      continue;
    }
    char32_t unit = static_cast<char32_t>(bytes[i] | (bytes[i + 1] << 8));
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {
      const char32_t low = static_cast<char32_t>(bytes[i + 2] | (bytes[i + 3] << 8));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        at = put_utf8(at, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) unit = kReplacement;
    at = put_utf8(at, unit);
  }
  out.resize(static_cast<std::size_t>(at - out.data()));
  return out;
}

std::string utf8_to_utf16le(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) {
      append_utf16le(out, kReplacement);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : static_cast<char32_t>(c & (0x7F >> len));
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    append_utf16le(out, ok && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) ? cp : kReplacement);
    i += ok ? len : 1;
  }
  return out;
}

RegValue decode_reg_value(std::string name, std::uint32_t type_code, std::span<const std::uint8_t> data) {
  RegValue v{std::move(name), RegType::Other, Bytes(data.begin(), data.end())};
  switch (static_cast<RegTypeCode>(type_code)) {
    case RegTypeCode::Sz:
    case RegTypeCode::ExpandSz:
      v.type = type_code == static_cast<std::uint32_t>(RegTypeCode::Sz) ? RegType::Sz : RegType::ExpandSz;
      v.data = utf16le_to_utf8(until_nul(data));
      break;
    case RegTypeCode::MultiSz:
      v.type = RegType::MultiSz;
      v.data = split_multi_sz(data);
      break;
    case RegTypeCode::Binary: v.type = RegType::Binary; break;
    case RegTypeCode::Dword:
      if (data.size() == 4) {
        v.type = RegType::Dword;
        v.data = static_cast<std::int64_t>(little_endian(data));
      }
      break;
    case RegTypeCode::DwordBigEndian:
      if (data.size() == 4) {
        v.type = RegType::Dword;
        v.data = static_cast<std::int64_t>((std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) |
                                           (std::uint32_t{data[2]} << 8) | data[3]);
      }
      break;
    case RegTypeCode::Qword:
      if (data.size() == 8) {
        v.type = RegType::Qword;
        v.data = static_cast<std::int64_t>(little_endian(data));
      }
      break;
    default: break;
  }
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
      raw.bytes = utf8_to_utf16le(*s) + std::string(2, '\0');
      return raw;
    }
    case RegType::MultiSz: {
      const auto* list = std::get_if<StringList>(&value.data);
      if (!list) return bad();
      raw.type_code = static_cast<std::uint32_t>(RegTypeCode::MultiSz);
      for (const auto& s : *list) raw.bytes += utf8_to_utf16le(s) + std::string(2, '\0');
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

}  // namespace smbaudit::offline
