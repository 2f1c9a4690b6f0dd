// Reads whole registry keys (every value) from HKLM, local or remote, in the 64-bit view;
// values go through the one decoder (src/core/reg_data.h).
#pragma once

#include <windows.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../win/handles.h"
#include "smbaudit/facts.h"

namespace smbaudit::live {

class RegistryReader {
 public:
  // `hklm` is HKEY_LOCAL_MACHINE or a remote HKLM from RegConnectRegistryW (tests pass
  // another root); it is borrowed and must outlive the reader.
  explicit RegistryReader(HKEY hklm) : hklm_(hklm) {}

  // Reads the key at an "HKLM\..." path with all its values; a missing key is
  // Presence::Absent, a failed read an Error naming the API. Each path is read once.
  [[nodiscard]] FactResult<RegistryKeyFact> read_key(const std::string& path);
  // The names of the key's direct subkeys; an absent key has none.
  [[nodiscard]] FactResult<std::vector<std::string>> subkeys(const std::string& path);

  // How many keys were read from the registry (cache hits excluded).
  [[nodiscard]] int reads() const { return reads_; }

 private:
  FactResult<RegistryKeyFact> read_uncached(const std::string& path);
  // Opens the key at an "HKLM\..." path in the 64-bit view, counting the read.
  LSTATUS open(const std::string& path, REGSAM access, win::UniqueHkey& key);

  HKEY hklm_;
  std::map<std::string, FactResult<RegistryKeyFact>, ILess> cache_;
  int reads_ = 0;
};

}  // namespace smbaudit::live
