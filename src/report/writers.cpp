#include <array>

#include "json_writer.h"
#include "smbaudit/report.h"
#include "smbaudit/text.h"
#include "text_writer.h"

namespace smbaudit {
namespace {

const std::array<WriterEntry, 2> kWriters{{
    {"text", ".txt .text", "a table for a terminal: scores per layer, failures first with the fix",
     [](ColorMode color) -> std::unique_ptr<ReportWriter> { return std::make_unique<TextWriter>(color); }},
    {"json", ".json", "the versioned machine-readable report (schema smbaudit-report/1)",
     [](ColorMode) -> std::unique_ptr<ReportWriter> { return std::make_unique<JsonWriter>(); }},
}};

}  // namespace

std::span<const WriterEntry> report_writers() {
  return kWriters;
}

const WriterEntry* find_writer(std::string_view name) {
  for (const auto& w : kWriters)
    if (w.name == name) return &w;
  return nullptr;
}

const WriterEntry* writer_for_extension(const std::filesystem::path& path) {
  const std::string ext = to_lower(path.extension().string());
  if (ext.empty()) return nullptr;
  for (const auto& w : kWriters) {
    std::string_view exts = w.extensions;
    while (!exts.empty()) {
      const auto space = exts.find(' ');
      if (exts.substr(0, space) == ext) return &w;
      if (space == std::string_view::npos) break;
      exts.remove_prefix(space + 1);
    }
  }
  return nullptr;
}

}  // namespace smbaudit
