#include "smbaudit/text.h"

#include <algorithm>

namespace smbaudit {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Finds the needle's first letter with memchr (find), in each case, then compares there: the
// firewall check runs this over every rule string of a host (hundreds), where std::search
// with a case-folding predicate cost ten instructions a byte.
bool icontains(std::string_view s, std::string_view needle) {
  if (needle.empty()) return true;
  if (s.size() < needle.size()) return false;
  const auto at = [&](std::size_t i) {
    for (std::size_t k = 1; k < needle.size(); ++k)
      if (ascii_lower(s[i + k]) != ascii_lower(needle[k])) return false;
    return true;
  };
  const char lower = ascii_lower(needle.front());
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - ('a' - 'A')) : lower;
  const std::size_t last = s.size() - needle.size();
  for (char first : {lower, upper}) {
    for (std::size_t i = s.find(first); i != std::string_view::npos && i <= last; i = s.find(first, i + 1))
      if (at(i)) return true;
    if (upper == lower) break;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {

// Characters, not bytes: a UTF-8 continuation byte does not take a column.
std::size_t columns(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

}  // namespace

std::string wrap_lines(std::string_view text, std::string_view first, std::string_view rest, std::size_t width) {
  if (width == 0) return std::string(first) + std::string(text) + "\n";
  std::string out, line(first);
  std::size_t used = columns(first), lead = used;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (used > lead && used + 1 + columns(word) > width) {
      out += line + "\n";
      line = std::string(rest);
      used = lead = columns(rest);
    }
    // An empty word (two spaces in a row) keeps its space, as in "-Force  # comment".
    if (used > lead) {
      line += ' ';
      ++used;
    }
    line += word;
    used += columns(word);
    start = end + 1;
  }
  if (used > lead || out.empty()) out += line + "\n";
  return out;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && ascii_lower(pattern[p]) == ascii_lower(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ILess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return ascii_lower(x) < ascii_lower(y); });
}

}  // namespace smbaudit
