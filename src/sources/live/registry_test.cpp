#ifdef _WIN32
#include "registry.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../win/handles.h"

namespace smbaudit::live {

using namespace win;
namespace {

std::vector<std::uint8_t> bytes_of(const std::wstring& text, bool with_nul) {
  std::vector<std::uint8_t> out((text.size() + (with_nul ? 1 : 0)) * sizeof(wchar_t), 0);
  std::memcpy(out.data(), text.data(), text.size() * sizeof(wchar_t));
  return out;
}

TEST(ConvertRegistryValue, ReadsEachTypeTheRulesUse) {
  const std::vector<std::uint8_t> dword{0x11, 0x03, 0, 0};
  EXPECT_EQ(convert_registry_value(L"MinSMB2Dialect", REG_DWORD, dword).data, Value{std::int64_t{0x311}});
  const std::vector<std::uint8_t> qword{0, 0, 0, 0, 1, 0, 0, 0};
  EXPECT_EQ(convert_registry_value(L"Q", REG_QWORD, qword).data, Value{std::int64_t{1} << 32});
  auto sz = convert_registry_value(L"S", REG_SZ, bytes_of(L"RequireIntegrity=1", true));
  EXPECT_EQ(sz.type, RegType::Sz);
  EXPECT_EQ(sz.data, Value{std::string("RequireIntegrity=1")});
  auto expand = convert_registry_value(L"E", REG_EXPAND_SZ, bytes_of(L"%SystemRoot%\\x", true));
  EXPECT_EQ(expand.type, RegType::ExpandSz);
  EXPECT_EQ(expand.data, Value{std::string("%SystemRoot%\\x")});  // never expanded
  auto multi = convert_registry_value(L"DependOnService", REG_MULTI_SZ,
                                      bytes_of(std::wstring(L"Bowser\0MRxSmb20\0NSI\0", 21), true));
  EXPECT_EQ(multi.type, RegType::MultiSz);
  EXPECT_EQ(multi.data, Value{(StringList{"Bowser", "MRxSmb20", "NSI"})});
  auto binary = convert_registry_value(L"B", REG_BINARY, std::vector<std::uint8_t>{0x00, 0xff});
  EXPECT_EQ(binary.type, RegType::Binary);
  EXPECT_EQ(binary.data, Value{(Bytes{0x00, 0xff})});
  auto other = convert_registry_value(L"N", REG_NONE, std::vector<std::uint8_t>{0x01});
  EXPECT_EQ(other.type, RegType::Other);
}

TEST(ConvertRegistryValue, ToleratesUnterminatedAndShortData) {
  EXPECT_EQ(convert_registry_value(L"S", REG_SZ, bytes_of(L"abc", false)).data, Value{std::string("abc")});
  EXPECT_EQ(convert_registry_value(L"M", REG_MULTI_SZ, bytes_of(L"a", false)).data, Value{(StringList{"a"})});
  EXPECT_EQ(convert_registry_value(L"D", REG_DWORD, std::vector<std::uint8_t>{0x05}).data, Value{std::int64_t{5}});
  EXPECT_EQ(convert_registry_value(L"D", REG_DWORD, {}).data, Value{std::int64_t{0}});
  EXPECT_EQ(convert_registry_value(L"\u00C4", REG_SZ, {}).name, "\xC3\x84");
}

// A scratch key under HKCU stands in for HKLM: the reader is given HKCU as its root.
class RegistryReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subkey_ = L"Software\\smbaudit-unit-test-" + std::to_wstring(GetCurrentProcessId());
    path_ = "HKLM\\Software\\smbaudit-unit-test-" + std::to_string(GetCurrentProcessId());
    ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, subkey_.c_str(), 0, nullptr, REG_OPTION_VOLATILE, KEY_ALL_ACCESS,
                              nullptr, key_.put(), nullptr),
              ERROR_SUCCESS);
  }
  void TearDown() override {
    key_.reset();
    RegDeleteTreeW(HKEY_CURRENT_USER, subkey_.c_str());
  }
  void set(const wchar_t* name, DWORD type, const void* data, std::size_t size) {
    ASSERT_EQ(RegSetValueExW(key_.get(), name, 0, type, static_cast<const BYTE*>(data), static_cast<DWORD>(size)),
              ERROR_SUCCESS);
  }

  std::wstring subkey_;
  std::string path_;
  UniqueHkey key_;
};

TEST_F(RegistryReaderTest, ReadsEveryValueOfAKeyOnce) {
  const DWORD dword = 0x311;
  const std::uint64_t qword = 7;
  const wchar_t sz[] = L"RequireMutualAuthentication=1, RequireIntegrity=1";
  const wchar_t multi[] = L"Bowser\0MRxSmb20\0NSI\0";
  const std::uint8_t binary[] = {0xde, 0xad};
  set(L"MinSMB2Dialect", REG_DWORD, &dword, sizeof dword);
  set(L"Q", REG_QWORD, &qword, sizeof qword);
  set(L"\\\\*\\SYSVOL", REG_SZ, sz, sizeof sz);
  set(L"DependOnService", REG_MULTI_SZ, multi, sizeof multi);
  set(L"Blob", REG_BINARY, binary, sizeof binary);
  set(L"", REG_SZ, L"default", sizeof(L"default"));

  RegistryReader reader(HKEY_CURRENT_USER);
  auto key = reader.read_key(path_);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->presence, Presence::Present);
  EXPECT_EQ(key->values.size(), 6u);
  ASSERT_NE(key->find("minsmb2dialect"), nullptr);
  EXPECT_EQ(key->find("MinSMB2Dialect")->data, Value{std::int64_t{0x311}});
  EXPECT_EQ(key->find("Q")->type, RegType::Qword);
  EXPECT_EQ(key->find("\\\\*\\SYSVOL")->data, Value{std::string("RequireMutualAuthentication=1, RequireIntegrity=1")});
  EXPECT_EQ(key->find("DependOnService")->data, Value{(StringList{"Bowser", "MRxSmb20", "NSI"})});
  EXPECT_EQ(key->find("Blob")->data, Value{(Bytes{0xde, 0xad})});
  ASSERT_NE(key->find(""), nullptr);
  EXPECT_EQ(key->find("")->data, Value{std::string("default")});

  // A second read of the same key (another rule, or the host facts) comes from the cache.
  EXPECT_TRUE(reader.read_key(path_));
  EXPECT_EQ(reader.reads(), 1);
}

TEST_F(RegistryReaderTest, AMissingKeyIsAbsentNotAnError) {
  RegistryReader reader(HKEY_CURRENT_USER);
  auto key = reader.read_key(path_ + "\\NoSuchKey");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->presence, Presence::Absent);
  auto empty = reader.read_key(path_);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->presence, Presence::Present);
  EXPECT_TRUE(empty->values.empty());
}

TEST(RegistryReader, ReadsTheRealVersionKeyOfThisHost) {
  RegistryReader reader(HKEY_LOCAL_MACHINE);
  auto key = reader.read_key("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
  ASSERT_TRUE(key) << key.error().message;
  ASSERT_NE(key->find("CurrentBuildNumber"), nullptr);
  EXPECT_EQ(key->find("CurrentBuildNumber")->type, RegType::Sz);
}

}  // namespace
}  // namespace smbaudit::live
#endif
