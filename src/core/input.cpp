#include "input.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
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

namespace {

// Builds the document from text that is JSON (checked by the Validator, or the built-in pack,
// which tests check against nlohmann's parser): nlohmann's lexer copies a string a byte at a
// time, which was two thirds of loading the pack. Strings are copied as runs between escapes;
// numbers, literals, escapes and nesting follow RFC 8259 as nlohmann reads them (integers
// without sign unsigned, with a sign signed, others and overflowing ones double; a repeated
// key keeps its last value). Malformed text is still an error, never undefined behaviour
// (fuzz/json_trusted.cpp compares the two parsers on arbitrary bytes).
class TrustedParser {
 public:
  explicit TrustedParser(std::string_view text) : text_(text) {}

  Expected<nlohmann::json, std::string> document() {
    nlohmann::json out;
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte order mark, which nlohmann skips too
    skip_space();
    if (!value(out, 0)) return Unexpected(problem());
    skip_space();
    // nlohmann's lexer takes a NUL byte for the end of the input (a C string's end), so what
    // follows one after the document was always ignored; so it stays.
    if (pos_ != text_.size() && text_[pos_] != '\0') {
      fail("unexpected text after the document");
      return Unexpected(problem());
    }
    return out;
  }

 private:
  using json = nlohmann::json;

  std::string problem() const { return one_line(fmt::format("not valid JSON: {} at byte {}", why_, pos_)); }
  bool fail(const char* why) {
    if (!why_) why_ = why;
    return false;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t')) ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("unknown literal");
    pos_ += word.size();
    return true;
  }

  bool value(json& out, std::size_t depth) {
    if (at_end()) return fail("unexpected end");
    switch (peek()) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': out = true; return literal("true");
      case 'f': out = false; return literal("false");
      case 'n': out = nullptr; return literal("null");
      default: return number(out);
    }
  }

  bool object(json& out, std::size_t depth) {
    if (depth > limits::kMaxJsonDepth) return fail("nested too deeply");
    ++pos_;
    out = json::object();
    auto& members = *out.get_ptr<json::object_t*>();
    skip_space();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_space();
      if (at_end() || peek() != '"') return fail("expected a key");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (at_end() || peek() != ':') return fail("expected ':'");
      ++pos_;
      skip_space();
      json member;
      if (!value(member, depth)) return false;
      members.insert_or_assign(std::move(key), std::move(member));
      skip_space();
      if (at_end()) return fail("unexpected end");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool array(json& out, std::size_t depth) {
    if (depth > limits::kMaxJsonDepth) return fail("nested too deeply");
    ++pos_;
    out = json::array();
    auto& elements = *out.get_ptr<json::array_t*>();
    skip_space();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_space();
      json element;
      if (!value(element, depth)) return false;
      elements.push_back(std::move(element));
      skip_space();
      if (at_end()) return fail("unexpected end");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool hex4(std::uint32_t& out) {
    if (text_.size() - pos_ < 4) return fail("short \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return fail("bad \\u escape");
    }
    return true;
  }

  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    while (true) {
      const std::size_t run = pos_;
      while (!at_end() && peek() != '"' && peek() != '\\') {
        if (static_cast<unsigned char>(peek()) < 0x20) return fail("control character in a string");
        ++pos_;
      }
      out.append(text_.substr(run, pos_ - run));
      if (at_end()) return fail("unterminated string");
      if (peek() == '"') {
        ++pos_;
        return true;
      }
      ++pos_;  // the backslash
      if (at_end()) return fail("unterminated string");
      switch (text_[pos_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return fail("high surrogate without its pair");
            pos_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("high surrogate without its pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default: return fail("bad escape");
      }
    }
  }

  bool number(json& out) {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    const auto digits = [this] {
      const std::size_t from = pos_;
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
      return pos_ - from;
    };
    const std::size_t first = pos_;
    const std::size_t whole = digits();
    if (whole == 0) return fail("unexpected character");
    if (whole > 1 && text_[first] == '0') return fail("leading zero");
    bool integral = true;
    if (!at_end() && peek() == '.') {
      ++pos_;
      integral = false;
      if (digits() == 0) return fail("digit expected after '.'");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      integral = false;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (digits() == 0) return fail("digit expected in the exponent");
    }
    const std::string token(text_.substr(start, pos_ - start));
    if (integral) {
      errno = 0;
      char* end = nullptr;
      if (negative) {
        const long long v = std::strtoll(token.c_str(), &end, 10);
        if (errno == 0 && end == token.c_str() + token.size()) {
          out = static_cast<json::number_integer_t>(v);
          return true;
        }
      } else {
        const unsigned long long v = std::strtoull(token.c_str(), &end, 10);
        if (errno == 0 && end == token.c_str() + token.size()) {
          out = static_cast<json::number_unsigned_t>(v);
          return true;
        }
      }
    }
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v)) return fail("number out of range");
    out = v;
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  const char* why_ = nullptr;
};

}  // namespace

Expected<nlohmann::json, std::string> parse_trusted_json(std::string_view text) {
  return TrustedParser(text).document();
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
