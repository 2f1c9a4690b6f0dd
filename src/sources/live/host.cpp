#include "host.h"

#include <fmt/format.h>
#include <windows.h>
// windows.h first: these need its types.
#include <dsrole.h>
#include <lm.h>

#include <charconv>

#include "../win/handles.h"
#include "../win/wide.h"
#include "../win/win_error.h"

namespace smbaudit::live {

using namespace win;
namespace {

const std::string* string_value(const RegistryKeyFact& key, std::string_view name) {
  const RegValue* v = key.find(name);
  return v ? std::get_if<std::string>(&v->data) : nullptr;
}

const wchar_t* server_or_null(const std::wstring& server) {
  return server.empty() ? nullptr : server.c_str();
}

}  // namespace

void read_version_facts(RegistryReader& registry, HostFacts& host) {
  auto& why = host.unknown_reasons;
  if (auto cv = registry.read_key(kCurrentVersionKey); !cv) {
    for (const char* field : {host_field::kBuild, host_field::kUbr, host_field::kEdition})
      why[field] = cv.error().message;
  } else if (cv->presence == Presence::Absent) {
    for (const char* field : {host_field::kBuild, host_field::kUbr, host_field::kEdition})
      why[field] = std::string(kCurrentVersionKey) + " is absent";
  } else {
    if (const auto* build = string_value(*cv, "CurrentBuildNumber")) {
      int n = 0;
      const auto [end, ec] = std::from_chars(build->data(), build->data() + build->size(), n);
      if (ec == std::errc() && end == build->data() + build->size())
        host.build = n;
      else
        why[host_field::kBuild] = fmt::format("CurrentBuildNumber '{}' is not a number", *build);
    } else {
      why[host_field::kBuild] = "CurrentBuildNumber is absent or not a string";
    }
    if (const RegValue* ubr = cv->find("UBR"); ubr && std::holds_alternative<std::int64_t>(ubr->data))
      host.ubr = static_cast<int>(std::get<std::int64_t>(ubr->data));
    else
      why[host_field::kUbr] = "UBR is absent or not a number";
    if (const auto* edition = string_value(*cv, "EditionID"))
      host.edition = *edition;
    else
      why[host_field::kEdition] = "EditionID is absent or not a string";
    if (const auto* product = string_value(*cv, "ProductName")) host.product_name = *product;
  }
  if (auto po = registry.read_key(kProductOptionsKey); !po) {
    why[host_field::kRole] = po.error().message;
  } else if (const auto* type = po->presence == Presence::Present ? string_value(*po, "ProductType") : nullptr) {
    host.role = role_from_product_type(*type);
    if (!host.role)
      why[host_field::kRole] = fmt::format("ProductType '{}' is none of WinNT, ServerNT, LanmanNT", *type);
  } else {
    why[host_field::kRole] = std::string(kProductOptionsKey) + "\\ProductType is absent or not a string";
  }
}

void read_membership(const std::wstring& server, HostFacts& host) {
  PBYTE raw = nullptr;
  const DWORD rc = DsRoleGetPrimaryDomainInformation(server_or_null(server), DsRolePrimaryDomainInfoBasic, &raw);
  // DsRole buffers are freed with DsRoleFreeMemory, not NetApiBufferFree.
  struct Free {
    PBYTE p;
    ~Free() {
      if (p) DsRoleFreeMemory(p);
    }
  } owner{raw};
  if (rc != ERROR_SUCCESS) {
    host.unknown_reasons[host_field::kMembership] = describe_win32("DsRoleGetPrimaryDomainInformation", rc);
    return;
  }
  const auto* info = reinterpret_cast<const DSROLE_PRIMARY_DOMAIN_INFO_BASIC*>(raw);
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
