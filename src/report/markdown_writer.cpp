#include "markdown_writer.h"

#include <fmt/format.h>

#include "render.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// A fenced block whose fence is longer than any run of backticks inside it.
std::string fenced(const std::string& body, std::string_view info) {
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fmt::format("{}{}\n{}\n{}\n", fence, info, body, fence);
}

void write_finding(const Finding& f, std::ostream& out) {
  out << fmt::format("#### {} `{}`: {} ({})\n\n", status_label(f.status), f.rule->id, markdown_escape(f.rule->title),
                     to_string(f.severity));
  out << markdown_escape(f.explanation) << "\n\n";
  if (const std::string decided = decided_text(f); !decided.empty())
    out << "**Decided by:** " << markdown_escape(decided) << "\n\n";
  if (f.waiver) out << "> " << markdown_escape(waiver_note(*f.waiver)) << "\n\n";
  if (f.status == Status::Fail) {
    const auto& fix = f.rule->remediation;
    out << "**Fix:** " << markdown_escape(fix.summary) << "\n\n";
    if (!fix.powershell.empty()) out << fenced(fix.powershell, "powershell") << "\n";
    if (!fix.group_policy.empty()) out << "**Group Policy:** " << markdown_escape(fix.group_policy) << "\n\n";
  }
  if (!f.evidence.empty()) {
    std::string lines;
    for (const auto& e : f.evidence) lines += (lines.empty() ? "" : "\n") + evidence_line(e);
    out << "<details><summary>Evidence</summary>\n\n" << fenced(lines, "text") << "\n</details>\n\n";
  }
}

}  // namespace

std::string markdown_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|#~").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void MarkdownWriter::write(const Report& r, std::ostream& out) const {
  out << fmt::format("## smbaudit: {}, score {} / 100 ({})\n\n",
                     markdown_escape(r.host.name.empty() ? "(unnamed host)" : r.host.name), score_text(r.score.overall),
                     coverage_text(r.score));
  out << fmt::format("{} · profile `{}` · {} {} · smbaudit {} · {}\n\n", markdown_escape(host_summary(r.host)),
                     r.profile, markdown_escape(r.source.kind), markdown_escape(r.source.description), r.tool_version,
                     r.generated_at);
  out << "| Layer | Score | Pass | Fail | Unknown | Error | N/A |\n|---|---:|---:|---:|---:|---:|---:|\n";
  const auto row = [&out](std::string_view name, const LayerScore& s) {
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", name, score_text(s.score), s.passed, s.failed,
                       s.unknown, s.error, s.not_applicable);
  };
  for (const auto& [layer, s] : r.score.layers) row(to_string(layer), s);
  row("**overall**", r.score.totals);
  out << "\n";
  if (r.score.totals.unknown + r.score.totals.error > 0)
    out << "Unknown and error are not scored: they are not passes.\n\n";

  const auto [attention, waived, fine] = group_findings(r);
  if (!attention.empty()) {
    out << fmt::format("### Needs attention ({})\n\n", attention.size());
    out << "| Status | Severity | Rule | Title |\n|---|---|---|---|\n";
    for (const Finding* f : attention)
      out << fmt::format("| {} | {} | `{}` | {} |\n", status_label(f->status), to_string(f->severity), f->rule->id,
                         markdown_escape(f->rule->title));
    out << "\n";
    for (const Finding* f : attention) write_finding(*f, out);
  } else {
    out << "### Nothing needs attention\n\nEvery rule passed, was not applicable, or is waived.\n\n";
  }
  if (!waived.empty()) {
    out << fmt::format("### Waived ({})\n\n", waived.size());
    for (const Finding* f : waived) write_finding(*f, out);
  }
  if (!fine.empty()) {
    out << fmt::format("<details><summary>Passed or not applicable ({})</summary>\n\n", fine.size());
    for (const Finding* f : fine) {
      const std::string decided = decided_text(*f);
      out << fmt::format("- {} `{}` {} ({}){}\n", status_label(f->status), f->rule->id, markdown_escape(f->rule->title),
                         to_string(f->severity), decided.empty() ? "" : ": decided by " + markdown_escape(decided));
    }
    out << "\n</details>\n\n";
  }
  if (!r.scope_notes.empty()) {
    out << "**Outside this audit's reach:**\n\n";
    for (const auto& note : r.scope_notes) out << "- " << markdown_escape(note) << "\n";
    out << "\n";
  }
}

}  // namespace smbaudit
