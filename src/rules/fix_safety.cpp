#include "fix_safety.h"

#include <fmt/format.h>

#include <array>

#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// Commands and methods that delete or empty registry keys and values, wherever they appear
// (comments included: administrators copy those too).
constexpr std::array<std::string_view, 12> kDeleting{"Remove-Item",
                                                     "Remove-ItemProperty",
                                                     "Clear-Item",
                                                     "Clear-ItemProperty",
                                                     "Remove-GPRegistryValue",
                                                     "Remove-GPPrefRegistryValue",
                                                     "DeleteSubKey",
                                                     "DeleteSubKeyTree",
                                                     "DeleteValue",
                                                     "Move-Item",
                                                     "Rename-Item",
                                                     "Rename-ItemProperty"};
// Their aliases, which only count as the first word of a command.
constexpr std::array<std::string_view, 10> kDeletingAliases{"ri", "rp",    "rm",  "del", "erase",
                                                            "rd", "rmdir", "cli", "clp", "mi"};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

// The positions where `word` (lower case) occurs in `lower` (the text, lower-cased once) as a
// whole word. Every rule's texts pass here whenever a pack loads, so no regex on this path.
std::vector<std::size_t> find_words(std::string_view lower, std::string_view word) {
  std::vector<std::size_t> out;
  for (auto at = lower.find(word); at != std::string_view::npos; at = lower.find(word, at + 1)) {
    const bool starts = at == 0 || !word_char(lower[at - 1]) || lower[at - 1] == '.';
    const std::size_t end = at + word.size();
    const bool ends = end == lower.size() || !word_char(lower[end]);
    if (starts && ends) out.push_back(at);
  }
  return out;
}

// The command a position belongs to, up to the next separator.
std::string_view command_at(std::string_view text, std::size_t at) {
  const auto end = text.find_first_of(";|}\n#", at);
  return text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

// The first words of every command in `text`: after the start, a separator or a brace.
std::vector<std::string_view> command_words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < text.size()) {
    at = text.find_first_not_of(" \t\r\n;|{}()#&", at);
    if (at == std::string_view::npos) break;
    const auto end = text.find_first_of(" \t\r\n;|{}()#&", at);
    out.push_back(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    at = text.find_first_of(";|{}(#&\n", at);
    if (at == std::string_view::npos) break;
  }
  return out;
}

// Splits a command into words; a quoted word keeps its quotes.
std::vector<std::string> words(std::string_view command) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < command.size()) {
    at = command.find_first_not_of(" \t\r", at);
    if (at == std::string_view::npos) break;
    std::size_t end = at;
    if (command[at] == '\'' || command[at] == '"') {
      end = command.find(command[at], at + 1);
      end = end == std::string_view::npos ? command.size() : end + 1;
    } else {
      end = command.find_first_of(" \t\r", at);
      if (end == std::string_view::npos) end = command.size();
    }
    out.emplace_back(command.substr(at, end - at));
    at = end;
  }
  return out;
}

// The path a New-Item or Test-Path command names: -Path X, -LiteralPath X, or the first
// positional argument.
std::string path_argument(std::string_view command) {
  const auto w = words(command);
  static constexpr std::string_view kTakesValue[] = {"-name", "-itemtype", "-type", "-value", "-credential"};
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (iequals(w[i], "-Path") || iequals(w[i], "-LiteralPath")) return i + 1 < w.size() ? w[i + 1] : "";
    if (!w[i].empty() && w[i][0] == '-') {
      for (std::string_view p : kTakesValue)
        if (iequals(w[i], p)) ++i;
      continue;
    }
    return w[i];
  }
  return "";
}

// -Force, or any prefix PowerShell accepts for it (-f, -fo, ...), with or without ":$true".
bool has_force(std::string_view command) {
  for (const auto& w : words(command)) {
    const std::string flag = to_lower(std::string_view(w).substr(0, w.find(':')));
    if (flag.size() >= 2 && flag.size() <= 6 && std::string_view("-force").starts_with(flag)) return true;
  }
  return false;
}

// True when `New-Item` at `at` is the body of `if (-not (Test-Path PATH)) {` for its own
// path, read backwards from `at` (spacing free, case ignored).
bool guarded(std::string_view text, std::size_t at, const std::string& path) {
  std::string_view before = text.substr(0, at);
  const auto take = [&before](std::string_view token) {
    before = before.substr(0, before.find_last_not_of(" \t\r\n") + 1);
    if (before.size() < token.size() || !iequals(before.substr(before.size() - token.size()), token)) return false;
    before.remove_suffix(token.size());
    return true;
  };
  if (!take("{") || !take(")") || !take(")")) return false;
  const auto open = before.rfind('(');
  if (open == std::string_view::npos) return false;
  const std::string test = std::string(trim(before.substr(open + 1)));
  before = before.substr(0, open);
  return !path.empty() && istarts_with(test, "Test-Path ") && iequals(path_argument(test), path) && take("-not") &&
         take("(") && take("if");
}

// True when `at` starts a command: nothing but blanks between it and the text's start or a separator.
bool starts_command(std::string_view text, std::size_t at) {
  const auto before = text.substr(0, at).find_last_not_of(" \t\r");
  return before == std::string_view::npos || std::string_view(";|{(&\n#").find(text[before]) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> harmful_fix_text(std::string_view text) {
  const std::string lower = to_lower(text);
  for (std::string_view word : kDeleting)
    if (!find_words(lower, to_lower(word)).empty())
      return fmt::format("'{}' deletes or moves registry keys or values; a fix may only create and set", word);
  for (std::string_view word : command_words(text))
    for (std::string_view alias : kDeletingAliases)
      if (iequals(word, alias))
        return fmt::format("'{}' deletes registry keys or values; a fix may only create and set", word);
  // reg.exe: delete, import and restore remove or replace data; "reg add" only sets.
  for (std::string_view program : {"reg", "reg.exe"}) {
    for (std::size_t at : find_words(lower, program)) {
      const auto next = lower.find_first_not_of(" \t", at + program.size());
      const std::string_view rest =
          next == std::string::npos ? std::string_view() : std::string_view(lower).substr(next);
      for (std::string_view verb : {"delete", "import", "restore", "unload"})
        if (rest.starts_with(verb) && (rest.size() == verb.size() || !word_char(rest[verb.size()])))
          return fmt::format("'reg {}' can remove or replace registry data; a fix may only set values", verb);
    }
  }
  for (std::string_view name : {"New-Item", "ni"}) {
    for (std::size_t at : find_words(lower, to_lower(name))) {
      if (name == "ni" && !starts_command(text, at)) continue;  // "ni" as a word in prose is no command
      const std::string_view command = command_at(text, at);
      if (!has_force(command)) continue;
      const std::string path = path_argument(command);
      if (!guarded(text, at, path))
        return fmt::format(
            "'{}' with -Force recreates an existing key empty (its values and subkeys are deleted): write "
            "if (-not (Test-Path {})) {{ New-Item -Path {} -Force | Out-Null }}",
            std::string(command.substr(0, std::min<std::size_t>(command.size(), 60))), path.empty() ? "KEY" : path,
            path.empty() ? "KEY" : path);
    }
  }
  return std::nullopt;
}

}  // namespace smbaudit
