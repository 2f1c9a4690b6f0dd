// Group Policy as a layer over a host source (docs/group-policy.md): an ordered list of GPO
// folders, read by the folder reader and combined by the policy model, becomes one
// FactLayer. One layer for the whole list, not one per GPO, because Windows does not apply
// GPO after GPO: it runs each client-side extension over every GPO in turn (Registry.pol,
// then GptTmpl.inf, then GPP), and a value two extensions contest is unknown. Each edit still
// names the GPO, file and record that decided it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "policy_state.h"
#include "smbaudit/expected.h"
#include "smbaudit/fact_layer.h"

namespace smbaudit::gpo {

// The layer for `policy` (its GPOs already added in order).
[[nodiscard]] std::shared_ptr<const FactLayer> make_gpo_layer(PolicyState policy);

// Reads each folder in order (later ones winning) into one layer; the error is one line
// naming the file and what is wrong.
[[nodiscard]] Expected<std::shared_ptr<const FactLayer>, std::string> open_gpo_layer(
    const std::vector<std::filesystem::path>& folders);

}  // namespace smbaudit::gpo
