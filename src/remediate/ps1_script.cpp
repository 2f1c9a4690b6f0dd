// The PowerShell renderer. Both scripts check elevation, honour -WhatIf, log every change
// (console and a .log file beside the script) and stop at the first error. The fix script
// first checks that the host still holds what the audit saw, because its rollback puts back
// exactly those values; registry writes go through the 64-bit view so a 32-bit PowerShell
// cannot land them under WOW6432Node.
#include <fmt/format.h>

#include "scripts.h"

namespace smbaudit {
namespace {

// A PowerShell single-quoted literal: only the quote characters themselves need doubling
// (PowerShell also takes the typographic single quotes as quotes).
std::string ps_string(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == '\'') out += '\'';
    // U+2018..U+201B in UTF-8: E2 80 98..9B.
    if (static_cast<unsigned char>(s[i]) == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) >= 0x98 && static_cast<unsigned char>(s[i + 2]) <= 0x9b) {
      out += s.substr(i + 1, 2);
      out += s.substr(i, 3);
      i += 2;
    }
  }
  return out + "'";
}

// The key below HKLM, as RegistryKey.OpenSubKey takes it.
std::string subkey(std::string_view key) {
  return std::string(key.substr(0, 5) == "HKLM\\" ? key.substr(5) : key);
}

std::string_view kind(RegType type) {
  switch (type) {
    case RegType::Dword: return "DWord";
    case RegType::Qword: return "QWord";
    case RegType::Sz: return "String";
    case RegType::ExpandSz: return "ExpandString";
    case RegType::MultiSz: return "MultiString";
    case RegType::Binary: return "Binary";
    case RegType::Other: break;
  }
  return "Unknown";
}

// A typed PowerShell expression for registry data, as RegistryKey.GetValue returns it
// (a DWORD comes back as a signed Int32).
std::string ps_data(RegType type, const Value& data) {
  switch (type) {
    case RegType::Dword:
      return fmt::format("([int32]{})",
                         static_cast<std::int32_t>(static_cast<std::uint32_t>(std::get<std::int64_t>(data))));
    case RegType::Qword: return fmt::format("([int64]{})", std::get<std::int64_t>(data));
    case RegType::Sz:
    case RegType::ExpandSz: return ps_string(std::get<std::string>(data));
    case RegType::MultiSz: {
      std::vector<std::string> items;
      for (const auto& s : std::get<StringList>(data)) items.push_back(ps_string(s));
      return "([string[]]@(" + join(items, ", ") + "))";
    }
    case RegType::Binary:
    case RegType::Other: {
      std::vector<std::string> items;
      for (auto b : std::get<Bytes>(data)) items.push_back(fmt::format("0x{:02x}", b));
      return "([byte[]]@(" + join(items, ", ") + "))";
    }
  }
  return "$null";
}

std::string_view sc_start(StartType t) {
  switch (t) {
    case StartType::Boot: return "boot";
    case StartType::System: return "system";
    case StartType::Automatic: return "auto";
    case StartType::AutomaticDelayed: return "delayed-auto";
    case StartType::Manual: return "demand";
    case StartType::Disabled: return "disabled";
  }
  return "demand";
}

constexpr std::string_view kPrologue = R"PS([CmdletBinding(SupportsShouldProcess = $true)]
param()
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run this script from an elevated PowerShell (Run as administrator).'
}
$LogPath = if ($PSCommandPath) { [IO.Path]::ChangeExtension($PSCommandPath, '.log') } else { Join-Path $env:TEMP 'smbaudit-remediation.log' }
$Hklm = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine,
                                                   [Microsoft.Win32.RegistryView]::Registry64)

function Write-Change([string]$Rule, [string]$Text) {
    $line = '{0} [{1}] {2}' -f (Get-Date -Format s), $Rule, $Text
    Write-Host $line
    Add-Content -LiteralPath $LogPath -Value $line -WhatIf:$false
}

# The value now, or $null when it does not exist.
function Get-Value([string]$Key, [string]$Name) {
    $k = $Hklm.OpenSubKey($Key)
    if ($null -eq $k) { return $null }
    try {
        if ($k.GetValueNames() -notcontains $Name) { return $null }
        return [pscustomobject]@{
            Kind = [string]$k.GetValueKind($Name)
            Data = $k.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        }
    } finally { $k.Close() }
}

function Format-Value($Value) {
    if ($null -eq $Value) { return 'absent' }
    return '{0} ({1})' -f ((@($Value.Data) | ForEach-Object { [string]$_ }) -join ', '), $Value.Kind
}

function Test-Same($Value, [string]$Kind, $Data) {
    if ($null -eq $Value -or $Value.Kind -ne $Kind) { return $false }
    return ((@($Value.Data) | ForEach-Object { [string]$_ }) -join "`0") -ceq ((@($Data) | ForEach-Object { [string]$_ }) -join "`0")
}

function Set-Value {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string]$Rule, [string]$Key, [string]$Name, [string]$Kind, $Data)
    $before = Format-Value (Get-Value $Key $Name)
    $after = Format-Value ([pscustomobject]@{ Kind = $Kind; Data = $Data })
    if ($PSCmdlet.ShouldProcess("HKLM\$Key\$Name", "set to $after (now $before)")) {
        $k = $Hklm.CreateSubKey($Key)
        try { $k.SetValue($Name, $Data, [Microsoft.Win32.RegistryValueKind]$Kind) } finally { $k.Close() }
        Write-Change $Rule "HKLM\$Key\$Name = $after (was $before)"
    }
}

function Remove-Value {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string]$Rule, [string]$Key, [string]$Name)
    $before = Get-Value $Key $Name
    if ($null -eq $before) { return }
    if ($PSCmdlet.ShouldProcess("HKLM\$Key\$Name", "delete (now $(Format-Value $before))")) {
        $k = $Hklm.OpenSubKey($Key, $true)
        try { $k.DeleteValue($Name) } finally { $k.Close() }
        Write-Change $Rule "HKLM\$Key\$Name deleted (was $(Format-Value $before))"
    }
}

function Set-StartType {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string]$Rule, [string]$Service, [string]$StartType)
    $before = Format-Value (Get-Value "SYSTEM\CurrentControlSet\Services\$Service" 'Start')
    if ($PSCmdlet.ShouldProcess("service $Service", "set start type $StartType (Start now $before)")) {
        & sc.exe config $Service start= $StartType | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "sc.exe config $Service start= $StartType failed with exit code $LASTEXITCODE" }
        Write-Change $Rule "service $Service start type = $StartType (Start was $before)"
    }
}

# An account policy setting as the local security policy holds it ([System Access] of
# secedit's export), or $null when the export does not list it.
function Get-AccountPolicy([string]$Setting) {
    $inf = Join-Path $env:TEMP ('smbaudit-{0}.inf' -f [guid]::NewGuid())
    try {
        & secedit.exe /export /cfg $inf /areas SECURITYPOLICY /quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "secedit /export failed with exit code $LASTEXITCODE" }
        foreach ($line in Get-Content -LiteralPath $inf) {
            if ($line -match ('^\s*' + [regex]::Escape($Setting) + '\s*=\s*(-?\d+)\s*$')) { return [int]$Matches[1] }
        }
        return $null
    } finally { [IO.File]::Delete($inf) }
}

# Applies a one-line security template with a database of its own, so that secedit changes
# this setting and nothing else.
function Set-AccountPolicy {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string]$Rule, [string]$Setting, [int]$Value)
    $before = Get-AccountPolicy $Setting
    if ($PSCmdlet.ShouldProcess("account policy $Setting", "set to $Value (now $before)")) {
        $dir = [IO.Directory]::CreateDirectory((Join-Path $env:TEMP ('smbaudit-{0}' -f [guid]::NewGuid()))).FullName
        $base = Join-Path $dir 'policy'
        try {
            Set-Content -LiteralPath "$base.inf" -Encoding Unicode -WhatIf:$false -Value @(
                '[Unicode]', 'Unicode=yes', '[System Access]', "$Setting = $Value",
                '[Version]', 'signature="$CHICAGO$"', 'Revision=1')
            & secedit.exe /configure /db "$base.sdb" /cfg "$base.inf" /areas SECURITYPOLICY /quiet | Out-Null
            if ($LASTEXITCODE -ne 0) {
                throw "secedit /configure ($Setting = $Value) failed with exit code $LASTEXITCODE; see $env:windir\security\logs\scesrv.log"
            }
        } finally { [IO.Directory]::Delete($dir, $true) }  # the template and secedit's database
        Write-Change $Rule "account policy $Setting = $Value (was $before)"
    }
}
)PS";

constexpr std::string_view kAssertions = R"PS(
# The rollback puts back what the audit saw, so stop before any change if the host differs now.
function Assert-Was([string]$Key, [string]$Name, [string]$Kind, $Data) {
    $now = Get-Value $Key $Name
    if ($Kind -eq '') {
        if ($null -ne $now) { throw "HKLM\$Key\$Name is $(Format-Value $now) now, but the audit saw it absent: audit again and generate a new script" }
    } elseif (-not (Test-Same $now $Kind $Data)) {
        throw "HKLM\$Key\$Name is $(Format-Value $now) now, not what the audit saw: audit again and generate a new script"
    }
}

function Assert-AccountPolicyWas([string]$Setting, [int]$Value) {
    $now = Get-AccountPolicy $Setting
    if ($now -ne $Value) { throw "account policy $Setting is $now now, but the audit saw $Value`: audit again and generate a new script" }
}
)PS";

std::string header(const RemediationPlan& plan, ScriptPart part, std::string_view title, std::string_view usage) {
  return comment_header(plan, part, "#", title, usage) + "\n";
}

std::size_t change_count(const RemediationPlan& plan) {
  std::size_t n = 0;
  for (const auto& f : plan.fixes) n += f.registry.size() + f.services.size() + f.account_policy.size();
  return n;
}

}  // namespace

ScriptText render_ps1(const RemediationPlan& plan, std::string_view rollback_name) {
  std::string main =
      header(plan, ScriptPart::Fix, "smbaudit remediation",
             fmt::format("Review every change, run it from an elevated PowerShell with -WhatIf first, then without. "
                         "Each change is logged to the console and to a .log file beside the script. {} Restart the "
                         "computer afterwards: services read most of these values when they start.",
                         rollback_sentence(rollback_name)));
  std::string undo = header(plan, ScriptPart::Undo, "smbaudit rollback of the remediation",
                            "Puts back the values the audit saw (values that were absent are deleted) and logs what "
                            "it replaced; run it from an elevated PowerShell, -WhatIf first. Keys the remediation "
                            "created stay, empty. Restart the computer afterwards.");
  main += kPrologue;
  undo += kPrologue;
  if (plan.has_changes()) {
    main += kAssertions;
    for (const auto& fix : plan.fixes) {
      for (const auto& c : fix.registry)
        main += fmt::format("Assert-Was {} {} '{}' {}\n", ps_string(subkey(c.key)), ps_string(c.name),
                            c.before ? kind(c.before->type) : "",
                            c.before ? ps_data(c.before->type, c.before->data) : "$null");
      for (const auto& s : fix.services)
        main += fmt::format("Assert-Was {} 'Start' 'DWord' ([int32]{})\n",
                            ps_string("SYSTEM\\CurrentControlSet\\Services\\" + s.service), start_value(s.before));
      for (const auto& a : fix.account_policy)
        main += fmt::format("Assert-AccountPolicyWas {} {}\n", ps_string(a.setting), a.before);
    }
  }
  for (const auto& fix : plan.fixes) {
    main += rule_comment(fix, ScriptPart::Fix, "#", "--- ");
    undo += rule_comment(fix, ScriptPart::Undo, "#", "--- ");
    const std::string rule = ps_string(fix.rule);
    // The rollback restores the length before the registry: a length above 14 it puts back
    // may need the RelaxMinimumPasswordLengthLimits value the registry rollback deletes.
    for (const auto& a : fix.account_policy)
      undo += fmt::format("Set-AccountPolicy {} {} {}\n", rule, ps_string(a.setting), a.before);
    for (const auto& c : fix.registry) {
      main += fmt::format("Set-Value {} {} {} '{}' {}\n", rule, ps_string(subkey(c.key)), ps_string(c.name),
                          kind(c.type), ps_data(c.type, c.data));
      if (c.before)
        undo += fmt::format("Set-Value {} {} {} '{}' {}\n", rule, ps_string(subkey(c.key)), ps_string(c.name),
                            kind(c.before->type), ps_data(c.before->type, c.before->data));
      else
        undo += fmt::format("Remove-Value {} {} {}\n", rule, ps_string(subkey(c.key)), ps_string(c.name));
    }
    for (const auto& s : fix.services) {
      main += fmt::format("Set-StartType {} {} '{}'\n", rule, ps_string(s.service), sc_start(s.start_type));
      undo += fmt::format("Set-StartType {} {} '{}'\n", rule, ps_string(s.service), sc_start(s.before));
    }
    // After the registry: a length above 14 takes the RelaxMinimumPasswordLengthLimits value set above.
    for (const auto& a : fix.account_policy)
      main += fmt::format("Set-AccountPolicy {} {} {}\n", rule, ps_string(a.setting), a.value);
  }
  main += fmt::format(
      "\nif (-not $WhatIfPreference) {{ Write-Change 'smbaudit' 'remediation finished: {} change(s); restart the "
      "computer for them to take effect' }}\n",
      change_count(plan));
  undo +=
      "\nif (-not $WhatIfPreference) { Write-Change 'smbaudit' 'rollback finished; restart the computer for it to "
      "take effect' }\n";
  return {main, undo};
}

}  // namespace smbaudit
