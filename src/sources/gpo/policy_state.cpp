#include "policy_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <utility>

#include "../../core/enum_names.h"
#include "../../core/input.h"
#include "key_path.h"

namespace smbaudit::gpo {
namespace {

constexpr std::size_t kExtensions = 3;

constexpr std::array<std::pair<Extension, std::string_view>, kExtensions> kExtensionNames{{
    {Extension::Registry, "Administrative Templates (Registry.pol)"},
    {Extension::Security, "Security Settings (GptTmpl.inf)"},
    {Extension::Preferences, "Preferences (Registry.xml)"},
}};
constexpr std::array<std::pair<ValueState, std::string_view>, 4> kValueStates{{
    {ValueState::Set, "set"},
    {ValueState::SetIfAbsent, "set if absent"},
    {ValueState::Deleted, "deleted"},
    {ValueState::Uncertain, "uncertain"},
}};
constexpr std::array<std::pair<KeyPresence, std::string_view>, 4> kPresences{{
    {KeyPresence::FromBase, "from base"},
    {KeyPresence::Present, "present"},
    {KeyPresence::Deleted, "deleted"},
    {KeyPresence::Uncertain, "uncertain"},
}};
constexpr std::array<std::pair<BaseValues, std::string_view>, 3> kBaseValues{{
    {BaseValues::Visible, "visible"},
    {BaseValues::Hidden, "hidden"},
    {BaseValues::Uncertain, "uncertain"},
}};

using Event = PolicyState::Event;
using EventKind = PolicyState::EventKind;

std::size_t index_of(Extension e) {
  return static_cast<std::size_t>(e);
}

// How an event's key relates to the key being resolved.
enum class Relation { Self, Ancestor, Descendant };

struct Ref {
  Extension extension;
  std::size_t index;
  Relation relation;
  const std::string* key;  // the event's key path
};

// The state of one value while the events are replayed.
enum class Sym { Base, Absent, Value, IfAbsent, Uncertain };
struct SymValue {
  Sym kind = Sym::Base;
  RegValue value;
  const Event* decided_by = nullptr;
  std::vector<std::string> doubts;
};

bool same(const SymValue& a, const SymValue& b) {
  if (a.kind != b.kind) return false;
  if (a.kind != Sym::Value && a.kind != Sym::IfAbsent) return true;
  return a.value.type == b.value.type && a.value.data == b.value.data;
}

struct Replay {
  std::map<std::string, SymValue, ILess> values;
  BaseValues base = BaseValues::Visible;
  const Event* base_hidden_by = nullptr;
  KeyPresence presence = KeyPresence::FromBase;
  std::vector<std::string> doubts;
};

std::string condition_doubt(const Event& e) {
  return fmt::format("{} may not apply: {} decides", e.origin.describe(), e.condition);
}

// The state a value has before its first own event: the host's, unless its values are hidden.
SymValue prior(const Replay& r, const std::string& name) {
  if (auto it = r.values.find(name); it != r.values.end()) return it->second;
  SymValue v;
  if (r.base == BaseValues::Hidden) {
    v.kind = Sym::Absent;
    v.decided_by = r.base_hidden_by;
  } else if (r.base == BaseValues::Uncertain) {
    v.kind = Sym::Uncertain;
    v.doubts = r.doubts;
  }
  return v;
}

// The value after an unconditional event on it.
SymValue after(const SymValue& before, const Event& e) {
  SymValue v = before;
  switch (e.kind) {
    case EventKind::SetValue: v = SymValue{Sym::Value, e.value, &e, {}}; break;
    case EventKind::SoftSetValue:
      // "**soft." and GPP create: only where no value exists at this point.
      if (before.kind == Sym::Absent) v = SymValue{Sym::Value, e.value, &e, {}};
      if (before.kind == Sym::Base) v = SymValue{Sym::IfAbsent, e.value, &e, {}};
      break;
    default:  // every deletion
      v = SymValue{Sym::Absent, {}, &e, {}};
      break;
  }
  return v;
}

// Applies `change` to `current`, or, for an event that may not apply, keeps what both
// outcomes agree on and makes the rest uncertain.
void settle(SymValue& current, const SymValue& changed, const Event& e) {
  if (e.condition.empty()) {
    current = changed;
    return;
  }
  if (same(current, changed)) return;
  current.kind = Sym::Uncertain;
  current.decided_by = &e;
  current.doubts.push_back(condition_doubt(e));
}

// Every value of the key, and the host's beneath, gone (conditionally or not).
void hide_all(Replay& r, const Event& e) {
  for (auto& [name, v] : r.values) settle(v, SymValue{Sym::Absent, {}, &e, {}}, e);
  if (e.condition.empty()) {
    r.base = BaseValues::Hidden;
    r.base_hidden_by = &e;
  } else if (r.base != BaseValues::Hidden) {
    r.base = BaseValues::Uncertain;
    r.doubts.push_back(condition_doubt(e));
  }
}

void set_presence(Replay& r, KeyPresence p, const Event& e) {
  if (r.presence == p) return;
  if (e.condition.empty()) {
    r.presence = p;
  } else {
    r.presence = KeyPresence::Uncertain;
    r.doubts.push_back(condition_doubt(e));
  }
}

void apply(Replay& r, const Event& e, Relation relation) {
  const bool value_event =
      e.kind == EventKind::SetValue || e.kind == EventKind::SoftSetValue || e.kind == EventKind::DeleteValue;
  if (relation == Relation::Descendant) {
    // A key below is created or written: its parents, this key included, exist.
    if (e.kind == EventKind::SetValue || e.kind == EventKind::SoftSetValue || e.kind == EventKind::CreateKey ||
        e.kind == EventKind::ClearKey)
      set_presence(r, KeyPresence::Present, e);
    return;
  }
  if (relation == Relation::Ancestor) {
    // A key above deleted or replaced: its subkeys, this one included, are gone.
    if (e.kind == EventKind::DeleteKey || e.kind == EventKind::ClearKey) {
      hide_all(r, e);
      set_presence(r, KeyPresence::Deleted, e);
    }
    return;
  }
  if (value_event) {
    SymValue& slot = r.values.try_emplace(e.value.name, prior(r, e.value.name)).first->second;
    settle(slot, after(slot, e), e);
    if (e.kind != EventKind::DeleteValue) set_presence(r, KeyPresence::Present, e);
    return;
  }
  switch (e.kind) {
    case EventKind::CreateKey: set_presence(r, KeyPresence::Present, e); break;
    case EventKind::DeleteAllValues: hide_all(r, e); break;
    case EventKind::ClearKey:
      hide_all(r, e);
      set_presence(r, KeyPresence::Present, e);
      break;
    case EventKind::DeleteKey:
      hide_all(r, e);
      set_presence(r, KeyPresence::Deleted, e);
      break;
    default: break;
  }
}

std::string step_text(const Event& e, Relation relation, std::string_view at) {
  std::string what;
  switch (e.kind) {
    case EventKind::SetValue:
      what = fmt::format("set to {} ({})", describe(e.value.data), to_string(e.value.type));
      break;
    case EventKind::SoftSetValue:
      what = fmt::format("set to {} ({}) where no value exists", describe(e.value.data), to_string(e.value.type));
      break;
    case EventKind::DeleteValue: what = "deleted"; break;
    case EventKind::CreateKey: what = "key created"; break;
    case EventKind::DeleteAllValues: what = "every value of the key deleted"; break;
    case EventKind::ClearKey:
      what = relation == Relation::Ancestor ? fmt::format("subkeys of {} deleted", at)
                                            : std::string("the key's values and subkeys deleted");
      break;
    case EventKind::DeleteKey:
      what = relation == Relation::Ancestor ? fmt::format("key {} deleted with its subkeys", at)
                                            : std::string("the key deleted with its subkeys");
      break;
  }
  if (!e.condition.empty()) what += fmt::format(" (if it applies: {})", e.condition);
  return what;
}

// Whether an event touches the value `name` of the key being resolved.
bool touches_value(const Event& e, Relation relation, std::string_view name) {
  if (relation == Relation::Descendant) return false;
  if (relation == Relation::Ancestor) return e.kind == EventKind::DeleteKey || e.kind == EventKind::ClearKey;
  switch (e.kind) {
    case EventKind::SetValue:
    case EventKind::SoftSetValue:
    case EventKind::DeleteValue: return iequals(e.value.name, name);
    case EventKind::CreateKey: return false;
    default: return true;
  }
}

}  // namespace

std::string_view to_string(Extension extension) {
  return name_of(kExtensionNames, extension);
}
std::string_view to_string(ValueState state) {
  return name_of(kValueStates, state);
}
std::string_view to_string(KeyPresence presence) {
  return name_of(kPresences, presence);
}
std::string_view to_string(BaseValues base) {
  return name_of(kBaseValues, base);
}

std::string Origin::location() const {
  std::string where;
  switch (extension) {
    case Extension::Registry: where = fmt::format("{} record at byte {}", file, offset); break;
    case Extension::Security:
    case Extension::Preferences: where = fmt::format("{} line {}", file, line); break;
  }
  if (!item.empty()) where += fmt::format(" ({})", item);
  return one_line(where);
}

std::string Origin::describe() const {
  return one_line(fmt::format("GPO {}, {}", gpo, location()));
}

bool ResolvedKey::touched() const {
  return presence != KeyPresence::FromBase || base_values != BaseValues::Visible || !values.empty();
}

const ResolvedValue* ResolvedKey::find(std::string_view name) const {
  for (const auto& v : values)
    if (iequals(v.name, name)) return &v;
  return nullptr;
}

void PolicyState::record(Extension extension, std::string path, Event event) {
  auto& events = events_[index_of(extension)];
  auto [it, inserted] = keys_.try_emplace(path);
  if (inserted) it->second.path = std::move(path);
  it->second.by_extension[index_of(extension)].push_back(events.size());
  event.origin.extension = extension;
  events.push_back(std::move(event));
}

void PolicyState::add(const Gpo& gpo) {
  const GpoInfo& info = gpo.location.info;
  gpos_.push_back(info);
  if (info.computer_settings_disabled) {
    notes_.push_back(
        fmt::format("GPO {}: its computer settings are disabled (Backup.xml), so Windows applies none "
                    "of its machine policy; not applied",
                    info.label()));
    return;
  }
  Origin base;
  base.gpo = info.label();
  base.guid = info.guid;
  base.display_name = info.display_name;
  add_registry_pol(gpo, base);
  add_gpttmpl(gpo, base);
  add_registry_xml(gpo, base);
}

void PolicyState::add_registry_pol(const Gpo& gpo, const Origin& base) {
  if (!gpo.location.registry_pol) return;
  // "**delvals. ... When processing a particular key, a downloader must look for and process
  // this value first" (Microsoft's description of the control codes): a key's first
  // **delvals. acts before the file's other records for that key, wherever it stands.
  // Editors write it first anyway; a file that does not must not lose the values listed
  // before it.
  const auto& records = gpo.registry_pol;
  std::map<std::string, std::size_t, ILess> delvals;  // key -> its first **delvals. record
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto in = interpret(records[i]);
    if (in && in->op == PolOp::DeleteAllValues) delvals.try_emplace(records[i].key, i);
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(records.size(), false);
  const auto place = [&](std::size_t i) {
    if (placed[i]) return;
    placed[i] = true;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (auto d = delvals.find(records[i].key); d != delvals.end()) place(d->second);
    place(i);
  }
  for (std::size_t i : order) {
    const PolRecord& r = records[i];
    Origin origin = base;
    origin.file = path_text(*gpo.location.registry_pol);
    origin.offset = r.offset;
    if (r.value_name.starts_with("**")) origin.item = r.value_name;
    const auto in = interpret(r);
    if (!in || key_path_problem(r.key)) {
      // parse_registry_pol refuses such records; a hand-built Gpo may still hold one.
      notes_.push_back(fmt::format("{}: not understood; not applied", origin.describe()));
      continue;
    }
    const std::string path = hklm_path(r.key);
    const auto value_event = [&](EventKind kind, RegValue v) {
      record(Extension::Registry, path, {kind, std::move(v), origin, {}});
    };
    switch (in->op) {
      case PolOp::SetValue: value_event(EventKind::SetValue, in->value); break;
      case PolOp::SoftSetValue: value_event(EventKind::SoftSetValue, in->value); break;
      case PolOp::DeleteValue: value_event(EventKind::DeleteValue, RegValue{in->value.name, RegType::Other, {}}); break;
      case PolOp::DeleteValues:
        for (const auto& name : in->names) value_event(EventKind::DeleteValue, RegValue{name, RegType::Other, {}});
        break;
      case PolOp::DeleteAllValues: value_event(EventKind::DeleteAllValues, {}); break;
      case PolOp::DeleteKeys:
        for (const auto& sub : in->names)
          record(Extension::Registry, path + "\\" + sub, {EventKind::DeleteKey, {}, origin, {}});
        break;
      case PolOp::CreateKey: value_event(EventKind::CreateKey, {}); break;
      case PolOp::SecureKey: break;  // the key's ACL: nothing an audit of values sees
    }
  }
}

void PolicyState::add_gpttmpl(const Gpo& gpo, const Origin& base) {
  if (!gpo.location.gpttmpl || !gpo.gpttmpl) return;
  const std::string file = path_text(*gpo.location.gpttmpl);
  const auto origin_at = [&](int line) {
    Origin o = base;
    o.file = file;
    o.line = line;
    return o;
  };
  for (const auto& s : gpo.gpttmpl->system_access) {
    auto [it, inserted] = account_.try_emplace(s.name);
    AccountSetting& a = it->second;
    if (!inserted) a.overridden.push_back(a.origin);
    a.name = s.name;
    a.value = s.value;
    a.origin = origin_at(s.line);
    a.origin.extension = Extension::Security;
  }
  for (const auto& v : gpo.gpttmpl->registry_values)
    record(Extension::Security, hklm_path(v.key), {EventKind::SetValue, v.value, origin_at(v.line), {}});
  // The Security extension configures a service's start mode; the service's key holds it as
  // Start, where a registry write would put it too, so both meet in one place.
  for (const auto& s : gpo.gpttmpl->services)
    record(Extension::Security, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + s.name,
           {EventKind::SetValue, RegValue{"Start", RegType::Dword, std::int64_t{s.mode}}, origin_at(s.line), {}});
  for (const auto& s : gpo.gpttmpl->skipped)
    notes_.push_back(fmt::format("{}: another hive than HKLM; not audited", origin_at(s.line).describe()));
}

void PolicyState::add_registry_xml(const Gpo& gpo, const Origin& base) {
  if (!gpo.location.registry_xml || !gpo.registry_xml) return;
  for (const auto& item : gpo.registry_xml->items) {
    Origin origin = base;
    origin.file = path_text(*gpo.location.registry_xml);
    origin.line = item.line;
    origin.extension = Extension::Preferences;
    origin.item = fmt::format("item '{}'", item.item_name);
    if (item.disabled) {
      notes_.push_back(fmt::format("{}: disabled; Windows skips it", origin.describe()));
      continue;
    }
    if (!item.machine) {
      notes_.push_back(fmt::format("{}: hive {}; not audited", origin.describe(), item.hive));
      continue;
    }
    const std::string condition = item.filtered ? fmt::format("item-level targeting ({})", item.filters) : "";
    EventKind kind = EventKind::SetValue;
    if (item.key_item) {
      switch (item.action) {
        case GppAction::Create:
        case GppAction::Update: kind = EventKind::CreateKey; break;
        case GppAction::Replace: kind = EventKind::ClearKey; break;
        case GppAction::Delete: kind = EventKind::DeleteKey; break;
      }
    } else {
      switch (item.action) {
        case GppAction::Create: kind = EventKind::SoftSetValue; break;
        case GppAction::Replace:
        case GppAction::Update: kind = EventKind::SetValue; break;
        case GppAction::Delete: kind = EventKind::DeleteValue; break;
      }
    }
    record(Extension::Preferences, hklm_path(item.key), {kind, item.value, origin, condition});
  }
}

ResolvedKey PolicyState::resolve_key(std::string_view path) const {
  ResolvedKey out;
  out.path = std::string(path);
  // The events that reach this key: its own, deletions of keys above it, and writes below it.
  std::vector<Ref> refs;
  const auto collect = [&refs](const KeyEvents& k, Relation relation) {
    for (std::size_t x = 0; x < kExtensions; ++x)
      for (std::size_t i : k.by_extension[x]) refs.push_back({static_cast<Extension>(x), i, relation, &k.path});
  };
  if (auto it = keys_.find(path); it != keys_.end()) {
    collect(it->second, Relation::Self);
    out.path = it->second.path;
  }
  for (std::size_t cut = path.find('\\'); cut != std::string_view::npos; cut = path.find('\\', cut + 1))
    if (auto it = keys_.find(path.substr(0, cut)); it != keys_.end()) collect(it->second, Relation::Ancestor);
  const std::string below = std::string(path) + "\\";
  for (auto it = keys_.lower_bound(below); it != keys_.end() && istarts_with(it->first, below); ++it)
    collect(it->second, Relation::Descendant);
  if (refs.empty()) return out;
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    return std::pair(a.extension, a.index) < std::pair(b.extension, b.index);
  });

  // Replays the events with the extensions in a given order.
  const auto replay = [&](const std::vector<Extension>& order) {
    Replay r;
    for (Extension x : order)
      for (const Ref& ref : refs)
        if (ref.extension == x) apply(r, events_[index_of(x)][ref.index], ref.relation);
    return r;
  };
  std::vector<Extension> involved;
  for (const Ref& ref : refs)
    if (involved.empty() || involved.back() != ref.extension) involved.push_back(ref.extension);
  const Replay canonical = replay(involved);

  // Another order of the extensions that leaves a value (or the key) differently contests it.
  std::set<std::string, ILess> contested;
  bool base_contested = false, presence_contested = false;
  for (std::vector<Extension> order = involved; std::next_permutation(order.begin(), order.end());) {
    const Replay other = replay(order);
    for (const auto& [name, v] : canonical.values)
      if (!same(v, other.values.at(name))) contested.insert(name);
    base_contested = base_contested || other.base != canonical.base;
    presence_contested = presence_contested || other.presence != canonical.presence;
  }
  // "Registry.pol: ...; Preferences: ..." for each extension's last event on the value.
  const auto contest_doubt = [&](const std::function<bool(const Ref&)>& relevant) {
    std::vector<std::string> parts;
    for (Extension x : involved) {
      const Ref* last = nullptr;
      for (const Ref& ref : refs)
        if (ref.extension == x && relevant(ref)) last = &ref;
      if (last) parts.push_back(events_[index_of(x)][last->index].origin.describe());
    }
    return fmt::format(
        "contested: extensions that run separately leave it differently, so the one that ran last "
        "decides ({})",
        join(parts, "; "));
  };

  out.presence = presence_contested ? KeyPresence::Uncertain : canonical.presence;
  out.base_values = base_contested ? BaseValues::Uncertain : canonical.base;
  if (canonical.base_hidden_by && out.base_values == BaseValues::Hidden)
    out.base_values_origin = canonical.base_hidden_by->origin;
  out.doubts = canonical.doubts;
  if (presence_contested || base_contested) out.doubts.push_back(contest_doubt([](const Ref&) { return true; }));

  for (const auto& [name, v] : canonical.values) {
    if (v.kind == Sym::Base) continue;
    ResolvedValue rv;
    rv.name = name;
    switch (v.kind) {
      case Sym::Value: rv.state = ValueState::Set; break;
      case Sym::IfAbsent: rv.state = ValueState::SetIfAbsent; break;
      case Sym::Absent: rv.state = ValueState::Deleted; break;
      default: rv.state = ValueState::Uncertain; break;
    }
    if (v.kind == Sym::Value || v.kind == Sym::IfAbsent) rv.value = v.value;
    rv.doubts = v.doubts;
    if (v.decided_by) rv.origin = v.decided_by->origin;
    for (const Ref& ref : refs) {  // canonical order
      const Event& e = events_[index_of(ref.extension)][ref.index];
      if (touches_value(e, ref.relation, name)) rv.history.push_back({step_text(e, ref.relation, *ref.key), e.origin});
    }
    if (contested.count(name)) {
      rv.state = ValueState::Uncertain;
      rv.doubts.push_back(contest_doubt([this, &rv](const Ref& ref) {
        return touches_value(events_[index_of(ref.extension)][ref.index], ref.relation, rv.name);
      }));
    }
    out.values.push_back(std::move(rv));
  }
  return out;
}

std::optional<ResolvedValue> PolicyState::resolve_value(std::string_view path, std::string_view name) const {
  const ResolvedKey key = resolve_key(path);
  if (const ResolvedValue* v = key.find(name)) return *v;
  if (key.base_values == BaseValues::Visible) return std::nullopt;
  // Not named, but the host's values of the key are gone (or may be).
  ResolvedValue rv;
  rv.name = std::string(name);
  if (key.base_values == BaseValues::Hidden) {
    rv.state = ValueState::Deleted;
    if (key.base_values_origin) {
      rv.origin = *key.base_values_origin;
      rv.history.push_back({"every value of the key deleted", rv.origin});
    }
  } else {
    rv.state = ValueState::Uncertain;
    rv.doubts = key.doubts;
  }
  return rv;
}

std::optional<ResolvedValue> PolicyState::resolve_service_start(std::string_view service) const {
  return resolve_value("HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + std::string(service), "Start");
}

std::optional<AccountSetting> PolicyState::account_setting(std::string_view name) const {
  if (auto it = account_.find(name); it != account_.end()) return it->second;
  return std::nullopt;
}

std::vector<std::string> PolicyState::keys() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  for (const auto& [canonical, k] : keys_) out.push_back(k.path);
  return out;
}

}  // namespace smbaudit::gpo
