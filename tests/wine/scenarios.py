#!/usr/bin/python3
"""End-to-end scenarios for the live collector: smbaudit.exe audits a Wine prefix whose
registry and services each scenario sets up with `wine reg add` and `wine sc create`.

Each scenario runs in a fresh WINEPREFIX of its own (a copy of a template prefix booted
once), so no scenario sees another's settings. ctest runs one test per scenario in the
mingw build (tests/CMakeLists.txt); by hand, from the build folder:

  /usr/bin/python3 ../../tests/wine/scenarios.py --exe smbaudit.exe --work wine-scenarios template
  /usr/bin/python3 ../../tests/wine/scenarios.py --exe smbaudit.exe --work wine-scenarios smb1

Standard library only; the driver runs on the build host, outside Wine.
"""

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
LANMAN_SERVER = r"HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters"
LANMAN_WORKSTATION = r"HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation"
WORKSTATION_PARAMS = LANMAN_WORKSTATION + r"\Parameters"
WORKSTATION_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation"
MSV1_0 = r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0"
NETBT_INTERFACES = r"HKLM\SYSTEM\CurrentControlSet\Services\NetBT\Parameters\Interfaces"
HARDENED_PATHS = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\NetworkProvider\HardenedPaths"
FIREWALL_RULES = r"HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\FirewallRules"
SMB_NAMESPACE = r"root\Microsoft\Windows\SMB"
# Files a prefix copy must not share with the template through hard links: the registry,
# which wineserver rewrites, and the .ini files Wine may update in place.
COPIED_SUFFIXES = (".reg", ".ini")


# Debian's Wine has no preloader, so now and then a new process finds the address of Windows'
# shared user data already taken and never starts: "err:virtual:virtual_alloc_first_teb wine:
# failed to map the shared user data: c0000018", exit 1, nothing else (seen about once in a few
# hundred starts under load). That one error channel stays on so such a start can be told from
# a command that ran and failed, and run again (run_wine).
WINEDEBUG = "-all,err+virtual"
NOT_STARTED = "failed to map the shared user data"


def run_wine(argv, env, attempts=3, **kwargs):
    """subprocess.run of a Wine command line, started again when Wine could not start it."""
    for attempt in range(attempts):
        try:
            r = subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)
        except subprocess.TimeoutExpired as e:
            # What it printed before it was killed tells a stalled collection (no report yet)
            # from a process that wrote its report and then did not exit.
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
            raise ScenarioFailed(f"{' '.join(argv[1:4])}... still running after {e.timeout} s, killed; it had "
                                 f"printed {len(out)} characters to stdout; stderr: {err[-2000:]}") from None
        if r.returncode == 0 or NOT_STARTED not in (r.stderr or "") or attempt + 1 == attempts:
            return r
        print(f"note: Wine could not start {argv[1:3]} ({NOT_STARTED}); starting it again", file=sys.stderr)
        time.sleep(1)
    return r


def start_wineserver(wine, wineserver, env, timeout=60):
    """Starts a persistent wineserver for env's WINEPREFIX, and Wine's background processes
    (services.exe, winedevice.exe) with no standard streams.

    One wineserver for many commands instead of one each. The background processes inherit the
    standard streams of the Wine program that starts them: were that a command whose output is
    captured, the capture would wait for them to exit (seconds per command)."""
    quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([wineserver, "-p"], env=env, check=True, timeout=60, **quiet)
    # The first program creates or updates the prefix when it needs it: give that `timeout`.
    subprocess.run([wine, "cmd", "/c", "exit"], env=env, check=True, timeout=timeout, **quiet)


def stop_wineserver(wineserver, env):
    """Ends every process of env's prefix and waits until its registry is saved."""
    subprocess.run([wineserver, "-k"], env=env, check=False, timeout=60)
    subprocess.run([wineserver, "-w"], env=env, check=False, timeout=60)


class ScenarioFailed(AssertionError):
    pass


def expect(condition, message, context=None):
    if not condition:
        detail = f"\n{json.dumps(context, indent=1)}" if context is not None else ""
        raise ScenarioFailed(message + detail)


class Prefix:
    """One scenario's Wine prefix: registry and service set-up, and smbaudit runs."""

    def __init__(self, args, name):
        self.args = args
        self.path = Path(args.work) / name
        self.env = dict(os.environ, WINEPREFIX=str(self.path), WINEDEBUG=WINEDEBUG, WINEDLLOVERRIDES="mscoree,mshtml=")
        self.scratch = Path(tempfile.mkdtemp(prefix=f"smbaudit-{name}-", dir=args.work))

    def __enter__(self):
        template = Path(self.args.work) / "template"
        expect(template.is_dir(), f"no template prefix at {template}: run the 'template' step first")
        if self.path.exists():
            shutil.rmtree(self.path)
        # Hard links make the copy nearly free; only the registry files are rewritten by Wine.
        def link_or_copy(src, dst):
            if src.lower().endswith(COPIED_SUFFIXES):
                return shutil.copy2(src, dst)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
            return dst
        # "wineserver" is the template's own server's lock, not part of the prefix.
        shutil.copytree(template, self.path, symlinks=True, copy_function=link_or_copy,
                        ignore=lambda folder, names: ["wineserver"] if Path(folder) == template else [])
        self.start()
        return self

    def start(self):
        """Starts the prefix's wineserver and its background processes (services.exe...)."""
        start_wineserver(self.args.wine, self.args.wineserver, self.env)

    def restart(self):
        """Wine's reboot: every process and the wineserver end (the registry is saved) and start again."""
        stop_wineserver(self.args.wineserver, self.env)
        self.start()

    def __exit__(self, *exc):
        subprocess.run([self.args.wineserver, "-k"], env=self.env, check=False, timeout=60)
        shutil.rmtree(self.scratch, ignore_errors=True)
        if not self.args.keep:
            shutil.rmtree(self.path, ignore_errors=True)

    def wine(self, *argv, check=True):
        r = run_wine([self.args.wine, *argv], self.env, timeout=120)
        if check and r.returncode != 0:
            raise ScenarioFailed(f"wine {' '.join(argv)} exited {r.returncode}: {r.stdout}{r.stderr}")
        return r

    def wait_for_service_state(self, service, state, seconds=30):
        """Waits until `sc query` shows the service in `state` (RUNNING, STOPPED)."""
        deadline = time.monotonic() + seconds
        while True:
            out = self.wine("sc", "query", service, check=False).stdout
            if re.search(r"STATE\s*:\s*\d+\s+" + state, out):
                return
            if time.monotonic() > deadline:
                raise ScenarioFailed(f"service {service} not {state} after {seconds} s: {out}")
            time.sleep(0.5)

    def reg_add(self, key, name, kind, data):
        self.wine("reg", "add", key, "/v", name, "/t", kind, "/d", str(data), "/f")

    def reg_key(self, key):
        self.wine("reg", "add", key, "/f")

    def reg_delete(self, key, name):
        self.wine("reg", "delete", key, "/v", name, "/f")

    def windows_version(self, build, ubr, edition, product):
        self.reg_add(CURRENT_VERSION, "CurrentBuildNumber", "REG_SZ", build)
        self.reg_add(CURRENT_VERSION, "CurrentBuild", "REG_SZ", build)
        self.reg_add(CURRENT_VERSION, "UBR", "REG_DWORD", ubr)
        self.reg_add(CURRENT_VERSION, "EditionID", "REG_SZ", edition)
        self.reg_add(CURRENT_VERSION, "ProductName", "REG_SZ", product)

    def windows_path(self, path):
        return "Z:" + str(Path(path).resolve()).replace("/", "\\")

    def smbaudit(self, *argv):
        start = time.monotonic()
        # Longer than any deadline a scenario gives smbaudit (120 s): a stalled collection ends
        # with smbaudit's own message, which says what it was waiting for.
        r = run_wine([self.args.wine, self.args.exe, *argv], self.env, timeout=180)
        r.seconds = time.monotonic() - start
        return r

    def audit(self, *argv, expect_code=0):
        """Audits with a JSON report on standard output; no gate is set, so the audit exits 0.

        The deadline is 120 s, not the default 30 (the scenarios' collects take the same): on a
        loaded 2-core machine Wine's DsRoleGetPrimaryDomainInformation (through Samba's
        libnetapi) was seen to take most of 30 s (smbaudit said "it was asking netapi for the
        domain membership"), where the same scenarios pass in 2 to 5 s otherwise; deadlines are
        wine_unreachable_host's subject, not these scenarios'."""
        timeout = [] if "--timeout" in argv else ["--timeout", "120"]
        r = self.smbaudit("audit", "--format", "json", *timeout, *argv)
        expect(r.returncode == expect_code, f"audit exited {r.returncode}, expected {expect_code}: {r.stderr}")
        try:
            return Report(json.loads(r.stdout))
        except json.JSONDecodeError as e:
            raise ScenarioFailed(f"audit printed no JSON report ({e}); exit {r.returncode}; stderr: {r.stderr}")

    def rule_pack(self, *edits):
        """A pack of rules taken from rules/ with test-only edits (each edit: (file, id, function))."""
        pack = self.scratch / f"pack{len(list(self.scratch.iterdir()))}"
        pack.mkdir()
        for file_name, rule_id, edit in edits:
            doc = json.loads((Path(self.args.source_dir) / "rules" / file_name).read_text())
            doc["rules"] = [r for r in doc["rules"] if r["id"] == rule_id]
            edit(doc["rules"][0])
            (pack / f"{rule_id}.json").write_text(json.dumps(doc))
        return self.windows_path(pack)


class Report:
    def __init__(self, doc):
        self.doc = doc

    def finding(self, rule_id):
        for f in self.doc["findings"]:
            if f["rule"] == rule_id:
                return f
        raise ScenarioFailed(f"no finding for {rule_id}")

    def status(self, rule_id):
        return self.finding(rule_id)["status"]

    def expect_status(self, rule_id, status):
        f = self.finding(rule_id)
        expect(f["status"] == status, f"{rule_id}: expected {status}, got {f['status']}: {f['explanation']}", f)
        return f

    def evidence(self, rule_id, kind, path, name=None):
        for e in self.finding(rule_id)["evidence"]:
            if e["kind"] == kind and e.get("path") == path and (name is None or e.get("name") == name):
                return e
            if kind == "service" and e["kind"] == "service" and e.get("name") == path:
                return e
        raise ScenarioFailed(f"{rule_id}: no {kind} evidence for {path} {name or ''}", self.finding(rule_id))


# --- scenarios ---------------------------------------------------------------------------

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def defaults_by_build_and_edition(p):
    """Nothing configured: Windows' defaults decide, and they follow build and edition."""
    p.windows_version(26100, 2314, "Professional", "Windows 11 Pro")
    r = p.audit()
    host = r.doc["host"]
    expect(host["os_build"] == 26100 and host["ubr"] == 2314 and host["edition"] == "Professional", "host facts", host)
    expect(host["role"] == "workstation" and host["domain_joined"] is False, "role and membership", host)
    f = r.expect_status("insecure-guest-logons-disabled", "pass")
    expect(any(e["kind"] == "default" and e["decided"] for e in f["evidence"]), "decided by the default", f)
    r.expect_status("smb-client-signing-required", "pass")
    r.expect_status("smb-server-signing-required", "pass")

    p.windows_version(22631, 4460, "Professional", "Windows 11 Pro")
    r = p.audit()
    r.expect_status("insecure-guest-logons-disabled", "fail")  # Pro allows guest logons before 26100
    r.expect_status("smb-client-signing-required", "fail")
    r.expect_status("smb-server-signing-required", "fail")

    p.windows_version(22631, 4460, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("insecure-guest-logons-disabled", "pass")  # Enterprise blocks them from 16299


@scenario
def smb1(p):
    """SMB1 server switch and driver, SMB1 client driver and the Workstation dependency list."""
    p.windows_version(19045, 5011, "Enterprise", "Windows 10 Enterprise")
    p.reg_key(r"HKLM\SYSTEM\CurrentControlSet\Services\srv")
    p.reg_add(LANMAN_SERVER, "SMB1", "REG_DWORD", 1)
    p.reg_add(r"HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10", "Start", "REG_DWORD", 2)
    p.reg_add(LANMAN_WORKSTATION, "DependOnService", "REG_MULTI_SZ", r"Bowser\0MRxSmb10\0MRxSmb20\0NSI")
    r = p.audit()
    f = r.expect_status("smb1-server-disabled", "fail")
    e = r.evidence("smb1-server-disabled", "registry", LANMAN_SERVER, "SMB1")
    expect(e["present"] and e["type"] == "REG_DWORD" and e["data"] == 1 and e["decided"], "SMB1 = 1 decided", f)
    r.expect_status("smb1-client-disabled", "fail")

    p.reg_add(LANMAN_SERVER, "SMB1", "REG_DWORD", 0)
    p.reg_add(r"HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10", "Start", "REG_DWORD", 4)
    p.reg_add(LANMAN_WORKSTATION, "DependOnService", "REG_MULTI_SZ", r"Bowser\0MRxSmb20\0NSI")
    r = p.audit()
    r.expect_status("smb1-server-disabled", "pass")
    f = r.expect_status("smb1-client-disabled", "pass")
    e = r.evidence("smb1-client-disabled", "registry", LANMAN_WORKSTATION, "DependOnService")
    expect(e["type"] == "REG_MULTI_SZ" and e["data"] == ["Bowser", "MRxSmb20", "NSI"], "the MULTI_SZ list", f)


@scenario
def guest_logons(p):
    """The policy value wins over the Workstation service's own value."""
    p.windows_version(26100, 2314, "Professional", "Windows 11 Pro")
    p.reg_add(WORKSTATION_POLICY, "AllowInsecureGuestAuth", "REG_DWORD", 1)
    p.reg_add(WORKSTATION_PARAMS, "AllowInsecureGuestAuth", "REG_DWORD", 0)
    r = p.audit()
    f = r.expect_status("insecure-guest-logons-disabled", "fail")
    e = r.evidence("insecure-guest-logons-disabled", "registry", WORKSTATION_POLICY, "AllowInsecureGuestAuth")
    expect(e["decided"] and e["data"] == 1, "the policy decided", f)

    p.reg_add(WORKSTATION_POLICY, "AllowInsecureGuestAuth", "REG_DWORD", 0)
    p.reg_add(WORKSTATION_PARAMS, "AllowInsecureGuestAuth", "REG_DWORD", 1)
    r.doc = p.audit().doc
    r.expect_status("insecure-guest-logons-disabled", "pass")


@scenario
def webclient(p):
    """WebClient absent passes; installed manual fails; disabled passes (sc create)."""
    p.windows_version(26100, 2314, "Professional", "Windows 11 Pro")
    r = p.audit()
    f = r.expect_status("webclient-disabled", "pass")
    expect(r.evidence("webclient-disabled", "service", "WebClient")["present"] is False, "absent", f)

    p.wine("sc", "create", "WebClient", "binPath=", r"C:\windows\system32\svchost.exe -k LocalService",
           "start=", "demand")
    r = p.audit()
    f = r.expect_status("webclient-disabled", "fail")
    e = r.evidence("webclient-disabled", "service", "WebClient")
    expect(e["present"] and e["start_type"] == "manual" and e["state"] == "stopped", "manual and stopped", f)

    # Wine's sc.exe has no "config": re-create the service disabled instead.
    p.wine("sc", "delete", "WebClient")
    p.wine("sc", "create", "WebClient", "binPath=", r"C:\windows\system32\svchost.exe -k LocalService",
           "start=", "disabled")
    r = p.audit()
    f = r.expect_status("webclient-disabled", "pass")
    expect(r.evidence("webclient-disabled", "service", "WebClient")["start_type"] == "disabled", "disabled", f)


@scenario
def dialect(p):
    """The client floor: the service value, and the policy value only where Windows reads it."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("smb-client-min-dialect", "fail")  # 2.0.2 by default

    p.reg_add(WORKSTATION_PARAMS, "MinSMB2Dialect", "REG_DWORD", 0x311)
    r = p.audit()
    f = r.expect_status("smb-client-min-dialect", "pass")
    e = r.evidence("smb-client-min-dialect", "registry", WORKSTATION_PARAMS, "MinSMB2Dialect")
    expect(e["data"] == 0x311 and e["decided"], "MinSMB2Dialect decided", f)

    # A policy floor of 3.0 is ignored before 24H2 and read on every 26100 build (the Group
    # Policy ships with 24H2; 26100.3613 is only the MDM applicability).
    p.reg_add(WORKSTATION_POLICY, "MinSmb2Dialect", "REG_DWORD", 0x300)
    p.windows_version(22631, 4460, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("smb-client-min-dialect", "pass")
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    f = r.expect_status("smb-client-min-dialect", "fail")
    e = r.evidence("smb-client-min-dialect", "registry", WORKSTATION_POLICY, "MinSmb2Dialect")
    expect(e["data"] == 0x300 and e["decided"], "the policy decided", f)


@scenario
def signing(p):
    """Signing required on both sides, from the service values, before 26100's defaults."""
    p.windows_version(22631, 4460, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("smb-server-signing-required", "fail")
    r.expect_status("smb-client-signing-required", "fail")
    p.reg_add(LANMAN_SERVER, "RequireSecuritySignature", "REG_DWORD", 1)
    p.reg_add(WORKSTATION_PARAMS, "RequireSecuritySignature", "REG_DWORD", 1)
    r = p.audit()
    for rule, key in (("smb-server-signing-required", LANMAN_SERVER),
                      ("smb-client-signing-required", WORKSTATION_PARAMS)):
        f = r.expect_status(rule, "pass")
        e = r.evidence(rule, "registry", key, "RequireSecuritySignature")
        expect(e["data"] == 1 and e["decided"], f"{rule}: the service value decided", f)


@scenario
def netbios_interfaces(p):
    """NetbiosOptions in every NetBT interface subkey, listed live with RegEnumKeyExW (on 19045,
    where the EnableNetbios policy is not read and the node type is the default B-node)."""
    p.windows_version(19045, 5131, "Enterprise", "Windows 10 Enterprise")
    rule = "netbios-name-resolution-restricted"
    f = p.audit().expect_status(rule, "fail")
    expect("is absent" in f["explanation"], "no Interfaces key: nothing disables NetBIOS", f)
    p.reg_add(NETBT_INTERFACES + r"\Tcpip_{1F4E2B3A-0C5D-4E6F-8A9B-0C1D2E3F4A5B}", "NetbiosOptions", "REG_DWORD", 2)
    p.reg_add(NETBT_INTERFACES + r"\Tcpip_{7A8B9C0D-1E2F-4A3B-9C4D-5E6F7A8B9C0D}", "NetbiosOptions", "REG_DWORD", 2)
    r = p.audit()
    f = r.expect_status(rule, "pass")
    expect("all 2 subkeys" in f["explanation"], "both interfaces read", f)
    e = r.evidence(rule, "registry", NETBT_INTERFACES + r"\Tcpip_{7A8B9C0D-1E2F-4A3B-9C4D-5E6F7A8B9C0D}", "NetbiosOptions")
    expect(e["present"] and e["data"] == 2, "the interface's own value as evidence", e)
    # A third interface without the value (its default, 0, lets DHCP decide) fails the rule.
    p.reg_key(NETBT_INTERFACES + r"\Tcpip_{0D1C2B3A-4F5E-4A6B-8C7D-9E0F1A2B3C4D}")
    f = p.audit().expect_status(rule, "fail")
    expect("Tcpip_{0D1C2B3A-4F5E-4A6B-8C7D-9E0F1A2B3C4D}\\NetbiosOptions is absent" in f["explanation"],
           "the interface without the value named", f)


@scenario
def unc_hardened_paths(p):
    """Hardened path values (names with backslashes and wildcards) read by key enumeration.

    Wine always reports a workgroup machine, and the rule applies to domain members only,
    so this scenario audits with a copy of the rule without its applicability condition."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    pack = p.rule_pack(("unc-hardening.json", "unc-hardened-paths", lambda rule: rule.pop("applies_to")))
    r = p.audit("--rules", pack)
    r.expect_status("unc-hardened-paths", "pass")  # Windows hardens both shares by default from build 10240
    p.reg_add(HARDENED_PATHS, r"\\*\SYSVOL", "REG_SZ", "RequireMutualAuthentication=1, RequireIntegrity=1")
    p.reg_add(HARDENED_PATHS, r"\\*\NETLOGON", "REG_SZ", "RequireMutualAuthentication=1, RequireIntegrity=0")
    r = p.audit("--rules", pack)
    f = r.expect_status("unc-hardened-paths", "fail")
    expect("NETLOGON" in f["explanation"], "NETLOGON named", f)
    # Value names hold backslashes and wildcards: read by enumerating the key's values.
    e = r.evidence("unc-hardened-paths", "registry", HARDENED_PATHS, r"\\*\NETLOGON")
    expect(e["present"] and e["type"] == "REG_SZ" and e["data"] == "RequireMutualAuthentication=1, RequireIntegrity=0",
           "the NETLOGON entry as written", f)
    p.reg_add(HARDENED_PATHS, r"\\*\NETLOGON", "REG_SZ", "RequireMutualAuthentication=1, RequirePrivacy=1")
    r = p.audit("--rules", pack)
    r.expect_status("unc-hardened-paths", "pass")


@scenario
def ntlm_audit(p):
    """Incoming and outgoing NTLM auditing in Lsa\\MSV1_0."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("ntlm-incoming-audited", "fail")
    r.expect_status("ntlm-outgoing-audited", "fail")
    p.reg_add(MSV1_0, "AuditReceivingNTLMTraffic", "REG_DWORD", 2)
    p.reg_add(MSV1_0, "RestrictSendingNTLMTraffic", "REG_DWORD", 1)
    r = p.audit()
    f = r.expect_status("ntlm-incoming-audited", "pass")
    expect(r.evidence("ntlm-incoming-audited", "registry", MSV1_0, "AuditReceivingNTLMTraffic")["data"] == 2, "2", f)
    f = r.expect_status("ntlm-outgoing-audited", "pass")
    expect(r.evidence("ntlm-outgoing-audited", "registry", MSV1_0, "RestrictSendingNTLMTraffic")["data"] == 1, "1", f)


@scenario
def firewall_rule(p):
    """An outbound block of TCP 445 on the public profile, read from the FirewallRules key."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    r.expect_status("outbound-smb-blocked", "fail")
    # A rule narrowed to one program does not block SMB as a whole.
    p.reg_add(FIREWALL_RULES, "{7A3C5D11-0C2B-4C55-9E3A-5B8A2D1F0C01}", "REG_SZ",
              "v2.31|Action=Block|Active=TRUE|Dir=Out|Protocol=6|Profile=Public|RPort=445|App=C:\\x.exe|Name=narrow|")
    r = p.audit()
    r.expect_status("outbound-smb-blocked", "fail")
    p.reg_add(FIREWALL_RULES, "{7A3C5D11-0C2B-4C55-9E3A-5B8A2D1F0C02}", "REG_SZ",
              "v2.31|Action=Block|Active=TRUE|Dir=Out|Protocol=6|Profile=Public|RPort=445|Name=Block SMB|")
    # TCP 445 alone is not enough on 26100: the client falls back to SMB over QUIC (UDP 443),
    # and the firewall service must be present and not disabled.
    r = p.audit()
    f = r.expect_status("outbound-smb-blocked", "fail")
    expect("QUIC" in f["explanation"] and "MpsSvc" in f["explanation"], "QUIC and MpsSvc named", f)
    # Wine's own spooler program stands in for the firewall service: it runs as whatever
    # service starts it, which is all the running-state check needs.
    p.wine("sc", "create", "MpsSvc", "binPath=", r"C:\windows\system32\spoolsv.exe", "start=", "auto")
    p.reg_add(FIREWALL_RULES, "{7A3C5D11-0C2B-4C55-9E3A-5B8A2D1F0C03}", "REG_SZ",
              "v2.31|Action=Block|Active=TRUE|Dir=Out|Protocol=17|Profile=Public|RPort=443|Name=Block SMB over QUIC|")
    # Installed and automatic but stopped: a live audit sees that no firewall enforces the rules.
    r = p.audit()
    f = r.expect_status("outbound-smb-blocked", "fail")
    expect("MpsSvc" in f["explanation"] and "stopped" in f["explanation"], "the stopped MpsSvc named", f)
    expect(r.evidence("outbound-smb-blocked", "service", "MpsSvc")["state"] == "stopped", "state stopped", f)
    p.wine("sc", "start", "MpsSvc", check=False)  # Wine's sc may report a timeout for a service that started
    p.wait_for_service_state("MpsSvc", "RUNNING")
    r = p.audit()
    f = r.expect_status("outbound-smb-blocked", "pass")
    # The rule that blocks decided, not the narrowed one.
    e = r.evidence("outbound-smb-blocked", "registry", FIREWALL_RULES, "{7A3C5D11-0C2B-4C55-9E3A-5B8A2D1F0C02}")
    expect(e["decided"] and "Name=Block SMB" in e["data"], "the blocking rule decided", f)
    expect(not any(x.get("name", "").endswith("0C01}") and x["decided"] for x in f["evidence"]),
           "the narrowed rule decided nothing", f)


@scenario
def smb_wmi_namespace_missing(p):
    """Wine has no root\\Microsoft\\Windows\\SMB: the WMI read is unknown with its HRESULT."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.audit()
    # The pack's SMB WMI sources say when_unavailable: skip, so the registry decides, and the
    # unknown WMI read stays in the evidence, never counted as a pass or a fail.
    for rule in ("smb1-server-disabled", "smb-server-signing-required", "insecure-guest-logons-disabled"):
        f = r.finding(rule)
        wmi = [e for e in f["evidence"] if e["kind"] == "wmi" and e["path"].startswith(SMB_NAMESPACE + ":")]
        expect(wmi, f"{rule}: SMB WMI evidence", f)
        for e in wmi:
            expect(e["status"] == "unknown" and "0x8004100E" in e["message"] and not e["decided"],
                   f"{rule}: unknown with the HRESULT", f)
    # A rule whose only source is that namespace is unknown: not a pass, not a fail.
    def wmi_only(rule):
        rule["check"]["any_of"] = rule["check"]["any_of"][:1]
        rule["check"]["any_of"][0]["setting"]["sources"] = rule["check"]["any_of"][0]["setting"]["sources"][:1]
        del rule["check"]["any_of"][0]["setting"]["sources"][0]["when_unavailable"]
    r = p.audit("--rules", p.rule_pack(("smb1.json", "smb1-server-disabled", wmi_only)))
    f = r.expect_status("smb1-server-disabled", "unknown")
    expect("0x8004100E" in f["explanation"], "the HRESULT in the explanation", f)
    expect(r.doc["counts"]["total"]["unknown"] == 1 and r.doc["score"]["overall"] is None, "not scored", r.doc)


@scenario
def collection_counts(p):
    """A full live audit reads each fact once: the registry keys, services and WMI classes of
    the plan, plus the two host keys (CurrentVersion, ProductOptions). Prints the time taken."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    r = p.smbaudit("audit", "-v", "--format", "json")
    expect(r.returncode == 0, f"audit exited {r.returncode}: {r.stderr}")
    plan = re.search(r"the plan reads (\d+) registry keys, (\d+) services, (\d+) WMI classes", r.stderr)
    done = re.search(r"(\d+) registry keys read, (\d+) services queried, (\d+) WMI namespace connections, "
                     r"(\d+) WMI queries, (\d+) netapi calls in (\d+) ms", r.stderr)
    expect(plan and done, f"-v logs the plan and the collection: {r.stderr}")
    keys, services, classes = map(int, plan.groups())
    read, queried, connections, queries, netapi, ms = map(int, done.groups())
    # Keys read for the layers over the host (the MDM store's areas) are said apart.
    layered = re.search(r"; (\d+) of the registry keys for the layers over the host", r.stderr)
    keys += int(layered.group(1)) if layered else 0
    namespaces = {e["path"].split(":")[0] for f in json.loads(r.stdout)["findings"] for e in f["evidence"]
                  if e["kind"] == "wmi"}
    expect(keys <= read <= keys + 2, f"{read} registry reads for {keys} planned keys and 2 host keys", r.stderr)
    expect(queried == services, f"{queried} service queries for {services} planned services", r.stderr)
    expect(connections <= len(namespaces), f"{connections} WMI connections for {len(namespaces)} namespaces",
           r.stderr)
    # One query per class, and one more for a class with no instances (is it there at all?).
    expect(queries <= 2 * classes, f"{queries} WMI queries for {classes} classes", r.stderr)
    print(f"live audit under Wine: {r.seconds * 1000:.0f} ms for the process, {ms} ms collecting; "
          f"{read} registry keys, {queried} services, {connections} WMI connections, {queries} WMI queries, "
          f"{netapi} netapi calls")


@scenario
def read_only(p):
    """An audit (and a collect) leaves HKLM\\SYSTEM and HKLM\\SOFTWARE exactly as they were."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    p.wine("sc", "create", "WebClient", "binPath=", r"C:\windows\system32\svchost.exe -k LocalService",
           "start=", "demand")

    def export():
        out = {}
        for hive in ("SYSTEM", "SOFTWARE"):
            path = p.scratch / f"{hive}-{time.monotonic_ns()}.reg"
            p.wine("reg", "export", f"HKLM\\{hive}", p.windows_path(path), "/y")
            out[hive] = path.read_bytes()
        return out

    # Wine's display driver, finding no X server, may record a new Control\Video\{GUID} key
    # (one value, DriverError) for a process that brings up user32: seen for the audit and the
    # collect under load, not when idle. Wine's writes, not smbaudit's: that subtree is left out.
    def without_wine_video(text):
        out, skip = [], False
        for line in text.splitlines():
            if line.startswith("["):
                skip = line.upper().startswith("[HKEY_LOCAL_MACHINE\\SYSTEM\\CURRENTCONTROLSET\\CONTROL\\VIDEO\\")
            if not skip:
                out.append(line)
        return out

    before = export()
    p.audit()
    c = p.smbaudit("collect", "--timeout", "120", "--output", p.windows_path(p.scratch / "facts.json"))
    expect(c.returncode == 0 and (p.scratch / "facts.json").stat().st_size > 1000, f"collect exited {c.returncode}: {c.stderr}")
    after = export()
    for hive in before:
        expect(len(before[hive]) > 10000, f"HKLM\\{hive} exported")
        old = without_wine_video(before[hive].decode("utf-16", "replace"))
        new = without_wine_video(after[hive].decode("utf-16", "replace"))
        if old != new:
            changed = "\n".join(list(difflib.unified_diff(old, new, lineterm="", n=2))[:40])
            expect(False, f"HKLM\\{hive} changed during the audit:\n{changed}")


@scenario
def collect_then_audit(p):
    """collect writes a snapshot that, audited with --facts, gives the live verdicts."""
    p.windows_version(26100, 2314, "Professional", "Windows 11 Pro")
    p.reg_add(WORKSTATION_POLICY, "AllowInsecureGuestAuth", "REG_DWORD", 1)
    p.reg_add(HARDENED_PATHS, r"\\*\SYSVOL", "REG_SZ", "RequireMutualAuthentication=1, RequireIntegrity=1")
    p.reg_add(LANMAN_WORKSTATION, "DependOnService", "REG_MULTI_SZ", r"Bowser\0MRxSmb20\0NSI")
    facts = p.scratch / "facts.json"
    c = p.smbaudit("collect", "--timeout", "120", "--output", p.windows_path(facts))
    expect(c.returncode == 0, f"collect exited {c.returncode}: {c.stderr}")
    snapshot = json.loads(facts.read_text())
    expect(snapshot["schema"] == "smbaudit-facts/1" and snapshot["host"]["os_build"] == 26100, "snapshot", snapshot)
    live = p.audit()
    offline = p.audit("--facts", p.windows_path(facts))
    expect(offline.doc["source"]["kind"] == "snapshot", "audited the snapshot", offline.doc["source"])
    for f in live.doc["findings"]:
        g = offline.finding(f["rule"])
        expect((f["status"], f["explanation"]) == (g["status"], g["explanation"]),
               f"{f['rule']}: live and snapshot differ", {"live": f, "snapshot": g})


@scenario
def unreachable_host(p):
    """An unreachable --computer is an error report for that host and exit 3; the others are audited."""
    name = p.wine("hostname").stdout.strip()
    expect(name, "Wine names this computer")
    hosts = p.scratch / "hosts.txt"
    hosts.write_text(f"# test hosts\n{name}\nsmbaudit-unreachable.invalid\n")
    out = p.windows_path(p.scratch) + "\\{host}.json"
    r = p.smbaudit("audit", "--computer-list", p.windows_path(hosts), "--timeout", "10", "--output", out)
    expect(r.returncode == 3, f"exit {r.returncode}, expected 3: {r.stderr}")
    expect(r.seconds < 10, f"took {r.seconds:.1f} s, more than --timeout")
    expect("smbaudit-unreachable.invalid" in r.stderr and "RegConnectRegistryW" in r.stderr, r.stderr)
    failed = Report(json.loads((p.scratch / "smbaudit-unreachable.invalid.json").read_text()))
    for f in failed.doc["findings"]:
        expect(f["status"] == "error", f"{f['rule']}: expected error", f)
        expect(any("RegConnectRegistryW" in (e.get("message") or "") for e in f["evidence"]), "the cause", f)
    reached = Report(json.loads((p.scratch / f"{name}.json").read_text()))
    # The build comes from the remote registry (RegConnectRegistryW to this prefix's own name).
    expect(reached.doc["source"]["description"] == f"remote host {name}" and reached.doc["host"]["os_build"],
           "read through the remote registry", reached.doc)
    expect(reached.doc["counts"]["total"]["pass"] > 0, "the reachable host was audited", reached.doc["counts"])
    # collect records the failure in the snapshot; auditing that snapshot later fails the same way.
    snapshot = p.scratch / "unreachable-facts.json"
    r = p.smbaudit("collect", "--computer", "smbaudit-unreachable.invalid", "--output", p.windows_path(snapshot))
    expect(r.returncode == 3, f"collect exit {r.returncode}, expected 3: {r.stderr}")
    recorded = json.loads(snapshot.read_text())
    expect("RegConnectRegistryW" in recorded.get("collection_error", ""), "the cause in the snapshot", recorded)
    later = p.audit("--facts", p.windows_path(snapshot), expect_code=3)
    expect(all(f["status"] == "error" for f in later.doc["findings"]), "every finding an error", later.doc)
    # Several hosts cannot share one report file or standard output.
    r = p.smbaudit("audit", "--computer", name, "--computer", "other", "--format", "json")
    expect(r.returncode == 2 and "standard output" in r.stderr, f"exit {r.returncode}: {r.stderr}")



@scenario
def fleet_parallel(p):
    """--parallel 4 over a computer list holding this prefix's own name (and again in two other
    spellings, which are the same host) and three unreachable names: one report per host, each
    correct, none for the duplicates; standard error, not a terminal here as in a scheduled
    task, gets no progress, only the log lines and the final line. Then collect does the same,
    and resumes with --skip-existing without contacting any host again."""
    name = p.wine("hostname").stdout.strip()
    expect(name, "Wine names this computer")
    unreachable = [f"smbaudit-unreachable-{i}.invalid" for i in (1, 2, 3)]
    hosts = p.scratch / "fleet.txt"
    hosts.write_text("\n".join(["# the fleet", name, unreachable[0], name.swapcase(), unreachable[1],
                                "\\\\" + name, unreachable[2]]) + "\n")
    reports = p.scratch / "reports"
    reports.mkdir()
    # A generous deadline: under Wine the one reachable host's remote-registry reads can wait
    # behind the unreachable names' connection attempts, and a loaded CI machine once took
    # more than 30 s for the collect below (a timeout is not what this scenario checks;
    # wine_unreachable_host does).
    r = p.smbaudit("audit", "--computer-list", p.windows_path(hosts), "--parallel", "4", "--timeout", "120",
                   "--output", p.windows_path(reports) + "\\{host}.json")
    expect(r.returncode == 3, f"exit {r.returncode}, expected 3: {r.stderr}")
    expect(sorted(f.name for f in reports.iterdir()) == sorted([f"{name}.json"] + [f"{u}.json" for u in unreachable]),
           f"one report per host, none for the duplicates: {sorted(f.name for f in reports.iterdir())}")
    for u in unreachable:
        failed = json.loads((reports / f"{u}.json").read_text())
        expect(failed["host"]["name"] == u, f"{u}: its own report", failed["host"])
        for f in failed["findings"]:
            expect(f["status"] == "error" and any(u in (e.get("message") or "") and "RegConnectRegistryW" in
                                                  (e.get("message") or "") for e in f["evidence"]),
                   f"{u}: {f['rule']} is an error naming the host and the call", f)
    reached = json.loads((reports / f"{name}.json").read_text())
    expect(reached["source"]["description"] == f"remote host {name}" and reached["host"]["os_build"],
           "read through the remote registry", reached)
    expect(reached["counts"]["total"]["pass"] > 0 and reached["counts"]["total"]["error"] < len(reached["findings"]),
           "the reachable host was audited", reached["counts"])
    # (The driver reads standard error as text, which turns a lone carriage return into a newline.)
    expect("in flight" not in r.stderr, f"no progress line when standard error is not a terminal: {r.stderr!r}")
    last = r.stderr.strip().splitlines()[-1]
    m = re.fullmatch(r"smbaudit: 4 hosts: 1 audited, 3 failed to collect \((.*)\), gates tripped on 0", last)
    expect(m, f"the final line: {last}")
    for u in unreachable:
        expect(f"{u}: cannot connect: RegConnectRegistryW" in m.group(1), f"{u} and its cause on the final line: {last}")

    snapshots = p.scratch / "snapshots"
    snapshots.mkdir()
    collect = ["collect", "--computer-list", p.windows_path(hosts), "--parallel", "4", "--timeout", "120",
               "--output", p.windows_path(snapshots) + "\\{host}-{date}.json"]
    r = p.smbaudit(*collect)
    expect(r.returncode == 3, f"collect exit {r.returncode}, expected 3: {r.stderr}")
    written = {f.name: json.loads(f.read_text()) for f in snapshots.iterdir()}
    expect(len(written) == 4, f"one snapshot per host: {sorted(written)}")
    for file_name, snapshot in written.items():
        host = snapshot["host"]["name"]
        expect(file_name.startswith(host + "-"), f"{file_name} holds {host}")
        if host in unreachable:
            expect("RegConnectRegistryW" in snapshot.get("collection_error", ""), f"{host}: the cause", snapshot)
        else:
            expect(host == name and snapshot.get("registry") and "collection_error" not in snapshot,
                   f"{host}: the facts", snapshot.get("collection_error"))
    expect(r.stderr.strip().splitlines()[-1].startswith("smbaudit: 4 hosts: 1 collected, 3 failed to collect ("),
           f"the final line: {r.stderr}")
    before = {f.name: f.stat().st_mtime_ns for f in snapshots.iterdir()}
    r = p.smbaudit(*collect, "--skip-existing")
    expect(r.returncode == 0, f"resumed collect exit {r.returncode}, expected 0: {r.stderr}")
    last = r.stderr.strip().splitlines()[-1]
    expect(last == "smbaudit: 4 hosts: 0 collected, 0 failed to collect, 4 skipped (already done for this date)",
           f"the final line: {last}")
    expect("RegConnectRegistryW" not in r.stderr, f"no host was contacted again: {r.stderr}")
    expect(before == {f.name: f.stat().st_mtime_ns for f in snapshots.iterdir()}, "no snapshot rewritten")


LSA = r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa"
WEBCLIENT_BIN = r"C:\windows\system32\svchost.exe -k LocalService"
# Report fields that say when, not what was found (the report has no durations).
TIMING_FIELDS = ("generated_at", "collected_at")


def without_timing(node):
    if isinstance(node, dict):
        return {k: without_timing(v) for k, v in node.items() if k not in TIMING_FIELDS}
    if isinstance(node, list):
        return [without_timing(v) for v in node]
    return node


def automatic_rules(gpo_table):
    """Rule ids in the gpo table's first table (rules with an automatic fix), before its manual sections."""
    rules = []
    for line in gpo_table.split("\n"):
        if line.startswith("## "):
            break
        m = re.match(r"\| `([a-z0-9-]+)` \|", line)
        if m:
            rules.append(m.group(1))
    return rules


@scenario
def remediate_reg_roundtrip(p):
    """remediate --format reg on a live audit, imported with `wine regedit /S`, then re-audited.

    The host fails a dozen rules (values set weak, values and keys absent, a REG_MULTI_SZ, a
    service). Every rule the fix .reg changes must pass after it, no rule that passed may fail,
    and after the undo .reg the audit must equal the first one, finding for finding (status,
    explanation, and every piece of evidence: present, type, data), timing aside.

    Outside the .reg: rules whose plan is a manual step (firewall design, account policy,
    updates, features Wine lacks) stay as they were, and the test only requires that they do
    not change. A service start type is in the .reg (the service key's Start value), but the
    service control manager reads it at boot: the test restarts the prefix's wineserver (Wine's
    reboot) after each import, as docs/remediation.md tells an admin to restart."""
    p.windows_version(26100, 2314, "Enterprise", "Windows 11 Enterprise")
    p.reg_key(r"HKLM\SYSTEM\CurrentControlSet\Services\srv")
    p.reg_add(LANMAN_SERVER, "SMB1", "REG_DWORD", 1)
    p.reg_add(LANMAN_SERVER, "RequireSecuritySignature", "REG_DWORD", 0)
    p.reg_add(WORKSTATION_PARAMS, "RequireSecuritySignature", "REG_DWORD", 0)
    p.reg_add(WORKSTATION_POLICY, "AllowInsecureGuestAuth", "REG_DWORD", 1)
    p.reg_add(LSA, "LmCompatibilityLevel", "REG_DWORD", 1)
    p.reg_add(LSA, "NoLMHash", "REG_DWORD", 0)
    p.reg_add(r"HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10", "Start", "REG_DWORD", 2)
    p.reg_add(LANMAN_WORKSTATION, "DependOnService", "REG_MULTI_SZ", r"Bowser\0MRxSmb10\0MRxSmb20\0NSI")
    p.wine("sc", "create", "WebClient", "binPath=", WEBCLIENT_BIN, "start=", "demand")

    def audit(name):
        out = p.scratch / f"{name}.json"
        r = p.smbaudit("audit", "--format", "json", "--output", p.windows_path(out))
        expect(r.returncode in (0, 1) and out.exists(), f"audit {name} exited {r.returncode}: {r.stderr}")
        return Report(json.loads(out.read_text())), out

    def regedit(reg):
        p.wine("regedit", "/S", p.windows_path(reg))
        p.restart()  # the service control manager reads Start values at boot

    before, before_path = audit("before")
    failed = [f["rule"] for f in before.doc["findings"] if f["status"] == "fail"]
    expect(len(failed) >= 10, f"the set-up fails too few rules: {failed}")

    fix, undo = p.scratch / "fix.reg", p.scratch / "fix.undo.reg"
    r = p.smbaudit("remediate", "--report", p.windows_path(before_path), "--format", "reg", "--output",
                   p.windows_path(fix))
    expect(r.returncode == 0 and fix.exists() and undo.exists(), f"remediate exited {r.returncode}: {r.stderr}")
    table = p.scratch / "fix.md"
    r = p.smbaudit("remediate", "--report", p.windows_path(before_path), "--format", "gpo", "--output",
                   p.windows_path(table))
    expect(r.returncode == 0, f"remediate --format gpo exited {r.returncode}: {r.stderr}")
    fixed = automatic_rules(table.read_text())
    reg_text = fix.read_bytes().decode("utf-16")
    for rule in fixed:
        expect(f"\r\n; {rule}: " in reg_text, f"{rule} is automatic in the gpo table but has no block in fix.reg")
    expect(set(fixed) <= set(failed), f"fixes for rules that did not fail: {set(fixed) - set(failed)}")
    expect(len(fixed) >= 8, f"too few automatic fixes to mean anything: {fixed}")

    regedit(fix)
    after, _ = audit("after-fix")
    for rule in fixed:
        after.expect_status(rule, "pass")
    for f in before.doc["findings"]:
        if f["status"] == "pass":
            after.expect_status(f["rule"], "pass")

    regedit(undo)
    restored, _ = audit("after-undo")
    expect(len(restored.doc["findings"]) == len(before.doc["findings"]), "same number of findings")
    for f in before.doc["findings"]:
        g = restored.finding(f["rule"])
        expect(without_timing(f) == without_timing(g), f"{f['rule']}: the undo did not restore the audit",
               {"before": f, "after undo": g})
    for part in set(before.doc) - set(TIMING_FIELDS):
        expect(without_timing(before.doc[part]) == without_timing(restored.doc.get(part)),
               f"the report's {part} differs after the undo", {"before": before.doc[part], "after": restored.doc.get(part)})
    manual = sorted(set(failed) - set(fixed))
    print(f"fixed by the .reg and restored by the undo .reg: {fixed}\nmanual steps (not in the .reg): {manual}")

# --- driver ------------------------------------------------------------------------------


def make_template(args):
    template = Path(args.work) / "template"
    if template.exists():
        shutil.rmtree(template)
    template.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, WINEPREFIX=str(template), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    subprocess.run([args.wine, "wineboot", "--init"], env=env, check=True, timeout=300, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait until wineserver has written the registry to disk and exited, so copies are complete.
    subprocess.run([args.wineserver, "-w"], env=env, check=True, timeout=300)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exe", help="smbaudit.exe")
    parser.add_argument("--work", help="folder for the template and the scenarios' prefixes")
    parser.add_argument("--source-dir", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--wine", default=shutil.which("wine") or "wine")
    parser.add_argument("--wineserver", default=shutil.which("wineserver") or "wineserver")
    parser.add_argument("--keep", action="store_true", help="keep the scenario's prefix for debugging")
    parser.add_argument("step", choices=["template", "list", *SCENARIOS])
    args = parser.parse_args()
    if args.step == "list":
        print(";".join(SCENARIOS))  # a CMake list
        return 0
    if not args.exe or not args.work:
        parser.error("--exe and --work are required")
    args.exe = str(Path(args.exe).resolve())
    args.work = str(Path(args.work).resolve())  # Wine wants an absolute WINEPREFIX
    Path(args.work).mkdir(parents=True, exist_ok=True)
    if args.step == "template":
        make_template(args)
        return 0
    start = time.monotonic()
    with Prefix(args, args.step) as prefix:
        try:
            SCENARIOS[args.step](prefix)
        except ScenarioFailed as e:
            print(f"FAIL {args.step}: {e}", file=sys.stderr)
            return 1
    print(f"PASS {args.step} ({time.monotonic() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
