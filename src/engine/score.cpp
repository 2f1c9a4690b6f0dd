// Scores: per layer and overall, each finding weighted by its severity; coverage.
#include <cmath>
#include <map>

#include "smbaudit/engine.h"

namespace smbaudit {

int severity_weight(Severity severity) {
  switch (severity) {
    case Severity::Critical: return 10;
    case Severity::High: return 5;
    case Severity::Medium: return 3;
    case Severity::Low: return 1;
    case Severity::Info: return 0;
  }
  return 0;
}

Score score(const std::vector<Finding>& findings) {
  Score s;
  std::map<Layer, std::pair<int, int>> weights;  // passed, evaluated
  std::pair<int, int> total{0, 0};
  for (Layer l : kAllLayers) s.layers[l];
  for (const auto& f : findings) {
    const Layer layer = f.rule->layer;
    for (LayerScore* counts : {&s.layers[layer], &s.totals}) {
      switch (f.status) {
        case Status::Pass: ++counts->passed; break;
        case Status::Fail: ++counts->failed; break;
        case Status::NotApplicable: ++counts->not_applicable; break;
        case Status::Unknown: ++counts->unknown; break;
        case Status::Error: ++counts->error; break;
      }
    }
    if (f.status != Status::Pass && f.status != Status::Fail) continue;
    const int w = severity_weight(f.severity);
    for (auto* acc : {&weights[layer], &total}) {
      acc->second += w;
      if (f.status == Status::Pass) acc->first += w;
    }
  }
  const auto percent = [](std::pair<int, int> w) -> std::optional<double> {
    if (w.second == 0) return std::nullopt;
    return std::round(1000.0 * w.first / w.second) / 10.0;
  };
  for (auto& [layer, ls] : s.layers) ls.score = percent(weights[layer]);
  s.overall = percent(total);
  s.totals.score = s.overall;
  return s;
}

std::optional<double> Coverage::percent() const {
  if (applicable == 0) return std::nullopt;
  return std::round(1000.0 * scored / applicable) / 10.0;
}

Coverage coverage(const LayerScore& counts) {
  const int scored = counts.passed + counts.failed;
  return {scored, scored + counts.unknown + counts.error};
}

}  // namespace smbaudit
