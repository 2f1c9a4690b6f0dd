#include "host.h"

#include <fmt/format.h>
#include <windows.h>
// windows.h first: these need its types.
#include <dsrole.h>
#include <lm.h>

#include "../win/handles.h"
#include "../win/wide.h"
#include "../win/win_error.h"

namespace smbaudit::live {

using namespace win;
namespace {

const wchar_t* server_or_null(const std::wstring& server) {
  return server.empty() ? nullptr : server.c_str();
}

}  // namespace

void read_membership(const std::wstring& server, HostFacts& host) {
  win::UniqueDsRoleBuffer buffer;
  const DWORD rc =
      DsRoleGetPrimaryDomainInformation(server_or_null(server), DsRolePrimaryDomainInfoBasic, buffer.put());
  if (rc != ERROR_SUCCESS) {
    host.unknown_reasons[host_field::kMembership] = describe_win32("DsRoleGetPrimaryDomainInformation", rc);
    return;
  }
  const auto* info = reinterpret_cast<const DSROLE_PRIMARY_DOMAIN_INFO_BASIC*>(buffer.get());
  switch (info->MachineRole) {
    case DsRole_RoleStandaloneWorkstation:
    case DsRole_RoleStandaloneServer: host.membership = Membership::Workgroup; break;
    default: host.membership = Membership::Domain; break;
  }
  if (host.membership == Membership::Domain) {
    const wchar_t* name = info->DomainNameDns ? info->DomainNameDns : info->DomainNameFlat;
    if (name) host.domain = to_utf8(name);
  }
}

void read_elevation(HostFacts& host) {
  UniqueKernelHandle token;
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, token.put())) {
    host.unknown_reasons[host_field::kElevation] = describe_win32("OpenProcessToken", GetLastError());
  } else if (!GetTokenInformation(token.get(), TokenElevation, &elevation, sizeof elevation, &size)) {
    host.unknown_reasons[host_field::kElevation] =
        describe_win32("GetTokenInformation(TokenElevation)", GetLastError());
  } else {
    host.elevation = elevation.TokenIsElevated ? Elevation::Elevated : Elevation::NotElevated;
  }
}

std::string local_computer_name() {
  wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
  if (!GetComputerNameW(name, &size)) return "localhost";
  return to_utf8(std::wstring_view(name, size));
}

FactResult<AccountPolicyFact> read_account_policy(const std::wstring& server) {
  UniqueNetBuffer buffer;
  LPBYTE raw = nullptr;
  const NET_API_STATUS rc = NetUserModalsGet(server_or_null(server), 0, &raw);
  buffer = UniqueNetBuffer(raw);
  if (rc != NERR_Success) {
    // Not implemented here (an emulator, a restricted SKU) is unknowable, not a failed read.
    const bool unsupported = rc == ERROR_NOT_SUPPORTED || rc == ERROR_CALL_NOT_IMPLEMENTED || rc == ERROR_INVALID_LEVEL;
    return Unexpected(
        FactError{unsupported ? FactProblem::Unknown : FactProblem::Error, describe_win32("NetUserModalsGet", rc)});
  }
  const auto* info = reinterpret_cast<const USER_MODALS_INFO_0*>(raw);
  return AccountPolicyFact{static_cast<int>(info->usrmod0_min_passwd_len)};
}

std::string utc_timestamp() {
  SYSTEMTIME t{};
  GetSystemTime(&t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
}

}  // namespace smbaudit::live
