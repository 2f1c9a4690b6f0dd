#pragma once

#include "smbaudit/report.h"

namespace smbaudit {

// A terminal table: header, per-layer scores, then findings with the worst first.
class TextWriter final : public ReportWriter {
 public:
  explicit TextWriter(ColorMode color) : color_(color) {}
  void write(const Report& report, std::ostream& out) const override;

 private:
  ColorMode color_;
};

}  // namespace smbaudit
