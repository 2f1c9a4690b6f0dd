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

// Evidence for a registry value that was read and found.
Evidence value_evidence(const std::string& key, const RegValue& value, EvidenceRole role);

// Evidence for a fact that could not be read, and the outcome it forces.
Outcome unreadable(const FactError& error, Evidence e, const std::string& what, const EvidenceSink& sink);

}  // namespace smbaudit
