// Evaluating a "setting" check: resolve the setting, then compare.
#include <fmt/format.h>

#include "../check_context.h"

namespace smbaudit {

Outcome SettingCheck::evaluate(CheckContext& context, const Check& check) const {
  std::string name = "setting";
  if (!setting.sources.empty()) {
    const auto& first = setting.sources.front().where;
    if (const auto* reg = std::get_if<RegistrySource>(&first))
      name = reg->value;
    else
      name = std::get<WmiSource>(first).property;
  }
  if (setting.parse) name += "." + setting.parse->field;
  auto resolved = context.resolve(setting);
  if (auto* failed = std::get_if<Outcome>(&resolved)) return *failed;
  const auto& r = std::get<Resolved>(resolved);
  // "Credential Guard running is not known here (offline image: ...)", never "absent (not set)".
  if (r.unknowable)
    return context.judge(CheckContext::subject_name(check, name), r.value, "", op, operand, &describe,
                         "not known here (" + r.decided_by + ")");
  return context.judge(CheckContext::subject_name(check, name), r.value, r.decided_by, op, operand);
}

}  // namespace smbaudit
