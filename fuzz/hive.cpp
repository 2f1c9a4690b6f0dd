// Fuzzes the offline hive source over any bytes, the way `--system FILE` and `--software FILE`
// reach it: the bytes become a hive file, opened through open_offline_sources (the header
// checks, hivex, the kind checks), then host() and collect() over the built-in pack's plan.
// hivex itself is not instrumented, so coverage steers by our checks; sanitizers still see
// every byte hivex hands back.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "../src/sources/offline/offline_source.h"
#include "fuzz_input.h"

using namespace smbaudit;

namespace {

// One file per process (libFuzzer's -jobs run several), rewritten for every input.
const std::filesystem::path& hive_path() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("smbaudit-fuzz-hive-" + std::to_string(::getpid()));
  return path;
}

const FactPlan& builtin_plan() {
  static const FactPlan plan = [] {
    auto selection = select_rules(fuzz::builtin_pack(), nullptr, {}, {});
    fuzz::require(selection.has_value());
    return plan_for(selection->rules);
  }();
  return plan;
}

// Opens the file as one role; every refusal must be one line naming the file.
void audit_as(const SourceArgs& options) {
  auto sources = offline::open_offline_sources(options);
  if (!sources) {
    const auto& message = sources.error().message;
    fuzz::require(message.rfind(hive_path().string() + ": ", 0) == 0 && message.find('\n') == std::string::npos);
    return;
  }
  fuzz::require(sources->size() == 1);
  auto& source = *sources->front();
  (void)source.info();
  if (!source.host()) return;
  (void)source.collect(builtin_plan());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(hive_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    fuzz::require(out.good());
  }
  SourceArgs system;
  system.set("--system", hive_path().string());
  audit_as(system);
  SourceArgs software;
  software.set("--software", hive_path().string());
  audit_as(software);
  return 0;
}
