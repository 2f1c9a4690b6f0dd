// Bounds a call that may hang (a remote host that stops answering mid-RPC): the job runs
// on its own thread, and a caller that stops waiting at the deadline abandons it.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>

namespace smbaudit {

// Runs `job` on a new thread and returns its result, or nullopt when the deadline passes
// first. An abandoned job keeps running detached, owning only what it captured: it must
// not touch the caller's state or globals. Exceptions from the job are rethrown here.
template <typename T>
[[nodiscard]] std::optional<T> run_until(std::chrono::steady_clock::time_point deadline, std::function<T()> job) {
  auto task = std::make_shared<std::packaged_task<T()>>(std::move(job));
  std::future<T> result = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  if (result.wait_until(deadline) != std::future_status::ready) return std::nullopt;
  return result.get();
}

}  // namespace smbaudit
