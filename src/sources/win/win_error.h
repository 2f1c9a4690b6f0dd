// Win32 and COM failures as one line of text: the API that failed, the system's message
// for the code, and the code itself ("RegOpenKeyExW: Access is denied (5)").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace smbaudit::win {

// The system's message for a Win32 error code (no trailing period or newline), or
// "unknown error" when the system has none.
[[nodiscard]] std::string win32_message(std::uint32_t code);

// The message for an HRESULT, including the WMI (WBEM) codes the system table lacks.
[[nodiscard]] std::string hresult_message(std::int32_t hr);

// "API: message (code)" for a Win32 error code.
[[nodiscard]] std::string describe_win32(std::string_view api, std::uint32_t code);

// "API: message (0x8004100E)" for an HRESULT.
[[nodiscard]] std::string describe_hresult(std::string_view api, std::int32_t hr);

}  // namespace smbaudit::win
