#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps): every rule as a
// reportingDescriptor, one result per fail, unknown or error finding, waivers as suppressions.
// `category` replaces automationDetails.id ("": left out, so an uploader's own category applies).
class SarifWriter final : public ReportWriter {
 public:
  explicit SarifWriter(const WriterOptions& options) : category_(options.sarif_category) {}
  void write(const Report& report, std::ostream& out) const override;

 private:
  std::optional<std::string> category_;
};

}  // namespace smbaudit
