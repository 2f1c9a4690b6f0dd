#include "scripts.h"

#include <fmt/format.h>

#include <array>

#include "../core/utf.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

std::string identity(std::string_view text) {
  return std::string(text);
}

constexpr std::array<ScriptFormat, 4> kFormats{{
    {"ps1", ".ps1", ".rollback.ps1",
     "PowerShell script (elevation check, -WhatIf, log, stop on first error) and its rollback script", &render_ps1,
     &utf8_with_bom_crlf},
    // regedit reads UTF-16LE with a BOM: a UTF-8 file's REG_MULTI_SZ data is misread (tested under Wine).
    {"reg", ".reg", ".undo.reg", "registry file for regedit /s, and the undo .reg", &render_reg, &utf16le_with_bom},
    {"gpo", ".md", "", "Markdown table of the Group Policy settings and the registry values they set", &render_gpo,
     &identity},
    {"gpo-files", "", ".rollback",
     "a GPO's SYSVOL folder DIR (GPT.INI, Machine\\Registry.pol) holding the fixes, and DIR.rollback restoring "
     "what the audit saw; apply with LGPO.exe or copy into a GPO",
     &render_gpo, &identity, true},
}};

std::string with_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

std::span<const ScriptFormat> script_formats() {
  return kFormats;
}

const ScriptFormat* find_script_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::string rollback_path(const std::string& main_path, const ScriptFormat& format) {
  std::string stem = main_path;
  if (stem.size() > format.extension.size() &&
      iequals(std::string_view(stem).substr(stem.size() - format.extension.size()), format.extension))
    stem.resize(stem.size() - format.extension.size());
  return stem + std::string(format.rollback_suffix);
}

std::string utf16le(std::string_view utf8) {
  return utf::utf8_to_utf16le(utf8);
}

std::string utf16le_with_bom(std::string_view utf8) {
  return "\xff\xfe" + utf::utf8_to_utf16le(with_crlf(utf8));
}

std::string utf8_with_bom_crlf(std::string_view utf8) {
  // Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
  return "\xef\xbb\xbf" + with_crlf(utf8);
}

std::string wrap(std::string_view text, std::string_view prefix, std::size_t width) {
  return wrap_lines(text, prefix, prefix, width);
}

std::string describe_reg(const std::optional<RegValue>& value) {
  if (!value) return "absent";
  return fmt::format("{} ({})", describe(value->data), to_string(value->type));
}

std::string comment_header(const RemediationPlan& plan, ScriptPart part, std::string_view comment,
                           std::string_view title, std::string_view usage) {
  const std::string c(comment), lead = c + " ", item = c + "   ";
  std::string out = wrap(fmt::format("{} for {}.", title, plan_origin(plan)), lead);
  out += wrap(usage, lead);
  if (part == ScriptPart::Undo)
    return out + (plan.has_changes() ? "" : c + "\n" + lead + "Nothing to undo: the remediation changes nothing.\n");
  std::vector<std::string> cautions;
  for (const auto& f : plan.fixes)
    if (!f.caution.empty()) cautions.push_back(f.rule + ": " + f.caution);
  if (!cautions.empty()) {
    out += c + "\n" + lead + "CAUTION: these changes can break access (they come first below). Read before applying:\n";
    for (const auto& text : cautions) out += wrap(text, item);
  }
  if (!plan.manual.empty()) {
    out += c + "\n" + lead + "Not in this file (manual steps):\n";
    for (const auto& m : plan.manual) out += wrap(m.rule + ": " + m.why, item);
  }
  if (!plan.not_evaluated.empty()) {
    out += c + "\n" + lead + "Not remediated: the audit could not evaluate these (re-audit with more access):\n";
    for (const auto& [rule, status] : plan.not_evaluated)
      out += fmt::format("{}{} ({})\n", item, rule, to_string(status));
  }
  if (!plan.waived.empty()) {
    out += c + "\n" + lead + "Waived, not changed (an accepted risk; --include-waived changes them too):\n";
    for (const auto& w : plan.waived) out += wrap(waived_line(w), item);
  }
  if (!plan.included_waived.empty())
    out += c + "\n" + wrap("Changed although waived (--include-waived): " + join(plan.included_waived, ", "), lead);
  if (!plan.has_changes()) out += c + "\n" + lead + "Nothing to change: no failed rule has an automatic fix here.\n";
  return out;
}

std::string waived_line(const WaivedStep& w) {
  return fmt::format("{}: {} (waiver expires {})", w.rule,
                     w.justification.empty() ? "no justification recorded" : w.justification,
                     w.expires.empty() ? "on an unknown date" : w.expires);
}

std::string rule_comment(const RuleFix& fix, ScriptPart part, std::string_view comment, std::string_view lead) {
  std::string out = fmt::format("\n{} {}{}: {} ({})\n", comment, lead, fix.rule, fix.title, to_string(fix.severity));
  if (part == ScriptPart::Fix && !fix.caution.empty())
    out += wrap("CAUTION: " + fix.caution, std::string(comment) + " ");
  for (const auto& s : fix.shared) out += fmt::format("{} also needs {}, set above\n", comment, s);
  return out;
}

std::string rollback_sentence(std::string_view rollback_name) {
  if (rollback_name.empty()) return "The rollback is written only with --output, beside the script.";
  return fmt::format("Rollback: {} puts back the values the audit saw (values that were absent are deleted).",
                     rollback_name);
}

std::string plan_origin(const RemediationPlan& plan) {
  return fmt::format("{} ({}), audited {}, profile {}, smbaudit {}", plan.host, plan.host_details,
                     plan.report_time.empty() ? "at an unknown time" : plan.report_time,
                     plan.profile.empty() ? "unknown" : plan.profile,
                     plan.tool_version.empty() ? "unknown" : plan.tool_version);
}

}  // namespace smbaudit
