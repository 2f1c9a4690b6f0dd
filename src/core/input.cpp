#include "input.h"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include "smbaudit/limits.h"
#include "utf.h"

namespace smbaudit {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// A first, validating pass over the text before the document is built: nlohmann's parser
// is iterative, but copying, comparing and dumping a value recurse once per level, so
// depth is capped here; so is string length; and an object may not name a key twice
// (readers disagree on which copy wins, which would let a file say two things at once).
class Validator final : public nlohmann::json_sax<nlohmann::json> {
 public:
  [[nodiscard]] const std::string& problem() const { return problem_; }

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t& s) override { return check_length(s, Kind::Value) && value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    if (!check_length(k, Kind::Key)) return false;
    Frame& f = frames_.back();
    if (!f.keys.insert(k).second) return fail(fmt::format("the key '{}' appears twice in one object", k), pointer());
    f.key = k;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    // parse_error and out_of_range (a number too large for a double); nlohmann's messages
    // start with "[json.exception.parse_error.101] ": keep the useful part.
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    problem_ = "not valid JSON: " + what;
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string> keys;
    std::string key;
    std::size_t index = 0;
  };

  bool fail(std::string message, const std::string& at) {
    problem_ = at.empty() ? std::move(message) : fmt::format("at {}: {}", at, message);
    return false;
  }

  // The JSON pointer of the value being read (of the object, inside a key event).
  std::string pointer() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      out += "/";
      if (f.object) {
        for (char c : f.key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      } else {
        out += std::to_string(f.index);
      }
    }
    return out;
  }

  enum class Kind { Key, Value };

  bool check_length(const std::string& s, Kind kind) {
    if (s.size() <= limits::kMaxStringBytes) return true;
    // A value is named by its own pointer; a key by its object's.
    if (kind == Kind::Value) frames_.push_back(Frame{});
    return fail(fmt::format("a string is longer than the {} MiB limit", limits::kMaxStringBytes / kMiB), pointer());
  }

  bool open(bool object) {
    if (frames_.size() >= limits::kMaxJsonDepth)
      return fail(fmt::format("JSON nests deeper than {} levels", limits::kMaxJsonDepth), "");
    frames_.push_back(Frame{object, {}, {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return value();
  }

  bool value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  std::vector<Frame> frames_;
  std::string problem_;
};

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

Expected<std::string, std::string> decode_input_text(std::string bytes) {
  const auto starts = [&](std::string_view prefix) {
    return std::string_view(bytes).substr(0, prefix.size()) == prefix;
  };
  if (starts("\xff\xfe") || starts("\xfe\xff")) {
    const utf::ByteOrder order = starts("\xff\xfe") ? utf::ByteOrder::LittleEndian : utf::ByteOrder::BigEndian;
    auto text = utf::utf16_text_to_utf8(std::string_view(bytes).substr(2), order);
    if (!text) return Unexpected(text.error());
    return std::move(*text);
  }
  // '{' or a letter followed or preceded by a zero byte: UTF-16 that lost (or never had) its BOM.
  if (bytes.size() >= 2 && (bytes[0] == '\0') != (bytes[1] == '\0'))
    return Unexpected(std::string(
        "the file looks like UTF-16 without a byte-order mark: save it as UTF-8, or as UTF-16 with a BOM (what "
        "Windows PowerShell's Out-File writes)"));
  return bytes;
}

bool needs_decoding(std::string_view bytes) {
  return bytes.size() >= 2 &&
         (bytes[0] == '\0' || bytes[1] == '\0' || bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff"));
}

Expected<std::string, std::string> read_text_input(const std::filesystem::path& path) {
  auto bytes = read_input_file(path);
  if (!bytes) return bytes;
  return decode_input_text(std::move(*bytes));
}

Expected<nlohmann::json, std::string> parse_json_input(std::string_view text) {
  if (text.size() > limits::kMaxInputFileBytes) return Unexpected(size_error());
  std::string decoded;
  if (needs_decoding(text)) {
    auto utf8 = decode_input_text(std::string(text));
    if (!utf8) return Unexpected(one_line(utf8.error()));
    decoded = std::move(*utf8);
    text = decoded;
  }
  Validator validator;
  if (!nlohmann::json::sax_parse(text, &validator)) return Unexpected(one_line(validator.problem()));
  return parse_trusted_json(text);
}

Expected<nlohmann::json, std::string> parse_trusted_json(std::string_view text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Unexpected(one_line(std::string("not valid JSON: ") + e.what()));
  }
}

std::string one_line(std::string_view text) {
  if (text.size() > limits::kMaxErrorLineBytes) {
    const std::size_t head = limits::kMaxErrorLineBytes / 2, tail = limits::kMaxErrorLineBytes / 4;
    return one_line(text.substr(0, head)) + fmt::format(" [... {} bytes ...] ", text.size() - head - tail) +
           one_line(text.substr(text.size() - tail));
  }
  std::string out;
  out.reserve(text.size());
  const auto escape = [&out](unsigned char u) { out += fmt::format("\\x{:02x}", u); };
  for (std::size_t i = 0; i < text.size();) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      if (u < 0x20 || u == 0x7f)
        escape(u);
      else
        out += text[i];
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence stays, unless it encodes a C1 control (U+0080..U+009F,
    // which some terminals obey); stray bytes are escaped one by one.
    const utf::Utf8Step step = utf::decode_utf8(text, i);
    if (!step.valid || step.code_point < 0xa0) {
      escape(u);
      ++i;
      continue;
    }
    out.append(text.substr(i, step.length));
    i += step.length;
  }
  return out;
}

}  // namespace smbaudit
