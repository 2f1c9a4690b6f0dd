#include "registry.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "../win/handles.h"
#include "../win/wide.h"
#include "../win/win_error.h"
#include "smbaudit/text.h"

namespace smbaudit::live {

using namespace win;
namespace {

// The UTF-16 text in registry data, up to the first NUL or the end of the data.
std::wstring wide_text(std::span<const std::uint8_t> data) {
  std::wstring text(data.size() / sizeof(wchar_t), L'\0');
  if (!text.empty()) std::memcpy(text.data(), data.data(), text.size() * sizeof(wchar_t));
  if (auto nul = text.find(L'\0'); nul != std::wstring::npos) text.resize(nul);
  return text;
}

StringList multi_string(std::span<const std::uint8_t> data) {
  std::wstring all(data.size() / sizeof(wchar_t), L'\0');
  if (!all.empty()) std::memcpy(all.data(), data.data(), all.size() * sizeof(wchar_t));
  StringList out;
  std::size_t start = 0;
  while (start < all.size()) {
    const auto end = all.find(L'\0', start);
    const auto item =
        std::wstring_view(all).substr(start, end == std::wstring::npos ? std::wstring::npos : end - start);
    if (item.empty()) break;  // the list ends at an empty string (the double NUL)
    out.push_back(to_utf8(item));
    if (end == std::wstring::npos) break;
    start = end + 1;
  }
  return out;
}

std::uint64_t little_endian(std::span<const std::uint8_t> data, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width && i < data.size(); ++i) v |= static_cast<std::uint64_t>(data[i]) << (8 * i);
  return v;
}

}  // namespace

RegValue convert_registry_value(std::wstring_view name, DWORD type, std::span<const std::uint8_t> data) {
  RegValue v{to_utf8(name), RegType::Other, Bytes(data.begin(), data.end())};
  switch (type) {
    case REG_DWORD:
      v.type = RegType::Dword;
      v.data = static_cast<std::int64_t>(little_endian(data, 4));
      break;
    case REG_QWORD:
      v.type = RegType::Qword;
      v.data = static_cast<std::int64_t>(little_endian(data, 8));
      break;
    case REG_SZ:
      v.type = RegType::Sz;
      v.data = to_utf8(wide_text(data));
      break;
    case REG_EXPAND_SZ:
      v.type = RegType::ExpandSz;
      v.data = to_utf8(wide_text(data));
      break;
    case REG_MULTI_SZ:
      v.type = RegType::MultiSz;
      v.data = multi_string(data);
      break;
    case REG_BINARY: v.type = RegType::Binary; break;
    default: break;
  }
  return v;
}

FactResult<RegistryKeyFact> RegistryReader::read_key(const std::string& path) {
  if (auto it = cache_.find(path); it != cache_.end()) return it->second;
  auto result = read_uncached(path);
  cache_.emplace(path, result);
  return result;
}

FactResult<RegistryKeyFact> RegistryReader::read_uncached(const std::string& path) {
  ++reads_;
  std::string_view sub = path;
  if (istarts_with(sub, "HKLM\\")) sub.remove_prefix(5);
  const std::wstring subkey = to_wide(sub);
  UniqueHkey key;
  // The 64-bit view: a 32-bit build must not be redirected to WOW6432Node.
  LSTATUS rc = RegOpenKeyExW(hklm_, subkey.c_str(), 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, key.put());
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
      fact.values.push_back(convert_registry_value(std::wstring_view(name.data(), name_len), type,
                                                   std::span<const std::uint8_t>(data.data(), data_len)));
    }
    if (!grew) return fact;
  }
  return Unexpected(
      FactError{FactProblem::Error, fmt::format("RegEnumValueW: {} kept changing while being read", path)});
}

}  // namespace smbaudit::live
