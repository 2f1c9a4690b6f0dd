#include "libyal_api.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <array>
#include <mutex>
#include <string_view>
#include <utility>

namespace smbaudit::image::yal {

#define SMBAUDIT_LIBYAL_DEFINE(library, function) decltype(&::function) function = nullptr;
SMBAUDIT_LIBYAL_FUNCTIONS(SMBAUDIT_LIBYAL_DEFINE)
#undef SMBAUDIT_LIBYAL_DEFINE

namespace {

// The libraries by the file names their runtime packages install (Debian: libvhdi1...); the
// major version is the ABI these headers describe.
constexpr std::array<std::pair<std::string_view, const char*>, 5> kLibraries{{
    {"libbfio", "libbfio.so.1"},
    {"libfsntfs", "libfsntfs.so.1"},
    {"libqcow", "libqcow.so.1"},
    {"libvhdi", "libvhdi.so.1"},
    {"libvmdk", "libvmdk.so.1"},
}};

std::optional<std::string> load_all() {
  // The handles stay open for the life of the process: the pointers above point into them.
  std::array<void*, kLibraries.size()> handles{};
  for (std::size_t i = 0; i < kLibraries.size(); ++i) {
    handles[i] = dlopen(kLibraries[i].second, RTLD_NOW | RTLD_LOCAL);
    if (!handles[i]) {
      const char* why = dlerror();
      return fmt::format(
          "cannot load {} ({}): reading image files needs the libyal libraries "
          "(scripts/setup.sh installs them)",
          kLibraries[i].second, why ? why : "unknown error");
    }
  }
  const auto handle_of = [&handles](std::string_view library) -> void* {
    for (std::size_t i = 0; i < kLibraries.size(); ++i)
      if (kLibraries[i].first == library) return handles[i];
    return nullptr;
  };
#define SMBAUDIT_LIBYAL_RESOLVE(library, function)                                           \
  function = reinterpret_cast<decltype(&::function)>(dlsym(handle_of(#library), #function)); \
  if (!function)                                                                             \
    return fmt::format(                                                                      \
        "{} has no function {}: reading image files needs the version of the libyal "        \
        "libraries smbaudit was built with",                                                 \
        #library, #function);
  SMBAUDIT_LIBYAL_FUNCTIONS(SMBAUDIT_LIBYAL_RESOLVE)
#undef SMBAUDIT_LIBYAL_RESOLVE
  return std::nullopt;
}

}  // namespace

std::optional<std::string> load() {
  static std::once_flag once;
  static std::optional<std::string> failure;
  std::call_once(once, [] { failure = load_all(); });
  return failure;
}

}  // namespace smbaudit::image::yal
