#include "wim.h"

#include <fmt/format.h>

#include <charconv>

#include "smbaudit/text.h"
#include "subprocess.h"

namespace smbaudit::image {
namespace {

// wimlib's tools match paths case-sensitively on Linux unless told otherwise; Windows does not.
const std::vector<std::string> kWimlibEnvironment{"WIMLIB_IMAGEX_IGNORE_CASE=1", "LC_ALL=C"};

std::string tool_failure(std::string_view tool, const ProcessResult& r, std::chrono::milliseconds timeout) {
  if (r.timed_out) return fmt::format("{} did not finish within {} s", tool, timeout.count() / 1000);
  if (r.file_too_large) return fmt::format("{} was stopped: a file it extracted is larger than the limit", tool);
  const std::string why = stderr_line(r.err);
  return fmt::format("{} failed (exit code {}){}{}", tool, r.exit_code, why.empty() ? "" : ": ", why);
}

}  // namespace

std::vector<WimImage> parse_wiminfo(std::string_view text) {
  std::vector<WimImage> images;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (key == "Index") {
      int index = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec == std::errc() && ptr == value.data() + value.size()) images.push_back({index, ""});
    } else if (key == "Name" && !images.empty() && images.back().name.empty()) {
      images.back().name = std::string(value);
    }
  }
  return images;
}

Expected<std::vector<WimImage>, std::string> list_wim_images(const std::filesystem::path& wim,
                                                             std::chrono::milliseconds timeout) {
  ProcessOptions options;
  options.timeout = timeout;
  options.environment = kWimlibEnvironment;
  auto run = run_process({"wiminfo", wim.string()}, options);
  if (!run) return Unexpected(run.error() + " (Debian package wimtools)");
  if (run->exit_code != 0 || run->timed_out) return Unexpected(tool_failure("wiminfo", *run, timeout));
  auto images = parse_wiminfo(run->out);
  if (images.empty()) return Unexpected(std::string("wiminfo lists no image in it"));
  return images;
}

std::optional<std::string> extract_wim_files(const std::filesystem::path& wim, int index,
                                             const std::vector<std::string>& paths, const std::filesystem::path& dest,
                                             std::uint64_t max_file_bytes, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{"wimextract", wim.string(), std::to_string(index)};
  argv.insert(argv.end(), paths.begin(), paths.end());
  // --nullglob: an absent optional file (Registry.pol) is skipped, not an error; no ACLs or
  // attributes: the copies are plain private files.
  for (const char* flag : {"--nullglob", "--no-acls", "--no-attributes"}) argv.emplace_back(flag);
  argv.push_back("--dest-dir=" + dest.string());
  ProcessOptions options;
  options.timeout = timeout;
  options.environment = kWimlibEnvironment;
  options.max_file_bytes = max_file_bytes;
  auto run = run_process(argv, options);
  if (!run) return run.error() + " (Debian package wimtools)";
  if (run->exit_code != 0 || run->timed_out || run->file_too_large) return tool_failure("wimextract", *run, timeout);
  return std::nullopt;
}

}  // namespace smbaudit::image
