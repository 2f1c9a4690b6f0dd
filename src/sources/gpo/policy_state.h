// What an ordered list of GPOs does to a computer's registry, services and account policy,
// with the origin of every setting (docs/group-policy.md). A plain data structure: it knows
// nothing of fact sources, so a host source, a target's defaults or the CLI can each put
// it over what lies beneath.
//
// How it applies GPOs. Windows runs each client-side extension over the whole GPO list, the
// Registry extension first, then the others in CSE GUID order ([MS-GPOL] 3.2.5.1.10,
// 3.2.1.24): Registry.pol of every GPO, then GptTmpl.inf of every GPO, then GPP Registry.xml
// of every GPO; within one extension later GPOs and later records win. That is the
// canonical order, and what resolve_key() reports. Because each extension writes the real
// value without knowing the others, and they do not always run together, a value two
// extensions leave differently is *contested* (which one wins depends on which ran last):
// resolve_key() replays the extensions involved in every order and marks such a value
// Uncertain, naming both origins.
//
// How deletions combine with what came before (earlier records, earlier GPOs, earlier
// extensions, and the host's own values beneath):
// - "**del.NAME", "**DeleteValues" and a GPP delete remove the value, whoever set it;
// - "**delvals." removes every value of the key: those earlier GPOs and extensions set,
//   and the host's own. It acts before the other records of its file for that key,
//   wherever it stands (the control code is to be processed first), so that file's values
//   for the key, like later GPOs' and later extensions', are present again;
// - "**DeleteKeys" and a GPP key delete remove the subkey, its values and every key below
//   it, the host's included; a value set later below it recreates the keys on its path;
// - a GPP key replace removes the key's values and subkeys and keeps the key;
// - "**soft.NAME" and GPP create set a value only where none exists at that point: over an
//   earlier GPO's value they do nothing, over a deleted one they set it, and over the
//   host's value they depend on it (SetIfAbsent, resolved by whoever knows the host).
// A GPP item with item-level targeting may or may not apply: what it would change becomes
// Uncertain until a later definite setting decides the value again.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gpo_folder.h"
#include "smbaudit/text.h"
#include "smbaudit/value.h"

namespace smbaudit::gpo {

// The client-side extensions that apply a GPO's machine policy files, in the order they run.
enum class Extension { Registry, Security, Preferences };
[[nodiscard]] std::string_view to_string(Extension extension);

// Where a setting came from: the GPO, the file, and the place in it.
struct Origin {
  std::string gpo;   // GpoInfo::label(): "'Baseline' {GUID}"
  std::string guid;  // may be empty
  std::string display_name;
  std::string file;  // the file's path as read
  Extension extension = Extension::Registry;
  std::uint64_t offset = 0;  // Registry.pol: the record's byte offset
  int line = 0;              // GptTmpl.inf, Registry.xml: the line
  std::string item;          // GPP: the item's name; Registry.pol: the control code used, if any

  // "GPO 'Baseline' {GUID}, Registry.pol record at byte 1234" (one line).
  [[nodiscard]] std::string describe() const;
  // The same without the GPO: "Registry.pol record at byte 1234".
  [[nodiscard]] std::string location() const;
};

// One step in a value's history, in the canonical order: who did what to it.
struct Step {
  std::string what;  // "set to 1 (REG_DWORD)", "deleted (**del.)", "all values of the key deleted (**delvals.)"
  Origin origin;
};

enum class ValueState {
  Set,          // the policy sets `value`
  SetIfAbsent,  // "**soft." / GPP create over the host's value: `value` only if the host has none
  Deleted,      // the policy removes the value
  Uncertain,    // contested between extensions, or changed by an item that may not apply: unknown
};
[[nodiscard]] std::string_view to_string(ValueState state);

struct ResolvedValue {
  std::string name;
  ValueState state = ValueState::Set;
  std::optional<RegValue> value;    // Set, SetIfAbsent
  Origin origin;                    // the step that decided it
  std::vector<Step> history;        // every step on it, the deciding one last
  std::vector<std::string> doubts;  // Uncertain: why ("contested: ...", "item-level targeting: ...")
};

enum class KeyPresence {
  FromBase,   // the policy says nothing about whether the key exists
  Present,    // the policy creates it (or a value in it, or below it)
  Deleted,    // the policy deletes it (or a key above it) and does not recreate it
  Uncertain,  // contested, or changed by an item that may not apply
};
enum class BaseValues {
  Visible,    // the host's own values of the key stay, unless listed in `values`
  Hidden,     // every value beneath is gone ("**delvals.", a key deletion or replace)
  Uncertain,  // hidden only if an item that may not apply applies, or contested
};
[[nodiscard]] std::string_view to_string(KeyPresence presence);
[[nodiscard]] std::string_view to_string(BaseValues base);

// The policy's view of one key: what it does to the key and to each value it names. A value
// the policy does not name is the host's when base_values is Visible, absent when Hidden.
struct ResolvedKey {
  std::string path;  // "HKLM\..."
  KeyPresence presence = KeyPresence::FromBase;
  BaseValues base_values = BaseValues::Visible;
  std::optional<Origin> base_values_origin;  // what hid them (Hidden)
  std::vector<ResolvedValue> values;         // every value the policy names, by name
  std::vector<std::string> doubts;           // why presence or base_values are Uncertain

  [[nodiscard]] bool touched() const;  // the policy does anything to the key
  [[nodiscard]] const ResolvedValue* find(std::string_view name) const;
};

// A [System Access] setting: the last GPO's value, and those it overrode.
struct AccountSetting {
  std::string name;
  std::variant<std::int64_t, std::string> value;
  Origin origin;
  std::vector<Origin> overridden;  // earlier GPOs' settings of the same name, in order
};

class PolicyState {
 public:
  // Appends a GPO to the list: it applies after (and wins over) every GPO added before it.
  void add(const Gpo& gpo);

  // The GPOs added, in order.
  [[nodiscard]] const std::vector<GpoInfo>& gpos() const { return gpos_; }

  // What the policy does to the key at `path` ("HKLM\..." in any case) and its values.
  [[nodiscard]] ResolvedKey resolve_key(std::string_view path) const;
  // One value of a key; nullopt when the policy neither names it nor hides the host's values.
  [[nodiscard]] std::optional<ResolvedValue> resolve_value(std::string_view path, std::string_view name) const;
  // The start mode the policy gives a service (its key's Start value: a security template's
  // [Service General Setting], or a registry write to Services\NAME\Start).
  [[nodiscard]] std::optional<ResolvedValue> resolve_service_start(std::string_view service) const;
  // A [System Access] setting ("MinimumPasswordLength"), matched in any case.
  [[nodiscard]] std::optional<AccountSetting> account_setting(std::string_view name) const;

  // Every key path the policy names, "HKLM\..." as first written.
  [[nodiscard]] std::vector<std::string> keys() const;
  // What was read but not applied, one line each: GPOs with computer settings disabled,
  // disabled GPP items, items and template lines for other hives.
  [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }

  enum class EventKind { SetValue, SoftSetValue, DeleteValue, CreateKey, DeleteAllValues, ClearKey, DeleteKey };
  struct Event {
    EventKind kind = EventKind::SetValue;
    RegValue value;  // the name for value events; the data for SetValue and SoftSetValue
    Origin origin;
    std::string condition;  // non-empty: may not apply (GPP item-level targeting), and why
  };

 private:
  void record(Extension extension, std::string path, Event event);
  void add_registry_pol(const Gpo& gpo, const Origin& base);
  void add_gpttmpl(const Gpo& gpo, const Origin& base);
  void add_registry_xml(const Gpo& gpo, const Origin& base);

  std::vector<GpoInfo> gpos_;
  std::vector<std::string> notes_;
  // Events per extension in application order (GPO order, then file order).
  std::vector<Event> events_[3];
  // Per key path, the indices of its events in events_[extension].
  struct KeyEvents {
    std::string path;  // as first written
    std::vector<std::size_t> by_extension[3];
  };
  std::map<std::string, KeyEvents, ILess> keys_;
  std::map<std::string, AccountSetting, ILess> account_;
};

}  // namespace smbaudit::gpo
