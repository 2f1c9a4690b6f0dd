// Fix advice must never harm: a rule's PowerShell or Group Policy text is what an
// administrator copies and runs, so it may create a key only where it is missing and may
// delete nothing. On the registry provider `New-Item KEY -Force` on a key that exists
// deletes it with every value and subkey and creates it empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbaudit {

// Why `text` could delete or recreate an existing registry key or value (an unguarded
// `New-Item -Force`, Remove-Item, Remove-ItemProperty, Clear-Item, reg delete, ...), or
// nullopt when it cannot. A key is created safely as
//   if (-not (Test-Path $k)) { New-Item -Path $k -Force | Out-Null }
// with the same path in Test-Path and New-Item.
[[nodiscard]] std::optional<std::string> harmful_fix_text(std::string_view text);

}  // namespace smbaudit
