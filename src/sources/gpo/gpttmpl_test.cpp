#include "gpttmpl.h"

#include <gtest/gtest.h>

#include "support/gpo_fixtures.h"

namespace smbaudit::gpo {
namespace {

using test_support::gpttmpl_bytes;
using test_support::gpttmpl_with_preamble;

std::string error_of(std::string_view bytes) {
  auto parsed = parse_gpttmpl(bytes);
  EXPECT_FALSE(parsed);
  return parsed ? std::string() : parsed.error();
}

// Lines numbered as the file has them: [Unicode] and Unicode=yes come first.
InfFile parsed(std::string_view sections) {
  auto inf = parse_gpttmpl(gpttmpl_with_preamble(sections));
  EXPECT_TRUE(inf) << inf.error();
  return inf ? *inf : InfFile{};
}

TEST(GptTmpl, ReadsAccountPolicyAndLsaSettingsFromSystemAccess) {
  const InfFile inf = parsed(
      "[System Access]\n"
      "MinimumPasswordLength = 14\n"
      "MaximumPasswordAge = -1\n"
      "LSAAnonymousNameLookup = 0\n"
      "NewAdministratorName = \"Admin, the first\"\n");
  ASSERT_EQ(inf.system_access.size(), 4u);
  EXPECT_EQ(inf.system_access[0], (InfSetting{4, "MinimumPasswordLength", std::int64_t{14}}));
  EXPECT_EQ(inf.system_access[1].value, (std::variant<std::int64_t, std::string>{std::int64_t{-1}}));
  EXPECT_EQ(inf.system_access[2].name, "LSAAnonymousNameLookup");
  EXPECT_EQ(inf.system_access[3].value, (std::variant<std::int64_t, std::string>{std::string("Admin, the first")}));
}

TEST(GptTmpl, ReadsSecurityOptionsOfEveryTypeFromRegistryValues) {
  const InfFile inf = parsed(
      "[Registry Values]\n"
      "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\LmCompatibilityLevel=4,5\n"
      "MACHINE\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters\\RequireSecuritySignature=4,0x1\n"
      "MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\CachedLogonsCount=1,\"10\"\n"
      "MACHINE\\Software\\X\\Path=2,%SystemRoot%\\x\n"
      "MACHINE\\System\\CurrentControlSet\\Control\\SecurePipeServers\\Winreg\\AllowedExactPaths\\Machine=7,"
      "System\\CurrentControlSet\\Control\\ProductOptions,\"a, b\",Software\\Microsoft\n"
      "MACHINE\\Software\\X\\Empty=7,\n"
      "MACHINE\\Software\\X\\Bin=3,00ff 10\n"
      "\"MACHINE\\Software\\X\\Odd=Name\"=4,1\n"
      "USERS\\.DEFAULT\\Software\\X\\Y=4,1\n");
  ASSERT_EQ(inf.registry_values.size(), 8u);
  const auto& lm = inf.registry_values[0];
  EXPECT_EQ(lm.line, 4);
  EXPECT_EQ(lm.key, "System\\CurrentControlSet\\Control\\Lsa");
  EXPECT_EQ(lm.value.name, "LmCompatibilityLevel");
  EXPECT_EQ(lm.value.type, RegType::Dword);
  EXPECT_EQ(lm.value.data, Value{std::int64_t{5}});
  EXPECT_EQ(inf.registry_values[1].value.data, Value{std::int64_t{1}}) << "0x hex, as [MS-GPSB] allows";
  EXPECT_EQ(inf.registry_values[2].value.type, RegType::Sz);
  EXPECT_EQ(inf.registry_values[2].value.data, Value{std::string("10")});
  EXPECT_EQ(inf.registry_values[3].value.type, RegType::ExpandSz);
  EXPECT_EQ(inf.registry_values[3].value.data, Value{std::string("%SystemRoot%\\x")});
  EXPECT_EQ(inf.registry_values[4].value.data,
            (Value{StringList{"System\\CurrentControlSet\\Control\\ProductOptions", "a, b", "Software\\Microsoft"}}));
  EXPECT_EQ(inf.registry_values[5].value.data, Value{StringList{}});
  EXPECT_EQ(inf.registry_values[6].value.data, (Value{Bytes{0x00, 0xFF, 0x10}}));
  EXPECT_EQ(inf.registry_values[7].key, "Software\\X");
  EXPECT_EQ(inf.registry_values[7].value.name, "Odd=Name");
  ASSERT_EQ(inf.skipped.size(), 1u);
  EXPECT_EQ(inf.skipped[0].line, 12);
}

TEST(GptTmpl, ReadsServiceStartModesAndSkipsSectionsTheAuditDoesNotUse) {
  const InfFile inf = parsed(
      "[Privilege Rights]\n"
      "SeNetworkLogonRight = *S-1-5-32-544\n"
      "[Registry Keys]\n"
      "\"MACHINE\\SOFTWARE\\X\",0,\"D:PAR(A;CI;KA;;;BA)\"\n"
      "; a comment\n"
      "\n"
      "[Service General Setting]\n"
      "\"WebClient\",4,\"\"\n"
      "Spooler,4,\"D:AR(A;;CCLCSWRPWPDTLOCRRC;;;BA)\"\n");
  ASSERT_EQ(inf.services.size(), 2u);
  EXPECT_EQ(inf.services[0], (InfService{10, "WebClient", 4, ""}));
  EXPECT_EQ(inf.services[1].name, "Spooler");
  EXPECT_EQ(inf.services[1].sddl, "D:AR(A;;CCLCSWRPWPDTLOCRRC;;;BA)");
  EXPECT_TRUE(inf.registry_values.empty());
}

TEST(GptTmpl, AcceptsLfLineEndingsAndTheVersionSectionFirst) {
  const std::string text = "[Version]\nsignature=\"$CHICAGO$\"\n[System Access]\nMinimumPasswordLength = 8\n";
  std::string bytes = "\xFF\xFE" + test_support::utf16(text);
  const auto inf = parse_gpttmpl(bytes);
  ASSERT_TRUE(inf) << inf.error();
  EXPECT_EQ(inf->system_access.at(0).line, 4);
}

TEST(GptTmpl, RefusesATemplateThatIsNotUtf16WithItsBom) {
  EXPECT_EQ(error_of("[Unicode]\r\nUnicode=yes\r\n"),
            "not UTF-16LE with a byte order mark, as a security template must be ([MS-GPSB] 2.2)");
  EXPECT_EQ(error_of(gpttmpl_with_preamble("") + "x"), "UTF-16 text with an odd number of bytes (truncated?)");
  EXPECT_EQ(error_of(gpttmpl_bytes("[System Access]\nMinimumPasswordLength = 8\n")),
            "no [Version] section with signature=\"$CHICAGO$\": not a security template ([MS-GPSB] 2.2)");
  EXPECT_EQ(error_of(gpttmpl_bytes("[Version]\nsignature=\"$WINDOWS 95$\"\n")),
            "line 2: the signature '$WINDOWS 95$' is not \"$CHICAGO$\": not a security template");
}

TEST(GptTmpl, EveryMalformedLineIsOneErrorNamingItsLine) {
  const auto bad = [](std::string_view sections) { return error_of(gpttmpl_with_preamble(sections)); };
  EXPECT_EQ(error_of(gpttmpl_bytes("MinimumPasswordLength = 8\n")),
            "line 1: 'MinimumPasswordLength = 8' outside any section");
  EXPECT_EQ(bad("[System Access\n"), "line 3: a malformed section header '[System Access'");
  EXPECT_EQ(bad("[]\n"), "line 3: a malformed section header '[]'");
  EXPECT_EQ(bad("[System Access]\nMinimumPasswordLength\n"), "line 4: 'MinimumPasswordLength' is not 'Name = value'");
  EXPECT_EQ(bad("[System Access]\nMinimumPasswordLength = fourteen\n"),
            "line 4: the value of MinimumPasswordLength is neither a number nor a quoted string: 'fourteen'");
  EXPECT_EQ(bad("[System Access]\nMinimumPasswordLength = 99999999999\n"),
            "line 4: the value of MinimumPasswordLength is neither a number nor a quoted string: '99999999999'");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y\n"),
            "line 4: 'MACHINE\\Software\\X\\Y' is not 'MACHINE\\path\\name=type,data'");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=4\n"),
            "line 4: 'MACHINE\\Software\\X\\Y=4' has no 'type,data' after '='");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=four,1\n"),
            "line 4: the registry value type 'four' is not a number");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=11,1\n"),
            "line 4: unknown registry value type 11 (1, 2, 3, 4 or 7, [MS-GPSB] 2.2.5)");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=4,-1\n"),
            "line 4: '-1' is not a REG_DWORD (0 to 4294967295, decimal or 0x hex)");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=4,4294967296\n"),
            "line 4: '4294967296' is not a REG_DWORD (0 to 4294967295, decimal or 0x hex)");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=3,0g\n"),
            "line 4: the REG_BINARY data '0g' is not hex digits");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\X\\Y=3,0\n"),
            "line 4: the REG_BINARY data '0' is not hex digits");
  EXPECT_EQ(bad("[Registry Values]\nSOFTWARE\\X\\Y=4,1\n"),
            "line 4: the registry path 'SOFTWARE\\X\\Y' does not start with MACHINE\\ (or USERS\\, CLASSES_ROOT\\)");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Y=4,1\n"),
            "line 4: the registry path 'MACHINE\\Y' names no key and value");
  EXPECT_EQ(bad("[Registry Values]\nMACHINE\\Software\\\\Y=4,1\n"),
            "line 4: the key path 'Software\\' has an empty component");
  EXPECT_EQ(bad("[Registry Values]\n\"MACHINE\\Software\\X\\Y=4,1\n"),
            "line 4: a quoted registry value name without its closing quote");
  EXPECT_EQ(bad("[Service General Setting]\n\"WebClient\",4\n"),
            "line 4: '\"WebClient\",4' is not '\"Name\",mode,\"SDDL\"'");
  EXPECT_EQ(bad("[Service General Setting]\n\"WebClient\",1,\"\"\n"),
            "line 4: the start mode '1' of WebClient is not 2, 3 or 4");
  EXPECT_EQ(bad("[Service General Setting]\n\"\",4,\"\"\n"), "line 4: a service setting without a service name");
  EXPECT_EQ(bad("[System Access]\nMinimumPasswordLength = \x01\n"), "line 4: a control character in the line");
}

TEST(GptTmpl, WhatTheWriterWritesReadsBackAsTheSameTemplate) {
  InfFile inf;
  inf.system_access = {{0, "MinimumPasswordLength", std::int64_t{14}}, {0, "NewGuestName", std::string("Visitor x")}};
  inf.registry_values = {
      {0, "System\\CurrentControlSet\\Control\\Lsa", {"LmCompatibilityLevel", RegType::Dword, std::int64_t{5}}},
      {0, "Software\\X", {"S", RegType::Sz, std::string(" spaced, with comma ")}},
      {0, "Software\\X", {"E", RegType::ExpandSz, std::string("%SystemRoot%")}},
      {0, "Software\\X", {"M", RegType::MultiSz, StringList{"a", "b, c", " d"}}},
      {0, "Software\\X", {"B", RegType::Binary, Bytes{0, 0xAB}}},
      {0, "Software\\X", {"Odd=Name", RegType::Dword, std::int64_t{0xFFFFFFFF}}},
  };
  inf.services = {{0, "WebClient", 4, ""}, {0, "Spooler", 3, "D:AR(A;;CC;;;BA)"}};
  inf.skipped = {{0, "USERS\\.DEFAULT\\Software\\X\\Y=4,1"}};
  const auto bytes = write_gpttmpl(inf);
  ASSERT_TRUE(bytes) << bytes.error();
  auto back = parse_gpttmpl(*bytes);
  ASSERT_TRUE(back) << back.error();
  // Line numbers are the written file's; everything else must come back as it went in.
  for (auto& s : back->system_access) s.line = 0;
  for (auto& v : back->registry_values) v.line = 0;
  for (auto& s : back->services) s.line = 0;
  for (auto& s : back->skipped) s.line = 0;
  EXPECT_EQ(*back, inf);
}

TEST(GptTmpl, TheWriterRefusesWhatTheFormatCannotCarry) {
  const auto refuses = [](InfRegistryValue v) {
    InfFile inf;
    inf.registry_values = {std::move(v)};
    return !write_gpttmpl(inf);
  };
  EXPECT_TRUE(refuses({0, "Software\\X", {"Q", RegType::Qword, std::int64_t{1}}}));
  EXPECT_TRUE(refuses({0, "Software\\X", {"S", RegType::Sz, std::string("a \"quote\"")}}));
  EXPECT_TRUE(refuses({0, "Software\\X", {"S", RegType::Sz, std::string("two\nlines")}}));
  EXPECT_TRUE(refuses({0, "Software\\X", {"M", RegType::MultiSz, StringList{""}}}));
  EXPECT_TRUE(refuses({0, "Software\\\\X", {"D", RegType::Dword, std::int64_t{1}}}));
  InfFile service;
  service.services = {{0, "WebClient", 1, ""}};
  EXPECT_FALSE(write_gpttmpl(service));
}

}  // namespace
}  // namespace smbaudit::gpo
