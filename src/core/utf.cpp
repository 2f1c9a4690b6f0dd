#include "utf.h"

#include <fmt/format.h>

namespace smbaudit::utf {
namespace {

bool is_surrogate(char32_t cp) {
  return cp >= 0xD800 && cp <= 0xDFFF;
}

// Writes one scalar value as UTF-8 at `out`; returns the end.
char* put_utf8(char* out, char32_t cp) {
  if (cp > 0x10FFFF || is_surrogate(cp)) cp = kReplacement;
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

// Decodes UTF-16 units read through `unit(i)` (count of them: `count`) into UTF-8. At most
// 3 bytes per unit (a surrogate pair is 2 units for 4 bytes): written in place, then cut to
// size. Registry strings are nearly all ASCII (firewall rules alone are hundreds of values),
// which is the first branch.
template <typename Unit>
std::string from_units(std::size_t count, Unit unit) {
  std::string out(count * 3, '\0');
  char* at = out.data();
  for (std::size_t i = 0; i < count; ++i) {
    char32_t u = unit(i);
    if (u < 0x80) {
      *at++ = static_cast<char>(u);
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < count) {
      const char32_t low = unit(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        at = put_utf8(at, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    at = put_utf8(at, u);  // an unpaired surrogate becomes U+FFFD there
  }
  out.resize(static_cast<std::size_t>(at - out.data()));
  return out;
}

// Calls `emit(unit)` for each UTF-16 code unit of `text`.
template <typename Emit>
void to_units(std::string_view text, Emit emit) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      emit(static_cast<char16_t>(c));
      ++i;
      continue;
    }
    const Utf8Step step = decode_utf8(text, i);
    char32_t cp = step.code_point;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      emit(static_cast<char16_t>(0xD800 + (cp >> 10)));
      emit(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      emit(static_cast<char16_t>(cp));
    }
    i += step.length;
  }
}

}  // namespace

Utf8Step decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(at);
  if (c < 0x80) return {c, 1, true};
  std::size_t n = 0;
  char32_t min = 0, cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return {};
  }
  if (at + n > text.size()) return {};
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(at + k) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(at + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not text.
  if (cp < min || cp > 0x10FFFF || is_surrogate(cp)) return {};
  return {cp, n, true};
}

void append_utf8(std::string& out, char32_t code_point) {
  char buffer[4];
  out.append(buffer, static_cast<std::size_t>(put_utf8(buffer, code_point) - buffer));
}

std::string utf16_to_utf8(std::u16string_view units) {
  return from_units(units.size(), [&](std::size_t i) { return static_cast<char32_t>(units[i]); });
}

std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes) {
  return from_units(bytes.size() / 2,
                    [&](std::size_t i) { return static_cast<char32_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)); });
}

std::u16string utf8_to_utf16(std::string_view text) {
  std::u16string out;
  out.reserve(text.size());
  to_units(text, [&](char16_t u) { out += u; });
  return out;
}

std::string utf8_to_utf16le(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  to_units(text, [&](char16_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>((u >> 8) & 0xFF);
  });
  return out;
}

Expected<std::string, std::string> utf16_text_to_utf8(std::string_view bytes, ByteOrder order) {
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
      append_utf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xd800) << 10) + (low - 0xdc00));
      at += 2;
      continue;
    }
    append_utf8(out, u);
  }
  return out;
}

}  // namespace smbaudit::utf
