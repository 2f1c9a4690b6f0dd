// Fuzzes the report reader (diff, summary and remediate read fleet reports with it).
#include "../src/report/report_reader.h"
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto report = parse_report(fuzz::as_text(data, size), "fuzz.json");
  if (!report)
    fuzz::require(report.error().rfind("fuzz.json: ", 0) == 0 && report.error().find('\n') == std::string::npos);
  return 0;
}
