// The Group Policy renderer: a Markdown table for those who deploy by GPO. Each row is a
// failed rule: the policy setting that fixes it, and the registry values (what a Group Policy
// Preferences registry item would set where no Administrative Template exists).
#include <fmt/format.h>

#include "scripts.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// A Markdown table cell; "-" for an empty one.
std::string cell(std::string_view text) {
  return text.empty() ? "-" : markdown_cell(text);
}

std::string code(std::string_view text) {
  return "`" + std::string(text) + "`";
}

}  // namespace

ScriptText render_gpo(const RemediationPlan& plan, std::string_view) {
  std::string out = fmt::format("# Group Policy settings for {}\n\n", plan.host);
  out += fmt::format("From the audit of {}. ", plan_origin(plan));
  out +=
      "One row per failed rule with an automatic fix, rules whose change can break access first: pilot those "
      "on a few hosts. The registry column is what the setting (or a Group Policy Preferences registry item, "
      "where no Administrative Template exists) sets on this host; `smbaudit remediate --format ps1` writes "
      "the same changes with a rollback.\n\n";
  if (plan.source_kind == "offline")
    out +=
        "The audit read an offline image: build these settings into the image (its build scripts, an answer "
        "file, or Group Policy once it joins the domain). smbaudit writes no ps1 or .reg for an offline image: "
        "they would change the computer that runs them, not the image.\n\n";
  if (plan.fixes.empty()) {
    out += "Nothing to deploy: no failed rule has an automatic fix here.\n";
  } else {
    out += "| Rule | Severity | Group Policy setting | Registry values | Caution |\n|---|---|---|---|---|\n";
    for (const auto& f : plan.fixes) {
      std::vector<std::string> values;
      for (const auto& c : f.registry)
        values.push_back(code(fmt::format("{}\\{}", c.key, c.name)) + " = " +
                         code(fmt::format("{} ({})", describe(c.data), to_string(c.type))));
      for (const auto& s : f.services)
        values.push_back(fmt::format("service {} start type {}", code(s.service), code(to_string(s.start_type))));
      for (const auto& a : f.account_policy)
        values.push_back(
            fmt::format("account policy {} = {} (was {})", code(a.setting), code(std::to_string(a.value)), a.before));
      for (const auto& s : f.shared) values.push_back(code(s) + " (see above)");
      out += fmt::format("| {} | {} | {} | {} | {} |\n", code(f.rule), to_string(f.severity), cell(f.group_policy),
                         cell(join(values, "<br>")), cell(f.caution));
    }
  }
  if (!plan.manual.empty()) {
    out += "\n## Manual steps\n\n| Rule | Severity | Why not automatic | Group Policy setting |\n|---|---|---|---|\n";
    for (const auto& m : plan.manual)
      out += fmt::format("| {} | {} | {} | {} |\n", code(m.rule), to_string(m.severity), cell(m.why),
                         cell(m.group_policy));
  }
  if (!plan.waived.empty()) {
    out += "\n## Waived, not changed\n\nAn accepted risk is left as it is (`--include-waived` changes these too):\n\n";
    for (const auto& w : plan.waived) out += "- " + cell(waived_line(w)) + "\n";
  }
  if (!plan.included_waived.empty()) {
    std::vector<std::string> ids;
    for (const auto& id : plan.included_waived) ids.push_back(code(id));
    out += "\nChanged although waived (`--include-waived`): " + join(ids, ", ") + ".\n";
  }
  if (!plan.not_evaluated.empty()) {
    out += "\n## Not remediated\n\nThe audit could not evaluate these; audit again with more access:\n\n";
    for (const auto& [rule, status] : plan.not_evaluated)
      out += fmt::format("- {} ({})\n", code(rule), to_string(status));
  }
  return {out, std::nullopt};
}

}  // namespace smbaudit
