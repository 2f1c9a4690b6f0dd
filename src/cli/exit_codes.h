#pragma once

namespace smbaudit {

// Documented in README.md; scripts depend on these numbers.
enum class ExitCode : int {
  Ok = 0,                // the audit ran and no gate tripped
  GateTripped = 1,       // --fail-on or --fail-under tripped
  BadInput = 2,          // bad usage, rules, profile, facts or paths
  CollectionFailed = 3,  // the fact source could not collect (live host, hives)
  InternalError = 70,    // a bug: an exception no stage expected (EX_SOFTWARE in sysexits.h)
};

}  // namespace smbaudit
