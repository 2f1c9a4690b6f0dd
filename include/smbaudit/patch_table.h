// The patch-level table a pack carries (rules/data/patch-level.json, docs/patch-level.md):
// SMB, NTLM and Kerberos CVEs with the update build revision that fixes each Windows build.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace smbaudit {

// Which hosts of a build a fix is for: every one, or workstations (client) or servers
// (member servers and domain controllers) where Microsoft gives them different revisions.
enum class PatchFamily { Any, Client, Server };

struct PatchFix {
  int build = 0;
  PatchFamily family = PatchFamily::Any;
  std::optional<int> fixed_ubr;  // none: the record names no fixed revision of this build
  std::string note;
};

struct PatchCve {
  std::string id;  // CVE-2025-33073
  std::string title;
  std::string component;  // smb-client, smb-server, smb, ntlm, kerberos
  std::string published;  // YYYY-MM-DD
  std::vector<PatchFix> fixes;
};

struct PatchTable {
  std::string file;                   // where it was read from, for messages
  std::string as_of;                  // the table's date: its newest record's publication date
  std::string since;                  // the oldest publication date it keeps
  std::map<int, std::string> builds;  // every build the table covers, with its product names
  std::vector<PatchCve> cves;
};

}  // namespace smbaudit
