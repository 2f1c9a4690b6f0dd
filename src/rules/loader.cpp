#include <fmt/format.h>

#include <cstdio>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../core/input.h"
#include "../core/json_value.h"
#include "../core/sha256.h"
#include "fix_safety.h"
#include "smbaudit/limits.h"
#include "smbaudit/rule_loader.h"
#include "text_template.h"

namespace smbaudit {
namespace {

using nlohmann::json;

constexpr std::string_view kRulesSchema = "smbaudit-rules/1";
constexpr std::string_view kProfileSchema = "smbaudit-profile/1";
constexpr std::string_view kWaiversSchema = "smbaudit-waivers/1";
const nlohmann::json kEmptyObject = nlohmann::json::object();

std::string escape_pointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Walks one rule file, collecting every problem rather than stopping at the first.
class FileReader {
 public:
  FileReader(std::string file, std::vector<LoadError>& errors) : file_(std::move(file)), errors_(errors) {}

  void set_rule(std::string id) { rule_ = std::move(id); }

  void fail(const std::string& pointer, std::string message) {
    errors_.push_back(LoadError{file_, rule_, pointer.empty() ? "/" : pointer, std::move(message)});
  }
  [[nodiscard]] std::size_t error_count() const { return errors_.size(); }

  // Reports any member of `object` not in `allowed`.
  void only_keys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, _] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        fail(pointer + "/" + escape_pointer(key),
             fmt::format("unknown field '{}' (allowed: {})", key, join(names, ", ")));
      }
    }
  }

  const json* member(const json& object, const std::string& pointer, std::string_view key, bool required) {
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) fail(pointer, fmt::format("missing required field '{}'", key));
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string_field(const json& object, const std::string& pointer, std::string_view key,
                                          bool required) {
    const json* j = member(object, pointer, key, required);
    if (!j) return std::nullopt;
    if (!j->is_string()) {
      fail(pointer + "/" + std::string(key), fmt::format("expected a string, got {}", json_type_name(*j)));
      return std::nullopt;
    }
    auto s = j->get<std::string>();
    if (required && trim(s).empty()) {
      fail(pointer + "/" + std::string(key), "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<int> int_field(const json& object, const std::string& pointer, std::string_view key) {
    const json* j = member(object, pointer, key, false);
    if (!j) return std::nullopt;
    if (!j->is_number_integer() || j->get<std::int64_t>() < 0 || j->get<std::int64_t>() > 1'000'000) {
      fail(pointer + "/" + std::string(key),
           fmt::format("expected a non-negative integer, got {}", json_type_name(*j)));
      return std::nullopt;
    }
    return j->get<int>();
  }

  std::vector<std::string> string_list(const json& object, const std::string& pointer, std::string_view key) {
    std::vector<std::string> out;
    const json* j = member(object, pointer, key, false);
    if (!j) return out;
    const std::string here = pointer + "/" + std::string(key);
    if (!j->is_array()) {
      fail(here, fmt::format("expected an array of strings, got {}", json_type_name(*j)));
      return out;
    }
    for (std::size_t i = 0; i < j->size(); ++i) {
      if (!(*j)[i].is_string())
        fail(fmt::format("{}/{}", here, i), fmt::format("expected a string, got {}", json_type_name((*j)[i])));
      else
        out.push_back((*j)[i].get<std::string>());
    }
    return out;
  }

  std::optional<std::string> registry_path(const json& object, const std::string& pointer, std::string_view key) {
    auto raw = string_field(object, pointer, key, true);
    if (!raw) return std::nullopt;
    auto normalized = normalize_registry_path(*raw);
    if (!normalized) {
      fail(pointer + "/" + std::string(key), normalized.error());
      return std::nullopt;
    }
    return *normalized;
  }

  HostCondition condition(const json& j, const std::string& pointer) {
    HostCondition c;
    if (!j.is_object()) {
      fail(pointer, fmt::format("expected an object, got {}", json_type_name(j)));
      return c;
    }
    only_keys(j, pointer,
              {"roles", "min_build", "max_build", "editions", "not_editions", "domain_joined", "min_version"});
    if (auto version = string_field(j, pointer, "min_version", false)) {
      const auto dot = version->find('.');
      int build = 0, ubr = 0;
      if (dot == std::string::npos || std::sscanf(version->c_str(), "%d.%d", &build, &ubr) != 2 || build < 0 || ubr < 0)
        fail(pointer + "/min_version", fmt::format("expected BUILD.UBR such as \"26100.3613\", got \"{}\"", *version));
      else
        c.min_version = std::make_pair(build, ubr);
    }
    for (const auto& name : string_list(j, pointer, "roles")) {
      if (auto role = role_from_string(name))
        c.roles.push_back(*role);
      else
        fail(pointer + "/roles",
             fmt::format("unknown role '{}' (allowed: workstation, member_server, domain_controller)", name));
    }
    c.min_build = int_field(j, pointer, "min_build");
    c.max_build = int_field(j, pointer, "max_build");
    if (c.min_build && c.max_build && *c.min_build > *c.max_build)
      fail(pointer, fmt::format("min_build {} is above max_build {}", *c.min_build, *c.max_build));
    c.editions = string_list(j, pointer, "editions");
    c.not_editions = string_list(j, pointer, "not_editions");
    if (const json* joined = member(j, pointer, "domain_joined", false)) {
      if (!joined->is_boolean())
        fail(pointer + "/domain_joined", fmt::format("expected true or false, got {}", json_type_name(*joined)));
      else
        c.membership = joined->get<bool>() ? Membership::Domain : Membership::Workgroup;
    }
    return c;
  }

 private:
  std::string file_;
  std::string rule_;
  std::vector<LoadError>& errors_;
};

class RuleParser {
 public:
  RuleParser(FileReader& reader, Rule& rule) : r_(reader), rule_(rule) {}

  Check check(const json& j, const std::string& pointer, int depth) {
    Check out;
    out.pointer = pointer;
    if (depth > limits::kMaxCheckDepth) {
      r_.fail(pointer, fmt::format("checks nest deeper than {} levels", limits::kMaxCheckDepth));
      return out;
    }
    if (!j.is_object()) {
      r_.fail(pointer, fmt::format("expected a check object, got {}", json_type_name(j)));
      return out;
    }
    static constexpr std::array<std::string_view, 11> kSubjects{"setting",
                                                                "service",
                                                                "registry_key",
                                                                "host",
                                                                "firewall_outbound_block",
                                                                "unc_hardened_paths",
                                                                "updates_installed_within_days",
                                                                "account_policy",
                                                                "all_of",
                                                                "any_of",
                                                                "not"};
    std::vector<std::string_view> present;
    for (auto s : kSubjects)
      if (j.contains(s)) present.push_back(s);
    if (present.size() != 1) {
      r_.fail(pointer, present.empty()
                           ? "a check needs exactly one of: setting, service, registry_key, host, "
                             "firewall_outbound_block, unc_hardened_paths, updates_installed_within_days, "
                             "account_policy, all_of, any_of, not"
                           : fmt::format("a check has exactly one subject; this one has {}",
                                         join(std::vector<std::string>(present.begin(), present.end()), " and ")));
      return out;
    }
    if (auto label = r_.string_field(j, pointer, "label", false)) out.label = *label;
    const std::string_view subject = present.front();
    if (subject == "all_of" || subject == "any_of" || subject == "not") {
      r_.only_keys(j, pointer, {"all_of", "any_of", "not", "label"});
      CompositeCheck composite;
      const std::string here = pointer + "/" + std::string(subject);
      const json& children = j.at(subject);
      if (subject == "not") {
        composite.combinator = Combinator::Not;
        composite.children.push_back(check(children, here, depth + 1));
      } else {
        composite.combinator = subject == "all_of" ? Combinator::AllOf : Combinator::AnyOf;
        if (!children.is_array() || children.empty()) {
          r_.fail(here, "expected a non-empty array of checks");
        } else {
          for (std::size_t i = 0; i < children.size(); ++i)
            composite.children.push_back(check(children[i], fmt::format("{}/{}", here, i), depth + 1));
        }
      }
      out.node = std::move(composite);
      return out;
    }

    if (subject == "setting") {
      r_.only_keys(j, pointer, {"setting", "op", "value", "label"});
      SettingCheck node;
      node.setting = setting(j.at("setting"), pointer + "/setting");
      std::tie(node.op, node.operand) = comparison(j, pointer);
      out.node = std::move(node);
    } else if (subject == "service") {
      r_.only_keys(j, pointer, {"service", "property", "op", "value", "when_unavailable", "label"});
      ServiceCheck node;
      if (auto name = r_.string_field(j, pointer, "service", true)) node.service = *name;
      const auto property = r_.string_field(j, pointer, "property", false).value_or("presence");
      if (property == "presence")
        node.property = ServiceProperty::Presence;
      else if (property == "start_type")
        node.property = ServiceProperty::StartType;
      else if (property == "state")
        node.property = ServiceProperty::State;
      else
        r_.fail(pointer + "/property",
                fmt::format("unknown service property '{}' (allowed: presence, start_type, state)", property));
      std::tie(node.op, node.operand) = comparison(j, pointer);
      if (node.property == ServiceProperty::Presence && node.op != Op::Present && node.op != Op::Absent)
        r_.fail(pointer + "/op", "a service's presence takes op 'present' or 'absent'");
      if (node.property == ServiceProperty::StartType) check_names(node.operand, pointer, start_type_from_string);
      if (node.property == ServiceProperty::State) check_names(node.operand, pointer, service_state_from_string);
      if (const json* when = r_.member(j, pointer, "when_unavailable", false)) {
        if (node.property != ServiceProperty::State)
          r_.fail(pointer + "/when_unavailable", "only a service's 'state' can be skipped where it is not known");
        else if (*when == "skip")
          node.when_unavailable = WhenUnavailable::Skip;
        else if (*when != "unknown")
          r_.fail(pointer + "/when_unavailable", "expected 'unknown' or 'skip'");
      }
      out.node = std::move(node);
    } else if (subject == "firewall_outbound_block") {
      r_.only_keys(j, pointer, {"firewall_outbound_block", "label"});
      const std::string here = pointer + "/firewall_outbound_block";
      const json& spec = j.at("firewall_outbound_block");
      FirewallBlockCheck node;
      if (!spec.is_object()) {
        r_.fail(here, "expected {protocol, port, profiles}");
      } else {
        r_.only_keys(spec, here, {"protocol", "port", "profiles"});
        node.protocol = r_.int_field(spec, here, "protocol").value_or(6);
        node.port = r_.int_field(spec, here, "port").value_or(445);
        if (node.port > 65535) r_.fail(here + "/port", "not a port number");
        node.profiles = r_.string_list(spec, here, "profiles");
        for (const auto& p : node.profiles)
          if (p != "domain" && p != "private" && p != "public")
            r_.fail(here + "/profiles", fmt::format("unknown firewall profile '{}' (domain, private, public)", p));
      }
      out.node = std::move(node);
    } else if (subject == "unc_hardened_paths") {
      r_.only_keys(j, pointer, {"unc_hardened_paths", "label"});
      const std::string here = pointer + "/unc_hardened_paths";
      const json& spec = j.at("unc_hardened_paths");
      UncHardeningCheck node;
      if (!spec.is_object()) {
        r_.fail(here, "expected {paths, flags, extra_paths, require_privacy, default_from_build}");
      } else {
        r_.only_keys(spec, here, {"paths", "flags", "extra_paths", "require_privacy", "default_from_build"});
        node.paths = r_.string_list(spec, here, "paths");
        node.flags = r_.string_list(spec, here, "flags");
        if (node.flags.empty()) r_.fail(here + "/flags", "name at least one flag (RequireMutualAuthentication...)");
        node.default_from_build = r_.int_field(spec, here, "default_from_build");
        node.extra_paths_parameter = param_ref(spec, here, "extra_paths", Value{StringList{}});
        node.privacy_parameter = param_ref(spec, here, "require_privacy", Value{false});
      }
      out.node = std::move(node);
    } else if (subject == "updates_installed_within_days") {
      r_.only_keys(j, pointer, {"updates_installed_within_days", "label"});
      UpdatesCheck node;
      const json& spec = j.at("updates_installed_within_days");
      const std::string here = pointer + "/updates_installed_within_days";
      if (spec.is_number_integer()) {
        node.max_age_days.literal = Value{spec.get<std::int64_t>()};
      } else if (auto name = param_ref(j, pointer, "updates_installed_within_days", Value{std::int64_t{0}})) {
        node.max_age_days.parameter = *name;
      }
      out.node = std::move(node);
    } else if (subject == "account_policy") {
      r_.only_keys(j, pointer, {"account_policy", "op", "value", "label"});
      AccountPolicyCheck node;
      node.property = r_.string_field(j, pointer, "account_policy", true).value_or("");
      if (!node.property.empty() && node.property != "min_password_length")
        r_.fail(pointer + "/account_policy",
                fmt::format("unknown account policy property '{}' (allowed: min_password_length)", node.property));
      std::tie(node.op, node.operand) = comparison(j, pointer);
      out.node = std::move(node);
    } else if (subject == "registry_key") {
      r_.only_keys(j, pointer, {"registry_key", "op", "label"});
      RegistryKeyCheck node;
      if (auto key = r_.registry_path(j, pointer, "registry_key")) node.key = *key;
      std::tie(node.op, std::ignore) = comparison(j, pointer);
      if (node.op != Op::Present && node.op != Op::Absent)
        r_.fail(pointer + "/op", "a registry key check takes op 'present' or 'absent'");
      out.node = std::move(node);
    } else {
      r_.only_keys(j, pointer, {"host", "op", "value", "label"});
      HostCheck node;
      const auto property = r_.string_field(j, pointer, "host", true).value_or("");
      static const std::map<std::string, HostProperty> kProps{{"build", HostProperty::Build},
                                                              {"ubr", HostProperty::Ubr},
                                                              {"edition", HostProperty::Edition},
                                                              {"role", HostProperty::Role},
                                                              {"membership", HostProperty::Membership}};
      if (auto it = kProps.find(property); it != kProps.end())
        node.property = it->second;
      else if (!property.empty())
        r_.fail(pointer + "/host",
                fmt::format("unknown host property '{}' (allowed: build, ubr, edition, role, membership)", property));
      std::tie(node.op, node.operand) = comparison(j, pointer);
      out.node = std::move(node);
    }
    return out;
  }

  Remediation remediation(const json& j, const std::string& pointer) {
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
            r_.fail(at + "/start_type", fmt::format("unknown start type '{}'", start));
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

 private:
  // {"setting": "MinimumPasswordLength", "value": 15 | {"param": NAME}}: the account policy
  // settings smbaudit reads, by their [System Access] names ([MS-GPSB] 2.2.1).
  std::optional<AccountPolicyFix> account_policy_fix(const json& j, const std::string& at) {
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
        if (auto name = param_ref(j, at, "value", Value{std::int64_t{0}})) fix.value.parameter = *name;
      } else if (value->is_number_integer() && value->get<std::int64_t>() >= 0 && value->get<std::int64_t>() <= 1024) {
        fix.value.literal = Value{value->get<std::int64_t>()};
      } else {
        r_.fail(at + "/value", "expected a number from 0 to 1024 or {\"param\": NAME}");
      }
    }
    if (r_.error_count() != errors_before) return std::nullopt;
    return fix;
  }

  std::optional<RegistryFix> registry_fix(const json& j, const std::string& at) {
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
        fix.value_parameter = param_ref(j, at, "value", Value{StringList{}});
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
        if (auto name = param_ref(j, at, "data", like)) fix.data.parameter = *name;
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
      for (const auto& [name, v] : params->is_object() ? params->items() : kEmptyObject.items()) {
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

  // Reads {"param": NAME} naming a declared parameter whose default has the same type as `like`.
  std::optional<std::string> param_ref(const json& object, const std::string& pointer, std::string_view key,
                                       const Value& like) {
    const json* j = r_.member(object, pointer, key, false);
    if (!j) return std::nullopt;
    const std::string here = pointer + "/" + std::string(key);
    if (!j->is_object() || !j->contains("param") || !(*j)["param"].is_string()) {
      r_.fail(here, "expected {\"param\": NAME}");
      return std::nullopt;
    }
    r_.only_keys(*j, here, {"param"});
    const auto name = (*j)["param"].get<std::string>();
    const Parameter* p = rule_.parameter(name);
    if (!p) {
      r_.fail(here + "/param", fmt::format("no parameter named '{}' is declared by this rule", name));
      return std::nullopt;
    }
    if (p->default_value.index() != like.index()) {
      r_.fail(here + "/param", fmt::format("parameter '{}' has the wrong type here", name));
      return std::nullopt;
    }
    return name;
  }

  template <typename Parse>
  void check_names(const Operand& operand, const std::string& pointer, Parse parse) {
    std::vector<std::string> names;
    if (const auto* s = std::get_if<std::string>(&operand.literal)) names.push_back(*s);
    if (const auto* l = std::get_if<StringList>(&operand.literal)) names = *l;
    for (const auto& n : names)
      if (!parse(n)) r_.fail(pointer + "/value", fmt::format("'{}' is not a known name here", n));
  }

  std::pair<Op, Operand> comparison(const json& j, const std::string& pointer) {
    Op op = Op::Equals;
    Operand operand;
    const auto op_name = r_.string_field(j, pointer, "op", true);
    if (!op_name) return {op, operand};
    if (auto parsed = op_from_string(*op_name)) {
      op = *parsed;
    } else {
      r_.fail(pointer + "/op",
              fmt::format("unknown operator '{}' (allowed: equals, not_equals, one_of, at_least, at_most, bits_set, "
                          "bits_clear, present, absent, contains)",
                          *op_name));
      return {op, operand};
    }
    const json* value = j.contains("value") ? &j.at("value") : nullptr;
    const std::string here = pointer + "/value";
    if (!op_takes_operand(op)) {
      if (value) r_.fail(here, fmt::format("operator '{}' takes no value", *op_name));
      return {op, operand};
    }
    if (!value) {
      r_.fail(pointer, fmt::format("operator '{}' needs a 'value'", *op_name));
      return {op, operand};
    }
    if (value->is_object()) {
      r_.only_keys(*value, here, {"param"});
      auto name = r_.string_field(*value, here, "param", true);
      if (!name) return {op, operand};
      const Parameter* p = rule_.parameter(*name);
      if (!p) {
        r_.fail(here + "/param", fmt::format("no parameter named '{}' is declared by this rule", *name));
        return {op, operand};
      }
      operand.parameter = *name;
      check_operand_type(op, p->default_value, here);
      return {op, operand};
    }
    if (op == Op::OneOf) {
      if (!value->is_array() || value->empty()) {
        r_.fail(here, "operator 'one_of' needs a non-empty array");
        return {op, operand};
      }
      for (std::size_t i = 0; i < value->size(); ++i) {
        auto item = value_from_json((*value)[i]);
        if (!item || is_null(*item) || std::holds_alternative<StringList>(*item))
          r_.fail(fmt::format("{}/{}", here, i), "expected a number, string or boolean");
        else
          operand.choices.push_back(*item);
      }
      return {op, operand};
    }
    auto literal = value_from_json(*value);
    if (!literal) {
      r_.fail(here,
              fmt::format("expected a number, string, boolean or list of strings, got {}", json_type_name(*value)));
      return {op, operand};
    }
    operand.literal = *literal;
    check_operand_type(op, operand.literal, here);
    return {op, operand};
  }

  void check_operand_type(Op op, const Value& v, const std::string& pointer) {
    switch (op) {
      case Op::AtLeast:
      case Op::AtMost:
      case Op::BitsSet:
      case Op::BitsClear:
        if (!std::holds_alternative<std::int64_t>(v))
          r_.fail(pointer, fmt::format("operator '{}' compares integers", to_string(op)));
        break;
      case Op::Contains:
      case Op::AnyItemContains:
        if (!std::holds_alternative<std::string>(v))
          r_.fail(pointer, fmt::format("operator '{}' looks for a string", to_string(op)));
        break;
      case Op::OneOf: r_.fail(pointer, "operator 'one_of' takes a literal array, not a parameter"); break;
      case Op::Equals:
      case Op::NotEquals:
        if (std::holds_alternative<std::monostate>(v))
          r_.fail(pointer, "compare with null using 'present' or 'absent'");
        break;
      default: break;
    }
  }

  Setting setting(const json& j, const std::string& pointer) {
    Setting s;
    if (!j.is_object()) {
      r_.fail(pointer, fmt::format("expected a setting object, got {}", json_type_name(j)));
      return s;
    }
    r_.only_keys(j, pointer, {"sources", "default", "parse"});
    const json* sources = r_.member(j, pointer, "sources", true);
    if (sources && (!sources->is_array() || sources->empty())) {
      r_.fail(pointer + "/sources", "expected a non-empty array of sources");
    } else if (sources) {
      for (std::size_t i = 0; i < sources->size(); ++i)
        source((*sources)[i], fmt::format("{}/sources/{}", pointer, i), s);
    }
    if (const json* defaults = r_.member(j, pointer, "default", false)) {
      const std::string here = pointer + "/default";
      if (!defaults->is_array()) {
        r_.fail(here, "expected an array of {when, value, note} cases");
      } else {
        for (std::size_t i = 0; i < defaults->size(); ++i) {
          const std::string at = fmt::format("{}/{}", here, i);
          const json& d = (*defaults)[i];
          if (!d.is_object()) {
            r_.fail(at, "expected an object");
            continue;
          }
          r_.only_keys(d, at, {"when", "value", "note"});
          DefaultCase c;
          if (const json* when = r_.member(d, at, "when", false)) c.when = r_.condition(*when, at + "/when");
          if (const json* v = r_.member(d, at, "value", true)) {
            if (auto parsed = value_from_json(*v))
              c.value = *parsed;
            else
              r_.fail(at + "/value", fmt::format("unsupported default value of type {}", json_type_name(*v)));
          }
          c.note = r_.string_field(d, at, "note", false).value_or("");
          s.defaults.push_back(std::move(c));
        }
      }
    }
    if (const json* parse = r_.member(j, pointer, "parse", false)) {
      const std::string here = pointer + "/parse";
      if (!parse->is_object()) {
        r_.fail(here, "expected {\"kv_list\": FIELD}");
      } else {
        r_.only_keys(*parse, here, {"kv_list"});
        if (auto field = r_.string_field(*parse, here, "kv_list", true)) s.parse = KvField{*field};
      }
    }
    return s;
  }

  void source(const json& j, const std::string& pointer, Setting& s) {
    if (!j.is_object()) {
      r_.fail(pointer, fmt::format("expected a source object, got {}", json_type_name(j)));
      return;
    }
    Source src;
    if (const json* when = r_.member(j, pointer, "when_unavailable", false)) {
      if (*when == "skip")
        src.when_unavailable = WhenUnavailable::Skip;
      else if (*when != "unknown")
        r_.fail(pointer + "/when_unavailable", "expected 'unknown' or 'skip'");
    }
    if (const json* when = r_.member(j, pointer, "read_when", false))
      src.read_when = r_.condition(*when, pointer + "/read_when");
    if (j.contains("registry")) {
      r_.only_keys(j, pointer, {"registry", "value", "when_unavailable", "read_when"});
      RegistrySource reg;
      if (auto key = r_.registry_path(j, pointer, "registry")) reg.key = *key;
      if (auto value = r_.string_field(j, pointer, "value", true)) reg.value = *value;
      src.where = std::move(reg);
    } else if (j.contains("wmi")) {
      r_.only_keys(j, pointer, {"wmi", "class", "property", "when_unavailable", "read_when"});
      WmiSource wmi;
      if (auto ns = r_.string_field(j, pointer, "wmi", true)) {
        if (!istarts_with(*ns, "root\\")) r_.fail(pointer + "/wmi", "a WMI namespace starts with root\\");
        wmi.cls.name_space = *ns;
      }
      if (auto cls = r_.string_field(j, pointer, "class", true)) wmi.cls.class_name = *cls;
      if (auto prop = r_.string_field(j, pointer, "property", true)) wmi.property = *prop;
      src.where = std::move(wmi);
    } else {
      r_.fail(pointer, "a source names either 'registry' (with 'value') or 'wmi' (with 'class' and 'property')");
      return;
    }
    s.sources.push_back(std::move(src));
  }

  FileReader& r_;
  Rule& rule_;
};

const std::regex& kebab_case() {
  static const std::regex re("^[a-z0-9]+(-[a-z0-9]+)*$");
  return re;
}

// Placeholders must name the rule's parameters, and fix advice must never delete or recreate
// what it was not asked to change (src/rules/fix_safety.h).
void check_texts(const Rule& rule, const std::string& pointer, FileReader& r) {
  const ParameterLookup lookup = [&rule](std::string_view name) -> const Value* {
    const Parameter* p = rule.parameter(name);
    return p ? &p->default_value : nullptr;
  };
  for (const auto& [field, text] : parameter_texts(rule))
    if (auto problem = template_problem(*text, lookup)) r.fail(pointer + std::string(field), *problem);
  for (const auto& [field, text] : {std::pair{"/remediation/powershell", &rule.remediation.powershell},
                                    std::pair{"/remediation/group_policy", &rule.remediation.group_policy}})
    if (auto harm = harmful_fix_text(*text)) r.fail(pointer + field, *harm);
}

void parse_rule(const json& j, const std::string& pointer, FileReader& r, const std::string& file,
                std::vector<Rule>& out) {
  if (!j.is_object()) {
    r.fail(pointer, fmt::format("expected a rule object, got {}", json_type_name(j)));
    return;
  }
  Rule rule;
  rule.file = file;
  if (auto id = r.string_field(j, pointer, "id", true)) {
    rule.id = *id;
    r.set_rule(rule.id);
    if (rule.id.size() > 64 || !std::regex_match(rule.id, kebab_case()))
      r.fail(pointer + "/id", fmt::format("rule id '{}' is not kebab-case (a-z, 0-9, single dashes)", rule.id));
  }
  r.only_keys(j, pointer,
              {"id", "title", "layer", "severity", "applies_to", "parameters", "check", "rationale", "remediation",
               "references"});
  rule.title = r.string_field(j, pointer, "title", true).value_or("");
  if (auto layer = r.string_field(j, pointer, "layer", true)) {
    if (auto parsed = layer_from_string(*layer))
      rule.layer = *parsed;
    else
      r.fail(pointer + "/layer",
             fmt::format("unknown layer '{}' (allowed: attack-surface, transit, identity)", *layer));
  }
  if (auto severity = r.string_field(j, pointer, "severity", true)) {
    if (auto parsed = severity_from_string(*severity))
      rule.severity = *parsed;
    else
      r.fail(pointer + "/severity",
             fmt::format("unknown severity '{}' (allowed: critical, high, medium, low, info)", *severity));
  }
  if (const json* applies = r.member(j, pointer, "applies_to", false))
    rule.applies_to = r.condition(*applies, pointer + "/applies_to");
  if (const json* params = r.member(j, pointer, "parameters", false)) {
    const std::string here = pointer + "/parameters";
    if (!params->is_object()) {
      r.fail(here, "expected an object of parameters");
    } else {
      for (const auto& [name, spec] : params->items()) {
        const std::string at = here + "/" + escape_pointer(name);
        if (!spec.is_object()) {
          r.fail(at, "expected {\"default\": VALUE, \"description\": TEXT}");
          continue;
        }
        r.only_keys(spec, at, {"default", "description"});
        Parameter p;
        p.name = name;
        if (const json* d = r.member(spec, at, "default", true)) {
          if (auto v = value_from_json(*d); v && !is_null(*v))
            p.default_value = *v;
          else
            r.fail(at + "/default", "expected a number, string, boolean or list of strings");
        }
        p.description = r.string_field(spec, at, "description", true).value_or("");
        rule.parameters.push_back(std::move(p));
      }
    }
  }
  if (const json* check = r.member(j, pointer, "check", true)) {
    RuleParser parser(r, rule);
    rule.check = parser.check(*check, pointer + "/check", 0);
  }
  rule.rationale = r.string_field(j, pointer, "rationale", true).value_or("");
  if (const json* rem = r.member(j, pointer, "remediation", true)) {
    RuleParser parser(r, rule);
    rule.remediation = parser.remediation(*rem, pointer + "/remediation");
  }
  rule.references = r.string_list(j, pointer, "references");
  check_texts(rule, pointer, r);
  r.set_rule("");
  out.push_back(std::move(rule));
}

std::optional<json> parse_json(const RuleFile& file, std::vector<LoadError>& errors) {
  auto doc = file.provenance == Provenance::BuiltIn ? parse_trusted_json(file.text) : parse_json_input(file.text);
  if (!doc) {
    errors.push_back(LoadError{file.name, "", "", std::move(doc.error())});
    return std::nullopt;
  }
  return std::move(*doc);
}

// A real calendar date written YYYY-MM-DD, so string order is date order.
bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool check_schema(const json& doc, std::string_view expected, FileReader& r) {
  if (!doc.is_object()) {
    r.fail("/", fmt::format("expected a JSON object with \"schema\": \"{}\"", expected));
    return false;
  }
  const auto schema = r.string_field(doc, "", "schema", true);
  if (schema && *schema != expected) {
    r.fail("/schema", fmt::format("unsupported schema '{}' (this version reads '{}')", *schema, expected));
    return false;
  }
  return schema.has_value();
}

}  // namespace

std::string LoadError::to_string() const {
  std::string out = file;
  if (!rule_id.empty()) out += fmt::format(": rule '{}'", rule_id);
  if (!pointer.empty()) out += fmt::format(" at {}", pointer);
  out += ": " + message;
  return one_line(out);
}

Expected<RulePack, std::vector<LoadError>> load_rule_pack(const std::vector<RuleFile>& files, std::string origin) {
  std::vector<LoadError> errors;
  RulePack pack;
  pack.origin = std::move(origin);
  std::map<std::string, std::string> seen;  // id -> file
  for (const auto& file : files) {
    auto doc = parse_json(file, errors);
    if (!doc) continue;
    FileReader r(file.name, errors);
    if (!check_schema(*doc, kRulesSchema, r)) continue;
    r.only_keys(*doc, "", {"$schema", "schema", "description", "scope_notes", "rules"});
    for (auto& note : r.string_list(*doc, "", "scope_notes")) pack.scope_notes.push_back(std::move(note));
    const json* rules = r.member(*doc, "", "rules", true);
    if (!rules) continue;
    if (!rules->is_array()) {
      r.fail("/rules", "expected an array of rules");
      continue;
    }
    std::vector<Rule> parsed;
    for (std::size_t i = 0; i < rules->size(); ++i)
      parse_rule((*rules)[i], fmt::format("/rules/{}", i), r, file.name, parsed);
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      auto& rule = parsed[i];
      if (rule.id.empty()) continue;
      if (auto [it, inserted] = seen.emplace(rule.id, file.name); !inserted) {
        errors.push_back(LoadError{file.name, rule.id, fmt::format("/rules/{}/id", i),
                                   fmt::format("duplicate rule id (also defined in {})", it->second)});
        continue;
      }
      pack.rules.push_back(std::move(rule));
    }
    if (pack.rules.size() > limits::kMaxRules) {
      errors.push_back(LoadError{file.name, "", "/rules", fmt::format("more than {} rules", limits::kMaxRules)});
      break;
    }
  }
  if (!errors.empty()) return Unexpected(std::move(errors));
  return pack;
}

std::string pack_digest(const std::vector<RuleFile>& rules, const std::vector<RuleFile>& profiles) {
  // "built-in:ntlm.json", "rules/ntlm.json" and "C:\\pack\\ntlm.json" are all "ntlm.json" in the pack.
  const auto base = [](std::string_view name) {
    if (auto cut = name.find_last_of("/\\:"); cut != std::string_view::npos) name.remove_prefix(cut + 1);
    return std::string(name);
  };
  std::vector<std::pair<std::string, std::string>> lines;  // path, line
  for (const auto& f : rules) lines.emplace_back(base(f.name), "");
  for (const auto& f : profiles) lines.emplace_back("profiles/" + base(f.name), "");
  std::size_t i = 0;
  for (const auto* list : {&rules, &profiles})
    for (const auto& f : *list) {
      lines[i].second = fmt::format("{}  {}\n", sha256_hex(f.text), lines[i].first);
      ++i;
    }
  std::sort(lines.begin(), lines.end());
  Sha256 digest;
  for (const auto& [path, line] : lines) digest.update(line);
  return digest.hex_digest();
}

Expected<std::vector<RuleFile>, LoadError> read_rule_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Unexpected(LoadError{dir.string(), "", "", "not a directory (expected a folder of rule .json files)"});
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") paths.push_back(it->path());
  }
  if (ec) return Unexpected(LoadError{dir.string(), "", "", "cannot list folder: " + ec.message()});
  std::sort(paths.begin(), paths.end());
  std::vector<RuleFile> files;
  std::size_t total = 0;
  for (const auto& p : paths) {
    auto text = read_input_file(p);
    if (!text) return Unexpected(LoadError{p.string(), "", "", std::move(text.error())});
    total += text->size();
    if (total > limits::kMaxPackBytes)
      return Unexpected(LoadError{dir.string(), "", "",
                                  fmt::format("the rule files together are larger than the {} MiB limit",
                                              limits::kMaxPackBytes / (1024 * 1024))});
    files.push_back(RuleFile{p.string(), std::move(*text)});
  }
  if (files.empty()) return Unexpected(LoadError{dir.string(), "", "", "holds no rule .json files"});
  return files;
}

Expected<Profile, std::vector<LoadError>> load_profile(const RuleFile& file, const RulePack& pack) {
  std::vector<LoadError> errors;
  auto doc = parse_json(file, errors);
  const auto failed = [&]() -> Expected<Profile, std::vector<LoadError>> { return Unexpected(std::move(errors)); };
  if (!doc) return failed();
  FileReader r(file.name, errors);
  if (!check_schema(*doc, kProfileSchema, r)) return failed();
  r.only_keys(*doc, "", {"$schema", "schema", "name", "description", "include", "exclude", "parameters", "severity"});
  Profile p;
  p.name = r.string_field(*doc, "", "name", true).value_or("");
  p.description = r.string_field(*doc, "", "description", false).value_or("");
  p.include = r.string_list(*doc, "", "include");
  p.exclude = r.string_list(*doc, "", "exclude");
  const auto matches_any_rule = [&pack](const std::string& pattern) {
    return std::any_of(pack.rules.begin(), pack.rules.end(),
                       [&](const Rule& rule) { return glob_match(pattern, rule.id); });
  };
  for (const auto* list : {&p.include, &p.exclude})
    for (const auto& pattern : *list)
      if (!matches_any_rule(pattern))
        r.fail(list == &p.include ? "/include" : "/exclude", fmt::format("'{}' matches no rule in the pack", pattern));
  if (const json* params = r.member(*doc, "", "parameters", false)) {
    if (!params->is_object()) r.fail("/parameters", "expected {RULE_ID: {PARAMETER: VALUE}}");
    const json& param_map = params->is_object() ? *params : kEmptyObject;
    for (const auto& [rule_id, values] : param_map.items()) {
      const std::string at = "/parameters/" + escape_pointer(rule_id);
      const Rule* rule = pack.find(rule_id);
      if (!rule) {
        r.fail(at, fmt::format("no rule '{}' in the pack", rule_id));
        continue;
      }
      if (!values.is_object()) {
        r.fail(at, "expected {PARAMETER: VALUE}");
        continue;
      }
      for (const auto& [name, v] : values.items()) {
        const Parameter* param = rule->parameter(name);
        auto parsed = value_from_json(v);
        if (!param)
          r.fail(at + "/" + escape_pointer(name), fmt::format("rule '{}' has no parameter '{}'", rule_id, name));
        else if (!parsed || parsed->index() != param->default_value.index())
          r.fail(at + "/" + escape_pointer(name),
                 fmt::format("expected a value of the same type as the default ({})", describe(param->default_value)));
        else
          p.parameters[rule_id][name] = *parsed;
      }
    }
  }
  if (const json* severities = r.member(*doc, "", "severity", false)) {
    if (!severities->is_object()) r.fail("/severity", "expected {RULE_ID: SEVERITY}");
    const json& severity_map = severities->is_object() ? *severities : kEmptyObject;
    for (const auto& [rule_id, v] : severity_map.items()) {
      const std::string at = "/severity/" + escape_pointer(rule_id);
      if (!pack.find(rule_id)) {
        r.fail(at, fmt::format("no rule '{}' in the pack", rule_id));
        continue;
      }
      auto sev = v.is_string() ? severity_from_string(v.template get<std::string>()) : std::nullopt;
      if (!sev)
        r.fail(at, "expected one of critical, high, medium, low, info");
      else
        p.severities[rule_id] = *sev;
    }
  }
  if (!errors.empty()) return failed();
  return p;
}

Expected<WaiverList, std::vector<LoadError>> load_waivers(const RuleFile& file, const RulePack& pack) {
  std::vector<LoadError> errors;
  auto doc = parse_json(file, errors);
  const auto failed = [&]() -> Expected<WaiverList, std::vector<LoadError>> { return Unexpected(std::move(errors)); };
  if (!doc) return failed();
  FileReader r(file.name, errors);
  if (!check_schema(*doc, kWaiversSchema, r)) return failed();
  r.only_keys(*doc, "", {"$schema", "schema", "description", "waivers"});
  WaiverList list{file.name, {}};
  const json* waivers = r.member(*doc, "", "waivers", true);
  if (waivers && !waivers->is_array()) r.fail("/waivers", "expected an array of waivers");
  const std::size_t count = waivers && waivers->is_array() ? waivers->size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    const json& w = (*waivers)[i];
    const std::string at = fmt::format("/waivers/{}", i);
    if (!w.is_object()) {
      r.fail(at, fmt::format("expected an object, got {}", json_type_name(w)));
      continue;
    }
    r.only_keys(w, at, {"rule", "hosts", "justification", "expires"});
    Waiver waiver;
    waiver.rule = r.string_field(w, at, "rule", true).value_or("");
    if (!waiver.rule.empty() && !pack.find(waiver.rule))
      r.fail(at + "/rule", fmt::format("no rule '{}' in the pack (see 'smbaudit rules list')", waiver.rule));
    waiver.hosts = r.string_list(w, at, "hosts");
    for (std::size_t h = 0; h < waiver.hosts.size(); ++h)
      if (trim(waiver.hosts[h]).empty()) r.fail(fmt::format("{}/hosts/{}", at, h), "must not be empty");
    waiver.justification = r.string_field(w, at, "justification", true).value_or("");
    waiver.expires = r.string_field(w, at, "expires", true).value_or("");
    if (!waiver.expires.empty() && !is_iso_date(waiver.expires))
      r.fail(at + "/expires", fmt::format("expected a date YYYY-MM-DD, got \"{}\"", waiver.expires));
    list.waivers.push_back(std::move(waiver));
  }
  if (!errors.empty()) return failed();
  return list;
}

}  // namespace smbaudit
