// Reading a rule's "remediation" object: the texts, and the structured fix remediate applies.
#include "remediation_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "../core/json_value.h"

namespace smbaudit {
namespace {

class RemediationReader {
 public:
  RemediationReader(FileReader& reader, const Rule& rule) : r_(reader), rule_(rule) {}
  Remediation remediation(const json& j, const std::string& pointer);

 private:
  std::optional<AccountPolicyFix> account_policy_fix(const json& j, const std::string& at);
  std::optional<RegistryFix> registry_fix(const json& j, const std::string& at);

  FileReader& r_;
  const Rule& rule_;
};

Remediation RemediationReader::remediation(const json& j, const std::string& pointer) {
  Remediation out;
  if (!j.is_object()) {
    r_.fail(pointer, "expected {summary, powershell, group_policy, registry | services | manual, caution}");
    return out;
  }
  r_.only_keys(
      j, pointer,
      {"summary", "powershell", "group_policy", "registry", "services", "account_policy", "manual", "caution"});
  out.summary = r_.string_field(j, pointer, "summary", true).value_or("");
  out.powershell = r_.string_field(j, pointer, "powershell", false).value_or("");
  out.group_policy = r_.string_field(j, pointer, "group_policy", false).value_or("");
  if (out.powershell.empty() && out.group_policy.empty())
    r_.fail(pointer, "give at least one of 'powershell' and 'group_policy'");
  out.caution = r_.string_field(j, pointer, "caution", false).value_or("");
  out.manual = r_.string_field(j, pointer, "manual", false).value_or("");
  if (const json* reg = r_.member(j, pointer, "registry", false)) {
    const std::string here = pointer + "/registry";
    if (!reg->is_array() || reg->empty())
      r_.fail(here, "expected a non-empty array of {key, value, type, data}");
    else
      for (std::size_t i = 0; i < reg->size(); ++i)
        if (auto fix = registry_fix((*reg)[i], fmt::format("{}/{}", here, i))) out.registry.push_back(*fix);
  }
  if (const json* services = r_.member(j, pointer, "services", false)) {
    const std::string here = pointer + "/services";
    if (!services->is_array() || services->empty()) {
      r_.fail(here, "expected a non-empty array of {service, start_type}");
    } else {
      for (std::size_t i = 0; i < services->size(); ++i) {
        const std::string at = fmt::format("{}/{}", here, i);
        const json& s = (*services)[i];
        if (!s.is_object()) {
          r_.fail(at, "expected {service, start_type}");
          continue;
        }
        r_.only_keys(s, at, {"service", "start_type"});
        ServiceFix fix;
        fix.service = r_.string_field(s, at, "service", true).value_or("");
        const auto start = r_.string_field(s, at, "start_type", true).value_or("");
        if (auto parsed = start_type_from_string(start))
          fix.start_type = *parsed;
        else if (!start.empty())
          r_.fail(at + "/start_type", fmt::format("unknown start type '{}' (allowed: {})", start, start_type_names()));
        out.services.push_back(std::move(fix));
      }
    }
  }
  if (const json* account = r_.member(j, pointer, "account_policy", false)) {
    const std::string here = pointer + "/account_policy";
    if (!account->is_array() || account->empty()) {
      r_.fail(here, "expected a non-empty array of {setting, value}");
    } else {
      for (std::size_t i = 0; i < account->size(); ++i)
        if (auto fix = account_policy_fix((*account)[i], fmt::format("{}/{}", here, i)))
          out.account_policy.push_back(std::move(*fix));
    }
  }
  // An automatic fix or the reason there is none, never both. A rule with neither is
  // remediated by hand from its summary (the built-in pack's test requires one of them).
  if (out.automatic() && !out.manual.empty())
    r_.fail(pointer + "/manual",
            "a rule with an automatic fix (registry, services, account_policy) has no 'manual' step");
  return out;
}

// {"setting": "MinimumPasswordLength", "value": 15 | {"param": NAME}}: the account policy
// settings smbaudit reads, by their [System Access] names ([MS-GPSB] 2.2.1).
std::optional<AccountPolicyFix> RemediationReader::account_policy_fix(const json& j, const std::string& at) {
  if (!j.is_object()) {
    r_.fail(at, "expected {setting, value}");
    return std::nullopt;
  }
  r_.only_keys(j, at, {"setting", "value"});
  const std::size_t errors_before = r_.error_count();
  AccountPolicyFix fix;
  fix.setting = r_.string_field(j, at, "setting", true).value_or("");
  if (!fix.setting.empty() && fix.setting != "MinimumPasswordLength")
    r_.fail(at + "/setting",
            fmt::format("unknown account policy setting '{}' (allowed: MinimumPasswordLength)", fix.setting));
  if (const json* value = r_.member(j, at, "value", true)) {
    if (value->is_object()) {
      if (auto name = r_.param_ref(rule_, j, at, "value", Value{std::int64_t{0}})) fix.value.parameter = *name;
    } else if (value->is_number_integer() && value->get<std::int64_t>() >= 0 && value->get<std::int64_t>() <= 1024) {
      fix.value.literal = Value{value->get<std::int64_t>()};
    } else {
      r_.fail(at + "/value", "expected a number from 0 to 1024 or {\"param\": NAME}");
    }
  }
  if (r_.error_count() != errors_before) return std::nullopt;
  return fix;
}

std::optional<RegistryFix> RemediationReader::registry_fix(const json& j, const std::string& at) {
  if (!j.is_object()) {
    r_.fail(at, "expected {key, value, type, data}");
    return std::nullopt;
  }
  r_.only_keys(j, at, {"key", "value", "type", "data", "when", "when_parameter", "only_if_set"});
  const std::size_t errors_before = r_.error_count();
  RegistryFix fix;
  if (auto key = r_.registry_path(j, at, "key")) fix.key = *key;
  if (const json* value = r_.member(j, at, "value", true)) {
    if (value->is_object())
      fix.value_parameter = r_.param_ref(rule_, j, at, "value", Value{StringList{}});
    else if (value->is_string() && !value->get<std::string>().empty())
      fix.value = value->get<std::string>();
    else
      r_.fail(at + "/value", "expected a value name or {\"param\": NAME} (a list of names)");
  }
  const auto type_name = r_.string_field(j, at, "type", true).value_or("");
  const auto type = reg_type_from_string(type_name);
  static constexpr RegType kWritable[] = {RegType::Dword, RegType::Qword, RegType::Sz, RegType::ExpandSz,
                                          RegType::MultiSz};
  if (!type || std::find(std::begin(kWritable), std::end(kWritable), *type) == std::end(kWritable)) {
    if (!type_name.empty())
      r_.fail(at + "/type", fmt::format("unsupported type '{}' (allowed: REG_DWORD, REG_QWORD, REG_SZ, "
                                        "REG_EXPAND_SZ, REG_MULTI_SZ)",
                                        type_name));
  } else {
    fix.type = *type;
  }
  if (const json* data = r_.member(j, at, "data", true)) {
    const Value like = fix.type == RegType::MultiSz                                 ? Value{StringList{}}
                       : (fix.type == RegType::Sz || fix.type == RegType::ExpandSz) ? Value{std::string{}}
                                                                                    : Value{std::int64_t{0}};
    if (data->is_object()) {
      if (auto name = r_.param_ref(rule_, j, at, "data", like)) fix.data.parameter = *name;
    } else if (auto v = value_from_json(*data); v && v->index() == like.index()) {
      fix.data.literal = *v;
      if (const auto* n = std::get_if<std::int64_t>(&*v);
          n && (*n < 0 || (fix.type == RegType::Dword && *n > 0xffffffffLL)))
        r_.fail(at + "/data", fmt::format("{} does not fit {}", *n, type_name));
    } else {
      r_.fail(at + "/data", fmt::format("expected data of type {} or {{\"param\": NAME}}", type_name));
    }
  }
  if (const json* when = r_.member(j, at, "when", false)) fix.when = r_.condition(*when, at + "/when");
  if (const json* params = r_.member(j, at, "when_parameter", false)) {
    const std::string here = at + "/when_parameter";
    if (!params->is_object() || params->empty()) r_.fail(here, "expected {PARAMETER: VALUE}");
    for (const auto& [name, v] : params->is_object() ? params->items() : empty_json_object().items()) {
      const Parameter* p = rule_.parameter(name);
      auto parsed = value_from_json(v);
      if (!p)
        r_.fail(here + "/" + escape_pointer(name),
                fmt::format("no parameter named '{}' is declared by this rule", name));
      else if (!parsed || parsed->index() != p->default_value.index())
        r_.fail(here + "/" + escape_pointer(name), "expected a value of the parameter's type");
      else
        fix.when_parameters[name] = *parsed;
    }
  }
  if (const json* only = r_.member(j, at, "only_if_set", false)) {
    if (!only->is_boolean())
      r_.fail(at + "/only_if_set", "expected true or false");
    else if (only->get<bool>())
      fix.scope = FixScope::OnlyIfSet;
  }
  if (r_.error_count() != errors_before) return std::nullopt;
  return fix;
}

}  // namespace

Remediation read_remediation(FileReader& reader, const Rule& rule, const json& j, const std::string& pointer) {
  return RemediationReader(reader, rule).remediation(j, pointer);
}

}  // namespace smbaudit
