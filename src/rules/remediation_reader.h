// Reading a rule's "remediation" object (texts, registry/service/account policy fixes).
#pragma once

#include <string>

#include "json_reader.h"

namespace smbaudit {

// Every problem is reported through `reader`; `rule` gives the parameters a fix may name.
Remediation read_remediation(FileReader& reader, const Rule& rule, const json& j, const std::string& pointer);

}  // namespace smbaudit
