#pragma once

#include <nlohmann/json.hpp>

#include "smbaudit/report_writer.h"

namespace smbaudit {

// The JSON report document (schema smbaudit-report/1); other writers reuse it.
[[nodiscard]] nlohmann::ordered_json report_to_json(const Report& report);

class JsonWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

}  // namespace smbaudit
