// What the libyal libraries (libvhdi, libvmdk, libqcow, libfsntfs) share: their error objects
// turned into one short line, and RAII for them. Each library has its own error type with the
// same functions, so these are templates over the library's functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smbaudit::image {

// libyal errors carry a backtrace, outermost call last ("libvhdi_file_open: unable to open
// file."); the first entry is the deepest cause ("...: unsupported signature."), which is the
// one a user can act on. Returns it without the function name, e.g. "unsupported signature".
std::string libyal_cause(std::string_view backtrace);

// Backtrace and Free are references to the pointers libyal_api.h fills at run time.
template <typename Error, int (*&Backtrace)(Error*, char*, std::size_t), void (*&Free)(Error**)>
class LibyalError {
 public:
  LibyalError() = default;
  ~LibyalError() {
    if (error_) Free(&error_);
  }
  LibyalError(const LibyalError&) = delete;
  LibyalError& operator=(const LibyalError&) = delete;

  Error** put() {
    if (error_) Free(&error_);
    return &error_;
  }
  // The deepest cause, or `fallback` when the library set no error.
  [[nodiscard]] std::string cause(std::string_view fallback = "unknown error") const {
    if (!error_) return std::string(fallback);
    std::vector<char> text(4096, '\0');
    if (Backtrace(error_, text.data(), text.size()) < 0) return std::string(fallback);
    auto c = libyal_cause(text.data());
    return c.empty() ? std::string(fallback) : c;
  }

 private:
  Error* error_ = nullptr;
};

}  // namespace smbaudit::image
