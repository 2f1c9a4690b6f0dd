#include "wide.h"

#include "../../core/utf.h"

namespace smbaudit::win {

// wchar_t is a UTF-16 code unit on Windows, the only platform this file is built for.
static_assert(sizeof(wchar_t) == sizeof(char16_t));

std::string to_utf8(std::wstring_view text) {
  return utf::utf16_to_utf8({reinterpret_cast<const char16_t*>(text.data()), text.size()});
}

std::wstring to_wide(std::string_view text) {
  const std::u16string units = utf::utf8_to_utf16(text);
  return {reinterpret_cast<const wchar_t*>(units.data()), units.size()};
}

}  // namespace smbaudit::win
