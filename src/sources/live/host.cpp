#include "host.h"

#include <fmt/format.h>
#include <windows.h>
// windows.h first: these need its types.
#include <dsrole.h>
#include <lm.h>

#include <charconv>

#include "handles.h"
#include "wide.h"
#include "win_error.h"

namespace smbaudit::live {
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
  if (auto cv = registry.read_key(kCurrentVersionKey); cv && cv->presence == Presence::Present) {
    if (const auto* build = string_value(*cv, "CurrentBuildNumber")) {
      int n = 0;
      const auto [end, ec] = std::from_chars(build->data(), build->data() + build->size(), n);
      if (ec == std::errc() && end == build->data() + build->size()) host.build = n;
    }
    if (const RegValue* ubr = cv->find("UBR"))
      if (const auto* n = std::get_if<std::int64_t>(&ubr->data)) host.ubr = static_cast<int>(*n);
    if (const auto* edition = string_value(*cv, "EditionID")) host.edition = *edition;
    if (const auto* product = string_value(*cv, "ProductName")) host.product_name = *product;
  }
  if (auto po = registry.read_key(kProductOptionsKey); po && po->presence == Presence::Present)
    if (const auto* type = string_value(*po, "ProductType")) host.role = role_from_product_type(*type);
}

void read_membership(const std::wstring& server, HostFacts& host) {
  PBYTE raw = nullptr;
  if (DsRoleGetPrimaryDomainInformation(server_or_null(server), DsRolePrimaryDomainInfoBasic, &raw) != ERROR_SUCCESS)
    return;
  // DsRole buffers are freed with DsRoleFreeMemory, not NetApiBufferFree.
  struct Free {
    PBYTE p;
    ~Free() { DsRoleFreeMemory(p); }
  } owner{raw};
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

std::optional<Elevation> process_elevation() {
  UniqueKernelHandle token;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, token.put())) return std::nullopt;
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  if (!GetTokenInformation(token.get(), TokenElevation, &elevation, sizeof elevation, &size)) return std::nullopt;
  return elevation.TokenIsElevated ? Elevation::Elevated : Elevation::NotElevated;
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
