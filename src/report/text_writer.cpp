#include "text_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "render.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

std::string_view ansi(Status s) {
  switch (s) {
    case Status::Pass: return "\x1b[32m";
    case Status::Fail: return "\x1b[1;31m";
    case Status::NotApplicable: return "\x1b[2m";
    case Status::Unknown: return "\x1b[33m";
    case Status::Error: return "\x1b[35m";
  }
  return "";
}

// The score right-aligned in five columns (" 87.5", "  n/a").
std::string score_column(const std::optional<double>& s) {
  return fmt::format("{:>5}", score_text(s));
}

std::string bar(const std::optional<double>& s) {
  constexpr std::size_t kWidth = 20;
  if (!s) return std::string(kWidth + 2, ' ');
  const auto filled = std::min(kWidth, static_cast<std::size_t>(*s / 100.0 * kWidth + 0.5));
  return "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
}

}  // namespace

void TextWriter::write(const Report& r, std::ostream& out) const {
  const bool color = color_ == ColorMode::Ansi;
  const auto paint = [color](std::string_view code, const std::string& text) {
    return color ? fmt::format("{}{}\x1b[0m", code, text) : text;
  };
  out << fmt::format("smbaudit {}: SMB interception defence audit\n", r.tool_version);
  std::string host = r.host.name.empty() ? "(unnamed)" : r.host.name;
  if (const std::string details = host_summary(r.host); !details.empty()) host += " (" + details + ")";
  if (!r.host_label.empty()) host += ", label " + r.host_label;
  out << "Host     " << host << "\n";
  out << fmt::format("Source   {} {}\n", r.source.kind, r.source.description);
  out << fmt::format("Rules    {} ({} rule{}), profile {}\n\n", r.rules_origin, r.findings.size(),
                     r.findings.size() == 1 ? "" : "s", r.profile);

  out << fmt::format("Score    {} / 100   {}: {}\n", score_column(r.score.overall), coverage_text(r.score),
                     counts_text(r.score.totals));
  for (const auto& [layer, s] : r.score.layers)
    out << fmt::format("  {:<16} {} {}  {}\n", to_string(layer), score_column(s.score), bar(s.score), counts_text(s));
  if (r.score.totals.unknown + r.score.totals.error > 0)
    out << fmt::format("  ({} unknown and {} error are not scored: they are not passes)\n", r.score.totals.unknown,
                       r.score.totals.error);
  out << "\n";

  for (const Finding* f : failures_first(r)) {
    // A waived finding keeps its verdict on the next line; the tag says it is accepted.
    const std::string tag = fmt::format("{:<8}", f->waived() ? "WAIVED" : status_label(f->status));
    out << fmt::format("{} {:<9}{:<38} {}\n", paint(f->waived() ? "\x1b[2m" : ansi(f->status), tag),
                       to_string(f->severity), f->rule->id, f->rule->title);
    if (f->status == Status::NotApplicable) continue;
    // Long lines wrap to the terminal under their own indent (width_ 0: a file, never wrapped).
    const std::string indent(9, ' ');
    const auto line = [&](const std::string& lead, const std::string& text, std::size_t hang) {
      out << wrap_lines(text, lead, std::string(lead.size() + hang, ' '), width_);
    };
    const std::string decided = decided_text(*f);
    if (f->status == Status::Pass) {
      if (!decided.empty()) line(indent, "Decided by " + decided, 11);
      continue;
    }
    line(indent, f->waived() ? fmt::format("{}: {}", status_label(f->status), f->explanation) : f->explanation, 0);
    if (!decided.empty()) line(indent, "Decided by " + decided, 11);
    if (f->waiver) line(indent, waiver_note(*f->waiver), 0);
    if (f->status == Status::Fail && !f->waived()) {
      const auto& fix = f->rule->remediation;
      line(indent, "Fix: " + fix.summary, 5);
      if (!fix.powershell.empty()) line(indent + "  PowerShell:   ", fix.powershell, 0);
      if (!fix.group_policy.empty()) line(indent + "  Group Policy: ", fix.group_policy, 0);
    }
  }
  if (!r.scope_notes.empty()) {
    out << "\nOutside this audit's reach:\n";
    for (const auto& note : r.scope_notes) out << "  - " << note << "\n";
  }
}

}  // namespace smbaudit
