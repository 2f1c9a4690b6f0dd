#include "windows_images.h"

#include <fmt/format.h>

namespace smbaudit::test_support {
namespace {

constexpr const char* kVersion = "Microsoft\\Windows NT\\CurrentVersion";

struct Host {
  std::string computer_name;
  std::string product_type;  // WinNT, ServerNT, LanmanNT
  std::string domain;        // empty: workgroup
  int build = 0;
  std::optional<int> ubr;
  std::string edition, product_name;
  int control_set = 1;
};

// What every image holds, as a fresh install of its build writes it: the values the audit
// reads that Windows itself sets, and the keys of the services that come with the system.
WindowsImage base_image(std::string name, const Host& host) {
  WindowsImage image{std::move(name), {}, {}};
  auto& s = image.system;
  const std::string cs = fmt::format("ControlSet{:03}", host.control_set);
  s.set("Select", {dword("Current", host.control_set), dword("Default", host.control_set), dword("Failed", 0),
                   dword("LastKnownGood", host.control_set)});
  s.set(cs + "\\Control\\ComputerName\\ComputerName", {sz("ComputerName", host.computer_name)});
  s.set(cs + "\\Control\\ProductOptions", {sz("ProductType", host.product_type)});
  s.set(cs + "\\Control\\Lsa", {dword("NoLMHash", 1), multi_sz("Security Packages", {""})});
  s.set(cs + "\\Control\\Lsa\\MSV1_0", {dword("NtlmMinClientSec", 0x20000000), dword("NtlmMinServerSec", 0x20000000)});
  s.set(cs + "\\Services\\Tcpip\\Parameters",
        {sz("Hostname", host.computer_name), sz("Domain", host.domain), sz("NV Domain", host.domain)});
  s.set(cs + "\\Services\\LanmanWorkstation",
        {dword("Start", 2), dword("Type", 0x20), multi_sz("DependOnService", {"Bowser", "MRxSmb20", "NSI"})});
  s.set(cs + "\\Services\\LanmanWorkstation\\Parameters", {dword("EnablePlainTextPassword", 0)});
  s.set(cs + "\\Services\\LanmanServer", {dword("Start", 2), dword("Type", 0x20)});
  s.set(cs + "\\Services\\LanmanServer\\Parameters", {dword("EnableForcedLogoff", 1)});
  s.set(cs + "\\Services\\Netlogon\\Parameters", {dword("RequireSignOrSeal", 1)});
  // Services every installation has: the firewall and the Print Spooler start automatically.
  s.set(cs + "\\Services\\MpsSvc", {dword("Start", 2), dword("Type", 0x20)});
  s.set(cs + "\\Services\\Spooler", {dword("Start", 2), dword("Type", 0x110)});
  const std::string fw = cs + "\\Services\\SharedAccess\\Parameters\\FirewallPolicy";
  for (const char* profile : {"DomainProfile", "StandardProfile", "PublicProfile"})
    s.set(fw + "\\" + profile, {dword("EnableFirewall", 1), dword("DefaultOutboundAction", 0)});
  s.set(fw + "\\FirewallRules", {sz("FPS-SMB-In-TCP",
                                    "v2.10|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=445|App=System|"
                                    "Name=@FirewallAPI.dll,-28502|")});
  auto& w = image.software;
  std::vector<RegValue> version{sz("CurrentBuildNumber", std::to_string(host.build)),
                                sz("CurrentBuild", std::to_string(host.build)), sz("EditionID", host.edition),
                                sz("ProductName", host.product_name),
                                sz("InstallationType", host.product_type == "WinNT" ? "Client" : "Server")};
  if (host.ubr) version.push_back(dword("UBR", *host.ubr));
  w.set(kVersion, std::move(version));
  w.set("Microsoft\\Windows\\CurrentVersion", {sz("ProgramFilesDir", "C:\\Program Files")});
  w.set("Policies\\Microsoft\\Windows", {});
  return image;
}

std::string cs1(std::string_view rest) {
  return fmt::format("ControlSet001\\{}", rest);
}

// Every control the pack checks, configured the way the interception guide and the strict
// profile ask; what no hive can show (WMI, the account policy) is left to a live audit.
WindowsImage hardened_26100_enterprise() {
  auto image = base_image("hardened-26100-enterprise", {.computer_name = "WS-HARDENED",
                                                        .product_type = "WinNT",
                                                        .domain = "corp.example",
                                                        .build = 26100,
                                                        .ubr = 8655,
                                                        .edition = "Enterprise",
                                                        .product_name = "Windows 10 Enterprise"});
  auto& s = image.system;
  s.set(cs1("Services\\LanmanWorkstation\\Parameters"),
        {dword("RequireSecuritySignature", 1), dword("EnableSecuritySignature", 1), dword("MinSMB2Dialect", 0x311),
         dword("MaxSMB2Dialect", 0x311), dword("RequireEncryption", 1), dword("BlockNTLM", 1),
         dword("AllowInsecureGuestAuth", 0)});
  s.set(cs1("Services\\LanmanServer\\Parameters"),
        {dword("RequireSecuritySignature", 1), dword("EncryptData", 1), dword("RejectUnencryptedAccess", 1),
         dword("SMB1", 0), dword("AuditSmb1Access", 1), dword("InvalidAuthenticationDelayTimeInMs", 2000),
         dword("SmbServerNameHardeningLevel", 1)});
  s.set(cs1("Services\\LDAP"), {dword("LDAPClientIntegrity", 1), dword("LDAPClientConfidentiality", 1)});
  s.set(cs1("Services\\WebClient"), {dword("Start", 4), dword("Type", 0x20)});
  s.set(cs1("Control\\Lsa"), {dword("LmCompatibilityLevel", 5), dword("NoLMHash", 1), dword("LsaCfgFlags", 1),
                              dword("RestrictAnonymous", 1), dword("RunAsPPL", 2)});
  s.set(cs1("Control\\Lsa\\MSV1_0"), {dword("NtlmMinClientSec", 0x20080000), dword("NtlmMinServerSec", 0x20080000),
                                      dword("AuditReceivingNTLMTraffic", 2), dword("RestrictSendingNTLMTraffic", 2),
                                      dword("RestrictReceivingNTLMTraffic", 2)});
  auto& w = image.software;
  w.set("Policies\\Microsoft\\Windows\\LanmanWorkstation",
        {dword("MinSmb2Dialect", 0x311), dword("MaxSmb2Dialect", 0x311), dword("RequireEncryption", 1),
         dword("BlockNTLM", 1), dword("AllowInsecureGuestAuth", 0), dword("AuditServerDoesNotSupportSigning", 1),
         dword("AuditServerDoesNotSupportEncryption", 1), dword("AuditInsecureGuestLogon", 1),
         dword("EnableSMBQUIC", 0)});
  w.set("Policies\\Microsoft\\Windows\\LanmanServer",
        {dword("MinSmb2Dialect", 0x311), dword("MaxSmb2Dialect", 0x311), dword("EnableAuthRateLimiter", 1),
         dword("InvalidAuthenticationDelayTimeInMs", 2000), dword("AuditClientDoesNotSupportSigning", 1),
         dword("AuditClientDoesNotSupportEncryption", 1), dword("AuditInsecureGuestLogon", 1)});
  w.set("Policies\\Microsoft\\Windows\\DeviceGuard",
        {dword("EnableVirtualizationBasedSecurity", 1), dword("LsaCfgFlags", 1)});
  w.set("Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters",
        {dword("EnableCbacAndArmor", 1), dword("RequireFast", 1)});
  w.set("Policies\\Microsoft\\Windows NT\\DNSClient",
        {dword("EnableMulticast", 0), dword("EnableNetbios", 0), dword("EnableMDNS", 0)});
  w.set("Policies\\Microsoft\\Windows NT\\Printers", {dword("RegisterSpoolerRemoteRpcEndPoint", 2)});
  w.set("Policies\\Microsoft\\PassportForWork", {dword("Enabled", 1), dword("RequireSecurityDevice", 1)});
  for (const char* profile : {"DomainProfile", "PrivateProfile", "PublicProfile"})
    w.set(fmt::format("Policies\\Microsoft\\WindowsFirewall\\{}", profile), {dword("EnableFirewall", 1)});
  w.set("Policies\\Microsoft\\WindowsFirewall\\FirewallRules",
        {sz("{7d1c4a52-block-smb-out}",
            "v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|RPort=445|Name=Block outbound SMB|")});
  const std::string flags = "RequireMutualAuthentication=1, RequireIntegrity=1, RequirePrivacy=1";
  w.set("Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths",
        {sz("\\\\*\\SYSVOL", flags), sz("\\\\*\\NETLOGON", flags)});
  return image;
}

// A Windows 11 24H2 Home laptop as installed: a workgroup member with Windows' defaults.
WindowsImage default_26100_home() {
  auto image = base_image("default-26100-home", {.computer_name = "LAPTOP-HOME",
                                                 .product_type = "WinNT",
                                                 .domain = "",
                                                 .build = 26100,
                                                 .ubr = 2314,
                                                 .edition = "Core",
                                                 .product_name = "Windows 10 Home"});
  image.system.set(cs1("Services\\WebClient"), {dword("Start", 3), dword("Type", 0x20)});
  return image;
}

// Windows 7 SP1 Professional, domain-joined, as installed: the SMB1 client and server are on.
// Its active control set is ControlSet002, so CurrentControlSet must follow Select.
WindowsImage default_7601_professional() {
  auto image = base_image("default-7601-professional", {.computer_name = "WIN7-PRO",
                                                        .product_type = "WinNT",
                                                        .domain = "corp.example",
                                                        .build = 7601,
                                                        .ubr = std::nullopt,
                                                        .edition = "Professional",
                                                        .product_name = "Windows 7 Professional",
                                                        .control_set = 2});
  auto& s = image.system;
  const auto cs2 = [](std::string_view rest) { return fmt::format("ControlSet002\\{}", rest); };
  // A stale control set that says the opposite: reading it instead of ControlSet002 would pass.
  s.set(cs1("Services\\LanmanServer\\Parameters"), {dword("RequireSecuritySignature", 1)});
  s.set(cs1("Control\\Lsa"), {dword("LmCompatibilityLevel", 5)});
  s.set(cs2("Services\\LanmanWorkstation"), {multi_sz("DependOnService", {"Bowser", "MRxSmb10", "MRxSmb20", "NSI"})});
  s.set(cs2("Services\\LanmanWorkstation\\Parameters"),
        {dword("EnableSecuritySignature", 1), dword("RequireSecuritySignature", 0)});
  s.set(cs2("Services\\LanmanServer\\Parameters"),
        {dword("EnableSecuritySignature", 0), dword("RequireSecuritySignature", 0)});
  s.set(cs2("Services\\mrxsmb10"), {dword("Start", 3), dword("Type", 2)});
  s.set(cs2("Services\\srv"), {dword("Start", 3), dword("Type", 2)});
  s.set(cs2("Services\\WebClient"), {dword("Start", 3), dword("Type", 0x20)});
  return image;
}

// Windows Server, version 1709 (16299) Standard, a domain member: no SMB1 on a clean install.
WindowsImage member_server_16299() {
  auto image = base_image("member-server-16299", {.computer_name = "FS01",
                                                  .product_type = "ServerNT",
                                                  .domain = "corp.example",
                                                  .build = 16299,
                                                  .ubr = 15,
                                                  .edition = "ServerStandard",
                                                  .product_name = "Windows Server Standard"});
  auto& s = image.system;
  s.set(cs1("Services\\LanmanServer\\Parameters"),
        {dword("RequireSecuritySignature", 1), dword("EncryptData", 1), dword("RejectUnencryptedAccess", 1)});
  s.set(cs1("Control\\Lsa"), {dword("LmCompatibilityLevel", 5)});
  return image;
}

// Windows Server 2022 (20348) Datacenter, a domain controller with the Entra password
// protection agent installed and delayed-start; otherwise Windows' defaults.
WindowsImage domain_controller_20348() {
  auto image = base_image("domain-controller-20348", {.computer_name = "DC01",
                                                      .product_type = "LanmanNT",
                                                      .domain = "corp.example",
                                                      .build = 20348,
                                                      .ubr = 2966,
                                                      .edition = "ServerDatacenter",
                                                      .product_name = "Windows Server 2022 Datacenter"});
  auto& s = image.system;
  s.set(cs1("Services\\AzureADPasswordProtectionDCAgent"),
        {dword("Start", 2), dword("DelayedAutostart", 1), dword("Type", 0x10)});
  s.set(cs1("Services\\Netlogon\\Parameters"), {dword("AuditNTLMInDomain", 7)});
  // What the Default Domain Controllers Policy writes: server signing required.
  s.set(cs1("Services\\LanmanServer\\Parameters"),
        {dword("EnableForcedLogoff", 1), dword("RequireSecuritySignature", 1)});
  image.software.set("Microsoft\\Windows\\CurrentVersion\\Policies\\System\\KDC\\Parameters",
                     {dword("EnableCbacAndArmor", 1)});
  image.software.set("Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters",
                     {dword("EnableCbacAndArmor", 1)});
  return image;
}

// The example golden image (examples/golden-image): a Windows 11 24H2 Pro build part way
// through hardening, so its report shows passes, failures and what only a live audit can see.
WindowsImage golden_26100_pro() {
  auto image = base_image("golden-26100-pro", {.computer_name = "GOLDEN-W11",
                                               .product_type = "WinNT",
                                               .domain = "corp.example",
                                               .build = 26100,
                                               .ubr = 4061,
                                               .edition = "Professional",
                                               .product_name = "Windows 10 Pro"});
  auto& s = image.system;
  s.set(cs1("Services\\WebClient"), {dword("Start", 3), dword("Type", 0x20)});
  s.set(cs1("Control\\Lsa"), {dword("LmCompatibilityLevel", 5)});
  s.set(cs1("Control\\Lsa\\MSV1_0"), {dword("AuditReceivingNTLMTraffic", 2)});
  image.software.set("Policies\\Microsoft\\Windows\\LanmanWorkstation", {dword("AllowInsecureGuestAuth", 0)});
  image.software.set("Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths",
                     {sz("\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"),
                      sz("\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=0")});
  return image;
}

}  // namespace

std::vector<std::string> windows_image_names() {
  return {"hardened-26100-enterprise", "default-26100-home",      "default-7601-professional",
          "member-server-16299",       "domain-controller-20348", "golden-26100-pro"};
}

std::optional<WindowsImage> windows_image(std::string_view name) {
  if (name == "hardened-26100-enterprise") return hardened_26100_enterprise();
  if (name == "default-26100-home") return default_26100_home();
  if (name == "default-7601-professional") return default_7601_professional();
  if (name == "member-server-16299") return member_server_16299();
  if (name == "domain-controller-20348") return domain_controller_20348();
  if (name == "golden-26100-pro") return golden_26100_pro();
  return std::nullopt;
}

std::optional<std::string> write_image_hives(const WindowsImage& image, const std::filesystem::path& system,
                                             const std::filesystem::path& software) {
  if (auto failed = write_hive(image.system, system)) return "SYSTEM: " + *failed;
  if (auto failed = write_hive(image.software, software)) return "SOFTWARE: " + *failed;
  return std::nullopt;
}

}  // namespace smbaudit::test_support
