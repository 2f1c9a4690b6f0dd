// The "patch_level" check: {"patch_level": {"table": "data/patch-level.json"}}. The table is
// a data file of the pack, read and validated with the rule that names it.
#include <fmt/format.h>

#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

PatchLevelCheck PatchLevelCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"patch_level"});
  PatchLevelCheck node;
  auto spec = in.object(key, "{\"table\": \"data/NAME.json\"}");
  if (!spec) return node;
  spec->only_keys({"table"});
  node.table_path = spec->string("table", true).value_or("");
  if (node.table_path.empty()) return node;
  if (node.table_path.rfind("data/", 0) != 0 || node.table_path.find("..") != std::string::npos) {
    spec->fail("/table", fmt::format("'{}' is not a data file of the pack (data/NAME.json)", node.table_path));
    return node;
  }
  const RuleFile* file = in.data_file(node.table_path);
  if (!file) {
    spec->fail("/table", fmt::format("the pack has no data file '{}'", node.table_path));
    return node;
  }
  auto table = parse_patch_table(*file);
  if (!table) {
    in.add(table.error());
    return node;
  }
  node.table = std::make_shared<const PatchTable>(std::move(*table));
  return node;
}

void PatchLevelCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::Host, {}, {}, {}});
}

void PatchLevelCheck::show(std::ostream& out, int depth, const Check&) const {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  out << pad << "build.UBR at or above the fix of every CVE " << table_path << " lists for the host's build";
  if (table) out << fmt::format(" (table as of {}, {} CVEs since {})", table->as_of, table->cves.size(), table->since);
  out << "\n";
}

}  // namespace smbaudit
