#pragma once

#include <string_view>

namespace smbaudit {

inline constexpr std::string_view kVersion = SMBAUDIT_VERSION;

}  // namespace smbaudit
