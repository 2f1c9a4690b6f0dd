#include "registry.h"

#include <fmt/format.h>

#include <vector>

#include "../../core/reg_data.h"
#include "../win/handles.h"
#include "../win/subkeys.h"
#include "../win/wide.h"
#include "../win/win_error.h"
#include "smbaudit/text.h"

namespace smbaudit::live {

using namespace win;
FactResult<RegistryKeyFact> RegistryReader::read_key(const std::string& path) {
  if (auto it = cache_.find(path); it != cache_.end()) return it->second;
  auto result = read_uncached(path);
  cache_.emplace(path, result);
  return result;
}

LSTATUS RegistryReader::open(const std::string& path, REGSAM access, UniqueHkey& key) {
  ++reads_;
  std::string_view sub = path;
  if (istarts_with(sub, "HKLM\\")) sub.remove_prefix(5);
  // The 64-bit view: a 32-bit build must not be redirected to WOW6432Node.
  return RegOpenKeyExW(hklm_, to_wide(sub).c_str(), 0, access | KEY_WOW64_64KEY, key.put());
}

FactResult<std::vector<std::string>> RegistryReader::subkeys(const std::string& path) {
  UniqueHkey key;
  const LSTATUS rc = open(path, KEY_ENUMERATE_SUB_KEYS, key);
  if (rc == ERROR_FILE_NOT_FOUND) return std::vector<std::string>{};
  if (rc != ERROR_SUCCESS)
    return Unexpected(FactError{FactProblem::Error, describe_win32("RegOpenKeyExW", static_cast<DWORD>(rc))});
  auto names = subkey_names(key.get());
  if (!names) return Unexpected(FactError{FactProblem::Error, std::move(names).error()});
  return std::move(*names);
}

FactResult<RegistryKeyFact> RegistryReader::read_uncached(const std::string& path) {
  UniqueHkey key;
  LSTATUS rc = open(path, KEY_QUERY_VALUE, key);
  if (rc == ERROR_FILE_NOT_FOUND) return RegistryKeyFact{Presence::Absent, {}, {}};
  if (rc != ERROR_SUCCESS)
    return Unexpected(FactError{FactProblem::Error, describe_win32("RegOpenKeyExW", static_cast<DWORD>(rc))});

  // A value may grow between sizing and reading: start over with fresh sizes a few times.
  for (int attempt = 0; attempt < 4; ++attempt) {
    DWORD count = 0, max_name = 0, max_data = 0;
    rc = RegQueryInfoKeyW(key.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &count, &max_name, &max_data,
                          nullptr, nullptr);
    if (rc != ERROR_SUCCESS)
      return Unexpected(FactError{FactProblem::Error, describe_win32("RegQueryInfoKeyW", static_cast<DWORD>(rc))});
    std::vector<wchar_t> name(max_name + 1);
    std::vector<std::uint8_t> data(max_data + sizeof(wchar_t));
    RegistryKeyFact fact{Presence::Present, {}, {}};
    bool grew = false;
    for (DWORD i = 0;; ++i) {
      DWORD name_len = static_cast<DWORD>(name.size());
      DWORD data_len = static_cast<DWORD>(data.size());
      DWORD type = 0;
      rc = RegEnumValueW(key.get(), i, name.data(), &name_len, nullptr, &type, data.data(), &data_len);
      if (rc == ERROR_NO_MORE_ITEMS) break;
      if (rc == ERROR_MORE_DATA) {
        grew = true;
        break;
      }
      if (rc != ERROR_SUCCESS)
        return Unexpected(FactError{FactProblem::Error, describe_win32("RegEnumValueW", static_cast<DWORD>(rc))});
      fact.values.push_back(decode_reg_value(to_utf8(std::wstring_view(name.data(), name_len)), type,
                                             std::span<const std::uint8_t>(data.data(), data_len)));
    }
    if (!grew) return fact;
  }
  return Unexpected(
      FactError{FactProblem::Error, fmt::format("RegEnumValueW: {} kept changing while being read", path)});
}

}  // namespace smbaudit::live
