// Fuzzes the rule loader with any bytes as one rule file; whatever loads is also planned,
// selected and evaluated against a host whose facts are all unknown.
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const RuleFile file{"fuzz.json", std::string(fuzz::as_text(data, size))};
  auto pack = load_rule_pack({file}, "fuzz");
  if (!pack) {
    // Every error is one line naming the file.
    for (const auto& e : pack.error()) {
      const std::string line = e.to_string();
      fuzz::require(line.rfind("fuzz.json", 0) == 0 && line.find('\n') == std::string::npos);
    }
    return 0;
  }
  auto selection = select_rules(*pack, nullptr, {}, {});
  fuzz::require(selection.has_value());
  for (const Rule* rule : selection->rules) (void)facts_read(*rule);
  // The engine over arbitrary valid rules, with every fact the plan names unreadable.
  const FactPlan plan = plan_for(selection->rules);
  FactSet facts;
  const FactError unknown{FactProblem::Unknown, "fuzz"};
  for (const auto& key : plan.registry_keys) facts.registry.emplace(key, Unexpected(unknown));
  for (const auto& service : plan.services) facts.services.emplace(service, Unexpected(unknown));
  for (const auto& cls : plan.wmi_classes) facts.wmi.emplace(cls, Unexpected(unknown));
  (void)build_report(*selection, HostFacts{}, facts);
  return 0;
}
