#include "gpp_registry.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "../../core/enum_names.h"
#include "key_path.h"
#include "smbaudit/text.h"
#include "xml_reader.h"

namespace smbaudit::gpo {
namespace {

constexpr std::array<std::pair<GppAction, std::string_view>, 4> kActions{{
    {GppAction::Create, "C"},
    {GppAction::Replace, "R"},
    {GppAction::Update, "U"},
    {GppAction::Delete, "D"},
}};

// The hives an item may name, and where each lands ([MS-GPPREF] 2.2.1.17.1: HKEY_CLASSES_ROOT
// is HKLM\Software\Classes, HKEY_CURRENT_CONFIG the current hardware profile under HKLM).
struct Hive {
  std::string_view name;
  bool machine;
  std::string_view prefix;
};
constexpr std::array<Hive, 5> kHives{{
    {"HKEY_LOCAL_MACHINE", true, ""},
    {"HKEY_CLASSES_ROOT", true, "Software\\Classes\\"},
    {"HKEY_CURRENT_CONFIG", true, "SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current\\"},
    {"HKEY_CURRENT_USER", false, ""},
    {"HKEY_USERS", false, ""},
}};

struct Inherited {
  bool disabled = false;
  std::string filters;
};

std::string filter_names(const XmlElement& filters) {
  std::vector<std::string> names;
  for (const auto& f : filters.children) names.emplace_back(f.local_name());
  return join(names, ", ");
}

bool flag(const XmlElement& e, std::string_view attribute) {
  const std::string* v = e.attribute(attribute);
  return v && *v == "1";
}

// Hex digits, at most `max_digits` of them.
std::optional<std::uint64_t> hex_number(std::string_view s, std::size_t max_digits) {
  s = trim(s);
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::optional<Bytes> hex_bytes(std::string_view s) {
  Bytes out;
  std::string digits;
  for (char c : s)
    if (c != ' ' && c != '\t') digits += c;
  if (digits.size() % 2 != 0) return std::nullopt;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    auto byte = hex_number(std::string_view(digits).substr(i, 2), 2);
    if (!byte) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(*byte));
  }
  return out;
}

class Reader {
 public:
  Expected<GppRegistryFile, std::string> run(const XmlElement& root) {
    if (root.local_name() != "RegistrySettings")
      return Unexpected(fmt::format("line {}: the root element is <{}>, not <RegistrySettings>", root.line, root.name));
    if (!children(root, Inherited{})) return Unexpected(problem_);
    return std::move(file_);
  }

 private:
  bool fail(int line, std::string what) {
    problem_ = fmt::format("line {}: {}", line, what);
    return false;
  }

  bool children(const XmlElement& parent, const Inherited& outer) {
    for (const auto& e : parent.children) {
      const std::string_view name = e.local_name();
      if (name == "Filters" && parent.local_name() == "Collection") continue;  // read with the collection
      if (name != "Registry" && name != "Collection")
        return fail(e.line, fmt::format("<{}> where a <Registry> item or a <Collection> was expected", e.name));
      Inherited here = outer;
      here.disabled = here.disabled || flag(e, "disabled");
      if (const XmlElement* filters = e.child("Filters"); filters && !filters->children.empty()) {
        const std::string names = filter_names(*filters);
        here.filters = here.filters.empty() ? names : here.filters + ", " + names;
      }
      if (name == "Collection") {
        if (!children(e, here)) return false;
      } else if (!item(e, here)) {
        return false;
      }
    }
    return true;
  }

  bool item(const XmlElement& registry, const Inherited& context) {
    const XmlElement* p = registry.child("Properties");
    if (!p) return fail(registry.line, "a <Registry> item without <Properties>");
    GppRegistryItem it;
    it.line = p->line;
    if (const auto* n = registry.attribute("name")) it.item_name = *n;
    if (const auto* u = registry.attribute("uid")) it.uid = *u;
    it.disabled = context.disabled;
    it.filtered = !context.filters.empty();
    it.filters = context.filters;

    const std::string* action = p->attribute("action");
    if (action) {
      auto a = value_of(kActions, *action);
      if (!a) return fail(p->line, fmt::format("the action '{}' is not C, R, U or D", *action));
      it.action = *a;
    }
    const std::string* hive = p->attribute("hive");
    if (!hive) return fail(p->line, "an item without a hive");
    it.hive = *hive;
    const Hive* known = nullptr;
    for (const auto& h : kHives)
      if (iequals(h.name, *hive)) known = &h;
    if (!known) return fail(p->line, fmt::format("the hive '{}' is not a registry root", *hive));
    it.machine = known->machine;
    const std::string* key = p->attribute("key");
    if (!key) return fail(p->line, "an item without a key");
    it.key = std::string(known->prefix) + *key;
    if (auto bad = key_path_problem(it.key)) return fail(p->line, *bad);

    const std::string* name = p->attribute("name");
    it.value.name = name ? *name : "";
    const bool is_default = flag(*p, "default");
    if (is_default) it.value.name.clear();
    it.key_item = it.value.name.empty() && !is_default;
    if (!it.key_item && it.action != GppAction::Delete && !value(*p, it.value)) return false;
    file_.items.push_back(std::move(it));
    return true;
  }

  // The data of a value item from its type and value attributes (and <Values> for lists).
  bool value(const XmlElement& p, RegValue& v) {
    const std::string* type = p.attribute("type");
    const std::string* text = p.attribute("value");
    if (!type) return fail(p.line, "a value item without a type");
    const std::string data = text ? *text : "";
    if (*type == "REG_SZ" || *type == "REG_EXPAND_SZ") {
      v.type = *type == "REG_SZ" ? RegType::Sz : RegType::ExpandSz;
      v.data = data;
    } else if (*type == "REG_DWORD" || *type == "REG_QWORD") {
      const bool dword = *type == "REG_DWORD";
      // The editor stores numbers in hex whatever displayDecimal says.
      auto n = hex_number(data, dword ? 8 : 16);
      if (!n)
        return fail(p.line,
                    fmt::format("the {} value '{}' is not {} hex digits", *type, data, dword ? "1 to 8" : "1 to 16"));
      v.type = dword ? RegType::Dword : RegType::Qword;
      v.data = static_cast<std::int64_t>(*n);
    } else if (*type == "REG_BINARY") {
      auto bytes = hex_bytes(data);
      if (!bytes) return fail(p.line, fmt::format("the REG_BINARY value '{}' is not hex bytes", data));
      v.type = RegType::Binary;
      v.data = std::move(*bytes);
    } else if (*type == "REG_MULTI_SZ") {
      StringList list;
      if (const XmlElement* values = p.child("Values")) {
        for (const auto& item : values->children) {
          if (item.local_name() != "Value") return fail(item.line, fmt::format("<{}> inside <Values>", item.name));
          list.push_back(item.text);
        }
      } else if (!data.empty()) {
        // The value attribute joins the strings with spaces, which cannot be split back.
        return fail(p.line, "a REG_MULTI_SZ item without its <Values> list");
      }
      v.type = RegType::MultiSz;
      v.data = std::move(list);
    } else {
      return fail(p.line, fmt::format("the value type '{}' is not one Group Policy Preferences writes", *type));
    }
    return true;
  }

  GppRegistryFile file_;
  std::string problem_;
};

}  // namespace

std::string_view to_string(GppAction action) {
  return name_of(kActions, action);
}

Expected<GppRegistryFile, std::string> parse_gpp_registry(std::string_view bytes) {
  auto root = parse_xml(bytes);
  if (!root) return Unexpected(root.error());
  return Reader().run(*root);
}

}  // namespace smbaudit::gpo
