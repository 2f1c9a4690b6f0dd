#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// JUnit XML for CI test tabs (Jenkins, GitLab, Azure Pipelines): one test case per rule;
// fail is a failure, unknown and error are errors, not applicable and waived are skipped.
class JunitWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace smbaudit
