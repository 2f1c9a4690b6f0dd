# smbaudit remediation for WS01 (workstation, build 26100.2314, Professional, domain
# corp.example), audited 2026-11-20T04:00:00Z, profile guide, smbaudit 0.1.0.
# Review every change, run it from an elevated PowerShell with -WhatIf first, then without. Each
# change is logged to the console and to a .log file beside the script. Rollback:
# remediate-ws01.rollback.ps1 puts back the values the audit saw (values that were absent are
# deleted). Restart the computer afterwards: services read most of these values when they start.
#
# CAUTION: these changes can break access (they come first below). Read before applying:
#   anonymous-enumeration-restricted: 'It is impossible to grant access to users of another
#   domain across a one-way trust because administrators in the trusting domain are unable to
#   enumerate lists of accounts in the other domain'; anonymous listing of shares on file and
#   print servers stops.
#   lsa-protection: LSA plug-ins and drivers that are not signed by Microsoft (some smart card
#   drivers, password filters, security products) fail to load; audit with AuditLevel = 8
#   (CodeIntegrity events 3065/3066) first. Takes effect after a restart; RunAsPPL = 1 on a
#   Secure Boot device writes a UEFI variable that removing the value does not clear.
#   smb-client-min-dialect: A dialect floor of SMB 3.1.1 stops this client from reaching any
#   server that does not speak it: Windows 8.1 / Server 2012 R2 and older, and older NAS,
#   printers and appliances. Check every file server the host uses first. The Workstation
#   service reads the value when it starts: restart it or the computer.
#   webclient-disabled: Disabling WebClient stops WebDAV: mapping http(s) folders and opening
#   SharePoint libraries in File Explorer no longer work. A running WebClient keeps running
#   until it is stopped or the computer restarts.
#   ldap-client-encryption: At Require sealing the client cannot talk to LDAP servers that do
#   not seal.
#   llmnr-disabled: Names that only LLMNR resolved (hosts missing from DNS on small networks)
#   stop resolving; add them to DNS first.
#   netbios-name-resolution-restricted: Hosts and devices found only by NetBIOS names (old NAS,
#   printers, workgroup PCs without DNS) stop resolving. A P-node without a WINS server resolves
#   no NetBIOS name at all. NodeType takes effect after the NetBT driver restarts (a reboot).
#   ntlm-outgoing-audited: At level 2 (the strict profile) outgoing NTLM is denied. Denying NTLM
#   breaks every connection that cannot use Kerberos: access by IP address, workgroup and
#   non-domain hosts, old NAS and applications that only speak NTLM. Audit first (events in
#   Microsoft-Windows-NTLM/Operational) and add exceptions before denying.
#   lm-compatibility-level: Level 5 refuses LM and NTLMv1: clients and devices that only speak
#   them (very old systems, some NAS, printers and appliances) can no longer authenticate to
#   this host, and on a domain controller to the domain.
#   minimum-password-length: Every local account must choose a password of at least 15
#   characters at its next change. On a domain member, a GPO that sets the minimum length
#   replaces this local value at its next refresh; domain accounts follow the domain's policy.
#   smb-client-signing-required: Requiring signing refuses peers that cannot sign: guest-only
#   shares, old NAS and printers, and SMB1-era devices stop working; signing also costs
#   throughput on fast links.
#   smb-client-payload-integrity: Requiring signing refuses peers that cannot sign: guest-only
#   shares, old NAS and printers, and SMB1-era devices stop working; signing also costs
#   throughput on fast links.
#   unc-hardened-paths: Hardened paths require Kerberos and signing (or encryption) for SYSVOL
#   and NETLOGON: a host that cannot reach a domain controller by Kerberos, or a path served by
#   a non-Windows server, fails to apply Group Policy and logon scripts.
#
# Not in this file (manual steps):
#   outbound-smb-blocked: The firewall rule depends on the network design: which profiles may
#   reach file servers, and which servers (if any) need SMB from this host. Add the outbound TCP
#   445 block rule with the firewall tools or Group Policy after deciding the exceptions;
#   smbaudit does not write firewall rules.

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
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymousSAM' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymous' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'EveryoneIncludesAnonymous' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'RunAsPPL' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'MinSmb2Dialect' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'MinSMB2Dialect' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\WebClient' 'Start' 'DWord' ([int32]3)
Assert-Was 'SYSTEM\CurrentControlSet\Services\LDAP' 'LDAPClientConfidentiality' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableMulticast' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableNetbios' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0' 'RestrictSendingNTLMTraffic' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'LmCompatibilityLevel' 'DWord' ([int32]3)
Assert-Was 'SYSTEM\CurrentControlSet\Control\SAM' 'RelaxMinimumPasswordLengthLimits' '' $null
Assert-AccountPolicyWas 'MinimumPasswordLength' 12
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'RequireSecuritySignature' 'DWord' ([int32]0)
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\NETLOGON' 'String' 'RequireMutualAuthentication=0, RequireIntegrity=1'
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportSigning' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportEncryption' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditInsecureGuestLogon' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportSigning' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportEncryption' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditInsecureGuestLogon' '' $null

# --- anonymous-enumeration-restricted: Anonymous users cannot enumerate accounts and shares or act as Everyone (medium)
# CAUTION: 'It is impossible to grant access to users of another domain across a one-way trust
# because administrators in the trusting domain are unable to enumerate lists of accounts in the
# other domain'; anonymous listing of shares on file and print servers stops.
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymousSAM' 'DWord' ([int32]1)
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymous' 'DWord' ([int32]1)
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'EveryoneIncludesAnonymous' 'DWord' ([int32]0)

# --- lsa-protection: LSA runs as a protected process (RunAsPPL) (medium)
# CAUTION: LSA plug-ins and drivers that are not signed by Microsoft (some smart card drivers,
# password filters, security products) fail to load; audit with AuditLevel = 8 (CodeIntegrity
# events 3065/3066) first. Takes effect after a restart; RunAsPPL = 1 on a Secure Boot device
# writes a UEFI variable that removing the value does not clear.
Set-Value 'lsa-protection' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RunAsPPL' 'DWord' ([int32]2)

# --- smb-client-min-dialect: SMB client refuses dialects below SMB 3.1.1 (medium)
# CAUTION: A dialect floor of SMB 3.1.1 stops this client from reaching any server that does not
# speak it: Windows 8.1 / Server 2012 R2 and older, and older NAS, printers and appliances.
# Check every file server the host uses first. The Workstation service reads the value when it
# starts: restart it or the computer.
Set-Value 'smb-client-min-dialect' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'MinSmb2Dialect' 'DWord' ([int32]785)
Set-Value 'smb-client-min-dialect' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'MinSMB2Dialect' 'DWord' ([int32]785)

# --- webclient-disabled: WebClient (WebDAV) service is disabled or not installed (medium)
# CAUTION: Disabling WebClient stops WebDAV: mapping http(s) folders and opening SharePoint
# libraries in File Explorer no longer work. A running WebClient keeps running until it is
# stopped or the computer restarts.
Set-StartType 'webclient-disabled' 'WebClient' 'disabled'

# --- ldap-client-encryption: LDAP client negotiates (or requires) encryption (24H2 / Windows Server 2025) (low)
# CAUTION: At Require sealing the client cannot talk to LDAP servers that do not seal.
Set-Value 'ldap-client-encryption' 'SYSTEM\CurrentControlSet\Services\LDAP' 'LDAPClientConfidentiality' 'DWord' ([int32]1)

# --- llmnr-disabled: LLMNR (multicast name resolution) is turned off (medium)
# CAUTION: Names that only LLMNR resolved (hosts missing from DNS on small networks) stop
# resolving; add them to DNS first.
Set-Value 'llmnr-disabled' 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableMulticast' 'DWord' ([int32]0)

# --- netbios-name-resolution-restricted: NetBIOS name resolution is off (everywhere, or on public networks), or the node type does not broadcast (medium)
# CAUTION: Hosts and devices found only by NetBIOS names (old NAS, printers, workgroup PCs
# without DNS) stop resolving. A P-node without a WINS server resolves no NetBIOS name at all.
# NodeType takes effect after the NetBT driver restarts (a reboot).
Set-Value 'netbios-name-resolution-restricted' 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableNetbios' 'DWord' ([int32]2)

# --- ntlm-outgoing-audited: Outgoing NTLM authentication is audited or denied (medium)
# CAUTION: At level 2 (the strict profile) outgoing NTLM is denied. Denying NTLM breaks every
# connection that cannot use Kerberos: access by IP address, workgroup and non-domain hosts, old
# NAS and applications that only speak NTLM. Audit first (events in
# Microsoft-Windows-NTLM/Operational) and add exceptions before denying.
Set-Value 'ntlm-outgoing-audited' 'SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0' 'RestrictSendingNTLMTraffic' 'DWord' ([int32]1)

# --- lm-compatibility-level: LAN Manager authentication level refuses LM and NTLMv1 (high)
# CAUTION: Level 5 refuses LM and NTLMv1: clients and devices that only speak them (very old
# systems, some NAS, printers and appliances) can no longer authenticate to this host, and on a
# domain controller to the domain.
Set-Value 'lm-compatibility-level' 'SYSTEM\CurrentControlSet\Control\Lsa' 'LmCompatibilityLevel' 'DWord' ([int32]5)

# --- minimum-password-length: Minimum password length is at least 15 (medium)
# CAUTION: Every local account must choose a password of at least 15 characters at its next
# change. On a domain member, a GPO that sets the minimum length replaces this local value at
# its next refresh; domain accounts follow the domain's policy.
Set-Value 'minimum-password-length' 'SYSTEM\CurrentControlSet\Control\SAM' 'RelaxMinimumPasswordLengthLimits' 'DWord' ([int32]1)
Set-AccountPolicy 'minimum-password-length' 'MinimumPasswordLength' 15

# --- smb-client-signing-required: SMB client requires signing (high)
# CAUTION: Requiring signing refuses peers that cannot sign: guest-only shares, old NAS and
# printers, and SMB1-era devices stop working; signing also costs throughput on fast links.
Set-Value 'smb-client-signing-required' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'RequireSecuritySignature' 'DWord' ([int32]1)

# --- smb-client-payload-integrity: SMB client traffic is integrity-protected (signing or encryption required) (high)
# CAUTION: Requiring signing refuses peers that cannot sign: guest-only shares, old NAS and
# printers, and SMB1-era devices stop working; signing also costs throughput on fast links.
# also needs HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters\RequireSecuritySignature, set above

# --- unc-hardened-paths: SYSVOL and NETLOGON are reached with mutual authentication and integrity (high)
# CAUTION: Hardened paths require Kerberos and signing (or encryption) for SYSVOL and NETLOGON:
# a host that cannot reach a domain controller by Kerberos, or a path served by a non-Windows
# server, fails to apply Group Policy and logon scripts.
Set-Value 'unc-hardened-paths' 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\NETLOGON' 'String' 'RequireMutualAuthentication=1, RequireIntegrity=1'

# --- smb-insecure-peer-auditing: SMB audits peers that lack signing or encryption, and guest logons (info)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportSigning' 'DWord' ([int32]1)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditClientDoesNotSupportEncryption' 'DWord' ([int32]1)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanServer' 'AuditInsecureGuestLogon' 'DWord' ([int32]1)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportSigning' 'DWord' ([int32]1)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditServerDoesNotSupportEncryption' 'DWord' ([int32]1)
Set-Value 'smb-insecure-peer-auditing' 'SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation' 'AuditInsecureGuestLogon' 'DWord' ([int32]1)

if (-not $WhatIfPreference) { Write-Change 'smbaudit' 'remediation finished: 22 change(s); restart the computer for them to take effect' }
