// Reading input smbaudit does not control (rule packs, profiles, facts files, reports)
// within the caps of limits.h: size is checked before reading, depth and string length
// before parsing, and every failure is one printable line.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"

namespace smbaudit {

// Reads a whole file no larger than limits::kMaxInputFileBytes; the error says what is
// wrong (callers prefix the path).
[[nodiscard]] Expected<std::string, std::string> read_input_file(const std::filesystem::path& path);

// Parses JSON within the size, nesting and string-length caps; the error names what is
// wrong (not the file: callers prefix that).
[[nodiscard]] Expected<nlohmann::json, std::string> parse_json_input(std::string_view text);

// Parses JSON smbaudit itself supplies (the built-in pack) without those caps' validating
// pass; still an error, never an exception, when the text is not JSON.
[[nodiscard]] Expected<nlohmann::json, std::string> parse_trusted_json(std::string_view text);

// Escapes control characters (newlines, ESC...) so text taken from input stays on one log
// line and cannot forge another or drive the terminal; a line longer than
// limits::kMaxErrorLineBytes keeps its head (the file and where) and tail (what is wrong).
[[nodiscard]] std::string one_line(std::string_view text);

}  // namespace smbaudit
