#include "libyal.h"

#include "smbaudit/text.h"

namespace smbaudit::image {

std::string libyal_cause(std::string_view backtrace) {
  std::string_view line = backtrace.substr(0, backtrace.find('\n'));
  line = trim(line);
  // "libvhdi_io_handle_read_file_header: unsupported signature." -> "unsupported signature"
  if (const auto colon = line.find(": "); colon != std::string_view::npos && line.substr(0, 3) == "lib")
    line = line.substr(colon + 2);
  while (!line.empty() && line.back() == '.') line.remove_suffix(1);
  return std::string(line);
}

}  // namespace smbaudit::image
