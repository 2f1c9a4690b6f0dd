// Is a standard stream a terminal, and how wide is it: what progress display needs to know.
#pragma once

#include <cstddef>

namespace smbaudit {

enum class Stream { Out = 1, Err = 2 };

[[nodiscard]] bool is_terminal(Stream stream);

// Columns of the terminal behind standard error, or 80 when it will not say.
[[nodiscard]] std::size_t terminal_width();

}  // namespace smbaudit
