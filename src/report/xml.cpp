#include "xml.h"

#include "../core/utf.h"

namespace smbaudit {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t':
      case '\n':
      case '\r': out += c; break;
      default: {
        const utf::Utf8Step step = utf::decode_utf8(text, i);
        const std::size_t n = step.valid ? step.length : 0;
        if (n == 0 || static_cast<unsigned char>(c) < 0x20)
          out += kReplacement;
        else
          out.append(text.substr(i, n));
        i += n == 0 ? 1 : n;
        continue;
      }
    }
    ++i;
  }
  return out;
}

}  // namespace smbaudit
