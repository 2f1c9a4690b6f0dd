// The one UTF-8 / UTF-16 codec. Windows speaks UTF-16 (registry data, W APIs, .reg files);
// everything else in smbaudit is UTF-8. One error policy everywhere: what is not a Unicode
// scalar value (a stray or overlong byte, an encoded surrogate, an unpaired surrogate, a value
// past U+10FFFF) becomes U+FFFD, so a conversion never fails and never passes bad text on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"

namespace smbaudit::utf {

inline constexpr char32_t kReplacement = 0xFFFD;

// One step of UTF-8 decoding: the code point at a position and how many bytes it takes.
// An invalid sequence is one byte long and `valid` is false (its code point is U+FFFD).
struct Utf8Step {
  char32_t code_point = kReplacement;
  std::size_t length = 1;
  bool valid = false;
};

// Decodes the sequence starting at text[at] (at < text.size()), validating it fully.
[[nodiscard]] Utf8Step decode_utf8(std::string_view text, std::size_t at);

// Appends a code point as UTF-8 (a surrogate or a value past U+10FFFF as U+FFFD).
void append_utf8(std::string& out, char32_t code_point);

// UTF-16 code units to UTF-8; an unpaired surrogate becomes U+FFFD.
[[nodiscard]] std::string utf16_to_utf8(std::u16string_view units);
// UTF-16LE bytes (registry data, a .reg file) to UTF-8; an odd last byte is not a code unit and is dropped.
[[nodiscard]] std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes);

// Input files Windows tools write as UTF-16 (Windows PowerShell 5.1's `>` and Out-File write
// UTF-16LE with a byte-order mark), without the mark. A file is text a user gave us, so here
// bad data is refused rather than replaced: an odd number of bytes, or a surrogate without
// its pair, is an error naming the byte offset (input.h's decode_input_text is the caller).
enum class ByteOrder { LittleEndian, BigEndian };
[[nodiscard]] Expected<std::string, std::string> utf16_text_to_utf8(std::string_view bytes, ByteOrder order);

// UTF-8 to UTF-16 code units, and to UTF-16LE bytes; invalid sequences become U+FFFD.
[[nodiscard]] std::u16string utf8_to_utf16(std::string_view text);
[[nodiscard]] std::string utf8_to_utf16le(std::string_view text);

}  // namespace smbaudit::utf
