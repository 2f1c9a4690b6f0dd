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

// Text in the encodings Windows tools write: UTF-16LE or UTF-16BE with a byte-order mark
// (Windows PowerShell 5.1's `>` and Out-File) becomes UTF-8; anything else is returned as is
// (UTF-8, with or without a BOM). UTF-16 without a BOM is named as such rather than misread.
// The error says what is wrong (callers prefix the path).
[[nodiscard]] Expected<std::string, std::string> decode_input_text(std::string bytes);

// True when decode_input_text would change or refuse `bytes` (a UTF-16 BOM, or a zero byte
// at the start), so callers that read many files copy only those.
[[nodiscard]] bool needs_decoding(std::string_view bytes);

// read_input_file, then decode_input_text: for text that is not JSON (computer lists).
[[nodiscard]] Expected<std::string, std::string> read_text_input(const std::filesystem::path& path);

// Parses JSON within the size, nesting and string-length caps, after decode_input_text; the
// error names what is wrong (not the file: callers prefix that).
[[nodiscard]] Expected<nlohmann::json, std::string> parse_json_input(std::string_view text);

// Parses JSON smbaudit itself supplies (the built-in pack) without those caps' validating
// pass; still an error, never an exception, when the text is not JSON.
[[nodiscard]] Expected<nlohmann::json, std::string> parse_trusted_json(std::string_view text);

// Escapes control characters (newlines, ESC...) so text taken from input stays on one log
// line and cannot forge another or drive the terminal; a line longer than
// limits::kMaxErrorLineBytes keeps its head (the file and where) and tail (what is wrong).
[[nodiscard]] std::string one_line(std::string_view text);

}  // namespace smbaudit
