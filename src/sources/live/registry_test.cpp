#ifdef _WIN32
#include "registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../win/handles.h"

namespace smbaudit::live {

using namespace win;
namespace {

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
