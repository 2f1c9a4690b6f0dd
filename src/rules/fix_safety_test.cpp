#include "fix_safety.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

TEST(FixSafety, NewItemForceWithoutATestPathGuardIsRefusedBecauseItRecreatesTheKeyEmpty) {
  auto problem = harmful_fix_text(
      "New-Item -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\PassportForWork' -Force | Out-Null; "
      "New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\PassportForWork' -Name Enabled -Value 1 -Force");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("recreates an existing key empty"), std::string::npos) << *problem;
  EXPECT_TRUE(harmful_fix_text("$k = 'HKLM:\\X'; New-Item $k -Force | Out-Null"));
  EXPECT_TRUE(harmful_fix_text("ni $k -Fo"));
  EXPECT_TRUE(harmful_fix_text("New-Item -Force -Path $k"));
  // In a comment too: administrators copy those lines as well.
  EXPECT_TRUE(harmful_fix_text("Set-X -Force  # domain controllers also: New-Item -Path 'HKLM:\\A' -Force"));
}

TEST(FixSafety, NewItemGuardedByTestPathOnTheSamePathIsAllowed) {
  EXPECT_FALSE(
      harmful_fix_text("$k = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\PassportForWork'; "
                       "if (-not (Test-Path $k)) { New-Item -Path $k -Force | Out-Null }; "
                       "New-ItemProperty -Path $k -Name Enabled -PropertyType DWord -Value 1 -Force"));
  EXPECT_FALSE(harmful_fix_text("if (-not (Test-Path -Path 'HKLM:\\A')) { New-Item 'HKLM:\\A' -Force | Out-Null }"));
  // New-Item without -Force fails on an existing key rather than emptying it.
  EXPECT_FALSE(harmful_fix_text("New-Item -Path 'HKLM:\\A'"));
  // New-ItemProperty -Force overwrites one value: what a fix is for.
  EXPECT_FALSE(harmful_fix_text("New-ItemProperty -Path 'HKLM:\\A' -Name B -Value 1 -Force"));
}

TEST(FixSafety, AGuardOnAnotherPathDoesNotCount) {
  EXPECT_TRUE(harmful_fix_text("if (-not (Test-Path $a)) { New-Item -Path $b -Force | Out-Null }"));
  EXPECT_TRUE(harmful_fix_text("if (Test-Path $a) { New-Item -Path $a -Force | Out-Null }"));
}

TEST(FixSafety, CommandsThatDeleteKeysOrValuesAreRefused) {
  for (const char* text : {"Remove-Item -Path 'HKLM:\\A' -Recurse", "Remove-ItemProperty -Path 'HKLM:\\A' -Name B",
                           "Clear-Item 'HKLM:\\A'", "Clear-ItemProperty -Path X -Name Y", "reg delete HKLM\\A /f",
                           "Set-X; reg.exe delete \"HKLM\\A\" /va /f", "$k.DeleteSubKeyTree('A')",
                           "$k.DeleteValue('B')", "Get-Item X | ri", "rp -Path X -Name Y", "reg import old.reg"}) {
    EXPECT_TRUE(harmful_fix_text(text)) << text;
  }
}

TEST(FixSafety, OrdinaryFixesAndProseAreAllowed) {
  for (const char* text :
       {"Set-SmbClientConfiguration -RequireSecuritySignature $true -Force",
        "Stop-Service WebClient -Force -ErrorAction SilentlyContinue; Set-Service WebClient -StartupType Disabled",
        "Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol-Client -NoRestart",
        "reg add HKLM\\A /v B /t REG_DWORD /d 1 /f",
        "Computer Configuration > Administrative Templates > Network > Lanman Workstation > Require Encryption = "
        "Enabled",
        "net accounts /minpwlen:15  # domain: Set-ADDefaultDomainPasswordPolicy -Identity (Get-ADDomain) "
        "-MinPasswordLength 15"}) {
    EXPECT_FALSE(harmful_fix_text(text)) << text << ": " << harmful_fix_text(text).value_or("");
  }
}

}  // namespace
}  // namespace smbaudit
