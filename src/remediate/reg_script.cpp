// The .reg renderer: "Windows Registry Editor Version 5.00" text, one block per rule, and
// the undo file that puts back the values the audit saw ("name"=- for absent ones).
#include <fmt/format.h>

#include "scripts.h"

namespace smbaudit {
namespace {

std::string reg_key(std::string_view key) {
  // Rules spell keys "HKLM\..."; regedit wants the hive's full name.
  if (key.substr(0, 5) == "HKLM\\") return "HKEY_LOCAL_MACHINE\\" + std::string(key.substr(5));
  return std::string(key);
}

std::string reg_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string utf16_hex_bytes(const std::vector<std::string>& strings, bool list) {
  std::string bytes;
  for (const auto& s : strings) {
    bytes += utf16le(s);
    bytes += std::string("\0\0", 2);
  }
  if (list) bytes += std::string("\0\0", 2);
  return bytes;
}

// "hex(7):42,00,..." wrapped like regedit's own exports (80 columns, backslash continuation).
std::string hex_data(std::string_view tag, std::string_view bytes, std::size_t name_width) {
  std::string out(tag);
  std::size_t column = name_width + 1 + tag.size();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
    column += 2;
    if (i + 1 < bytes.size()) {
      out += ',';
      ++column;
      if (column > 76) {
        out += "\\\n  ";
        column = 2;
      }
    }
  }
  return out;
}

bool needs_hex(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20) return true;
  return false;
}

std::string data_text(const std::string& name, RegType type, const Value& data) {
  const std::size_t width = reg_quoted(name).size();
  switch (type) {
    case RegType::Dword: return fmt::format("dword:{:08x}", static_cast<std::uint32_t>(std::get<std::int64_t>(data)));
    case RegType::Qword: {
      std::string bytes;
      auto v = static_cast<std::uint64_t>(std::get<std::int64_t>(data));
      for (int i = 0; i < 8; ++i, v >>= 8) bytes += static_cast<char>(v & 0xff);
      return hex_data("hex(b):", bytes, width);
    }
    case RegType::Sz: {
      const auto& s = std::get<std::string>(data);
      return needs_hex(s) ? hex_data("hex(1):", utf16_hex_bytes({s}, false), width) : reg_quoted(s);
    }
    case RegType::ExpandSz: return hex_data("hex(2):", utf16_hex_bytes({std::get<std::string>(data)}, false), width);
    case RegType::MultiSz: return hex_data("hex(7):", utf16_hex_bytes(std::get<StringList>(data), true), width);
    case RegType::Binary:
    case RegType::Other: {
      const auto& b = std::get<Bytes>(data);
      return hex_data("hex:", std::string(b.begin(), b.end()), width);
    }
  }
  return "";
}

std::string assignment(const std::string& name, RegType type, const Value& data) {
  return reg_quoted(name) + "=" + data_text(name, type, data) + "\n";
}

std::string header(const RemediationPlan& plan, ScriptPart part, std::string_view title, std::string_view usage) {
  return "Windows Registry Editor Version 5.00\n\n" +
         comment_header(plan, part, ";", title,
                        std::string(usage) +
                            " Import as an administrator: regedit /s FILE (or double-click). Most values take "
                            "effect after a restart.");
}

std::string service_key(const std::string& service) {
  return "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\" + service;
}

}  // namespace

ScriptText render_reg(const RemediationPlan& plan, std::string_view rollback_name) {
  std::string main = header(plan, ScriptPart::Fix, "smbaudit remediation", rollback_sentence(rollback_name));
  std::string undo = header(plan, ScriptPart::Undo, "smbaudit undo of the remediation",
                            "Puts back the values the audit saw; values that were absent are deleted. Keys the "
                            "remediation created stay, empty.");
  for (const auto& fix : plan.fixes) {
    main += rule_comment(fix, ScriptPart::Fix, ";", "");
    undo += rule_comment(fix, ScriptPart::Undo, ";", "");
    if (!fix.account_policy.empty()) {
      // Half a fix would leave the rule failing: the account policy is not a registry value.
      main += wrap(fmt::format("Not in this file: {} sets the account policy ({} = {}), which a .reg file cannot "
                               "hold; use smbaudit remediate --format ps1 or --format gpo-files for this rule.",
                               fix.rule, fix.account_policy.front().setting, fix.account_policy.front().value),
                   "; ");
      undo += "; Nothing to undo for this rule here.\n";
      continue;
    }
    std::string last_key;
    for (const auto& c : fix.registry) {
      const std::string key = reg_key(c.key);
      main += fmt::format("[{}]\n; was {}\n", key, describe_reg(c.before));
      main += assignment(c.name, c.type, c.data);
      undo += fmt::format("[{}]\n", key);
      undo += c.before ? assignment(c.name, c.before->type, c.before->data) : reg_quoted(c.name) + "=-\n";
    }
    for (const auto& s : fix.services) {
      main += fmt::format("[{}]\n; start type was {}\n", service_key(s.service), to_string(s.before));
      main += assignment("Start", RegType::Dword, Value{std::int64_t{start_value(s.start_type)}});
      undo += fmt::format("[{}]\n", service_key(s.service));
      undo += assignment("Start", RegType::Dword, Value{std::int64_t{start_value(s.before)}});
    }
  }
  return {main, undo};
}

}  // namespace smbaudit
