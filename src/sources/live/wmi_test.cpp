#ifdef _WIN32
#include "wmi.h"

#include <gtest/gtest.h>

namespace smbaudit::live {

using namespace win;
namespace {

TEST(ConvertVariant, MapsScalarsTheWayAFactsFileHoldsThem) {
  VARIANT v;
  VariantInit(&v);
  v.vt = VT_BOOL;
  v.boolVal = VARIANT_TRUE;
  EXPECT_EQ(convert_variant(v, CIM_BOOLEAN), Value{true});
  v.vt = VT_I4;
  v.lVal = 2000;
  EXPECT_EQ(convert_variant(v, CIM_UINT32), Value{std::int64_t{2000}});
  v.vt = VT_NULL;
  EXPECT_EQ(convert_variant(v, CIM_STRING), Value{});
  v.vt = VT_UNKNOWN;
  v.punkVal = nullptr;
  EXPECT_EQ(convert_variant(v, CIM_OBJECT), std::nullopt);

  Variant text;
  VARIANT* t = text.put();
  t->vt = VT_BSTR;
  t->bstrVal = SysAllocString(L"18446744073709551");
  // WMI hands 64-bit integers over as strings; they come back as numbers.
  EXPECT_EQ(convert_variant(text.get(), CIM_UINT64), Value{std::int64_t{18446744073709551}});
  EXPECT_EQ(convert_variant(text.get(), CIM_STRING), Value{std::string("18446744073709551")});
}

TEST(ConvertVariant, AnUnsigned64BitNumberAboveInt64IsTheSameStringEitherWayItArrives) {
  VARIANT v;
  VariantInit(&v);
  v.vt = VT_UI8;
  v.ullVal = 18446744073709551615ULL;
  EXPECT_EQ(convert_variant(v, CIM_UINT64), Value{std::string("18446744073709551615")});
  v.ullVal = 42;
  EXPECT_EQ(convert_variant(v, CIM_UINT64), Value{std::int64_t{42}});
  Variant text;
  VARIANT* t = text.put();
  t->vt = VT_BSTR;
  t->bstrVal = SysAllocString(L"18446744073709551615");
  EXPECT_EQ(convert_variant(text.get(), CIM_UINT64), Value{std::string("18446744073709551615")});
}

TEST(ConvertVariant, TurnsArraysIntoListsOfStrings) {
  SAFEARRAY* array = SafeArrayCreateVector(VT_I4, 0, 2);
  ASSERT_NE(array, nullptr);
  LONG i = 0;
  LONG one = 1, two = 2;
  SafeArrayPutElement(array, &i, &one);
  i = 1;
  SafeArrayPutElement(array, &i, &two);
  Variant v;
  VARIANT* raw = v.put();
  raw->vt = VT_ARRAY | VT_I4;
  raw->parray = array;
  EXPECT_EQ(convert_variant(v.get(), CIM_UINT32 | CIM_FLAG_ARRAY), Value{(StringList{"1", "2"})});
}

TEST(WmiReader, OnlyAMissingNamespaceOrClassIsUnknownOtherFailuresAreErrors) {
  for (const std::uint32_t missing : {0x8004100Eu, 0x80041010u, 0x80041002u})
    EXPECT_TRUE(is_missing_namespace_or_class(static_cast<HRESULT>(missing))) << std::hex << missing;
  for (const std::uint32_t failed : {0x80041003u, 0x80041001u, 0x80004005u})
    EXPECT_FALSE(is_missing_namespace_or_class(static_cast<HRESULT>(failed))) << std::hex << failed;
}

TEST(WmiReader, ReadsAClassOnceOverOneConnectionPerNamespace) {
  const ComApartment com;
  ASSERT_TRUE(SUCCEEDED(com.result()));
  WmiReader reader(L"");
  auto os = reader.read({"root\\cimv2", "Win32_OperatingSystem"});
  ASSERT_TRUE(os) << os.error().message;
  ASSERT_EQ(os->instances.size(), 1u);
  EXPECT_TRUE(os->instances.front().count("BuildNumber"));
  auto bios = reader.read({"root\\cimv2", "Win32_BIOS"});
  ASSERT_TRUE(bios) << bios.error().message;
  EXPECT_TRUE(reader.read({"root\\cimv2", "Win32_OperatingSystem"}));
  EXPECT_EQ(reader.connections(), 1);
  EXPECT_EQ(reader.queries(), 2);
}

TEST(WmiReader, AMissingNamespaceOrClassIsUnknownWithTheHresult) {
  const ComApartment com;
  ASSERT_TRUE(SUCCEEDED(com.result()));
  WmiReader reader(L"");
  auto ns = reader.read({"root\\smbaudit\\NoSuchNamespace", "MSFT_Anything"});
  ASSERT_FALSE(ns);
  EXPECT_EQ(ns.error().problem, FactProblem::Unknown);
  EXPECT_NE(ns.error().message.find("0x8004100E"), std::string::npos) << ns.error().message;
  auto cls = reader.read({"root\\cimv2", "Smbaudit_NoSuchClass"});
  ASSERT_FALSE(cls);
  EXPECT_EQ(cls.error().problem, FactProblem::Unknown);
  // Windows fails the query with "invalid class"; Wine returns no rows, and then GetObject
  // says "not found": either way the evidence holds the code WMI really returned.
  const std::string& why = cls.error().message;
  EXPECT_TRUE(why.find("invalid class (0x80041010)") != std::string::npos ||
              why.find("IWbemServices::GetObject(root\\cimv2:Smbaudit_NoSuchClass): object not found (0x80041002)") !=
                  std::string::npos)
      << why;
}

}  // namespace
}  // namespace smbaudit::live
#endif
