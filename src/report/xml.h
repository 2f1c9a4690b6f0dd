// Escaping for XML and HTML text and attribute values.
#pragma once

#include <string>
#include <string_view>

namespace smbaudit {

// Escapes & < > " ' and replaces control characters XML 1.0 forbids (all below 0x20 but
// tab, newline and carriage return) and invalid UTF-8 with U+FFFD, so any registry string
// stays well-formed.
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace smbaudit
