// The rule pack's case files (tests/rule-cases/*.json) as facts: shared by the rule pack's
// verdict tests and the remediation tests that apply each rule's fix to its failing cases.
//
// A case file:
//   {"rule": "ID", "cases": [{"name": "...", "kind": "pass|fail|default|not_applicable|unknown",
//     "host": {...facts host fields...}, "registry": {...}, "services": {...}, "wmi": {...},
//     "account_policy": {...}, "parameters": {...}, "expect": "pass|fail|not_applicable|unknown|error",
//     "decided_by": "text the explanation must contain (optional)"}]}
// Every key, service and WMI namespace the rule reads that a case does not give is filled
// in as absent (keys, services) or unknown (WMI: namespace missing, as on older Windows and
// offline), so each case states only what matters to it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smbaudit/engine.h"
#include "smbaudit/rule_loader.h"
#include "smbaudit/snapshot.h"

namespace smbaudit::test_support {

inline RulePack builtin_pack() {
  auto pack = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
  if (!pack) {
    for (const auto& e : pack.error()) ADD_FAILURE() << e.to_string();
    return {};
  }
  return std::move(*pack);
}

inline nlohmann::json base_host() {
  return {{"name", "CASE"},
          {"os_build", 22631},
          {"ubr", 4460},
          {"edition", "Enterprise"},
          {"role", "workstation"},
          {"domain_joined", true},
          {"collected_at", "2026-11-20T02:00:00Z"}};
}

// A case's optional object field, by reference: iterating items() of a temporary returned
// by json::value() would dangle (the temporary dies before the loop body runs).
inline const nlohmann::json& field(const nlohmann::json& c, const char* name) {
  static const nlohmann::json empty = nlohmann::json::object();
  const auto it = c.find(name);
  return it == c.end() ? empty : *it;
}

// The facts snapshot (smbaudit-facts/1) for one case of `rule`.
inline nlohmann::json facts_for(const Rule& rule, const nlohmann::json& c) {
  using nlohmann::json;
  FactPlan plan;
  add_facts(rule.check, plan);
  json doc{{"schema", "smbaudit-facts/1"}, {"host", base_host()}};
  for (const auto& [k, v] : field(c, "host").items()) {
    if (v.is_null())
      doc["host"].erase(k);
    else
      doc["host"][k] = v;
  }
  json registry = json::object();
  for (const auto& key : plan.registry_keys) registry[key] = {{"present", false}};
  for (const auto& [k, v] : field(c, "registry").items()) registry[k] = v;
  doc["registry"] = registry;
  json services = json::object();
  for (const auto& s : plan.services) services[s] = {{"present", false}};
  for (const auto& [k, v] : field(c, "services").items()) services[k] = v;
  doc["services"] = services;
  json wmi = json::object();
  for (const auto& cls : plan.wmi_classes)
    wmi[cls.name_space] = {{"error", {{"kind", "unknown"}, {"message", "invalid namespace (0x8004100e)"}}}};
  for (const auto& [k, v] : field(c, "wmi").items()) wmi[k] = v;
  doc["wmi"] = wmi;
  if (c.contains("account_policy")) doc["account_policy"] = c["account_policy"];
  return doc;
}

struct CaseFacts {
  HostFacts host;
  FactSet facts;
};

// The host and the facts of one case, collected through a facts snapshot as an audit would;
// nullopt, with a test failure, when the case does not make a valid snapshot.
inline std::optional<CaseFacts> case_facts(const Rule& rule, const nlohmann::json& c) {
  auto source = parse_snapshot(facts_for(rule, c).dump(), c.value("name", "case"));
  if (!source) {
    ADD_FAILURE() << source.error().message;
    return std::nullopt;
  }
  FactPlan plan;
  add_facts(rule.check, plan);
  auto facts = (*source)->collect(plan);
  auto host = (*source)->host();
  if (!facts || !host) {
    ADD_FAILURE() << "the snapshot gave no host or facts";
    return std::nullopt;
  }
  return CaseFacts{std::move(*host), std::move(*facts)};
}

// A case's "parameters" as rule parameter values.
inline std::map<std::string, Value> case_parameters(const nlohmann::json& c) {
  std::map<std::string, Value> params;
  for (const auto& [k, v] : field(c, "parameters").items()) {
    if (v.is_boolean())
      params[k] = Value{v.get<bool>()};
    else if (v.is_number_integer())
      params[k] = Value{v.get<std::int64_t>()};
    else if (v.is_string())
      params[k] = Value{v.get<std::string>()};
    else
      params[k] = Value{v.get<StringList>()};
  }
  return params;
}

inline std::vector<std::filesystem::path> case_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(SMBAUDIT_SOURCE_DIR) / "tests" / "rule-cases"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace smbaudit::test_support
