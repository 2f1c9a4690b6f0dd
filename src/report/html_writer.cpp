#include "html_writer.h"

#include <fmt/format.h>

#include "html_page.h"
#include "render.h"
#include "smbaudit/text.h"
#include "xml.h"

namespace smbaudit {
namespace {

std::string css_class(Status s) {
  switch (s) {
    case Status::Pass: return "pass";
    case Status::Fail: return "fail";
    case Status::NotApplicable: return "na";
    case Status::Unknown: return "unknown";
    case Status::Error: return "error";
  }
  return "na";
}

// Only http(s) links are rendered as links; anything else in a rule file stays text.
std::string reference(const std::string& url) {
  if (istarts_with(url, "https://") || istarts_with(url, "http://"))
    return fmt::format("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", xml_escape(url));
  return xml_escape(url);
}

void write_finding(const Finding& f, std::ostream& out) {
  const std::string cls = f.waived() ? css_class(f.status) + " waived" : css_class(f.status);
  // Closed by default so the page reads as a list, failures first; printing opens them all.
  out << fmt::format("<details class=\"finding {}\">\n<summary>", cls);
  if (f.waived()) out << fmt::format("<span class=\"badge waived\">WAIVED</span> ");
  out << fmt::format("<span class=\"badge {}\">{}</span> <span class=\"sev\">{}</span> <code>{}</code> {}</summary>\n",
                     css_class(f.status), status_label(f.status), to_string(f.severity), xml_escape(f.rule->id),
                     xml_escape(f.rule->title));
  out << fmt::format("<p>{}</p>\n", xml_escape(f.explanation));
  if (f.waiver)
    out << fmt::format("<p class=\"note{}\">{}</p>\n", f.waived() ? "" : " expired",
                       xml_escape(waiver_note(*f.waiver)));
  if (!f.evidence.empty()) {
    out << "<h4>Evidence</h4>\n<ul class=\"evidence\">\n";
    for (const auto& e : f.evidence) out << fmt::format("<li>{}</li>\n", xml_escape(evidence_line(e)));
    out << "</ul>\n";
  }
  if (f.status != Status::Pass && f.status != Status::NotApplicable) {
    const auto& fix = f.rule->remediation;
    out << fmt::format("<h4>Fix</h4>\n<p>{}</p>\n", xml_escape(fix.summary));
    if (!fix.powershell.empty()) out << fmt::format("<pre><code>{}</code></pre>\n", xml_escape(fix.powershell));
    if (!fix.group_policy.empty())
      out << fmt::format("<p><strong>Group Policy:</strong> {}</p>\n", xml_escape(fix.group_policy));
  }
  if (!f.rule->rationale.empty())
    out << fmt::format("<p class=\"dim\"><strong>Why:</strong> {}</p>\n", xml_escape(f.rule->rationale));
  if (!f.rule->references.empty()) {
    std::vector<std::string> links;
    for (const auto& url : f.rule->references) links.push_back(reference(url));
    out << fmt::format("<p class=\"dim\">References: {}</p>\n", join(links, " · "));
  }
  out << "</details>\n";
}

}  // namespace

void HtmlWriter::write(const Report& r, std::ostream& out) const {
  const std::string host = r.host.name.empty() ? "(unnamed host)" : r.host.name;
  const std::string overall = r.score.overall ? fmt::format("{:.1f}", *r.score.overall) : "n/a";
  out << html_page_start(fmt::format("smbaudit: {} ({} / 100)", host, overall));
  out << "<div class=\"toolbar\"><button id=\"toggle\" type=\"button\">Expand all</button></div>\n";
  out << fmt::format(
      "<h1>{} <span class=\"big\">{}</span><span class=\"dim\"> / 100</span> <span class=\"dim\">({})</span></h1>\n",
      xml_escape(host), overall, xml_escape(coverage_text(r.score)));
  out << fmt::format("<p class=\"meta\">{} · profile {} · {} {} · smbaudit {} · {}</p>\n",
                     xml_escape(host_summary(r.host)), xml_escape(r.profile), xml_escape(r.source.kind),
                     xml_escape(r.source.description), xml_escape(r.tool_version), xml_escape(r.generated_at));

  out << "<h2>Score by layer</h2>\n<table class=\"layers\">\n";
  for (const auto& [layer, s] : r.score.layers)
    out << fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr>\n", to_string(layer), html_score_bar(s.score),
                       counts_text(s));
  out << fmt::format("<tr><th>overall</th><td>{}</td><td>{}</td></tr>\n</table>\n", html_score_bar(r.score.overall),
                     counts_text(r.score.totals));
  if (r.score.totals.unknown + r.score.totals.error > 0)
    out << "<p class=\"dim\">Unknown and error are not scored: they are not passes.</p>\n";

  const auto [attention, waived, fine] = group_findings(r);
  out << fmt::format("<h2>Needs attention ({})</h2>\n", attention.size());
  if (attention.empty()) out << "<p>Every rule passed, was not applicable, or is waived.</p>\n";
  for (const Finding* f : attention) write_finding(*f, out);
  if (!waived.empty()) {
    out << fmt::format("<h2>Waived ({})</h2>\n", waived.size());
    for (const Finding* f : waived) write_finding(*f, out);
  }
  out << fmt::format("<h2>Passed or not applicable ({})</h2>\n", fine.size());
  for (const Finding* f : fine) write_finding(*f, out);
  if (!r.scope_notes.empty()) {
    out << "<h2>Outside this audit's reach</h2>\n<ul>\n";
    for (const auto& note : r.scope_notes) out << fmt::format("<li>{}</li>\n", xml_escape(note));
    out << "</ul>\n";
  }
  out << html_page_end();
}

}  // namespace smbaudit
