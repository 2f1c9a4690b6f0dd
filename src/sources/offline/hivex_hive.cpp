// Hive reading with hivex (libhivex, LGPL, linked dynamically): native Linux builds.
#include <fmt/format.h>
#include <hivex.h>

#include <cerrno>
#include <cstring>
#include <type_traits>
#include <unordered_map>

#include "../../core/reg_data.h"
#include "hive.h"
#include "hive_file.h"
#include "smbaudit/limits.h"
#include "smbaudit/text.h"

namespace smbaudit::offline {
namespace {

struct HiveCloser {
  void operator()(hive_h* h) const { hivex_close(h); }
};
using HiveHandle = std::unique_ptr<hive_h, HiveCloser>;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc): hivex allocates with malloc
};
template <typename T>
using Malloced = std::unique_ptr<T, FreeDeleter>;

// hivex reports structural damage only through errno (EFAULT, ENOTSUP...), whose text adds nothing.
std::string errno_text(std::string_view what) {
  return fmt::format("corrupted hive: {}", what);
}

// A value this large is not a setting: reading it would only cost memory.
constexpr std::size_t kMaxValueBytes = 1024 * 1024;

class HivexHive final : public Hive {
 public:
  explicit HivexHive(HiveHandle handle) : h_(std::move(handle)) {}

  Expected<std::optional<std::vector<RegValue>>, std::string> read_key(std::string_view path) override {
    SMBAUDIT_TRY_ASSIGN(const auto node, find(path));
    if (!node) return std::optional<std::vector<RegValue>>{};
    return values(*node);
  }

  Expected<std::optional<std::vector<std::string>>, std::string> subkeys(std::string_view path) override {
    SMBAUDIT_TRY_ASSIGN(const auto node, find(path));
    if (!node) return std::optional<std::vector<std::string>>{};
    SMBAUDIT_TRY_ASSIGN(const std::vector<Child>* children, children_of(*node));
    std::vector<std::string> names;
    names.reserve(children->size());
    for (const auto& c : *children) names.push_back(c.name);
    return std::optional<std::vector<std::string>>{std::move(names)};
  }

 private:
  struct Child {
    std::string name;
    hive_node_h node;
  };

  // Resolves `path` one name at a time from the root, so the walk is as deep as the path and
  // no deeper, whatever cycles a corrupted hive holds.
  Expected<std::optional<hive_node_h>, std::string> find(std::string_view path) {
    errno = 0;
    hive_node_h node = hivex_root(h_.get());
    if (node == 0) return Unexpected(errno_text("no root key"));
    int depth = 0;
    while (!path.empty()) {
      if (++depth > limits::kMaxHiveKeyDepth)
        return Unexpected(fmt::format("key path deeper than {} names", limits::kMaxHiveKeyDepth));
      const auto sep = path.find('\\');
      const std::string_view name = path.substr(0, sep);
      path = sep == std::string_view::npos ? std::string_view{} : path.substr(sep + 1);
      SMBAUDIT_TRY_ASSIGN(const std::vector<Child>* children, children_of(node));
      const Child* match = nullptr;
      for (const auto& c : *children)
        if (iequals(c.name, name)) {
          match = &c;
          break;
        }
      if (!match) return std::optional<hive_node_h>{};
      node = match->node;
    }
    return std::optional<hive_node_h>{node};
  }

  // Subkey names of a node, read once: Services alone has hundreds, looked up many times.
  Expected<const std::vector<Child>*, std::string> children_of(hive_node_h node) {
    if (auto it = children_.find(node); it != children_.end()) return &it->second;
    errno = 0;
    Malloced<hive_node_h> list(hivex_node_children(h_.get(), node));
    if (!list) return Unexpected(errno_text("cannot list the subkeys of a key"));
    std::vector<Child> out;
    for (const hive_node_h* c = list.get(); *c != 0; ++c) {
      Malloced<char> name(hivex_node_name(h_.get(), *c));
      if (!name) return Unexpected(errno_text("cannot read a key's name"));
      out.push_back({name.get(), *c});
    }
    return &children_.emplace(node, std::move(out)).first->second;
  }

  Expected<std::optional<std::vector<RegValue>>, std::string> values(hive_node_h node) {
    errno = 0;
    Malloced<hive_value_h> list(hivex_node_values(h_.get(), node));
    if (!list) return Unexpected(errno_text("cannot list a key's values"));
    std::size_t count = 0;
    while (list.get()[count] != 0)
      if (++count > limits::kMaxValuesPerKey) return Unexpected(too_many_values());
    std::vector<RegValue> out;
    out.reserve(count);
    for (const hive_value_h* v = list.get(); *v != 0; ++v) {
      Malloced<char> name(hivex_value_key(h_.get(), *v));
      if (!name) return Unexpected(errno_text("cannot read a value's name"));
      // A damaged value may hold any 32-bit type code, which C lets hivex store in its enum
      // but C++ may not read as one: hivex writes the code into plain integer storage.
      std::underlying_type_t<hive_type> type_code = 0;
      auto* type = reinterpret_cast<hive_type*>(&type_code);
      std::size_t len = 0;
      if (hivex_value_type(h_.get(), *v, type, &len) == -1)
        return Unexpected(errno_text(fmt::format("cannot read the type of value '{}'", name.get())));
      if (len > kMaxValueBytes) {
        out.push_back(RegValue{name.get(), RegType::Other, Bytes{}});
        continue;
      }
      Malloced<char> data(hivex_value_value(h_.get(), *v, type, &len));
      if (!data) return Unexpected(errno_text(fmt::format("cannot read the data of value '{}'", name.get())));
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.get());
      out.push_back(decode_reg_value(name.get(), static_cast<std::uint32_t>(type_code), {bytes, len}));
    }
    return std::optional<std::vector<RegValue>>{std::move(out)};
  }

  HiveHandle h_;
  std::unordered_map<hive_node_h, std::vector<Child>> children_;
};

}  // namespace

Expected<std::unique_ptr<Hive>, std::string> open_hive(const std::filesystem::path& file) {
  errno = 0;
  // Flags 0: read-only (hivex maps the file and never writes it) and strict (no HIVEX_OPEN_UNSAFE).
  HiveHandle h(hivex_open(file.c_str(), 0));
  if (!h) {
    const int error = errno;
    if (error == ENOMEM || error == EACCES || error == EIO)
      return Unexpected(fmt::format("cannot read the hive: {}", std::strerror(error)));
    if (auto damage = find_bin_damage(file)) return Unexpected("corrupted hive: " + *damage);
    return Unexpected(std::string("corrupted hive: a cell in its hive bins is damaged"));
  }
  return std::unique_ptr<Hive>(std::make_unique<HivexHive>(std::move(h)));
}

}  // namespace smbaudit::offline
