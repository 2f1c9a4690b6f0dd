#include "existing.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "smbaudit/text.h"

namespace smbaudit::fleet {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUtc = "{utc}";

bool is_separator(char c) {
#ifdef _WIN32
  return c == '/' || c == '\\';
#else
  return c == '/';
#endif
}

// One component of a path: fixed text and {utc} slots.
struct Part {
  std::string text;
  bool utc = false;
};
using Component = std::vector<Part>;

// {utc} at `at`: the date's digits, 'T', six digits, 'Z' (20261122T031500Z).
bool utc_at(std::string_view name, std::size_t& at, std::string_view compact_date) {
  if (name.size() < at + 16 || name.substr(at, 8) != compact_date || name[at + 8] != 'T' || name[at + 15] != 'Z')
    return false;
  for (std::size_t i = at + 9; i < at + 15; ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  at += 16;
  return true;
}

bool matches(const Component& component, std::string_view name, std::string_view compact_date) {
  std::size_t at = 0;
  for (const Part& part : component) {
    if (part.utc) {
      if (!utc_at(name, at, compact_date)) return false;
      continue;
    }
    if (name.size() < at + part.text.size() || !iequals(name.substr(at, part.text.size()), part.text)) return false;
    at += part.text.size();
  }
  return at == name.size();
}

bool has_utc(const Component& component) {
  for (const Part& part : component)
    if (part.utc) return true;
  return false;
}

bool usable(const fs::path& p, bool last) {
  std::error_code ec;
  return last ? fs::is_regular_file(p, ec) : fs::is_directory(p, ec);
}

std::optional<fs::path> find(const fs::path& dir, const std::vector<Component>& rest, std::size_t i,
                             std::string_view compact_date) {
  if (i == rest.size()) return dir;
  const bool last = i + 1 == rest.size();
  const Component& component = rest[i];
  if (!has_utc(component)) {
    const fs::path next = dir / component.front().text;
    if (!usable(next, last)) return std::nullopt;
    return find(next, rest, i + 1, compact_date);
  }
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!matches(component, it->path().filename().string(), compact_date) || !usable(it->path(), last)) continue;
    if (auto found = find(it->path(), rest, i + 1, compact_date)) return found;
  }
  return std::nullopt;
}

std::optional<std::string> existing_one(std::string_view pattern, const std::string& host, std::string_view date,
                                        const ExpandPath& expand) {
  const std::string midnight = fmt::format("{}T00:00:00Z", date);
  // Each stretch between {utc}s is expanded on its own; {utc} stays a slot to match.
  std::vector<Part> parts;
  for (std::size_t start = 0;;) {
    const auto utc = pattern.find(kUtc, start);
    parts.push_back({expand(pattern.substr(start, utc - start), host, midnight), false});
    if (utc == std::string_view::npos) break;
    parts.push_back({"", true});
    start = utc + kUtc.size();
  }
  if (parts.size() == 1) return usable(parts.front().text, true) ? std::optional(parts.front().text) : std::nullopt;

  // The folder before the first {utc} is a fixed path (absolute, relative or UNC): start there.
  std::string& head = parts.front().text;
  std::size_t cut = head.size();
  while (cut > 0 && !is_separator(head[cut - 1])) --cut;
  const fs::path base = cut == 0 ? fs::path(".") : fs::path(head.substr(0, cut));
  head.erase(0, cut);

  std::vector<Component> rest(1);
  for (const Part& part : parts) {
    if (part.utc) {
      rest.back().push_back(part);
      continue;
    }
    std::size_t from = 0;
    for (std::size_t i = 0; i <= part.text.size(); ++i) {
      if (i < part.text.size() && !is_separator(part.text[i])) continue;
      if (i > from) rest.back().push_back({part.text.substr(from, i - from), false});
      if (i < part.text.size()) rest.emplace_back();
      from = i + 1;
    }
  }
  std::erase_if(rest, [](const Component& c) { return c.empty(); });  // "a//b", a trailing separator
  std::string compact_date;
  for (char c : date)
    if (c != '-') compact_date += c;
  auto found = find(base, rest, 0, compact_date);
  if (!found) return std::nullopt;
  return found->string();
}

}  // namespace

std::optional<std::string> undated_pattern_problem(std::string_view pattern) {
  if (pattern.find("{date}") != std::string_view::npos || pattern.find(kUtc) != std::string_view::npos)
    return std::nullopt;
  return fmt::format(
      "--skip-existing: '{}' has neither {{date}} nor {{utc}}, so an earlier day's file would count as today's: put "
      "one in the path",
      pattern);
}

std::optional<std::string> existing_output(const std::vector<std::string>& patterns, const std::string& host,
                                           std::string_view date, const ExpandPath& expand) {
  std::optional<std::string> first;
  for (const auto& pattern : patterns) {
    auto found = existing_one(pattern, host, date, expand);
    if (!found) return std::nullopt;
    if (!first) first = std::move(found);
  }
  return first;
}

}  // namespace smbaudit::fleet
