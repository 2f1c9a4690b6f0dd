#include <algorithm>

#include "smbaudit/engine.h"
#include "smbaudit/text.h"

namespace smbaudit {

std::string_view to_string(WaiverState state) {
  return state == WaiverState::Active ? "active" : "expired";
}

void apply_waivers(Report& report, const WaiverList& waivers, std::string_view today) {
  const auto covers_host = [&report](const Waiver& w) {
    return w.hosts.empty() || std::any_of(w.hosts.begin(), w.hosts.end(), [&](const std::string& pattern) {
             return glob_match(pattern, report.host.name);
           });
  };
  for (auto& finding : report.findings) {
    if (finding.status == Status::Pass || finding.status == Status::NotApplicable) continue;
    for (std::size_t i = 0; i < waivers.waivers.size(); ++i) {
      const Waiver& w = waivers.waivers[i];
      if (w.rule != finding.rule->id || !covers_host(w)) continue;
      // ISO dates compare as strings; the expiry day itself is still covered.
      const WaiverState state = std::string_view(w.expires) < today ? WaiverState::Expired : WaiverState::Active;
      if (finding.waiver && (finding.waiver->state == WaiverState::Active || state == WaiverState::Expired)) continue;
      finding.waiver = AppliedWaiver{state, w.justification, w.expires, waivers.file, i};
    }
  }
}

}  // namespace smbaudit
