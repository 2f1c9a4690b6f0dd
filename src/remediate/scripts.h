// The formats `smbaudit remediate` writes, each rendering one RemediationPlan: a
// PowerShell script and its rollback, a .reg file and its undo .reg, a Group Policy table.
// Renderers return text (UTF-8, LF); `encode` gives the bytes a Windows tool reads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "plan.h"

namespace smbaudit {

struct ScriptText {
  std::string main;
  std::optional<std::string> rollback;  // the undo script, for formats that change the host
};

struct ScriptFormat {
  std::string_view name;             // ps1, reg, gpo
  std::string_view extension;        // of the main file: ".ps1"
  std::string_view rollback_suffix;  // replaces the extension for the rollback file; empty: none
  std::string_view description;
  // Renders the plan; `rollback_name` is the rollback file's name, cited in the main file.
  ScriptText (*render)(const RemediationPlan& plan, std::string_view rollback_name);
  // The bytes written to disk for rendered text (BOM, UTF-16, CRLF as the consumer expects).
  std::string (*encode)(std::string_view text);
  // Written as folders, not a file (gpo-files: a GPO and its rollback GPO); the CLI writes
  // them with the Group Policy writers, which this stage does not depend on. render and
  // encode give the settings table, shown when no --output is given.
  bool folder = false;
};

// The one table of remediation formats; also feeds --help.
[[nodiscard]] std::span<const ScriptFormat> script_formats();
[[nodiscard]] const ScriptFormat* find_script_format(std::string_view name);

// Where the rollback goes beside `main_path`: fix.ps1 -> fix.rollback.ps1, fix.reg -> fix.undo.reg.
[[nodiscard]] std::string rollback_path(const std::string& main_path, const ScriptFormat& format);

ScriptText render_reg(const RemediationPlan& plan, std::string_view rollback_name);
ScriptText render_ps1(const RemediationPlan& plan, std::string_view rollback_name);
ScriptText render_gpo(const RemediationPlan& plan, std::string_view rollback_name);

// Text helpers the renderers share.
[[nodiscard]] std::string utf16le(std::string_view utf8);           // as is: no BOM, no line-end change
[[nodiscard]] std::string utf16le_with_bom(std::string_view utf8);  // CRLF line ends, BOM first
[[nodiscard]] std::string utf8_with_bom_crlf(std::string_view utf8);
// Wraps `text` to lines of at most `width` characters, each starting with `prefix`.
[[nodiscard]] std::string wrap(std::string_view text, std::string_view prefix, std::size_t width = 96);
// "1 (REG_DWORD)", "absent": how a value is described in comments and logs.
[[nodiscard]] std::string describe_reg(const std::optional<RegValue>& value);
// Which file of a pair: the fix lists cautions and manual steps; the rollback only undoes.
enum class ScriptPart { Fix, Undo };

// The comment block a script starts with, each line led by `comment` ("#", ";"): what it is
// for which audit, how to use it, and for the fix the cautions of the risky changes (which
// come first), the manual steps and the rules the audit could not evaluate.
[[nodiscard]] std::string comment_header(const RemediationPlan& plan, ScriptPart part, std::string_view comment,
                                         std::string_view title, std::string_view usage);
// "RULE: JUSTIFICATION (waiver expires DATE)": a finding left unchanged because it is waived.
[[nodiscard]] std::string waived_line(const WaivedStep& waived);

// The comment above one rule's changes: id, title, severity, its caution, shared changes.
[[nodiscard]] std::string rule_comment(const RuleFix& fix, ScriptPart part, std::string_view comment,
                                       std::string_view lead);

// "Rollback: NAME puts back the values the audit saw..." (or that it needs --output).
[[nodiscard]] std::string rollback_sentence(std::string_view rollback_name);
// The header facts every format states: host, audit, profile, tool.
[[nodiscard]] std::string plan_origin(const RemediationPlan& plan);

}  // namespace smbaudit
