// Fuzzes the waiver loader with any bytes as a waivers file over the built-in pack; waivers
// that load are applied to a report of every rule unread, on a date inside and outside them.
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const RulePack& pack = fuzz::builtin_pack();
  auto waivers = load_waivers(RuleFile{"fuzz.json", std::string(fuzz::as_text(data, size))}, pack);
  if (!waivers) {
    // Every problem is reported, each as one line naming the file.
    fuzz::require(!waivers.error().empty());
    for (const auto& error : waivers.error()) {
      const std::string line = error.to_string();
      fuzz::require(line.rfind("fuzz.json", 0) == 0 && line.find('\n') == std::string::npos);
    }
    return 0;
  }
  // Nothing collected: every rule is unknown or error, so every waiver has findings to cover.
  static const Report unread = [&] {
    auto selection = select_rules(pack, nullptr, {}, {});
    fuzz::require(selection.has_value());
    HostFacts host;
    host.name = "WS01";
    return build_report(*selection, host, FactSet{});
  }();
  for (std::string_view today : {"2000-01-01", "2999-12-31"}) {
    Report report = unread;
    apply_waivers(report, *waivers, today);
    fuzz::require(report.findings.size() == unread.findings.size());
  }
  return 0;
}
