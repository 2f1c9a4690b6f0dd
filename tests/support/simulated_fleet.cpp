#include "simulated_fleet.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

namespace smbaudit::test_support {

std::vector<SimulatedHost> simulated_fleet(std::size_t count, std::chrono::milliseconds fastest,
                                           std::chrono::milliseconds slowest, double hang_percent,
                                           double unreachable_percent, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::chrono::milliseconds::rep> latency(fastest.count(), slowest.count());
  // Exactly the requested shares, spread over the list by a shuffle.
  const auto hangs = static_cast<std::size_t>(static_cast<double>(count) * hang_percent / 100.0 + 0.5);
  const auto unreachable = static_cast<std::size_t>(static_cast<double>(count) * unreachable_percent / 100.0 + 0.5);
  std::vector<Behaviour> behaviours(count, Behaviour::Answers);
  std::fill_n(behaviours.begin(), std::min(hangs, count), Behaviour::Hangs);
  std::fill_n(behaviours.begin() + static_cast<std::ptrdiff_t>(std::min(hangs, count)),
              std::min(unreachable, count - std::min(hangs, count)), Behaviour::Unreachable);
  std::shuffle(behaviours.begin(), behaviours.end(), random);
  std::vector<SimulatedHost> hosts;
  hosts.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    hosts.push_back({fmt::format("host-{:04}", i + 1), std::chrono::milliseconds(latency(random)), behaviours[i]});
  return hosts;
}

void SimulatedSource::take(std::chrono::milliseconds time, bool connecting) {
  const int now = ++world_->contacting;
  for (int most = world_->most_contacting.load();
       now > most && !world_->most_contacting.compare_exchange_weak(most, now);)
    ;
  if (connecting && host_.behaviour == Behaviour::Hangs)  // like RegConnectRegistryW to a host that stopped answering
    (void)world_->release.wait_for(world_->hang_for);
  else
    std::this_thread::sleep_for(time);
  --world_->contacting;
}

Expected<HostFacts, CollectError> SimulatedSource::host() {
  ++world_->contacted;
  take(host_.latency / 5, true);
  if (host_.behaviour == Behaviour::Unreachable)
    return Unexpected(CollectError{
        CollectFailure::CollectionFailed,
        fmt::format("{}: cannot connect: simulated: the network path was not found (53)", host_.name), host_.name});
  HostFacts host = world_->facts.host;
  host.name = host_.name;
  return host;
}

Expected<FactSet, CollectError> SimulatedSource::collect(const FactPlan& /*plan*/) {
  take(host_.latency - host_.latency / 5, false);
  return world_->facts.facts;  // a copy per host, as a real collection makes its own
}

}  // namespace smbaudit::test_support
