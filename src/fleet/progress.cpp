#include "progress.h"

#include <fmt/format.h>

#include <cmath>

#include "smbaudit/text.h"

namespace smbaudit::fleet {

void Tally::started(std::string_view /*host*/) {
  ++counts_.started;
}

void Tally::finished(const HostOutcome& outcome) {
  ++counts_.done;
  if (outcome.state == HostState::Failed) {
    ++counts_.failed;
    if (outcome.bad_input) counts_.bad_input = true;
    if (counts_.first_failures.size() < kFailuresQuoted) counts_.first_failures.push_back(outcome.cause);
  }
  if (outcome.state == HostState::Skipped) ++counts_.skipped;
  if (outcome.gate_tripped) ++counts_.gates_tripped;
  if (outcome.output_failed) ++counts_.outputs_failed;
}

std::string duration_text(Clock::duration d) {
  const auto s = static_cast<long long>(std::llround(std::chrono::duration<double>(d).count()));
  if (s < 60) return fmt::format("{} s", std::max(0LL, s));
  if (s < 3600) return s % 60 ? fmt::format("{} min {} s", s / 60, s % 60) : fmt::format("{} min", s / 60);
  const long long minutes = (s + 30) / 60;
  return minutes % 60 ? fmt::format("{} h {} min", minutes / 60, minutes % 60) : fmt::format("{} h", minutes / 60);
}

std::string progress_line(const Counts& c, Clock::duration elapsed, std::size_t width) {
  std::string line = fmt::format("hosts {}/{} done, {} failed, {} in flight, {} left", c.done, c.total, c.failed,
                                 c.in_flight(), c.left());
  if (c.done > 0 && c.done < c.total) {
    // Hosts finish at the rate seen so far: the parallelism and the share of slow hosts are in it.
    const auto per_host = elapsed / static_cast<long>(c.done);
    line += ", about " + duration_text(per_host * static_cast<long>(c.total - c.done)) + " to go";
  }
  if (width > 0 && line.size() >= width) line.resize(width - 1);
  return line;
}

std::string final_line(const Counts& c, Verb verb) {
  std::string line = fmt::format("{} host{}: {} {}, {} failed to collect", c.total, c.total == 1 ? "" : "s",
                                 c.succeeded(), verb == Verb::Audited ? "audited" : "collected", c.failed);
  if (!c.first_failures.empty()) {
    std::string causes = join(c.first_failures, "; ");
    if (c.failed > c.first_failures.size()) causes += fmt::format("; and {} more", c.failed - c.first_failures.size());
    line += " (" + causes + ")";
  }
  if (verb == Verb::Audited) line += fmt::format(", gates tripped on {}", c.gates_tripped);
  if (c.skipped) line += fmt::format(", {} skipped (already done for this date)", c.skipped);
  if (c.outputs_failed)
    line += fmt::format(", {} whose {} could not be written", c.outputs_failed,
                        verb == Verb::Audited ? "reports" : "snapshots");
  return line;
}

void StatusLine::erase() {
  if (shown_.empty()) return;
  out_ << '\r' << std::string(shown_.size(), ' ') << '\r';
  shown_.clear();
}

void StatusLine::show(std::string line) {
  const std::lock_guard lock(mutex_);
  // Overwrite in place; pad with spaces where the old line was longer.
  out_ << '\r' << line;
  if (shown_.size() > line.size()) {
    const std::size_t pad = shown_.size() - line.size();
    out_ << std::string(pad, ' ') << std::string(pad, '\b');
  }
  out_.flush();
  shown_ = std::move(line);
}

void StatusLine::above(const std::function<void()>& write) {
  const std::lock_guard lock(mutex_);
  std::string shown = shown_;
  erase();
  out_.flush();
  write();
  if (!shown.empty()) out_ << shown;
  out_.flush();
  shown_ = std::move(shown);
}

void StatusLine::clear() {
  const std::lock_guard lock(mutex_);
  erase();
  out_.flush();
}

void ProgressDisplay::started(std::string_view host) {
  tally_.started(host);
  redraw();
}

void ProgressDisplay::finished(const HostOutcome& outcome) {
  tally_.finished(outcome);
  redraw();
}

void ProgressDisplay::redraw() {
  line_.show(progress_line(tally_.counts(), timer_.now() - start_, width_));
}

}  // namespace smbaudit::fleet
