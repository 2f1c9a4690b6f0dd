#include "render.h"

#include <fmt/format.h>

#include <algorithm>

#include "smbaudit/text.h"

namespace smbaudit {
namespace {

int status_rank(Status s) {
  switch (s) {
    case Status::Fail: return 0;
    case Status::Error: return 1;
    case Status::Unknown: return 2;
    case Status::Pass: return 3;
    case Status::NotApplicable: return 4;
  }
  return 5;
}

std::string where(const Evidence& e) {
  switch (e.kind) {
    // Key and value apart: a UNC value name (\\*\SYSVOL) joined to its key by a backslash is unreadable.
    case EvidenceKind::Registry: return e.name.empty() ? e.path : e.path + ", value " + e.name;
    case EvidenceKind::Service: return "service " + e.path;
    case EvidenceKind::Wmi: return e.path + "." + e.name;
    case EvidenceKind::Host: return "host " + e.path;
    case EvidenceKind::Default: return "Windows default";
  }
  return e.path;
}

}  // namespace

std::string_view status_label(Status s) {
  switch (s) {
    case Status::Pass: return "PASS";
    case Status::Fail: return "FAIL";
    case Status::NotApplicable: return "N/A";
    case Status::Unknown: return "UNKNOWN";
    case Status::Error: return "ERROR";
  }
  return "?";
}

std::string decided_text(const Finding& finding) {
  std::vector<std::string> parts;
  for (const auto& d : decided_by(finding)) {
    std::string store(to_string(d.store));
    std::replace(store.begin(), store.end(), '_', ' ');
    parts.push_back(d.detail.empty() ? store : store + ": " + d.detail);
  }
  return join(parts, "; ");
}

std::string evidence_line(const Evidence& e) {
  std::string out = where(e);
  if (e.readability != Readability::Read) {
    out +=
        fmt::format(": could not read ({}): {}", e.readability == Readability::Unknown ? "unknown" : "error", e.note);
  } else if (e.kind == EvidenceKind::Default) {
    if (!e.path.empty()) out += " when " + e.path;
    out += ": " + (is_null(e.data) ? std::string("no value") : describe(e.data));
    if (!e.note.empty()) out += " (" + e.note + ")";
  } else if (e.kind == EvidenceKind::Service) {
    if (e.presence != Presence::Present) {
      out += ": not installed";
    } else {
      out += ": installed";
      if (e.start_type) out += fmt::format(", start type {}", to_string(*e.start_type));
      if (e.state) out += fmt::format(", {}", to_string(*e.state));
    }
  } else if (e.presence != Presence::Present) {
    out += ": absent";
  } else if (e.kind == EvidenceKind::Registry && e.name.empty()) {
    out += ": present";
  } else {
    out += " = " + (e.kind == EvidenceKind::Host ? describe_decimal(e.data) : describe(e.data));
    if (e.type) out += fmt::format(" ({})", to_string(*e.type));
  }
  if (!e.origin.empty()) out += fmt::format(" [read from {}]", e.origin);
  if (e.layer) out += fmt::format(" [{}]", layer_phrase(*e.layer));
  if (e.role == EvidenceRole::Decided) out += " (decided)";
  return out;
}

std::vector<const Finding*> failures_first(const Report& report) {
  std::vector<const Finding*> order;
  for (const auto& f : report.findings) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const Finding* a, const Finding* b) {
    if (status_rank(a->status) != status_rank(b->status)) return status_rank(a->status) < status_rank(b->status);
    if (a->waived() != b->waived()) return b->waived();
    return a->severity > b->severity;
  });
  return order;
}

FindingGroups group_findings(const Report& report) {
  FindingGroups g;
  for (const Finding* f : failures_first(report)) {
    if (f->status == Status::Pass || f->status == Status::NotApplicable)
      g.fine.push_back(f);
    else if (f->waived())
      g.waived.push_back(f);
    else
      g.attention.push_back(f);
  }
  return g;
}

std::string host_summary(const HostFacts& h) {
  std::vector<std::string> parts;
  if (h.role) parts.emplace_back(to_string(*h.role));
  if (h.build)
    parts.push_back(h.ubr ? fmt::format("build {}.{}", *h.build, *h.ubr) : fmt::format("build {}", *h.build));
  if (h.edition) parts.push_back(*h.edition);
  if (h.membership)
    parts.push_back(*h.membership == Membership::Domain ? "domain " + h.domain.value_or("(joined)") : "workgroup");
  return join(parts, ", ");
}

std::string score_text(const std::optional<double>& score) {
  return score ? fmt::format("{:.1f}", *score) : "n/a";
}

std::string coverage_text(const Score& score) {
  return coverage_text(coverage(score.totals));
}

std::string coverage_text(const Coverage& c) {
  return fmt::format("scored {} of {} rule{}", c.scored, c.applicable, c.applicable == 1 ? "" : "s");
}

const std::string& stable_host_name(const Report& report) {
  return report.host_label.empty() ? report.host.name : report.host_label;
}

std::string counts_text(const LayerScore& c) {
  std::vector<std::string> parts{fmt::format("{} pass", c.passed), fmt::format("{} fail", c.failed)};
  if (c.unknown) parts.push_back(fmt::format("{} unknown", c.unknown));
  if (c.error) parts.push_back(fmt::format("{} error", c.error));
  if (c.not_applicable) parts.push_back(fmt::format("{} n/a", c.not_applicable));
  return join(parts, ", ");
}

std::string waiver_note(const AppliedWaiver& w) {
  return w.state == WaiverState::Active
             ? fmt::format("waived until {}: {}", w.expires, w.justification)
             : fmt::format("waiver expired on {}, so it no longer applies: {}", w.expires, w.justification);
}

std::string primary_location(const Rule& rule) {
  const auto refs = fact_refs(rule.check);
  // Host facts (build, role) qualify most rules; the setting they check is the better place.
  const auto it = std::find_if(refs.begin(), refs.end(), [](const FactRef& r) { return r.kind != FactKind::Host; });
  if (it == refs.end()) return refs.empty() ? rule.id : describe(refs.front());
  switch (it->kind) {
    case FactKind::Registry: return it->path + "\\" + it->name;
    case FactKind::RegistryKey: return it->path;
    case FactKind::RegistrySubkeys: return it->path + "\\*\\" + it->name;
    case FactKind::Wmi: return it->wmi.name_space + ":" + it->wmi.class_name + "." + it->name;
    case FactKind::Service: return "HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + it->path;
    case FactKind::Host:
    case FactKind::AccountPolicy: break;
  }
  return describe(*it);
}

std::string stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string finding_fingerprint(const Finding& f, std::string_view host) {
  std::string key = f.rule->id;
  key += '\0';
  key += to_lower(host);  // Windows host names are case-insensitive
  key += '\0';
  key += primary_location(*f.rule);
  return stable_hash(key);
}

}  // namespace smbaudit
