#include "registry_pol.h"

#include <fmt/format.h>

#include <array>
#include <span>
#include <utility>

#include "../../core/enum_names.h"
#include "../../core/reg_data.h"
#include "../../core/utf.h"
#include "key_path.h"
#include "smbaudit/text.h"

namespace smbaudit::gpo {
namespace {

constexpr std::string_view kSignature = "PReg";
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 8;
constexpr std::uint32_t kMaxType = 11;  // REG_QWORD; 0..11 are winnt.h's value types

constexpr std::array<std::pair<PolOp, std::string_view>, 8> kPolOps{{
    {PolOp::SetValue, "set value"},
    {PolOp::SoftSetValue, "set value if absent (**soft.)"},
    {PolOp::DeleteValue, "delete value (**del.)"},
    {PolOp::DeleteValues, "delete values (**DeleteValues)"},
    {PolOp::DeleteAllValues, "delete all values (**delvals.)"},
    {PolOp::DeleteKeys, "delete subkeys (**DeleteKeys)"},
    {PolOp::SecureKey, "secure key (**SecureKey)"},
    {PolOp::CreateKey, "create key"},
}};

std::uint32_t u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i, v >>= 8) out += static_cast<char>(v & 0xFF);
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The data of a control-code record as text: UTF-16LE up to its first NUL.
std::string data_text(std::string_view data) {
  const RegValue v = decode_reg_value("", 1, as_bytes(data));
  return std::get<std::string>(v.data);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A control code followed only by spaces ("**DeleteKeys " as older writers left it).
bool is_code(std::string_view name, std::string_view code) {
  if (!istarts_with(name, code)) return false;
  return name.substr(code.size()).find_first_not_of(' ') == std::string_view::npos;
}

// Reads records one after the other, each field checked against what is left.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}

  Expected<std::vector<PolRecord>, std::string> run() {
    if (b_.size() < kHeaderBytes)
      return Unexpected(
          fmt::format("not a Registry.pol file: {} bytes, shorter than its {}-byte header", b_.size(), kHeaderBytes));
    if (b_.substr(0, 4) != kSignature) return Unexpected(std::string("not a Registry.pol file (no 'PReg' signature)"));
    if (const auto version = u32(b_, 4); version != kVersion)
      return Unexpected(fmt::format("unsupported Registry.pol version {} (only version 1 exists)", version));
    pos_ = kHeaderBytes;
    std::vector<PolRecord> records;
    while (pos_ < b_.size()) {
      PolRecord r;
      r.offset = pos_;
      if (!unit('[', "'[' expected at the start of a record")) return fail(r);
      if (!string(r.key, "the key")) return fail(r);
      if (!unit(';', "';' expected after the key")) return fail(r);
      if (!string(r.value_name, "the value name")) return fail(r);
      if (!unit(';', "';' expected after the value name")) return fail(r);
      if (!number(r.type, "type")) return fail(r);
      if (!unit(';', "';' expected after the type")) return fail(r);
      std::uint32_t size = 0;
      if (!number(size, "size")) return fail(r);
      if (!unit(';', "';' expected after the size")) return fail(r);
      if (size > b_.size() - pos_) {
        problem_ =
            fmt::format("the data size {} runs past the end of the file ({} bytes left)", size, b_.size() - pos_);
        return fail(r);
      }
      r.data.assign(b_.substr(pos_, size));
      pos_ += size;
      if (!unit(']', "']' expected after the data")) return fail(r);
      if (r.type > kMaxType) {
        problem_ = fmt::format("unknown value type {} (REG_NONE..REG_QWORD are 0..11)", r.type);
        return fail(r);
      }
      if (auto bad = key_path_problem(r.key)) {
        problem_ = *bad;
        return fail(r);
      }
      if (auto meaning = interpret(r); !meaning) {
        problem_ = meaning.error();
        return fail(r);
      }
      records.push_back(std::move(r));
    }
    return records;
  }

 private:
  Unexpected<std::string> fail(const PolRecord& r) const {
    return Unexpected(fmt::format("record at byte {}: {}", r.offset, problem_));
  }

  // One UTF-16LE code unit equal to `c`.
  bool unit(char c, std::string_view problem) {
    if (b_.size() - pos_ < 2) {
      problem_ = fmt::format("the record is cut short ({})", problem);
      return false;
    }
    if (b_[pos_] != c || b_[pos_ + 1] != '\0') {
      problem_ = std::string(problem);
      return false;
    }
    pos_ += 2;
    return true;
  }

  // A NUL-terminated UTF-16LE string.
  bool string(std::string& out, std::string_view what) {
    for (std::size_t at = pos_; b_.size() - at >= 2; at += 2) {
      if (b_[at] == '\0' && b_[at + 1] == '\0') {
        out = utf::utf16le_to_utf8(as_bytes(b_.substr(pos_, at - pos_)));
        pos_ = at + 2;
        return true;
      }
    }
    problem_ = fmt::format("{} has no NUL terminator before the end of the file", what);
    return false;
  }

  bool number(std::uint32_t& out, std::string_view what) {
    if (b_.size() - pos_ < 4) {
      problem_ = fmt::format("the record is cut short (in its {} field)", what);
      return false;
    }
    out = u32(b_, pos_);
    pos_ += 4;
    return true;
  }

  std::string_view b_;
  std::size_t pos_ = 0;
  std::string problem_;
};

void put_string(std::string& out, std::string_view utf8) {
  out += utf::utf8_to_utf16le(utf8);
  out += std::string(2, '\0');
}

void put_unit(std::string& out, char c) {
  out += c;
  out += '\0';
}

}  // namespace

std::string_view to_string(PolOp op) {
  return name_of(kPolOps, op);
}

Expected<std::vector<PolRecord>, std::string> parse_registry_pol(std::string_view bytes) {
  return Reader(bytes).run();
}

std::string write_registry_pol(const std::vector<PolRecord>& records) {
  std::string out(kSignature);
  put_u32(out, kVersion);
  for (const auto& r : records) {
    put_unit(out, '[');
    put_string(out, r.key);
    put_unit(out, ';');
    put_string(out, r.value_name);
    put_unit(out, ';');
    put_u32(out, r.type);
    put_unit(out, ';');
    put_u32(out, static_cast<std::uint32_t>(r.data.size()));
    put_unit(out, ';');
    out += r.data;
    put_unit(out, ']');
  }
  return out;
}

Expected<PolInstruction, std::string> interpret(const PolRecord& record) {
  PolInstruction in;
  const std::string_view name = record.value_name;
  if (istarts_with(name, "**del.")) {
    in.op = PolOp::DeleteValue;
    in.value.name = std::string(name.substr(6));
    if (in.value.name.empty()) return Unexpected(std::string("'**del.' without a value name"));
  } else if (istarts_with(name, "**soft.")) {
    in.op = PolOp::SoftSetValue;
    in.value = decode_reg_value(std::string(name.substr(7)), record.type, as_bytes(record.data));
    if (in.value.name.empty()) return Unexpected(std::string("'**soft.' without a value name"));
  } else if (is_code(name, "**delvals.") || is_code(name, "**delvals")) {
    in.op = PolOp::DeleteAllValues;
  } else if (is_code(name, "**DeleteValues")) {
    in.op = PolOp::DeleteValues;
    in.names = split_list(data_text(record.data));
  } else if (is_code(name, "**DeleteKeys")) {
    in.op = PolOp::DeleteKeys;
    in.names = split_list(data_text(record.data));
    for (const auto& sub : in.names)
      if (auto bad = key_path_problem(sub)) return Unexpected("in '**DeleteKeys': " + *bad);
  } else if (is_code(name, "**SecureKey")) {
    in.op = PolOp::SecureKey;
    const RegValue v = decode_reg_value("", record.type, as_bytes(record.data));
    const auto* n = std::get_if<std::int64_t>(&v.data);
    in.secure = n && *n != 0;
  } else if (name.starts_with("**")) {
    // Microsoft's policy downloaders skip a control code they do not know; guessing here
    // could turn a deletion into nothing and a weak value into a pass, so the file is refused.
    return Unexpected(fmt::format("unknown control code in the value name '{}'", name));
  } else if (name.empty() || record.data.empty()) {
    // "If value, type, size, or data are missing or zero, only the registry key will be
    // created" (Registry Policy File Format).
    in.op = PolOp::CreateKey;
  } else {
    in.op = PolOp::SetValue;
    in.value = decode_reg_value(record.value_name, record.type, as_bytes(record.data));
  }
  return in;
}

Expected<PolRecord, std::string> pol_set_value(std::string key, const RegValue& value) {
  auto raw = encode_reg_value(value);
  if (!raw) return Unexpected(raw.error());
  return PolRecord{0, std::move(key), value.name, raw->type_code, std::move(raw->bytes)};
}

PolRecord pol_delete_value(std::string key, std::string_view value_name) {
  // What the Group Policy editor writes for a disabled value: a REG_SZ of one space.
  return PolRecord{0, std::move(key), "**del." + std::string(value_name), 1, utf::utf8_to_utf16le(" ") + '\0' + '\0'};
}

}  // namespace smbaudit::gpo
