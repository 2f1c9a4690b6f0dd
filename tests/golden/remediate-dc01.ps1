# smbaudit remediation for DC01 (domain_controller, build 20348.2762, ServerStandard, domain
# corp.example), audited 2026-11-20T04:00:00Z, profile strict, smbaudit 0.1.0.
# Review every change, run it from an elevated PowerShell with -WhatIf first, then without. Each
# change is logged to the console and to a .log file beside the script. Rollback:
# remediate-dc01.rollback.ps1 puts back the values the audit saw (values that were absent are
# deleted). Restart the computer afterwards: services read most of these values when they start.
#
# CAUTION: these changes can break access (they come first below). Read before applying:
#   anonymous-enumeration-restricted: 'It is impossible to grant access to users of another
#   domain across a one-way trust because administrators in the trusting domain are unable to
#   enumerate lists of accounts in the other domain'; anonymous listing of shares on file and
#   print servers stops.
#   print-spooler-disabled-on-dc: Printing from the domain controller and printer pruning (which
#   some environments run on DCs) stop. A running Spooler keeps running until it is stopped or
#   the computer restarts.
#   print-spooler-remote-rpc-disabled: 'the Print Spooler will not accept client connections nor
#   allow users to share printers': print servers stop serving clients. Restart the Print
#   Spooler for the change to take effect.
#   ntlm-domain-restricted: 'numerous NTLM authentication requests could fail within the
#   domain': applications, appliances and access by IP address that rely on NTLM stop working.
#   Set 'Audit NTLM authentication in this domain' first and list the servers that need
#   exceptions.
#   lsa-protection: LSA plug-ins and drivers that are not signed by Microsoft (some smart card
#   drivers, password filters, security products) fail to load; audit with AuditLevel = 8
#   (CodeIntegrity events 3065/3066) first. Takes effect after a restart; RunAsPPL = 1 on a
#   Secure Boot device writes a UEFI variable that removing the value does not clear.
#   smb-client-min-dialect: A dialect floor of SMB 3.1.1 stops this client from reaching any
#   server that does not speak it: Windows 8.1 / Server 2012 R2 and older, and older NAS,
#   printers and appliances. Check every file server the host uses first. The Workstation
#   service reads the value when it starts: restart it or the computer.
#   smb-server-encryption-required: Encrypting every share while rejecting unencrypted access
#   locks out clients without SMB 3 encryption (Windows 7 / Server 2008 R2 and older, many NAS,
#   printers and scanners) and costs CPU on the server. Require encryption only where every peer
#   speaks SMB 3.
#   ldap-client-signing: At Require signing the client cannot talk to LDAP servers that do not
#   sign (some third-party directories and appliances).
#   ldap-server-signing-required: 'Clients that do not support LDAP signing will be unable to
#   execute LDAP queries against the domain controllers': applications and appliances that bind
#   with clear-text simple binds or unsigned SASL over port 389 fail. Enable LDAP interface
#   diagnostics and review event 2889 first.
#   ldap-channel-binding: At Always, LDAPS clients that do not send channel binding tokens
#   (older non-Windows clients, some appliances) are refused; When supported refuses only
#   clients that claim support and send a wrong token.
#   llmnr-disabled: Names that only LLMNR resolved (hosts missing from DNS on small networks)
#   stop resolving; add them to DNS first.
#   netbios-name-resolution-restricted: Hosts and devices found only by NetBIOS names (old NAS,
#   printers, workgroup PCs without DNS) stop resolving. A P-node without a WINS server resolves
#   no NetBIOS name at all. NodeType takes effect after the NetBT driver restarts (a reboot).
#   mdns-disabled: Printer, casting (Miracast) and device discovery that relies on mDNS stops
#   working; restart the DNS Client service or the computer.
#   smb-server-signing-required: Requiring signing refuses peers that cannot sign: guest-only
#   shares, old NAS and printers, and SMB1-era devices stop working; signing also costs
#   throughput on fast links.
#   smb-server-payload-integrity: Requiring signing refuses peers that cannot sign: guest-only
#   shares, old NAS and printers, and SMB1-era devices stop working; signing also costs
#   throughput on fast links.
#   smb-server-relay-protected: Requiring signing refuses peers that cannot sign: guest-only
#   access, old NAS, printers and SMB1-era devices stop working; signing also costs throughput
#   on fast links.
#   smb-server-spn-validation: 'setting the options to Accept if provided by client or Required
#   from client will prevent some clients from successfully authenticating to some servers':
#   clients that name the server by an alias or address without a matching SPN are refused.
#   smb1-server-disabled: Clients that only speak SMB1 (Windows XP / Server 2003, old printers,
#   scanners and NAS) lose access to this host. Removing the SMB1 feature afterwards is the
#   lasting fix.
#   smb1-client-disabled: This host can no longer reach SMB1-only servers (Windows XP / Server
#   2003, old NAS and printers). Both values must change together: a Workstation service that
#   still depends on a disabled mrxsmb10 does not start. The dependency list becomes Bowser,
#   MRxSmb20, NSI (Microsoft's documented list); restart the computer afterwards.
#   unc-hardened-paths: Hardened paths require Kerberos and signing (or encryption) for SYSVOL
#   and NETLOGON: a host that cannot reach a domain controller by Kerberos, or a path served by
#   a non-Windows server, fails to apply Group Policy and logon scripts.
#
# Not in this file (manual steps):
#   outbound-smb-blocked: The firewall rule depends on the network design: which profiles may
#   reach file servers, and which servers (if any) need SMB from this host. Add the outbound TCP
#   445 block rule with the firewall tools or Group Policy after deciding the exceptions;
#   smbaudit does not write firewall rules.
#   kerberos-armoring-required: the audit could not read
#   HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\KDC\Parameters\EnableCbacAndArmor
#   (RegOpenKeyExW: access is denied (5)), so there is no exact rollback
#   kerberos-armoring: the audit could not read
#   HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\KDC\Parameters\EnableCbacAndArmor
#   (RegOpenKeyExW: access is denied (5)), so there is no exact rollback
#
# Not remediated: the audit could not evaluate these (re-audit with more access):
#   ntlm-incoming-audited (error)
#   ntlm-outgoing-audited (error)
#   ntlm-incoming-denied (error)
#   ntlm-session-security (error)
#   minimum-password-length (unknown)
#   entra-password-protection-dc-agent (unknown)
#   security-updates-current (unknown)

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
Assert-Was 'SYSTEM\CurrentControlSet\Services\Spooler' 'Start' 'DWord' ([int32]2)
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows NT\Printers' 'RegisterSpoolerRemoteRpcEndPoint' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\Netlogon\Parameters' 'RestrictNTLMInDomain' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Control\Lsa' 'RunAsPPL' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'MinSMB2Dialect' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'EncryptData' 'DWord' ([int32]0)
Assert-Was 'SYSTEM\CurrentControlSet\Services\LDAP' 'LDAPClientIntegrity' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\NTDS\Parameters' 'LDAPServerIntegrity' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\NTDS\Parameters' 'LdapEnforceChannelBinding' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableMulticast' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\NetBT\Parameters' 'NodeType' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\Dnscache\Parameters' 'EnableMDNS' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'RequireSecuritySignature' 'DWord' ([int32]0)
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'SmbServerNameHardeningLevel' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'SMB1' 'DWord' ([int32]1)
Assert-Was 'SYSTEM\CurrentControlSet\Services\mrxsmb10' 'Start' 'DWord' ([int32]2)
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation' 'DependOnService' 'MultiString' ([string[]]@('Bowser', 'MRxSmb10', 'MRxSmb20', 'NSI'))
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\SYSVOL' '' $null
Assert-Was 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\NETLOGON' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\Netlogon\Parameters' 'AuditNTLMInDomain' '' $null
Assert-Was 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'AuditSmb1Access' '' $null

# --- anonymous-enumeration-restricted: Anonymous users cannot enumerate accounts and shares or act as Everyone (medium)
# CAUTION: 'It is impossible to grant access to users of another domain across a one-way trust
# because administrators in the trusting domain are unable to enumerate lists of accounts in the
# other domain'; anonymous listing of shares on file and print servers stops.
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymousSAM' 'DWord' ([int32]1)
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RestrictAnonymous' 'DWord' ([int32]1)
Set-Value 'anonymous-enumeration-restricted' 'SYSTEM\CurrentControlSet\Control\Lsa' 'EveryoneIncludesAnonymous' 'DWord' ([int32]0)

# --- print-spooler-disabled-on-dc: Print Spooler is disabled on domain controllers (high)
# CAUTION: Printing from the domain controller and printer pruning (which some environments run
# on DCs) stop. A running Spooler keeps running until it is stopped or the computer restarts.
Set-StartType 'print-spooler-disabled-on-dc' 'Spooler' 'disabled'

# --- print-spooler-remote-rpc-disabled: Print Spooler does not accept remote client connections (medium)
# CAUTION: 'the Print Spooler will not accept client connections nor allow users to share
# printers': print servers stop serving clients. Restart the Print Spooler for the change to
# take effect.
Set-Value 'print-spooler-remote-rpc-disabled' 'SOFTWARE\Policies\Microsoft\Windows NT\Printers' 'RegisterSpoolerRemoteRpcEndPoint' 'DWord' ([int32]2)

# --- ntlm-domain-restricted: Domain controller denies NTLM in the domain (Restrict NTLM: NTLM authentication in this domain) (medium)
# CAUTION: 'numerous NTLM authentication requests could fail within the domain': applications,
# appliances and access by IP address that rely on NTLM stop working. Set 'Audit NTLM
# authentication in this domain' first and list the servers that need exceptions.
Set-Value 'ntlm-domain-restricted' 'SYSTEM\CurrentControlSet\Services\Netlogon\Parameters' 'RestrictNTLMInDomain' 'DWord' ([int32]7)

# --- lsa-protection: LSA runs as a protected process (RunAsPPL) (medium)
# CAUTION: LSA plug-ins and drivers that are not signed by Microsoft (some smart card drivers,
# password filters, security products) fail to load; audit with AuditLevel = 8 (CodeIntegrity
# events 3065/3066) first. Takes effect after a restart; RunAsPPL = 1 on a Secure Boot device
# writes a UEFI variable that removing the value does not clear.
Set-Value 'lsa-protection' 'SYSTEM\CurrentControlSet\Control\Lsa' 'RunAsPPL' 'DWord' ([int32]1)

# --- smb-client-min-dialect: SMB client refuses dialects below SMB 3.1.1 (medium)
# CAUTION: A dialect floor of SMB 3.1.1 stops this client from reaching any server that does not
# speak it: Windows 8.1 / Server 2012 R2 and older, and older NAS, printers and appliances.
# Check every file server the host uses first. The Workstation service reads the value when it
# starts: restart it or the computer.
Set-Value 'smb-client-min-dialect' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters' 'MinSMB2Dialect' 'DWord' ([int32]785)

# --- smb-server-encryption-required: SMB server encrypts all shares and rejects unencrypted access (high)
# CAUTION: Encrypting every share while rejecting unencrypted access locks out clients without
# SMB 3 encryption (Windows 7 / Server 2008 R2 and older, many NAS, printers and scanners) and
# costs CPU on the server. Require encryption only where every peer speaks SMB 3.
Set-Value 'smb-server-encryption-required' 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'EncryptData' 'DWord' ([int32]1)

# --- ldap-client-signing: LDAP client negotiates (or requires) signing (medium)
# CAUTION: At Require signing the client cannot talk to LDAP servers that do not sign (some
# third-party directories and appliances).
Set-Value 'ldap-client-signing' 'SYSTEM\CurrentControlSet\Services\LDAP' 'LDAPClientIntegrity' 'DWord' ([int32]2)

# --- ldap-server-signing-required: Domain controller requires LDAP signing (high)
# CAUTION: 'Clients that do not support LDAP signing will be unable to execute LDAP queries
# against the domain controllers': applications and appliances that bind with clear-text simple
# binds or unsigned SASL over port 389 fail. Enable LDAP interface diagnostics and review event
# 2889 first.
Set-Value 'ldap-server-signing-required' 'SYSTEM\CurrentControlSet\Services\NTDS\Parameters' 'LDAPServerIntegrity' 'DWord' ([int32]2)

# --- ldap-channel-binding: Domain controller enforces LDAP channel binding (when supported, or always) (high)
# CAUTION: At Always, LDAPS clients that do not send channel binding tokens (older non-Windows
# clients, some appliances) are refused; When supported refuses only clients that claim support
# and send a wrong token.
Set-Value 'ldap-channel-binding' 'SYSTEM\CurrentControlSet\Services\NTDS\Parameters' 'LdapEnforceChannelBinding' 'DWord' ([int32]2)

# --- llmnr-disabled: LLMNR (multicast name resolution) is turned off (medium)
# CAUTION: Names that only LLMNR resolved (hosts missing from DNS on small networks) stop
# resolving; add them to DNS first.
Set-Value 'llmnr-disabled' 'SOFTWARE\Policies\Microsoft\Windows NT\DNSClient' 'EnableMulticast' 'DWord' ([int32]0)

# --- netbios-name-resolution-restricted: NetBIOS name resolution is off (everywhere, or on public networks), or the node type does not broadcast (medium)
# CAUTION: Hosts and devices found only by NetBIOS names (old NAS, printers, workgroup PCs
# without DNS) stop resolving. A P-node without a WINS server resolves no NetBIOS name at all.
# NodeType takes effect after the NetBT driver restarts (a reboot).
Set-Value 'netbios-name-resolution-restricted' 'SYSTEM\CurrentControlSet\Services\NetBT\Parameters' 'NodeType' 'DWord' ([int32]2)

# --- mdns-disabled: mDNS (multicast DNS) is turned off (low)
# CAUTION: Printer, casting (Miracast) and device discovery that relies on mDNS stops working;
# restart the DNS Client service or the computer.
Set-Value 'mdns-disabled' 'SYSTEM\CurrentControlSet\Services\Dnscache\Parameters' 'EnableMDNS' 'DWord' ([int32]0)

# --- smb-server-signing-required: SMB server requires signing (high)
# CAUTION: Requiring signing refuses peers that cannot sign: guest-only shares, old NAS and
# printers, and SMB1-era devices stop working; signing also costs throughput on fast links.
Set-Value 'smb-server-signing-required' 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'RequireSecuritySignature' 'DWord' ([int32]1)

# --- smb-server-payload-integrity: SMB server traffic is integrity-protected (signing or encryption required) (high)
# CAUTION: Requiring signing refuses peers that cannot sign: guest-only shares, old NAS and
# printers, and SMB1-era devices stop working; signing also costs throughput on fast links.
# also needs HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters\RequireSecuritySignature, set above

# --- smb-server-relay-protected: SMB server refuses relayed authentication (signing required, SPN validation, or encryption required) (high)
# CAUTION: Requiring signing refuses peers that cannot sign: guest-only access, old NAS,
# printers and SMB1-era devices stop working; signing also costs throughput on fast links.
# also needs HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters\RequireSecuritySignature, set above

# --- smb-server-spn-validation: SMB server validates the client's SPN (target name validation at least 'Accept if provided by client') (medium)
# CAUTION: 'setting the options to Accept if provided by client or Required from client will
# prevent some clients from successfully authenticating to some servers': clients that name the
# server by an alias or address without a matching SPN are refused.
Set-Value 'smb-server-spn-validation' 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'SmbServerNameHardeningLevel' 'DWord' ([int32]1)

# --- smb1-server-disabled: SMB1 server is disabled or removed (high)
# CAUTION: Clients that only speak SMB1 (Windows XP / Server 2003, old printers, scanners and
# NAS) lose access to this host. Removing the SMB1 feature afterwards is the lasting fix.
Set-Value 'smb1-server-disabled' 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'SMB1' 'DWord' ([int32]0)

# --- smb1-client-disabled: SMB1 client driver is disabled or removed (high)
# CAUTION: This host can no longer reach SMB1-only servers (Windows XP / Server 2003, old NAS
# and printers). Both values must change together: a Workstation service that still depends on a
# disabled mrxsmb10 does not start. The dependency list becomes Bowser, MRxSmb20, NSI
# (Microsoft's documented list); restart the computer afterwards.
Set-Value 'smb1-client-disabled' 'SYSTEM\CurrentControlSet\Services\mrxsmb10' 'Start' 'DWord' ([int32]4)
Set-Value 'smb1-client-disabled' 'SYSTEM\CurrentControlSet\Services\LanmanWorkstation' 'DependOnService' 'MultiString' ([string[]]@('Bowser', 'MRxSmb20', 'NSI'))

# --- unc-hardened-paths: SYSVOL and NETLOGON are reached with mutual authentication and integrity (high)
# CAUTION: Hardened paths require Kerberos and signing (or encryption) for SYSVOL and NETLOGON:
# a host that cannot reach a domain controller by Kerberos, or a path served by a non-Windows
# server, fails to apply Group Policy and logon scripts.
Set-Value 'unc-hardened-paths' 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\SYSVOL' 'String' 'RequireMutualAuthentication=1, RequireIntegrity=1, RequirePrivacy=1'
Set-Value 'unc-hardened-paths' 'SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths' '\\*\NETLOGON' 'String' 'RequireMutualAuthentication=1, RequireIntegrity=1, RequirePrivacy=1'

# --- ntlm-domain-audited: Domain controller audits NTLM authentication in the domain (low)
Set-Value 'ntlm-domain-audited' 'SYSTEM\CurrentControlSet\Services\Netlogon\Parameters' 'AuditNTLMInDomain' 'DWord' ([int32]7)

# --- smb1-access-auditing: SMB1 access is audited while the SMB1 server remains (info)
Set-Value 'smb1-access-auditing' 'SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' 'AuditSmb1Access' 'DWord' ([int32]1)

if (-not $WhatIfPreference) { Write-Change 'smbaudit' 'remediation finished: 24 change(s); restart the computer for them to take effect' }
