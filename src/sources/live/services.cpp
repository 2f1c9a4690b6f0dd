#include "services.h"

#include <vector>

#include "../win/handles.h"
#include "../win/wide.h"
#include "../win/win_error.h"

namespace smbaudit::live {

using namespace win;
namespace {

FactError failed(std::string_view api, DWORD code) {
  return FactError{FactProblem::Error, describe_win32(api, code)};
}

}  // namespace

std::optional<ServiceState> service_state_from_status(DWORD state) {
  switch (state) {
    case SERVICE_STOPPED: return ServiceState::Stopped;
    case SERVICE_START_PENDING: return ServiceState::StartPending;
    case SERVICE_STOP_PENDING: return ServiceState::StopPending;
    case SERVICE_RUNNING: return ServiceState::Running;
    case SERVICE_CONTINUE_PENDING: return ServiceState::ContinuePending;
    case SERVICE_PAUSE_PENDING: return ServiceState::PausePending;
    case SERVICE_PAUSED: return ServiceState::Paused;
    default: return std::nullopt;
  }
}

FactResult<ServiceFact> ServiceReader::read(const std::string& name) {
  ++queries_;
  // Query rights only: the collector can never start, stop or reconfigure a service.
  UniqueScHandle service(OpenServiceW(scm_, to_wide(name).c_str(), SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS));
  if (!service) {
    const DWORD code = GetLastError();
    if (code == ERROR_SERVICE_DOES_NOT_EXIST) return ServiceFact{Presence::Absent, std::nullopt, std::nullopt, {}};
    return Unexpected(failed("OpenServiceW", code));
  }
  ServiceFact fact{Presence::Present, std::nullopt, std::nullopt, {}};

  DWORD needed = 0;
  QueryServiceConfigW(service.get(), nullptr, 0, &needed);
  std::vector<std::uint8_t> buffer(needed > 0 ? needed : sizeof(QUERY_SERVICE_CONFIGW));
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (!QueryServiceConfigW(service.get(), config, static_cast<DWORD>(buffer.size()), &needed))
    return Unexpected(failed("QueryServiceConfigW", GetLastError()));
  fact.start_type = start_type_from_dword(config->dwStartType);
  if (fact.start_type == StartType::Automatic) {
    SERVICE_DELAYED_AUTO_START_INFO delayed{};
    if (!QueryServiceConfig2W(service.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO, reinterpret_cast<BYTE*>(&delayed),
                              sizeof delayed, &needed)) {
      // A service control manager without this information level (Wine's) still said the
      // service starts automatically; only whether it waits for the others is unknown, which
      // no rule's verdict turns on. Any other failure is an error.
      if (const DWORD e = GetLastError(); e != ERROR_INVALID_LEVEL)
        return Unexpected(failed("QueryServiceConfig2W", e));
    } else if (delayed.fDelayedAutostart) {
      fact.start_type = StartType::AutomaticDelayed;
    }
  }

  SERVICE_STATUS_PROCESS status{};
  if (!QueryServiceStatusEx(service.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status,
                            &needed))
    return Unexpected(failed("QueryServiceStatusEx", GetLastError()));
  fact.state = service_state_from_status(status.dwCurrentState);
  return fact;
}

}  // namespace smbaudit::live
