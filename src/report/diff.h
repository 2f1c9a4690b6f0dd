// Drift between two reports of a host: which rules regressed, improved, appeared or
// disappeared. Works on reports read back from JSON, so any two runs can be compared.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "report_reader.h"

namespace smbaudit {

enum class Drift { Regressed, Improved, Changed, Appeared, Disappeared };
[[nodiscard]] std::string_view to_string(Drift drift);

struct RuleDrift {
  Drift kind = Drift::Changed;
  std::string rule, title, layer;
  Severity severity = Severity::Medium;  // the new report's, or the old one's for a rule that disappeared
  std::optional<Status> old_status, new_status;
  bool waived = false;      // the new finding is covered by an active waiver
  std::string explanation;  // the new report's, or the old one's for a rule that disappeared
};

struct ReportDiff {
  std::string old_host, new_host, old_time, new_time, old_profile, new_profile;
  std::optional<double> old_score, new_score;
  std::vector<RuleDrift> changes;  // the new report's rule order, then disappeared rules in the old order

  // True when a rule regressed and no active waiver accepts it: the exit-code gate.
  [[nodiscard]] bool regressed() const;
};

// How a rule's verdict moved: into fail, or from pass to unknown/error, is a regression;
// from fail, unknown or error to pass is an improvement; any other move is a change.
[[nodiscard]] std::optional<Drift> classify(Status before, Status after);

[[nodiscard]] ReportDiff diff_reports(const ReadReport& before, const ReadReport& after);

[[nodiscard]] std::string diff_text(const ReportDiff& diff);
[[nodiscard]] nlohmann::ordered_json diff_json(const ReportDiff& diff);

}  // namespace smbaudit
