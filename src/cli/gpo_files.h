// remediate --format gpo-files: a remediation plan as two GPO SYSVOL folders (docs/group-policy.md),
// one holding the fixes and one restoring what the audit saw. Here, in the CLI, because it
// joins the remediate stage (the plan) and the Group Policy writers of the sources stage.
#pragma once

#include <filesystem>
#include <string>

#include "../remediate/plan.h"
#include "smbaudit/expected.h"

namespace smbaudit {

// The rollback folder beside `dir`: "out/fix" -> "out/fix.rollback".
[[nodiscard]] std::filesystem::path gpo_rollback_folder(const std::filesystem::path& dir);

// Writes `dir` (GPT.INI and Machine\Registry.pol) with the plan's changes, service start
// types included (their Start values), and the rollback
// folder with the values the audit saw ("**del." where a value was absent). The rollback is
// written first, each file atomically. The error is one line naming the file.
[[nodiscard]] Expected<bool, std::string> write_gpo_files(const RemediationPlan& plan,
                                                          const std::filesystem::path& dir);

}  // namespace smbaudit
