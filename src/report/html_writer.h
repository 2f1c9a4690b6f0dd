#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// One self-contained HTML page for the administrator: score bars per layer, failures
// first, each finding expandable to its evidence and fix; prints with everything open.
class HtmlWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace smbaudit
