// Reads services' start type and state from a service control manager, local or remote.
#pragma once

#include <windows.h>

#include <string>

#include "smbaudit/facts.h"

namespace smbaudit::live {

// Maps SERVICE_STATUS::dwCurrentState (1..7) to a state; nullopt for anything else.
[[nodiscard]] std::optional<ServiceState> service_state_from_status(DWORD state);

class ServiceReader {
 public:
  // `scm` is a service control manager opened with SC_MANAGER_CONNECT; borrowed.
  explicit ServiceReader(SC_HANDLE scm) : scm_(scm) {}

  // Reads one service; a service that does not exist is Presence::Absent, a failed
  // query an Error naming the API.
  [[nodiscard]] FactResult<ServiceFact> read(const std::string& name);

  // How many services were queried.
  [[nodiscard]] int queries() const { return queries_; }

 private:
  SC_HANDLE scm_;
  int queries_ = 0;
};

}  // namespace smbaudit::live
