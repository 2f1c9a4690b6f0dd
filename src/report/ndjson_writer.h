#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// Newline-delimited JSON for log platforms: one flat "host" record with the scores and
// counts, then one flat "finding" record per rule (schema smbaudit-ndjson/1, docs/ndjson.md).
class NdjsonWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

inline constexpr std::string_view kNdjsonSchema = "smbaudit-ndjson/1";

}  // namespace smbaudit
