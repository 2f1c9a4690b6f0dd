#include "hive_builder.h"

#include <fmt/format.h>
#include <hivex.h>

#include <array>
#include <cstring>
#include <fstream>
#include <memory>

#include "../../src/core/json_value.h"
#include "../../src/core/reg_data.h"

namespace smbaudit::test_support {
namespace {

struct HiveCloser {
  void operator()(hive_h* h) const { hivex_close(h); }
};

std::string hivex_failure(std::string_view what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

// The child of `node` named `name` (any case), created when missing; 0 on failure.
hive_node_h child(hive_h* h, hive_node_h node, const std::string& name) {
  std::unique_ptr<hive_node_h, decltype(&std::free)> children(hivex_node_children(h, node), &std::free);
  if (!children) return 0;
  for (const hive_node_h* c = children.get(); *c != 0; ++c) {
    std::unique_ptr<char, decltype(&std::free)> n(hivex_node_name(h, *c), &std::free);
    if (n && iequals(n.get(), name)) return *c;
  }
  return hivex_node_add_child(h, node, name.c_str());
}

}  // namespace

HiveSpec& HiveSpec::set(const std::string& path, std::vector<RegValue> values) {
  auto& key = keys[path];
  for (auto& v : values) {
    auto same = std::find_if(key.begin(), key.end(), [&](const RegValue& e) { return iequals(e.name, v.name); });
    if (same != key.end())
      *same = std::move(v);
    else
      key.push_back(std::move(v));
  }
  return *this;
}

HiveSpec& HiveSpec::remove(const std::string& path) {
  std::erase_if(
      keys, [&](const auto& entry) { return iequals(entry.first, path) || istarts_with(entry.first, path + "\\"); });
  return *this;
}

HiveSpec& HiveSpec::set_raw(const std::string& path, RawValue value) {
  keys[path];  // the key exists even when it holds only raw values
  raw_keys[path].push_back(std::move(value));
  return *this;
}

RegValue dword(std::string name, std::int64_t value) {
  return {std::move(name), RegType::Dword, value};
}
RegValue sz(std::string name, std::string value) {
  return {std::move(name), RegType::Sz, std::move(value)};
}
RegValue multi_sz(std::string name, StringList value) {
  return {std::move(name), RegType::MultiSz, std::move(value)};
}

std::optional<std::string> write_hive(const HiveSpec& spec, const std::filesystem::path& file) {
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    const std::string base = empty_hive_bytes();
    out.write(base.data(), static_cast<std::streamsize>(base.size()));
    if (!out) return "cannot write " + file.string();
  }
  std::unique_ptr<hive_h, HiveCloser> h(hivex_open(file.c_str(), HIVEX_OPEN_WRITE));
  if (!h) return hivex_failure("hivex_open of the empty hive");
  for (const auto& [path, values] : spec.keys) {
    hive_node_h node = hivex_root(h.get());
    std::size_t start = 0;
    while (start < path.size()) {
      auto end = path.find('\\', start);
      if (end == std::string::npos) end = path.size();
      node = child(h.get(), node, path.substr(start, end - start));
      if (node == 0) return hivex_failure("adding key " + path);
      start = end + 1;
    }
    std::vector<HiveSpec::RawValue> raw;
    for (const auto& v : values) {
      auto encoded = encode_reg_value(v);
      if (!encoded) return path + ": " + encoded.error();
      raw.push_back({v.name, encoded->type_code, std::move(encoded->bytes)});
    }
    if (auto it = spec.raw_keys.find(path); it != spec.raw_keys.end())
      raw.insert(raw.end(), it->second.begin(), it->second.end());
    std::vector<hive_set_value> set;
    for (auto& v : raw) {
      hive_set_value entry{v.name.data(), hive_t_REG_NONE, v.bytes.size(), v.bytes.data()};
      // Any 32-bit code, as a damaged or unusual hive holds: hivex keeps the enum in plain
      // integer storage, which C++ may not fill through the enum type.
      static_assert(sizeof(entry.t) == sizeof(v.type_code));
      std::memcpy(&entry.t, &v.type_code, sizeof(v.type_code));
      set.push_back(entry);
    }
    if (hivex_node_set_values(h.get(), node, set.size(), set.data(), 0) == -1)
      return hivex_failure("setting the values of " + path);
  }
  if (hivex_commit(h.get(), file.c_str(), 0) == -1) return hivex_failure("hivex_commit");
  return std::nullopt;
}

Expected<HiveSpec, std::string> hive_spec_from_json(std::string_view text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Unexpected(std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_object())
    return Unexpected(std::string("expected {\"keys\": {\"PATH\": {VALUES}}}"));
  HiveSpec spec;
  for (const auto& [path, values] : doc["keys"].items()) {
    if (!values.is_object()) return Unexpected(fmt::format("{}: expected an object of values", path));
    std::vector<RegValue> list;
    for (const auto& [name, v] : values.items()) {
      if (!v.is_object() || !v.contains("type") || !v.contains("data") || !v["type"].is_string())
        return Unexpected(fmt::format("{}\\{}: expected {{\"type\": ..., \"data\": ...}}", path, name));
      auto type = reg_type_from_string(v["type"].get<std::string>());
      if (!type) return Unexpected(fmt::format("{}\\{}: unknown type", path, name));
      auto data = reg_data_from_json(*type, v["data"]);
      if (!data) return Unexpected(fmt::format("{}\\{}: data does not fit the type", path, name));
      list.push_back(RegValue{name, *type, std::move(*data)});
    }
    spec.set(path, std::move(list));
  }
  return spec;
}

}  // namespace smbaudit::test_support
