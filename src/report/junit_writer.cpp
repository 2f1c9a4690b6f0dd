#include "junit_writer.h"

#include <fmt/format.h>

#include "render.h"
#include "xml.h"

namespace smbaudit {
namespace {

enum class CaseOutcome { Passed, Failure, Error, Skipped };

CaseOutcome outcome(const Finding& f) {
  if (f.waived()) return CaseOutcome::Skipped;
  switch (f.status) {
    case Status::Pass: return CaseOutcome::Passed;
    case Status::Fail: return CaseOutcome::Failure;
    case Status::Unknown:
    case Status::Error: return CaseOutcome::Error;
    case Status::NotApplicable: return CaseOutcome::Skipped;
  }
  return CaseOutcome::Error;
}

// The body of a failure or error: what was found, the evidence, and the fix.
std::string details(const Finding& f) {
  std::string text = f.explanation + "\n";
  if (f.waiver) text += waiver_note(*f.waiver) + "\n";
  if (!f.evidence.empty()) {
    text += "Evidence:\n";
    for (const auto& e : f.evidence) text += "  " + evidence_line(e) + "\n";
  }
  const auto& fix = f.rule->remediation;
  if (f.status == Status::Fail) {
    text += "Fix: " + fix.summary + "\n";
    if (!fix.powershell.empty()) text += "  PowerShell:   " + fix.powershell + "\n";
    if (!fix.group_policy.empty()) text += "  Group Policy: " + fix.group_policy + "\n";
  }
  return text;
}

}  // namespace

void JunitWriter::write(const Report& r, std::ostream& out) const {
  int failures = 0, errors = 0, skipped = 0;
  for (const auto& f : r.findings) {
    switch (outcome(f)) {
      case CaseOutcome::Failure: ++failures; break;
      case CaseOutcome::Error: ++errors; break;
      case CaseOutcome::Skipped: ++skipped; break;
      case CaseOutcome::Passed: break;
    }
  }
  // Test identities stay the same across runs of a relabelled host (--host-label).
  const std::string& host_name = stable_host_name(r);
  const std::string host = xml_escape(host_name.empty() ? "unknown-host" : host_name);
  // JUnit's timestamp is an xs:dateTime without a zone; the report's time is UTC.
  std::string timestamp = r.generated_at;
  if (!timestamp.empty() && timestamp.back() == 'Z') timestamp.pop_back();
  const std::string counts =
      fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}")", r.findings.size(), failures, errors, skipped);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"smbaudit\" {} time=\"0\">\n", counts);
  out << fmt::format("  <testsuite name=\"smbaudit {}\" hostname=\"{}\" timestamp=\"{}\" {} time=\"0\">\n", host, host,
                     xml_escape(timestamp), counts);
  out << "    <properties>\n";
  const auto property = [&out](std::string_view name, const std::string& value) {
    out << fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml_escape(value));
  };
  property("smbaudit.version", r.tool_version);
  property("profile", r.profile);
  property("source", r.source.kind + " " + r.source.description);
  property("score.overall", score_text(r.score.overall));
  const Coverage covered = coverage(r.score.totals);
  property("score.coverage", coverage_text(r.score));
  property("score.scored", std::to_string(covered.scored));
  property("score.applicable", std::to_string(covered.applicable));
  if (!r.host_label.empty()) property("host.name", r.host.name);
  for (const auto& [layer, s] : r.score.layers)
    property(fmt::format("score.{}", to_string(layer)), score_text(s.score));
  out << "    </properties>\n";
  for (const auto& f : r.findings) {
    out << fmt::format("    <testcase name=\"{}: {}\" classname=\"{}.{}\" time=\"0\"", xml_escape(f.rule->id),
                       xml_escape(f.rule->title), host, to_string(f.rule->layer));
    const CaseOutcome o = outcome(f);
    if (o == CaseOutcome::Passed) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    switch (o) {
      case CaseOutcome::Failure:
      case CaseOutcome::Error:
        out << fmt::format(
            "      <{} message=\"{}\" type=\"{}\">{}</{}>\n", o == CaseOutcome::Failure ? "failure" : "error",
            xml_escape(f.explanation),
            o == CaseOutcome::Failure ? std::string(to_string(f.severity)) : std::string(to_string(f.status)),
            xml_escape(details(f)), o == CaseOutcome::Failure ? "failure" : "error");
        break;
      case CaseOutcome::Skipped:
        out << fmt::format("      <skipped message=\"{}\"/>\n",
                           xml_escape(f.waived() ? fmt::format("{}: {} [{}]", to_string(f.status), f.explanation,
                                                               waiver_note(*f.waiver))
                                                 : "not applicable: " + f.explanation));
        break;
      case CaseOutcome::Passed: break;
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace smbaudit
