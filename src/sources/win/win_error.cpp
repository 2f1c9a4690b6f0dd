#include "win_error.h"

#include <fmt/format.h>
#include <windows.h>

#include <array>
#include <utility>

#include "handles.h"
#include "wide.h"

namespace smbaudit::win {
namespace {

std::string system_message(DWORD code) {
  // Network management codes (NERR_*, 2100-2999) have their texts in netmsg.dll.
  const bool netapi = code >= 2100 && code < 3000;
  const UniqueModule netmsg(netapi ? LoadLibraryExW(L"netmsg.dll", nullptr, LOAD_LIBRARY_AS_DATAFILE) : nullptr);
  wchar_t* buffer = nullptr;
  // MAX_WIDTH_MASK turns the line breaks some messages carry into spaces: errors are one line.
  const DWORD length =
      FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                         FORMAT_MESSAGE_MAX_WIDTH_MASK | (netmsg ? FORMAT_MESSAGE_FROM_HMODULE : 0),
                     netmsg.get(), code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  const UniqueLocalBuffer owner(buffer);
  if (length == 0 || !buffer) return {};
  std::string text = to_utf8(std::wstring_view(buffer, length));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.'))
    text.pop_back();
  return text;
}

// WMI's codes live in wbem's own message file, which is not always present (Wine has none):
// the ones a collector meets are named here.
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 9> kWbemMessages{{
    {0x80041001, "generic WMI failure"},
    {0x80041002, "object not found"},
    {0x80041003, "access denied"},
    {0x80041008, "invalid parameter"},
    {0x8004100e, "invalid namespace"},
    {0x80041010, "invalid class"},
    {0x80041013, "WMI provider load failure"},
    {0x80041017, "invalid query"},
    {0x80041032, "call cancelled"},
}};

}  // namespace

std::string win32_message(std::uint32_t code) {
  std::string text = system_message(code);
  return text.empty() ? std::string("unknown error") : text;
}

std::string hresult_message(std::int32_t hr) {
  const auto code = static_cast<std::uint32_t>(hr);
  for (const auto& [known, text] : kWbemMessages)
    if (known == code) return std::string(text);
  std::string text = system_message(code);
  return text.empty() ? std::string("unknown error") : text;
}

std::string describe_win32(std::string_view api, std::uint32_t code) {
  return fmt::format("{}: {} ({})", api, win32_message(code), code);
}

std::string describe_hresult(std::string_view api, std::int32_t hr) {
  return fmt::format("{}: {} (0x{:08X})", api, hresult_message(hr), static_cast<std::uint32_t>(hr));
}

}  // namespace smbaudit::win
