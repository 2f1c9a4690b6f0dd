// The live collector: this host, or remote hosts, through the registry, the service
// control manager, WMI and netapi. Read-only: it asks for query rights and nothing more.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "smbaudit/fact_source.h"

namespace smbaudit::live {

// One source per host: this host when `computers` is empty, else each named computer
// (RegConnectRegistryW, OpenSCManagerW and WMI on \\NAME). `timeout` bounds each host's
// whole collection; a host that does not answer in time is a collection failure.
[[nodiscard]] std::vector<std::unique_ptr<FactSource>> open_live_sources(const std::vector<std::string>& computers,
                                                                         std::chrono::seconds timeout);

}  // namespace smbaudit::live
