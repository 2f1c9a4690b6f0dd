// The one integer parser for numbers written as text (registry strings, WMI properties,
// firewall rule fields, dates, versions): strict, so "12abc", " 12" and "" are not numbers.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace smbaudit {

// A whole decimal integer (a leading '-' allowed; no sign '+', no spaces: trim first where
// the text may hold them) within [min, max]; nullopt for anything else.
[[nodiscard]] std::optional<std::int64_t> parse_int(std::string_view text,
                                                    std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                                    std::int64_t max = std::numeric_limits<std::int64_t>::max());

// parse_int, or "0x" (any case) and hexadecimal digits: how registry numbers are written by hand.
[[nodiscard]] std::optional<std::int64_t> parse_int_or_hex(std::string_view text);

}  // namespace smbaudit
