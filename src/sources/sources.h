// The table of fact sources, where each source owns its command-line flags (ccache's
// backend-attributes style): adding a source is one entry here and a file of its own;
// the command line (src/cli) adds every entry's flags and --help lists them from here.
//
// A source is either a host source, which gives the host facts and the registry beneath
// (exactly one per run: a facts file, an offline image, a live host...), or a layer source,
// which stacks layers over whatever host source was chosen (fact_layer.h).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/fact_layer.h"
#include "smbaudit/fact_source.h"

namespace smbaudit {

// Text: one value. TextList: repeatable, every value kept in order. Integer: a whole number.
enum class FlagKind { Text, TextList, Integer };

// Selects: giving the flag chooses its source. Setting: it only tunes the source (--timeout).
enum class FlagRole { Selects, Setting };

struct SourceFlag {
  std::string_view name;        // "--facts"
  std::string_view value_name;  // "FILE", shown in usage lines
  std::string_view help;
  FlagKind kind = FlagKind::Text;
  FlagRole role = FlagRole::Selects;
  int min = 0, max = 0, fallback = 0;  // Integer only: the accepted range and the value when not given
};

// The values given for the source flags, by flag name. The command line binds each flag to
// its slot; sources read them by name (a flag not given reads empty, or as its fallback).
class SourceArgs {
 public:
  std::string& text_slot(std::string_view flag);
  std::vector<std::string>& list_slot(std::string_view flag);
  int& integer_slot(std::string_view flag);

  [[nodiscard]] std::string text(std::string_view flag) const;
  [[nodiscard]] std::vector<std::string> list(std::string_view flag) const;
  [[nodiscard]] int integer(std::string_view flag, int fallback) const;
  // True when a value was given for the flag (an Integer: when it is not the flag's fallback,
  // which is what the command line leaves in a flag not given).
  [[nodiscard]] bool given(const SourceFlag& flag) const;

  // For callers without a command line (tests, other programs): sets a Text flag, or adds
  // one value to a TextList flag.
  SourceArgs& set(std::string_view flag, std::string value);
  SourceArgs& add(std::string_view flag, std::string value);

 private:
  std::map<std::string, std::string, std::less<>> text_;
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
  std::map<std::string, int, std::less<>> integers_;
};

// True when any selecting flag of `flags` was given.
[[nodiscard]] bool any_given(std::span<const SourceFlag> flags, const SourceArgs& args);
// "--system PATH --software PATH": the selecting flags with their value names.
[[nodiscard]] std::string flags_usage(std::span<const SourceFlag> flags);
// "--system or --software": the selecting flags' names, for messages.
[[nodiscard]] std::string flag_names(std::span<const SourceFlag> flags);

enum class SourceAvailability { Built, NotInThisBuild };

using HostSources = std::vector<std::unique_ptr<FactSource>>;
using Layers = std::vector<std::shared_ptr<const FactLayer>>;
// A host source opens one source per audited host (a remote run audits several); a layer
// source opens its layers, bottom first. Errors name the file or host.
using OpenHosts = Expected<HostSources, CollectError> (*)(const SourceArgs& args);
using OpenLayers = Expected<Layers, CollectError> (*)(const SourceArgs& args);

struct SourceEntry {
  std::string_view name;
  std::string usage;  // "--facts FILE", for --help and the "no source given" message
  std::string_view description;
  SourceAvailability availability = SourceAvailability::Built;
  std::vector<SourceFlag> flags;
  std::variant<OpenHosts, OpenLayers> open;

  [[nodiscard]] bool is_layer() const { return std::holds_alternative<OpenLayers>(open); }
  [[nodiscard]] bool selected(const SourceArgs& args) const { return any_given(flags, args); }
};

// The one table of fact sources; feeds the command line's flags and --help.
[[nodiscard]] std::span<const SourceEntry> fact_sources();

// What the flags chose: one host source (nullptr when none was given and this build has no
// default, live on Windows) and the layer sources over it, in table order.
struct SourceSelection {
  const SourceEntry* host = nullptr;
  std::vector<const SourceEntry*> layers;
};

// At most one host source may be selected; every selected source must be in this build.
[[nodiscard]] Expected<SourceSelection, std::string> select_sources(
    const SourceArgs& args, std::span<const SourceEntry> table = fact_sources());

// Opens the selection: one source per audited host, each with the selected layers over it.
[[nodiscard]] Expected<HostSources, CollectError> open_selection(const SourceSelection& selection,
                                                                 const SourceArgs& args);

// True when any source's selecting flag was given (explain evaluates only then).
[[nodiscard]] bool any_source_given(const SourceArgs& args, std::span<const SourceEntry> table = fact_sources());

}  // namespace smbaudit
