// Builds without a hive reader (no hivex, not Windows): the offline source says so.
#include "hive.h"

namespace smbaudit::offline {

Expected<std::unique_ptr<Hive>, std::string> open_hive(const std::filesystem::path&) {
  return Unexpected(std::string("this build cannot read hives (built without hivex)"));
}

}  // namespace smbaudit::offline
