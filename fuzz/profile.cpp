// Fuzzes the profile loader with any bytes as a profile over the built-in pack; a profile
// that loads is also applied (selection, parameter and severity overrides).
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const RulePack& pack = fuzz::builtin_pack();
  auto profile = load_profile(RuleFile{"fuzz.json", std::string(fuzz::as_text(data, size))}, pack);
  if (!profile) {
    // Every problem is reported, each as one line naming the file.
    fuzz::require(!profile.error().empty());
    for (const auto& error : profile.error()) {
      const std::string line = error.to_string();
      fuzz::require(line.rfind("fuzz.json", 0) == 0 && line.find('\n') == std::string::npos);
    }
    return 0;
  }
  auto selection = select_rules(pack, &*profile, {}, {});
  if (selection) (void)plan_for(selection->rules);
  return 0;
}
