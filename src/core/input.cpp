#include "input.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "smbaudit/limits.h"

namespace smbaudit {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// nlohmann's parser is iterative, but copying, comparing and dumping a value recurse, so
// depth is capped before parsing; this scan is linear and needs no valid JSON.
std::optional<std::string> exceeds_caps(std::string_view text) {
  std::size_t depth = 0, string_start = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      if (in_string && i - string_start > limits::kMaxStringBytes)
        return fmt::format("a string is longer than the {} MiB limit (at byte {})", limits::kMaxStringBytes / kMiB,
                           string_start);
      continue;
    }
    if (c == '"') {
      in_string = true;
      string_start = i;
    } else if (c == '[' || c == '{') {
      if (++depth > limits::kMaxJsonDepth)
        return fmt::format("JSON nests deeper than {} levels (at byte {})", limits::kMaxJsonDepth, i);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string size_error() {
  return fmt::format("file is larger than the {} MiB limit", limits::kMaxInputFileBytes / kMiB);
}

}  // namespace

Expected<std::string, std::string> read_input_file(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Unexpected(std::string("is a directory, expected a file"));
  const auto size = fs::file_size(path, ec);
  if (ec) return Unexpected("cannot read: " + ec.message());
  if (size > limits::kMaxInputFileBytes) return Unexpected(size_error());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unexpected(std::string("cannot open for reading"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  // The file may have grown between the size check and the read.
  if (text.size() > limits::kMaxInputFileBytes) return Unexpected(size_error());
  return text;
}

Expected<nlohmann::json, std::string> parse_json_input(std::string_view text) {
  if (text.size() > limits::kMaxInputFileBytes) return Unexpected(size_error());
  if (auto problem = exceeds_caps(text)) return Unexpected(std::move(*problem));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // parse_error and out_of_range (a number too large); nlohmann's messages start with
    // "[json.exception.parse_error.101] ": keep the useful part.
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return Unexpected("not valid JSON: " + one_line(what));
  }
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out;
}

}  // namespace smbaudit
