// Report writers: one class per format behind one interface, registered in one table, and
// the atomic file write every report goes through.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "smbaudit/engine.h"
#include "smbaudit/expected.h"

namespace smbaudit {

enum class ColorMode { Plain, Ansi };

// How a report is rendered beyond its content; each writer reads what concerns it.
struct WriterOptions {
  ColorMode color = ColorMode::Plain;
  std::size_t width = 0;                      // text: wrap long lines to this many columns; 0: never
  std::optional<std::string> sarif_category;  // SARIF automationDetails.id ({host} expanded); "": none
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // Writes the whole report to `out`.
  virtual void write(const Report& report, std::ostream& out) const = 0;
};

struct WriterEntry {
  std::string_view name;
  std::string_view extensions;  // space-separated, with the dot
  std::string_view description;
  std::unique_ptr<ReportWriter> (*make)(const WriterOptions& options);
};

// The one table of report formats; also feeds --help.
[[nodiscard]] std::span<const WriterEntry> report_writers();
[[nodiscard]] const WriterEntry* find_writer(std::string_view name);
[[nodiscard]] const WriterEntry* writer_for_extension(const std::filesystem::path& path);

// JSON report schema identifier written into every JSON report.
inline constexpr std::string_view kReportSchema = "smbaudit-report/1";

// Writes `content` to `path` through a temporary file in the same folder and a rename,
// so readers see the old file or the new one, never half of one.
[[nodiscard]] Expected<bool, std::string> write_file_atomically(const std::filesystem::path& path,
                                                                std::string_view content);

}  // namespace smbaudit
