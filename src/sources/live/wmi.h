// Reads WMI classes through COM: one connection per namespace, one query per class,
// each result cached. COM must be initialised (multithreaded) on the calling thread.
#pragma once

#include <windows.h>
// After windows.h, which they need.
#include <oleauto.h>
#include <wbemidl.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "../win/handles.h"
#include "smbaudit/facts.h"

namespace smbaudit::live {

// Converts a property's VARIANT to a value: booleans, integers (WMI's 64-bit integers
// arrive as strings and are parsed back), strings, and arrays as lists of strings;
// nullopt for what a rule cannot compare (embedded objects).
[[nodiscard]] std::optional<Value> convert_variant(const VARIANT& v, CIMTYPE cim_type);

// True when an HRESULT means "this host has no such namespace or class" (an unknown
// fact: invalid namespace, invalid class, or not found), as opposed to a failure to read
// one that exists.
[[nodiscard]] bool is_missing_namespace_or_class(HRESULT hr);

class WmiReader {
 public:
  // `machine` is empty for this host or the name of a remote computer.
  explicit WmiReader(std::wstring machine) : machine_(std::move(machine)) {}

  // Returns every instance of a class with all its properties; a missing namespace or
  // class is Unknown with the HRESULT in the message, any other failure an Error.
  [[nodiscard]] FactResult<WmiClassFact> read(const WmiClassRef& ref);

  [[nodiscard]] int connections() const { return connections_; }
  [[nodiscard]] int queries() const { return queries_; }

 private:
  struct Connection {
    win::ComPtr<IWbemServices> services;
    std::optional<FactError> error;
  };
  const Connection& connect(const std::string& name_space);

  std::wstring machine_;
  win::ComPtr<IWbemLocator> locator_;
  std::optional<FactError> locator_error_;
  std::map<std::string, std::unique_ptr<Connection>, ILess> connections_by_namespace_;
  std::map<WmiClassRef, FactResult<WmiClassFact>> classes_;
  int connections_ = 0;
  int queries_ = 0;
};

}  // namespace smbaudit::live
