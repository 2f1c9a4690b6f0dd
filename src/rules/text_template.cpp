#include "text_template.h"

#include <fmt/format.h>

#include "../core/parse.h"
#include "smbaudit/expected.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

constexpr std::string_view kOpen = "{{", kClose = "}}";

// One placeholder, split into its parts: name[=value][:format | ?then[|else]].
struct Placeholder {
  std::string_view name;
  std::optional<std::string_view> equals;
  std::string_view format;
  std::optional<std::string_view> then;
  std::string_view otherwise;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

Expected<Placeholder, std::string> split(std::string_view body) {
  Placeholder p;
  std::size_t i = 0;
  while (i < body.size() && is_name_char(body[i])) ++i;
  p.name = body.substr(0, i);
  if (p.name.empty()) return Unexpected(fmt::format("{{{{{}}}}} does not start with a parameter name", body));
  std::string_view rest = body.substr(i);
  if (rest.starts_with("=")) {
    const auto q = rest.find('?');
    if (q == std::string_view::npos)
      return Unexpected(fmt::format("{{{{{}}}}}: a comparison needs ?TEXT after the value", body));
    p.equals = rest.substr(1, q - 1);
    rest = rest.substr(q);
  }
  if (rest.starts_with("?")) {
    rest.remove_prefix(1);
    const auto bar = rest.find('|');
    p.then = rest.substr(0, bar);
    if (bar != std::string_view::npos) p.otherwise = rest.substr(bar + 1);
    return p;
  }
  if (rest.starts_with(":")) {
    p.format = rest.substr(1);
    if (p.format != "hex" && p.format != "x" && p.format != "dialect" && p.format != "quoted")
      return Unexpected(fmt::format("{{{{{}}}}}: unknown format '{}' (hex, x, dialect, quoted)", body, p.format));
    return p;
  }
  if (!rest.empty()) return Unexpected(fmt::format("{{{{{}}}}}: unexpected '{}' after the name", body, rest));
  return p;
}

// SMB dialect revisions as Windows names them (MS-SMB2 2.2.3).
std::optional<std::string_view> dialect_name(std::int64_t v) {
  switch (v) {
    case 0x202: return "2.0.2";
    case 0x210: return "2.1";
    case 0x300: return "3.0";
    case 0x302: return "3.0.2";
    case 0x311: return "3.1.1";
    default: return std::nullopt;
  }
}

std::string plain(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* l = std::get_if<StringList>(&v)) return join(*l, ", ");
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return describe(v);
}

// A PowerShell single-quoted string: a quote inside is doubled.
std::string in_quotes(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string formatted(const Value& v, std::string_view format) {
  if (format == "quoted") {
    if (const auto* l = std::get_if<StringList>(&v)) {
      std::vector<std::string> items;
      for (const auto& item : *l) items.push_back(in_quotes(item));
      return join(items, ", ");
    }
    return in_quotes(plain(v));
  }
  const auto* i = std::get_if<std::int64_t>(&v);
  if (format.empty() || !i) return plain(v);
  if (format == "hex") return fmt::format("0x{:x}", static_cast<std::uint64_t>(*i));
  if (format == "x") return fmt::format("{:x}", static_cast<std::uint64_t>(*i));
  if (auto name = dialect_name(*i)) return std::string(*name);
  return fmt::format("0x{:x}", static_cast<std::uint64_t>(*i));
}

bool truthy(const Value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
  if (const auto* s = std::get_if<std::string>(&v)) return !s->empty();
  if (const auto* l = std::get_if<StringList>(&v)) return !l->empty();
  return false;
}

bool equals(const Value& v, std::string_view text) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return parse_int(text) == *i;
  }
  return plain(v) == text;
}

// Walks `text`, calling `on_text` for literal runs and `on_placeholder` for each {{...}}.
// Returns the first problem found, if any.
template <typename OnText, typename OnPlaceholder>
std::optional<std::string> walk(std::string_view text, OnText on_text, OnPlaceholder on_placeholder) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find(kOpen, at);
    if (open == std::string_view::npos) {
      on_text(text.substr(at));
      break;
    }
    on_text(text.substr(at, open - at));
    const auto close = text.find(kClose, open + kOpen.size());
    const auto next_open = text.find(kOpen, open + kOpen.size());
    if (close == std::string_view::npos || (next_open != std::string_view::npos && next_open < close))
      return fmt::format("'{{{{' at character {} is not closed by '}}}}'", open + 1);
    const std::string_view body = text.substr(open + kOpen.size(), close - open - kOpen.size());
    if (auto problem = on_placeholder(body, text.substr(open, close + kClose.size() - open))) return problem;
    at = close + kClose.size();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> template_problem(std::string_view text, const ParameterLookup& lookup) {
  return walk(
      text, [](std::string_view) {},
      [&](std::string_view body, std::string_view) -> std::optional<std::string> {
        auto p = split(body);
        if (!p) return p.error();
        if (!lookup(p->name)) return fmt::format("{{{{{}}}}} names no parameter of this rule", body);
        return std::nullopt;
      });
}

std::string expand_template(std::string_view text, const ParameterLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  const auto problem = walk(
      text, [&](std::string_view literal) { out += literal; },
      [&](std::string_view body, std::string_view whole) -> std::optional<std::string> {
        auto p = split(body);
        const Value* v = p ? lookup(p->name) : nullptr;
        if (!v) {
          out += whole;
          return std::nullopt;
        }
        if (p->then) {
          const bool holds = p->equals ? equals(*v, *p->equals) : truthy(*v);
          out += holds ? *p->then : p->otherwise;
        } else {
          out += formatted(*v, p->format);
        }
        return std::nullopt;
      });
  // A brace left open: the text is kept as written, as the comment in the header says.
  if (problem) return std::string(text);
  return out;
}

std::vector<RuleText> parameter_texts(const Rule& rule) {
  const Remediation& fix = rule.remediation;
  return {{"/title", &rule.title},
          {"/remediation/summary", &fix.summary},
          {"/remediation/powershell", &fix.powershell},
          {"/remediation/group_policy", &fix.group_policy},
          {"/remediation/manual", &fix.manual},
          {"/remediation/caution", &fix.caution}};
}

Rule with_parameters(const Rule& rule, const std::map<std::string, Value>& overrides) {
  Rule out = rule;
  const ParameterLookup lookup = [&](std::string_view name) -> const Value* {
    if (auto it = overrides.find(std::string(name)); it != overrides.end()) return &it->second;
    const Parameter* p = rule.parameter(name);
    return p ? &p->default_value : nullptr;
  };
  for (std::string* text : {&out.title, &out.remediation.summary, &out.remediation.powershell,
                            &out.remediation.group_policy, &out.remediation.manual, &out.remediation.caution})
    if (text->find(kOpen) != std::string::npos) *text = expand_template(*text, lookup);
  return out;
}

}  // namespace smbaudit
