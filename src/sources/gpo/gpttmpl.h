// GptTmpl.inf, the security template of a GPO ([MS-GPSB] 2.2): UTF-16LE with a BOM, INI-like
// sections. Three sections reach the audit: [System Access] (account policy and LSA
// settings), [Registry Values] (Security Options, [MS-GPSB] 2.2.5) and [Service General
// Setting] (service start types, [MS-GPSB] 2.2.8). Other sections ([Privilege Rights],
// [Event Audit], [Kerberos Policy]...) are read past, not into the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit::gpo {

// "MinimumPasswordLength = 14" or "NewAdministratorName = \"Admin\"".
struct InfSetting {
  int line = 0;
  std::string name;
  std::variant<std::int64_t, std::string> value;
  friend bool operator==(const InfSetting&, const InfSetting&) = default;
};

// "MACHINE\System\...\Parameters\RequireSecuritySignature=4,1": key below HKLM, the value
// with its name and data (type 1 Sz, 2 ExpandSz, 3 Binary, 4 Dword, 7 MultiSz).
struct InfRegistryValue {
  int line = 0;
  std::string key;  // "System\CurrentControlSet\Services\LanmanServer\Parameters"
  RegValue value;
  friend bool operator==(const InfRegistryValue& a, const InfRegistryValue& b) {
    return a.line == b.line && a.key == b.key && a.value.name == b.value.name && a.value.type == b.value.type &&
           a.value.data == b.value.data;
  }
};

// "\"WebClient\",4,\"\"": a service's start mode (2 automatic, 3 manual, 4 disabled) and ACL.
struct InfService {
  int line = 0;
  std::string name;
  int mode = 0;
  std::string sddl;
  friend bool operator==(const InfService&, const InfService&) = default;
};

// A [Registry Values] line for another hive than MACHINE (USERS\...): valid, not audited.
struct InfSkipped {
  int line = 0;
  std::string text;
  friend bool operator==(const InfSkipped&, const InfSkipped&) = default;
};

struct InfFile {
  std::vector<InfSetting> system_access;
  std::vector<InfRegistryValue> registry_values;
  std::vector<InfService> services;
  std::vector<InfSkipped> skipped;
  friend bool operator==(const InfFile&, const InfFile&) = default;
};

// Parses a whole file; the error is one line without the file's name ("line 12: ...").
[[nodiscard]] Expected<InfFile, std::string> parse_gpttmpl(std::string_view bytes);

// Writes a template holding `inf` (line numbers ignored), UTF-16LE with its BOM and CRLF
// lines; fails on what the format cannot carry (a QWORD, a quote or line break in a string,
// a start mode other than 2, 3 or 4).
[[nodiscard]] Expected<std::string, std::string> write_gpttmpl(const InfFile& inf);

}  // namespace smbaudit::gpo
