#include "smbaudit/snapshot.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "../core/input.h"
#include "../core/json_value.h"
#include "../core/reg_data.h"
#include "smbaudit/limits.h"
#include "smbaudit/text.h"
#include "subkeys.h"

namespace smbaudit {
namespace {

using nlohmann::json;

// Thrown only inside this file while parsing; converted to a CollectError at the boundary.
struct SnapshotError {
  std::string pointer;
  std::string message;
};

std::string ptr(const std::string& base, std::string_view token) {
  std::string out = base + "/";
  for (char c : token) out += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
  return out;
}

void only_keys(const json& j, const std::string& at, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) throw SnapshotError{at, fmt::format("expected an object, got {}", json_type_name(j))};
  for (const auto& [key, _] : j.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw SnapshotError{ptr(at, key), fmt::format("unknown field '{}'", key)};
}

template <typename T>
T get(const json& j, const std::string& at, std::string_view what) {
  try {
    return j.get<T>();
  } catch (const json::exception&) {
    throw SnapshotError{at, fmt::format("expected {}, got {}", what, json_type_name(j))};
  }
}

FactError fact_error(const json& j, const std::string& at) {
  only_keys(j, at, {"kind", "message"});
  const auto kind = get<std::string>(j.value("kind", json("error")), at + "/kind", "a string");
  if (kind != "unknown" && kind != "error") throw SnapshotError{at + "/kind", "expected 'unknown' or 'error'"};
  return FactError{kind == "unknown" ? FactProblem::Unknown : FactProblem::Error,
                   get<std::string>(j.value("message", json("")), at + "/message", "a string")};
}

HostFacts parse_host(const json& j) {
  const std::string at = "/host";
  only_keys(j, at,
            {"name", "os_build", "ubr", "edition", "product_name", "installation_type", "role", "domain_joined",
             "domain", "collected_at", "elevated", "unknown_reasons"});
  HostFacts h;
  if (!j.contains("name")) throw SnapshotError{at, "missing required field 'name'"};
  h.name = get<std::string>(j["name"], at + "/name", "a string");
  if (j.contains("os_build")) {
    const auto b = get<std::int64_t>(j["os_build"], at + "/os_build", "an integer");
    if (b < 0 || b > 1'000'000) throw SnapshotError{at + "/os_build", "not a plausible build number"};
    h.build = static_cast<int>(b);
  }
  if (j.contains("ubr")) h.ubr = static_cast<int>(get<std::uint32_t>(j["ubr"], at + "/ubr", "an integer"));
  if (j.contains("edition")) h.edition = get<std::string>(j["edition"], at + "/edition", "a string");
  if (j.contains("product_name"))
    h.product_name = get<std::string>(j["product_name"], at + "/product_name", "a string");
  if (j.contains("installation_type"))
    h.installation_type = get<std::string>(j["installation_type"], at + "/installation_type", "a string");
  if (j.contains("role")) {
    const auto role = get<std::string>(j["role"], at + "/role", "a string");
    h.role = role_from_string(role);
    if (!h.role)
      throw SnapshotError{at + "/role",
                          fmt::format("unknown role '{}' (workstation, member_server, domain_controller)", role)};
  }
  if (j.contains("domain_joined"))
    h.membership = get<bool>(j["domain_joined"], at + "/domain_joined", "true or false") ? Membership::Domain
                                                                                         : Membership::Workgroup;
  if (j.contains("domain")) h.domain = get<std::string>(j["domain"], at + "/domain", "a string");
  if (j.contains("collected_at"))
    h.collected_at = get<std::string>(j["collected_at"], at + "/collected_at", "a string");
  if (j.contains("elevated"))
    h.elevation =
        get<bool>(j["elevated"], at + "/elevated", "true or false") ? Elevation::Elevated : Elevation::NotElevated;
  if (j.contains("unknown_reasons")) {
    const json& reasons = j["unknown_reasons"];
    const std::string where = at + "/unknown_reasons";
    only_keys(reasons, where,
              {host_field::kBuild, host_field::kUbr, host_field::kEdition, host_field::kRole, host_field::kMembership,
               host_field::kElevation});
    for (const auto& [field, why] : reasons.items())
      h.unknown_reasons[field] = get<std::string>(why, where + "/" + field, "a string");
  }
  return h;
}

FactResult<RegistryKeyFact> parse_key(const json& j, const std::string& at) {
  only_keys(j, at, {"present", "values", "subkeys", "error"});
  if (j.contains("error")) return Unexpected(fact_error(j["error"], at + "/error"));
  RegistryKeyFact key;
  const bool present = get<bool>(j.value("present", json(true)), at + "/present", "true or false");
  key.presence = present ? Presence::Present : Presence::Absent;
  if (!present) {
    if (j.contains("values")) throw SnapshotError{at + "/values", "an absent key has no values"};
    if (j.contains("subkeys")) throw SnapshotError{at + "/subkeys", "an absent key has no subkeys"};
    return key;
  }
  if (j.contains("subkeys")) {
    const json& names = j["subkeys"];
    if (!names.is_array()) throw SnapshotError{at + "/subkeys", "expected an array of subkey names"};
    if (names.size() > limits::kMaxSubkeysListed)
      throw SnapshotError{at + "/subkeys", fmt::format("more than {} subkeys", limits::kMaxSubkeysListed)};
    std::vector<std::string> list;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string nat = fmt::format("{}/subkeys/{}", at, i);
      auto name = get<std::string>(names[i], nat, "a string");
      if (name.empty() || name.size() > 255 || name.find('\\') != std::string::npos)
        throw SnapshotError{nat, "a subkey name is 1 to 255 characters without a backslash"};
      if (std::any_of(list.begin(), list.end(), [&](const std::string& n) { return iequals(n, name); }))
        throw SnapshotError{nat, fmt::format("subkey '{}' is listed twice (names are case-insensitive)", name)};
      list.push_back(std::move(name));
    }
    key.subkeys = std::move(list);
  }
  const json& values = j.contains("values") ? j["values"] : json::object();
  if (!values.is_object()) throw SnapshotError{at + "/values", "expected an object of values"};
  if (values.size() > limits::kMaxValuesPerKey)
    throw SnapshotError{at + "/values", fmt::format("more than {} values in one key", limits::kMaxValuesPerKey)};
  for (const auto& [name, v] : values.items()) {
    const std::string vat = ptr(at + "/values", name);
    only_keys(v, vat, {"type", "data"});
    if (!v.contains("type") || !v.contains("data")) throw SnapshotError{vat, "a value needs 'type' and 'data'"};
    const auto type_name = get<std::string>(v["type"], vat + "/type", "a string");
    const auto type = reg_type_from_string(type_name);
    if (!type) throw SnapshotError{vat + "/type", fmt::format("unknown registry type '{}'", type_name)};
    // Registry names are case-insensitive: two spellings of one value would say two things.
    if (key.find(name))
      throw SnapshotError{vat, fmt::format("value '{}' is given twice (names are case-insensitive)", name)};
    auto data = reg_data_from_json(*type, v["data"]);
    if (!data)
      throw SnapshotError{vat + "/data",
                          fmt::format("data does not fit type {} (got {})", type_name, json_type_name(v["data"]))};
    // As the registry would hand it back (a string ends at a NUL): the same fact as live and offline.
    key.values.push_back(stored_reg_value(RegValue{name, *type, std::move(*data)}));
  }
  return key;
}

FactResult<ServiceFact> parse_service(const json& j, const std::string& at) {
  only_keys(j, at, {"present", "start_type", "state", "error"});
  if (j.contains("error")) return Unexpected(fact_error(j["error"], at + "/error"));
  ServiceFact s;
  if (!j.contains("present")) throw SnapshotError{at, "missing required field 'present'"};
  s.presence = get<bool>(j["present"], at + "/present", "true or false") ? Presence::Present : Presence::Absent;
  if (j.contains("start_type")) {
    const auto name = get<std::string>(j["start_type"], at + "/start_type", "a string");
    s.start_type = start_type_from_string(name);
    if (!s.start_type)
      throw SnapshotError{at + "/start_type",
                          fmt::format("unknown start type '{}' (boot, system, automatic, automatic_delayed, "
                                      "manual, disabled)",
                                      name)};
  }
  if (j.contains("state")) {
    const auto name = get<std::string>(j["state"], at + "/state", "a string");
    s.state = service_state_from_string(name);
    if (!s.state) throw SnapshotError{at + "/state", fmt::format("unknown service state '{}'", name)};
  }
  if (s.presence == Presence::Absent && (s.start_type || s.state))
    throw SnapshotError{at, "an absent service has no start type or state"};
  return s;
}

FactResult<WmiClassFact> parse_wmi_class(const json& j, const std::string& at) {
  if (j.is_object()) {
    only_keys(j, at, {"error"});
    return Unexpected(fact_error(j["error"], at + "/error"));
  }
  if (!j.is_array()) throw SnapshotError{at, "expected an array of instances or {\"error\": ...}"};
  if (j.size() > limits::kMaxWmiInstances)
    throw SnapshotError{at, fmt::format("more than {} instances of one class", limits::kMaxWmiInstances)};
  WmiClassFact cls;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string iat = fmt::format("{}/{}", at, i);
    if (!j[i].is_object()) throw SnapshotError{iat, "expected an object of properties"};
    WmiInstance instance;
    for (const auto& [name, v] : j[i].items()) {
      auto value = value_from_json(v);
      if (!value) throw SnapshotError{ptr(iat, name), "unsupported property value"};
      if (instance.count(name))
        throw SnapshotError{ptr(iat, name), "property given twice (names are case-insensitive)"};
      instance[name] = std::move(*value);
    }
    cls.instances.push_back(std::move(instance));
  }
  return cls;
}

class SnapshotSource final : public FactSource {
 public:
  SnapshotSource(std::string name, HostFacts host, FactSet facts, std::optional<std::string> collection_error)
      : name_(std::move(name)),
        host_(std::move(host)),
        facts_(std::move(facts)),
        collection_error_(std::move(collection_error)) {}

  [[nodiscard]] SourceInfo info() const override { return {"snapshot", name_}; }
  Expected<HostFacts, CollectError> host() override {
    // The collector could not reach the host when it wrote this file: auditing it cannot succeed either.
    if (collection_error_)
      return Unexpected(CollectError{
          CollectFailure::CollectionFailed,
          fmt::format("{}: collection failed for host {}: {}", name_, host_.name, *collection_error_), host_.name});
    return host_;
  }

  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    FactSet out;
    const FactError missing{FactProblem::Unknown, "not recorded in the facts file " + name_};
    for (const auto& key : plan.registry_keys) {
      auto it = facts_.registry.find(key);
      out.registry.emplace(key, it != facts_.registry.end() ? it->second : Unexpected(missing));
    }
    // Subkeys as the file lists them; a listed key written without its list (an older collector,
    // another plan) leaves them unknown.
    (void)collect_subkeys(
        plan, out,
        [&](const std::string& key) -> Expected<FactResult<std::vector<std::string>>, CollectError> {
          const auto it = facts_.registry.find(key);
          if (it != facts_.registry.end() && it->second && it->second->subkeys)
            return FactResult<std::vector<std::string>>(*it->second->subkeys);
          return FactResult<std::vector<std::string>>(Unexpected(
              FactError{FactProblem::Unknown, "subkeys of " + key + " not recorded in the facts file " + name_}));
        },
        [&](const std::string& key) -> Expected<FactResult<RegistryKeyFact>, CollectError> {
          const auto it = facts_.registry.find(key);
          return it != facts_.registry.end() ? it->second : FactResult<RegistryKeyFact>(Unexpected(missing));
        });
    for (const auto& service : plan.services) {
      auto it = facts_.services.find(service);
      out.services.emplace(service, it != facts_.services.end() ? it->second : Unexpected(missing));
    }
    if (plan.account_policy) out.account_policy = facts_.account_policy ? *facts_.account_policy : Unexpected(missing);
    for (const auto& cls : plan.wmi_classes) {
      auto it = facts_.wmi.find(cls);
      if (it == facts_.wmi.end()) it = facts_.wmi.find(WmiClassRef{cls.name_space, "*"});
      out.wmi.emplace(cls, it != facts_.wmi.end() ? it->second : Unexpected(missing));
    }
    return out;
  }

 private:
  std::string name_;
  HostFacts host_;
  FactSet facts_;
  std::optional<std::string> collection_error_;
};

json error_json(const FactError& e) {
  return {{"kind", e.problem == FactProblem::Unknown ? "unknown" : "error"}, {"message", e.message}};
}

}  // namespace

Expected<std::unique_ptr<FactSource>, CollectError> parse_snapshot(std::string_view text, std::string name) {
  const auto bad = [&name](const std::string& pointer, const std::string& message) {
    return Unexpected(CollectError{CollectFailure::BadInput,
                                   one_line(pointer.empty() ? fmt::format("{}: {}", name, message)
                                                            : fmt::format("{}: at {}: {}", name, pointer, message))});
  };
  auto parsed = parse_json_input(text);
  if (!parsed) return bad("", parsed.error());
  const json doc = std::move(*parsed);
  try {
    // The schema first: a report or rule file given as facts is named as such, not by its first odd field.
    if (!doc.is_object()) throw SnapshotError{"", fmt::format("expected an object, got {}", json_type_name(doc))};
    if (!doc.contains("schema")) throw SnapshotError{"", "missing \"schema\" (is this a smbaudit facts file?)"};
    const auto schema = get<std::string>(doc["schema"], "/schema", "a string");
    if (schema != kFactsSchema)
      throw SnapshotError{"/schema",
                          fmt::format("unsupported schema '{}' (this version reads '{}')", schema, kFactsSchema)};
    only_keys(doc, "",
              {"$schema", "schema", "host", "collection_error", "registry", "services", "wmi", "account_policy"});
    if (!doc.contains("host")) throw SnapshotError{"", "missing required field 'host'"};
    HostFacts host = parse_host(doc["host"]);
    FactSet facts;
    for (const char* section : {"registry", "services", "wmi"})
      if (doc.contains(section) && !doc[section].is_object())
        throw SnapshotError{std::string("/") + section, "expected an object"};
    static const json kEmpty = json::object();
    const auto section = [&doc](const char* key) -> const json& { return doc.contains(key) ? doc[key] : kEmpty; };
    for (const auto& [path, key] : section("registry").items()) {
      const std::string at = ptr("/registry", path);
      auto normalized = normalize_registry_path(path);
      if (!normalized) throw SnapshotError{at, normalized.error()};
      if (facts.registry.count(*normalized))
        throw SnapshotError{at, "key given twice (paths are case-insensitive; HKEY_LOCAL_MACHINE is HKLM)"};
      facts.registry.insert_or_assign(*normalized, parse_key(key, at));
    }
    for (const auto& [svc, entry] : section("services").items()) {
      if (facts.services.count(svc))
        throw SnapshotError{ptr("/services", svc), "service given twice (names are case-insensitive)"};
      facts.services.insert_or_assign(svc, parse_service(entry, ptr("/services", svc)));
    }
    for (const auto& [ns, entry] : section("wmi").items()) {
      const std::string at = ptr("/wmi", ns);
      only_keys(entry, at, {"classes", "error"});
      const auto once = [&facts](const WmiClassRef& ref, const std::string& where) {
        if (facts.wmi.count(ref)) throw SnapshotError{where, "given twice (names are case-insensitive)"};
      };
      if (entry.contains("error")) {
        // A namespace that could not be opened: every class in it shares the error.
        once(WmiClassRef{ns, "*"}, at);
        facts.wmi.insert_or_assign(WmiClassRef{ns, "*"}, Unexpected(fact_error(entry["error"], at + "/error")));
        continue;
      }
      const json& classes = entry.contains("classes") ? entry["classes"] : kEmpty;
      for (const auto& [cls, instances] : classes.items()) {
        once(WmiClassRef{ns, cls}, ptr(at + "/classes", cls));
        facts.wmi.insert_or_assign(WmiClassRef{ns, cls}, parse_wmi_class(instances, ptr(at + "/classes", cls)));
      }
    }
    if (doc.contains("account_policy")) {
      const json& ap = doc["account_policy"];
      only_keys(ap, "/account_policy", {"min_password_length", "error"});
      if (ap.contains("error")) {
        facts.account_policy = Unexpected(fact_error(ap["error"], "/account_policy/error"));
      } else {
        AccountPolicyFact policy;
        if (ap.contains("min_password_length"))
          policy.min_password_length = static_cast<int>(
              get<std::uint16_t>(ap["min_password_length"], "/account_policy/min_password_length", "an integer"));
        facts.account_policy = policy;
      }
    }
    std::optional<std::string> collection_error;
    if (doc.contains("collection_error"))
      collection_error = get<std::string>(doc["collection_error"], "/collection_error", "a string");
    return std::unique_ptr<FactSource>(std::make_unique<SnapshotSource>(std::move(name), std::move(host),
                                                                        std::move(facts), std::move(collection_error)));
  } catch (const SnapshotError& e) {
    return bad(e.pointer, e.message);
  }
}

Expected<std::unique_ptr<FactSource>, CollectError> open_snapshot(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Unexpected(CollectError{CollectFailure::BadInput, name + ": cannot open facts file"});
  auto text = read_input_file(path);
  if (!text) return Unexpected(CollectError{CollectFailure::BadInput, fmt::format("{}: {}", name, text.error())});
  return parse_snapshot(*text, name);
}

std::string write_snapshot(const HostFacts& host, const FactSet& facts, const std::string& collection_error) {
  json doc;
  doc["schema"] = kFactsSchema;
  if (!collection_error.empty()) doc["collection_error"] = collection_error;
  json h{{"name", host.name}};
  if (host.build) h["os_build"] = *host.build;
  if (host.ubr) h["ubr"] = *host.ubr;
  if (host.edition) h["edition"] = *host.edition;
  if (host.product_name) h["product_name"] = *host.product_name;
  if (host.installation_type) h["installation_type"] = *host.installation_type;
  if (host.role) h["role"] = to_string(*host.role);
  if (host.membership) h["domain_joined"] = *host.membership == Membership::Domain;
  if (host.domain) h["domain"] = *host.domain;
  if (host.collected_at) h["collected_at"] = *host.collected_at;
  if (host.elevation) h["elevated"] = *host.elevation == Elevation::Elevated;
  if (!host.unknown_reasons.empty()) h["unknown_reasons"] = host.unknown_reasons;
  doc["host"] = h;
  json reg = json::object();
  for (const auto& [path, key] : facts.registry) {
    if (!key) {
      reg[path] = {{"error", error_json(key.error())}};
    } else if (key->presence == Presence::Absent) {
      reg[path] = {{"present", false}};
    } else {
      json values = json::object();
      for (const auto& v : key->values) values[v.name] = {{"type", to_string(v.type)}, {"data", value_to_json(v.data)}};
      reg[path] = {{"values", values}};
      if (key->subkeys) reg[path]["subkeys"] = *key->subkeys;
    }
  }
  doc["registry"] = reg;
  json services = json::object();
  for (const auto& [name, s] : facts.services) {
    if (!s) {
      services[name] = {{"error", error_json(s.error())}};
      continue;
    }
    json entry{{"present", s->presence == Presence::Present}};
    if (s->start_type) entry["start_type"] = to_string(*s->start_type);
    if (s->state) entry["state"] = to_string(*s->state);
    services[name] = entry;
  }
  doc["services"] = services;
  json wmi = json::object();
  for (const auto& [ref, cls] : facts.wmi) {
    if (!cls) {
      wmi[ref.name_space]["classes"][ref.class_name] = {{"error", error_json(cls.error())}};
      continue;
    }
    json instances = json::array();
    for (const auto& inst : cls->instances) {
      json o = json::object();
      for (const auto& [k, v] : inst) o[k] = value_to_json(v);
      instances.push_back(o);
    }
    wmi[ref.name_space]["classes"][ref.class_name] = instances;
  }
  doc["wmi"] = wmi;
  if (facts.account_policy) {
    if (!*facts.account_policy)
      doc["account_policy"] = {{"error", error_json(facts.account_policy->error())}};
    else if ((*facts.account_policy)->min_password_length)
      doc["account_policy"] = {{"min_password_length", *(*facts.account_policy)->min_password_length}};
    else
      doc["account_policy"] = json::object();
  }
  // As in the JSON report: bytes that are not UTF-8 become U+FFFD rather than an exception.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace smbaudit
