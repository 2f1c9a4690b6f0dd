// Small string helpers shared by every stage: ASCII case-insensitive
// comparison (registry and WMI names are case-insensitive) and joining.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbaudit {

[[nodiscard]] char ascii_lower(char c);
[[nodiscard]] std::string to_lower(std::string_view s);
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
[[nodiscard]] bool istarts_with(std::string_view s, std::string_view prefix);
// True when `needle` occurs in `s`, ASCII case ignored.
[[nodiscard]] bool icontains(std::string_view s, std::string_view needle);
[[nodiscard]] std::string_view trim(std::string_view s);
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Text for one cell of a Markdown table: pipes escaped, line breaks as spaces.
[[nodiscard]] std::string markdown_cell(std::string_view text);
// Wraps `text` at spaces into lines of at most `width` characters (a longer word keeps its own
// line), the first led by `first` and the others by `rest`; every line ends in '\n'. With
// width 0 the text stays on one line.
[[nodiscard]] std::string wrap_lines(std::string_view text, std::string_view first, std::string_view rest,
                                     std::size_t width);
// Matches `text` against `pattern` where '*' matches any run of characters; case-insensitive.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

// Orders strings case-insensitively, so maps keyed by registry names find either spelling.
struct ILess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

}  // namespace smbaudit
