// UTF-16 to UTF-8, for input files Windows tools write as UTF-16 (Windows PowerShell 5.1's
// `>` and Out-File write UTF-16LE with a byte-order mark). One small, validating decoder:
// input.h's decode_input_text is its one caller for files.
#pragma once

#include <string>
#include <string_view>

#include "smbaudit/expected.h"

namespace smbaudit {

enum class ByteOrder { LittleEndian, BigEndian };

// Decodes UTF-16 code units (no byte-order mark) to UTF-8. An odd number of bytes, or a
// surrogate without its pair, is an error naming the byte offset.
[[nodiscard]] Expected<std::string, std::string> utf16_to_utf8(std::string_view bytes, ByteOrder order);

}  // namespace smbaudit
