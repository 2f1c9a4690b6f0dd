// What evaluating one check yields, shared by the evaluator and the specialised checks.
#pragma once

#include <functional>
#include <string>

#include "smbaudit/engine.h"

namespace smbaudit {

struct Outcome {
  Status status = Status::Unknown;
  std::string explanation;
};

// Receives each piece of evidence a check consults (deduplicated by the evaluator).
using EvidenceSink = std::function<void(Evidence)>;

// Evidence for a registry value of `fact` (the key at `key`) that was read and found, with
// where it was read and the layer that decided it, when one did.
Evidence value_evidence(const std::string& key, const RegistryKeyFact& fact, const RegValue& value, EvidenceRole role);
// The layer note that decided whether `fact` exists (created or deleted it), if any.
[[nodiscard]] std::optional<LayerNote> key_layer(const RegistryKeyFact& fact);
// Evidence that the value `name` of `fact` is absent, naming the layer that deleted it, if any.
Evidence absent_value_evidence(const std::string& key, const RegistryKeyFact& fact, const std::string& name);

// Evidence for a fact that could not be read, and the outcome it forces.
Outcome unreadable(const FactError& error, Evidence e, const std::string& what, const EvidenceSink& sink);

}  // namespace smbaudit
