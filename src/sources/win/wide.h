// Windows' W APIs take wchar_t strings: these adapt them to the one UTF-8/UTF-16 codec
// (src/core/utf.h) and its error policy.
#pragma once

#include <string>
#include <string_view>

namespace smbaudit::win {

// Converts UTF-16 to UTF-8; an unpaired surrogate becomes U+FFFD rather than failing.
[[nodiscard]] std::string to_utf8(std::wstring_view text);

// Converts UTF-8 to UTF-16; an invalid byte sequence becomes U+FFFD rather than failing.
[[nodiscard]] std::wstring to_wide(std::string_view text);

}  // namespace smbaudit::win
