// Reads whole registry keys (every value) from HKLM, local or remote, in the 64-bit view.
#pragma once

#include <windows.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "smbaudit/facts.h"

namespace smbaudit::live {

// Converts one value's raw data, as the registry stores it, to a typed value: DWORD and
// QWORD to integers, SZ and EXPAND_SZ (unexpanded) to strings, MULTI_SZ to a list,
// BINARY and any other type to bytes. Short or unterminated data is read as far as it goes.
[[nodiscard]] RegValue convert_registry_value(std::wstring_view name, DWORD type, std::span<const std::uint8_t> data);

class RegistryReader {
 public:
  // `hklm` is HKEY_LOCAL_MACHINE or a remote HKLM from RegConnectRegistryW (tests pass
  // another root); it is borrowed and must outlive the reader.
  explicit RegistryReader(HKEY hklm) : hklm_(hklm) {}

  // Reads the key at an "HKLM\..." path with all its values; a missing key is
  // Presence::Absent, a failed read an Error naming the API. Each path is read once.
  [[nodiscard]] FactResult<RegistryKeyFact> read_key(const std::string& path);

  // How many keys were read from the registry (cache hits excluded).
  [[nodiscard]] int reads() const { return reads_; }

 private:
  FactResult<RegistryKeyFact> read_uncached(const std::string& path);

  HKEY hklm_;
  std::map<std::string, FactResult<RegistryKeyFact>, ILess> cache_;
  int reads_ = 0;
};

}  // namespace smbaudit::live
