// Fuzzes the patch-level table reader (a pack's data/*.json) with any bytes; a table that
// loads is also evaluated, through the rule that names it, for hosts of every build it
// lists and of every role.
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const RuleFile table{"pack/data/patch-level.json", std::string(fuzz::as_text(data, size))};
  const RuleFile rules{"pack/rules.json", R"({"schema": "smbaudit-rules/1", "rules": [{"id": "patched",
    "title": "t", "layer": "attack-surface", "severity": "high",
    "check": {"patch_level": {"table": "data/patch-level.json"}}, "rationale": "r",
    "remediation": {"summary": "s", "powershell": "p", "manual": "m"}}]})"};
  auto pack = load_rule_pack({rules}, "fuzz", {table});
  if (!pack) {
    // Every error is one line naming the table.
    for (const auto& e : pack.error()) {
      const std::string line = e.to_string();
      fuzz::require(line.rfind("pack/data/patch-level.json", 0) == 0 && line.find('\n') == std::string::npos);
    }
    return 0;
  }
  const auto& check = std::get<PatchLevelCheck>(pack->rules.front().check.node);
  fuzz::require(check.table != nullptr);
  std::vector<int> builds{0, 1};
  for (const auto& [build, _] : check.table->builds) builds.push_back(build);
  for (int build : builds)
    for (Role role : {Role::Workstation, Role::MemberServer, Role::DomainController}) {
      HostFacts host;
      host.build = build;
      host.ubr = build % 2 ? 0 : 1'000'000;
      host.role = role;
      const Finding f = evaluate(pack->rules.front(), host, FactSet{}, {});
      fuzz::require(f.status != Status::Error && !f.explanation.empty());
    }
  return 0;
}
