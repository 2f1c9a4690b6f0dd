#include "text_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "render.h"

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

std::string score_text(const std::optional<double>& s) {
  return s ? fmt::format("{:5.1f}", *s) : "  n/a";
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
  out << fmt::format("Host     {} ({})\n", r.host.name.empty() ? "(unnamed)" : r.host.name, host_summary(r.host));
  out << fmt::format("Source   {} {}\n", r.source.kind, r.source.description);
  out << fmt::format("Rules    {} ({} rules), profile {}\n\n", r.rules_origin, r.findings.size(), r.profile);

  out << fmt::format("Score    {} / 100   {}\n", score_text(r.score.overall), counts_text(r.score.totals));
  for (const auto& [layer, s] : r.score.layers)
    out << fmt::format("  {:<16} {} {}  {}\n", to_string(layer), score_text(s.score), bar(s.score), counts_text(s));
  if (r.score.totals.unknown + r.score.totals.error > 0)
    out << fmt::format("  ({} unknown and {} error are not scored: they are not passes)\n", r.score.totals.unknown,
                       r.score.totals.error);
  out << "\n";

  for (const Finding* f : failures_first(r)) {
    // A waived finding keeps its verdict on the next line; the tag says it is accepted.
    const std::string tag = fmt::format("{:<8}", f->waived() ? "WAIVED" : status_label(f->status));
    out << fmt::format("{} {:<9}{:<38} {}\n", paint(f->waived() ? "\x1b[2m" : ansi(f->status), tag),
                       to_string(f->severity), f->rule->id, f->rule->title);
    if (f->status == Status::Pass || f->status == Status::NotApplicable) continue;
    if (f->waived())
      out << fmt::format("         {}: {}\n", status_label(f->status), f->explanation);
    else
      out << fmt::format("         {}\n", f->explanation);
    if (f->waiver) out << fmt::format("         {}\n", waiver_note(*f->waiver));
    if (f->status == Status::Fail && !f->waived()) {
      const auto& fix = f->rule->remediation;
      out << fmt::format("         Fix: {}\n", fix.summary);
      if (!fix.powershell.empty()) out << fmt::format("           PowerShell:   {}\n", fix.powershell);
      if (!fix.group_policy.empty()) out << fmt::format("           Group Policy: {}\n", fix.group_policy);
    }
  }
  if (!r.scope_notes.empty()) {
    out << "\nOutside this audit's reach:\n";
    for (const auto& note : r.scope_notes) out << "  - " << note << "\n";
  }
}

}  // namespace smbaudit
