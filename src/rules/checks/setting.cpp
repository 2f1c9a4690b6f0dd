// The "setting" check: an effective setting (sources in precedence, then Windows' default)
// compared with a value.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

SettingCheck SettingCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"setting", "op", "value"});
  SettingCheck node;
  node.setting = in.setting(key);
  std::tie(node.op, node.operand) = in.comparison();
  return node;
}

void SettingCheck::facts(FactRefs& out) const {
  for (const auto& source : setting.sources) {
    if (const auto* reg = std::get_if<RegistrySource>(&source.where))
      out.add(FactRef{FactKind::Registry, reg->key, reg->value, {}});
    else if (const auto* wmi = std::get_if<WmiSource>(&source.where))
      out.add(FactRef{FactKind::Wmi, {}, wmi->property, wmi->cls});
  }
}

void SettingCheck::show(std::ostream& out, int depth, const Check& self) const {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  out << pad << "setting " << (self.label.empty() ? "" : "\"" + self.label + "\" ") << operand_text(op, operand)
      << (setting.parse ? " (field " + setting.parse->field + " of a k=v list)" : "")
      << (setting.sources.size() > 1 ? "; the first source set decides" : "") << "\n";
  for (const auto& s : setting.sources) {
    if (const auto* reg = std::get_if<RegistrySource>(&s.where))
      out << pad << "  source registry " << reg->key << "\\" << reg->value;
    else if (const auto* wmi = std::get_if<WmiSource>(&s.where))
      out << pad << "  source wmi " << wmi->cls.name_space << ":" << wmi->cls.class_name << "." << wmi->property;
    if (!s.read_when.empty()) out << " (read only on " << describe(s.read_when) << ")";
    out << (s.when_unavailable == WhenUnavailable::Skip ? " (skipped if it cannot be known)" : "") << "\n";
  }
  for (const auto& d : setting.defaults)
    out << pad << "  default when " << describe(d.when) << ": "
        << (d.unknown.empty() ? describe(d.value) + (d.note.empty() ? "" : " (" + d.note + ")")
                              : "cannot be known (" + d.unknown + ")")
        << "\n";
}

}  // namespace smbaudit
