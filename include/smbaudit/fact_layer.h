// Layers over a fact source: Group Policy files, an MDM policy store, an image's local
// policy. A layer answers only the keys, values, services and account policy it holds, set
// or deleted, and leaves the rest to the source beneath it; every fact it answers records
// which layer said so and where (FactOrigin), so evidence and explain can name it.
//
// A layer is small: it turns what it read into LayerEdits, in the order its files say them.
// layer_sources() stacks layers over a base (snapshot, hive files, image, live host, or a
// target host with no registry of its own) and applies them in order, the last one winning,
// as Windows applies local, site, domain and OU policy. The rules of applying live in one
// place (apply_layer), so every layer deletes, creates and overrides the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smbaudit/fact_source.h"
#include "smbaudit/facts.h"

namespace smbaudit {

// One change a layer makes to the registry beneath it. Actions (LayerAction):
// - SetValue: `value` is set in `key`, which then exists, and so do its parents.
// - CreateValue: the same, but only where the value does not exist beneath (Group Policy
//   Preferences "Create"); where that cannot be known, nothing changes.
// - DeleteValue: the value named `value.name` no longer exists.
// - DeleteValues: no value of `key` exists any more (Registry.pol's **delvals.); the key stays.
// - DeleteKey: `key` and every key below it no longer exist.
// - CreateKey: `key` exists (with the values it had), and so do its parents.
// - Unknown: the layer may or may not change the value named `value.name` (the whole key
//   when the name is empty), for the reason in `doubt`; what it reads as can no longer be
//   known (Group Policy settings two extensions contest, GPP item-level targeting).
struct RegistryEdit {
  LayerAction action = LayerAction::SetValue;
  std::string key;       // canonical "HKLM\..." path (normalize_registry_path)
  RegValue value;        // SetValue, CreateValue: the value; DeleteValue, Unknown: its name
  std::string location;  // where the layer says so: "Machine\Registry.pol, record at 0x1A4"
  // Who made the edit, when one layer speaks for several (Group Policy applies a list of
  // GPOs in one canonical order); empty: the layer itself.
  std::string by;
  std::string doubt;  // Unknown: why
};

// A service start type a layer sets (GptTmpl.inf [Service General Setting]). It changes a
// service the base has; it installs none, and an unreadable service stays unreadable.
struct ServiceEdit {
  std::string service;
  StartType start_type = StartType::Disabled;
  std::string location;
  std::string by;     // as RegistryEdit::by
  std::string doubt;  // non-empty: the layer may change the start type; it becomes unknown for this reason
};

// Account policy a layer sets (GptTmpl.inf [System Access]); members left empty are not set.
struct AccountPolicyEdit {
  std::optional<int> min_password_length;
  std::string location;
  std::string by;  // as RegistryEdit::by
};

// A WMI class whose instances the source read before the layer applied, and which report
// configuration the layer changes (MSFT_SmbClientConfiguration mirrors LanmanWorkstation's
// parameters): it becomes unknown for `doubt`, so rules fall back to the registry the layer
// wrote instead of reading a stale effective value.
struct WmiEdit {
  WmiClassRef wmi_class;
  std::string doubt;
};

// Everything one layer says, each list in the order the layer says it: later edits win.
struct LayerEdits {
  std::vector<RegistryEdit> registry;
  std::vector<ServiceEdit> services;
  std::vector<AccountPolicyEdit> account_policy;
  std::vector<WmiEdit> wmi;
};

class FactLayer {
 public:
  virtual ~FactLayer() = default;
  // The layer's name in evidence and explain: "GPO 'SMB baseline' {31B2F340-...}", "MDM".
  [[nodiscard]] virtual std::string name() const = 0;
  // True for a store that is part of the host itself (its MDM store), read under every host
  // source: a source's description names only the layers someone put over the host.
  [[nodiscard]] virtual bool part_of_host() const { return false; }
  // Registry keys the layer reads from beneath it to decide its edits (an MDM store's keys);
  // a layer that carries its own data (a parsed GPO) reads nothing.
  [[nodiscard]] virtual std::vector<std::string> reads(const FactPlan& plan) const;
  // The layer's edits for `plan`. `beneath` holds the plan's facts and those of reads() as the
  // base and the layers under this one left them. An error stops the collection (a file that
  // could not be read is bad input).
  [[nodiscard]] virtual Expected<LayerEdits, CollectError> edits(const FactPlan& plan,
                                                                 const FactSet& beneath) const = 0;
};

// A layer whose edits are known when it is made: a parsed GPO, a local Group Policy file.
[[nodiscard]] std::shared_ptr<const FactLayer> make_fixed_layer(std::string name, LayerEdits edits);

// Applies one layer's edits to `facts` (every key, service and policy collected in it),
// recording `layer` and each edit's location on what they change. What layer_sources does
// for each layer; exposed for tests and for layers that build on another.
void apply_layer(const std::string& layer, const LayerEdits& edits, FactSet& facts);

// `base` with `layers` applied over it, bottom first: one source whose host facts are the
// base's. Layers are shared (const): one GPO applies to every audited host.
[[nodiscard]] std::unique_ptr<FactSource> layer_sources(std::unique_ptr<FactSource> base,
                                                        std::vector<std::shared_ptr<const FactLayer>> layers);

}  // namespace smbaudit
