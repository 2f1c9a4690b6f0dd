// The table of fact sources: which flags select each, whether this build has it, and
// how to open it from the command line's source options.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/fact_source.h"

namespace smbaudit {

// Every source flag the command line takes; a source reads only its own members.
struct SourceOptions {
  std::string facts;                   // --facts FILE
  std::string system_hive;             // --system PATH   (offline image)
  std::string software_hive;           // --software PATH (offline image)
  std::string image_root;              // --image-root DIR (offline image)
  std::vector<std::string> computers;  // --computer NAME (live, remote)
  std::string computer_list;           // --computer-list FILE (live, remote)
  int timeout_seconds = 30;            // --timeout (live, remote: per host)
};

enum class SourceAvailability { Built, NotInThisBuild };

struct SourceEntry {
  std::string_view name;
  std::string_view flags;
  std::string_view description;
  SourceAvailability availability;
  // True when the options select this source.
  bool (*selected)(const SourceOptions& options);
  // Opens one source per audited host (a remote run audits several); errors name the file or host.
  Expected<std::vector<std::unique_ptr<FactSource>>, CollectError> (*open)(const SourceOptions& options);
};

// The one table of fact sources; feeds --help and the "no source given" message.
[[nodiscard]] std::span<const SourceEntry> fact_sources();

// The source the options select: exactly one entry may be selected; with none, the
// table's default for this platform (live on Windows), or nullptr when there is none.
[[nodiscard]] Expected<const SourceEntry*, std::string> select_source(const SourceOptions& options);

}  // namespace smbaudit
