#include "computers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "../core/input.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// Host names, NetBIOS names and IP addresses (v4 and v6) all fit this; anything else
// (spaces, slashes, a UNC path with a share) is a mistake worth stopping for.
std::optional<std::string> problem_with(std::string_view name) {
  if (name.empty()) return "an empty computer name";
  if (name.size() > 255) return "a computer name longer than 255 characters";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == ':' || c >= 0x80))
      return fmt::format("'{}' is not a computer name (letters, digits, '-', '.', '_' and ':' only)", name);
  }
  return std::nullopt;
}

std::string_view without_unc_prefix(std::string_view name) {
  while (!name.empty() && name.front() == '\\') name.remove_prefix(1);
  return name;
}

}  // namespace

Expected<std::vector<std::string>, std::string> computer_names(const std::vector<std::string>& names,
                                                               const std::string& list_file) {
  std::vector<std::string> out;
  const auto add = [&out](std::string_view name) {
    for (const auto& existing : out)
      if (iequals(existing, name)) return;
    out.emplace_back(name);
  };
  for (const auto& raw : names) {
    const auto name = without_unc_prefix(trim(raw));
    if (auto problem = problem_with(name)) return Unexpected(fmt::format("--computer: {}", *problem));
    add(name);
  }
  if (list_file.empty()) return out;
  // Read like every other input: size-capped, and UTF-16 with a BOM (PowerShell 5.1's `>`) decoded.
  auto content = read_text_input(list_file);
  if (!content) return Unexpected(fmt::format("{}: cannot open the computer list: {}", list_file, content.error()));
  std::istringstream in(*content);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto text = trim(line);
    if (number == 1 && text.starts_with("\xEF\xBB\xBF")) text = trim(text.substr(3));  // Notepad's UTF-8 BOM
    if (text.empty() || text.front() == '#') continue;
    const auto name = without_unc_prefix(text);
    if (auto problem = problem_with(name))
      return Unexpected(fmt::format("{}: line {}: {}", list_file, number, *problem));
    add(name);
  }
  if (out.empty()) return Unexpected(fmt::format("{}: the computer list names no computer", list_file));
  return out;
}

}  // namespace smbaudit
