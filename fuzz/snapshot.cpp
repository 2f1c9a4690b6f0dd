// Fuzzes the facts snapshot reader; a snapshot that parses is audited with the built-in
// pack, written as JSON and text reports, and the JSON read back by the report reader.
#include <sstream>

#include "../src/report/report_reader.h"
#include "fuzz_input.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/snapshot.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = parse_snapshot(fuzz::as_text(data, size), "fuzz.json");
  if (!source) {
    fuzz::require(source.error().message.rfind("fuzz.json: ", 0) == 0 &&
                  source.error().message.find('\n') == std::string::npos);
    return 0;
  }
  auto host = (*source)->host();
  if (!host) return 0;
  const RulePack& pack = fuzz::builtin_pack();
  auto selection = select_rules(pack, nullptr, {}, {});
  fuzz::require(selection.has_value());
  auto facts = (*source)->collect(plan_for(selection->rules));
  if (!facts) return 0;
  Report report = build_report(*selection, *host, *facts);
  for (const auto& writer : report_writers()) {
    std::ostringstream out;
    writer.make(WriterOptions{})->write(report, out);
    // What the JSON writer writes, the report reader must read back.
    if (writer.name == "json") fuzz::require(parse_report(out.str(), "written.json").has_value());
  }
  return 0;
}
