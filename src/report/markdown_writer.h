#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// GitHub-flavoured Markdown for pull-request comments and tickets: scores per layer,
// what needs attention with its fix, evidence folded away, passes in one list.
class MarkdownWriter final : public ReportWriter {
 public:
  void write(const Report& report, std::ostream& out) const override;
};

// Escapes text so Markdown shows it literally (table cells included).
[[nodiscard]] std::string markdown_escape(std::string_view text);

}  // namespace smbaudit
