#include "wmi.h"

#include <fmt/format.h>

#include <limits>

#include "../../core/parse.h"
#include "../win/wide.h"
#include "../win/win_error.h"

namespace smbaudit::live {

using namespace win;
namespace {

// "API(what): message (0x...)": `what` names the namespace or class the call was about.
FactError wmi_error(std::string_view api, HRESULT hr, std::string_view what) {
  return FactError{is_missing_namespace_or_class(hr) ? FactProblem::Unknown : FactProblem::Error,
                   describe_hresult(fmt::format("{}({})", api, what), hr)};
}

// One SAFEARRAY element as text (lists are compared as strings, as in a facts file).
std::optional<std::string> element_text(SAFEARRAY* array, VARTYPE type, LONG index) {
  switch (type) {
    case VT_BSTR: {
      // SafeArrayGetElement copies the string: ours to free.
      win::Bstr s;
      if (FAILED(SafeArrayGetElement(array, &index, s.put()))) return std::nullopt;
      return to_utf8(s.view());
    }
    case VT_BOOL: {
      VARIANT_BOOL b = VARIANT_FALSE;
      if (FAILED(SafeArrayGetElement(array, &index, &b))) return std::nullopt;
      return std::string(b ? "true" : "false");
    }
    case VT_I1:
    case VT_UI1:
    case VT_I2:
    case VT_UI2:
    case VT_I4:
    case VT_UI4:
    case VT_INT:
    case VT_UINT:
    case VT_I8:
    case VT_UI8: {
      VARIANT element;
      VariantInit(&element);
      element.vt = type;
      if (FAILED(SafeArrayGetElement(array, &index, &element.llVal))) return std::nullopt;
      Variant as_text;
      if (FAILED(VariantChangeType(as_text.put(), &element, 0, VT_BSTR))) return std::nullopt;
      BSTR s = as_text.get().bstrVal;
      return to_utf8(std::wstring_view(s, SysStringLen(s)));
    }
    default: return std::nullopt;
  }
}

}  // namespace

bool is_missing_namespace_or_class(HRESULT hr) {
  // GetObject answers "not found" for a class the namespace does not define.
  const auto code = static_cast<std::uint32_t>(hr);
  return code == static_cast<std::uint32_t>(WBEM_E_INVALID_NAMESPACE) ||
         code == static_cast<std::uint32_t>(WBEM_E_INVALID_CLASS) ||
         code == static_cast<std::uint32_t>(WBEM_E_NOT_FOUND);
}

std::optional<Value> convert_variant(const VARIANT& v, CIMTYPE cim_type) {
  if (v.vt & VT_ARRAY) {
    SAFEARRAY* array = v.parray;
    StringList out;
    if (!array) return Value{out};
    LONG lower = 0, upper = -1;
    if (FAILED(SafeArrayGetLBound(array, 1, &lower)) || FAILED(SafeArrayGetUBound(array, 1, &upper)))
      return std::nullopt;
    const VARTYPE element = static_cast<VARTYPE>(v.vt & ~VT_ARRAY);
    for (LONG i = lower; i <= upper; ++i) {
      auto text = element_text(array, element, i);
      if (!text) return std::nullopt;
      out.push_back(std::move(*text));
    }
    return Value{std::move(out)};
  }
  switch (v.vt) {
    case VT_EMPTY:
    case VT_NULL: return Value{};
    case VT_BOOL: return Value{v.boolVal != VARIANT_FALSE};
    case VT_I1: return Value{static_cast<std::int64_t>(v.cVal)};
    case VT_UI1: return Value{static_cast<std::int64_t>(v.bVal)};
    case VT_I2: return Value{static_cast<std::int64_t>(v.iVal)};
    case VT_UI2: return Value{static_cast<std::int64_t>(v.uiVal)};
    case VT_I4: return Value{static_cast<std::int64_t>(v.lVal)};
    case VT_UI4: return Value{static_cast<std::int64_t>(v.ulVal)};
    case VT_INT: return Value{static_cast<std::int64_t>(v.intVal)};
    case VT_UINT: return Value{static_cast<std::int64_t>(v.uintVal)};
    case VT_I8: return Value{static_cast<std::int64_t>(v.llVal)};
    case VT_UI8:
      // Above INT64_MAX a number cannot be a Value: keep its digits, as the string path does.
      if (v.ullVal > static_cast<ULONGLONG>(std::numeric_limits<std::int64_t>::max()))
        return Value{fmt::format("{}", v.ullVal)};
      return Value{static_cast<std::int64_t>(v.ullVal)};
    case VT_BSTR: {
      std::string text = v.bstrVal ? to_utf8(std::wstring_view(v.bstrVal, SysStringLen(v.bstrVal))) : std::string();
      // WMI (DCOM automation) carries sint64 and uint64 properties as strings.
      if (cim_type == CIM_SINT64 || cim_type == CIM_UINT64)
        if (auto n = parse_int(text)) return Value{*n};
      return Value{std::move(text)};
    }
    case VT_R4: return Value{fmt::format("{}", v.fltVal)};
    case VT_R8: return Value{fmt::format("{}", v.dblVal)};
    default: return std::nullopt;
  }
}

const WmiReader::Connection& WmiReader::connect(const std::string& name_space) {
  if (auto it = connections_by_namespace_.find(name_space); it != connections_by_namespace_.end()) return *it->second;
  auto connection = std::make_unique<Connection>();
  if (!locator_ && !locator_error_) {
    const HRESULT hr =
        CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER, IID_IWbemLocator, locator_.put_void());
    if (FAILED(hr)) locator_error_ = wmi_error("CoCreateInstance(WbemLocator)", hr, "WMI is not available");
  }
  if (locator_error_) {
    connection->error = locator_error_;
  } else {
    ++connections_;
    const std::wstring path = machine_.empty() ? to_wide(name_space) : L"\\\\" + machine_ + L"\\" + to_wide(name_space);
    const Bstr bpath(path.c_str());
    // Without USE_MAX_WAIT an unreachable remote host can block for minutes; the host's
    // deadline still bounds the whole collection.
    HRESULT hr = locator_->ConnectServer(bpath.get(), nullptr, nullptr, nullptr, WBEM_FLAG_CONNECT_USE_MAX_WAIT,
                                         nullptr, nullptr, connection->services.put());
    if (SUCCEEDED(hr) && !machine_.empty()) {
      // A remote proxy needs impersonation and packet privacy to read anything.
      hr = CoSetProxyBlanket(connection->services.get(), RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_DEFAULT,
                             COLE_DEFAULT_PRINCIPAL, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE,
                             COLE_DEFAULT_AUTHINFO, EOAC_NONE);
      if (FAILED(hr)) connection->error = wmi_error("CoSetProxyBlanket", hr, to_utf8(path));
    } else if (FAILED(hr)) {
      connection->error = wmi_error("IWbemLocator::ConnectServer", hr, to_utf8(path));
    }
  }
  return *connections_by_namespace_.emplace(name_space, std::move(connection)).first->second;
}

FactResult<WmiClassFact> WmiReader::read(const WmiClassRef& ref) {
  if (auto it = classes_.find(ref); it != classes_.end()) return it->second;
  const Connection& connection = connect(ref.name_space);
  const auto remember = [&](FactResult<WmiClassFact> result) {
    classes_.emplace(ref, result);
    return result;
  };
  if (connection.error) return remember(Unexpected(*connection.error));

  ++queries_;
  const std::string where = ref.name_space + ":" + ref.class_name;
  const Bstr language(L"WQL");
  const Bstr query(to_wide("SELECT * FROM " + ref.class_name).c_str());
  ComPtr<IEnumWbemClassObject> rows;
  HRESULT hr = connection.services->ExecQuery(
      language.get(), query.get(), WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, rows.put());
  if (FAILED(hr)) return remember(Unexpected(wmi_error("IWbemServices::ExecQuery", hr, where)));
  if (!machine_.empty()) {
    hr =
        CoSetProxyBlanket(rows.get(), RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_DEFAULT, COLE_DEFAULT_PRINCIPAL,
                          RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, COLE_DEFAULT_AUTHINFO, EOAC_NONE);
    if (FAILED(hr)) return remember(Unexpected(wmi_error("CoSetProxyBlanket", hr, where)));
  }

  WmiClassFact fact;
  for (;;) {
    ComPtr<IWbemClassObject> row;
    ULONG returned = 0;
    hr = rows->Next(static_cast<LONG>(WBEM_INFINITE), 1, row.put(), &returned);
    // A semisynchronous query reports an invalid class here, not from ExecQuery.
    if (FAILED(hr)) return remember(Unexpected(wmi_error("IEnumWbemClassObject::Next", hr, where)));
    if (returned == 0) break;
    WmiInstance instance;
    hr = row->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY);
    if (FAILED(hr)) return remember(Unexpected(wmi_error("IWbemClassObject::BeginEnumeration", hr, where)));
    for (;;) {
      Bstr name;
      Variant value;
      CIMTYPE type = 0;
      hr = row->Next(0, name.put(), value.put(), &type, nullptr);
      if (hr == WBEM_S_NO_MORE_DATA) break;
      if (FAILED(hr)) return remember(Unexpected(wmi_error("IWbemClassObject::Next", hr, where)));
      if (auto converted = convert_variant(value.get(), type))
        instance[to_utf8(std::wstring_view(name.get(), SysStringLen(name.get())))] = std::move(*converted);
    }
    row->EndEnumeration();
    fact.instances.push_back(std::move(instance));
  }
  if (fact.instances.empty()) {
    // "No instances" and "no such class" are different facts, and not every WMI says which
    // from the query (Wine answers an empty result): ask for the class definition.
    ++queries_;
    const Bstr class_name(to_wide(ref.class_name).c_str());
    ComPtr<IWbemClassObject> definition;
    hr = connection.services->GetObject(class_name.get(), 0, nullptr, definition.put(), nullptr);
    if (FAILED(hr)) return remember(Unexpected(wmi_error("IWbemServices::GetObject", hr, where)));
  }
  return remember(fact);
}

}  // namespace smbaudit::live
