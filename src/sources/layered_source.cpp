// Layers over a fact source (include/smbaudit/fact_layer.h): the one place that decides
// how a layer's edits change the facts beneath it.
#include <fmt/format.h>

#include <algorithm>

#include "smbaudit/fact_layer.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// True when `key` lies strictly below `ancestor` ("HKLM\A\B" below "HKLM\A").
bool below(std::string_view key, std::string_view ancestor) {
  return key.size() > ancestor.size() && key[ancestor.size()] == '\\' && istarts_with(key, ancestor);
}

// A key the source could not read, once a layer writes into it: it exists, and only what the
// layers say about it is known.
RegistryKeyFact partly_known(const FactError& why) {
  RegistryKeyFact key;
  key.presence = Presence::Present;
  key.partly_unknown = why;
  return key;
}

// Makes the key exist (an edit created it, or a key below it), keeping what it held.
void make_present(FactResult<RegistryKeyFact>& result, const LayerNote& note) {
  if (!result) result = partly_known(result.error());
  if (result->presence == Presence::Absent) {
    result->presence = Presence::Present;
    result->layers.push_back(note);
  }
}

void set_value(RegistryKeyFact& key, const RegValue& value, LayerNote note) {
  auto it = std::find_if(key.values.begin(), key.values.end(),
                         [&](const RegValue& v) { return iequals(v.name, value.name); });
  if (it == key.values.end())
    key.values.push_back(value);
  else
    *it = RegValue{it->name, value.type, value.data};  // the name keeps the case it had
  key.presence = Presence::Present;
  key.layers.push_back(std::move(note));
}

// Keeps listed subkeys (FactPlan::registry_subkeys) true to an edit below their key: a subkey
// the edit creates, or may create, joins the list (absent beneath, as the list was complete,
// for the edit below to act on), and one it deletes leaves it.
void track_subkeys(const RegistryEdit& edit, FactSet& facts) {
  std::vector<std::string> joined;
  for (auto& [path, result] : facts.registry) {
    if (!result || !result->subkeys || !below(edit.key, path)) continue;
    const std::string_view rest = std::string_view(edit.key).substr(path.size() + 1);
    const std::string child(rest.substr(0, rest.find('\\')));
    auto& names = *result->subkeys;
    const auto it = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return iequals(n, child); });
    if (edit.action == LayerAction::DeleteKey) {
      if (it != names.end() && rest.size() == child.size()) names.erase(it);
    } else if (it == names.end() && edit.action != LayerAction::DeleteValue &&
               edit.action != LayerAction::DeleteValues) {
      names.push_back(child);
      joined.push_back(path + "\\" + child);
    }
  }
  for (auto& key : joined) facts.registry.try_emplace(std::move(key), RegistryKeyFact{});
}

void apply_registry_edit(const FactOrigin& origin, const RegistryEdit& edit, FactSet& facts) {
  const std::string& name = edit.value.name;
  track_subkeys(edit, facts);
  for (auto& [path, result] : facts.registry) {
    const bool same = iequals(path, edit.key);
    // A key below the one an edit creates or writes into exists too.
    if (!same && below(edit.key, path)) {
      if (edit.action == LayerAction::SetValue || edit.action == LayerAction::CreateKey ||
          (edit.action == LayerAction::CreateValue && result && result->presence == Presence::Absent))
        make_present(result, LayerNote{LayerAction::CreateKey, "", edit.key, origin});
      continue;
    }
    if (edit.action == LayerAction::DeleteKey && (same || below(path, edit.key))) {
      RegistryKeyFact gone;
      if (result) gone.layers = std::move(result->layers);
      if (result && result->subkeys) gone.subkeys.emplace();  // listed: now it has none
      gone.origin = result ? result->origin : std::string();
      gone.layers.push_back(LayerNote{LayerAction::DeleteKey, "", edit.key, origin});
      result = std::move(gone);
      continue;
    }
    if (!same) continue;
    switch (edit.action) {
      case LayerAction::SetValue:
        if (!result) result = partly_known(result.error());
        set_value(*result, edit.value, LayerNote{LayerAction::SetValue, name, edit.key, origin});
        break;
      case LayerAction::CreateValue: {
        // Only where the value does not exist beneath; where that cannot be known, nothing changes.
        if (!result) break;
        auto existing = result->value(name);
        if (existing && !*existing)
          set_value(*result, edit.value, LayerNote{LayerAction::CreateValue, name, edit.key, origin});
        break;
      }
      case LayerAction::DeleteValue:
        // Deleting from an unreadable key says nothing about whether the key exists: it stays unknown.
        if (!result || result->presence == Presence::Absent) break;
        std::erase_if(result->values, [&](const RegValue& v) { return iequals(v.name, name); });
        result->layers.push_back(LayerNote{LayerAction::DeleteValue, name, edit.key, origin});
        break;
      case LayerAction::DeleteValues:
        if (!result || result->presence == Presence::Absent) break;
        result->values.clear();
        result->partly_unknown.reset();  // every value is now known: there are none
        result->layers.push_back(LayerNote{LayerAction::DeleteValues, "", edit.key, origin});
        break;
      case LayerAction::CreateKey: make_present(result, LayerNote{LayerAction::CreateKey, "", edit.key, origin}); break;
      case LayerAction::Unknown:
        if (!result) break;  // unreadable already
        // An absent key the layer may write into may exist or not: all of it is unknown.
        if (name.empty() || result->presence == Presence::Absent) {
          result = Unexpected(FactError{FactProblem::Unknown, edit.doubt});
          break;
        }
        // The value may or may not be there: every value of the key the layer does not name
        // reads as unknown too (the fact keeps one reason per key), which errs towards doubt.
        std::erase_if(result->values, [&](const RegValue& v) { return iequals(v.name, name); });
        if (!result->partly_unknown) result->partly_unknown = FactError{FactProblem::Unknown, edit.doubt};
        result->layers.push_back(LayerNote{LayerAction::Unknown, name, edit.key, origin});
        break;
      case LayerAction::DeleteKey:  // handled above
      case LayerAction::SetStartType:
      case LayerAction::SetPolicy: break;  // not registry edits
    }
  }
}

void apply_service_edit(const FactOrigin& origin, const ServiceEdit& edit, FactSet& facts) {
  auto it = facts.services.find(edit.service);
  // Policy sets the start type of an installed service; it installs none, and a service the
  // source could not read stays unreadable.
  if (it == facts.services.end() || !it->second || it->second->presence != Presence::Present) return;
  if (!edit.doubt.empty()) {
    it->second = Unexpected(FactError{FactProblem::Unknown, edit.doubt});
    return;
  }
  it->second->start_type = edit.start_type;
  it->second->layers.push_back(LayerNote{LayerAction::SetStartType, "", edit.service, origin});
}

void apply_policy_edit(const FactOrigin& origin, const AccountPolicyEdit& edit, FactSet& facts) {
  if (!facts.account_policy) return;  // not in the plan
  auto& result = *facts.account_policy;
  if (!edit.min_password_length) return;
  // Where policy sets a property, it decides it, whatever the source could read.
  if (!result) result = AccountPolicyFact{};
  result->min_password_length = edit.min_password_length;
  result->layers.push_back(LayerNote{LayerAction::SetPolicy, "min_password_length", "", origin});
}

class FixedLayer final : public FactLayer {
 public:
  FixedLayer(std::string name, LayerEdits edits) : name_(std::move(name)), edits_(std::move(edits)) {}
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] Expected<LayerEdits, CollectError> edits(const FactPlan&, const FactSet&) const override {
    return edits_;
  }

 private:
  std::string name_;
  LayerEdits edits_;
};

class LayeredSource final : public FactSource {
 public:
  LayeredSource(std::unique_ptr<FactSource> base, std::vector<std::shared_ptr<const FactLayer>> layers)
      : base_(std::move(base)), layers_(std::move(layers)) {}

  [[nodiscard]] SourceInfo info() const override {
    SourceInfo info = base_->info();
    std::vector<std::string> names;
    for (const auto& layer : layers_)
      if (!layer->part_of_host()) names.push_back(layer->name());
    if (!names.empty())
      info.description += fmt::format("; with {} over it, the last one winning", join(names, ", then "));
    return info;
  }

  Expected<HostFacts, CollectError> host() override { return base_->host(); }
  // The host a fleet run names before anything is read (and --skip-existing matches) is the
  // base's: layers never change which host it is.
  [[nodiscard]] std::string known_host() const override { return base_->known_host(); }
  [[nodiscard]] std::function<std::string()> activity() const override { return base_->activity(); }

  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    FactPlan wide = plan;
    for (const auto& layer : layers_)
      for (auto& key : layer->reads(plan)) wide.registry_keys.insert(std::move(key));
    layer_keys_ = wide.registry_keys.size() - plan.registry_keys.size();
    SMBAUDIT_TRY_ASSIGN(FactSet facts, base_->collect(wide));
    for (const auto& layer : layers_) {
      SMBAUDIT_TRY_ASSIGN(const LayerEdits edits, layer->edits(plan, facts));
      apply_layer(layer->name(), edits, facts);
    }
    return facts;
  }

  // The base's summary, and how many of the keys it read were for the layers (the MDM store's
  // areas), which the rules' plan does not count.
  [[nodiscard]] std::string collection_summary() const override {
    std::string summary = base_->collection_summary();
    if (!summary.empty() && layer_keys_ > 0)
      summary += fmt::format("; {} of the registry keys for the layers over the host", layer_keys_);
    return summary;
  }

 private:
  std::size_t layer_keys_ = 0;
  std::unique_ptr<FactSource> base_;
  std::vector<std::shared_ptr<const FactLayer>> layers_;
};

}  // namespace

std::vector<std::string> FactLayer::reads(const FactPlan&) const {
  return {};
}

namespace {
template <typename Edit>
FactOrigin origin_of(const std::string& layer, const Edit& edit) {
  return FactOrigin{edit.by.empty() ? layer : edit.by, edit.location};
}
}  // namespace

void apply_layer(const std::string& layer, const LayerEdits& edits, FactSet& facts) {
  for (const auto& edit : edits.registry) apply_registry_edit(origin_of(layer, edit), edit, facts);
  for (const auto& edit : edits.services) apply_service_edit(origin_of(layer, edit), edit, facts);
  for (const auto& edit : edits.account_policy) apply_policy_edit(origin_of(layer, edit), edit, facts);
  for (const auto& edit : edits.wmi)
    if (auto it = facts.wmi.find(edit.wmi_class); it != facts.wmi.end() && it->second)
      it->second = Unexpected(FactError{FactProblem::Unknown, edit.doubt});
}

std::shared_ptr<const FactLayer> make_fixed_layer(std::string name, LayerEdits edits) {
  return std::make_shared<const FixedLayer>(std::move(name), std::move(edits));
}

std::unique_ptr<FactSource> layer_sources(std::unique_ptr<FactSource> base,
                                          std::vector<std::shared_ptr<const FactLayer>> layers) {
  if (layers.empty()) return base;
  return std::make_unique<LayeredSource>(std::move(base), std::move(layers));
}

}  // namespace smbaudit
