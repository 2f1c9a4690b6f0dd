#include "xml_reader.h"

#include <fmt/format.h>

#include <cstdint>
#include <span>

#include "../../core/reg_data.h"
#include "../../core/utf.h"
#include "smbaudit/limits.h"

namespace smbaudit::gpo {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A character that ends a name: XML names are wider than this, but nothing a GPO file uses
// needs more than "not a delimiter".
bool ends_name(char c) {
  return is_space(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '"' || c == '\'' || c == '&';
}

// A character reference's code point as UTF-8, through the project's one UTF-16 codec.
void append_code_point(std::string& out, std::uint32_t cp) {
  std::uint8_t units[4];
  std::size_t size = 2;
  const auto put = [&units](std::size_t at, std::uint32_t unit) {
    units[at] = static_cast<std::uint8_t>(unit & 0xFF);
    units[at + 1] = static_cast<std::uint8_t>(unit >> 8);
  };
  if (cp < 0x10000) {
    put(0, cp);
  } else {
    put(0, 0xD800 + ((cp - 0x10000) >> 10));
    put(2, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    size = 4;
  }
  out += utf::utf16le_to_utf8(std::span<const std::uint8_t>(units, size));
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Expected<XmlElement, std::string> document() {
    if (starts("<?xml") && pos_ + 5 < s_.size() && is_space(s_[pos_ + 5])) {
      const auto end = s_.find("?>", pos_);
      if (end == std::string_view::npos) return fail("the XML declaration has no '?>'");
      advance_to(end + 2);
    }
    if (!misc()) return Unexpected(error_);
    if (pos_ >= s_.size()) return fail("no root element");
    if (s_[pos_] != '<') return fail("text outside the root element");
    XmlElement root;
    if (!element(root, 1)) return Unexpected(error_);
    if (!misc()) return Unexpected(error_);
    if (pos_ < s_.size()) return fail("content after the root element");
    return root;
  }

 private:
  Unexpected<std::string> fail(std::string_view what) {
    error_ = fmt::format("line {}: {}", line_, what);
    return Unexpected(error_);
  }
  bool failed(std::string_view what) {
    (void)fail(what);
    return false;
  }

  [[nodiscard]] bool starts(std::string_view prefix) const { return s_.substr(pos_).starts_with(prefix); }

  // Moves to `to`, counting the lines passed.
  void advance_to(std::size_t to) {
    for (; pos_ < to && pos_ < s_.size(); ++pos_)
      if (s_[pos_] == '\n') ++line_;
  }
  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) advance_to(pos_ + 1);
  }

  // Whitespace and comments before or after the root element; a DOCTYPE or a processing
  // instruction there is refused.
  bool misc() {
    for (;;) {
      skip_space();
      if (starts("<!--")) {
        if (!comment()) return false;
      } else if (starts("<!")) {
        return failed("a DOCTYPE or declaration (not accepted: no DTD, no entities)");
      } else if (starts("<?")) {
        return failed("a processing instruction (not accepted)");
      } else {
        return true;
      }
    }
  }

  bool comment() {
    const auto end = s_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) return failed("a comment without its '-->'");
    advance_to(end + 3);
    return true;
  }

  bool name(std::string& out) {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && !ends_name(s_[pos_])) ++pos_;
    if (pos_ == start) return failed("a name was expected");
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }

  // Decodes one reference at pos_ ('&' ... ';') into `out`.
  bool reference(std::string& out) {
    const auto end = s_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return failed("'&' that does not start a reference");
    const std::string_view ref = s_.substr(pos_ + 1, end - pos_ - 1);
    if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "amp") {
      out += '&';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return failed("an empty character reference");
      std::uint32_t cp = 0;
      for (char c : digits) {
        std::uint32_t d = 0;
        if (c >= '0' && c <= '9')
          d = static_cast<std::uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        else
          return failed("a malformed character reference");
        cp = cp * (hex ? 16u : 10u) + d;
        if (cp > 0x10FFFF) return failed("a character reference beyond U+10FFFF");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return failed("a character reference to U+0000 or a surrogate");
      append_code_point(out, cp);
    } else {
      return failed(fmt::format("the entity '&{};' (only the five predefined entities are accepted)", ref));
    }
    advance_to(end + 1);
    return true;
  }

  bool attribute_value(std::string& out) {
    const char quote = s_[pos_];
    advance_to(pos_ + 1);
    for (;;) {
      if (pos_ >= s_.size()) return failed("an attribute value without its closing quote");
      const char c = s_[pos_];
      if (c == quote) {
        advance_to(pos_ + 1);
        return true;
      }
      if (c == '<') return failed("'<' inside an attribute value");
      if (c == '&') {
        if (!reference(out)) return false;
        continue;
      }
      // Attribute-value normalisation (XML 1.0 3.3.3): literal white space becomes a space.
      out += is_space(c) ? ' ' : c;
      advance_to(pos_ + 1);
    }
  }

  bool element(XmlElement& e, std::size_t depth) {
    if (depth > limits::kMaxXmlDepth)
      return failed(fmt::format("elements nest deeper than {} levels", limits::kMaxXmlDepth));
    e.line = line_;
    advance_to(pos_ + 1);  // '<'
    if (!name(e.name)) return false;
    // Attributes, then '>' or '/>'.
    for (;;) {
      const std::size_t before = pos_;
      skip_space();
      if (pos_ >= s_.size()) return failed(fmt::format("the start tag of <{}> is not closed", e.name));
      if (starts("/>")) {
        advance_to(pos_ + 2);
        return true;
      }
      if (s_[pos_] == '>') {
        advance_to(pos_ + 1);
        break;
      }
      if (pos_ == before) return failed(fmt::format("white space expected between the attributes of <{}>", e.name));
      std::string attribute_name;
      if (!name(attribute_name)) return false;
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != '=') return failed(fmt::format("'=' expected after '{}'", attribute_name));
      advance_to(pos_ + 1);
      skip_space();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\''))
        return failed(fmt::format("a quoted value expected for '{}'", attribute_name));
      if (e.attributes.size() >= limits::kMaxXmlAttributes)
        return failed(fmt::format("<{}> has more than {} attributes", e.name, limits::kMaxXmlAttributes));
      if (e.attribute(attribute_name)) return failed(fmt::format("the attribute '{}' appears twice", attribute_name));
      std::string value;
      if (!attribute_value(value)) return false;
      e.attributes.emplace_back(std::move(attribute_name), std::move(value));
    }
    // Content up to the matching end tag.
    for (;;) {
      if (pos_ >= s_.size()) return failed(fmt::format("<{}> is not closed", e.name));
      const char c = s_[pos_];
      if (c == '&') {
        if (!reference(e.text)) return false;
      } else if (c != '<') {
        e.text += c;
        advance_to(pos_ + 1);
      } else if (starts("</")) {
        advance_to(pos_ + 2);
        std::string end_name;
        if (!name(end_name)) return false;
        if (end_name != e.name) return failed(fmt::format("</{}> closes <{}>", end_name, e.name));
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '>') return failed(fmt::format("'>' expected after </{}", end_name));
        advance_to(pos_ + 1);
        return true;
      } else if (starts("<!--")) {
        if (!comment()) return false;
      } else if (starts("<![CDATA[")) {
        const auto end = s_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos) return failed("a CDATA section without its ']]>'");
        e.text.append(s_.substr(pos_ + 9, end - pos_ - 9));
        advance_to(end + 3);
      } else if (starts("<!")) {
        return failed("a declaration inside an element (not accepted)");
      } else if (starts("<?")) {
        return failed("a processing instruction (not accepted)");
      } else {
        e.children.emplace_back();
        if (!element(e.children.back(), depth + 1)) return false;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::string error_;
};

}  // namespace

std::string_view XmlElement::local_name() const {
  const auto colon = name.find(':');
  return colon == std::string::npos ? std::string_view(name) : std::string_view(name).substr(colon + 1);
}

const std::string* XmlElement::attribute(std::string_view attribute_name) const {
  for (const auto& [n, v] : attributes)
    if (n == attribute_name) return &v;
  return nullptr;
}

const XmlElement* XmlElement::child(std::string_view local) const {
  for (const auto& c : children)
    if (c.local_name() == local) return &c;
  return nullptr;
}

Expected<XmlElement, std::string> parse_xml(std::string_view bytes) {
  std::string decoded;
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  } else if (text.starts_with("\xFF\xFE")) {
    if (text.size() % 2 != 0) return Unexpected(std::string("UTF-16 text with an odd number of bytes"));
    const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
    decoded = utf::utf16le_to_utf8(std::span<const std::uint8_t>(data + 2, text.size() - 2));
    text = decoded;
  } else if (text.starts_with("\xFE\xFF")) {
    return Unexpected(std::string("UTF-16 big-endian text (not accepted: UTF-8 or UTF-16LE)"));
  }
  if (text.find('\0') != std::string_view::npos)
    return Unexpected(std::string("a NUL byte: not UTF-8 text (UTF-16 needs its byte order mark)"));
  return Parser(text).document();
}

}  // namespace smbaudit::gpo
