#include "wide.h"

#include <windows.h>

#include <algorithm>
#include <limits>

namespace smbaudit::win {

std::string to_utf8(std::wstring_view text) {
  if (text.empty()) return {};
  // Registry and WMI strings are far below INT_MAX; anything larger is cut rather than overflowing.
  const int in = static_cast<int>(std::min<std::size_t>(text.size(), std::numeric_limits<int>::max() / 4));
  const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), in, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), in, out.data(), size, nullptr, nullptr);
  return out;
}

std::wstring to_wide(std::string_view text) {
  if (text.empty()) return {};
  const int in = static_cast<int>(std::min<std::size_t>(text.size(), std::numeric_limits<int>::max() / 2));
  const int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), in, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(size), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), in, out.data(), size);
  return out;
}

}  // namespace smbaudit::win
