// smbaudit_make_hive: writes fixture hives for examples and manual tests (native builds).
//   smbaudit_make_hive SPEC.json OUT          one hive from a JSON spec (see hive_builder.h)
//   smbaudit_make_hive --image NAME ROOT      ROOT/Windows/System32/config/{SYSTEM,SOFTWARE}
//   smbaudit_make_hive --list                 the image names
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "windows_images.h"

namespace {

int usage() {
  std::cerr << "usage: smbaudit_make_hive SPEC.json OUT | --image NAME ROOT | --list\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace smbaudit::test_support;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "--list") {
    for (const auto& name : windows_image_names()) std::cout << name << "\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "--image") {
    auto image = windows_image(args[1]);
    if (!image) {
      std::cerr << "smbaudit_make_hive: no image named '" << args[1] << "' (see --list)\n";
      return 2;
    }
    const auto config = std::filesystem::path(args[2]) / kConfigFolder;
    std::filesystem::create_directories(config);
    if (auto failed = write_image_hives(*image, config / "SYSTEM", config / "SOFTWARE")) {
      std::cerr << "smbaudit_make_hive: " << *failed << "\n";
      return 1;
    }
    return 0;
  }
  if (args.size() != 2 || args[0].starts_with("--")) return usage();
  std::ifstream in(args[0], std::ios::binary);
  if (!in) {
    std::cerr << "smbaudit_make_hive: cannot read " << args[0] << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto spec = hive_spec_from_json(text.str());
  if (!spec) {
    std::cerr << "smbaudit_make_hive: " << args[0] << ": " << spec.error() << "\n";
    return 2;
  }
  if (auto failed = write_hive(*spec, args[1])) {
    std::cerr << "smbaudit_make_hive: " << *failed << "\n";
    return 1;
  }
  return 0;
}
