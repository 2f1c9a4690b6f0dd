#include "gpttmpl.h"

#include <fmt/format.h>

#include <span>

#include "../../core/parse.h"
#include "../../core/reg_data.h"
#include "../../core/utf.h"
#include "key_path.h"
#include "smbaudit/text.h"

namespace smbaudit::gpo {
namespace {

// [System Access] numbers: signed ("MaximumPasswordAge = -1" means never) and 32-bit.
constexpr std::int64_t kMinSetting = -2147483648LL, kMaxSetting = 4294967295LL;

enum class Section { Other, Version, SystemAccess, RegistryValues, Services };

Section section_of(std::string_view name) {
  if (iequals(name, "Version")) return Section::Version;
  if (iequals(name, "System Access")) return Section::SystemAccess;
  if (iequals(name, "Registry Values")) return Section::RegistryValues;
  if (iequals(name, "Service General Setting")) return Section::Services;
  return Section::Other;
}

bool quoted(std::string_view s) {
  return s.size() >= 2 && s.front() == '"' && s.back() == '"';
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  return quoted(s) ? s.substr(1, s.size() - 2) : s;
}

// Splits at commas outside double quotes; pieces are trimmed, quotes kept.
std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  bool in_quotes = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '"') in_quotes = !in_quotes;
    if (i == s.size() || (s[i] == ',' && !in_quotes)) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

// A whole decimal number, or 0x hex, within [lo, hi].
std::optional<std::int64_t> number(std::string_view s, std::int64_t lo, std::int64_t hi) {
  const auto v = parse_int_or_hex(trim(s));
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return v;
}

std::optional<Bytes> hex_bytes(std::string_view s) {
  Bytes out;
  int high = -1;
  for (char c : s) {
    if (c == ' ' || c == '\t') continue;
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + d));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

class Reader {
 public:
  Expected<InfFile, std::string> run(std::string_view text) {
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!one(line)) return Unexpected(fmt::format("line {}: {}", line_, problem_));
    }
    if (!signature_ok_)
      return Unexpected(
          std::string("no [Version] section with signature=\"$CHICAGO$\": not a security template ([MS-GPSB] 2.2)"));
    return std::move(inf_);
  }

 private:
  bool fail(std::string problem) {
    problem_ = std::move(problem);
    return false;
  }

  bool one(std::string_view raw) {
    for (char c : raw)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return fail("a control character in the line");
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == ';') return true;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3 ||
          line.substr(1, line.size() - 2).find_first_of("[]") != std::string_view::npos)
        return fail(fmt::format("a malformed section header '{}'", line));
      section_ = section_of(trim(line.substr(1, line.size() - 2)));
      in_section_ = true;
      return true;
    }
    if (!in_section_) return fail(fmt::format("'{}' outside any section", line));
    switch (section_) {
      case Section::Version: return version(line);
      case Section::SystemAccess: return system_access(line);
      case Section::RegistryValues: return registry_value(line);
      case Section::Services: return service(line);
      case Section::Other: return true;
    }
    return true;
  }

  bool version(std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return true;
    if (!iequals(trim(line.substr(0, eq)), "signature")) return true;
    const std::string_view sig = unquote(line.substr(eq + 1));
    if (!iequals(sig, "$CHICAGO$") && !iequals(sig, "$Windows NT$"))
      return fail(fmt::format("the signature '{}' is not \"$CHICAGO$\": not a security template", sig));
    signature_ok_ = true;
    return true;
  }

  bool system_access(std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
      return fail(fmt::format("'{}' is not 'Name = value'", line));
    InfSetting s{line_, std::string(trim(line.substr(0, eq))), std::int64_t{0}};
    const std::string_view value = trim(line.substr(eq + 1));
    if (quoted(value)) {
      s.value = std::string(value.substr(1, value.size() - 2));
    } else if (auto n = number(value, kMinSetting, kMaxSetting)) {
      s.value = *n;
    } else {
      return fail(fmt::format("the value of {} is neither a number nor a quoted string: '{}'", s.name, value));
    }
    inf_.system_access.push_back(std::move(s));
    return true;
  }

  bool registry_value(std::string_view line) {
    // The name may be quoted ([MS-GPSB] 2.2.5), which lets it hold '='.
    std::size_t eq = 0;
    std::string_view full;
    if (line.front() == '"') {
      const auto close = line.find('"', 1);
      if (close == std::string_view::npos) return fail("a quoted registry value name without its closing quote");
      full = line.substr(1, close - 1);
      eq = line.find_first_not_of(" \t", close + 1);
      if (eq == std::string_view::npos || line[eq] != '=') return fail("'=' expected after the registry value name");
    } else {
      eq = line.find('=');
      if (eq == std::string_view::npos) return fail(fmt::format("'{}' is not 'MACHINE\\path\\name=type,data'", line));
      full = trim(line.substr(0, eq));
    }
    const std::string_view rest = line.substr(eq + 1);
    const auto comma = rest.find(',');
    if (comma == std::string_view::npos) return fail(fmt::format("'{}' has no 'type,data' after '='", line));
    const auto type = number(rest.substr(0, comma), 0, 255);
    if (!type) return fail(fmt::format("the registry value type '{}' is not a number", trim(rest.substr(0, comma))));
    const std::string_view data = rest.substr(comma + 1);

    const auto slash = full.find('\\');
    const std::string_view hive = full.substr(0, slash);
    if (!iequals(hive, "MACHINE")) {
      if (iequals(hive, "USERS") || iequals(hive, "CLASSES_ROOT") || iequals(hive, "CURRENT_USER")) {
        inf_.skipped.push_back({line_, std::string(line)});
        return true;
      }
      return fail(
          fmt::format("the registry path '{}' does not start with MACHINE\\ (or USERS\\, CLASSES_ROOT\\)", full));
    }
    const auto last = full.rfind('\\');
    if (last == slash || last + 1 >= full.size())
      return fail(fmt::format("the registry path '{}' names no key and value", full));
    InfRegistryValue v{line_, std::string(full.substr(slash + 1, last - slash - 1)), {}};
    if (auto bad = key_path_problem(v.key)) return fail(*bad);
    v.value.name = std::string(full.substr(last + 1));
    switch (*type) {
      case 1:
      case 2:
        v.value.type = *type == 1 ? RegType::Sz : RegType::ExpandSz;
        v.value.data = std::string(unquote(data));
        break;
      case 3: {
        auto bytes = hex_bytes(unquote(data));
        if (!bytes) return fail(fmt::format("the REG_BINARY data '{}' is not hex digits", trim(data)));
        v.value.type = RegType::Binary;
        v.value.data = std::move(*bytes);
        break;
      }
      case 4: {
        auto n = number(unquote(data), 0, 0xFFFFFFFFLL);
        if (!n) return fail(fmt::format("'{}' is not a REG_DWORD (0 to 4294967295, decimal or 0x hex)", trim(data)));
        v.value.type = RegType::Dword;
        v.value.data = *n;
        break;
      }
      case 7: {
        StringList list;
        if (!trim(data).empty())
          for (auto item : split_fields(data))
            if (auto s = unquote(item); !s.empty()) list.emplace_back(s);
        v.value.type = RegType::MultiSz;
        v.value.data = std::move(list);
        break;
      }
      default: return fail(fmt::format("unknown registry value type {} (1, 2, 3, 4 or 7, [MS-GPSB] 2.2.5)", *type));
    }
    inf_.registry_values.push_back(std::move(v));
    return true;
  }

  bool service(std::string_view line) {
    const auto fields = split_fields(line);
    if (fields.size() != 3) return fail(fmt::format("'{}' is not '\"Name\",mode,\"SDDL\"'", line));
    InfService s{line_, std::string(unquote(fields[0])), 0, std::string(unquote(fields[2]))};
    if (s.name.empty()) return fail("a service setting without a service name");
    const auto mode = number(fields[1], 2, 4);
    if (!mode) return fail(fmt::format("the start mode '{}' of {} is not 2, 3 or 4", fields[1], s.name));
    s.mode = static_cast<int>(*mode);
    inf_.services.push_back(std::move(s));
    return true;
  }

  InfFile inf_;
  Section section_ = Section::Other;
  bool in_section_ = false;
  bool signature_ok_ = false;
  int line_ = 0;
  std::string problem_;
};

// A string the template can carry: no quote, no control character.
bool writable(std::string_view s) {
  for (char c : s)
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
  return true;
}

Expected<std::string, std::string> registry_data(const RegValue& v) {
  const auto bad = [&v](std::string_view why) {
    return Unexpected(fmt::format("value '{}' cannot be written in a security template: {}", v.name, why));
  };
  switch (v.type) {
    case RegType::Sz:
    case RegType::ExpandSz: {
      const auto* s = std::get_if<std::string>(&v.data);
      if (!s || !writable(*s)) return bad("its string holds a quote or a control character");
      return fmt::format("{},\"{}\"", v.type == RegType::Sz ? 1 : 2, *s);
    }
    case RegType::Dword: {
      const auto* n = std::get_if<std::int64_t>(&v.data);
      if (!n || *n < 0 || *n > 0xFFFFFFFFLL) return bad("not a 32-bit number");
      return fmt::format("4,{}", *n);
    }
    case RegType::MultiSz: {
      const auto* list = std::get_if<StringList>(&v.data);
      if (!list) return bad("not a list of strings");
      std::string out = "7,";
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string& s = (*list)[i];
        if (s.empty() || !writable(s)) return bad("an item is empty or holds a quote or a control character");
        out += (i ? "," : "") + (s.find(',') != std::string::npos || trim(s) != s ? "\"" + s + "\"" : s);
      }
      return out;
    }
    case RegType::Binary: {
      const auto* b = std::get_if<Bytes>(&v.data);
      if (!b) return bad("not bytes");
      std::string out = "3,";
      for (auto byte : *b) out += fmt::format("{:02x}", byte);
      return out;
    }
    case RegType::Qword:
    case RegType::Other: break;
  }
  return bad("the template carries only types 1, 2, 3, 4 and 7");
}

}  // namespace

Expected<InfFile, std::string> parse_gpttmpl(std::string_view bytes) {
  if (!bytes.starts_with("\xFF\xFE"))
    return Unexpected(
        std::string("not UTF-16LE with a byte order mark, as a security template must be ([MS-GPSB] 2.2)"));
  if (bytes.size() % 2 != 0) return Unexpected(std::string("UTF-16 text with an odd number of bytes (truncated?)"));
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::string text = utf::utf16le_to_utf8(std::span<const std::uint8_t>(data + 2, bytes.size() - 2));
  return Reader().run(text);
}

Expected<std::string, std::string> write_gpttmpl(const InfFile& inf) {
  std::string text = "[Unicode]\r\nUnicode=yes\r\n";
  if (!inf.system_access.empty()) {
    text += "[System Access]\r\n";
    for (const auto& s : inf.system_access) {
      if (s.name.empty() || !writable(s.name) || s.name.find('=') != std::string::npos)
        return Unexpected(fmt::format("the setting name '{}' cannot be written in a security template", s.name));
      if (const auto* n = std::get_if<std::int64_t>(&s.value)) {
        text += fmt::format("{} = {}\r\n", s.name, *n);
      } else {
        const auto& str = std::get<std::string>(s.value);
        if (!writable(str))
          return Unexpected(fmt::format("the value of {} holds a quote or a control character", s.name));
        text += fmt::format("{} = \"{}\"\r\n", s.name, str);
      }
    }
  }
  if (!inf.registry_values.empty() || !inf.skipped.empty()) {
    text += "[Registry Values]\r\n";
    for (const auto& v : inf.registry_values) {
      auto data = registry_data(v.value);
      if (!data) return Unexpected(data.error());
      const std::string name = "MACHINE\\" + v.key + "\\" + v.value.name;
      if (!writable(name) || key_path_problem(v.key) || v.value.name.empty())
        return Unexpected(fmt::format("the registry path '{}' cannot be written in a security template", name));
      text += (name.find('=') != std::string::npos ? "\"" + name + "\"" : name) + "=" + *data + "\r\n";
    }
    for (const auto& s : inf.skipped) text += s.text + "\r\n";
  }
  if (!inf.services.empty()) {
    text += "[Service General Setting]\r\n";
    for (const auto& s : inf.services) {
      if (s.mode < 2 || s.mode > 4 || s.name.empty() || !writable(s.name) || !writable(s.sddl))
        return Unexpected(fmt::format("the service setting for '{}' cannot be written in a security template", s.name));
      text += fmt::format("\"{}\",{},\"{}\"\r\n", s.name, s.mode, s.sddl);
    }
  }
  text += "[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n";
  return "\xFF\xFE" + utf::utf8_to_utf16le(text);
}

}  // namespace smbaudit::gpo
