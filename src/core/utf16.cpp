#include "utf16.h"

#include <fmt/format.h>

namespace smbaudit {
namespace {

void put_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

Expected<std::string, std::string> utf16_to_utf8(std::string_view bytes, ByteOrder order) {
  if (bytes.size() % 2 != 0)
    return Unexpected(fmt::format("UTF-16 text has an odd number of bytes ({}): the file is cut short", bytes.size()));
  const auto unit = [&](std::size_t at) -> char16_t {
    const auto a = static_cast<unsigned char>(bytes[at]), b = static_cast<unsigned char>(bytes[at + 1]);
    return static_cast<char16_t>(order == ByteOrder::LittleEndian ? a | (b << 8) : (a << 8) | b);
  };
  std::string out;
  out.reserve(bytes.size() / 2 + bytes.size() / 8);
  for (std::size_t at = 0; at < bytes.size(); at += 2) {
    const char16_t u = unit(at);
    if (u >= 0xdc00 && u <= 0xdfff)
      return Unexpected(fmt::format("invalid UTF-16 at byte {}: a low surrogate without a high one", at));
    if (u >= 0xd800 && u <= 0xdbff) {
      const char16_t low = at + 3 < bytes.size() ? unit(at + 2) : 0;
      if (low < 0xdc00 || low > 0xdfff)
        return Unexpected(fmt::format("invalid UTF-16 at byte {}: a high surrogate without a low one", at));
      put_utf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xd800) << 10) + (low - 0xdc00));
      at += 2;
      continue;
    }
    put_utf8(out, u);
  }
  return out;
}

}  // namespace smbaudit
