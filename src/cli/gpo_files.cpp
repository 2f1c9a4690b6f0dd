#include "gpo_files.h"

#include <fmt/format.h>

#include "../core/reg_data.h"
#include "../sources/gpo/gpttmpl.h"
#include "../sources/gpo/registry_pol.h"
#include "smbaudit/report_writer.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;

// Registry.pol keys are below the hive: "HKLM\SOFTWARE\..." -> "SOFTWARE\...".
std::string below_hklm(const std::string& key) {
  const std::string_view prefix = "HKLM\\";
  return key.substr(key.compare(0, prefix.size(), prefix) == 0 ? prefix.size() : 0);
}

struct Folder {
  std::vector<gpo::PolRecord> pol;
  gpo::InfFile inf;  // [System Access] only: the account policy, which no registry value holds
};

Expected<bool, std::string> set(Folder& f, const std::string& key, const std::string& name, const RegValue& value) {
  auto raw = encode_reg_value(value);
  if (!raw) return Unexpected(fmt::format("{}\\{}: {}", key, name, raw.error()));
  f.pol.push_back(gpo::PolRecord{0, below_hklm(key), name, raw->type_code, raw->bytes});
  return true;
}

// Windows' Registry CSE deletes a value for a "**del.NAME" record ([MS-GPREG] 2.2.1.1).
void del(Folder& f, const std::string& key, const std::string& name) {
  f.pol.push_back(gpo::PolRecord{0, below_hklm(key), "**del." + name, 1, std::string(2, '\0')});
}

Expected<bool, std::string> write_folder(const Folder& f, const fs::path& dir, const std::string& display_name) {
  std::error_code ec;
  fs::create_directories(dir / "Machine", ec);
  if (ec) return Unexpected(fmt::format("{}: cannot create the folder: {}", dir.string(), ec.message()));
  // GPT.INI's Version: the computer half's version in the low 16 bits.
  SMBAUDIT_TRY(write_file_atomically(dir / "GPT.INI",
                                     fmt::format("[General]\r\nVersion=1\r\ndisplayName={}\r\n", display_name)));
  SMBAUDIT_TRY(write_file_atomically(dir / "Machine" / "Registry.pol", gpo::write_registry_pol(f.pol)));
  const fs::path secedit = dir / "Machine" / "Microsoft" / "Windows NT" / "SecEdit";
  if (f.inf.system_access.empty()) {
    // The folder is this plan's GPO, as Registry.pol above is replaced: a template an earlier
    // run wrote there would otherwise still apply.
    fs::remove(secedit / "GptTmpl.inf", ec);
    if (ec) return Unexpected(fmt::format("{}: cannot remove: {}", (secedit / "GptTmpl.inf").string(), ec.message()));
    return true;
  }
  fs::create_directories(secedit, ec);
  if (ec) return Unexpected(fmt::format("{}: cannot create the folder: {}", secedit.string(), ec.message()));
  auto inf = gpo::write_gpttmpl(f.inf);
  if (!inf) return Unexpected(fmt::format("{}: {}", (secedit / "GptTmpl.inf").string(), inf.error()));
  return write_file_atomically(secedit / "GptTmpl.inf", *inf);
}

}  // namespace

fs::path gpo_rollback_folder(const fs::path& dir) {
  fs::path d = dir;
  if (!d.has_filename()) d = d.parent_path();  // "out/fix/"
  return d.string() + ".rollback";
}

Expected<bool, std::string> write_gpo_files(const RemediationPlan& plan, const fs::path& dir) {
  // Every change goes through Registry.pol, in the fix and in the rollback alike: a security
  // template cannot delete a value, and a value written by one extension and restored by
  // another would be contested between them (docs/group-policy.md). Service start types too
  // (Services\NAME\Start): a template's [Service General Setting] line also replaces the
  // service's ACL, which the fix was not asked to change; and for an ACL string that is not
  // valid, "the client stops processing Service General Setting" ([MS-GPSB]).
  // The account policy is the one exception: no registry value holds it, so it goes in the
  // security template's [System Access], where the rollback writes the value the audit saw
  // (a setting there is always restorable: it is a number, never absent).
  Folder fix, rollback;
  for (const RuleFix& rule : plan.fixes) {
    for (const RegistryChange& c : rule.registry) {
      SMBAUDIT_TRY(set(fix, c.key, c.name, RegValue{c.name, c.type, c.data}));
      if (c.before)
        SMBAUDIT_TRY(set(rollback, c.key, c.name, *c.before));
      else
        del(rollback, c.key, c.name);
    }
    for (const ServiceChange& c : rule.services) {
      const std::string key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + c.service;
      SMBAUDIT_TRY(set(fix, key, "Start", RegValue{"Start", RegType::Dword, std::int64_t{start_value(c.start_type)}}));
      SMBAUDIT_TRY(set(rollback, key, "Start", RegValue{"Start", RegType::Dword, std::int64_t{start_value(c.before)}}));
      if (c.before == StartType::AutomaticDelayed)  // Start 2 alone would start it without delay
        SMBAUDIT_TRY(
            set(rollback, key, "DelayedAutostart", RegValue{"DelayedAutostart", RegType::Dword, std::int64_t{1}}));
    }
    for (const AccountPolicyChange& c : rule.account_policy) {
      fix.inf.system_access.push_back(gpo::InfSetting{0, c.setting, c.value});
      rollback.inf.system_access.push_back(gpo::InfSetting{0, c.setting, c.before});
    }
  }
  SMBAUDIT_TRY(write_folder(rollback, gpo_rollback_folder(dir), "smbaudit rollback for " + plan.host));
  return write_folder(fix, dir, "smbaudit fixes for " + plan.host);
}

}  // namespace smbaudit
