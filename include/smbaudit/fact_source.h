// The seam between collection and evaluation: a fact source collects a plan's
// facts once; the engine never touches the operating system.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/facts.h"

namespace smbaudit {

// Why a whole collection failed (as opposed to one fact): the exit code follows from it.
enum class CollectFailure { BadInput, CollectionFailed };

struct CollectError {
  CollectFailure failure = CollectFailure::BadInput;
  std::string message;  // one line, naming the file or host
  // The host a CollectionFailed concerns, when the source knows it: the run then still
  // reports that host, every finding an error carrying `message`.
  std::string host;
};

struct SourceInfo {
  std::string kind;         // "snapshot", "live", "offline"
  std::string description;  // e.g. the facts file's path
};

class FactSource {
 public:
  virtual ~FactSource() = default;
  // Describes the source for the report's "source" field.
  [[nodiscard]] virtual SourceInfo info() const = 0;
  // Returns the host's own facts, or why the source cannot be read at all.
  virtual Expected<HostFacts, CollectError> host() = 0;
  // Collects every fact in the plan once; a fact that fails is recorded in the set, not thrown.
  virtual Expected<FactSet, CollectError> collect(const FactPlan& plan) = 0;
  // What collecting cost (reads, queries, time) for the -v log; empty when there is nothing to say.
  [[nodiscard]] virtual std::string collection_summary() const { return {}; }
  // The host's name before anything is read, when the source knows it (a remote computer's
  // name); empty otherwise. Fleet runs name a host that never answers by it, and skip it
  // (--skip-existing) without contacting it.
  [[nodiscard]] virtual std::string known_host() const { return {}; }
  // What the source is doing at the moment it is asked ("querying WMI"), for the message of a
  // host given up on at its deadline: a function callable from any thread, even after the
  // source is gone; empty when the source has nothing to say.
  [[nodiscard]] virtual std::function<std::string()> activity() const { return {}; }
};

}  // namespace smbaudit
