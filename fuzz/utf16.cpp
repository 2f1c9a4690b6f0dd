// Fuzzes the UTF-16 decoder every input file passes through (facts, reports, waivers,
// profiles, computer lists written by Windows PowerShell 5.1): a decode that succeeds gives
// valid UTF-8 (checked by nlohmann's strict writer, an independent reader), no longer than
// the input allows; a refusal is one line.
#include <nlohmann/json.hpp>

#include "../src/core/input.h"
#include "../src/core/utf.h"
#include "fuzz_input.h"

using namespace smbaudit;

namespace {

bool valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(fuzz::as_text(data, size));
  for (utf::ByteOrder order : {utf::ByteOrder::LittleEndian, utf::ByteOrder::BigEndian}) {
    auto text = utf::utf16_text_to_utf8(bytes, order);
    if (!text) {
      fuzz::require(!text.error().empty() && text.error().find('\n') == std::string::npos);
      continue;
    }
    fuzz::require(valid_utf8(*text));
    fuzz::require(text->size() <= bytes.size() / 2 * 3);  // at most 3 bytes of UTF-8 per UTF-16 unit
  }
  auto decoded = decode_input_text(bytes);
  if (decoded && needs_decoding(bytes) && bytes.size() >= 2 && (bytes[0] == '\xff' || bytes[0] == '\xfe'))
    fuzz::require(valid_utf8(*decoded));
  if (!decoded) fuzz::require(decoded.error().find('\n') == std::string::npos);
  return 0;
}
