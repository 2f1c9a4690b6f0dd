// The facts snapshot: a versioned JSON file of host facts and collected facts.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "smbaudit/fact_source.h"

namespace smbaudit {

inline constexpr std::string_view kFactsSchema = "smbaudit-facts/1";

// Opens a facts file; errors (missing, not JSON, wrong schema) name the file.
[[nodiscard]] Expected<std::unique_ptr<FactSource>, CollectError> open_snapshot(const std::filesystem::path& path);

// Parses snapshot text; `name` is used in messages.
[[nodiscard]] Expected<std::unique_ptr<FactSource>, CollectError> parse_snapshot(std::string_view text,
                                                                                 std::string name);

// Serialises host facts and a fact set as a snapshot (what `collect` writes); a non-empty
// `collection_error` records that the host could not be collected at all.
[[nodiscard]] std::string write_snapshot(const HostFacts& host, const FactSet& facts,
                                         const std::string& collection_error = {});

}  // namespace smbaudit
