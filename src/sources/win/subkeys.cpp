#include "subkeys.h"

#include "smbaudit/limits.h"
#include "wide.h"
#include "win_error.h"

namespace smbaudit::win {

Expected<std::vector<std::string>, std::string> subkey_names(HKEY key) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    DWORD count = 0, max_name = 0;
    LSTATUS rc = RegQueryInfoKeyW(key, nullptr, nullptr, nullptr, &count, &max_name, nullptr, nullptr, nullptr, nullptr,
                                  nullptr, nullptr);
    if (rc != ERROR_SUCCESS) return Unexpected(describe_win32("RegQueryInfoKeyW", static_cast<DWORD>(rc)));
    // One more than the limit, so the caller sees a list that is too long without reading it all.
    if (count > limits::kMaxSubkeysListed) count = static_cast<DWORD>(limits::kMaxSubkeysListed + 1);
    std::vector<std::string> names;
    std::wstring name(max_name + 1, L'\0');
    bool grew = false;
    for (DWORD i = 0; i < count; ++i) {
      DWORD len = static_cast<DWORD>(name.size());
      rc = RegEnumKeyExW(key, i, name.data(), &len, nullptr, nullptr, nullptr, nullptr);
      if (rc == ERROR_NO_MORE_ITEMS) break;
      if (rc == ERROR_MORE_DATA) {
        grew = true;
        break;
      }
      if (rc != ERROR_SUCCESS) return Unexpected(describe_win32("RegEnumKeyExW", static_cast<DWORD>(rc)));
      names.push_back(to_utf8(std::wstring_view(name.data(), len)));
    }
    if (!grew) return names;
  }
  return Unexpected(std::string("RegEnumKeyExW: the key's subkeys kept changing while being read"));
}

}  // namespace smbaudit::win
