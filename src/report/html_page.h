// The frame every smbaudit HTML page shares: one self-contained document (inline CSS and
// script only; a Content-Security-Policy forbids the browser to fetch anything), print CSS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbaudit {

// Everything from <!DOCTYPE> to the opening <body>; `title` is plain text.
[[nodiscard]] std::string html_page_start(std::string_view title);
// The expand/collapse script and the closing tags.
[[nodiscard]] std::string html_page_end();

// A horizontal bar for a 0-100 score, coloured by band; "n/a" when there is none.
[[nodiscard]] std::string html_score_bar(const std::optional<double>& score);

}  // namespace smbaudit
