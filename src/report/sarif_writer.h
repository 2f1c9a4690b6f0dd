#pragma once

#include "smbaudit/report.h"

namespace smbaudit {

// SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps): every rule as a
// reportingDescriptor, one result per fail, unknown or error finding, waivers as suppressions.
class SarifWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace smbaudit
