// --skip-existing: does a host already have its report (or snapshot) for today? Output paths
// are templates ({host}, {date}, {utc}); a report written at any time of the date counts,
// so where the template has {utc} the folder is searched for any time on that date.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbaudit::fleet {

// Expands an output path template as the command does, for `host` at `iso_time`
// (2026-11-22T00:00:00Z): the one place {host} and {date} are spelled out stays the command's.
using ExpandPath =
    std::function<std::string(std::string_view pattern, const std::string& host, const std::string& iso_time)>;

// Why `pattern` cannot tell today's file from an older one (it has neither {date} nor {utc}),
// or nullopt when it can.
[[nodiscard]] std::optional<std::string> undated_pattern_problem(std::string_view pattern);

// When every pattern already has a file for `host` on `date` (YYYY-MM-DD, UTC), the first
// such file; else nullopt. A {utc} part matches any time on that date. File names compare
// ASCII case-insensitively where {utc} makes the folder be listed (host names are
// case-insensitive); fixed parts of a path are looked up as the file system spells them.
[[nodiscard]] std::optional<std::string> existing_output(const std::vector<std::string>& patterns,
                                                         const std::string& host, std::string_view date,
                                                         const ExpandPath& expand);

}  // namespace smbaudit::fleet
