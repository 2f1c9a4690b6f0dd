#include "live_source.h"

#include <fmt/format.h>
#include <windows.h>
// After windows.h, which it needs.
#include <objbase.h>

#include <atomic>
#include <optional>

#include "../deadline.h"
#include "../host_description.h"
#include "../subkeys.h"
#include "../win/handles.h"
#include "../win/wide.h"
#include "../win/win_error.h"
#include "host.h"
#include "registry.h"
#include "services.h"
#include "wmi.h"

namespace smbaudit::live {

using namespace win;
namespace {

using Clock = std::chrono::steady_clock;

// Everything one host's collection owns. Worker threads hold it through a shared_ptr, so
// a worker abandoned at the deadline never outlives what it touches.
//
// Several hosts at once (--parallel): each host has its own Session, and nothing in it is
// shared with another host's, so hosts never contend and no lock is needed:
// - Registry: RegConnectRegistryW gives each host its own remote HKLM handle, and each
//   Session its own RegistryReader over it. Handles are not tied to a thread, so host() and
//   collect() may run on different threads; they never run at the same time (the LiveSource
//   calls them one after the other and refuses further calls once it gave up on a worker).
// - Service control manager: one SC_HANDLE per collect_services call, closed before it returns.
// - WMI (COM): COM state belongs to threads, not objects. collect_wmi joins the process's
//   multithreaded apartment (CoInitializeEx(COINIT_MULTITHREADED)) on the thread that runs it
//   and leaves it on return; the locator, the IWbemServices proxies and the enumerators are
//   created, used and released on that one thread, inside that apartment membership, and
//   never handed to another host. The MTA is one per process and free-threaded, so many
//   workers in it at once is what it is for. CoInitializeSecurity is process-wide: the first
//   worker to call it sets it (each calls it before any other COM call, so no COM call ever
//   runs with COM's implicit defaults), and the others get RPC_E_TOO_LATE, which keeps those
//   same settings; each remote proxy gets its own blanket (CoSetProxyBlanket) besides.
// - netapi (DsRoleGetPrimaryDomainInformation, NetUserModalsGet): stateless RPCs, each
//   buffer freed by its caller.
// A worker given up on (see run_until) may still be inside one of these calls: it keeps its
// Session alive through the shared_ptr and touches nothing else.
class Session {
 public:
  Session(std::string computer, std::string display_name)
      : computer_(std::move(computer)), machine_(to_wide(computer_)), name_(std::move(display_name)) {}

  [[nodiscard]] bool remote() const { return !computer_.empty(); }
  [[nodiscard]] const std::string& name() const { return name_; }
  // What the worker is doing now ("querying WMI"), for the message of a host that stops
  // answering: which service of the host to look at. Safe to read from any thread.
  [[nodiscard]] const char* stage() const { return stage_.load(); }
  void set_stage(const char* stage) { stage_ = stage; }

  Expected<HostFacts, CollectError> read_host() {
    const auto started = Clock::now();
    HKEY hklm = HKEY_LOCAL_MACHINE;
    stage_ = "connecting to the remote registry";
    if (remote()) {
      const std::wstring unc = L"\\\\" + machine_;
      const LSTATUS rc = RegConnectRegistryW(unc.c_str(), HKEY_LOCAL_MACHINE, remote_hklm_.put());
      if (rc != ERROR_SUCCESS) {
        const std::string why =
            describe_win32(fmt::format("RegConnectRegistryW(\\\\{})", computer_), static_cast<DWORD>(rc));
        return Unexpected(
            CollectError{CollectFailure::CollectionFailed, fmt::format("{}: cannot connect: {}", name_, why), name_});
      }
      hklm = remote_hklm_.get();
    }
    registry_.emplace(hklm);
    stage_ = "reading the registry";
    // Read through the reader's cache, so a rule that reads the same key does not read it again.
    HostKeys keys;
    keys.current_version = registry_->read_key(std::string(kCurrentVersionKey));
    keys.product_options = registry_->read_key(std::string(kProductOptionsKey));
    HostFacts host = describe_host(keys);
    host.name = name_;
    host.collected_at = utc_timestamp();
    ++netapi_calls_;
    stage_ = "asking netapi for the domain membership";
    read_membership(server(), host);
    // Elevation describes this process's token; a remote session's rights are its own.
    if (!remote()) read_elevation(host);
    spent_ += Clock::now() - started;
    return host;
  }

  FactSet collect(const FactPlan& plan) {
    const auto started = Clock::now();
    FactSet facts;
    stage_ = "reading the registry";
    for (const auto& key : plan.registry_keys) facts.registry.emplace(key, registry_->read_key(key));
    // Reading the live registry fails key by key, never the collection as a whole.
    (void)collect_subkeys(
        plan, facts,
        [this](const std::string& key) -> Expected<FactResult<std::vector<std::string>>, CollectError> {
          return registry_->subkeys(key);
        },
        [this](const std::string& key) -> Expected<FactResult<RegistryKeyFact>, CollectError> {
          return registry_->read_key(key);
        });
    stage_ = "querying the service control manager";
    if (!plan.services.empty()) collect_services(plan, facts);
    if (plan.account_policy) {
      ++netapi_calls_;
      stage_ = "asking netapi for the account policy";
      facts.account_policy = read_account_policy(server());
    }
    stage_ = "querying WMI";
    if (!plan.wmi_classes.empty()) collect_wmi(plan, facts);
    stage_ = "done";
    spent_ += Clock::now() - started;
    return facts;
  }

  [[nodiscard]] std::string summary() const {
    return fmt::format(
        "{}: {} registry keys read, {} services queried, {} WMI namespace connections, {} WMI queries, {} netapi calls "
        "in {} ms",
        name_, registry_ ? registry_->reads() : 0, service_queries_, wmi_connections_, wmi_queries_, netapi_calls_,
        std::chrono::duration_cast<std::chrono::milliseconds>(spent_).count());
  }

 private:
  [[nodiscard]] std::wstring server() const { return remote() ? L"\\\\" + machine_ : std::wstring(); }

  void collect_services(const FactPlan& plan, FactSet& facts) {
    const std::wstring machine = server();
    UniqueScHandle scm(OpenSCManagerW(machine.empty() ? nullptr : machine.c_str(), nullptr, SC_MANAGER_CONNECT));
    if (!scm) {
      const FactError e{FactProblem::Error, describe_win32("OpenSCManagerW", GetLastError())};
      for (const auto& name : plan.services) facts.services.emplace(name, Unexpected(e));
      return;
    }
    ServiceReader reader(scm.get());
    for (const auto& name : plan.services) facts.services.emplace(name, reader.read(name));
    service_queries_ += reader.queries();
  }

  void collect_wmi(const FactPlan& plan, FactSet& facts) {
    const ComApartment apartment;
    HRESULT hr = apartment.result();
    if (FAILED(hr) && hr != RPC_E_CHANGED_MODE) {
      const FactError e{FactProblem::Error, describe_hresult("CoInitializeEx", hr)};
      for (const auto& cls : plan.wmi_classes) facts.wmi.emplace(cls, Unexpected(e));
      return;
    }
    // Process-wide and settable once: a second call (another host) answers RPC_E_TOO_LATE,
    // which keeps the first, identical settings.
    hr = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE,
                              nullptr, EOAC_NONE, nullptr);
    if (FAILED(hr) && hr != RPC_E_TOO_LATE) {
      const FactError e{FactProblem::Error, describe_hresult("CoInitializeSecurity", hr)};
      for (const auto& cls : plan.wmi_classes) facts.wmi.emplace(cls, Unexpected(e));
      return;
    }
    WmiReader reader(machine_);
    for (const auto& cls : plan.wmi_classes) facts.wmi.emplace(cls, reader.read(cls));
    wmi_connections_ += reader.connections();
    wmi_queries_ += reader.queries();
  }

  std::string computer_;  // empty: this host
  std::wstring machine_;
  std::string name_;
  UniqueHkey remote_hklm_;
  std::optional<RegistryReader> registry_;
  int service_queries_ = 0, wmi_connections_ = 0, wmi_queries_ = 0, netapi_calls_ = 0;
  Clock::duration spent_{};
  std::atomic<const char*> stage_{"starting"};
};

class LiveSource final : public FactSource {
 public:
  LiveSource(std::string computer, std::chrono::seconds timeout)
      : session_(std::make_shared<Session>(computer, computer.empty() ? local_computer_name() : computer)),
        timeout_(timeout) {}

  [[nodiscard]] SourceInfo info() const override {
    return {"live", session_->remote() ? "remote host " + session_->name() : "this host (" + session_->name() + ")"};
  }

  Expected<HostFacts, CollectError> host() override {
    if (auto stop = gone()) return Unexpected(*stop);
    deadline_ = Clock::now() + timeout_;  // the host's budget covers connecting and collecting
    auto result =
        run_until<Expected<HostFacts, CollectError>>(deadline_, [session = session_] { return session->read_host(); });
    if (!result) return Unexpected(timed_out("connecting and reading its version"));
    if (*result) connected_ = true;
    return std::move(*result);
  }

  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    if (auto stop = gone()) return Unexpected(*stop);
    if (!connected_) SMBAUDIT_TRY(host());
    // Until the worker starts: a deadline that passes now (host() took the budget) must not
    // report the last thing host() did as the current activity.
    session_->set_stage("starting to collect facts");
    auto result = run_until<FactSet>(deadline_, [session = session_, plan] { return session->collect(plan); });
    if (!result) return Unexpected(timed_out("collecting facts"));
    return std::move(*result);
  }

  [[nodiscard]] std::string known_host() const override { return session_->name(); }
  [[nodiscard]] std::function<std::string()> activity() const override {
    return [session = session_] { return std::string(session->stage()); };
  }

  [[nodiscard]] std::string collection_summary() const override {
    // An abandoned worker may still be updating the counters: say nothing rather than race it.
    return abandoned_ ? std::string() : session_->summary();
  }

 private:
  std::optional<CollectError> gone() const {
    if (!abandoned_) return std::nullopt;
    return CollectError{CollectFailure::CollectionFailed, fmt::format("{}: gave up earlier", session_->name()),
                        session_->name()};
  }

  CollectError timed_out(std::string_view doing) {
    abandoned_ = true;
    return CollectError{CollectFailure::CollectionFailed,
                        fmt::format("{}: no answer within {} s while {} (--timeout; it was {})", session_->name(),
                                    timeout_.count(), doing, session_->stage()),
                        session_->name()};
  }

  std::shared_ptr<Session> session_;
  std::chrono::seconds timeout_;
  Clock::time_point deadline_{};
  bool abandoned_ = false;
  bool connected_ = false;
};

}  // namespace

std::vector<std::unique_ptr<FactSource>> open_live_sources(const std::vector<std::string>& computers,
                                                           std::chrono::seconds timeout) {
  std::vector<std::unique_ptr<FactSource>> out;
  if (computers.empty()) out.push_back(std::make_unique<LiveSource>(std::string(), timeout));
  for (const auto& name : computers) out.push_back(std::make_unique<LiveSource>(name, timeout));
  return out;
}

}  // namespace smbaudit::live
