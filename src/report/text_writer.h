#pragma once

#include "smbaudit/report_writer.h"

namespace smbaudit {

// A terminal table: header, per-layer scores, then findings with the worst first; with a
// width, long explanations, evidence and fix lines wrap under their own indent.
class TextWriter final : public ReportWriter {
 public:
  explicit TextWriter(const WriterOptions& options) : color_(options.color), width_(options.width) {}
  void write(const Report& report, std::ostream& out) const override;

 private:
  ColorMode color_;
  std::size_t width_;
};

}  // namespace smbaudit
