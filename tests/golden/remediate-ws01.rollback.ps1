# smbaudit rollback of the remediation for WS01 (workstation, build 26100.2314, Professional,
# domain corp.example), audited 2026-11-20T04:00:00Z, profile guide, smbaudit 0.1.0.
# Puts back the values the audit saw (values that were absent are deleted) and logs what it
# replaced; run it from an elevated PowerShell, -WhatIf first. Keys the remediation created
# stay, empty. Restart the computer afterwards.

[CmdletBinding(SupportsShouldProcess = $true)]
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

# --- anonymous-enumeration-restricted: Anonymous users cannot enumerate accounts and shares or act as Everyone (medium)
Remove-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymousSAM'
Remove-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymous'
Remove-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'EveryoneIncludesAnonymous'

# --- lsa-protection: LSA runs as a protected process (RunAsPPL) (medium)
Remove-Value 'lsa-protection' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RunAsPPL'

# --- smb-client-min-dialect: SMB client refuses dialects below SMB 3.1.1 (medium)
Remove-Value 'smb-client-min-dialect' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'MinSmb2Dialect'
Remove-Value 'smb-client-min-dialect' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'MinSMB2Dialect'

# --- webclient-disabled: WebClient (WebDAV) service is disabled or not installed (medium)
Set-StartType 'webclient-disabled' 'WebClient' 'demand'

# --- ldap-client-encryption: LDAP client negotiates (or requires) encryption (24H2 / Windows Server 2025) (low)
Remove-Value 'ldap-client-encryption' 'SYSTEM\CurrentControlSet\Services\LDAP' 'LDAPClientConfidentiality'

# --- llmnr-disabled: LLMNR (multicast name resolution) is turned off (medium)
Remove-Value 'llmnr-disabled' 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableMulticast'

# --- netbios-name-resolution-restricted: NetBIOS name resolution is off (everywhere, or on public networks), or the node type does not broadcast (medium)
Remove-Value 'netbios-name-resolution-restricted' 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableNetbios'

# --- ntlm-outgoing-audited: Outgoing NTLM authentication is audited or denied (medium)
Remove-Value 'ntlm-outgoing-audited' 'SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0' 'RestrictSendingNTLMTraffic'

# --- lm-compatibility-level: LAN Manager authentication level refuses LM and NTLMv1 (high)
Set-Value 'lm-compatibility-level' 'SYSTEM\CurrentControlSet\Control\Lsa' 'LmCompatibilityLevel' 'DWord' ([int32]3)

# --- minimum-password-length: Minimum password length is at least 15 (medium)
Set-AccountPolicy 'minimum-password-length' 'MinimumPasswordLength' 12
Remove-Value 'minimum-password-length' 'SYSTEM\CurrentControlSet\Control\SAM' 'RelaxMinimumPasswordLengthLimits'

# --- smb-client-signing-required: SMB client requires signing (high)
Set-Value 'smb-client-signing-required' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'RequireSecuritySignature' 'DWord' ([int32]0)

# --- smb-client-payload-integrity: SMB client traffic is integrity-protected (signing or encryption required) (high)
# also needs HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters\RequireSecuritySignature, set above

# --- unc-hardened-paths: SYSVOL and NETLOGON are reached with mutual authentication and integrity (high)
Set-Value 'unc-hardened-paths' 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\NETLOGON' 'String' 'RequireMutualAuthentication=0, RequireIntegrity=1'

# --- smb-insecure-peer-auditing: SMB audits peers that lack signing or encryption, and guest logons (info)
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportSigning'
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportEncryption'
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditInsecureGuestLogon'
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportSigning'
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportEncryption'
Remove-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditInsecureGuestLogon'

if (-not $WhatIfPreference) { Write-Change 'smbaudit' 'rollback finished; restart the computer for it to take effect' }
