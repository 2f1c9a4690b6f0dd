#include <array>

#include "html_writer.h"
#include "json_writer.h"
#include "junit_writer.h"
#include "markdown_writer.h"
#include "ndjson_writer.h"
#include "sarif_writer.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/text.h"
#include "text_writer.h"

namespace smbaudit {
namespace {

const std::array<WriterEntry, 7> kWriters{{
    {"text", ".txt .text", "a table for a terminal: scores per layer, failures first with the fix",
     [](const WriterOptions& o) -> std::unique_ptr<ReportWriter> { return std::make_unique<TextWriter>(o); }},
    {"json", ".json", "the versioned machine-readable report (schema smbaudit-report/1)",
     [](const WriterOptions&) -> std::unique_ptr<ReportWriter> { return std::make_unique<JsonWriter>(); }},
    {"sarif", ".sarif", "SARIF 2.1.0 for GitHub code scanning and Azure DevOps: one result per fail/unknown/error",
     [](const WriterOptions& o) -> std::unique_ptr<ReportWriter> { return std::make_unique<SarifWriter>(o); }},
    {"junit", ".xml", "JUnit XML for CI test tabs: one test case per rule",
     [](const WriterOptions&) -> std::unique_ptr<ReportWriter> { return std::make_unique<JunitWriter>(); }},
    {"markdown", ".md .markdown", "Markdown for pull-request comments and tickets",
     [](const WriterOptions&) -> std::unique_ptr<ReportWriter> { return std::make_unique<MarkdownWriter>(); }},
    {"ndjson", ".ndjson .jsonl", "one JSON line per finding plus one per host, for log platforms",
     [](const WriterOptions&) -> std::unique_ptr<ReportWriter> { return std::make_unique<NdjsonWriter>(); }},
    {"html", ".html .htm", "one self-contained page: score bars, failures first, expandable evidence and fixes",
     [](const WriterOptions&) -> std::unique_ptr<ReportWriter> { return std::make_unique<HtmlWriter>(); }},
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
