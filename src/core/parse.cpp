#include "parse.h"

#include <charconv>

namespace smbaudit {
namespace {

std::optional<std::int64_t> parse_base(std::string_view text, int base, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max) {
  return parse_base(text, 10, min, max);
}

std::optional<std::int64_t> parse_int_or_hex(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    // from_chars would take a second sign; a hex number has none.
    if (text.front() == '-') return std::nullopt;
    return parse_base(text, 16, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  }
  return parse_int(text);
}

}  // namespace smbaudit
